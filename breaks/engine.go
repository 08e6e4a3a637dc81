package breaks

import (
	"time"

	"github.com/backcoach/backcoach"
)

// inputJitter is how far two readings' idea of the last input may differ
// and still mean the same input: idle sources round, and readings take time.
const inputJitter = 250 * time.Millisecond

// minWake is the shortest wait NextWake asks for, so that a reading that
// lands exactly on a boundary cannot make its owner spin.
const minWake = 100 * time.Millisecond

// Engine is the reminder of one person: it keeps the timers, the break on
// offer, the pause and the day's totals. It is not safe for concurrent use;
// its owner (a Runner, or a server's handler under a lock) serialises calls.
type Engine struct {
	cfg Config

	started bool
	// last is the time of the last reading, r the reading itself; wake is
	// the time NextWake asked for, to tell a late reading (the machine
	// slept) from an early one.
	last time.Time
	r    Reading
	wake time.Time

	idle        idleStretch
	lockedSince time.Time

	acc map[Kind]time.Duration
	seq map[Kind]int

	offer   *offer
	running *running
	// breakEnd is when the last break the person started ended: time
	// before it is not active time.
	breakEnd time.Time

	// pauseLeft is the time left of a pause for a while; pauseDay is the
	// day a pause "until tomorrow" was asked on.
	pauseLeft time.Duration
	pauseDay  string

	day    backcoach.BreakDay
	active time.Duration
	sent   backcoach.BreakDay
	seed   *backcoach.BreakDay
	limit  limitState

	events []Event
}

// idleStretch is the time since the person's last input, as far as the
// readings tell.
type idleStretch struct {
	start time.Time
	// away is set once the stretch is as long as the shortest break: it
	// is then not active time, and the reminder waits for the person.
	away bool
	// provisional is the part of the stretch counted as active while it
	// was still short, taken back if it turns into a break.
	provisional time.Duration
	// reset records the kinds whose timer this stretch has reset, and
	// counted that a break was counted for it, so that each happens once.
	reset   map[Kind]bool
	counted bool
}

// offerState is where a due break stands.
type offerState int

const (
	offerWaiting offerState = iota // due, not on the screen: held, or waiting for the person
	offerShown                     // the reminder is on the screen
	offerSnoozed                   // snoozed; waiting again when left runs out
)

// offer is the break that is due.
type offer struct {
	b     Break
	state offerState
	// left is the snooze left (snoozed), or the time until an unanswered
	// reminder is shown again (shown).
	left time.Duration
	// shown records that the reminder reached the screen: the break was
	// counted as due, and going away now counts as taking it.
	shown bool
}

// running is a break the person started.
type running struct {
	b    Break
	left time.Duration
}

// limitState is where the daily limit stands today.
type limitState int

const (
	limitNone limitState = iota
	limitWaiting
	limitShown
)

// New returns an engine for the configuration, which must be valid.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Engine{
		cfg: cfg,
		acc: map[Kind]time.Duration{},
		seq: map[Kind]int{},
	}, nil
}

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// Continue makes the engine carry on from totals saved earlier, so that a
// restart during the day does not lose them. It takes effect at the first
// reading, and only when d is that reading's day.
func (e *Engine) Continue(d backcoach.BreakDay) {
	e.seed = &d
}

// SetLocation changes the time zone of the days (the machine's zone was
// changed). A day already begun is never gone back to.
func (e *Engine) SetLocation(loc *time.Location) {
	if loc != nil {
		e.cfg.Location = loc
	}
}

// Observe takes a reading and returns what its owner must do. Readings must
// come at the latest at NextWake; they may come earlier at any time (an
// input source noticed something, an action is about to be applied).
func (e *Engine) Observe(r Reading) []Event {
	e.events = nil
	if r.Idle < 0 {
		r.Idle = 0
	}
	e.trackLock(r)
	if !e.started {
		e.begin(r)
	} else {
		e.step(r)
	}
	e.last = r.At
	e.r = r
	e.decide()
	return e.flush()
}

// step advances the engine from the last reading to r, in one of three
// ways: normally, after the clock was set back, or after the machine slept.
func (e *Engine) step(r Reading) {
	switch jump := e.Jump(r.At); {
	case jump < 0:
		e.clockBack(r)
	case jump > 0:
		e.slept(r, jump)
	default:
		e.tick(r.At.Sub(e.last))
		e.account(r)
		e.rollDay(r.At)
	}
}

// Jump says how a reading taken at t would be read: zero for a reading in
// time; the (negative) step back when the clock was set back since the last
// reading; the time since the last reading when t is later than NextWake
// allows (the machine slept, or the clock was put forward), which then
// counts as time away. Its owner may log it before calling Observe.
func (e *Engine) Jump(t time.Time) time.Duration {
	if !e.started {
		return 0
	}
	elapsed := t.Sub(e.last)
	if elapsed < 0 || t.After(e.wake.Add(e.cfg.MaxLate)) {
		return elapsed
	}
	return 0
}

// begin starts the engine at its first reading. An idle stretch that began
// before the engine did counts for nothing: the timers start at zero.
func (e *Engine) begin(r Reading) {
	e.started = true
	e.last = r.At
	e.day = backcoach.BreakDay{Date: e.dayKey(r.At)}
	if e.seed != nil && e.seed.Date == e.day.Date {
		e.day = *e.seed
		e.day.ActiveSeconds = 0
		e.active = time.Duration(e.seed.ActiveSeconds) * time.Second
	}
	e.sent = e.today()
	e.idle = e.settledStretch(e.stretchStart(r), r.At)
}

// settledStretch returns a stretch that starts at start, with everything
// its length up to at would have done marked as done already, so that no
// break is counted for time the engine did not see.
func (e *Engine) settledStretch(start, at time.Time) idleStretch {
	s := idleStretch{start: start, reset: map[Kind]bool{}, counted: true}
	length := at.Sub(start)
	s.away = length >= e.shortest()
	for _, k := range Kinds {
		if length >= e.cfg.Rule(k).For {
			s.reset[k] = true
		}
	}
	return s
}

// trackLock notes when the screen was locked.
func (e *Engine) trackLock(r Reading) {
	switch {
	case !r.Locked:
		e.lockedSince = time.Time{}
	case e.lockedSince.IsZero() || e.lockedSince.After(r.At):
		e.lockedSince = r.At
	}
}

// stretchStart returns the start of the idle stretch a reading shows: the
// last input, or the moment the screen was locked if that came first.
func (e *Engine) stretchStart(r Reading) time.Time {
	s := r.At.Add(-r.Idle)
	if r.Locked && e.lockedSince.Before(s) {
		s = e.lockedSince
	}
	return s
}

// shortest is the length of the shortest enabled break: idle stretches at
// least this long are breaks, shorter ones are active time.
func (e *Engine) shortest() time.Duration {
	var d time.Duration
	for _, k := range e.enabled() {
		if f := e.cfg.Rule(k).For; d == 0 || f < d {
			d = f
		}
	}
	return d
}

// enabled lists the kinds that are on, shortest break first.
func (e *Engine) enabled() []Kind {
	var ks []Kind
	for _, k := range Kinds {
		if e.cfg.Rule(k).Enabled() {
			ks = append(ks, k)
		}
	}
	return ks
}

// tick runs the countdowns by d: a running break, a snooze, an unanswered
// reminder and a pause.
func (e *Engine) tick(d time.Duration) {
	if b := e.running; b != nil {
		if b.left <= d {
			e.running = nil
			e.breakEnd = e.last.Add(b.left)
			e.emit(Event{Type: EventBreakEnded, Break: b.b, At: e.breakEnd})
		}
		b.left -= d
	}
	if o := e.offer; o != nil && o.state != offerWaiting {
		// A shown reminder left unanswered this long is shown again;
		// a snoozed break that has waited long enough waits to be shown.
		o.left = max(0, o.left-d)
		if o.left == 0 && o.state == offerSnoozed {
			o.state = offerWaiting
		}
	}
	if e.pauseLeft > 0 {
		e.pauseLeft = max(0, e.pauseLeft-d)
	}
}

// account counts the active time since the last reading and applies the
// idle stretch the reading shows.
func (e *Engine) account(r Reading) {
	start := e.stretchStart(r)
	switch {
	case start.After(e.idle.start.Add(inputJitter)):
		// New input since the last reading. The time up to it is active,
		// unless the screen was locked then: when the person came back
		// from being away is not known more closely, and counting it
		// errs towards an earlier break.
		if !e.r.Locked {
			e.addSpan(e.last, start)
		}
		e.idle = idleStretch{start: start, reset: map[Kind]bool{}}
	case start.Before(e.idle.start):
		// The lock began before the last input the source reported.
		e.idle.start = start
	}
	from := e.last
	if e.idle.start.After(from) {
		from = e.idle.start
	}
	e.applyStretch(from, r.At)
}

// applyStretch counts the newest part of the idle stretch, from from to
// at, as active while the stretch is short, and applies breaks once it is
// long.
func (e *Engine) applyStretch(from, at time.Time) {
	length := at.Sub(e.idle.start)
	if length < e.shortest() {
		e.idle.provisional += e.addSpan(from, at)
		return
	}
	if !e.idle.away {
		e.takeBack(e.idle.provisional)
		e.idle.provisional = 0
		e.idle.away = true
	}
	e.natural(length)
}

// addSpan counts the time from from to to as active on the timers and the
// day, and returns how much it counted. Time in a break the person started
// is not active time.
func (e *Engine) addSpan(from, to time.Time) time.Duration {
	if e.running != nil {
		return 0
	}
	if e.breakEnd.After(from) {
		from = e.breakEnd
	}
	d := to.Sub(from)
	if d <= 0 {
		return 0
	}
	for _, k := range e.enabled() {
		e.acc[k] += d
	}
	e.active += d
	return d
}

// takeBack removes time counted as active that turned out to be a break.
func (e *Engine) takeBack(d time.Duration) {
	if d <= 0 {
		return
	}
	for k := range e.acc {
		e.acc[k] = max(0, e.acc[k]-d)
	}
	e.active = max(0, e.active-d)
}

// natural applies an idle stretch of the given length: each kind of break
// it is long enough for is reset (a stretch-length one resets both) and one
// break is counted: taken, if a reminder had been shown and the stretch is
// as long as that break; natural otherwise.
func (e *Engine) natural(length time.Duration) {
	if e.running != nil {
		return
	}
	reset := map[Kind]time.Duration{}
	for _, k := range e.enabled() {
		if length >= e.cfg.Rule(k).For && !e.idle.reset[k] {
			reset[k] = e.acc[k]
			e.resetTimer(k)
			e.idle.reset[k] = true
		}
	}
	if o := e.offer; o != nil {
		if length < o.b.For {
			// The person is away, but not yet as long as the break on
			// offer: nothing is counted until they are.
			return
		}
		e.resolveByAbsence(o)
		return
	}
	if e.idle.counted {
		return
	}
	for _, worked := range reset {
		if worked > 0 {
			e.day.Natural++
			e.idle.counted = true
			return
		}
	}
}

// resolveByAbsence ends the offer because the person was away for the
// length of the break: taken if they had been reminded, natural if the
// reminder never reached the screen.
func (e *Engine) resolveByAbsence(o *offer) {
	if o.shown {
		e.day.Taken++
	} else {
		e.day.Natural++
	}
	if o.state == offerShown {
		e.emit(Event{Type: EventWithdraw, Break: o.b, Reason: ReasonTaken})
	}
	e.offer = nil
	e.idle.counted = true
}

// resetTimer zeroes the timer of a kind; a stretch break covers the
// movement break too.
func (e *Engine) resetTimer(k Kind) {
	e.acc[k] = 0
	if k == Stretch {
		e.acc[Movement] = 0
	}
}

// clockBack handles a reading earlier than the last one: the clock was set
// back. No time is counted; the stretch is taken as it is now.
func (e *Engine) clockBack(r Reading) {
	if e.lockedSince.After(r.At) {
		e.lockedSince = r.At
	}
	e.breakEnd = time.Time{}
	e.idle = e.settledStretch(e.stretchStart(r), r.At)
}

// slept handles a reading that came much later than asked: the machine
// slept, or the clock was put forward. The time in between is idle, never
// active: it may count as a break, and can never bring several.
func (e *Engine) slept(r Reading, gap time.Duration) {
	e.tick(gap)
	e.rollDay(r.At)
	if e.last.Before(e.idle.start) {
		e.idle.start = e.last
	}
	e.applyStretch(r.At, r.At)
	if start := e.stretchStart(r); start.After(e.last) {
		// Input after waking: a new stretch, whose few seconds count
		// for nothing.
		e.idle = e.settledStretch(start, r.At)
		e.idle.counted = false
	}
}

// emit records an event for the owner.
func (e *Engine) emit(ev Event) {
	if ev.At.IsZero() {
		ev.At = e.last
	}
	e.events = append(e.events, ev)
}

// flush returns the events of a step, with the day's totals when they
// changed.
func (e *Engine) flush() []Event {
	if d := e.today(); d != e.sent {
		e.sent = d
		e.emit(Event{Type: EventDay, Day: d})
	}
	e.plan()
	ev := e.events
	e.events = nil
	return ev
}

// today returns the day's totals, within the domain's limits.
func (e *Engine) today() backcoach.BreakDay {
	d := e.day
	d.ActiveSeconds = min(int(e.active/time.Second), backcoach.MaxActiveSeconds)
	for _, n := range []*int{&d.Due, &d.Taken, &d.Natural, &d.Snoozed, &d.Skipped} {
		*n = min(*n, backcoach.MaxBreakCount)
	}
	return d
}
