// Package offer decides what a break offers the person: exercises from
// their own plan, done at the desk or standing beside it, or, while their
// safety record bars exercise, rest and what to do. Choose is pure; the
// coach package decides its Input from the person's data.
package offer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// Offer is the content of one break.
type Offer struct {
	Break breaks.Break `json:"break"`
	// Rest is true when the break offers rest and advice instead of
	// exercise: a warning sign stands in the person's safety record.
	Rest bool `json:"rest"`
	// Exercises are the break's exercises with today's dose (none when
	// Rest).
	Exercises []backcoach.PlannedExercise `json:"exercises"`
	// Advice is what to do (when Rest).
	Advice []string `json:"advice"`
	// Gentle is true when there was no saved assessment and only the
	// gentle desk exercises were considered.
	Gentle bool `json:"gentle"`
	// Disclaimer goes with every piece of advice.
	Disclaimer string `json:"disclaimer"`
}

// breakPlaces are where a break's exercises are done: at the desk or next
// to it. The floor is not offered in a short break at work.
var breakPlaces = []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding}

// planMinutes is the routine length the break's candidates are drawn from:
// long enough for a variety of exercises to rotate through.
const planMinutes = 20

// Input is what Choose needs to know about the person. The coach decides
// it from their safety record and latest assessment; Choose only turns it
// into a break's content.
type Input struct {
	// Rest is set when the safety record bars exercise: the break offers
	// rest and this advice instead.
	Rest *Rest
	// Answers and Result are what the break's exercises are drawn from:
	// the latest assessment as today's rules judge it. Nil Answers means
	// there is none, and only the gentle exercises are considered.
	Answers *backcoach.Answers
	Result  backcoach.Result
	// Date is today (YYYY-MM-DD); it varies the plan from day to day.
	Date string
	// Level is today's dose level (planner.LoadLevel).
	Level int
}

// Rest is why a break offers rest: the urgency that stands and what to do.
type Rest struct {
	Urgency backcoach.Urgency
	Advice  []string
}

// Choose decides the content of a break with n exercises.
func Choose(cat *catalog.Catalog, b breaks.Break, n int, in Input) Offer {
	o := Offer{Break: b, Exercises: []backcoach.PlannedExercise{}, Advice: []string{}, Disclaimer: triage.Disclaimer()}
	if in.Rest != nil {
		o.Rest = true
		o.Advice = append([]string{restLine(in.Rest.Urgency)}, in.Rest.Advice...)
		return o
	}
	ans, res := planBasis(in.Answers, in.Result)
	o.Gentle = in.Answers == nil
	p := planner.Build(cat, planner.Request{Answers: &ans, Result: res, Date: in.Date, Level: in.Level})
	o.Exercises = pick(p.Exercises, n, b.Seq, int(b.For/time.Second))
	return o
}

// restLine is the first line of a rest offer.
func restLine(u backcoach.Urgency) string {
	title := triage.LevelOf(u).Title
	if title == "" {
		title = "Rest"
	}
	return fmt.Sprintf("%s. Rest instead of exercising: stand up, walk a few steps, breathe slowly. Exercise comes back once a clinician has checked you and a new check finds no warning sign.", strings.TrimSuffix(title, "."))
}

// planBasis returns the answers and result the break's plan is built from:
// the given ones, or, without an assessment, answers that allow only the
// gentle exercises. Either way the places are the desk and standing.
func planBasis(answers *backcoach.Answers, result backcoach.Result) (backcoach.Answers, backcoach.Result) {
	var ans backcoach.Answers
	res := result
	if answers != nil {
		ans = *answers
		ans.Conditions = slices.Clone(ans.Conditions)
	} else {
		// Nothing is known: the gentle exercises, as for a "soon" urgency.
		ans = backcoach.Answers{Age: 40, Trend: backcoach.TrendSame, ClinicianAssessed: true}
		res = backcoach.Result{Urgency: backcoach.UrgencySoon, Stage: backcoach.StageMild, ExerciseAllowed: true}
	}
	ctx := ans.Routine()
	ctx.Places = slices.Clone(breakPlaces)
	ctx.Minutes = planMinutes
	ans.Context = &ctx
	return ans, res
}

// pick chooses n exercises from the plan's that fit in the break's
// seconds, starting further along for each break of the day so that breaks
// vary. With none fitting, the shortest one.
func pick(list []backcoach.PlannedExercise, n, seq, seconds int) []backcoach.PlannedExercise {
	if len(list) == 0 || n <= 0 {
		return []backcoach.PlannedExercise{}
	}
	fits := slices.DeleteFunc(slices.Clone(list), func(x backcoach.PlannedExercise) bool { return x.Seconds > seconds })
	if len(fits) == 0 {
		return []backcoach.PlannedExercise{slices.MinFunc(list, func(a, b backcoach.PlannedExercise) int { return a.Seconds - b.Seconds })}
	}
	start := max(seq-1, 0) * n % len(fits)
	var chosen []backcoach.PlannedExercise
	left := seconds
	for _, x := range slices.Concat(fits[start:], fits[:start]) {
		if len(chosen) < n && x.Seconds <= left {
			chosen = append(chosen, x)
			left -= x.Seconds + backcoach.RestSeconds
		}
	}
	return chosen
}
