package host

import (
	"sort"
	"sync"
	"time"
)

// Clock is the time a host runs on: RealClock in production, a
// ManualClock in tests, so that no test waits for a timer.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f on its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a call waiting for its time.
type Timer interface {
	// Stop cancels the call; it reports whether the call was still
	// waiting.
	Stop() bool
}

// RealClock is the computer's clock. Its times carry no monotonic reading,
// so that a machine that slept shows as time passed, as the engine
// expects.
type RealClock struct{}

// Now returns the time.
func (RealClock) Now() time.Time { return time.Now().Round(0) }

// AfterFunc is time.AfterFunc.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// ManualClock is a clock that moves only when told to: Advance runs every
// call that falls due on the way, in time order, each at its own time.
type ManualClock struct {
	mu    sync.Mutex
	now   time.Time
	calls []*manualCall
	seq   int
}

// manualCall is one call waiting on a ManualClock.
type manualCall struct {
	c    *ManualClock
	at   time.Time
	seq  int
	f    func()
	done bool
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f for d from now.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	call := &manualCall{c: c, at: c.now.Add(d), seq: c.seq, f: f}
	c.calls = append(c.calls, call)
	return call
}

// Stop cancels the call.
func (m *manualCall) Stop() bool {
	m.c.mu.Lock()
	defer m.c.mu.Unlock()
	was := !m.done
	m.done = true
	return was
}

// Advance moves the clock forward by d, running the calls that fall due
// on the way one at a time, on the caller's goroutine, with the clock at
// each call's time. Calls that these schedule run too when they fall due
// within d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		call := c.next(end)
		if call == nil {
			break
		}
		call.f()
	}
	c.mu.Lock()
	c.now = end
	c.mu.Unlock()
}

// Jump sets the clock forward or back by d without running the calls on
// the way, as a machine that slept or a clock set by hand: calls overdue
// then run at the next Advance, late.
func (c *ManualClock) Jump(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// next takes the first call due by end, and moves the clock to its time.
func (c *ManualClock) next(end time.Time) *manualCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	live := c.calls[:0]
	for _, call := range c.calls {
		if !call.done {
			live = append(live, call)
		}
	}
	c.calls = live
	sort.Slice(c.calls, func(i, j int) bool {
		a, b := c.calls[i], c.calls[j]
		return a.at.Before(b.at) || a.at.Equal(b.at) && a.seq < b.seq
	})
	if len(c.calls) == 0 || c.calls[0].at.After(end) {
		return nil
	}
	call := c.calls[0]
	call.done = true
	if call.at.After(c.now) {
		c.now = call.at
	}
	return call
}

// Waiting returns how many calls wait.
func (c *ManualClock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, call := range c.calls {
		if !call.done {
			n++
		}
	}
	return n
}
