package planner

import (
	"slices"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// ConditionExclusion says whether a person's standing conditions rule an
// exercise out, and why: the safety reasons of the planner's exclusion
// rules, which come before today's stage, places and equipment. A
// clinician assigning a programme is warned with it, and a programme's
// plan leaves such an exercise out.
func ConditionExclusion(e *backcoach.Exercise, conditions []backcoach.Condition) (backcoach.Exclusion, bool) {
	for _, c := range conditions {
		if k, ok := e.Caution(c); ok && k.Effect == backcoach.CautionExclude {
			return backcoach.Exclusion{ID: e.ID, Reason: string(c), Detail: k.Note}, true
		}
	}
	if slices.Contains(conditions, backcoach.ConditionFloorDifficulty) && !hasAnyPlace(e, nonFloor) {
		return backcoach.Exclusion{ID: e.ID, Reason: string(backcoach.ConditionFloorDifficulty), Detail: "It is done on the floor, which you said is difficult."}, true
	}
	return backcoach.Exclusion{}, false
}

// Programme notes.
const (
	programmeNote = "This is the programme your clinician assigned; it takes the place of the coach's own choice while it stands."
	restDayNote   = "Today is not one of your programme's days: rest, or ask your clinician."
)

// BuildProgramme makes a day's plan from a clinician's programme instead of
// the planner's choice: its exercises at its doses, on its days. The
// result must allow exercise (the safety record and the answers' rules
// still apply; the caller refuses first). An exercise the person's
// conditions rule out is left out with its reason, and a condition's
// modification is kept as a change.
func BuildProgramme(cat *catalog.Catalog, req Request, prog *backcoach.Programme) backcoach.Plan {
	a := req.Answers
	p := backcoach.Plan{
		Urgency: req.Result.Urgency, Stage: req.Result.Stage, Minutes: a.Routine().Minutes, Date: req.Date,
		Exercises: []backcoach.PlannedExercise{}, Excluded: []backcoach.Exclusion{}, Notes: []string{programmeNote},
	}
	if !req.Result.ExerciseAllowed {
		p.Notes = []string{"No exercises until a doctor has checked your symptoms: see the advice of your assessment."}
		return p
	}
	day, err := time.Parse(backcoach.DateLayout, req.Date)
	if err == nil && !slices.Contains(prog.Days, backcoach.WeekdayOf(day)) {
		p.Notes = append(p.Notes, restDayNote)
		return p
	}
	total := 0
	for _, x := range prog.Exercises {
		found, err := cat.Get(x.ID)
		if err != nil {
			p.Excluded = append(p.Excluded, backcoach.Exclusion{ID: x.ID, Reason: "unknown", Detail: "This exercise is not in the catalog any more."})
			continue
		}
		e := *found
		if ex, left := ConditionExclusion(&e, a.Conditions); left {
			p.Excluded = append(p.Excluded, ex)
			continue
		}
		c := candidate{ex: e, sets: x.Sets, reps: x.Reps, hold: x.HoldSeconds, secPerRep: e.Dose.SecondsPerRep}
		if e.Dose.Kind != backcoach.DoseReps && c.hold == 0 {
			c.hold = e.Dose.HoldSeconds.Min
		}
		if e.Dose.Kind == backcoach.DoseReps && c.reps == 0 {
			c.reps = e.Dose.Reps.Min
		}
		for _, cond := range a.Conditions {
			if k, ok := e.Caution(cond); ok && k.Effect == backcoach.CautionModify {
				c.changes = append(c.changes, k.Note)
			}
		}
		c.why = "Assigned by your clinician."
		if len(p.Exercises) > 0 {
			total += backcoach.RestSeconds
		}
		total += c.seconds()
		p.Exercises = append(p.Exercises, c.planned())
	}
	p.TotalSeconds = total
	// The programme's length is the clinician's: the minutes stretch to it.
	p.Minutes = max(p.Minutes, (total+59)/60)
	if n := strings.TrimSpace(prog.Notes); n != "" {
		p.Notes = append(p.Notes, "Your clinician's notes: "+n)
	}
	p.Notes = append(p.Notes, cat.StopRule(catalog.StopUsual).Summary)
	return p
}
