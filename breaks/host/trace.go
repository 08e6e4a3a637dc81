package host

import (
	"log/slog"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
)

// tracer logs, at debug level, what the engine was told and what it
// decided: the lock and quiet state when they change, a jump of the clock,
// and every decision (a break due, snoozed, skipped, taken, taken
// naturally, started, ended, the daily limit). Readings that change
// nothing are not logged, so a person away for hours makes no lines.
type tracer struct {
	log *slog.Logger
	// seen is set after the first reading; locked and quiet are the last
	// reading's, day the figures last seen.
	seen          bool
	locked, quiet bool
	day           backcoach.BreakDay
}

// reading logs a reading's changes; jump is the engine's Jump for it.
func (t *tracer) reading(r breaks.Reading, jump time.Duration) {
	if !t.seen || r.Locked != t.locked {
		t.log.Debug("reading", "locked", r.Locked, "idle_seconds", int(r.Idle/time.Second))
	}
	if !t.seen || r.Quiet != t.quiet {
		t.log.Debug("reading", "quiet", r.Quiet)
	}
	t.seen, t.locked, t.quiet = true, r.Locked, r.Quiet
	switch {
	case jump < 0:
		t.log.Debug("decision", "decision", "clock jump", "by", jump.Round(time.Second), "read_as", "clock set back: no time counted")
	case jump > 0:
		t.log.Debug("decision", "decision", "clock jump", "by", jump.Round(time.Second), "read_as", "slept or clock put forward: time away")
	}
}

// event logs an engine event, and the counts a day event changed.
func (t *tracer) event(ev breaks.Event) {
	b := ev.Break
	switch ev.Type {
	case breaks.EventOffer:
		t.log.Debug("decision", "decision", "reminder shown", "kind", b.Kind, "seq", b.Seq, "snoozes", b.Snoozes)
	case breaks.EventWithdraw:
		t.log.Debug("decision", "decision", "reminder withdrawn", "kind", b.Kind, "seq", b.Seq, "reason", ev.Reason)
	case breaks.EventBreakStarted:
		t.log.Debug("decision", "decision", "break started", "kind", b.Kind, "seq", b.Seq, "for", b.For)
	case breaks.EventBreakEnded:
		t.log.Debug("decision", "decision", "break ended", "kind", b.Kind, "seq", b.Seq)
	case breaks.EventLimit:
		t.log.Debug("decision", "decision", "daily limit", "active_seconds", ev.Day.ActiveSeconds)
	case breaks.EventDay:
		t.counts(ev.Day)
	}
}

// counts logs each count that grew since the figures last seen.
func (t *tracer) counts(d backcoach.BreakDay) {
	last := t.day
	if d.Date != last.Date {
		last = backcoach.BreakDay{}
		if t.day.Date != "" {
			t.log.Debug("decision", "decision", "new day", "date", d.Date)
		}
	}
	for _, c := range []struct {
		what      string
		now, then int
	}{
		{"due", d.Due, last.Due}, {"snoozed", d.Snoozed, last.Snoozed}, {"skipped", d.Skipped, last.Skipped},
		{"taken", d.Taken, last.Taken}, {"natural break", d.Natural, last.Natural},
	} {
		if c.now > c.then {
			t.log.Debug("decision", "decision", c.what, "today", c.now)
		}
	}
	t.day = d
}
