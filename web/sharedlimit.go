package web

import (
	"context"
	"encoding/hex"
	"time"

	"github.com/backcoach/backcoach"
)

// The limits of limit.go, kept in the database when several servers share
// it (Config.SharedLimits): each attempt goes first through the server's
// own limiter, a fast gate that refuses a flood without asking the
// database, then through the shared limits, which count the attempts
// every server saw. A server alone keeps only its own.

// sharedKey is the database key of a limit: the same hash as the
// limiter's, in hex.
func sharedKey(parts ...string) string {
	k := keyOf(parts...)
	return hex.EncodeToString(k[:])
}

// allowSignin reports whether one more sign-in attempt from addr on the
// account handle may go ahead, and if not, how long to wait.
func (s *Server) allowSignin(ctx context.Context, addr, handle string) (bool, time.Duration) {
	now := s.now()
	ok, wait := s.limiter.allowSignin(addr, handle, now)
	shared := s.cfg.SharedLimits
	if !ok || shared == nil {
		return ok, wait
	}
	limits := []backcoach.RateLimit{
		{Key: sharedKey("addr", addr), Burst: addrBurst, Every: addrEvery},
		{Key: sharedKey("pair", handle, addr), Burst: pairBurst, Every: pairEvery},
	}
	known, err := shared.LimitUntil(ctx, sharedKey("known", handle, addr))
	if err != nil {
		return s.sharedFailed(err)
	}
	if !known.After(now) {
		limits = append(limits, backcoach.RateLimit{Key: sharedKey("account", handle), Burst: accountBurst, Every: accountEvery})
	}
	return s.takeShared(ctx, now, limits...)
}

// signedIn notes that addr signed in to the account handle, here and in
// the shared limits.
func (s *Server) signedIn(ctx context.Context, addr, handle string) {
	now := s.now()
	s.limiter.signedIn(addr, handle, now)
	if shared := s.cfg.SharedLimits; shared != nil {
		err := shared.SetLimit(ctx, sharedKey("pair", handle, addr), time.Time{})
		if err == nil {
			err = shared.SetLimit(ctx, sharedKey("known", handle, addr), now.Add(knownFor))
		}
		if err != nil {
			s.log.Warn("noting a sign-in in the shared rate limits", "err", err)
		}
	}
}

// allowSignup reports whether one more sign-up from addr may go ahead.
func (s *Server) allowSignup(ctx context.Context, addr string) (bool, time.Duration) {
	now := s.now()
	ok, wait := s.limiter.allowSignup(addr, now)
	if !ok || s.cfg.SharedLimits == nil {
		return ok, wait
	}
	return s.takeShared(ctx, now, backcoach.RateLimit{Key: sharedKey("signup", addr), Burst: signupBurst, Every: signupEvery})
}

// allowCurrent reports whether the person may check their current
// password once more.
func (s *Server) allowCurrent(ctx context.Context, personID string) (bool, time.Duration) {
	now := s.now()
	ok, wait := s.limiter.allowCurrent(personID, now)
	if !ok || s.cfg.SharedLimits == nil {
		return ok, wait
	}
	return s.takeShared(ctx, now, backcoach.RateLimit{Key: sharedKey("current", personID), Burst: currentBurst, Every: currentEvery})
}

// takeShared counts an attempt in the shared limits.
func (s *Server) takeShared(ctx context.Context, now time.Time, limits ...backcoach.RateLimit) (bool, time.Duration) {
	ok, wait, err := s.cfg.SharedLimits.TakeLimits(ctx, now, limits...)
	if err != nil {
		return s.sharedFailed(err)
	}
	return ok, wait
}

// sharedFailed answers an attempt whose shared limits could not be read:
// the server's own limiter let it through, and whatever it leads to
// needs the same database, so it goes ahead on that limiter alone.
func (s *Server) sharedFailed(err error) (bool, time.Duration) {
	s.log.Warn("reading the shared rate limits; the server's own apply", "err", err)
	return true, 0
}
