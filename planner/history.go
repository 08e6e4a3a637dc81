package planner

import (
	"context"
	"time"

	"github.com/backcoach/backcoach"
)

// HistoryWindow is how far back sessions and check-ins are read to decide
// the dose level: Progress looks at the last two weeks and the last
// session; four weeks leave room for a gap.
const HistoryWindow = 28 * 24 * time.Hour

// LevelFromHistory decides the dose level for date (YYYY-MM-DD) from stored
// guided sessions and diary entries: the current level is the one the
// latest session was done at (0 before the first), and Progress decides
// from there.
func LevelFromHistory(sessions []backcoach.Session, entries []backcoach.DiaryEntry, loc *time.Location, date string) backcoach.Progression {
	history := backcoach.Summaries(sessions, entries, loc)
	current := 0
	if n := len(history); n > 0 {
		current = history[n-1].Level
	}
	return Progress(history, current, date)
}

// HistoryReader is what deciding the dose level reads: a person's guided
// sessions and diary entries (the store's services).
type HistoryReader interface {
	Sessions(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.Session, error)
	DiaryEntries(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.DiaryEntry, error)
}

// LoadLevel reads the person's last HistoryWindow of sessions and diary
// through r and decides the dose level for date. Every interface (command
// line, web, API) calls this one function.
func LoadLevel(ctx context.Context, r HistoryReader, person string, loc *time.Location, now time.Time, date string) (backcoach.Progression, error) {
	f := backcoach.Filter{From: now.Add(-HistoryWindow)}
	sessions, err := r.Sessions(ctx, person, f)
	if err != nil {
		return backcoach.Progression{}, err
	}
	entries, err := r.DiaryEntries(ctx, person, f)
	if err != nil {
		return backcoach.Progression{}, err
	}
	return LevelFromHistory(sessions, entries, loc, date), nil
}
