package web

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// reassessAfter is how old the last assessment may be before the session
// asks the questions again (the terminal's rule too).
const reassessAfter = 7 * 24 * time.Hour

// coachState is what the coach knows of a person today: their profile
// and zone, the latest assessment, and whether anything rules exercise
// out today.
type coachState struct {
	me      *backcoach.Person
	profile *backcoach.Profile
	loc     *time.Location
	now     time.Time
	today   string
	latest  *backcoach.SavedAssessment
	// refusal is set when a warning sign answered today (in an
	// assessment that stopped at it, or at a check-in) rules exercise out.
	refusal *backcoach.Result
}

// stale reports whether the latest assessment should be taken again
// before a session: there is none, it is more than a week old, or it
// found a warning sign.
func (c *coachState) stale() bool {
	return c.latest == nil || c.now.Sub(c.latest.TakenAt) > reassessAfter || len(c.latest.Result.RedFlags) > 0
}

// exerciseAllowed reports whether a routine may be offered today.
func (c *coachState) exerciseAllowed() bool {
	return c.latest != nil && c.latest.Result.ExerciseAllowed && c.refusal == nil
}

// state reads what the coach knows of the person today.
func (s *Server) state(ctx context.Context, me *backcoach.Person) (*coachState, error) {
	prof, err := s.store.Profile(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	c := &coachState{me: me, profile: prof, loc: prof.Location(), now: s.now()}
	c.today = c.now.In(c.loc).Format(backcoach.DateLayout)
	list, err := s.store.Assessments(ctx, me.ID, backcoach.Filter{Limit: 1, NewestFirst: true})
	if err != nil {
		return nil, err
	}
	if len(list) == 1 {
		c.latest = &list[0]
	}
	flags := s.refusal(ctx, c.today)
	todays, err := s.store.DiaryEntries(ctx, me.ID, backcoach.Filter{From: startOfDay(c.now, c.loc)})
	if err != nil {
		return nil, err
	}
	for _, e := range todays {
		flags = append(flags, e.Flags...)
	}
	if len(flags) > 0 {
		res := triage.Assess(&backcoach.Answers{Flags: dedupe(flags)})
		if !res.ExerciseAllowed {
			c.refusal = &res
		}
	}
	return c, nil
}

// dedupe keeps the first of each id, in order, and drops ids that are
// not warning signs (a stale session may hold old ones).
func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := triage.LookupFlag(id); ok && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// startOfDay returns midnight of t's day in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// planAnswers are the latest assessment's answers with the routine the
// person last chose (minutes, places, equipment) from the profile.
func planAnswers(c *coachState) backcoach.Answers {
	ans := c.latest.Answers
	if pc := c.profile.Context(); pc != nil {
		ans.Context = pc
	}
	return ans
}

// buildPlan makes today's plan from the latest assessment, at today's
// dose level. The caller checks that exercise is allowed.
func (s *Server) buildPlan(ctx context.Context, c *coachState) (backcoach.Plan, backcoach.Progression, error) {
	prog, err := planner.LoadLevel(ctx, s.store, c.me.ID, c.loc, c.now, c.today)
	if err != nil {
		return backcoach.Plan{}, prog, err
	}
	ans := planAnswers(c)
	p := planner.Build(s.catalog, planner.Request{Answers: &ans, Result: c.latest.Result, Date: c.today, Level: prog.Level})
	return p, prog, nil
}

// keepPlan returns the saved plan equal to p made today, or saves p.
// Plans are deterministic for a day, so a page that is reloaded does not
// fill the history with copies.
func (s *Server) keepPlan(ctx context.Context, c *coachState, p backcoach.Plan) (*backcoach.SavedPlan, error) {
	saved, err := s.store.Plans(ctx, c.me.ID, backcoach.Filter{From: startOfDay(c.now, c.loc), NewestFirst: true})
	if err != nil {
		return nil, err
	}
	want, _ := json.Marshal(p)
	for i := range saved {
		if saved[i].AssessmentID != c.latest.ID {
			continue
		}
		if got, _ := json.Marshal(saved[i].Plan); string(got) == string(want) {
			return &saved[i], nil
		}
	}
	sp := &backcoach.SavedPlan{AssessmentID: c.latest.ID, Plan: p}
	if err := s.store.SavePlan(ctx, c.me.ID, sp); err != nil {
		return nil, err
	}
	return sp, nil
}

// planStart returns when the current plan began, or zero.
func (s *Server) planStart(ctx context.Context, me string) (time.Time, error) {
	list, err := s.store.Assessments(ctx, me, backcoach.Filter{})
	if err != nil {
		return time.Time{}, err
	}
	start, _ := diary.PlanStart(list)
	return start, nil
}

// worsening checks the diary's worsening rules for the person today.
func (s *Server) worsening(ctx context.Context, c *coachState) (diary.Worsening, error) {
	entries, err := s.store.DiaryEntries(ctx, c.me.ID, backcoach.Filter{From: c.now.AddDate(0, 0, -diary.WindowDays-1)})
	if err != nil {
		return diary.Worsening{}, err
	}
	start, err := s.planStart(ctx, c.me.ID)
	if err != nil {
		return diary.Worsening{}, err
	}
	if !start.IsZero() {
		first, err := s.store.DiaryEntries(ctx, c.me.ID, backcoach.Filter{From: start, To: start.AddDate(0, 0, diary.WindowDays+1)})
		if err != nil {
			return diary.Worsening{}, err
		}
		entries = append(entries, first...)
	}
	return diary.CheckWorsening(entries, start, c.now, c.loc), nil
}

// streak counts the days in a row, up to today, with at least one
// session; a day without one yet today does not break it.
func streak(sessions []backcoach.Session, now time.Time, loc *time.Location) int {
	days := map[string]bool{}
	for _, s := range sessions {
		days[s.LocalDate(loc)] = true
	}
	y, m, d := now.In(loc).Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, loc)
	if !days[day.Format(backcoach.DateLayout)] {
		day = day.AddDate(0, 0, -1)
	}
	n := 0
	for days[day.Format(backcoach.DateLayout)] {
		n++
		day = day.AddDate(0, 0, -1)
	}
	return n
}
