package breaks

// decide brings the break on offer up to date with the timers and the last
// reading: a break falls due, a longer one takes a shorter one's place, a
// reminder is shown, held back or withdrawn, the daily limit is said.
func (e *Engine) decide() {
	if e.running != nil {
		return
	}
	e.checkDue()
	e.showOrHold()
	e.checkLimit()
}

// checkDue creates the offer when a timer has run out, and replaces a
// movement offer when the stretch break falls due too.
func (e *Engine) checkDue() {
	k := e.dueKind()
	switch {
	case k == "":
		return
	case e.offer == nil:
		e.offer = &offer{b: e.newBreak(k)}
	case e.offer.b.Kind == Movement && k == Stretch:
		if e.offer.state == offerShown {
			e.emit(Event{Type: EventWithdraw, Break: e.offer.b, Reason: ReasonReplace})
		}
		e.offer = &offer{b: e.newBreak(k)}
	}
}

// dueKind returns the kind of break due now, or "". When the movement break
// falls due and the stretch break would follow within half a movement
// interval, the stretch break comes instead, so that two breaks never come
// close together.
func (e *Engine) dueKind() Kind {
	m, s := e.cfg.Movement, e.cfg.Stretch
	if s.Enabled() && e.acc[Stretch] >= s.Every {
		return Stretch
	}
	if !m.Enabled() || e.acc[Movement] < m.Every {
		return ""
	}
	if s.Enabled() && s.Every-e.acc[Stretch] <= m.Every/2 {
		return Stretch
	}
	return Movement
}

// newBreak returns a break of a kind, not yet numbered.
func (e *Engine) newBreak(k Kind) Break {
	return Break{Kind: k, For: e.cfg.Rule(k).For, CanSnooze: e.cfg.MaxSnoozes > 0}
}

// paused reports whether reminders are paused.
func (e *Engine) paused() bool { return e.pauseLeft > 0 || e.pauseDay != "" }

// away reports whether the person is away: the screen is locked, or the
// idle stretch is as long as a break.
func (e *Engine) away() bool { return e.r.Locked || e.idle.away }

// held reports whether a reminder must wait now, and why it cannot just be
// shown later: quiet mode and a pause withdraw one already on the screen.
func (e *Engine) held() (wait, withdraw bool, reason string) {
	switch {
	case e.paused():
		return true, true, ReasonPaused
	case e.r.Quiet:
		return true, true, ReasonQuiet
	case e.away(), e.r.Idle >= e.cfg.OfferIdle:
		// The person has probably got up: no reminder into an empty
		// room. One on the screen stays; going away is what it asked.
		return true, false, ""
	}
	return false, false, ""
}

// showOrHold shows the reminder of a waiting offer when nothing holds it
// back, and withdraws a shown one when a pause or quiet mode begins.
func (e *Engine) showOrHold() {
	o := e.offer
	if o == nil {
		return
	}
	wait, withdraw, reason := e.held()
	switch {
	case wait && withdraw && o.state == offerShown:
		o.state = offerWaiting
		e.emit(Event{Type: EventWithdraw, Break: o.b, Reason: reason})
	case wait:
	case o.state == offerWaiting:
		e.show(o)
	case o.state == offerShown && o.left == 0:
		// Unanswered for a while: shown again, replacing the first.
		e.show(o)
	}
}

// show puts an offer's reminder on the screen; the first time counts the
// break as due and numbers it.
func (e *Engine) show(o *offer) {
	if !o.shown {
		e.seq[o.b.Kind]++
		o.b.Seq = e.seq[o.b.Kind]
		e.day.Due++
		o.shown = true
	}
	o.b.CanSnooze = o.b.Snoozes < e.cfg.MaxSnoozes
	o.state = offerShown
	o.left = e.cfg.SnoozeFor
	e.emit(Event{Type: EventOffer, Break: o.b})
}

// checkLimit says once a day that the daily limit is reached, when nothing
// holds reminders back.
func (e *Engine) checkLimit() {
	if e.cfg.DailyLimit <= 0 {
		return
	}
	if e.limit == limitNone && e.active >= e.cfg.DailyLimit {
		e.limit = limitWaiting
	}
	if e.limit != limitWaiting {
		return
	}
	if wait, _, _ := e.held(); wait {
		return
	}
	e.limit = limitShown
	e.emit(Event{Type: EventLimit, Day: e.today()})
}
