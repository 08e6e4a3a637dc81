package backcoach

import (
	"context"
	"time"
)

// BreakPause is a pause of a person's break reminder as the servers share
// it: the web app's reminder runs in whichever server a page reached, and
// a pause set through one must hold in every other.
type BreakPause struct {
	// Until is when the pause ends; nil when the reminder was resumed
	// (or never paused).
	Until *time.Time `json:"until"`
	// Day is set for a pause until the next day: the day (YYYY-MM-DD) it
	// began in, which ends at the reset hour.
	Day string `json:"day"`
	// SetAt is when the pause was set or lifted; the latest wins.
	SetAt time.Time `json:"set_at"`
}

// Validate checks the pause.
func (p *BreakPause) Validate() error {
	if p.SetAt.IsZero() {
		return Invalid("set_at", "is missing")
	}
	if p.Day != "" {
		if p.Until == nil {
			return Invalid("day", "is only for a pause, and this one has no end (until)")
		}
		return checkDate("day", p.Day)
	}
	return nil
}

// BreakPauseService keeps the pause of each person's break reminder.
type BreakPauseService interface {
	// BreakPause returns the acting person's pause; the zero value when
	// none was ever set.
	BreakPause(ctx context.Context, actor string) (BreakPause, error)
	// SaveBreakPause keeps p unless a pause set later (SetAt) is kept
	// already.
	SaveBreakPause(ctx context.Context, actor string, p BreakPause) error
}

// RateLimit is one limit on attempts (password guesses, sign-ups) kept
// where every server on the database sees it: Burst attempts at once,
// then one every Every, counted under Key (1 to 128 bytes; a hash of what
// is limited, so that nothing a visitor typed is stored).
type RateLimit struct {
	Key   string
	Burst int
	Every time.Duration
}

// RateLimitService keeps rate limits shared by several servers.
type RateLimitService interface {
	// TakeLimits counts one attempt at now against every limit at once:
	// when each has room the attempt is taken from all, else from none,
	// and the wait until it would be allowed is returned.
	TakeLimits(ctx context.Context, now time.Time, limits ...RateLimit) (ok bool, wait time.Duration, err error)
	// SetLimit keeps until under key (a mark that lapses then); the zero
	// time forgets the key.
	SetLimit(ctx context.Context, key string, until time.Time) error
	// LimitUntil returns the time kept under key, zero when none is.
	LimitUntil(ctx context.Context, key string) (time.Time, error)
}
