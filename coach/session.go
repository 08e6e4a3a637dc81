package coach

import (
	"context"
	"slices"

	"github.com/backcoach/backcoach"
)

// SessionRecord is a finished or abandoned guided session to keep, with
// the warning signs answered yes when it was stopped for symptoms.
type SessionRecord struct {
	Session backcoach.Session
	// StopSigns are the signs answered yes after "stop, I feel unwell";
	// nil when the questions were not asked.
	StopSigns []string
	// LevelGiven keeps the session's own Level; otherwise it is its
	// plan's.
	LevelGiven bool
	// Replaces is the id of an unfinished session this one carries on
	// (a resumed session); it is removed once this one is kept.
	Replaces string
}

// RecordSession keeps a session, the same way in every interface: its
// plan must be one of the person's, its level is the plan's, a start in
// the future is taken as now, and the signs of its stop go into the safety
// record in the same transaction.
func (c *Coach) RecordSession(ctx context.Context, person string, in *SessionRecord, via backcoach.Via) (*backcoach.Session, error) {
	if err := checkFlags("flags", in.StopSigns); err != nil {
		return nil, err
	}
	rec := in.Session
	if rec.PlanID != "" {
		sp, err := c.store.Plan(ctx, person, rec.PlanID)
		if err != nil {
			if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
				return nil, &backcoach.Error{Code: backcoach.ENOTFOUND, Field: "plan_id", Message: "no plan with id " + clip(rec.PlanID) + " in your history"}
			}
			return nil, err
		}
		if !in.LevelGiven {
			rec.Level = sp.Plan.Level
		}
	}
	now := c.now()
	if rec.StartedAt.IsZero() || rec.StartedAt.After(now) {
		rec.StartedAt = now
	}
	b := &backcoach.Batch{Session: &rec}
	if in.StopSigns != nil {
		b.Screen = &backcoach.Screen{At: now, Kind: backcoach.ScreenSession, Via: via, Signs: slices.Clone(in.StopSigns)}
	}
	if err := c.store.Keep(ctx, person, b); err != nil {
		return nil, err
	}
	if in.Replaces != "" {
		if err := c.store.DeleteSession(ctx, person, in.Replaces); err != nil {
			return nil, err
		}
	}
	return &rec, nil
}
