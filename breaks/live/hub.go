// Package live runs the break reminder for people who have the web app
// open: the same engine as the desktop daemon (breaks.Engine), one per
// person, made when their page first reports activity or listens for
// events, fed by the page's activity reports, woken by a clock at the
// engine's NextWake, and dropped once no page of theirs has been open for
// a while. What the engine asks for goes to every event stream the person
// has open, and the day's figures go to the store. The page itself holds
// no rule: it reports what it sees and shows what it is sent.
package live

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/host"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/catalog"
)

// Store is what the hub reads and keeps: the person's time zone and break
// settings, what a break offers (their assessments and check-ins), and the
// day's figures. The store package implements it.
type Store interface {
	Profile(ctx context.Context, actor string) (*backcoach.Profile, error)
	backcoach.AssessmentService
	backcoach.DiaryService
	backcoach.BreakStatsService
	backcoach.BreakSettingsService
}

// Defaults of a Config.
const (
	// DefaultDropAfter is how long a person's reminder is kept after their
	// last page closed: a reload or a short trip elsewhere keeps the
	// timers.
	DefaultDropAfter = 10 * time.Minute
	// DefaultKeepAlive is how often an event stream with nothing to say
	// sends a comment, so that proxies keep the connection open.
	DefaultKeepAlive = 25 * time.Second
	// DefaultReportEvery is how often a page reports activity while it is
	// in use; the hub tells the page in its status.
	DefaultReportEvery = 30 * time.Second
)

// streamBuffer is how many messages a stream holds for a slow reader;
// one that falls further behind is ended, and its page reconnects.
const streamBuffer = 32

// Config is what a Hub runs with.
type Config struct {
	Store   Store
	Catalog *catalog.Catalog
	// Offers decides what a break offers a person (the coach's
	// BreakOffer): n exercises, for the person's date.
	Offers func(ctx context.Context, person string, b breaks.Break, n int, date string) (offer.Offer, error)
	// Clock is the time the hub runs on; the real clock when nil.
	Clock Clock
	// Log receives the hub's warnings; slog.Default when nil.
	Log *slog.Logger
	// DropAfter, KeepAlive and ReportEvery default to the constants above.
	DropAfter   time.Duration
	KeepAlive   time.Duration
	ReportEvery time.Duration
}

// Hub keeps the reminders of everyone who has the web app open. It is safe
// for concurrent use.
type Hub struct {
	cfg    Config
	clock  Clock
	log    *slog.Logger
	mu     sync.Mutex
	people map[string]*member
	closed bool
}

// New returns a hub.
func New(cfg Config) (*Hub, error) {
	if cfg.Store == nil || cfg.Catalog == nil || cfg.Offers == nil {
		return nil, errors.New("live: Config needs a Store, a Catalog and Offers")
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.DropAfter <= 0 {
		cfg.DropAfter = DefaultDropAfter
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.ReportEvery <= 0 {
		cfg.ReportEvery = DefaultReportEvery
	}
	return &Hub{cfg: cfg, clock: cfg.Clock, log: cfg.Log, people: map[string]*member{}}, nil
}

// errClosed answers what comes after Close.
var errClosed = backcoach.Errorf(backcoach.ECONFLICT, "the server is shutting down; the page reconnects when it is back")

// ErrOff is the answer for a person whose reminders are off.
var ErrOff = backcoach.Errorf(backcoach.ECONFLICT, "break reminders are off for this account: turn them on in Settings, under Break reminders")

// Activity is what a page reports about the person: how long ago it last
// saw input, and what it knows of the screen.
type Activity struct {
	// Idle is the time since the last input the page saw (keys, pointer,
	// touch or scrolling on the page, or, where the browser offers idle
	// detection and the person allowed it, anywhere on the computer).
	Idle time.Duration
	// Visible is whether the page is on the screen. A hidden page sees no
	// input of its own, so its Idle grows unless idle detection reports
	// the whole computer's.
	Visible bool
	// Locked is whether the screen is locked, as idle detection tells.
	Locked bool
	// Quiet is set while the page runs something a reminder must not
	// interrupt, such as a guided session: a break due meanwhile waits.
	Quiet bool
}

// MaxIdle bounds a reported idle time.
const MaxIdle = 24 * time.Hour

// Report takes a page's activity report; the person's reminder is made
// when there is none yet. It answers with the reminder's state.
func (h *Hub) Report(ctx context.Context, person string, a Activity) (Status, error) {
	if a.Idle < 0 || a.Idle > MaxIdle {
		return Status{}, backcoach.Invalid("idle_seconds", "must be from 0 to %d seconds, got %d", int(MaxIdle/time.Second), int(a.Idle/time.Second))
	}
	m, err := h.member(ctx, person)
	if err != nil {
		return Status{}, err
	}
	return m.report(a)
}

// Status returns the state of the person's reminder.
func (h *Hub) Status(ctx context.Context, person string) (Status, error) {
	m, err := h.member(ctx, person)
	if err != nil {
		return Status{}, err
	}
	return m.act(nil)
}

// Start begins a break of kind k (the one on offer when k is "").
func (h *Hub) Start(ctx context.Context, person string, k breaks.Kind) (Status, error) {
	m, err := h.member(ctx, person)
	if err != nil {
		return Status{}, err
	}
	return m.start(k)
}

// Snooze puts the break on offer off.
func (h *Hub) Snooze(ctx context.Context, person string) (Status, error) {
	return h.act(ctx, person, (*breaks.Engine).Snooze)
}

// Skip lets the break on offer go.
func (h *Hub) Skip(ctx context.Context, person string) (Status, error) {
	return h.act(ctx, person, (*breaks.Engine).Skip)
}

// Pause stops reminders for d (breaks.MinPause to breaks.MaxPause), on
// every server sharing the store.
func (h *Hub) Pause(ctx context.Context, person string, d time.Duration) (Status, error) {
	return h.pause(ctx, person, pauseFor(d))
}

// PauseUntilTomorrow stops reminders until the next day begins.
func (h *Hub) PauseUntilTomorrow(ctx context.Context, person string) (Status, error) {
	return h.pause(ctx, person, pauseUntilTomorrow)
}

// Resume ends a pause.
func (h *Hub) Resume(ctx context.Context, person string) (Status, error) {
	return h.pause(ctx, person, resume)
}

// act applies an action to the person's reminder after a fresh reading.
func (h *Hub) act(ctx context.Context, person string, fn host.Action) (Status, error) {
	m, err := h.member(ctx, person)
	if err != nil {
		return Status{}, err
	}
	return m.act(fn)
}

// Subscribe opens an event stream for the person: its first message is the
// reminder's state, then every event follows. Close it when the page goes.
func (h *Hub) Subscribe(ctx context.Context, person string) (*Stream, error) {
	m, err := h.member(ctx, person)
	if err != nil {
		return nil, err
	}
	return m.subscribe()
}

// Reload applies the person's settings and time zone after they changed:
// a reminder running for them starts again with the new timing (its
// timers from zero, a pause or a break on offer forgotten), keeping
// today's figures, or ends, closing its streams, when the reminders were
// turned off.
func (h *Hub) Reload(ctx context.Context, person string) error {
	h.mu.Lock()
	m := h.people[person]
	h.mu.Unlock()
	if m == nil {
		return nil
	}
	s, err := h.cfg.Store.BreakSettings(ctx, person)
	if err != nil {
		return err
	}
	if !s.Enabled {
		h.drop(m, true)
		return nil
	}
	prof, err := h.cfg.Store.Profile(ctx, person)
	if err != nil {
		return err
	}
	return m.reconfigure(*s, prof.Location())
}

// Forget drops the person's reminder without saving anything: their
// account is gone.
func (h *Hub) Forget(person string) {
	h.mu.Lock()
	m := h.people[person]
	h.mu.Unlock()
	if m != nil {
		h.drop(m, false)
	}
}

// Close ends every reminder: the day's figures are saved and every stream
// is told to end, so that a server shutting down does not wait for them.
// Afterwards the hub refuses everything.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	all := make([]*member, 0, len(h.people))
	for _, m := range h.people {
		all = append(all, m)
	}
	h.mu.Unlock()
	for _, m := range all {
		h.drop(m, true)
	}
}

// People returns how many people's reminders are running.
func (h *Hub) People() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.people)
}

// findMember returns the person's reminder, making it when there is none.
// The store is read outside the hub's lock; when two requests make one at
// once, the first to finish wins.
func (h *Hub) findMember(ctx context.Context, person string) (*member, error) {
	h.mu.Lock()
	m, closed := h.people[person], h.closed
	h.mu.Unlock()
	if closed {
		return nil, errClosed
	}
	if m != nil {
		return m, nil
	}
	made, err := h.newMember(ctx, person)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	m, closed = h.people[person], h.closed
	if m == nil && !closed {
		h.people[person] = made
	}
	h.mu.Unlock()
	switch {
	case closed:
		made.end(false)
		return nil, errClosed
	case m != nil:
		made.end(false)
		return m, nil
	}
	return made, nil
}

// newMember reads the person's settings and time zone and makes their
// reminder.
func (h *Hub) newMember(ctx context.Context, person string) (*member, error) {
	s, err := h.cfg.Store.BreakSettings(ctx, person)
	if err != nil {
		return nil, err
	}
	if !s.Enabled {
		return nil, ErrOff
	}
	prof, err := h.cfg.Store.Profile(ctx, person)
	if err != nil {
		return nil, err
	}
	return newMember(ctx, h, person, *s, prof.Location())
}

// drop ends a person's reminder: its timers stop, its streams end, and,
// when save is set, the day's figures are saved one last time.
func (h *Hub) drop(m *member, save bool) {
	h.mu.Lock()
	if h.people[m.id] == m {
		delete(h.people, m.id)
	}
	h.mu.Unlock()
	m.end(save)
}

// dropIfIdle drops a reminder whose pages all closed; called by its
// timer after DropAfter.
func (h *Hub) dropIfIdle(m *member, gen uint64) {
	m.mu.Lock()
	idle := !m.gone && len(m.streams) == 0 && m.dropGen == gen
	m.mu.Unlock()
	if idle {
		h.drop(m, true)
	}
}
