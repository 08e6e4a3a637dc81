package breaks

import (
	"time"

	"github.com/backcoach/backcoach"
)

// Pause limits.
const (
	MinPause = time.Minute
	MaxPause = 12 * time.Hour
)

// The actions below act at the time of the last reading: the owner takes a
// fresh reading first when it can. Each returns the events to handle, and
// afterwards NextWake may be earlier or later than before.

// Start begins a break of kind k, or of the kind on offer when k is "". A
// break started on offer, or on the person's own initiative, counts as
// taken; its timer starts again.
func (e *Engine) Start(k Kind) ([]Event, error) {
	e.events = nil
	if err := e.canStart(k); err != nil {
		return nil, err
	}
	b := e.breakToStart(k)
	e.day.Taken++
	e.resetTimer(b.Kind)
	e.running = &running{b: b, left: b.For}
	e.emit(Event{Type: EventBreakStarted, Break: b})
	return e.flush(), nil
}

// canStart says why a break of kind k cannot start now, or nil.
func (e *Engine) canStart(k Kind) error {
	if e.running != nil {
		return backcoach.Errorf(backcoach.ECONFLICT, "a %s is running already; wait for it to end", e.running.b.Kind.Words())
	}
	if k != "" && !e.cfg.Rule(k).Enabled() {
		return backcoach.Invalid("kind", "the %s is turned off; start a %s instead", k.Words(), e.enabled()[0].Words())
	}
	return nil
}

// BreakToStart returns the break Start(k) would begin, changing nothing:
// its owner opens the break's exercises first, and starts it only when
// they opened.
func (e *Engine) BreakToStart(k Kind) (Break, error) {
	if err := e.canStart(k); err != nil {
		return Break{}, err
	}
	if o := e.offer; o != nil && (k == "" || k == o.b.Kind) {
		b := o.b
		if !o.shown {
			b.Seq = e.seq[b.Kind] + 1
		}
		return b, nil
	}
	if k == "" {
		k = e.enabled()[0]
	}
	b := e.newBreak(k)
	b.Seq = e.seq[k] + 1
	return b, nil
}

// breakToStart returns the break Start begins: the one on offer when it is
// of that kind (a stretch break also ends a movement offer), or a new one.
func (e *Engine) breakToStart(k Kind) Break {
	o := e.offer
	if o != nil && (k == "" || k == o.b.Kind || k == Stretch) {
		e.withdraw(ReasonStarted)
		if k == "" || k == o.b.Kind {
			if !o.shown {
				e.day.Due++
				e.seq[o.b.Kind]++
				o.b.Seq = e.seq[o.b.Kind]
			}
			return o.b
		}
	}
	if k == "" {
		k = e.enabled()[0]
	}
	b := e.newBreak(k)
	e.seq[k]++
	b.Seq = e.seq[k]
	return b
}

// withdraw ends the offer, taking its reminder off the screen.
func (e *Engine) withdraw(reason string) {
	if o := e.offer; o != nil && o.state == offerShown {
		e.emit(Event{Type: EventWithdraw, Break: o.b, Reason: reason})
	}
	e.offer = nil
}

// Snooze puts the break on offer off for the snooze time, at most
// MaxSnoozes times per break.
func (e *Engine) Snooze() ([]Event, error) {
	e.events = nil
	o := e.offer
	if o == nil || !o.shown {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no break is on offer now, so there is nothing to snooze")
	}
	if o.b.Snoozes >= e.cfg.MaxSnoozes {
		return nil, backcoach.Invalid("snooze", "this break was snoozed %d times, the most allowed; start it or skip it", o.b.Snoozes)
	}
	o.b.Snoozes++
	e.day.Snoozed++
	e.putOff(o, ReasonSnoozed)
	return e.flush(), nil
}

// putOff takes a reminder off the screen for the snooze time.
func (e *Engine) putOff(o *offer, reason string) {
	if o.state == offerShown {
		e.emit(Event{Type: EventWithdraw, Break: o.b, Reason: reason})
	}
	o.state = offerSnoozed
	o.left = e.cfg.SnoozeFor
}

// Skip lets the break on offer go; it is counted, and its timer starts
// again (a stretch break's, the movement timer's too).
func (e *Engine) Skip() ([]Event, error) {
	e.events = nil
	o := e.offer
	if o == nil || !o.shown {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no break is on offer now, so there is nothing to skip")
	}
	e.day.Skipped++
	e.resetTimer(o.b.Kind)
	e.withdraw(ReasonSkipped)
	return e.flush(), nil
}

// Dismiss is the reminder closed without an answer: a snooze while
// snoozes are left; after that the break simply comes back after the
// snooze time, uncounted.
func (e *Engine) Dismiss() []Event {
	e.events = nil
	o := e.offer
	if o == nil || o.state != offerShown {
		return nil
	}
	if o.b.Snoozes < e.cfg.MaxSnoozes {
		o.b.Snoozes++
		e.day.Snoozed++
	}
	o.state = offerSnoozed
	o.left = e.cfg.SnoozeFor
	return e.flush()
}

// Pause stops reminders for d; a break that falls due meanwhile is offered
// when the pause ends. The timers and the day's figures go on.
func (e *Engine) Pause(d time.Duration) ([]Event, error) {
	e.events = nil
	if d < MinPause || d > MaxPause {
		return nil, backcoach.Invalid("for", "a pause must be from %s to %s, got %s", MinPause, MaxPause, d)
	}
	e.pauseLeft = d
	e.pauseDay = ""
	e.decide()
	return e.flush(), nil
}

// PauseUntilTomorrow stops reminders until the next day begins (the reset
// hour).
func (e *Engine) PauseUntilTomorrow() []Event {
	e.events = nil
	e.pauseLeft = 0
	e.pauseDay = e.day.Date
	e.decide()
	return e.flush()
}

// Resume ends a pause; a break due meanwhile is offered at once.
func (e *Engine) Resume() []Event {
	e.events = nil
	e.pauseLeft = 0
	e.pauseDay = ""
	e.decide()
	return e.flush()
}

// Today returns the day's totals.
func (e *Engine) Today() backcoach.BreakDay { return e.today() }

// Status returns the state of the reminder as of the last reading.
func (e *Engine) Status() Status {
	s := Status{At: e.last, Today: e.today(), Away: e.away(), Quiet: e.r.Quiet, Next: []Next{}}
	for _, k := range e.enabled() {
		s.Next = append(s.Next, Next{Kind: k, DueIn: e.dueIn(k)})
	}
	if e.pauseLeft > 0 {
		t := e.last.Add(e.pauseLeft)
		s.PausedUntil = &t
	} else if e.pauseDay != "" {
		t := e.nextBoundary(e.last)
		s.PausedUntil = &t
	}
	if o := e.offer; o != nil {
		b := o.b
		s.Offered = &b
		s.Shown = o.state == offerShown
	}
	if r := e.running; r != nil {
		b := r.b
		s.InBreak = &b
	}
	return s
}

// dueIn returns the time to the next break of a kind: the snooze left of a
// snoozed offer, zero for one on offer, else the active time left.
func (e *Engine) dueIn(k Kind) time.Duration {
	if o := e.offer; o != nil && o.b.Kind == k {
		if o.state == offerSnoozed {
			return o.left
		}
		return 0
	}
	return max(0, e.cfg.Rule(k).Every-e.acc[k])
}
