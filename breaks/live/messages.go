package live

import (
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/catalog"
)

// The names of the events a stream carries.
const (
	EventStatus   = "status"
	EventOffer    = "offer"
	EventWithdraw = "withdraw"
	EventStarted  = "started"
	EventEnded    = "ended"
	EventLimit    = "limit"
)

// Message is one event for a page: its name and its data, one of the
// types below.
type Message struct {
	Event string
	Data  any
}

// Status is the state of a person's reminder: the first message of every
// stream, and the answer of every action.
type Status struct {
	Next  []Next             `json:"next" doc:"The time to the next break of each kind that is on."`
	Today backcoach.BreakDay `json:"today" doc:"Today's figures so far."`
	// PausedUntil is when reminders start again; nil when not paused.
	PausedUntil *time.Time `json:"paused_until" doc:"When reminders start again; null when they are not paused."`
	Offer       *Offer     `json:"offer" doc:"The break on the screen now, waiting for an answer; null when there is none."`
	Running     *Started   `json:"running" doc:"The break the person started and is taking now; null when there is none."`
	Away        bool       `json:"away" doc:"Whether the person is away: no page is open, the screen is locked, or no input came for as long as a break."`
	// ReportEverySeconds tells the page how often to report activity.
	ReportEverySeconds int `json:"report_every_seconds" doc:"How often the page reports activity while it is in use."`
	SnoozeMinutes      int `json:"snooze_minutes" doc:"How long Snooze puts a break off."`
}

// Next is the time to the next break of one kind.
type Next struct {
	Kind         breaks.Kind `json:"kind" enum:"movement,stretch" doc:"The kind of break."`
	DueInSeconds int         `json:"due_in_seconds" doc:"Active time left before the break falls due, the snooze left of a snoozed one, or 0 when it is due now."`
}

// Offer is a break that falls due and what it offers: the reminder to show.
type Offer struct {
	Kind          breaks.Kind     `json:"kind" enum:"movement,stretch" doc:"The kind of break."`
	Seq           int             `json:"seq" doc:"The break's number among today's of its kind, from 1."`
	Seconds       int             `json:"seconds" doc:"How long the break lasts."`
	CanSnooze     bool            `json:"can_snooze" doc:"Whether the break may be snoozed again."`
	SnoozeMinutes int             `json:"snooze_minutes" doc:"How long Snooze puts it off."`
	Summary       string          `json:"summary" doc:"The reminder's title."`
	Rest          bool            `json:"rest" doc:"True when the break offers rest and the assessment's advice instead of exercise: the latest check-in answered a warning sign, or the latest assessment allows no exercise."`
	Exercises     []OfferExercise `json:"exercises" doc:"The exercises, at the desk or standing, with today's dose; empty when rest is offered."`
	Advice        []string        `json:"advice" doc:"What to do instead of exercise, when rest is offered."`
	Disclaimer    string          `json:"disclaimer"`
	URL           string          `json:"url" doc:"The web app's page for the break, to open when it is started."`
}

// OfferExercise is one exercise of a break.
type OfferExercise struct {
	ID      string `json:"id" doc:"The exercise's catalog id."`
	Name    string `json:"name"`
	Dose    string `json:"dose" doc:"Today's dose in words."`
	Seconds int    `json:"seconds" doc:"About how long it takes."`
}

// Withdrawn takes a reminder off the screen.
type Withdrawn struct {
	Kind   breaks.Kind `json:"kind" enum:"movement,stretch"`
	Seq    int         `json:"seq"`
	Reason string      `json:"reason" enum:"started,taken,snoozed,skipped,paused,quiet,replace" doc:"Why: started, taken (the person was away as long as the break), snoozed, skipped, paused, quiet, or replace (a longer break took its place)."`
}

// Started is a break the person started: open its page.
type Started struct {
	Kind    breaks.Kind `json:"kind" enum:"movement,stretch"`
	Seq     int         `json:"seq"`
	Seconds int         `json:"seconds" doc:"How long the break lasts."`
	Summary string      `json:"summary"`
	URL     string      `json:"url" doc:"The web app's page for the break."`
}

// Ended says a started break is over.
type Ended struct {
	Kind breaks.Kind `json:"kind" enum:"movement,stretch"`
	Seq  int         `json:"seq"`
}

// Limit says the day's computer time reached the daily limit.
type Limit struct {
	ActiveSeconds int    `json:"active_seconds" doc:"Today's computer time."`
	Message       string `json:"message"`
}

// offerOut is the reminder of an offer.
func offerOut(cat *catalog.Catalog, o offer.Offer, snooze time.Duration) *Offer {
	out := &Offer{
		Kind: o.Break.Kind, Seq: o.Break.Seq, Seconds: int(o.Break.For / time.Second), CanSnooze: o.Break.CanSnooze,
		SnoozeMinutes: int(snooze / time.Minute), Summary: o.Summary(), Rest: o.Rest, Exercises: []OfferExercise{},
		Advice: append([]string{}, o.Advice...), Disclaimer: o.Disclaimer, URL: o.Path(),
	}
	for _, x := range o.Exercises {
		out.Exercises = append(out.Exercises, OfferExercise{ID: x.ID, Name: x.Name, Dose: offer.Dose(cat, x), Seconds: x.Seconds})
	}
	return out
}

// startedOut is the message of a started break.
func startedOut(o offer.Offer, b breaks.Break) *Started {
	return &Started{Kind: b.Kind, Seq: b.Seq, Seconds: int(b.For / time.Second), Summary: o.Summary(), URL: o.Path()}
}
