package planner

import (
	"slices"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// The pain gate before a session (docs/clinical.md §5): the pain asked just
// before a session decides what it may hold. The bands, the stop rules and
// the words are data (catalog/pain.json); this is the one function that
// applies them, for every interface.

// The gate's modes.
const (
	GateFull   = catalog.GateFull   // the planned session
	GateGentle = catalog.GateGentle // only the plan's gentle exercises, at the shortest dose
	GateNone   = catalog.GateNone   // no session today: rest, and only the offered exercise
)

// GateResult is what a session may hold at a pain before.
type GateResult struct {
	Mode catalog.GateMode
	// Plan is the plan to guide: the plan itself, its gentle exercises at
	// the shortest dose, or (with no session) only the offered exercise.
	Plan     backcoach.Plan
	StopRule catalog.StopRule
	// Title and Message are said before the session; empty when the
	// planned session goes ahead.
	Title   string
	Message []string
}

// Gate applies the pain gate to a plan. pain must be 0–10.
func Gate(pain int, plan backcoach.Plan, cat *catalog.Catalog) (GateResult, error) {
	if pain < 0 || pain > 10 {
		return GateResult{}, backcoach.Invalid("pain_before", "must be a whole number from 0 to 10, got %d", pain)
	}
	band, _ := cat.Pain().Band(pain) // the catalog checks the bands cover 0–10
	res := GateResult{Mode: band.Mode, StopRule: cat.StopRule(band.StopRule), Title: band.Title, Message: slices.Clone(band.Message), Plan: plan}
	switch band.Mode {
	case GateGentle:
		res.Plan = gentlePlan(plan, cat, func(e *backcoach.Exercise) bool { return e.Gentle })
		if len(res.Plan.Exercises) == 0 {
			// The plan has no gentle exercise (a plan made on a low-pain
			// day may hold none). Doing nothing is safer than a full dose,
			// and the breathing exercise offered on the worst days is
			// gentle enough here too.
			res.Plan = offered(plan, cat, offerOfNone(cat))
		}
	case GateNone:
		res.Plan = offered(plan, cat, band.Offer)
	}
	return res, nil
}

// offerOfNone is what the no-session band offers.
func offerOfNone(cat *catalog.Catalog) []string {
	for _, b := range cat.Pain().Gate {
		if b.Mode == GateNone {
			return b.Offer
		}
	}
	return nil
}

// gentlePlan keeps the plan's exercises that pass keep, each at the
// shortest dose.
func gentlePlan(plan backcoach.Plan, cat *catalog.Catalog, keep func(*backcoach.Exercise) bool) backcoach.Plan {
	out := plan
	out.Exercises = []backcoach.PlannedExercise{}
	for _, x := range plan.Exercises {
		e, err := cat.Get(x.ID)
		if err != nil || !keep(e) {
			continue
		}
		out.Exercises = append(out.Exercises, shortest(x, *e))
	}
	out.TotalSeconds = planSeconds(out.Exercises)
	return out
}

// offered is a plan of only the offered exercises, at the shortest dose.
func offered(plan backcoach.Plan, cat *catalog.Catalog, ids []string) backcoach.Plan {
	out := plan
	out.Exercises = []backcoach.PlannedExercise{}
	for _, id := range ids {
		e, err := cat.Get(id)
		if err != nil {
			continue
		}
		c := newCandidate(*e, &backcoach.Answers{}, modeGentle, 0)
		out.Exercises = append(out.Exercises, c.planned())
	}
	out.TotalSeconds = planSeconds(out.Exercises)
	return out
}

// shortest lowers a planned exercise to the shortest dose: the fewest
// sets and repetitions and the shortest hold, with the gentle cues. A hold
// the planner lengthened for an older adult stays at that length.
func shortest(x backcoach.PlannedExercise, e backcoach.Exercise) backcoach.PlannedExercise {
	d := e.Dose
	c := candidate{ex: e, sets: d.Sets.Min, reps: d.Reps.Min, hold: d.HoldSeconds.Min, secPerRep: d.SecondsPerRep}
	if slices.Contains(x.Changes, olderAdultHold) {
		c.hold = max(c.hold, olderAdultHoldSeconds)
	}
	if d.Kind == backcoach.DoseReps {
		c.hold = d.HoldSeconds.Min
	}
	c.changes = slices.Clone(x.Changes)
	for _, n := range []string{e.GentleNote, gentleBreathing} {
		if n != "" && !slices.Contains(c.changes, n) {
			c.changes = append(c.changes, n)
		}
	}
	out := c.planned()
	out.Warmup, out.Why = x.Warmup, x.Why
	out.Sets, out.Reps, out.HoldSeconds = min(out.Sets, max(x.Sets, 1)), minPositive(out.Reps, x.Reps), minPositive(out.HoldSeconds, x.HoldSeconds)
	out.Seconds = secondsOf(out, e)
	return out
}

// minPositive is the smaller of two doses, a zero one left aside.
func minPositive(a, b int) int {
	if a == 0 || b == 0 {
		return max(a, b)
	}
	return min(a, b)
}

// secondsOf is how long a planned exercise takes, as the planner counts.
func secondsOf(x backcoach.PlannedExercise, e backcoach.Exercise) int {
	c := candidate{ex: e, sets: x.Sets, reps: x.Reps, hold: x.HoldSeconds, secPerRep: e.Dose.SecondsPerRep}
	return c.seconds()
}

// planSeconds is the time of a routine, rests between exercises included.
func planSeconds(xs []backcoach.PlannedExercise) int {
	t := 0
	for i, x := range xs {
		if i > 0 {
			t += backcoach.RestSeconds
		}
		t += x.Seconds
	}
	return t
}
