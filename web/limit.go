package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sign-in attempts allowed: a burst, then a steady trickle. Per client
// address they allow a household behind one address to mistype now and
// then; per account they stop guessing one person's password from many
// addresses.
const (
	addrBurst    = 10
	addrEvery    = 6 * time.Second // 10 a minute after the burst
	accountBurst = 5
	accountEvery = 30 * time.Second // 2 a minute after the burst
	// limiterIdle is how long an unused limiter is kept; a limiter that
	// has refilled completely carries no information.
	limiterIdle = 15 * time.Minute
	// limiterSweep is the number of limiters above which idle ones are
	// dropped.
	limiterSweep = 10000
)

// signinLimiter limits sign-in attempts per client address and per
// account handle. Time comes from the caller, so tests never sleep.
type signinLimiter struct {
	mu       sync.Mutex
	addrs    map[string]*limiterEntry
	accounts map[string]*limiterEntry
}

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

func newSigninLimiter() *signinLimiter {
	return &signinLimiter{addrs: map[string]*limiterEntry{}, accounts: map[string]*limiterEntry{}}
}

// allow reports whether one more attempt from addr on the account handle
// may go ahead at now; both limits must allow it, and a refused attempt
// takes nothing from either.
func (l *signinLimiter) allow(addr, handle string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.entry(l.addrs, addr, rate.Every(addrEvery), addrBurst, now)
	h := l.entry(l.accounts, handle, rate.Every(accountEvery), accountBurst, now)
	ra := a.lim.ReserveN(now, 1)
	rh := h.lim.ReserveN(now, 1)
	if ra.DelayFrom(now) > 0 || rh.DelayFrom(now) > 0 {
		ra.CancelAt(now)
		rh.CancelAt(now)
		return false
	}
	return true
}

// entry returns the limiter for key, making it when new, and sweeps idle
// limiters when the map has grown large.
func (l *signinLimiter) entry(m map[string]*limiterEntry, key string, every rate.Limit, burst int, now time.Time) *limiterEntry {
	e := m[key]
	if e == nil {
		if len(m) >= limiterSweep {
			for k, old := range m {
				if now.Sub(old.seen) > limiterIdle {
					delete(m, k)
				}
			}
		}
		e = &limiterEntry{lim: rate.NewLimiter(every, burst)}
		m[key] = e
	}
	e.seen = now
	return e
}
