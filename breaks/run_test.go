package breaks

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backcoach/backcoach"
)

// person is a simulated person at the keyboard, read by the runner through
// the Sensor interface. Its clock is the bubble's.
type person struct {
	mu     sync.Mutex
	input  time.Time
	locked bool
	fail   bool
	reads  int
}

func (p *person) Sense(context.Context) (Reading, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reads++
	if p.fail {
		return Reading{}, errors.New("the display went away")
	}
	return Reading{Idle: time.Since(p.input), Locked: p.locked}, nil
}

// touch is a keystroke now.
func (p *person) touch() {
	p.mu.Lock()
	p.input = time.Now()
	p.mu.Unlock()
}

// typeFor keeps typing, once a second, for d.
func (p *person) typeFor(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		p.touch()
		time.Sleep(time.Second)
	}
}

// recorder keeps the events a runner emits.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) emit(ev Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
}

func (r *recorder) types() []EventType {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []EventType
	for _, ev := range r.events {
		if ev.Type != EventDay {
			out = append(out, ev.Type)
		}
	}
	return out
}

func (r *recorder) lastDay() backcoach.BreakDay {
	r.mu.Lock()
	defer r.mu.Unlock()
	var d backcoach.BreakDay
	for _, ev := range r.events {
		if ev.Type == EventDay {
			d = ev.Day
		}
	}
	return d
}

func startRunner(t *testing.T, c Config, p *person) (*Runner, *recorder, context.CancelFunc, chan error) {
	t.Helper()
	e, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	r := NewRunner(e, p, time.Now, rec.emit, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	return r, rec, cancel, done
}

func TestRunnerOffersAndHandlesActions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &person{input: time.Now()}
		r, rec, cancel, done := startRunner(t, testConfig(), p)
		ctx := context.Background()

		p.typeFor(30*time.Minute + 2*time.Second)
		synctest.Wait()
		if got := rec.types(); len(got) != 1 || got[0] != EventOffer {
			t.Fatalf("after 30 minutes of typing: %v", got)
		}
		if err := r.Snooze(ctx); err != nil {
			t.Fatal(err)
		}
		st, err := r.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Offered == nil || st.Shown || st.Next[0].DueIn != 5*time.Minute {
			t.Fatalf("status after snooze: %+v", st)
		}
		// Gone for a minute and a half: the snoozed break counts as taken.
		time.Sleep(90 * time.Second)
		p.touch()
		if err := r.Skip(ctx); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
			t.Fatalf("skip with nothing on offer: %v", err)
		}
		if err := r.Pause(ctx, time.Hour); err != nil {
			t.Fatal(err)
		}
		p.typeFor(40 * time.Minute)
		if err := r.Resume(ctx); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if err := r.Start(ctx, ""); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		want := []EventType{EventOffer, EventWithdraw, EventOffer, EventWithdraw, EventBreakStarted}
		if got := rec.types(); !equalTypes(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		d := rec.lastDay()
		if d.Due != 2 || d.Snoozed != 1 || d.Taken != 2 || d.Date == "" {
			t.Fatalf("totals saved at shutdown: %+v", d)
		}
	})
}

func TestRunnerWakesRarely(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &person{input: time.Now()}
		_, _, cancel, done := startRunner(t, testConfig(), p)
		time.Sleep(10 * time.Minute) // nobody there
		cancel()
		<-done
		// One reading every AwayPoll (30 s) and a few at the start.
		if p.reads > 25 {
			t.Fatalf("%d readings in 10 idle minutes", p.reads)
		}
	})
}

func TestRunnerPokeAndFailingSensor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &person{input: time.Now()}
		r, _, cancel, done := startRunner(t, testConfig(), p)
		time.Sleep(time.Second)
		synctest.Wait()
		before := p.reads
		p.mu.Lock()
		p.locked = true
		p.mu.Unlock()
		r.Poke()
		synctest.Wait()
		if p.reads != before+1 {
			t.Fatalf("a poke made %d readings", p.reads-before)
		}
		st, _ := r.Status(context.Background())
		if !st.Away {
			t.Fatal("locked screen not seen as away")
		}
		p.mu.Lock()
		p.fail = true
		p.mu.Unlock()
		before = p.reads
		time.Sleep(5 * time.Minute)
		if n := p.reads - before; n > 11 {
			t.Fatalf("%d readings in 5 minutes of a failing sensor", n)
		}
		cancel()
		<-done
	})
}

func equalTypes(a, b []EventType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
