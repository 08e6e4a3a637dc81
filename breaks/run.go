package breaks

import (
	"context"
	"log/slog"
	"time"
)

// Sensor reads what the engine needs to know about the person's session:
// idle time, lock and quiet mode. The desktop daemon's sensor asks the
// display server and D-Bus; a web server's would answer from the browser's
// last heartbeat. The Runner fills in the time.
type Sensor interface {
	Sense(ctx context.Context) (Reading, error)
}

// SenseRetry is how long a Runner waits after a failed reading.
const SenseRetry = 30 * time.Second

// Runner drives one Engine: it takes a reading whenever the engine asks
// (or when Poke says something changed), applies actions one at a time,
// and hands every event to a callback. A server runs one per person.
type Runner struct {
	engine *Engine
	sensor Sensor
	now    func() time.Time
	emit   func(Event)
	log    *slog.Logger

	poke chan struct{}
	reqs chan request

	// OnWait, when set, is called on the runner's goroutine before each
	// wait with its length: a daemon may give memory back before a long
	// one.
	OnWait func(time.Duration)
}

// request is an action or a question for the engine, run on the Runner's
// goroutine.
type request struct {
	fn    func(e *Engine) ([]Event, error)
	reply chan error
}

// NewRunner returns a runner. now is the clock (time.Now in production;
// its monotonic reading is dropped so that a machine that slept shows as
// time passed). emit is called on the runner's goroutine for every event,
// and must not call back into the runner.
func NewRunner(e *Engine, s Sensor, now func() time.Time, emit func(Event), log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{
		engine: e,
		sensor: s,
		now:    func() time.Time { return now().Round(0) },
		emit:   emit,
		log:    log,
		poke:   make(chan struct{}, 1),
		reqs:   make(chan request),
	}
}

// Run drives the engine until ctx ends, then hands out the day's totals one
// last time (to be saved) and returns.
func (r *Runner) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			r.emit(Event{Type: EventDay, At: r.now(), Day: r.engine.Today()})
			return nil
		case <-timer.C:
			r.observe(ctx)
		case <-r.poke:
			r.observe(ctx)
		case q := <-r.reqs:
			r.observe(ctx)
			evs, err := q.fn(r.engine)
			r.dispatch(evs)
			q.reply <- err
		}
		wait := r.wait()
		if r.OnWait != nil {
			r.OnWait(wait)
		}
		timer.Reset(wait)
	}
}

// wait returns the time until the engine's next wake.
func (r *Runner) wait() time.Duration {
	return max(minWake, r.engine.NextWake().Sub(r.now()))
}

// observe takes a reading and hands it to the engine. A failed reading is
// logged and retried later; meanwhile the engine hears nothing, which it
// treats as time away once the reading is late.
func (r *Runner) observe(ctx context.Context) {
	reading, err := r.sensor.Sense(ctx)
	if err != nil {
		r.log.Warn("cannot read the idle time", "err", err, "retry_in", SenseRetry)
		r.engine.wake = r.now().Add(SenseRetry)
		return
	}
	reading.At = r.now()
	r.dispatch(r.engine.Observe(reading))
}

// dispatch hands events to the callback.
func (r *Runner) dispatch(evs []Event) {
	for _, ev := range evs {
		r.emit(ev)
	}
}

// Poke asks for a reading now: the sensor noticed a change (the screen was
// locked, quiet mode ended, the machine woke up).
func (r *Runner) Poke() {
	select {
	case r.poke <- struct{}{}:
	default:
	}
}

// do runs fn on the runner's goroutine after a fresh reading.
func (r *Runner) do(ctx context.Context, fn func(e *Engine) ([]Event, error)) error {
	q := request{fn: fn, reply: make(chan error, 1)}
	select {
	case r.reqs <- q:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-q.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start begins a break (see Engine.Start).
func (r *Runner) Start(ctx context.Context, k Kind) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.Start(k) })
}

// Snooze puts the break on offer off (see Engine.Snooze).
func (r *Runner) Snooze(ctx context.Context) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.Snooze() })
}

// Skip lets the break on offer go (see Engine.Skip).
func (r *Runner) Skip(ctx context.Context) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.Skip() })
}

// Dismiss tells the engine the reminder was closed unanswered.
func (r *Runner) Dismiss(ctx context.Context) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.Dismiss(), nil })
}

// Pause stops reminders for d.
func (r *Runner) Pause(ctx context.Context, d time.Duration) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.Pause(d) })
}

// PauseUntilTomorrow stops reminders until the next day begins.
func (r *Runner) PauseUntilTomorrow(ctx context.Context) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.PauseUntilTomorrow(), nil })
}

// Resume ends a pause.
func (r *Runner) Resume(ctx context.Context) error {
	return r.do(ctx, func(e *Engine) ([]Event, error) { return e.Resume(), nil })
}

// Status returns the engine's state after a fresh reading.
func (r *Runner) Status(ctx context.Context) (Status, error) {
	var s Status
	err := r.do(ctx, func(e *Engine) ([]Event, error) {
		s = e.Status()
		return nil, nil
	})
	return s, err
}
