package live

import (
	"time"

	"github.com/backcoach/backcoach/breaks/host"
)

// The hub runs on a host.Clock: the computer's in production, a manual one
// in tests, so that no test waits for a timer.
type (
	Clock       = host.Clock
	Timer       = host.Timer
	RealClock   = host.RealClock
	ManualClock = host.ManualClock
)

// NewManualClock returns a clock standing at t (see host.NewManualClock).
func NewManualClock(t time.Time) *ManualClock { return host.NewManualClock(t) }
