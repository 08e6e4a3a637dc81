package breaks

import (
	"testing"
	"time"
)

// FuzzEngine drives an engine with arbitrary readings and actions (clock
// jumps both ways, locks, quiet mode) and checks what must always hold: no
// negative timers, at most one reminder per step, totals that validate, and
// a next wake that is never in the past.
func FuzzEngine(f *testing.F) {
	f.Add([]byte{10, 0, 200, 3, 7, 1, 250, 9, 4, 4, 4, 120, 5, 2, 8, 6})
	f.Add([]byte{255, 255, 255, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Fuzz(runScript)
}

func runScript(t *testing.T, script []byte) {
	{
		c := testConfig()
		c.Movement.Every, c.Movement.For = 3*time.Minute, 20*time.Second
		c.Stretch.Every, c.Stretch.For = 7*time.Minute, time.Minute
		c.DailyLimit = 20 * time.Minute
		e, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		now, input := t0, t0
		var locked, quiet bool
		check := func(ev []Event) {
			offers := 0
			for _, x := range ev {
				if x.Type == EventOffer {
					offers++
				}
			}
			if offers > 1 {
				t.Fatalf("%d reminders in one step: %+v", offers, ev)
			}
			for _, n := range e.Status().Next {
				if n.DueIn < 0 {
					t.Fatalf("negative timer %+v", n)
				}
			}
			d := e.Today()
			if err := d.Validate(); err != nil {
				t.Fatalf("totals %+v: %v", d, err)
			}
			if e.NextWake().Before(now) {
				t.Fatalf("next wake %s before now %s", e.NextWake(), now)
			}
		}
		check(e.Observe(Reading{At: now}))
		for i := 0; i+1 < len(script); i += 2 {
			op, arg := script[i]%12, time.Duration(script[i+1])
			switch op {
			case 0, 1, 2: // time passes, with or without input
				now = now.Add(arg * time.Second)
				if op != 0 {
					input = now
				}
			case 3:
				now = now.Add(arg * time.Minute) // asleep or clock forward
			case 4:
				now = now.Add(-arg * time.Minute) // clock back
			case 5:
				locked = !locked
			case 6:
				quiet = !quiet
			case 7:
				_, _ = e.Snooze()
			case 8:
				_, _ = e.Skip()
			case 9:
				_, _ = e.Start("")
			case 10:
				_, _ = e.Pause(arg * time.Minute)
				e.Dismiss()
			case 11:
				e.PauseUntilTomorrow()
				e.Resume()
			}
			idle := now.Sub(input)
			if idle < 0 {
				input, idle = now, 0
			}
			check(e.Observe(Reading{At: now, Idle: idle, Locked: locked, Quiet: quiet}))
		}
	}
}
