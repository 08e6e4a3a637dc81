package breaks

import (
	"time"

	"github.com/backcoach/backcoach"
)

// Reading is what the engine is told at each step: when, how long since the
// person last touched the keyboard or mouse, and the state of the session.
type Reading struct {
	At time.Time
	// Idle is the time since the last input.
	Idle time.Duration
	// Locked is true while the screen is locked, the screen saver runs or
	// the machine is about to sleep: the person is away.
	Locked bool
	// Quiet is true while another window is full-screen or the desktop's
	// do-not-disturb is on: a due break waits until it ends.
	Quiet bool
}

// Break is one break the engine offers or runs.
type Break struct {
	Kind Kind `json:"kind"`
	// For is how long the break lasts.
	For time.Duration `json:"for"`
	// Seq counts the breaks of this kind offered today, from 1; it varies
	// the exercise from one break to the next.
	Seq int `json:"seq"`
	// Snoozes is how often this break was snoozed; CanSnooze says whether
	// it may be snoozed again.
	Snoozes   int  `json:"snoozes"`
	CanSnooze bool `json:"can_snooze"`
}

// EventType says what happened.
type EventType string

// The events an engine emits.
const (
	// EventOffer asks for a break: show the reminder (replacing any shown
	// before). It comes again when a reminder was left unanswered.
	EventOffer EventType = "offer"
	// EventWithdraw removes the reminder: Reason says why.
	EventWithdraw EventType = "withdraw"
	// EventBreakStarted and EventBreakEnded bracket a break the person
	// started.
	EventBreakStarted EventType = "break_started"
	EventBreakEnded   EventType = "break_ended"
	// EventLimit says the daily limit of computer time is reached.
	EventLimit EventType = "limit"
	// EventDay carries the day's totals after they changed: save them. A
	// day that ends is sent one last time before the next begins.
	EventDay EventType = "day"
)

// Reasons a reminder is withdrawn.
const (
	ReasonStarted = "started"
	ReasonTaken   = "taken"   // the person was away as long as the break
	ReasonSnoozed = "snoozed" // it comes back later
	ReasonSkipped = "skipped"
	ReasonPaused  = "paused"
	ReasonQuiet   = "quiet"   // quiet mode began; it comes back when it ends
	ReasonReplace = "replace" // a longer break took its place
)

// Event is one thing the engine asks its owner to do.
type Event struct {
	Type EventType `json:"type"`
	At   time.Time `json:"at"`
	// Break is the break concerned (offer, withdraw, break events).
	Break Break `json:"break"`
	// Reason says why a reminder was withdrawn.
	Reason string `json:"reason,omitempty"`
	// Day is the day's totals (day and limit events).
	Day backcoach.BreakDay `json:"day"`
}

// Next is the time to the next break of one kind.
type Next struct {
	Kind Kind `json:"kind"`
	// DueIn is the active time left before the break is due, or the
	// snooze left for a snoozed break; zero when it is due now.
	DueIn time.Duration `json:"due_in"`
}

// Status is a summary of the engine's state, for a status command or page.
type Status struct {
	At    time.Time          `json:"at"`
	Next  []Next             `json:"next"`
	Today backcoach.BreakDay `json:"today"`
	// PausedUntil is when reminders start again; nil when not paused.
	PausedUntil *time.Time `json:"paused_until"`
	// Offered is the break waiting for an answer, if any; Shown says
	// whether its reminder is on the screen now.
	Offered *Break `json:"offered,omitempty"`
	Shown   bool   `json:"shown"`
	// InBreak is the break running now, if any.
	InBreak *Break `json:"in_break,omitempty"`
	// Away and Quiet are what the last reading said.
	Away  bool `json:"away"`
	Quiet bool `json:"quiet"`
}
