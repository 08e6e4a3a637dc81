package breaks

import (
	"sort"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

func TestMovementBreakAfterActiveTime(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(29*time.Minute + 59*time.Second)
	s.expect()
	s.dueIn(Movement, time.Second)
	s.work(time.Second)
	s.expect("offer movement")
	s.day(1, 0, 0, 0, 0)
	s.active(30 * time.Minute)
	if ev := s.e.Status().Offered; ev == nil || ev.Seq != 1 || !ev.CanSnooze || ev.For != time.Minute {
		t.Fatalf("offered break = %+v, want the first movement break of 1m, snoozable", ev)
	}
}

func TestIdleTimeDoesNotCount(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(20 * time.Minute)
	s.away(3 * time.Minute) // a movement break taken naturally
	s.expect()
	s.day(0, 0, 1, 0, 0)
	s.active(20 * time.Minute)
	s.dueIn(Movement, 30*time.Minute)
	s.dueIn(Stretch, 70*time.Minute)
	s.work(29 * time.Minute)
	s.expect()
	s.work(time.Minute)
	s.expect("offer movement")
}

func TestShortIdleCountsAsActive(t *testing.T) {
	// Reading or thinking for less than a break is still sitting.
	s := newSim(t, testConfig())
	s.work(10 * time.Minute)
	s.away(59 * time.Second)
	s.active(10*time.Minute + 59*time.Second)
	s.day(0, 0, 0, 0, 0)
	s.dueIn(Movement, 30*time.Minute-(10*time.Minute+59*time.Second))
}

func TestIdleAsLongAsABreakIsTakenBack(t *testing.T) {
	// The first minute of an idle stretch is counted while it is short,
	// and taken back once it is a break.
	s := newSim(t, testConfig())
	s.work(10 * time.Minute)
	s.away(time.Minute)
	s.active(10 * time.Minute)
	s.day(0, 0, 1, 0, 0)
	s.dueIn(Stretch, 80*time.Minute)
}

func TestStretchLengthIdleResetsBoth(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(25 * time.Minute)
	s.away(4 * time.Minute)
	s.dueIn(Movement, 30*time.Minute)
	s.dueIn(Stretch, 65*time.Minute)
	s.work(25 * time.Minute)
	s.away(5 * time.Minute)
	s.dueIn(Movement, 30*time.Minute)
	s.dueIn(Stretch, 90*time.Minute)
	// One break counted per idle stretch.
	s.day(0, 0, 2, 0, 0)
}

func TestStretchBreakReplacesMovementBreak(t *testing.T) {
	s := newSim(t, testConfig())
	for i := 0; i < 2; i++ {
		s.work(30 * time.Minute)
		s.expect("offer movement")
		s.must(s.do("skip", s.e.Skip))
		s.expect("withdraw movement skipped")
	}
	s.work(30 * time.Minute)
	// Both are due at 90 minutes: only the stretch break comes.
	s.expect("offer stretch")
	s.must(s.do("start", func() ([]Event, error) { return s.e.Start("") }))
	s.expect("withdraw stretch started", "break_started stretch")
	s.dueIn(Movement, 30*time.Minute)
	s.dueIn(Stretch, 90*time.Minute)
	s.day(3, 1, 0, 0, 2)
}

func TestStretchComesEarlyRatherThanTwoBreaksClose(t *testing.T) {
	c := testConfig()
	c.Stretch.Every = 70 * time.Minute
	s := newSim(t, c)
	s.work(30 * time.Minute)
	s.expect("offer movement")
	s.must(s.do("skip", s.e.Skip))
	s.take()
	s.work(30 * time.Minute)
	// The stretch break is 10 minutes away: it comes now instead.
	s.expect("offer stretch")
}

func TestMovementOfferUpgradedWhenStretchFallsDue(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	s.expect("offer movement")
	// Ignored: shown again every 5 minutes, until the stretch break is
	// near enough (15 minutes) to take its place.
	s.work(45 * time.Minute)
	want := []string{}
	for i := 0; i < 8; i++ {
		want = append(want, "offer movement")
	}
	s.expect(append(want, "withdraw movement replace", "offer stretch")...)
	s.day(2, 0, 0, 0, 0)
}

func TestStartedBreakRunsAndIsNotActiveTime(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	s.expect("offer movement")
	s.must(s.do("start", func() ([]Event, error) { return s.e.Start("") }))
	s.expect("withdraw movement started", "break_started movement")
	s.work(30 * time.Second) // following the exercise on the screen
	s.expect()
	s.work(31 * time.Second)
	s.expect("break_ended movement")
	s.active(30*time.Minute + time.Second)
	s.day(1, 1, 0, 0, 0)
	if err := s.do("start", func() ([]Event, error) { return s.e.Start(Stretch) }); err != nil {
		t.Fatalf("a break on the person's own initiative: %v", err)
	}
	if _, err := s.e.Start(""); backcoach.ErrorCode(err) != backcoach.ECONFLICT {
		t.Fatalf("starting during a break: got %v, want a conflict", err)
	}
}

func TestGoingAwayAfterTheReminderCountsAsTaken(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	s.expect("offer movement")
	s.away(time.Minute)
	s.expect("withdraw movement taken")
	s.day(1, 1, 0, 0, 0)
	s.dueIn(Movement, 30*time.Minute)
}

func TestNoReminderForSomeoneAlreadyGone(t *testing.T) {
	c := testConfig()
	s := newSim(t, c)
	s.work(29*time.Minute + 45*time.Second)
	// The person gets up 15 s before the break is due.
	s.idle(45 * time.Second)
	s.expect()
	s.idle(15 * time.Second)
	s.expect()
	s.day(0, 0, 1, 0, 0)

	// Someone who only paused to read gets the reminder when they touch
	// the keyboard again.
	s.work(29*time.Minute + 45*time.Second)
	s.idle(30 * time.Second)
	s.expect()
	s.work(10 * time.Second)
	s.expect("offer movement")
	if s.readings > 200 {
		t.Fatalf("%d readings in an hour", s.readings)
	}
}

func TestSnoozeAtMostThreeTimes(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	s.expect("offer movement")
	for i := 1; i <= 3; i++ {
		s.must(s.do("snooze", s.e.Snooze))
		s.expect("withdraw movement snoozed")
		s.dueIn(Movement, 5*time.Minute)
		s.work(5*time.Minute - time.Second)
		s.expect()
		s.work(time.Second)
		s.expect("offer movement")
		b := s.e.Status().Offered
		if b.Snoozes != i || b.CanSnooze != (i < 3) {
			t.Fatalf("after %d snoozes: %+v", i, b)
		}
	}
	err := s.do("snooze", s.e.Snooze)
	if backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("a fourth snooze: got %v, want it refused", err)
	}
	s.day(1, 0, 0, 3, 0)
}

func TestSkipIsCountedAndRestartsTheTimer(t *testing.T) {
	s := newSim(t, testConfig())
	if err := s.do("skip", s.e.Skip); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Fatalf("skip with nothing on offer: got %v", err)
	}
	s.work(30 * time.Minute)
	s.take()
	s.must(s.do("skip", s.e.Skip))
	s.expect("withdraw movement skipped")
	s.day(1, 0, 0, 0, 1)
	s.dueIn(Movement, 30*time.Minute)
	s.work(30 * time.Minute)
	s.expect("offer movement")
	if b := s.e.Status().Offered; b.Seq != 2 {
		t.Fatalf("second break numbered %d", b.Seq)
	}
}

func TestUnansweredReminderComesBack(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	s.expect("offer movement")
	s.work(5 * time.Minute)
	s.expect("offer movement")
	s.day(1, 0, 0, 0, 0)
}

func TestDismissedReminderIsASnooze(t *testing.T) {
	c := testConfig()
	c.MaxSnoozes = 1
	s := newSim(t, c)
	s.work(30 * time.Minute)
	s.take()
	s.read()
	s.events = append(s.events, s.e.Dismiss()...)
	s.day(1, 0, 0, 1, 0)
	s.work(5 * time.Minute)
	s.expect("offer movement")
	s.read()
	s.events = append(s.events, s.e.Dismiss()...)
	s.work(5 * time.Minute)
	s.expect("offer movement")
	s.day(1, 0, 0, 1, 0)
}

func TestLockedScreenIsIdle(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(20 * time.Minute)
	// Locked (the daemon reads at once when told); the person touches the
	// lock screen, which some desktops report as input.
	s.locked = true
	s.read()
	s.work(2 * time.Minute)
	s.locked = false
	s.read()
	s.work(time.Second)
	s.active(20*time.Minute + time.Second)
	s.day(0, 0, 1, 0, 0)
	s.dueIn(Movement, 30*time.Minute-time.Second)
}

func TestQuietModeHoldsTheBreakUntilItEnds(t *testing.T) {
	s := newSim(t, testConfig())
	s.quiet = true
	s.work(45 * time.Minute)
	s.expect()
	s.day(0, 0, 0, 0, 0)
	s.quiet = false
	s.work(20 * time.Second)
	s.expect("offer movement")
	s.day(1, 0, 0, 0, 0)
	// A reminder on the screen goes when a full-screen window comes, and
	// comes back after it.
	s.quiet = true
	s.work(time.Minute)
	s.expect("withdraw movement quiet")
	s.quiet = false
	s.work(20 * time.Second)
	s.expect("offer movement")
	s.day(1, 0, 0, 0, 0)
}

func TestLongMeetingBringsOneBreak(t *testing.T) {
	s := newSim(t, testConfig())
	s.quiet = true
	s.work(3 * time.Hour)
	s.quiet = false
	s.work(time.Minute)
	s.expect("offer stretch")
}

func TestPauseForAnHour(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	s.expect("offer movement")
	s.must(s.do("pause", func() ([]Event, error) { return s.e.Pause(time.Hour) }))
	s.expect("withdraw movement paused")
	if p := s.e.Status().PausedUntil; p == nil || !p.Equal(s.now.Add(time.Hour)) {
		t.Fatalf("paused until %v, want %v", p, s.now.Add(time.Hour))
	}
	s.work(59 * time.Minute)
	s.expect()
	s.work(time.Minute)
	s.expect("offer stretch")
	if _, err := s.e.Pause(time.Second); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("a pause of 1s: got %v", err)
	}
}

func TestPauseUntilTomorrowAndResume(t *testing.T) {
	s := newSim(t, testConfig())
	s.read()
	s.events = append(s.events, s.e.PauseUntilTomorrow()...)
	want := time.Date(2026, 3, 3, 4, 0, 0, 0, time.UTC)
	if p := s.e.Status().PausedUntil; p == nil || !p.Equal(want) {
		t.Fatalf("paused until %v, want %v", p, want)
	}
	s.work(40 * time.Minute)
	s.expect()
	s.events = append(s.events, s.e.Resume()...)
	s.expect("offer movement")
	if s.e.Status().PausedUntil != nil {
		t.Fatal("still paused after resume")
	}

	// A pause until tomorrow ends at the reset hour.
	s.must(s.do("skip", s.e.Skip))
	s.events = append(s.events, s.e.PauseUntilTomorrow()...)
	s.take()
	s.now = time.Date(2026, 3, 3, 3, 50, 0, 0, time.UTC)
	s.input = s.now
	s.read()
	s.work(30 * time.Minute)
	s.expect("offer movement")
}

func TestDayStartsAtTheResetHour(t *testing.T) {
	c := testConfig()
	s := newSim(t, c)
	s.now = time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC)
	s.input = s.now
	s.read()
	if d := s.e.Today().Date; d != "2026-03-02" {
		t.Fatalf("03:00 belongs to %s, want the day before", d)
	}
	s.events = nil
	s.work(61 * time.Minute)
	var days []string
	for _, ev := range s.events {
		if ev.Type == EventDay {
			days = append(days, ev.Day.Date)
		}
	}
	if len(days) < 2 || days[0] != "2026-03-02" || days[len(days)-1] != "2026-03-03" || !sort.StringsAreSorted(days) {
		t.Fatalf("day events across 04:00: %v", days)
	}
	s.active(time.Minute)
}

func TestSleepNeverBringsABurst(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(25 * time.Minute)
	s.sleep(3 * time.Hour)
	s.input = s.now
	s.work(time.Minute)
	s.expect()
	s.dueIn(Movement, 29*time.Minute)
	s.dueIn(Stretch, 89*time.Minute)
	s.active(26 * time.Minute)
	s.day(0, 0, 1, 0, 0)

	// Breaks due but held back (a meeting) when the lid was shut are
	// gone when it opens: the person was away.
	s.quiet = true
	s.work(100 * time.Minute)
	s.sleep(8 * time.Hour)
	s.quiet = false
	s.input = s.now
	s.work(time.Minute)
	s.expect()
	s.day(0, 0, 2, 0, 0)
}

func TestSleepIsNotActive(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(20 * time.Minute)
	s.sleep(2 * time.Minute)
	s.input = s.now
	s.work(time.Second)
	s.active(20*time.Minute + time.Second)
	s.day(0, 0, 1, 0, 0)
}

func TestClockSetBack(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(20 * time.Minute)
	s.now = s.now.Add(-2 * time.Hour)
	s.input = s.now
	s.read()
	s.expect()
	s.dueIn(Movement, 10*time.Minute)
	s.work(10 * time.Minute)
	s.expect("offer movement")
	if d := s.e.Today(); d.Date != "2026-03-02" || d.ActiveSeconds != 30*60 {
		t.Fatalf("after the clock went back: %+v", d)
	}
	// Back past the start of the day: the day is not reopened.
	s.now = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	s.input = s.now
	s.read()
	if d := s.e.Today().Date; d != "2026-03-02" {
		t.Fatalf("a closed day was reopened: %s", d)
	}
	for _, n := range s.e.Status().Next {
		if n.DueIn < 0 {
			t.Fatalf("negative timer: %+v", n)
		}
	}
}

func TestClockPutForwardIsAnAbsence(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(80 * time.Minute)
	s.take()
	s.now = s.now.Add(4 * time.Hour)
	s.input = s.now
	s.read()
	s.work(time.Second)
	// The stretch break on offer counts as taken: the person was away.
	s.expect("withdraw stretch taken")
	s.dueIn(Stretch, 90*time.Minute-time.Second)
}

func TestTimeZoneChange(t *testing.T) {
	s := newSim(t, testConfig())
	s.now = time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)
	s.input = s.now
	s.read()
	s.work(10 * time.Minute)
	before := s.e.Today()
	// Flying west: local time goes back 8 hours, to the same day.
	s.e.SetLocation(time.FixedZone("UTC-8", -8*3600))
	s.work(10 * time.Minute)
	if d := s.e.Today(); d.Date != before.Date || d.ActiveSeconds != before.ActiveSeconds+600 {
		t.Fatalf("after moving west: %+v, before %+v", d, before)
	}
	s.expect()
	// Flying east: local time is 08:20 the next day: a new day.
	s.e.SetLocation(time.FixedZone("UTC+9", 9*3600))
	s.work(time.Second)
	s.read()
	if d := s.e.Today(); d.Date != "2026-03-03" {
		t.Fatalf("after moving east: %+v", d)
	}
	s.dueIn(Movement, 30*time.Minute-20*time.Minute-time.Second)
}

func TestDailyLimit(t *testing.T) {
	c := testConfig()
	c.DailyLimit = 2 * time.Hour
	c.Movement.Every = 0
	c.Stretch.Every = 3 * time.Hour
	s := newSim(t, c)
	s.work(2*time.Hour - time.Second)
	s.expect()
	s.work(time.Second)
	s.expect("limit")
	s.work(30 * time.Minute)
	s.expect()
}

func TestContinueFromSavedTotals(t *testing.T) {
	e, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	e.Continue(backcoach.BreakDay{Date: "2026-03-02", Due: 4, Taken: 2, Natural: 1, Skipped: 1, ActiveSeconds: 3600})
	ev := e.Observe(Reading{At: t0})
	if len(ev) != 0 {
		t.Fatalf("first reading: %+v", ev)
	}
	d := e.Today()
	if d.Due != 4 || d.Taken != 2 || d.ActiveSeconds != 3600 {
		t.Fatalf("continued totals: %+v", d)
	}
	e2, _ := New(testConfig())
	e2.Continue(backcoach.BreakDay{Date: "2026-03-01", Due: 4})
	e2.Observe(Reading{At: t0})
	if d := e2.Today(); d.Due != 0 || d.Date != "2026-03-02" {
		t.Fatalf("yesterday's totals carried on: %+v", d)
	}
}

func TestStartAtStartupIdleCountsNothing(t *testing.T) {
	e, _ := New(testConfig())
	e.Observe(Reading{At: t0, Idle: time.Hour})
	ev := e.Observe(Reading{At: t0.Add(time.Second)})
	for _, x := range ev {
		if x.Type == EventDay && (x.Day.Natural != 0 || x.Day.ActiveSeconds != 1) {
			t.Fatalf("time before the start counted: %+v", x.Day)
		}
	}
}

func TestWakesOnlyWhenNeeded(t *testing.T) {
	s := newSim(t, testConfig())
	s.readings = 0
	s.work(25 * time.Minute)
	if s.readings > 26 {
		t.Fatalf("%d readings in 25 active minutes; one a minute is enough", s.readings)
	}
	s.readings = 0
	s.idle(10 * time.Minute)
	if s.readings > 22 {
		t.Fatalf("%d readings in 10 idle minutes", s.readings)
	}
}

func TestDisabledKind(t *testing.T) {
	c := testConfig()
	c.Movement.Every = 0
	s := newSim(t, c)
	s.work(89 * time.Minute)
	s.expect()
	s.work(time.Minute)
	s.expect("offer stretch")
	if n := s.e.Status().Next; len(n) != 1 || n[0].Kind != Stretch {
		t.Fatalf("next: %+v", n)
	}
	if _, err := s.e.Start(Movement); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("starting a disabled kind: %v", err)
	}
}

func TestDayEventsCarryTheTotals(t *testing.T) {
	s := newSim(t, testConfig())
	s.work(30 * time.Minute)
	var last backcoach.BreakDay
	for _, ev := range s.events {
		if ev.Type == EventDay {
			last = ev.Day
		}
	}
	if last.Due != 1 || last.ActiveSeconds != 1800 || last.Date != "2026-03-02" {
		t.Fatalf("last day event: %+v", last)
	}
	if err := last.Validate(); err != nil {
		t.Fatalf("day totals do not validate: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"defaults", func(*Config) {}, ""},
		{"both off", func(c *Config) { c.Movement.Every, c.Stretch.Every = 0, 0 }, "breaks"},
		{"every too short", func(c *Config) { c.Movement.Every = time.Second }, "movement-every"},
		{"for longer than every", func(c *Config) { c.Stretch.For = 2 * time.Hour }, "stretch-for"},
		{"for not shorter than every", func(c *Config) { c.Movement.For = c.Movement.Every }, "movement-for"},
		{"no exercises", func(c *Config) { c.Stretch.Exercises = 0 }, "stretch-exercises"},
		{"reset hour", func(c *Config) { c.ResetHour = 24 }, "reset-hour"},
		{"limit", func(c *Config) { c.DailyLimit = time.Second }, "daily-limit"},
		{"snoozes", func(c *Config) { c.MaxSnoozes = -1 }, "max-snoozes"},
		{"snooze", func(c *Config) { c.SnoozeFor = 0 }, "snooze-for"},
		{"zone", func(c *Config) { c.Location = nil }, "location"},
		{"off needs no length", func(c *Config) { c.Movement = Rule{} }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.edit(&c)
			err := c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			e, ok := err.(*backcoach.Error)
			if !ok || e.Field != tc.field || e.Code != backcoach.EINVALID {
				t.Fatalf("got %v, want an invalid %s", err, tc.field)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	if k, err := ParseKind("stretch"); err != nil || k != Stretch {
		t.Fatalf("ParseKind(stretch) = %q, %v", k, err)
	}
	if _, err := ParseKind("nap"); err == nil {
		t.Fatal("ParseKind(nap) accepted")
	}
}
