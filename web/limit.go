package web

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"net"
	"sync"
	"time"
)

// The limits on password guessing and on account creation. Each is a
// burst, then a steady trickle.
//
// Sign-in is limited per client address, and per account and address
// together: a household behind one address can mistype now and then, and
// guessing one person's password from one address stops after a few
// tries without touching the person signing in from elsewhere (five wrong
// passwords from one address must not lock the right one out from
// another). Guessing from many addresses is slowed by a softer limit per
// account, which spares the addresses the person has signed in from
// before.
const (
	addrBurst    = 10
	addrEvery    = 6 * time.Second // 10 a minute after the burst
	pairBurst    = 5
	pairEvery    = 30 * time.Second // 2 a minute after the burst
	accountBurst = 20
	accountEvery = 30 * time.Second
	// knownFor is how long an address that signed in to an account is
	// spared the account's limit: as long as a sign-in lasts.
	knownFor = sessionLifetime
	// Sign-ups per address: each one runs the password hash.
	signupBurst = 10
	signupEvery = 30 * time.Second
	// Checks of the current password (changing it, deleting the
	// account) per person.
	currentBurst = 5
	currentEvery = 30 * time.Second
	// limiterEntries bounds each table of the limiter: past it the least
	// recently used entry goes, so that memory stays bounded however many
	// addresses and handles are tried.
	limiterEntries = 8192
)

// limitKey is what a limit is kept under: a hash of its kind and values,
// so that an entry has the same small size whatever was typed.
type limitKey [16]byte

func keyOf(parts ...string) limitKey {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var k limitKey
	copy(k[:], h.Sum(nil))
	return k
}

// limiter keeps the limits. Time comes from the caller, so tests never
// sleep. It is safe for concurrent use.
type limiter struct {
	mu       sync.Mutex
	addrs    *lru // sign-ins per address
	pairs    *lru // sign-ins per account and address
	accounts *lru // sign-ins per account, from addresses not known to it
	known    *lru // account and address pairs that signed in
	signups  *lru // sign-ups per address
	current  *lru // current-password checks per person
}

func newLimiter(entries int) *limiter {
	return &limiter{
		addrs: newLRU(entries), pairs: newLRU(entries), accounts: newLRU(entries),
		known: newLRU(entries), signups: newLRU(entries), current: newLRU(entries),
	}
}

// bucket is one limit: burst attempts at once, then one every every.
type bucket struct {
	table *lru
	key   limitKey
	burst int
	every time.Duration
}

// take works out one more attempt at now as a generic cell rate
// algorithm: the entry holds the time at which the bucket is full again
// (no entry: it is full). It returns that time after the attempt, or how
// long to wait when the attempt is refused.
func (b bucket) take(now time.Time) (full time.Time, wait time.Duration) {
	full = now
	if t, ok := b.table.get(b.key); ok && t.After(now) {
		full = t
	}
	full = full.Add(b.every)
	if over := full.Sub(now) - time.Duration(b.burst)*b.every; over > 0 {
		return time.Time{}, over
	}
	return full, 0
}

// allowAll lets an attempt go ahead when every bucket has room, and then
// takes from each; a refused attempt takes nothing and stores nothing.
// It returns how long to wait otherwise.
func allowAll(now time.Time, buckets ...bucket) (bool, time.Duration) {
	fulls := make([]time.Time, len(buckets))
	var wait time.Duration
	for i, b := range buckets {
		full, w := b.take(now)
		if w > wait {
			wait = w
		}
		fulls[i] = full
	}
	if wait > 0 {
		return false, wait
	}
	for i, b := range buckets {
		b.table.put(b.key, fulls[i])
	}
	return true, 0
}

// allowSignin reports whether one more sign-in attempt from addr on the
// account handle may go ahead at now, and if not, how long to wait.
func (l *limiter) allowSignin(addr, handle string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pair := keyOf("pair", handle, addr)
	buckets := []bucket{
		{l.addrs, keyOf("addr", addr), addrBurst, addrEvery},
		{l.pairs, pair, pairBurst, pairEvery},
	}
	if until, ok := l.known.get(pair); !ok || !until.After(now) {
		buckets = append(buckets, bucket{l.accounts, keyOf("account", handle), accountBurst, accountEvery})
	}
	return allowAll(now, buckets...)
}

// signedIn notes that addr signed in to the account handle: the guesses
// from there are forgotten, and the account's own limit no longer applies
// to it.
func (l *limiter) signedIn(addr, handle string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pair := keyOf("pair", handle, addr)
	l.pairs.del(pair)
	l.known.put(pair, now.Add(knownFor))
}

// allowSignup reports whether one more sign-up from addr may go ahead.
func (l *limiter) allowSignup(addr string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return allowAll(now, bucket{l.signups, keyOf("signup", addr), signupBurst, signupEvery})
}

// allowCurrent reports whether the person may check their current
// password once more.
func (l *limiter) allowCurrent(personID string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return allowAll(now, bucket{l.current, keyOf("current", personID), currentBurst, currentEvery})
}

// entries returns how many entries the limiter holds.
func (l *limiter) entries() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addrs.len() + l.pairs.len() + l.accounts.len() + l.known.len() + l.signups.len() + l.current.len()
}

// limitAddr is the address an attempt is counted against: an IPv4
// address, or the /64 network of an IPv6 one (one subscriber's, who can
// use any address in it).
func limitAddr(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// lru is a table of times with a fixed number of entries, the least
// recently used going first. The limiter's lock guards it.
type lru struct {
	max     int
	entries map[limitKey]*list.Element
	order   list.List // of *lruEntry, most recent first
}

type lruEntry struct {
	key limitKey
	t   time.Time
}

func newLRU(max int) *lru {
	return &lru{max: max, entries: map[limitKey]*list.Element{}}
}

func (c *lru) get(k limitKey) (time.Time, bool) {
	e, ok := c.entries[k]
	if !ok {
		return time.Time{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).t, true
}

func (c *lru) put(k limitKey, t time.Time) {
	if e, ok := c.entries[k]; ok {
		e.Value.(*lruEntry).t = t
		c.order.MoveToFront(e)
		return
	}
	if len(c.entries) >= c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*lruEntry).key)
	}
	c.entries[k] = c.order.PushFront(&lruEntry{key: k, t: t})
}

func (c *lru) del(k limitKey) {
	if e, ok := c.entries[k]; ok {
		c.order.Remove(e)
		delete(c.entries, k)
	}
}

func (c *lru) len() int { return len(c.entries) }
