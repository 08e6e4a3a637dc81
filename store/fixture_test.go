package store

import (
	"context"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

func sampleAnswers() backcoach.Answers {
	peg := backcoach.PEG{Pain: 4, Enjoyment: 3, Activity: 5}
	return backcoach.Answers{
		Age: 42, PainNow: 5, StageDescription: backcoach.StageModerate, PEG: &peg, Weeks: 3.5,
		Trend: backcoach.TrendSame, ClinicianAssessed: true, Flags: []string{},
		Conditions: []backcoach.Condition{backcoach.ConditionKneeProblems},
		Causes:     []backcoach.Cause{backcoach.CauseDeskWork, backcoach.CauseStress},
		Context: &backcoach.Context{Minutes: 10, Places: []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding},
			Equipment: []backcoach.Equipment{backcoach.EquipmentWall}},
	}
}

func sampleResult() backcoach.Result {
	score := 4.0
	return backcoach.Result{Urgency: backcoach.UrgencySoon, Stage: backcoach.StageModerate, RedFlags: []string{},
		Reasons: []string{backcoach.ReasonNotImproving}, ExerciseAllowed: true, PEGScore: &score,
		Advice: []string{"Keep moving."}, Sources: []string{"NHS: Back pain"}}
}

func samplePlan() backcoach.Plan {
	return backcoach.Plan{Urgency: backcoach.UrgencySoon, Stage: backcoach.StageModerate, Minutes: 10, Date: "2026-03-02",
		TotalSeconds: 540, Level: 0,
		Exercises: []backcoach.PlannedExercise{{ID: "cat-cow", Name: "Cat-cow", Sets: 1, Reps: 10, Sides: backcoach.SidesNone,
			Tempo: "slow", Seconds: 60, Warmup: true, Why: "warms up", Changes: []string{}}},
		Excluded: []backcoach.Exclusion{{ID: "childs-pose", Reason: "knee_problems"}}, Notes: []string{"Go gently."}}
}

func intp(v int) *int { return &v }

// fill stores some of every kind of record for the person, with times
// spread over days, and returns how many rows of each kind it made.
func fill(t testing.TB, s *Store, id string, base time.Time) map[string]int {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SaveProfile(ctx, id, &backcoach.Profile{TimeZone: "Europe/London",
		Conditions: []backcoach.Condition{backcoach.ConditionKneeProblems}, Places: []backcoach.Place{backcoach.PlaceDesk},
		Equipment: []backcoach.Equipment{backcoach.EquipmentWall, backcoach.EquipmentChair}, Minutes: 15, ClinicianAssessed: true}))
	counts := map[string]int{"profiles": 1, "accounts": 1}
	for day := 0; day < 3; day++ {
		at := base.AddDate(0, 0, day)
		a := backcoach.SavedAssessment{TakenAt: at, Answers: sampleAnswers(), Result: sampleResult()}
		must(s.SaveAssessment(ctx, id, &a))
		p := backcoach.SavedPlan{AssessmentID: a.ID, CreatedAt: at.Add(time.Minute), Plan: samplePlan()}
		must(s.SavePlan(ctx, id, &p))
		ss := backcoach.Session{PlanID: p.ID, StartedAt: at.Add(2 * time.Minute), DurationSeconds: 600, Level: day - 1,
			PainBefore: 5, PainAfter: intp(4), Exercises: []backcoach.ExerciseOutcome{
				{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeDone, Seconds: 60},
				{ExerciseID: "wall-angel", Outcome: backcoach.OutcomeSkipped, Reason: "no wall here"},
				{ExerciseID: "thread-the-needle", Outcome: backcoach.OutcomeStopped, Reason: "pain", Seconds: 12},
			}}
		if day == 2 {
			ss.PainAfter = nil
		}
		must(s.SaveSession(ctx, id, &ss))
		e := backcoach.DiaryEntry{At: at.Add(3 * time.Hour), Pain: 3 + day, Note: "day ünïcode ✓\nsecond line", FlagsAsked: day != 1}
		if day == 0 {
			e.PEG = &backcoach.PEG{Pain: 4, Enjoyment: 2, Activity: 3}
		}
		must(s.AddDiaryEntry(ctx, id, &e))
		must(s.SaveBreakDay(ctx, id, &backcoach.BreakDay{Date: at.Format(backcoach.DateLayout), Due: 8, Taken: 5, Natural: 2,
			Snoozed: 1, Skipped: 1, ActiveSeconds: 25000}))
	}
	counts["assessments"], counts["plans"], counts["sessions"], counts["session exercises"] = 3, 3, 3, 9
	counts["diary entries"], counts["break days"] = 3, 3
	// One line for the account, one for the profile, five per day.
	counts["audit entries"] = 2 + 3*5
	return counts
}
