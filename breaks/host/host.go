// Package host runs one person's break reminder around a breaks.Engine:
// it is what the desktop daemon and the web app's hub (package live) share.
// A Host owns the engine and the loop that feeds it: it takes a reading
// from its Sensor whenever the engine asks (on an injected Clock) or when
// told something changed, applies the person's answers, turns the engine's
// events into offers whose content it asks of an injected Offers, and keeps
// the day's figures, at an interval and at the end. What a host shows is
// its owner's business: every event goes to Emit, with the break's content.
//
// The host imports no I/O: the clock, the sensor, the content, the store of
// the day's figures and the opening of a started break are all injected.
package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/triage"
)

// Offers works out what a break offers the person on a date (YYYY-MM-DD).
type Offers func(ctx context.Context, b breaks.Break, date string) (offer.Offer, error)

// Sensor reads what the engine needs to know about the person's session:
// idle time, lock and quiet mode. The desktop daemon's sensor asks the
// display server and D-Bus; the web app's answers from the pages' last
// reports. The host fills in the time.
type Sensor interface {
	Sense(ctx context.Context) (breaks.Reading, error)
}

// Action is an answer or a question for the engine, applied under the
// host's lock after a fresh reading.
type Action func(e *breaks.Engine) ([]breaks.Event, error)

// Event is one engine event with the content of the break it concerns.
type Event struct {
	breaks.Event
	// Offer is what the break offers: set on offer, break_started and
	// break_ended events.
	Offer *offer.Offer
}

// State is the reminder's state after a reading or an action.
type State struct {
	breaks.Status
	// Config is the engine's configuration.
	Config breaks.Config
	// Offer is the content of the break whose reminder is on the screen;
	// nil when none is.
	Offer *offer.Offer
	// Running is the content of the break under way; nil when none is.
	Running *offer.Offer
}

// Config is what a Host runs with.
type Config struct {
	// Engine is the engine's configuration; it must be valid.
	Engine breaks.Config
	// Clock is the time the host runs on; the real clock when nil.
	Clock Clock
	// Sensor is read at every step; the host fills in the time.
	Sensor Sensor
	// Offers decides what a break offers. When it fails, the break offers
	// rest: exercise is offered only when it is known that nothing rules
	// it out.
	Offers Offers
	// Open, when set, opens a break the person starts (the web app's
	// page, a terminal). It is called before the engine counts the break:
	// when it fails, nothing is counted, the break stays on offer and
	// Start returns the error.
	Open func(offer.Offer) error
	// Stats keeps the day's figures for Person; nil keeps them nowhere.
	Stats  backcoach.BreakStatsService
	Person string
	// Emit is called with every event, in order, under the host's lock: it
	// must not call back into the host.
	Emit func(Event)
	// OnWait, when set, is called with the wait before each next reading:
	// a daemon may give memory back before a long one.
	OnWait func(time.Duration)
	// Log receives warnings, and at debug level the readings' changes and
	// every decision; nothing when nil.
	Log *slog.Logger
}

// SenseRetry is how long a host waits after a failed reading.
const SenseRetry = 30 * time.Second

// SaveEvery is how often a change of active time alone is saved: each
// save is a line in the audit trail, so a minute's more activity is not
// worth one. Any count, a new day and the end are saved at once.
const SaveEvery = 10 * time.Minute

// storeTimeout bounds each call of Offers and each save.
const storeTimeout = 10 * time.Second

// minWake is the shortest wait between two readings.
const minWake = 100 * time.Millisecond

// ErrClosed answers what reaches a host after Close.
var ErrClosed = backcoach.Errorf(backcoach.ECONFLICT, "the break reminder stopped")

// Host is one person's running reminder. It is safe for concurrent use.
type Host struct {
	cfg   Config
	clock Clock
	log   *slog.Logger
	trace tracer
	poked atomic.Bool

	mu     sync.Mutex
	engine *breaks.Engine
	// shown is what the break on the screen offers, opened what a break
	// about to start offers, running what the break under way offers.
	shown, opened, running *offer.Offer
	// wake is the timer of the next reading; its generation tells a stale
	// call from a live one. failed is set while readings fail.
	wake    Timer
	wakeGen uint64
	failed  bool
	// saved is the day's figures as last saved, at savedAt.
	saved   backcoach.BreakDay
	savedAt time.Time
	closed  bool
}

// New makes the engine, carrying on with the figures saved today, takes
// the first reading and runs until Close.
func New(ctx context.Context, cfg Config) (*Host, error) {
	if cfg.Sensor == nil || cfg.Offers == nil {
		return nil, errors.New("host: Config needs a Sensor and Offers")
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	e, err := breaks.New(cfg.Engine)
	if err != nil {
		return nil, err
	}
	h := &Host{cfg: cfg, clock: cfg.Clock, log: cfg.Log, trace: tracer{log: cfg.Log}, engine: e}
	if cfg.Stats != nil {
		today := e.DayOf(h.clock.Now())
		days, err := cfg.Stats.BreakDays(ctx, cfg.Person, today, today)
		if err != nil {
			return nil, fmt.Errorf("reading today's break figures: %w", err)
		}
		if len(days) == 1 {
			e.Continue(days[0])
			h.saved, h.savedAt = days[0], h.clock.Now()
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.observe()
	h.trace.day = h.engine.Today()
	return h, nil
}

// observe takes a reading, gives it to the engine, carries out what the
// engine asks and schedules the next reading. A failed reading is logged
// and tried again after SenseRetry; meanwhile the engine hears nothing,
// which it treats as time away once the reading is late.
func (h *Host) observe() {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	r, err := h.cfg.Sensor.Sense(ctx)
	cancel()
	if err != nil {
		if !h.failed {
			h.log.Warn("cannot read the idle time", "err", err, "retry_in", SenseRetry)
		}
		h.failed = true
		h.schedule()
		return
	}
	h.failed = false
	r.At = h.clock.Now()
	h.trace.reading(r, h.engine.Jump(r.At))
	h.handle(h.engine.Observe(r))
	h.schedule()
}

// schedule sets the timer of the next reading: at the engine's NextWake,
// or after SenseRetry when readings fail.
func (h *Host) schedule() {
	wait := SenseRetry
	if !h.failed {
		wait = max(minWake, h.engine.NextWake().Sub(h.clock.Now()))
	}
	if h.wake != nil {
		h.wake.Stop()
	}
	h.wakeGen++
	gen := h.wakeGen
	h.wake = h.clock.AfterFunc(wait, func() { h.tick(gen) })
	if h.cfg.OnWait != nil {
		h.cfg.OnWait(wait)
	}
}

// tick is the timer's reading.
func (h *Host) tick(gen uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || gen != h.wakeGen {
		return
	}
	h.observe()
}

// Poke asks for a reading soon: the sensor noticed a change (the screen was
// locked, quiet mode ended, the machine woke up). It never blocks, so a
// signal handler may call it; pokes that come together make one reading.
func (h *Host) Poke() {
	if h.poked.CompareAndSwap(false, true) {
		h.clock.AfterFunc(0, func() {
			h.poked.Store(false)
			_, _ = h.Do(nil, nil)
		})
	}
}

// Do takes a fresh reading, applies action (when not nil) and returns the
// state after it. then, when set, is called with that state still under
// the host's lock, before any later event is emitted: a new listener's
// first message is the state, and nothing is missed after it.
func (h *Host) Do(action Action, then func(State)) (State, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return State{}, ErrClosed
	}
	h.observe()
	var err error
	if action != nil {
		var evs []breaks.Event
		evs, err = action(h.engine)
		h.handle(evs)
		h.schedule()
	}
	st := h.state()
	if then != nil {
		then(st)
	}
	return st, err
}

// Start begins a break of kind k, or the one on offer when k is "". When
// Open is set the break's content is opened first, and a break that could
// not be opened is not started: it stays on offer.
func (h *Host) Start(k breaks.Kind) (State, error) {
	return h.Do(func(e *breaks.Engine) ([]breaks.Event, error) {
		if h.cfg.Open != nil {
			b, err := e.BreakToStart(k)
			if err != nil {
				return nil, err
			}
			o := h.contentOf(b)
			if err := h.cfg.Open(o); err != nil {
				h.log.Debug("decision", "decision", "not started: nothing opened", "kind", b.Kind, "seq", b.Seq, "err", err)
				return nil, err
			}
			h.opened = &o
		}
		return e.Start(k)
	}, nil)
}

// Snooze puts the break on offer off.
func (h *Host) Snooze() (State, error) { return h.Do((*breaks.Engine).Snooze, nil) }

// Skip lets the break on offer go.
func (h *Host) Skip() (State, error) { return h.Do((*breaks.Engine).Skip, nil) }

// Dismiss tells the engine the reminder was closed unanswered.
func (h *Host) Dismiss() (State, error) {
	return h.Do(func(e *breaks.Engine) ([]breaks.Event, error) { return e.Dismiss(), nil }, nil)
}

// Pause stops reminders for d (breaks.MinPause to breaks.MaxPause).
func (h *Host) Pause(d time.Duration) (State, error) {
	return h.Do(func(e *breaks.Engine) ([]breaks.Event, error) { return e.Pause(d) }, nil)
}

// PauseUntilTomorrow stops reminders until the next day begins.
func (h *Host) PauseUntilTomorrow() (State, error) {
	return h.Do(func(e *breaks.Engine) ([]breaks.Event, error) { return e.PauseUntilTomorrow(), nil }, nil)
}

// Resume ends a pause.
func (h *Host) Resume() (State, error) {
	return h.Do(func(e *breaks.Engine) ([]breaks.Event, error) { return e.Resume(), nil }, nil)
}

// Status returns the state after a fresh reading.
func (h *Host) Status() (State, error) { return h.Do(nil, nil) }

// Reconfigure starts the engine again with new timing (its timers from
// zero, a pause or a break on offer forgotten), keeping today's figures;
// offers, when not nil, replaces the content's source. then is called with
// the new state as in Do.
func (h *Host) Reconfigure(cfg breaks.Config, offers Offers, then func(State)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	e, err := breaks.New(cfg)
	if err != nil {
		return err
	}
	e.Continue(h.engine.Today())
	h.engine, h.cfg.Engine = e, cfg
	if offers != nil {
		h.cfg.Offers = offers
	}
	h.shown, h.opened, h.running = nil, nil, nil
	h.observe()
	if then != nil {
		then(h.state())
	}
	return nil
}

// SetLocation makes the days follow another time zone; the timers go on
// and a day already begun is never gone back to.
func (h *Host) SetLocation(loc *time.Location) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if loc == nil || h.closed {
		return
	}
	h.engine.SetLocation(loc)
	h.cfg.Engine.Location = loc
}

// Close stops the host: no reading follows, and when save is set the
// day's figures are saved one last time. Afterwards everything answers
// ErrClosed; a second Close does nothing.
func (h *Host) Close(save bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	if h.wake != nil {
		h.wake.Stop()
	}
	if save {
		h.save(h.engine.Today(), true)
	}
}

// state is the reminder's state as of the last reading.
func (h *Host) state() State {
	st := h.engine.Status()
	s := State{Status: st, Config: h.cfg.Engine}
	if st.Shown {
		s.Offer = h.shown
	}
	if st.InBreak != nil {
		s.Running = h.running
	}
	return s
}

// handle carries out the engine's events and hands them on.
func (h *Host) handle(evs []breaks.Event) {
	for _, ev := range evs {
		out := Event{Event: ev}
		switch ev.Type {
		case breaks.EventOffer:
			o := h.content(ev.Break)
			h.shown, out.Offer = &o, &o
		case breaks.EventWithdraw:
			if ev.Reason != breaks.ReasonStarted {
				h.shown = nil
			}
		case breaks.EventBreakStarted:
			o := h.contentOf(ev.Break)
			h.shown, h.opened, h.running, out.Offer = nil, nil, &o, &o
		case breaks.EventBreakEnded:
			out.Offer, h.running = h.running, nil
		case breaks.EventDay:
			h.save(ev.Day, false)
		}
		h.trace.event(ev)
		if h.cfg.Emit != nil {
			h.cfg.Emit(out)
		}
	}
}

// contentOf returns what a break offers: the content already worked out
// for it (its reminder, or the opening of it), else fresh.
func (h *Host) contentOf(b breaks.Break) offer.Offer {
	for _, o := range []*offer.Offer{h.opened, h.shown} {
		if o != nil && o.Break.Kind == b.Kind && o.Break.Seq == b.Seq {
			return *o
		}
	}
	return h.content(b)
}

// content asks what a break offers today; when that cannot be known, the
// break offers rest.
func (h *Host) content(b breaks.Break) offer.Offer {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	o, err := h.cfg.Offers(ctx, b, h.engine.Today().Date)
	if err == nil {
		return o
	}
	h.log.Warn("working out what the break offers", "err", err)
	return restOffer(b)
}

// restOffer is a break's content when the person's plan cannot be read.
func restOffer(b breaks.Break) offer.Offer {
	return offer.Offer{Break: b, Rest: true, Exercises: []backcoach.PlannedExercise{}, Disclaimer: triage.Disclaimer(),
		Advice: []string{"Stand up, walk a few steps and breathe slowly. Your plan could not be read just now, so no exercise is offered."}}
}

// save keeps the day's figures when they are worth saving: any count at
// once, active time alone every SaveEvery, everything when final.
func (h *Host) save(day backcoach.BreakDay, final bool) {
	if h.cfg.Stats == nil {
		return
	}
	// The saved figures carry the person's id; the engine's do not.
	day.PersonID = h.cfg.Person
	now := h.clock.Now()
	last := h.saved
	last.ActiveSeconds = day.ActiveSeconds
	if h.saved == day || !final && last == day && now.Sub(h.savedAt) < SaveEvery {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := h.cfg.Stats.SaveBreakDay(ctx, h.cfg.Person, &day); err != nil {
		h.log.Warn("saving the day's break figures", "err", err)
		return
	}
	h.saved, h.savedAt = day, now
}
