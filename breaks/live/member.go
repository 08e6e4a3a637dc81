package live

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/host"
	"github.com/backcoach/backcoach/breaks/offer"
)

// errGone answers a request that reached a reminder as it ended.
var errGone = backcoach.Errorf(backcoach.ECONFLICT, "the break reminder of this account just stopped; reload the page")

// member is one person's reminder: a host.Host, read from what the
// person's pages report, whose events go to the pages' streams.
//
// The host has a lock of its own and calls the member (its Sensor and its
// Emit) under it; the member's fields are guarded by mu, which is never
// held while calling the host.
type member struct {
	hub  *Hub
	id   string
	host *host.Host

	mu        sync.Mutex
	loc       *time.Location
	settings  backcoach.BreakSettings
	cfg       breaks.Config
	lastInput time.Time
	locked    bool
	quiet     bool
	streams   map[*Stream]struct{}
	// drop is the timer of dropping the reminder; its generation tells a
	// stale call from a live one.
	drop    Timer
	dropGen uint64
	gone    bool
	// pauseSeen is the last pause this reminder took on from the store,
	// or saved there (see syncPause).
	pauseSeen backcoach.BreakPause
}

// newMember makes a person's reminder and takes its first reading: the
// page that made it counts as input now. Today's figures carry on.
func newMember(ctx context.Context, h *Hub, person string, s backcoach.BreakSettings, loc *time.Location) (*member, error) {
	cfg := breaks.ConfigFrom(s, loc)
	m := &member{hub: h, id: person, loc: loc, settings: s, cfg: cfg, lastInput: h.clock.Now(), streams: map[*Stream]struct{}{}}
	hst, err := host.New(ctx, host.Config{
		Engine: cfg, Clock: h.clock, Sensor: m, Offers: h.offers(person, cfg),
		Stats: h.cfg.Store, Person: person, Emit: m.emit, Log: h.log.With("person", person),
	})
	if err != nil {
		return nil, err
	}
	m.host = hst
	m.mu.Lock()
	m.armDrop()
	m.mu.Unlock()
	return m, nil
}

// offers is where a person's breaks get their content.
func (h *Hub) offers(person string, cfg breaks.Config) host.Offers {
	return func(ctx context.Context, b breaks.Break, date string) (offer.Offer, error) {
		return h.cfg.Offers(ctx, person, b, max(cfg.Rule(b.Kind).Exercises, 1), date)
	}
}

// Sense is the reading the pages' reports make: the time since the last
// input any of them saw; away while the screen is locked or no page is
// open. The host calls it under its lock.
func (m *member) Sense(context.Context) (breaks.Reading, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	idle := max(0, m.hub.clock.Now().Sub(m.lastInput))
	return breaks.Reading{Idle: idle, Locked: m.locked || len(m.streams) == 0, Quiet: m.quiet}, nil
}

// report applies a page's activity report.
func (m *member) report(a Activity) (Status, error) {
	m.mu.Lock()
	if m.gone {
		m.mu.Unlock()
		return Status{}, errGone
	}
	if input := m.hub.clock.Now().Add(-a.Idle); input.After(m.lastInput) {
		m.lastInput = input
	}
	m.locked, m.quiet = a.Locked, a.Quiet
	m.mu.Unlock()
	return m.act(nil)
}

// act applies an action after a fresh reading (none: a reading only).
func (m *member) act(fn host.Action) (Status, error) {
	st, err := m.host.Do(fn, nil)
	if errors.Is(err, host.ErrClosed) {
		return Status{}, errGone
	}
	return m.status(st), err
}

// start begins a break of kind k (the one on offer when k is "").
func (m *member) start(k breaks.Kind) (Status, error) {
	st, err := m.host.Start(k)
	if errors.Is(err, host.ErrClosed) {
		return Status{}, errGone
	}
	return m.status(st), err
}

// reconfigure starts the reminder again with new settings, keeping the
// day's figures, and tells the pages the new state.
func (m *member) reconfigure(s backcoach.BreakSettings, loc *time.Location) error {
	cfg := breaks.ConfigFrom(s, loc)
	m.mu.Lock()
	if m.gone {
		m.mu.Unlock()
		return nil
	}
	same := sameTiming(s, m.settings)
	m.loc, m.settings, m.cfg = loc, s, cfg
	m.mu.Unlock()
	if same {
		// Only the time zone changed: the timers go on.
		m.host.SetLocation(loc)
		return nil
	}
	err := m.host.Reconfigure(cfg, m.hub.offers(m.id, cfg), func(st host.State) {
		m.broadcast(Message{Event: EventStatus, Data: m.status(st)})
	})
	if errors.Is(err, host.ErrClosed) {
		return nil
	}
	return err
}

// sameTiming reports whether two settings time the breaks alike.
func sameTiming(a, b backcoach.BreakSettings) bool {
	a.UpdatedAt, b.UpdatedAt = nil, nil
	return a == b
}

// status is the reminder's state as the pages see it.
func (m *member) status(st host.State) Status {
	out := Status{Next: []Next{}, Today: st.Today, PausedUntil: st.PausedUntil, Away: st.Away,
		ReportEverySeconds: int(m.hub.cfg.ReportEvery / time.Second), SnoozeMinutes: int(st.Config.SnoozeFor / time.Minute)}
	out.Today.PersonID = m.id
	for _, n := range st.Next {
		out.Next = append(out.Next, Next{Kind: n.Kind, DueInSeconds: int((n.DueIn + time.Second - 1) / time.Second)})
	}
	if st.Offer != nil {
		out.Offer = offerOut(m.hub.cfg.Catalog, *st.Offer, st.Config.SnoozeFor)
	}
	if st.InBreak != nil && st.Running != nil {
		out.Running = startedOut(*st.Running, *st.InBreak)
	}
	return out
}

// emit sends the host's events to the pages; the host calls it under its
// lock.
func (m *member) emit(ev host.Event) {
	b := ev.Break
	switch ev.Type {
	case breaks.EventOffer:
		m.mu.Lock()
		snooze := m.cfg.SnoozeFor
		m.mu.Unlock()
		m.broadcast(Message{Event: EventOffer, Data: offerOut(m.hub.cfg.Catalog, *ev.Offer, snooze)})
	case breaks.EventWithdraw:
		m.broadcast(Message{Event: EventWithdraw, Data: &Withdrawn{Kind: b.Kind, Seq: b.Seq, Reason: ev.Reason}})
	case breaks.EventBreakStarted:
		m.broadcast(Message{Event: EventStarted, Data: startedOut(*ev.Offer, b)})
	case breaks.EventBreakEnded:
		m.broadcast(Message{Event: EventEnded, Data: &Ended{Kind: b.Kind, Seq: b.Seq}})
	case breaks.EventLimit:
		m.broadcast(Message{Event: EventLimit, Data: &Limit{ActiveSeconds: ev.Day.ActiveSeconds, Message: offer.LimitWords(ev.Day.ActiveSeconds)}})
	}
}

// end stops the reminder: its timers, the last save when save is set, and
// its streams.
func (m *member) end(save bool) {
	m.mu.Lock()
	if m.gone {
		m.mu.Unlock()
		return
	}
	m.gone = true
	if m.drop != nil {
		m.drop.Stop()
	}
	streams := m.streams
	m.streams = map[*Stream]struct{}{}
	m.mu.Unlock()
	m.host.Close(save)
	for st := range streams {
		st.end()
	}
}

// armDrop sets the timer that drops the reminder when no page is open;
// mu is held.
func (m *member) armDrop() {
	if len(m.streams) > 0 || m.gone {
		return
	}
	m.cancelDrop()
	gen := m.dropGen
	m.drop = m.hub.clock.AfterFunc(m.hub.cfg.DropAfter, func() { m.hub.dropIfIdle(m, gen) })
}

// cancelDrop stops the drop timer; mu is held.
func (m *member) cancelDrop() {
	if m.drop != nil {
		m.drop.Stop()
	}
	m.dropGen++
}
