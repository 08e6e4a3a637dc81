// Package planner builds a day's routine from an assessment's Result, the
// person's Answers and the exercise catalog, and decides when doses step up
// or down (docs/clinical.md §5). It is pure: the date and history come in as
// arguments.
package planner

import (
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// Request is everything a plan depends on.
type Request struct {
	Answers *backcoach.Answers
	Result  backcoach.Result
	// Date is the day the plan is for (YYYY-MM-DD); it varies the choice
	// from day to day, deterministically.
	Date string
	// Level is the progression step (see Progress): 0 is the stage's dose.
	Level int
}

// mode is how hard a plan may be, from the stage and urgency.
type mode int

const (
	modeNormal   mode = iota // mild pain: all allowed exercises, normal dose
	modeModerate             // moderate pain: lower end of the dose, slower
	modeGentle               // high pain or "soon": gentle exercises only, shortest dose
)

func modeOf(r backcoach.Result) mode {
	switch {
	case r.Stage == backcoach.StageHigh || r.Urgency == backcoach.UrgencySoon:
		return modeGentle
	case r.Stage == backcoach.StageModerate:
		return modeModerate
	default:
		return modeNormal
	}
}

// olderAdultAge is the age from which ACSM advises longer static holds
// (30–60 s).
const olderAdultAge = 65

// olderAdultHoldSeconds is the hold an older adult gets at least, and
// olderAdultHold the change that says so.
const (
	olderAdultHoldSeconds = 30
	olderAdultHold        = "Hold each stretch for 30 seconds: longer holds suit adults over 65."
)

// gentleBreathing is the breathing cue of every exercise at the gentle
// dose.
const gentleBreathing = "Breathe slowly and let each breath out soften the movement."

// transitionSeconds is the time to get into a position, change sides or
// start the next set.
const transitionSeconds = 5

// Build makes the plan. When the Result does not allow exercise the plan
// has no exercises and no exclusions: its urgency says why.
func Build(cat *catalog.Catalog, req Request) backcoach.Plan {
	a := req.Answers
	ctx := a.Routine()
	p := backcoach.Plan{
		Urgency:   req.Result.Urgency,
		Stage:     req.Result.Stage,
		Minutes:   ctx.Minutes,
		Date:      req.Date,
		Level:     req.Level,
		Exercises: []backcoach.PlannedExercise{},
		Excluded:  []backcoach.Exclusion{},
		Notes:     []string{},
	}
	if !req.Result.ExerciseAllowed {
		p.Level = 0
		p.Notes = append(p.Notes, "No exercises until a doctor has checked your symptoms: see the advice of your assessment.")
		return p
	}
	m := modeOf(req.Result)
	var candidates []candidate
	for _, e := range cat.All() {
		if ex, left := exclusion(&e, a, ctx, m); left {
			p.Excluded = append(p.Excluded, ex)
			continue
		}
		candidates = append(candidates, newCandidate(e, a, m, req.Level))
	}
	chosen := choose(candidates, a, req.Date, ctx.Minutes*60)
	total := 0
	for i, c := range chosen {
		if i > 0 {
			total += backcoach.RestSeconds
		}
		total += c.seconds()
		p.Exercises = append(p.Exercises, c.planned())
	}
	p.TotalSeconds = total
	p.Notes = append(p.Notes, notes(m, a, req, len(chosen), families(candidates), cat.StopRule(catalog.StopUsual))...)
	return p
}

// exclusion says whether an exercise is left out, and why. Safety reasons
// come first, then what the person has today.
func exclusion(e *backcoach.Exercise, a *backcoach.Answers, ctx backcoach.Context, m mode) (backcoach.Exclusion, bool) {
	if ex, left := ConditionExclusion(e, a.Conditions); left {
		return ex, true
	}
	if m == modeGentle && !e.Gentle {
		return backcoach.Exclusion{ID: e.ID, Reason: backcoach.ExcludeStage, Detail: "Only the gentlest exercises are offered until the pain eases or you have been checked."}, true
	}
	if !hasAnyPlace(e, ctx.Places) {
		return backcoach.Exclusion{ID: e.ID, Reason: backcoach.ExcludePlace, Detail: fmt.Sprintf("It is done %s, which is not one of the places you chose today.", placeWords(e.Places))}, true
	}
	if !catalog.HasAll(ctx.Equipment, e.Equipment) {
		return backcoach.Exclusion{ID: e.ID, Reason: backcoach.ExcludeEquipment, Detail: fmt.Sprintf("It needs %s, which you did not list.", equipmentWords(e.Equipment))}, true
	}
	return backcoach.Exclusion{}, false
}

var nonFloor = []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding}

func hasAnyPlace(e *backcoach.Exercise, places []backcoach.Place) bool {
	return slices.ContainsFunc(places, e.HasPlace)
}

func placeWords(places []backcoach.Place) string {
	words := map[backcoach.Place]string{backcoach.PlaceDesk: "at a desk", backcoach.PlaceStanding: "standing", backcoach.PlaceFloor: "on the floor"}
	s := make([]string, len(places))
	for i, p := range places {
		s[i] = words[p]
	}
	return strings.Join(s, " or ")
}

// equipmentWords names what an exercise needs with the words of the
// question the person answered: "wall" is asked as "a wall or doorway",
// and the doorway chest stretch needs it for the door frame.
func equipmentWords(eq []backcoach.Equipment) string {
	words := map[backcoach.Equipment]string{backcoach.EquipmentWall: "a wall or a doorway", backcoach.EquipmentFoamRoller: "a foam roller", backcoach.EquipmentChair: "a chair", backcoach.EquipmentMat: "a mat"}
	s := make([]string, len(eq))
	for i, q := range eq {
		s[i] = words[q]
	}
	return strings.Join(s, " and ")
}

// candidate is an allowed exercise with the dose chosen for today.
type candidate struct {
	ex         backcoach.Exercise
	sets, reps int
	hold       int
	secPerRep  int
	changes    []string
	why        string
	warmup     bool
	emphasised bool
}

func newCandidate(e backcoach.Exercise, a *backcoach.Answers, m mode, level int) candidate {
	d := e.Dose
	c := candidate{ex: e, secPerRep: d.SecondsPerRep}
	switch m {
	case modeNormal:
		c.sets, c.reps, c.hold = mid(d.Sets), mid(d.Reps), mid(d.HoldSeconds)
	default:
		c.sets, c.reps, c.hold = d.Sets.Min, d.Reps.Min, d.HoldSeconds.Min
	}
	if d.Kind == backcoach.DoseReps {
		c.hold = d.HoldSeconds.Min // the pause within a repetition
	}
	if m == modeModerate && d.Kind == backcoach.DoseReps {
		c.secPerRep = (d.SecondsPerRep*5 + 3) / 4 // slower tempo
		c.changes = append(c.changes, "Move more slowly than usual, at the easy end of the range.")
	}
	if m == modeGentle {
		if e.GentleNote != "" {
			c.changes = append(c.changes, e.GentleNote)
		}
		c.changes = append(c.changes, gentleBreathing)
	}
	c.step(level)
	if d.Kind == backcoach.DoseHold && a.Age >= olderAdultAge && c.hold < olderAdultHoldSeconds {
		c.hold = olderAdultHoldSeconds
		c.changes = append(c.changes, olderAdultHold)
	}
	for _, cond := range a.Conditions {
		if k, ok := e.Caution(cond); ok && k.Effect == backcoach.CautionModify {
			c.changes = append(c.changes, k.Note)
		}
	}
	for _, cause := range a.Causes {
		if slices.Contains(e.Emphasis, cause) {
			c.emphasised = true
		}
	}
	c.why = why(e, a)
	return c
}

func mid(r backcoach.Range) int { return (r.Min + r.Max) / 2 }

// step applies progression steps to the dose: a step up is a longer hold
// (+5 s) or two more repetitions, then one more set; a step down undoes that,
// never below the dose's minimum or one set.
func (c *candidate) step(level int) {
	d := c.ex.Dose
	for ; level > 0; level-- {
		switch {
		case d.Kind == backcoach.DoseReps && c.reps < d.Reps.Max:
			c.reps = min(c.reps+2, d.Reps.Max)
		case d.Kind != backcoach.DoseReps && c.hold < d.HoldSeconds.Max:
			c.hold = min(c.hold+5, d.HoldSeconds.Max)
		case c.sets < d.Sets.Max:
			c.sets++
		}
	}
	for ; level < 0; level++ {
		switch {
		case d.Kind == backcoach.DoseReps && c.reps > d.Reps.Min:
			c.reps = max(c.reps-2, d.Reps.Min)
		case d.Kind != backcoach.DoseReps && c.hold > d.HoldSeconds.Min:
			c.hold = max(c.hold-5, d.HoldSeconds.Min)
		case c.sets > 1:
			c.sets--
		}
	}
}

func (c *candidate) sides() int {
	if c.ex.Dose.Sides == backcoach.SidesEach {
		return 2
	}
	return 1
}

// seconds estimates how long the exercise takes, without the rest after it.
func (c *candidate) seconds() int {
	rounds := c.sets * c.sides()
	per := c.hold
	if c.ex.Dose.Kind == backcoach.DoseReps {
		per = c.reps * c.secPerRep
	}
	return rounds*per + rounds*transitionSeconds
}

// shrink lowers the dose one notch to fit a short routine; it reports
// false when the dose is already as small as it gets.
func (c *candidate) shrink() bool {
	d := c.ex.Dose
	switch {
	case c.sets > 1:
		c.sets--
	case d.Kind == backcoach.DoseReps && c.reps > d.Reps.Min:
		c.reps--
	case d.Kind != backcoach.DoseReps && c.hold > d.HoldSeconds.Min:
		c.hold = max(c.hold-5, d.HoldSeconds.Min)
	default:
		return false
	}
	return true
}

func (c *candidate) planned() backcoach.PlannedExercise {
	reps := 0
	if c.ex.Dose.Kind == backcoach.DoseReps {
		reps = c.reps
	}
	changes := c.changes
	if changes == nil {
		changes = []string{}
	}
	return backcoach.PlannedExercise{
		ID: c.ex.ID, Name: c.ex.Name, Sets: c.sets, Reps: reps, HoldSeconds: c.hold,
		Sides: c.ex.Dose.Sides, Tempo: c.ex.Dose.Tempo, Seconds: c.seconds(),
		Warmup: c.warmup, Why: c.why, Changes: changes,
	}
}

// why says in plain words why the exercise is in the plan.
func why(e backcoach.Exercise, a *backcoach.Answers) string {
	causeWords := map[backcoach.Cause]string{
		backcoach.CauseDeskWork: "desk work", backcoach.CausePosture: "posture", backcoach.CauseStress: "stress",
		backcoach.CauseOveruse: "overuse", backcoach.CauseHeavyBag: "carrying a heavy bag", backcoach.CauseLiftingWork: "lifting at work",
		backcoach.CauseExcessWeight: "extra weight", backcoach.CauseInjury: "an injury", backcoach.CauseDiscOrNerve: "a disc or nerve problem",
	}
	var suits []string
	for _, cause := range a.Causes {
		if slices.Contains(e.Emphasis, cause) {
			suits = append(suits, causeWords[cause])
		}
	}
	s := e.Purpose
	if len(suits) > 0 {
		s += " Chosen because it suits pain linked to " + strings.Join(suits, " and ") + "."
	}
	return s
}

// dayHash varies the choice by date, the same way every time for a date.
func dayHash(date, id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(date))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum32()
}

// families counts the exercise families among the candidates: versions of
// one movement count once, as a routine holds only one of them.
func families(cands []candidate) int {
	seen := map[string]bool{}
	for _, c := range cands {
		seen[c.ex.Family()] = true
	}
	return len(seen)
}

// choose picks a warm-up and then as many exercises as fit in the time,
// preferring those that suit the person's causes and varying the rest by
// day; the result is ordered from upright to lying. It takes at most one
// exercise of a family (cat-cow or seated cat-cow, docs/clinical.md §5):
// the candidates are already only those that fit the person (a kneeling
// version is gone when kneeling is excluded, a floor version when the
// floor is not among today's places), and of the rest the one that suits
// the person's causes comes first, then the day's rotation decides.
func choose(cands []candidate, a *backcoach.Answers, date string, budget int) []candidate {
	if len(cands) == 0 {
		return nil
	}
	order := slices.Clone(cands)
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].emphasised != order[j].emphasised {
			return order[i].emphasised
		}
		return dayHash(date, order[i].ex.ID) < dayHash(date, order[j].ex.ID)
	})
	var chosen []candidate
	taken := map[string]bool{} // the families already in the routine
	if w := warmup(order, date); w >= 0 {
		c := order[w]
		c.warmup = true
		for c.seconds() > budget && c.shrink() {
		}
		if c.seconds() <= budget {
			chosen = append(chosen, c)
			taken[c.ex.Family()] = true
		}
		order = slices.Delete(order, w, w+1)
	}
	used := totalSeconds(chosen)
	for _, c := range order {
		if taken[c.ex.Family()] {
			continue
		}
		cost := c.seconds()
		if len(chosen) > 0 {
			cost += backcoach.RestSeconds
		}
		if used+cost <= budget {
			chosen = append(chosen, c)
			taken[c.ex.Family()] = true
			used += cost
		}
	}
	if len(chosen) == 0 {
		// Not even one exercise fits at its dose: take the shortest one and
		// shrink it into the time.
		c := slices.MinFunc(cands, func(x, y candidate) int { return x.seconds() - y.seconds() })
		for c.seconds() > budget && c.shrink() {
		}
		if c.seconds() <= budget {
			chosen = append(chosen, c)
		}
	}
	sort.SliceStable(chosen, func(i, j int) bool {
		if chosen[i].warmup != chosen[j].warmup {
			return chosen[i].warmup
		}
		return chosen[i].ex.Position.Order() < chosen[j].ex.Position.Order()
	})
	return chosen
}

// warmup returns the index of the day's warm-up among the ordered
// candidates: the most upright warm-up, so the routine never goes back up
// from the floor, or -1 if there is none.
func warmup(order []candidate, date string) int {
	best := -1
	for i, c := range order {
		if !c.ex.Warmup {
			continue
		}
		if best < 0 || c.ex.Position.Order() < order[best].ex.Position.Order() {
			best = i
		}
	}
	return best
}

func totalSeconds(cs []candidate) int {
	t := 0
	for i, c := range cs {
		if i > 0 {
			t += backcoach.RestSeconds
		}
		t += c.seconds()
	}
	return t
}

// notes explains the plan as a whole.
func notes(m mode, a *backcoach.Answers, req Request, chosen, allowed int, stop catalog.StopRule) []string {
	var n []string
	switch m {
	case modeGentle:
		if req.Result.Stage == backcoach.StageHigh {
			n = append(n, "Your pain is high today, so only the gentlest exercises are offered, at the shortest dose.")
		} else {
			n = append(n, "Until a GP or physiotherapist has checked your back, only the gentlest exercises are offered.")
		}
	case modeModerate:
		n = append(n, "With moderate pain, the doses are at the easy end and the movements slower.")
	}
	if req.Level > 0 {
		n = append(n, fmt.Sprintf("Doses are %d step(s) up, because your recent sessions went well.", req.Level))
	} else if req.Level < 0 {
		n = append(n, fmt.Sprintf("Doses are %d step(s) down, because a recent session raised your pain.", -req.Level))
	}
	if chosen == 0 {
		n = append(n, "None of the exercises that suit you fits today's places, equipment and time: try more minutes or another place.")
	} else if chosen < allowed {
		n = append(n, fmt.Sprintf("%d more exercise(s) suit you but did not fit in the time; they rotate in on other days.", allowed-chosen))
	}
	if a.HasCause(backcoach.CauseDeskWork) {
		n = append(n, "Sitting for long stretches is a common cause: take a short movement break every 30 minutes.")
	}
	n = append(n, stop.Summary) // the usual stop rule, kept once in catalog/pain.json
	return n
}
