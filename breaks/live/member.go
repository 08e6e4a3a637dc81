package live

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/triage"
)

// storeTimeout bounds each read or write of the store the reminder does on
// its own (saving figures, working out an offer).
const storeTimeout = 10 * time.Second

// minWake is the shortest wait between two readings.
const minWake = 100 * time.Millisecond

// errGone answers a request that reached a reminder as it ended.
var errGone = backcoach.Errorf(backcoach.ECONFLICT, "the break reminder of this account just stopped; reload the page")

// member is one person's reminder. Everything in it is guarded by mu; the
// engine is only ever called under it.
type member struct {
	hub *Hub
	id  string
	loc *time.Location

	mu        sync.Mutex
	settings  backcoach.BreakSettings
	cfg       breaks.Config
	engine    *breaks.Engine
	lastInput time.Time
	locked    bool
	quiet     bool
	streams   map[*Stream]struct{}
	// shown is what the break on the screen offers; running what the
	// break under way offers.
	shown   *offer.Offer
	running *offer.Offer
	// wake and drop are the timers of the next reading and of dropping
	// the reminder; their generations tell a stale call from a live one.
	wake    Timer
	wakeGen uint64
	drop    Timer
	dropGen uint64
	// saved is the day's figures as last saved, at savedAt.
	saved   backcoach.BreakDay
	savedAt time.Time
	gone    bool
}

// configure makes the engine for the settings, carrying on with the day's
// figures: carry, or those saved today when carry is nil.
func (m *member) configure(ctx context.Context, s backcoach.BreakSettings, carry *backcoach.BreakDay) error {
	cfg := breaks.ConfigFrom(s, m.loc)
	e, err := breaks.New(cfg)
	if err != nil {
		return err
	}
	if carry == nil {
		today := e.DayOf(m.hub.clock.Now())
		days, err := m.hub.cfg.Store.BreakDays(ctx, m.id, today, today)
		if err != nil {
			return fmt.Errorf("reading today's break figures: %w", err)
		}
		if len(days) == 1 {
			carry = &days[0]
			m.saved, m.savedAt = days[0], m.hub.clock.Now()
		}
	}
	if carry != nil {
		e.Continue(*carry)
	}
	m.settings, m.cfg, m.engine = s, cfg, e
	m.shown, m.running = nil, nil
	return nil
}

// start takes the first reading: the page that made the reminder counts
// as input now.
func (m *member) start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastInput = m.hub.clock.Now()
	m.observe()
	m.armDrop()
}

// observe gives the engine a reading of now and carries out what it asks.
func (m *member) observe() {
	now := m.hub.clock.Now()
	r := breaks.Reading{At: now, Idle: max(0, now.Sub(m.lastInput)), Locked: m.locked || len(m.streams) == 0, Quiet: m.quiet}
	m.handle(m.engine.Observe(r))
	m.schedule(now)
}

// schedule sets the timer of the next reading.
func (m *member) schedule(now time.Time) {
	if m.wake != nil {
		m.wake.Stop()
	}
	m.wakeGen++
	gen := m.wakeGen
	m.wake = m.hub.clock.AfterFunc(max(minWake, m.engine.NextWake().Sub(now)), func() { m.tick(gen) })
}

// tick is the timer's reading.
func (m *member) tick(gen uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone || gen != m.wakeGen {
		return
	}
	m.observe()
}

// report applies a page's activity report.
func (m *member) report(a Activity) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return Status{}, errGone
	}
	now := m.hub.clock.Now()
	if input := now.Add(-a.Idle); input.After(m.lastInput) {
		m.lastInput = input
	}
	m.locked, m.quiet = a.Locked, a.Quiet
	m.observe()
	return m.status(), nil
}

// act applies an action after a fresh reading.
func (m *member) act(fn func(e *breaks.Engine) ([]breaks.Event, error)) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return Status{}, errGone
	}
	m.observe()
	evs, err := fn(m.engine)
	m.handle(evs)
	m.schedule(m.hub.clock.Now())
	return m.status(), err
}

// reconfigure starts the reminder again with new settings, keeping the
// day's figures, and tells the pages the new state.
func (m *member) reconfigure(ctx context.Context, s backcoach.BreakSettings, loc *time.Location) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return nil
	}
	m.loc = loc
	if sameTiming(s, m.settings) {
		// Only the time zone changed: the timers go on.
		m.engine.SetLocation(loc)
		m.cfg.Location = loc
		return nil
	}
	today := m.engine.Today()
	if err := m.configure(ctx, s, &today); err != nil {
		return err
	}
	m.observe()
	m.broadcast(Message{Event: EventStatus, Data: m.status()})
	return nil
}

// sameTiming reports whether two settings time the breaks alike.
func sameTiming(a, b backcoach.BreakSettings) bool {
	a.UpdatedAt, b.UpdatedAt = nil, nil
	return a == b
}

// status is the reminder's state as the pages see it.
func (m *member) status() Status {
	st := m.engine.Status()
	out := Status{Next: []Next{}, Today: st.Today, PausedUntil: st.PausedUntil, Away: st.Away,
		ReportEverySeconds: int(m.hub.cfg.ReportEvery / time.Second), SnoozeMinutes: int(m.cfg.SnoozeFor / time.Minute)}
	out.Today.PersonID = m.id
	for _, n := range st.Next {
		out.Next = append(out.Next, Next{Kind: n.Kind, DueInSeconds: int((n.DueIn + time.Second - 1) / time.Second)})
	}
	if st.Shown && m.shown != nil {
		out.Offer = offerOut(m.hub.cfg.Catalog, *m.shown, m.cfg.SnoozeFor)
	}
	if st.InBreak != nil && m.running != nil {
		out.Running = startedOut(*m.running, *st.InBreak)
	}
	return out
}

// handle carries out the engine's events.
func (m *member) handle(evs []breaks.Event) {
	for _, ev := range evs {
		switch ev.Type {
		case breaks.EventOffer:
			o := m.content(ev.Break)
			m.shown = &o
			m.broadcast(Message{Event: EventOffer, Data: offerOut(m.hub.cfg.Catalog, o, m.cfg.SnoozeFor)})
		case breaks.EventWithdraw:
			m.withdrawn(ev)
		case breaks.EventBreakStarted:
			m.started(ev.Break)
		case breaks.EventBreakEnded:
			m.running = nil
			m.broadcast(Message{Event: EventEnded, Data: &Ended{Kind: ev.Break.Kind, Seq: ev.Break.Seq}})
		case breaks.EventLimit:
			m.broadcast(Message{Event: EventLimit, Data: &Limit{ActiveSeconds: ev.Day.ActiveSeconds, Message: limitWords(ev.Day.ActiveSeconds)}})
		case breaks.EventDay:
			m.save(ev.Day, false)
		}
	}
}

// withdrawn takes a reminder off the pages. A break started from it keeps
// its content for the started message that follows.
func (m *member) withdrawn(ev breaks.Event) {
	if ev.Reason != breaks.ReasonStarted {
		m.shown = nil
	}
	m.broadcast(Message{Event: EventWithdraw, Data: &Withdrawn{Kind: ev.Break.Kind, Seq: ev.Break.Seq, Reason: ev.Reason}})
}

// started tells the pages a break began, with its page to open.
func (m *member) started(b breaks.Break) {
	o := m.shown
	if o == nil || o.Break.Kind != b.Kind || o.Break.Seq != b.Seq {
		c := m.content(b)
		o = &c
	}
	m.shown, m.running = nil, o
	m.broadcast(Message{Event: EventStarted, Data: startedOut(*o, b)})
}

// content works out what a break offers. When the person's data cannot be
// read, the break offers rest: exercise is offered only when it is known
// that no warning sign rules it out.
func (m *member) content(b breaks.Break) offer.Offer {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	o, err := m.hub.offerFor(ctx, m, b)
	if err == nil {
		return o
	}
	m.hub.log.Warn("break offer", "err", err)
	return offer.Offer{Break: b, Rest: true, Exercises: []backcoach.PlannedExercise{}, Disclaimer: triage.Disclaimer(),
		Advice: []string{"Stand up, walk a few steps and breathe slowly. Your plan could not be read just now, so no exercise is offered."}}
}

// limitWords says the daily limit is reached.
func limitWords(active int) string {
	return fmt.Sprintf("You have been at the computer for %s today, your daily limit. Time to stop if you can.", backcoach.DurationWords(active))
}

// save keeps the day's figures when they are worth saving: any count at
// once, active time alone every activeSaveEvery, everything when final.
func (m *member) save(day backcoach.BreakDay, final bool) {
	day.PersonID = m.id
	now := m.hub.clock.Now()
	last := m.saved
	last.ActiveSeconds = day.ActiveSeconds
	if m.saved == day || !final && last == day && now.Sub(m.savedAt) < activeSaveEvery {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := m.hub.cfg.Store.SaveBreakDay(ctx, m.id, &day); err != nil {
		m.hub.log.Warn("saving the day's break figures", "err", err)
		return
	}
	m.saved, m.savedAt = day, now
}

// end stops the reminder: timers, streams, and the last save.
func (m *member) end(save bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return
	}
	m.gone = true
	if m.wake != nil {
		m.wake.Stop()
	}
	if m.drop != nil {
		m.drop.Stop()
	}
	if save {
		m.save(m.engine.Today(), true)
	}
	for st := range m.streams {
		st.end()
	}
	m.streams = map[*Stream]struct{}{}
}

// armDrop sets the timer that drops the reminder when no page is open.
func (m *member) armDrop() {
	if len(m.streams) > 0 || m.gone {
		return
	}
	m.cancelDrop()
	gen := m.dropGen
	m.drop = m.hub.clock.AfterFunc(m.hub.cfg.DropAfter, func() { m.hub.dropIfIdle(m, gen) })
}

// cancelDrop stops the drop timer.
func (m *member) cancelDrop() {
	if m.drop != nil {
		m.drop.Stop()
	}
	m.dropGen++
}
