package planner

import (
	"slices"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// The pain before a session decides what it holds (docs/clinical.md §5):
// each band and both boundaries.
func TestGate(t *testing.T) {
	plan := build(t, answers(func(a *backcoach.Answers) { a.Context.Minutes = 20 }), "2026-11-24", 1)
	var gentleIn, otherIn int
	for _, x := range plan.Exercises {
		if e, _ := cat.Get(x.ID); e.Gentle {
			gentleIn++
		} else {
			otherIn++
		}
	}
	if gentleIn == 0 || otherIn == 0 {
		t.Fatalf("the test plan needs gentle and other exercises: %d and %d", gentleIn, otherIn)
	}
	cases := []struct {
		pain int
		mode catalog.GateMode
		rule string
	}{
		{0, GateFull, catalog.StopUsual},
		{5, GateFull, catalog.StopUsual},
		{6, GateGentle, catalog.StopGentle},
		{7, GateGentle, catalog.StopGentle},
		{8, GateNone, catalog.StopGentle},
		{10, GateNone, catalog.StopGentle},
	}
	for _, tc := range cases {
		g, err := Gate(tc.pain, plan, cat)
		if err != nil {
			t.Fatal(err)
		}
		if g.Mode != tc.mode || g.StopRule.Summary != cat.StopRule(tc.rule).Summary {
			t.Errorf("pain %d: mode %s, stop rule %q; want %s and the %s rule", tc.pain, g.Mode, g.StopRule.Summary, tc.mode, tc.rule)
		}
		switch tc.mode {
		case GateFull:
			if !slices.EqualFunc(g.Plan.Exercises, plan.Exercises, func(a, b backcoach.PlannedExercise) bool { return a.ID == b.ID && a.Seconds == b.Seconds }) || len(g.Message) != 0 {
				t.Errorf("pain %d: the planned session changed: %+v", tc.pain, g)
			}
		case GateGentle:
			if len(g.Plan.Exercises) != gentleIn || len(g.Message) == 0 || g.Title == "" {
				t.Errorf("pain %d: %d exercises, want the %d gentle ones, with words", tc.pain, len(g.Plan.Exercises), gentleIn)
			}
			for _, x := range g.Plan.Exercises {
				e, _ := cat.Get(x.ID)
				if !e.Gentle || x.Sets != e.Dose.Sets.Min || (x.Reps != 0 && x.Reps != e.Dose.Reps.Min) ||
					(e.Dose.Kind != backcoach.DoseReps && x.HoldSeconds != e.Dose.HoldSeconds.Min) {
					t.Errorf("pain %d: %s at %d×%d/%d s is not gentle at the shortest dose", tc.pain, x.ID, x.Sets, x.Reps, x.HoldSeconds)
				}
				if !slices.Contains(x.Changes, gentleBreathing) {
					t.Errorf("pain %d: %s lacks the gentle breathing cue: %q", tc.pain, x.ID, x.Changes)
				}
			}
			if g.Plan.TotalSeconds >= plan.TotalSeconds {
				t.Errorf("pain %d: %d s is not shorter than the plan's %d s", tc.pain, g.Plan.TotalSeconds, plan.TotalSeconds)
			}
		case GateNone:
			if len(g.Plan.Exercises) != 1 || g.Plan.Exercises[0].ID != "rib-breathing" || len(g.Message) < 4 {
				t.Errorf("pain %d: %+v, want only the breathing exercise and the advice", tc.pain, g.Plan.Exercises)
			}
		}
	}
	// The plan itself is left as it was.
	if len(plan.Exercises) != gentleIn+otherIn {
		t.Error("Gate changed the plan it was given")
	}
	for _, bad := range []int{-1, 11} {
		if _, err := Gate(bad, plan, cat); err == nil {
			t.Errorf("pain %d accepted", bad)
		}
	}
}

// A plan without a gentle exercise offers the breathing exercise at 6–7
// rather than a full dose.
func TestGateWithoutGentleExercises(t *testing.T) {
	plan := backcoach.Plan{Exercises: []backcoach.PlannedExercise{{ID: "wall-stretch", Sets: 2, HoldSeconds: 25, Seconds: 110, Changes: []string{}}}}
	g, err := Gate(6, plan, cat)
	if err != nil {
		t.Fatal(err)
	}
	if g.Mode != GateGentle || len(g.Plan.Exercises) != 1 || g.Plan.Exercises[0].ID != "rib-breathing" {
		t.Errorf("gate = %+v", g)
	}
}

// An older adult's longer hold survives the shortest dose.
func TestGateKeepsAnOlderAdultsHold(t *testing.T) {
	e, _ := cat.Get("childs-pose")
	plan := backcoach.Plan{Exercises: []backcoach.PlannedExercise{{ID: e.ID, Sets: 3, HoldSeconds: 30, Seconds: 105, Changes: []string{olderAdultHold}}}}
	g, _ := Gate(7, plan, cat)
	if x := g.Plan.Exercises[0]; x.HoldSeconds != 30 || x.Sets != e.Dose.Sets.Min {
		t.Errorf("gentle dose = %+v, want %d sets of 30 s", x, e.Dose.Sets.Min)
	}
}
