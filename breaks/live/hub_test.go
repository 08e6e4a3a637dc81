package live

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests name time zones

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/store"
)

var testCatalog = catalog.MustLoad()

// start is a Monday morning in London, well after the day's reset hour.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// env is a hub over a real SQLite store, on a clock the test moves.
type env struct {
	t     *testing.T
	clock *ManualClock
	st    *store.Store
	hub   *Hub
	ctx   context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := NewManualClock(start)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hub, err := New(Config{Store: st, Catalog: testCatalog, Offers: coach.New(st, testCatalog, clock.Now).BreakOffer, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hub.Close)
	return &env{t: t, clock: clock, st: st, hub: hub, ctx: context.Background()}
}

// person stores an account in London with the break settings, changed by
// change, and returns its id.
func (e *env) person(handle string, change func(s *backcoach.BreakSettings)) string {
	e.t.Helper()
	p := backcoach.Person{Handle: handle, Role: backcoach.RolePerson}
	if err := e.st.CreatePerson(e.ctx, &p); err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.SaveProfile(e.ctx, p.ID, &backcoach.Profile{TimeZone: "Europe/London"}); err != nil {
		e.t.Fatal(err)
	}
	s := backcoach.DefaultBreakSettings()
	s.Enabled = true
	if change != nil {
		change(&s)
	}
	if err := e.st.SaveBreakSettings(e.ctx, p.ID, &s); err != nil {
		e.t.Fatal(err)
	}
	return p.ID
}

func (e *env) subscribe(person string) *Stream {
	e.t.Helper()
	st, err := e.hub.Subscribe(e.ctx, person)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(st.Close)
	return st
}

// work is the person at the keyboard for d, the page reporting every 30
// seconds.
func (e *env) work(person string, d time.Duration) {
	e.t.Helper()
	for left := d; left > 0; left -= 30 * time.Second {
		e.clock.Advance(min(left, 30*time.Second))
		if _, err := e.hub.Report(e.ctx, person, Activity{Visible: true}); err != nil {
			e.t.Fatal(err)
		}
	}
}

// events returns the names of the messages waiting on the stream.
func events(st *Stream) []Message {
	var out []Message
	for {
		select {
		case m := <-st.C:
			out = append(out, m)
		default:
			return out
		}
	}
}

func names(ms []Message) string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Event)
	}
	return strings.Join(s, " ")
}

// day returns the saved figures of the day of start.
func (e *env) day(person string) backcoach.BreakDay {
	e.t.Helper()
	days, err := e.st.BreakDays(e.ctx, person, "2026-03-02", "2026-03-02")
	if err != nil {
		e.t.Fatal(err)
	}
	if len(days) != 1 {
		return backcoach.BreakDay{}
	}
	return days[0]
}

func TestOfferSnoozeStartAndFigures(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", nil)
	st := e.subscribe(ann)
	first := events(st)
	if names(first) != "status" {
		t.Fatalf("a new stream heard %q, want the status first", names(first))
	}
	status := first[0].Data.(Status)
	if len(status.Next) != 2 || status.Next[0].DueInSeconds != 30*60 || status.ReportEverySeconds != 30 || status.Offer != nil {
		t.Fatalf("first status = %+v", status)
	}

	e.work(ann, 29*time.Minute+30*time.Second)
	if got := names(events(st)); got != "" {
		t.Fatalf("before 30 minutes of work: %q", got)
	}
	e.work(ann, 30*time.Second)
	got := events(st)
	if names(got) != "offer" {
		t.Fatalf("after 30 minutes of work: %q, want an offer", names(got))
	}
	o := got[0].Data.(*Offer)
	if o.Kind != breaks.Movement || o.Seq != 1 || o.Seconds != 60 || o.Rest || len(o.Exercises) != 1 || !o.CanSnooze ||
		o.URL != "/break?kind=movement&seq=1" || o.Exercises[0].Dose == "" || o.SnoozeMinutes != 5 {
		t.Fatalf("offer = %+v", o)
	}
	if d := e.day(ann); d.Due != 1 {
		t.Errorf("a break fell due but the saved day is %+v", d)
	}

	s, err := e.hub.Snooze(e.ctx, ann)
	if err != nil || s.Offer != nil || s.Next[0].DueInSeconds != 5*60 {
		t.Fatalf("snooze: %+v, %v", s, err)
	}
	if got := events(st); names(got) != "withdraw" || got[0].Data.(*Withdrawn).Reason != breaks.ReasonSnoozed {
		t.Fatalf("after snoozing: %q", names(got))
	}
	e.work(ann, 5*time.Minute)
	if got := names(events(st)); got != "offer" {
		t.Fatalf("after the snooze: %q, want the offer again", got)
	}
	if _, err := e.hub.Start(e.ctx, ann, ""); err != nil {
		t.Fatal(err)
	}
	got = events(st)
	if names(got) != "withdraw started" {
		t.Fatalf("after Start: %q", names(got))
	}
	started := got[1].Data.(*Started)
	if started.URL != "/break?kind=movement&seq=1" || started.Seconds != 60 {
		t.Fatalf("started = %+v", started)
	}
	e.clock.Advance(time.Minute)
	if got := names(events(st)); got != "ended" {
		t.Fatalf("a minute after Start: %q, want ended", got)
	}
	want := backcoach.BreakDay{PersonID: ann, Date: "2026-03-02", Due: 1, Taken: 1, Snoozed: 1}
	if d := e.day(ann); d.Due != want.Due || d.Taken != want.Taken || d.Snoozed != want.Snoozed || d.ActiveSeconds < 34*60 {
		t.Errorf("saved day %+v, want %+v with 34 minutes or more of active time", d, want)
	}
	// A save is an audit line: one per change of a count and one per
	// 10 minutes of active time, not one per report.
	trail, err := e.st.AuditTrail(e.ctx, ann, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	saves := 0
	for _, line := range trail {
		if line.Kind == backcoach.KindBreakDay {
			saves++
		}
	}
	if saves < 3 || saves > 3+4 {
		t.Errorf("the day was saved %d times for 3 counted changes in 35 minutes", saves)
	}
}

func TestQuietHoldsABreak(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", func(s *backcoach.BreakSettings) { s.MovementEveryMinutes = 10 })
	st := e.subscribe(ann)
	events(st)
	for i := 0; i < 24; i++ { // 12 minutes of a guided session
		e.clock.Advance(30 * time.Second)
		if _, err := e.hub.Report(e.ctx, ann, Activity{Visible: true, Quiet: true}); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(events(st)); got != "" {
		t.Fatalf("during a guided session: %q", got)
	}
	if _, err := e.hub.Report(e.ctx, ann, Activity{Visible: true}); err != nil {
		t.Fatal(err)
	}
	if got := names(events(st)); got != "offer" {
		t.Fatalf("when the session ended: %q, want the break that waited", got)
	}
}

func TestWarningSignOffersRest(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", func(s *backcoach.BreakSettings) { s.MovementEveryMinutes = 10 })
	entry := backcoach.DiaryEntry{Pain: 4, FlagsAsked: true, Flags: []string{"fever"}}
	if _, err := coach.New(e.st, testCatalog, e.clock.Now).CheckIn(e.ctx, ann, &entry, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	st := e.subscribe(ann)
	events(st)
	e.work(ann, 10*time.Minute)
	got := events(st)
	if names(got) != "offer" {
		t.Fatalf("after 10 minutes: %q", names(got))
	}
	o := got[0].Data.(*Offer)
	if !o.Rest || len(o.Exercises) != 0 || len(o.Advice) == 0 || !strings.Contains(o.Summary, "rest") || o.Disclaimer == "" {
		t.Fatalf("a day with a warning sign offered %+v", o)
	}
}

func TestEachPersonHearsOnlyTheirOwn(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", func(s *backcoach.BreakSettings) { s.MovementEveryMinutes = 10 })
	bob := e.person("bob", nil)
	annStream, bobStream := e.subscribe(ann), e.subscribe(bob)
	events(annStream)
	events(bobStream)
	e.work(ann, 10*time.Minute)
	if got := names(events(annStream)); got != "offer" {
		t.Fatalf("ann heard %q", got)
	}
	if got := names(events(bobStream)); got != "" {
		t.Fatalf("bob heard %q of ann's reminder", got)
	}
	if _, err := e.hub.Skip(e.ctx, bob); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Errorf("bob skipping with nothing on offer: %v", err)
	}
	if got := names(events(annStream)); got != "" {
		t.Errorf("bob's skip reached ann: %q", got)
	}
	if e.hub.People() != 2 {
		t.Errorf("%d reminders running, want 2", e.hub.People())
	}
}

func TestRemindersOffAndSettingsChanges(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", func(s *backcoach.BreakSettings) { s.Enabled = false })
	if _, err := e.hub.Subscribe(e.ctx, ann); err != ErrOff {
		t.Fatalf("subscribing with reminders off: %v", err)
	}
	if _, err := e.hub.Report(e.ctx, ann, Activity{}); err != ErrOff {
		t.Fatalf("reporting with reminders off: %v", err)
	}
	s, _ := e.st.BreakSettings(e.ctx, ann)
	s.Enabled = true
	if err := e.st.SaveBreakSettings(e.ctx, ann, s); err != nil {
		t.Fatal(err)
	}
	st := e.subscribe(ann)
	events(st)
	e.work(ann, 20*time.Minute)
	s.MovementEveryMinutes = 15
	if err := e.st.SaveBreakSettings(e.ctx, ann, s); err != nil {
		t.Fatal(err)
	}
	if err := e.hub.Reload(e.ctx, ann); err != nil {
		t.Fatal(err)
	}
	if got := names(events(st)); got != "status" {
		t.Fatalf("after the change: %q, want the new status", got)
	}
	// The timers start again with the new interval; the day goes on.
	e.work(ann, 15*time.Minute-30*time.Second)
	if got := names(events(st)); got != "" {
		t.Fatalf("before 15 minutes with the new interval: %q", got)
	}
	e.work(ann, 30*time.Second)
	if got := names(events(st)); got != "offer" {
		t.Fatalf("after 15 minutes with the new interval: %q", got)
	}
	s.Enabled = false
	if err := e.st.SaveBreakSettings(e.ctx, ann, s); err != nil {
		t.Fatal(err)
	}
	if err := e.hub.Reload(e.ctx, ann); err != nil {
		t.Fatal(err)
	}
	select {
	case <-st.Done:
	default:
		t.Fatal("turning reminders off left the stream open")
	}
	if e.hub.People() != 0 {
		t.Errorf("%d reminders after turning off", e.hub.People())
	}
	if d := e.day(ann); d.ActiveSeconds < 35*60 || d.Due != 1 {
		t.Errorf("the figures were not saved when the reminder stopped: %+v", d)
	}
}

func TestDroppedWhenNoPageIsOpen(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", nil)
	st := e.subscribe(ann)
	e.work(ann, 12*time.Minute)
	st.Close()
	e.clock.Advance(DefaultDropAfter - time.Second)
	if e.hub.People() != 1 {
		t.Fatalf("dropped before DropAfter")
	}
	again := e.subscribe(ann) // a reload keeps the reminder
	e.clock.Advance(2 * DefaultDropAfter)
	if e.hub.People() != 1 {
		t.Fatalf("dropped with a page open")
	}
	again.Close()
	e.clock.Advance(DefaultDropAfter)
	if e.hub.People() != 0 {
		t.Fatalf("still running %s after the last page closed", DefaultDropAfter)
	}
	d := e.day(ann)
	if d.ActiveSeconds < 12*60 || d.Natural != 1 {
		t.Errorf("figures saved at the drop: %+v; want 12 minutes or more active and the time away as a natural break", d)
	}
	// A page opened later carries on with the day.
	e.subscribe(ann)
	s, err := e.hub.Status(e.ctx, ann)
	if err != nil || s.Today.ActiveSeconds != d.ActiveSeconds || s.Today.Natural != 1 {
		t.Errorf("status after coming back: %+v, %v; want the saved day %+v", s.Today, err, d)
	}
}

func TestCloseEndsStreamsAndKeepAlive(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", nil)
	st := e.subscribe(ann)
	e.clock.Advance(DefaultKeepAlive)
	select {
	case <-st.KeepAlive:
	default:
		t.Fatal("no keep-alive tick after the interval")
	}
	e.work(ann, 3*time.Minute)
	e.hub.Close()
	select {
	case <-st.Done:
	default:
		t.Fatal("Close left the stream open")
	}
	if _, err := e.hub.Subscribe(e.ctx, ann); backcoach.ErrorCode(err) != backcoach.ECONFLICT {
		t.Errorf("subscribing after Close: %v", err)
	}
	if d := e.day(ann); d.ActiveSeconds < 3*60 {
		t.Errorf("Close did not save the figures: %+v", d)
	}
	if n := e.clock.Waiting(); n != 0 {
		t.Errorf("%d timers left after Close", n)
	}
}

func TestActivityIsChecked(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", nil)
	_, err := e.hub.Report(e.ctx, ann, Activity{Idle: MaxIdle + time.Second})
	if be, ok := err.(*backcoach.Error); !ok || be.Field != "idle_seconds" {
		t.Fatalf("an idle time over a day: %v", err)
	}
	if _, err := e.hub.Pause(e.ctx, ann, 30*time.Second); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("a pause of 30 s: %v", err)
	}
	s, err := e.hub.PauseUntilTomorrow(e.ctx, ann)
	if err != nil || s.PausedUntil == nil || !s.PausedUntil.Equal(time.Date(2026, 3, 3, 4, 0, 0, 0, time.UTC)) {
		t.Fatalf("paused until tomorrow: %+v, %v", s.PausedUntil, err)
	}
	if s, err := e.hub.Resume(e.ctx, ann); err != nil || s.PausedUntil != nil {
		t.Fatalf("resumed: %+v, %v", s, err)
	}
	if _, err := e.hub.Report(e.ctx, newID(t), Activity{}); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Errorf("a report for nobody: %v", err)
	}
}

// newID returns an id no account has.
func newID(t *testing.T) string {
	t.Helper()
	return strings.Repeat("a", backcoach.IDLength)
}

func TestAnotherTimeZoneKeepsTheTimers(t *testing.T) {
	e := newEnv(t)
	ann := e.person("ann", nil)
	st := e.subscribe(ann)
	events(st)
	e.work(ann, 20*time.Minute)
	if err := e.st.SaveProfile(e.ctx, ann, &backcoach.Profile{TimeZone: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if err := e.hub.Reload(e.ctx, ann); err != nil {
		t.Fatal(err)
	}
	s, err := e.hub.Status(e.ctx, ann)
	if err != nil || s.Next[0].DueInSeconds != 10*60 {
		t.Fatalf("after a change of time zone: %+v, %v; want the movement break still 10 minutes away", s.Next, err)
	}
}
