package coach

import (
	"context"
	"slices"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// Assessed is what taking an assessment gives: the saved assessment and
// the person's day after it.
type Assessed struct {
	Assessment *backcoach.SavedAssessment
	Day        *Day
}

// Assess takes an assessment, the same way in every interface: it checks
// the answers (EINVALID naming the field), judges them with the history
// signs a clinician has cleared, and keeps in one transaction the
// assessment, its screen in the safety record, and what the profile
// learns (conditions, the routine, that a clinician examined the pain).
// A warning sign among the answers then stands in the record; a clean
// assessment alone lifts nothing (docs/clinical.md §3), and its result
// says so: while a sign stands, the result allows no exercise and names
// the sign, whatever the answers.
func (c *Coach) Assess(ctx context.Context, person string, ans *backcoach.Answers, via backcoach.Via) (*Assessed, error) {
	if err := triage.Validate(ans); err != nil {
		return nil, err
	}
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	res := triage.AssessCleared(ans, d.Standing.ClearedHistory())
	screen := &backcoach.Screen{At: d.Now, Kind: backcoach.ScreenAssessment, Via: via, Complete: true, Signs: screenSigns(res)}
	// The result kept is the coach's whole conclusion: the answers, and
	// what still stands in the safety record once this screen is in it.
	rec := d.Record
	withScreen := backcoach.SafetyRecord{Screens: append(slices.Clone(rec.Screens), *screen), Clearances: rec.Clearances}
	res = triage.WithStanding(res, triage.StandingOf(&withScreen, d.Now))
	saved := &backcoach.SavedAssessment{TakenAt: d.Now, Answers: *ans, Result: res}
	prof := *d.Profile
	prof.Remember(ans)
	if err := c.store.Keep(ctx, person, &backcoach.Batch{Assessment: saved, Profile: &prof, Screen: screen}); err != nil {
		return nil, err
	}
	after, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	return &Assessed{Assessment: saved, Day: after}, nil
}

// screenSigns are the signs a result found: the red flags and rules that
// fired, and the cleared history signs answered again (kept so the record
// shows every yes).
func screenSigns(res backcoach.Result) []string {
	signs := slices.Concat(res.RedFlags, res.ClearedFlags)
	slices.Sort(signs)
	return slices.Compact(signs)
}

// Signs is what answering warning signs outside a whole assessment gives.
type Signs struct {
	// Result is triage's answer to the signs alone.
	Result backcoach.Result
	// Refusal is set when exercise is now refused.
	Refusal *Refusal
}

// RecordSigns keeps warning signs answered outside a whole assessment:
// the first emergency sign of a safety check cut short there, the
// questions after "stop, I feel unwell" in a session, the questions of a
// break. complete says whether every sign that can newly appear was asked.
// The signs are checked against the list (EINVALID naming the field).
func (c *Coach) RecordSigns(ctx context.Context, person string, signs []string, kind backcoach.ScreenKind, via backcoach.Via, complete bool) (*Signs, error) {
	if err := checkFlags("flags", signs); err != nil {
		return nil, err
	}
	screen := &backcoach.Screen{At: c.now(), Kind: kind, Via: via, Complete: complete, Signs: slices.Clone(signs)}
	if err := c.store.Keep(ctx, person, &backcoach.Batch{Screen: screen}); err != nil {
		return nil, err
	}
	return c.signsAfter(ctx, person, signs)
}

// signsAfter says what signs just kept mean: triage's result for them,
// and the refusal that now stands, if any.
func (c *Coach) signsAfter(ctx context.Context, person string, signs []string) (*Signs, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	res := triage.AssessCleared(&backcoach.Answers{Flags: slices.Clone(signs), ClinicianAssessed: true, Trend: backcoach.TrendSame, Age: 40}, d.Standing.Cleared)
	return &Signs{Result: res, Refusal: d.Refusal()}, nil
}

// checkFlags checks a list of warning-sign ids.
func checkFlags(field string, ids []string) error {
	seen := map[string]bool{}
	for i, id := range ids {
		if _, ok := triage.LookupFlag(id); !ok {
			return backcoach.Invalid(field, "%s[%d] %q is not a warning-sign id; allowed: %v", field, i, clip(id), triage.FlagIDs())
		}
		if seen[id] {
			return backcoach.Invalid(field, "%s[%d] %q is listed twice", field, i, id)
		}
		seen[id] = true
	}
	return nil
}

// clip shortens a value for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
