package main

import (
	"context"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/planner"
)

// loadDoseLevel decides today's dose level, in the person's time zone, from
// their stored guided sessions and diary (planner.LoadLevel): the level to
// pass as planner.Request.Level, with the reason to tell the person when it
// changes (Change is not 0).
func loadDoseLevel(ctx context.Context, r planner.HistoryReader, person string, loc *time.Location, now time.Time) (backcoach.Progression, error) {
	return planner.LoadLevel(ctx, r, person, loc, now, now.In(loc).Format(backcoach.DateLayout))
}
