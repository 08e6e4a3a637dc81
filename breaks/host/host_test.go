package host

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/store"
)

var testCatalog = catalog.MustLoad()

// t0 is a Monday morning, well after the day's reset hour.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// desk is a person at a computer, read by the host through the Sensor
// interface on the test's clock.
type desk struct {
	clock *ManualClock
	mu    sync.Mutex
	input time.Time
	// locked and quiet are the screen's state; fail makes readings fail.
	locked, quiet, fail bool
	reads               int
}

func (d *desk) Sense(context.Context) (breaks.Reading, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reads++
	if d.fail {
		return breaks.Reading{}, errors.New("the display went away")
	}
	return breaks.Reading{Idle: d.clock.Now().Sub(d.input), Locked: d.locked, Quiet: d.quiet}, nil
}

func (d *desk) set(f func(d *desk)) {
	d.mu.Lock()
	f(d)
	d.mu.Unlock()
}

// work keeps typing for dur, a key every 5 seconds.
func (d *desk) work(dur time.Duration) {
	for left := dur; left > 0; left -= 5 * time.Second {
		d.clock.Advance(min(left, 5*time.Second))
		d.set(func(d *desk) { d.input = d.clock.Now() })
	}
}

// env is a host over a real SQLite store on a clock the test moves.
type env struct {
	t      *testing.T
	clock  *ManualClock
	desk   *desk
	st     *store.Store
	person string
	host   *Host
	log    *bytes.Buffer
	// events are the host's events; opened the breaks Open was given,
	// openErr what it answers.
	events  []Event
	opened  []offer.Offer
	openErr error
}

func testConfig() breaks.Config {
	c := breaks.DefaultConfig()
	c.Location = time.UTC
	return c
}

func newEnv(t *testing.T, withOpen bool) *env {
	t.Helper()
	t.Parallel()
	clock := NewManualClock(t0)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := backcoach.Person{Handle: "ann", Role: backcoach.RolePerson}
	if err := st.CreatePerson(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: clock, desk: &desk{clock: clock, input: t0}, st: st, person: p.ID, log: &bytes.Buffer{}}
	e.start(withOpen)
	return e
}

// start makes the host (again).
func (e *env) start(withOpen bool) {
	e.t.Helper()
	offers := coach.New(e.st, testCatalog, e.clock.Now).BreakOffers(e.person, nil)
	cfg := Config{Engine: testConfig(), Clock: e.clock, Sensor: e.desk, Offers: offers, Stats: e.st, Person: e.person,
		Emit: func(ev Event) { e.events = append(e.events, ev) },
		Log:  slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if withOpen {
		cfg.Open = func(o offer.Offer) error {
			e.opened = append(e.opened, o)
			return e.openErr
		}
	}
	h, err := New(context.Background(), cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.host = h
	e.t.Cleanup(func() { h.Close(false) })
}

// types returns the events since the last call, days left out.
func (e *env) types() string {
	var out []string
	for _, ev := range e.events {
		if ev.Type != breaks.EventDay {
			out = append(out, string(ev.Type))
		}
	}
	e.events = nil
	return strings.Join(out, " ")
}

// saved returns the day's saved figures.
func (e *env) saved() backcoach.BreakDay {
	e.t.Helper()
	days, err := e.st.BreakDays(context.Background(), e.person, "2026-03-02", "2026-03-02")
	if err != nil {
		e.t.Fatal(err)
	}
	if len(days) != 1 {
		return backcoach.BreakDay{}
	}
	return days[0]
}

func TestHostOffersAndHandlesAnswers(t *testing.T) {
	e := newEnv(t, false)
	e.desk.work(30*time.Minute + 5*time.Second)
	if got := e.types(); got != "offer" {
		t.Fatalf("after 30 minutes of typing: %q", got)
	}
	st, err := e.host.Snooze()
	if err != nil || st.Offered == nil || st.Shown || st.Next[0].DueIn != 5*time.Minute || st.Offer != nil {
		t.Fatalf("status after snooze: %+v, %v", st, err)
	}
	if d := e.saved(); d.Due != 1 || d.Snoozed != 1 {
		t.Fatalf("a count was not saved at once: %+v", d)
	}
	// Gone for a minute and a half: the snoozed break counts as taken.
	e.clock.Advance(90 * time.Second)
	e.desk.work(5 * time.Second)
	if _, err := e.host.Skip(); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Fatalf("skip with nothing on offer: %v", err)
	}
	if _, err := e.host.Pause(time.Hour); err != nil {
		t.Fatal(err)
	}
	e.desk.work(40 * time.Minute)
	if _, err := e.host.Resume(); err != nil {
		t.Fatal(err)
	}
	st, err = e.host.Start("")
	if err != nil || st.Running == nil || st.InBreak == nil || st.Running.Break.Seq != 2 {
		t.Fatalf("start: %+v, %v", st, err)
	}
	if got := e.types(); got != "withdraw offer withdraw break_started" {
		t.Fatalf("events %q", got)
	}
	e.host.Close(true)
	if _, err := e.host.Status(); !errors.Is(err, ErrClosed) {
		t.Fatalf("status after Close: %v", err)
	}
	d := e.saved()
	if d.Due != 2 || d.Snoozed != 1 || d.Taken != 2 || d.ActiveSeconds < 70*60 {
		t.Fatalf("totals saved at the end: %+v", d)
	}
	if n := e.clock.Waiting(); n != 0 {
		t.Fatalf("%d timers left after Close", n)
	}
}

func TestHostCarriesOnWithTheSavedDay(t *testing.T) {
	e := newEnv(t, false)
	e.desk.work(20 * time.Minute)
	e.clock.Advance(3 * time.Minute) // a natural break
	e.host.Close(true)
	e.start(false)
	st, err := e.host.Status()
	if err != nil || st.Today.Natural != 1 || st.Today.ActiveSeconds < 20*60 {
		t.Fatalf("a new host for the same day: %+v, %v", st.Today, err)
	}
}

func TestHostWakesRarely(t *testing.T) {
	e := newEnv(t, false)
	e.clock.Advance(10 * time.Minute) // nobody there
	// One reading every AwayPoll (30 s) and a few at the start.
	if e.desk.reads > 25 {
		t.Fatalf("%d readings in 10 idle minutes", e.desk.reads)
	}
}

func TestHostPokeAndFailingSensor(t *testing.T) {
	e := newEnv(t, false)
	e.clock.Advance(time.Second)
	before := e.desk.reads
	e.desk.set(func(d *desk) { d.locked = true })
	e.host.Poke()
	e.host.Poke() // pokes that come together make one reading
	e.clock.Advance(0)
	if e.desk.reads != before+1 {
		t.Fatalf("two pokes made %d readings", e.desk.reads-before)
	}
	e.desk.set(func(d *desk) { d.fail = true })
	before = e.desk.reads
	e.clock.Advance(5 * time.Minute)
	if n := e.desk.reads - before; n > 11 {
		t.Fatalf("%d readings in 5 minutes of a failing sensor", n)
	}
	if strings.Count(e.log.String(), "cannot read the idle time") != 1 {
		t.Fatalf("a failing sensor is not warned about once:\n%s", e.log)
	}
}

// TestStartOpensFirst checks that a break is counted as taken only when its
// exercises opened: one that could not be opened stays on offer.
func TestStartOpensFirst(t *testing.T) {
	e := newEnv(t, true)
	e.desk.work(30*time.Minute + 5*time.Second)
	if got := e.types(); got != "offer" {
		t.Fatalf("after 30 minutes: %q", got)
	}
	e.openErr = errors.New("could not open the break: nothing answers")
	st, err := e.host.Start("")
	if err == nil || !strings.Contains(err.Error(), "could not open") {
		t.Fatalf("start that opened nothing: %v", err)
	}
	if st.Today.Taken != 0 || st.Offered == nil || !st.Shown || st.Offer == nil || st.InBreak != nil || e.types() != "" {
		t.Fatalf("after a start that opened nothing: %+v", st)
	}
	if len(e.opened) != 1 || e.opened[0].Break != *st.Offered {
		t.Fatalf("opened %+v, the break on offer is %+v", e.opened, st.Offered)
	}
	e.openErr = nil
	st, err = e.host.Start("")
	if err != nil || st.Today.Taken != 1 || st.InBreak == nil || st.Running == nil {
		t.Fatalf("start that opened: %+v, %v", st, err)
	}
	if got := e.types(); got != "withdraw break_started" {
		t.Fatalf("events %q", got)
	}
	if len(e.opened) != 2 || e.opened[1].Break.Seq != st.InBreak.Seq {
		t.Fatalf("opened %+v", e.opened)
	}
	// A break of the person's own, not on offer, is opened as it will be
	// numbered.
	e.clock.Advance(time.Minute)
	st, err = e.host.Start(breaks.Stretch)
	if err != nil || len(e.opened) != 3 || e.opened[2].Break.Kind != breaks.Stretch || e.opened[2].Break.Seq != st.InBreak.Seq || st.InBreak.Seq != 1 {
		t.Fatalf("a stretch break started: %+v, %v; opened %+v", st.InBreak, err, e.opened[2].Break)
	}
}

// TestVerboseLog runs a scripted day and checks that the debug log says
// what the engine was told and decided, without a line per quiet reading.
func TestVerboseLog(t *testing.T) {
	e := newEnv(t, false)
	e.desk.work(30*time.Minute + 5*time.Second) // due
	if _, err := e.host.Snooze(); err != nil {
		t.Fatal(err)
	}
	e.desk.work(5*time.Minute + 5*time.Second) // due again
	if _, err := e.host.Skip(); err != nil {
		t.Fatal(err)
	}
	e.desk.set(func(d *desk) { d.quiet = true })
	e.desk.work(time.Minute)
	e.desk.set(func(d *desk) { d.quiet = false })
	e.desk.work(10 * time.Minute)
	e.clock.Advance(3 * time.Minute) // a natural break
	e.desk.set(func(d *desk) { d.locked = true })
	e.clock.Advance(2 * time.Hour) // locked: away, read every 30 s
	e.desk.set(func(d *desk) { d.locked = false })
	e.desk.work(time.Minute)
	if _, err := e.host.Start(""); err != nil { // taken
		t.Fatal(err)
	}
	e.clock.Jump(-10 * time.Minute) // the clock is set back
	if _, err := e.host.Status(); err != nil {
		t.Fatal(err)
	}
	e.clock.Jump(time.Hour) // the machine slept: the reading comes late
	e.clock.Advance(0)

	log := e.log.String()
	for _, want := range []string{
		"msg=reading locked=false idle_seconds=0", "msg=reading quiet=false",
		"msg=reading quiet=true", "msg=reading locked=true", "locked=false idle_seconds=",
		"decision=due", "decision=\"reminder shown\"", "decision=snoozed", "decision=skipped", "decision=\"natural break\"",
		"decision=taken", "decision=\"break started\"", "decision=\"reminder withdrawn\" kind=movement seq=1 reason=snoozed",
		"decision=\"clock jump\" by=-10m0s", "decision=\"clock jump\" by=1h", "read_as=\"slept or clock put forward: time away\"",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if n := strings.Count(log, "\n"); n > 40 {
		t.Errorf("%d lines for the day; a reading that changes nothing must not make one:\n%s", n, log)
	}
	if t.Failed() {
		t.Log(log)
	}
}
