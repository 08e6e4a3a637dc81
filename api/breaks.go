package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/live"
)

// The break reminder of the web app: the person's settings and daily
// figures, the activity reports of an open page, the event stream that
// brings the breaks, and the answers to them. The rules are the engine's
// (package breaks), run on the server by package live.

// breakSettingsBody is the whole of the break settings as a client sets
// them.
type breakSettingsBody struct {
	Enabled              bool `json:"enabled" doc:"Turns on the reminder of the web app: while one of its pages is open, the page reports activity and shows the breaks."`
	MovementEveryMinutes int  `json:"movement_every_minutes" minimum:"0" maximum:"720" doc:"Minutes of computer time before a movement break: 0 (off) or 5 to 720."`
	MovementForMinutes   int  `json:"movement_for_minutes" minimum:"1" maximum:"60" doc:"How long a movement break lasts, shorter than its interval."`
	StretchEveryMinutes  int  `json:"stretch_every_minutes" minimum:"0" maximum:"720" doc:"Minutes of computer time before a stretch break: 0 (off) or 5 to 720. At least one kind of break stays on."`
	StretchForMinutes    int  `json:"stretch_for_minutes" minimum:"1" maximum:"60" doc:"How long a stretch break lasts, shorter than its interval."`
	DailyLimitMinutes    int  `json:"daily_limit_minutes" minimum:"0" maximum:"1440" doc:"The most computer time wanted in a day, said once when reached; 0 for no limit."`
	ResetHour            int  `json:"reset_hour" minimum:"0" maximum:"23" doc:"The local hour at which a new day's figures begin."`
	SnoozeMinutes        int  `json:"snooze_minutes" minimum:"1" maximum:"120" doc:"How long Snooze puts a break off."`
}

// activityBody is a page's activity report.
type activityBody struct {
	IdleSeconds int  `json:"idle_seconds" minimum:"0" maximum:"86400" doc:"Seconds since the last input the page saw: keys, pointer, touch or scrolling on the page, or anywhere on the computer where the browser's idle detection is allowed."`
	Visible     bool `json:"visible,omitempty" doc:"Whether the page is on the screen (document.visibilityState is \"visible\")."`
	Locked      bool `json:"locked,omitempty" doc:"Whether the screen is locked, as the browser's idle detection tells."`
	Quiet       bool `json:"quiet,omitempty" doc:"Whether the page runs something a reminder must not interrupt, such as a guided session: a break due meanwhile waits until the next report without it."`
}

// startBody names the kind of break to start.
type startBody struct {
	Kind string `json:"kind,omitempty" enum:"movement,stretch" doc:"movement or stretch; when left out, the break on offer, or else the shorter kind that is on."`
}

// pauseBody says how long to pause.
type pauseBody struct {
	Minutes int    `json:"minutes,omitempty" minimum:"1" maximum:"720" doc:"Pause for this many minutes, 1 to 720."`
	Until   string `json:"until,omitempty" enum:"tomorrow" doc:"\"tomorrow\": pause until the next day begins (the reset hour). Give this or minutes, not both."`
}

type rawBodyInput struct {
	RawBody []byte
}

type breakDaysInput struct {
	From string `query:"from" doc:"The first day, YYYY-MM-DD; 29 days before to when left out."`
	To   string `query:"to" doc:"The last day, YYYY-MM-DD; today in the person's time zone when left out."`
}

// maxBreakDaysRange is the most days one request for figures may span.
const maxBreakDaysRange = 366

// statusOutput is the state of the reminder.
type statusOutput struct {
	Body *live.Status
}

// breakEvents are the events of the stream, by name.
var breakEvents = map[string]any{
	live.EventStatus:   live.Status{},
	live.EventOffer:    live.Offer{},
	live.EventWithdraw: live.Withdrawn{},
	live.EventStarted:  live.Started{},
	live.EventEnded:    live.Ended{},
	live.EventLimit:    live.Limit{},
}

func (a *API) registerBreaks() {
	register(a, a.private(huma.Operation{
		OperationID: "get-break-settings",
		Method:      http.MethodGet,
		Path:        Prefix + "/breaks/settings",
		Summary:     "Get the break settings",
		Description: "How the break reminder times the person's breaks; the defaults, with updated_at null, when none were saved. The desktop daemon reads them too.",
		Tags:        []string{"Breaks"},
	}), a.getBreakSettings)

	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "put-break-settings",
		Method:      http.MethodPut,
		Path:        Prefix + "/breaks/settings",
		Summary:     "Replace the break settings",
		Description: "A reminder running for the person starts again with the new timing (its timers from zero), keeping today's figures; turning the reminder off ends its event streams.",
		Tags:        []string{"Breaks"},
	}), breakSettingsBody{}, "The whole of the settings."), a.putBreakSettings)

	register(a, a.private(huma.Operation{
		OperationID: "list-break-days",
		Method:      http.MethodGet,
		Path:        Prefix + "/breaks/days",
		Summary:     "List the daily break figures",
		Description: "The reminder's figures of each day with any (breaks due, taken, taken naturally, snoozed, skipped, active time), newest first, from the web app and the desktop daemon alike. At most 366 days, in one page.",
		Tags:        []string{"Breaks"},
		Errors:      []int{http.StatusBadRequest},
	}), a.listBreakDays)

	a.registerBreakReminder()
}

// registerBreakReminder adds the operations of the running reminder.
func (a *API) registerBreakReminder() {
	reminder := func(id, path, summary, description string) huma.Operation {
		return a.private(huma.Operation{
			OperationID: id, Method: http.MethodPost, Path: Prefix + "/breaks/" + path, Summary: summary,
			Description: description + " The answer is the reminder's state. With the reminder off in the settings, 409.",
			Tags:        []string{"Breaks"}, Errors: []int{http.StatusConflict},
		})
	}
	register(a, a.withBody(reminder("report-break-activity", "activity", "Report activity",
		"An open page reports, about every 30 seconds while it is in use and whenever it is shown or hidden, how long ago it saw input. The person's reminder is made when there is none yet."),
		activityBody{}, "What the page saw."), a.reportActivity)
	register(a, a.withBody(reminder("start-break", "start", "Start a break",
		"Starts the break on offer, or one of the kind named; it counts as taken."), startBody{}, "The kind of break, or {} for the one on offer."), a.startBreak)
	snooze := reminder("snooze-break", "snooze", "Snooze the break on offer", "Puts the break on offer off for the snooze time; 404 when none is on offer, 409 when it was snoozed as often as allowed.")
	snooze.Errors = addStatus(snooze.Errors, http.StatusNotFound)
	register(a, snooze, a.snoozeBreak)
	skip := reminder("skip-break", "skip", "Skip the break on offer", "Lets the break on offer go; it counts as skipped. 404 when none is on offer.")
	skip.Errors = addStatus(skip.Errors, http.StatusNotFound)
	register(a, skip, a.skipBreak)
	register(a, a.withBody(reminder("pause-breaks", "pause", "Pause the reminders",
		"Pauses for a number of minutes, or until tomorrow; a break that falls due meanwhile comes when the pause ends."),
		pauseBody{}, "How long to pause."), a.pauseBreaks)
	register(a, reminder("resume-breaks", "resume", "End a pause", "Ends a pause; a break due meanwhile comes at once."), a.resumeBreaks)

	status := reminder("get-break-status", "status", "Get the reminder's state", "The time to each next break, today's figures, a pause, and the break on offer or under way.")
	status.Method = http.MethodGet
	status.Errors = []int{http.StatusConflict, http.StatusUnauthorized}
	register(a, status, a.breakStatus)

	a.registerBreakEvents()
}

func (a *API) getBreakSettings(ctx context.Context, _ *struct{}) (*recordOutput[backcoach.BreakSettings], error) {
	s, err := a.store.BreakSettings(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.BreakSettings]{Body: s}, nil
}

func (a *API) putBreakSettings(ctx context.Context, in *rawBodyInput) (*recordOutput[backcoach.BreakSettings], error) {
	var body breakSettingsBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	me := actor(ctx)
	s := backcoach.BreakSettings{
		Enabled: body.Enabled, MovementEveryMinutes: body.MovementEveryMinutes, MovementForMinutes: body.MovementForMinutes,
		StretchEveryMinutes: body.StretchEveryMinutes, StretchForMinutes: body.StretchForMinutes,
		DailyLimitMinutes: body.DailyLimitMinutes, ResetHour: body.ResetHour, SnoozeMinutes: body.SnoozeMinutes,
	}
	if err := a.store.SaveBreakSettings(ctx, me, &s); err != nil {
		return nil, inBody(err)
	}
	if err := a.breaks.Reload(ctx, me); err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.BreakSettings]{Body: &s}, nil
}

func (a *API) listBreakDays(ctx context.Context, in *breakDaysInput) (*pageOutput[backcoach.BreakDay], error) {
	me := actor(ctx)
	from, to, err := a.breakDaysRange(ctx, me, in)
	if err != nil {
		return nil, err
	}
	days, err := a.store.BreakDays(ctx, me, from, to)
	if err != nil {
		return nil, inQuery(err)
	}
	slices.Reverse(days)
	return &pageOutput[backcoach.BreakDay]{Body: &Page[backcoach.BreakDay]{Items: nonNil(days)}}, nil
}

// breakDaysRange reads the range of days asked for, with its defaults.
func (a *API) breakDaysRange(ctx context.Context, me string, in *breakDaysInput) (string, string, error) {
	for _, p := range []struct{ name, value string }{{"from", in.From}, {"to", in.To}} {
		if p.value != "" {
			if err := backcoach.CheckDate(p.name, p.value); err != nil {
				return "", "", inQuery(err)
			}
		}
	}
	to := in.To
	if to == "" {
		loc, err := a.location(ctx, me)
		if err != nil {
			return "", "", err
		}
		to = a.now().In(loc).Format(backcoach.DateLayout)
	}
	last, _ := time.Parse(backcoach.DateLayout, to)
	from := in.From
	if from == "" {
		from = last.AddDate(0, 0, -29).Format(backcoach.DateLayout)
	}
	first, _ := time.Parse(backcoach.DateLayout, from)
	switch {
	case first.After(last):
		return "", "", inQuery(backcoach.Invalid("to", "must not be before from (%s), got %s", from, to))
	case last.Sub(first) >= maxBreakDaysRange*24*time.Hour:
		return "", "", inQuery(backcoach.Invalid("from", "must be at most %d days before to (%s), got %s", maxBreakDaysRange-1, to, from))
	}
	return from, to, nil
}

func (a *API) reportActivity(ctx context.Context, in *rawBodyInput) (*statusOutput, error) {
	var body activityBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	act := live.Activity{Idle: time.Duration(body.IdleSeconds) * time.Second, Visible: body.Visible, Locked: body.Locked, Quiet: body.Quiet}
	s, err := a.breaks.Report(ctx, actor(ctx), act)
	return statusOf(s, inBody(err))
}

func (a *API) startBreak(ctx context.Context, in *rawBodyInput) (*statusOutput, error) {
	var body startBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	var k breaks.Kind
	if body.Kind != "" {
		var err error
		if k, err = breaks.ParseKind(body.Kind); err != nil {
			return nil, inBody(err)
		}
	}
	s, err := a.breaks.Start(ctx, actor(ctx), k)
	return statusOf(s, inBody(err))
}

func (a *API) snoozeBreak(ctx context.Context, _ *struct{}) (*statusOutput, error) {
	s, err := a.breaks.Snooze(ctx, actor(ctx))
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		// Snoozed as often as allowed: a matter of the break's state,
		// not of the request, which has no body.
		err = backcoach.Errorf(backcoach.ECONFLICT, "%s", backcoach.ErrorMessage(err))
	}
	return statusOf(s, err)
}

func (a *API) skipBreak(ctx context.Context, _ *struct{}) (*statusOutput, error) {
	return statusOf(a.breaks.Skip(ctx, actor(ctx)))
}

func (a *API) pauseBreaks(ctx context.Context, in *rawBodyInput) (*statusOutput, error) {
	var body pauseBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	me := actor(ctx)
	switch {
	case body.Until != "" && body.Minutes != 0:
		return nil, inBody(backcoach.Invalid("until", "give minutes or until, not both"))
	case body.Until == "tomorrow":
		return statusOf(a.breaks.PauseUntilTomorrow(ctx, me))
	case body.Until != "":
		return nil, inBody(backcoach.Invalid("until", "must be \"tomorrow\", got %q", clip(body.Until)))
	case body.Minutes < 1 || body.Minutes > int(breaks.MaxPause/time.Minute):
		return nil, inBody(backcoach.Invalid("minutes", "must be a whole number of minutes from 1 to %d, or leave it out and give until", int(breaks.MaxPause/time.Minute)))
	}
	return statusOf(a.breaks.Pause(ctx, me, time.Duration(body.Minutes)*time.Minute))
}

func (a *API) resumeBreaks(ctx context.Context, _ *struct{}) (*statusOutput, error) {
	return statusOf(a.breaks.Resume(ctx, actor(ctx)))
}

func (a *API) breakStatus(ctx context.Context, _ *struct{}) (*statusOutput, error) {
	return statusOf(a.breaks.Status(ctx, actor(ctx)))
}

// statusOf is the answer of a reminder operation.
func statusOf(s live.Status, err error) (*statusOutput, error) {
	if err != nil {
		return nil, err
	}
	return &statusOutput{Body: &s}, nil
}
