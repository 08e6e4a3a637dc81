package coach

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// PlanRequest says which plan is wanted. The zero value is today's plan
// from the latest assessment, kept in the history.
type PlanRequest struct {
	// AssessmentID plans from one of the person's saved assessments
	// instead of the latest.
	AssessmentID string
	// Date is the day to plan for (YYYY-MM-DD); today in the person's
	// zone when empty.
	Date string
	// NoSave builds the plan without keeping it.
	NoSave bool
}

// Planned is a plan with what went into it.
type Planned struct {
	Day  *Day
	Plan *backcoach.SavedPlan
	// Assessment is the assessment it was planned from.
	Assessment *backcoach.SavedAssessment
	// Result is the assessment judged again by today's rules and safety
	// record, which the plan follows.
	Result backcoach.Result
	// Progression is the dose level decided from the history; its Reason
	// is in the plan's notes when the level changed.
	Progression backcoach.Progression
}

// Plan builds a day's plan, the same way in every interface. It refuses
// with a *RefusalError while the safety record bars exercise, and with
// ENOTFOUND when there is no assessment to plan from. The plan follows
// the latest (or the named) assessment's answers, judged again by the
// current rules with the record's cleared history signs; the routine
// (minutes, places, equipment) is the one the person last chose, kept in
// the profile; the dose level comes from the sessions of the last weeks.
// A plan equal to one kept earlier the same day is not kept twice, and a
// plan without exercises (nothing fits the routine) is not kept at all:
// its ID is empty.
func (c *Coach) Plan(ctx context.Context, person string, req PlanRequest) (*Planned, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	return c.plan(ctx, d, req)
}

func (c *Coach) plan(ctx context.Context, d *Day, req PlanRequest) (*Planned, error) {
	if r := d.Refusal(); r != nil {
		return nil, r.Err()
	}
	sa := d.Latest
	if req.AssessmentID != "" {
		var err error
		if sa, err = c.store.Assessment(ctx, d.Person, req.AssessmentID); err != nil {
			if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
				return nil, &backcoach.Error{Code: backcoach.ENOTFOUND, Field: "assessment_id",
					Message: "no assessment with id " + clip(req.AssessmentID) + " in your history"}
			}
			return nil, err
		}
	}
	if sa == nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no assessment yet: answer the safety check first, and the plan is built from it")
	}
	date := d.Today
	if req.Date != "" {
		if err := backcoach.CheckDate("date", req.Date); err != nil {
			return nil, err
		}
		date = req.Date
	}
	ans := planAnswers(d, sa)
	res := triage.AssessCleared(&ans, d.Standing.Cleared)
	if !res.ExerciseAllowed {
		// The record stands clear, yet the answers themselves call for a
		// doctor (a rule on the answers, such as a possible fracture):
		// the safer answer wins.
		return nil, RefusalOf(res, sa.TakenAt, d.Loc).Err()
	}
	var p backcoach.Plan
	var prog backcoach.Progression
	// A programme a clinician assigned takes the planner's place; the
	// safety record and the answers' rules have had their say above.
	assigned, err := c.store.ActiveProgramme(ctx, d.Person)
	switch {
	case err == nil:
		p = planner.BuildProgramme(c.catalog, planner.Request{Answers: &ans, Result: res, Date: date}, assigned)
	case backcoach.ErrorCode(err) != backcoach.ENOTFOUND:
		return nil, err
	default:
		if prog, err = planner.LoadLevel(ctx, c.store, d.Person, d.Loc, d.Now, date); err != nil {
			return nil, err
		}
		p = planner.Build(c.catalog, planner.Request{Answers: &ans, Result: res, Date: date, Level: prog.Level})
		if prog.Change != 0 {
			p.Notes = append([]string{prog.Reason}, p.Notes...)
		}
	}
	out := &Planned{Day: d, Assessment: sa, Result: res, Progression: prog}
	if req.NoSave || len(p.Exercises) == 0 {
		// A plan without exercises is not kept: nothing fits the routine.
		out.Plan = &backcoach.SavedPlan{AssessmentID: sa.ID, CreatedAt: d.Now, Plan: p}
		return out, nil
	}
	if out.Plan, err = c.keepPlan(ctx, d, sa, p); err != nil {
		return nil, err
	}
	return out, nil
}

// planAnswers are the assessment's answers as the plan uses them: the
// warning signs are the safety record's business (only cleared history
// signs remain, to keep the plan gentle), and the routine is the one the
// person last chose, from the profile.
func planAnswers(d *Day, sa *backcoach.SavedAssessment) backcoach.Answers {
	ans := sa.Answers
	ans.Flags = []string{}
	for _, id := range sa.Answers.Flags {
		if slices.Contains(d.Standing.Cleared, id) {
			ans.Flags = append(ans.Flags, id)
		}
	}
	if pc := d.Profile.Context(); pc != nil {
		ans.Context = pc
	}
	return ans
}

// keepPlan returns the plan kept earlier the same day from the same
// assessment when it is equal to p, or keeps p. Plans are deterministic
// for a day, so asking again does not fill the history with copies.
func (c *Coach) keepPlan(ctx context.Context, d *Day, sa *backcoach.SavedAssessment, p backcoach.Plan) (*backcoach.SavedPlan, error) {
	saved, err := c.store.Plans(ctx, d.Person, backcoach.Filter{From: d.StartOfDay(), NewestFirst: true})
	if err != nil {
		return nil, err
	}
	want, _ := json.Marshal(p)
	for i := range saved {
		if saved[i].AssessmentID != sa.ID {
			continue
		}
		if got, _ := json.Marshal(saved[i].Plan); string(got) == string(want) {
			return &saved[i], nil
		}
	}
	sp := &backcoach.SavedPlan{AssessmentID: sa.ID, CreatedAt: d.Now, Plan: p}
	if err := c.store.SavePlan(ctx, d.Person, sp); err != nil {
		return nil, err
	}
	return sp, nil
}

// TodaysSavedPlan returns the newest plan kept for today, or ENOTFOUND.
func (c *Coach) TodaysSavedPlan(ctx context.Context, person string) (*backcoach.SavedPlan, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	plans, err := c.store.Plans(ctx, person, backcoach.Filter{From: d.Now.Add(-todayWindow), NewestFirst: true})
	if err != nil {
		return nil, err
	}
	for i := range plans {
		if plans[i].Plan.Date == d.Today {
			return &plans[i], nil
		}
	}
	return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no plan for today (%s) yet", d.Today)
}

// todayWindow is how far back a plan made for today is looked for (a
// plan may be made ahead for a later date).
const todayWindow = 30 * 24 * time.Hour
