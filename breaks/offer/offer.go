// Package offer decides what a break offers the person: exercises from
// their own plan, done at the desk or standing beside it, or, when their
// latest check-in answered a warning sign (or their assessment allows no
// exercise), rest and the assessment's advice. Choose is pure; Source reads
// what Choose needs from the store.
package offer

import (
	"context"
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
	// exercise: the latest check-in answered a warning sign, or the
	// latest assessment allows no exercise.
	Rest bool `json:"rest"`
	// Exercises are the break's exercises with today's dose (none when
	// Rest).
	Exercises []backcoach.PlannedExercise `json:"exercises"`
	// Advice is what the assessment says to do (when Rest).
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

// Input is what Choose needs to know about the person.
type Input struct {
	// Latest is the latest saved assessment; nil when there is none.
	Latest *backcoach.SavedAssessment
	// CheckIn is the latest check-in that asked about warning signs; nil
	// when there is none.
	CheckIn *backcoach.DiaryEntry
	// Date is today (YYYY-MM-DD); it varies the plan from day to day.
	Date string
}

// Choose decides the content of a break with n exercises.
func Choose(cat *catalog.Catalog, b breaks.Break, n int, in Input) Offer {
	o := Offer{Break: b, Exercises: []backcoach.PlannedExercise{}, Advice: []string{}, Disclaimer: triage.Disclaimer()}
	if advice, rest := restAdvice(in); rest {
		o.Rest = true
		o.Advice = advice
		return o
	}
	ans, res := planBasis(in.Latest)
	o.Gentle = in.Latest == nil
	p := planner.Build(cat, planner.Request{Answers: &ans, Result: res, Date: in.Date})
	o.Exercises = pick(p.Exercises, n, b.Seq, int(b.For/time.Second))
	return o
}

// restAdvice returns the advice to show instead of exercise, and whether
// rest is what the break offers. A warning sign at the latest check-in
// outweighs an older assessment that allowed exercise (docs/clinical.md §3:
// red flags are asked at every check-in and never remembered as cleared).
// A newer assessment asked the same questions, so its answer counts
// instead.
func restAdvice(in Input) ([]string, bool) {
	c := in.CheckIn
	if c != nil && in.Latest != nil && !c.At.After(in.Latest.TakenAt) {
		c = nil
	}
	if c != nil && len(c.Flags) > 0 {
		ans := backcoach.Answers{Age: 40, Trend: backcoach.TrendSame, ClinicianAssessed: true}
		if in.Latest != nil {
			ans = in.Latest.Answers
		}
		ans.Flags = slices.Clone(c.Flags)
		res := triage.Assess(&ans)
		return append([]string{restLine(res.Urgency)}, res.Advice...), true
	}
	if in.Latest != nil && !in.Latest.Result.ExerciseAllowed {
		return append([]string{restLine(in.Latest.Result.Urgency)}, in.Latest.Result.Advice...), true
	}
	return nil, false
}

// restLine is the first line of a rest offer.
func restLine(u backcoach.Urgency) string {
	title := triage.LevelOf(u).Title
	if title == "" {
		title = "Rest"
	}
	return fmt.Sprintf("%s. Rest instead of exercising: stand up, walk a few steps, breathe slowly. A new check-in without warning signs brings the exercises back.", strings.TrimSuffix(title, "."))
}

// planBasis returns the answers and result the break's plan is built from:
// the latest assessment's, or, without one, answers that allow only the
// gentle exercises. Either way the places are the desk and standing.
func planBasis(latest *backcoach.SavedAssessment) (backcoach.Answers, backcoach.Result) {
	var ans backcoach.Answers
	var res backcoach.Result
	if latest != nil {
		ans, res = latest.Answers, latest.Result
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

// Source reads what a break offers one person from the store.
type Source struct {
	Catalog     *catalog.Catalog
	Assessments backcoach.AssessmentService
	Diary       backcoach.DiaryService
	// Person is the acting person's id.
	Person string
	// Exercises is how many exercises each kind of break offers.
	Exercises map[breaks.Kind]int
}

// checkInsLooked is how many recent check-ins are searched for the latest
// one that asked about warning signs.
const checkInsLooked = 30

// Offer returns the content of a break for today (YYYY-MM-DD).
func (s *Source) Offer(ctx context.Context, b breaks.Break, date string) (Offer, error) {
	in := Input{Date: date}
	if s.Assessments != nil {
		list, err := s.Assessments.Assessments(ctx, s.Person, backcoach.Filter{Limit: 1, NewestFirst: true})
		if err != nil {
			return Offer{}, fmt.Errorf("reading the latest assessment: %w", err)
		}
		if len(list) > 0 {
			in.Latest = &list[0]
		}
	}
	if s.Diary != nil {
		list, err := s.Diary.DiaryEntries(ctx, s.Person, backcoach.Filter{Limit: checkInsLooked, NewestFirst: true})
		if err != nil {
			return Offer{}, fmt.Errorf("reading the latest check-in: %w", err)
		}
		for i := range list {
			if list[i].FlagsAsked {
				in.CheckIn = &list[i]
				break
			}
		}
	}
	n := s.Exercises[b.Kind]
	if n == 0 {
		n = 1
	}
	return Choose(s.Catalog, b, n, in), nil
}
