package breaks

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// sim drives an engine the way a daemon does: it takes a reading at each
// moment the engine asks for, from a simulated person and clock. The
// person is either working (touching the keyboard all the time) or not.
type sim struct {
	t        *testing.T
	e        *Engine
	now      time.Time
	input    time.Time // the person's last input
	working  bool
	locked   bool
	quiet    bool
	events   []Event
	readings int
}

// t0 is a Monday, 09:00 UTC.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testConfig() Config {
	c := DefaultConfig()
	c.Location = time.UTC
	return c
}

func newSim(t *testing.T, c Config) *sim {
	t.Helper()
	e, err := New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s := &sim{t: t, e: e, now: t0, input: t0, working: true}
	s.read()
	return s
}

// read gives the engine a reading now.
func (s *sim) read() {
	s.readings++
	ev := s.e.Observe(Reading{At: s.now, Idle: s.now.Sub(s.input), Locked: s.locked, Quiet: s.quiet})
	s.events = append(s.events, ev...)
}

// run lets d pass, reading whenever the engine asks.
func (s *sim) run(d time.Duration) {
	end := s.now.Add(d)
	for {
		w := s.e.NextWake()
		if w.After(end) {
			break
		}
		if w.Before(s.now) {
			s.t.Fatalf("NextWake %s is before now %s", w, s.now)
		}
		s.now = w
		if s.working {
			s.input = s.now
		}
		s.read()
	}
	s.now = end
	if s.working {
		s.input = s.now
	}
}

// work is the person at the computer for d.
func (s *sim) work(d time.Duration) {
	s.working = true
	s.input = s.now
	s.run(d)
}

// away is the person gone for d, then back with a keystroke.
func (s *sim) away(d time.Duration) {
	s.working = false
	s.run(d)
	s.working = true
	s.input = s.now
}

// idle is the person gone for d, without coming back.
func (s *sim) idle(d time.Duration) {
	s.working = false
	s.run(d)
}

// sleep is the machine suspended for d: no readings, the person away;
// then one reading at wake-up.
func (s *sim) sleep(d time.Duration) {
	s.now = s.now.Add(d)
	s.read()
}

// do applies an action at the current time, after a fresh reading.
func (s *sim) do(name string, f func() ([]Event, error)) error {
	s.read()
	ev, err := f()
	s.events = append(s.events, ev...)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// take returns the events collected since the last take, as short words
// ("offer movement", "withdraw movement taken"); day events are left out.
func (s *sim) take() []string {
	var out []string
	for _, ev := range s.events {
		switch ev.Type {
		case EventDay:
			continue
		case EventWithdraw:
			out = append(out, fmt.Sprintf("withdraw %s %s", ev.Break.Kind, ev.Reason))
		case EventLimit:
			out = append(out, "limit")
		default:
			out = append(out, fmt.Sprintf("%s %s", ev.Type, ev.Break.Kind))
		}
	}
	s.events = nil
	return out
}

// expect checks the events since the last take.
func (s *sim) expect(want ...string) {
	s.t.Helper()
	got := s.take()
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		s.t.Fatalf("at %s: events\n got: %q\nwant: %q", s.now.Format("15:04:05"), got, want)
	}
}

// The checks below take a reading first, as a status request does.

// day checks the day's figures: due, taken, natural, snoozed, skipped.
func (s *sim) day(due, taken, natural, snoozed, skipped int) {
	s.t.Helper()
	s.read()
	d := s.e.Today()
	got := [5]int{d.Due, d.Taken, d.Natural, d.Snoozed, d.Skipped}
	want := [5]int{due, taken, natural, snoozed, skipped}
	if got != want {
		s.t.Fatalf("at %s: day due/taken/natural/snoozed/skipped = %v, want %v", s.now.Format("15:04:05"), got, want)
	}
}

// active checks the day's active time.
func (s *sim) active(want time.Duration) {
	s.t.Helper()
	s.read()
	if got := time.Duration(s.e.Today().ActiveSeconds) * time.Second; got != want {
		s.t.Fatalf("at %s: active time %s, want %s", s.now.Format("15:04:05"), got, want)
	}
}

// dueIn checks the time to the next break of a kind.
func (s *sim) dueIn(k Kind, want time.Duration) {
	s.t.Helper()
	s.read()
	for _, n := range s.e.Status().Next {
		if n.Kind == k {
			if n.DueIn != want {
				s.t.Fatalf("at %s: %s due in %s, want %s", s.now.Format("15:04:05"), k, n.DueIn, want)
			}
			return
		}
	}
	s.t.Fatalf("no %s in status", k)
}

// must fails the test on an error.
func (s *sim) must(err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
}
