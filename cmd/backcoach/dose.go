package main

import (
	"context"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/planner"
)

// progressionWindow is how far back sessions and check-ins are read to
// decide the dose level: the planner looks at the last two weeks and the
// last session; four weeks leave room for a gap.
const progressionWindow = 28 * 24 * time.Hour

// loadDoseLevel decides today's dose level from the person's stored guided
// sessions and diary (clinical.md §5 through planner.Progress): the level
// to pass as planner.Request.Level, with the reason to tell the person
// when it changes (Change is not 0).
func loadDoseLevel(ctx context.Context, sessions backcoach.SessionService, entries backcoach.DiaryService, person string, loc *time.Location, now time.Time) (backcoach.Progression, error) {
	f := backcoach.Filter{From: now.Add(-progressionWindow)}
	ss, err := sessions.Sessions(ctx, person, f)
	if err != nil {
		return backcoach.Progression{}, err
	}
	es, err := entries.DiaryEntries(ctx, person, f)
	if err != nil {
		return backcoach.Progression{}, err
	}
	return doseLevel(ss, es, loc, now), nil
}

// doseLevel is the pure part of loadDoseLevel: the current level is the one
// the latest session was done at (0 before the first), and the planner
// decides from there.
func doseLevel(sessions []backcoach.Session, entries []backcoach.DiaryEntry, loc *time.Location, now time.Time) backcoach.Progression {
	history := backcoach.Summaries(sessions, entries, loc)
	current := 0
	if n := len(history); n > 0 {
		current = history[n-1].Level
	}
	return planner.Progress(history, current, now.In(loc).Format(backcoach.DateLayout))
}
