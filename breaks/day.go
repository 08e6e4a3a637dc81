package breaks

import (
	"time"

	"github.com/backcoach/backcoach"
)

// dayKey returns the day a moment belongs to (YYYY-MM-DD): the local date,
// or the date before when it is earlier than the reset hour.
func (e *Engine) dayKey(t time.Time) string {
	l := t.In(e.cfg.Location)
	if l.Hour() < e.cfg.ResetHour {
		l = time.Date(l.Year(), l.Month(), l.Day()-1, 12, 0, 0, 0, l.Location())
	}
	return l.Format(backcoach.DateLayout)
}

// nextBoundary returns the first moment after t at which a new day begins.
func (e *Engine) nextBoundary(t time.Time) time.Time {
	l := t.In(e.cfg.Location)
	b := time.Date(l.Year(), l.Month(), l.Day(), e.cfg.ResetHour, 0, 0, 0, l.Location())
	for !b.After(t) {
		l = l.AddDate(0, 0, 1)
		b = time.Date(l.Year(), l.Month(), l.Day(), e.cfg.ResetHour, 0, 0, 0, l.Location())
	}
	return b
}

// rollDay starts a new day when t belongs to a later one than the current.
// Dates only move forward: a clock set back or a change of time zone never
// reopens a day already closed.
func (e *Engine) rollDay(t time.Time) {
	key := e.dayKey(t)
	if key <= e.day.Date {
		return
	}
	if d := e.today(); d != e.sent {
		e.sent = d
		e.emit(Event{Type: EventDay, Day: d})
	}
	e.day = backcoach.BreakDay{Date: key}
	e.active = 0
	e.limit = limitNone
	e.seq = map[Kind]int{}
	if e.pauseDay != "" && key > e.pauseDay {
		e.pauseDay = ""
	}
}

// DayOf returns the day (YYYY-MM-DD) a moment belongs to, with the reset
// hour: before it, the day before.
func (e *Engine) DayOf(t time.Time) string { return e.dayKey(t) }
