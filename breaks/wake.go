package breaks

import "time"

// NextWake returns when the engine next needs a reading: the first moment
// at which something could change if nothing else happens. While the person
// is active that is when their idle stretch could become a break or a timer
// could run out; while they are away, the next look for their return. The
// owner must not read faster than this for the engine's sake: between now
// and then, nothing can change.
func (e *Engine) NextWake() time.Time { return e.wake }

// plan works out NextWake after a step or an action.
func (e *Engine) plan() {
	now := e.last
	w := wakeSet{now: now}
	w.add(e.nextBoundary(now))
	if e.pauseLeft > 0 {
		w.in(e.pauseLeft)
	}
	if r := e.running; r != nil {
		w.in(r.left)
	}
	if e.away() {
		e.wakeAway(&w)
	} else {
		e.wakeActive(&w)
	}
	e.wake = w.first()
}

// wakeAway adds the moments that matter while the person is away: each
// break length their absence could still reach, and the next look for
// their return.
func (e *Engine) wakeAway(w *wakeSet) {
	w.in(e.cfg.AwayPoll)
	for _, k := range e.enabled() {
		if !e.idle.reset[k] {
			w.add(e.idle.start.Add(e.cfg.Rule(k).For))
		}
	}
	if o := e.offer; o != nil {
		w.add(e.idle.start.Add(o.b.For))
	}
}

// wakeActive adds the moments that matter while the person is at the
// computer.
func (e *Engine) wakeActive(w *wakeSet) {
	w.add(e.idle.start.Add(e.shortest()))
	if e.running == nil {
		for _, k := range e.enabled() {
			if left := e.cfg.Rule(k).Every - e.acc[k]; left > 0 {
				w.in(left)
			}
		}
	}
	if e.cfg.DailyLimit > 0 && e.limit == limitNone {
		w.in(e.cfg.DailyLimit - e.active)
	}
	if e.limit == limitWaiting {
		w.in(e.cfg.QuietPoll)
	}
	if o := e.offer; o != nil {
		e.wakeOffer(w, o)
	}
}

// wakeOffer adds the moments that matter for a break on offer.
func (e *Engine) wakeOffer(w *wakeSet, o *offer) {
	w.add(e.idle.start.Add(o.b.For))
	switch {
	case o.state != offerWaiting:
		w.in(o.left)
	case e.paused():
		// The pause's end is already in the set.
	case e.r.Quiet:
		w.in(e.cfg.QuietPoll)
	default:
		// Waiting for the person to come back to the keyboard.
		w.in(min(e.cfg.AwayPoll, e.cfg.OfferIdle))
	}
}

// wakeSet collects candidate moments and keeps the first.
type wakeSet struct {
	now  time.Time
	best time.Time
}

// add considers a moment.
func (w *wakeSet) add(t time.Time) {
	if w.best.IsZero() || t.Before(w.best) {
		w.best = t
	}
}

// in considers the moment d from now.
func (w *wakeSet) in(d time.Duration) { w.add(w.now.Add(d)) }

// first returns the first moment, never sooner than minWake from now.
func (w *wakeSet) first() time.Time {
	if earliest := w.now.Add(minWake); w.best.Before(earliest) {
		return earliest
	}
	return w.best
}
