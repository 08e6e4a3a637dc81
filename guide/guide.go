// Package guide is the state machine of a guided session, shared by every
// interface that runs one (the terminal's full screen and line mode, and
// the web player through its segments). It is pure: it never reads a clock
// or does I/O, every method that depends on time takes now, so tests can
// step through every state without waiting.
package guide

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// Why an exercise was skipped or stopped; stored in ExerciseOutcome.Reason.
const (
	ReasonTooPainful  = "too painful"
	ReasonCannotDo    = "can't do it"
	ReasonNoEquipment = "no equipment"
	ReasonNoTime      = "no time"
	// ReasonSymptoms is a stop asked for with the "pain spreading,
	// numbness, feeling unwell" key.
	ReasonSymptoms = "pain spreading, numbness or feeling unwell"
	// ReasonEndedEarly marks the exercises not reached when the session
	// was ended before its end.
	ReasonEndedEarly = "session ended early"
	// warningSignPrefix starts the reason of the exercise during which a
	// warning sign was reported; such a session cannot be resumed.
	warningSignPrefix = "warning sign: "
)

// SkipReasons are the answers to "why skip?", in the order offered.
var SkipReasons = []string{ReasonTooPainful, ReasonCannotDo, ReasonNoEquipment, ReasonNoTime}

// Timing of a session.
const (
	// TransitionTime is the time to get into position before each round,
	// change sides or start the next set; the planner counts the same.
	TransitionTime = 5 * time.Second
	// RestTime is the rest between two exercises.
	RestTime = backcoach.RestSeconds * time.Second
	// tenLeft is when the "10 seconds left" cue is given in a hold.
	tenLeft = 10 * time.Second
	// defaultPerRep is the pace of a repetition when neither the plan nor
	// the catalog says.
	defaultPerRep = 6 * time.Second
)

// Item is one exercise of the session: the plan's dose and the catalog's
// description.
type Item struct {
	Plan     backcoach.PlannedExercise
	Exercise backcoach.Exercise
}

// Phase is where a guided session is.
type Phase int

// The phases of a session.
const (
	PhasePainBefore    Phase = iota // asking pain before, 0–10
	PhaseGate                       // the pain before limits the session: its words, waiting for go on or leave
	PhaseReady                      // an exercise is shown; waiting for the start key
	PhaseWork                       // a hold, timed movement or repetitions are running
	PhaseSwitch                     // getting into position, changing sides or sets
	PhaseRest                       // resting before the next exercise
	PhaseSkipReason                 // asking why the exercise is skipped
	PhaseConfirmQuit                // asking whether to quit now
	PhaseSymptoms                   // asking the warning-sign questions
	PhaseSymptomAdvice              // no warning sign: go on or end
	PhasePainAfter                  // asking pain after, 0–10
	PhaseSummary                    // finished: the summary is shown
	PhaseStopped                    // ended by a warning sign: what to do now
	PhaseQuit                       // left before the end; can be resumed
)

// Ended reports whether the session is over, one way or another.
func (p Phase) Ended() bool { return p == PhaseSummary || p == PhaseStopped || p == PhaseQuit }

// SegmentKind says what a segment of an exercise is.
type SegmentKind int

// The kinds of segment.
const (
	SegmentTransition SegmentKind = iota // get into position, other side, next set
	SegmentWork                          // the hold, the timed movement or the repetitions
)

// Segment is one timed part of an exercise.
type Segment struct {
	Kind     SegmentKind
	Dose     backcoach.DoseKind
	Set      int // 1-based
	Sets     int
	Side     int // 1-based; 1 when the exercise has no sides
	Sides    int
	Duration time.Duration
	Reps     int           // repetitions, for a reps dose
	PerRep   time.Duration // the pace of one repetition
	// Label says what a transition is for.
	Label string
}

// EventKind says what happened while a session advanced.
type EventKind int

// The events a session reports, for cues and bells.
const (
	EventSegment  EventKind = iota // a segment began
	EventRep                       // a new repetition began
	EventTenLeft                   // 10 seconds are left in a hold or timed movement
	EventBell                      // a hold or timed movement ended
	EventRest                      // the rest before the next exercise began
	EventReady                     // an exercise is shown, waiting to start
	EventFinished                  // every exercise is through; pain after is asked
)

// Event is something the person should be told of as it happens.
type Event struct {
	Kind    EventKind
	Item    int
	Segment Segment
	Rep     int
}

// Guide is the state of one guided session. It never reads a clock: every
// method that depends on time takes now, and Advance moves the timers to
// it. Pausing freezes the timers and the session's duration.
type Guide struct {
	plan  backcoach.Plan
	cat   *catalog.Catalog
	gate  planner.GateResult
	items []Item
	level int

	phase  Phase
	paused bool
	cur    int
	segs   []Segment
	seg    int
	left   time.Duration
	last   time.Time

	started    time.Time
	active     time.Duration
	spent      []time.Duration
	begun      []bool
	outcomes   []*backcoach.ExerciseOutcome
	painBefore int
	painAfter  *int

	// back is the phase to return to from a question that was cancelled.
	back       Phase
	skipTarget int

	questions []triage.Flag
	// history are the person's history signs a clinician has cleared:
	// not asked again, but counted in the combinations (cancer with new
	// limb symptoms is an emergency).
	history  []string
	question int
	flags    []string
	result   *backcoach.Result
	// after a stop for symptoms with no warning sign: where to go on.
	resumeItem  int
	resumePhase Phase
}

// New starts a session over a plan; it begins by asking pain before, and
// the pain gate (planner.Gate) then decides what the session holds.
func New(plan backcoach.Plan, cat *catalog.Catalog) (*Guide, error) {
	items, err := Items(plan, cat)
	if err != nil {
		return nil, err
	}
	g := &Guide{plan: plan, cat: cat, level: plan.Level, phase: PhasePainBefore}
	g.gate = planner.GateResult{Mode: planner.GateFull, Plan: plan, StopRule: cat.StopRule(catalog.StopUsual)}
	g.setItems(items)
	return g, nil
}

// Items joins a plan's exercises with the catalog's descriptions.
func Items(plan backcoach.Plan, cat *catalog.Catalog) ([]Item, error) {
	items := make([]Item, 0, len(plan.Exercises))
	for _, x := range plan.Exercises {
		e, err := cat.Get(x.ID)
		if err != nil {
			return nil, err
		}
		items = append(items, Item{Plan: x, Exercise: *e})
	}
	return items, nil
}

// setItems makes items the session's exercises, none of them begun.
func (g *Guide) setItems(items []Item) {
	n := len(items)
	g.items = items
	g.spent, g.begun, g.outcomes = make([]time.Duration, n), make([]bool, n), make([]*backcoach.ExerciseOutcome, n)
}

// applyGate decides, from pain before, what the session holds.
func (g *Guide) applyGate(pain int) error {
	gate, err := planner.Gate(pain, g.plan, g.cat)
	if err != nil {
		return err
	}
	items, err := Items(gate.Plan, g.cat)
	if err != nil {
		return err
	}
	g.gate = gate
	g.setItems(items)
	return nil
}

// Resume continues an unfinished session over the same plan: the pain
// gate is applied with the pain before it recorded, the exercises it
// recorded keep their outcomes, and the session goes on from the first
// exercise without one, with its start time and duration.
func Resume(plan backcoach.Plan, cat *catalog.Catalog, prior *backcoach.Session, now time.Time) (*Guide, error) {
	g, err := New(plan, cat)
	if err != nil {
		return nil, err
	}
	g.level = prior.Level
	if err := g.applyGate(prior.PainBefore); err != nil {
		return nil, err
	}
	g.painBefore, g.started = prior.PainBefore, prior.StartedAt
	g.active = time.Duration(prior.DurationSeconds) * time.Second
	for _, o := range prior.Exercises {
		for i, it := range g.items {
			if it.Plan.ID == o.ExerciseID && g.outcomes[i] == nil {
				g.outcomes[i] = &o
				g.spent[i] = time.Duration(o.Seconds) * time.Second
				break
			}
		}
	}
	g.last = now
	next := g.firstPending(0)
	if next < 0 {
		g.phase = PhasePainAfter
		return g, nil
	}
	g.cur, g.phase = next, PhaseReady
	return g, nil
}

// Resumable reports whether a stored session was left before its end and
// can be continued over its plan: no pain after, an exercise of the gated
// session still to do, and not ended by a warning sign.
func Resumable(s *backcoach.Session, plan backcoach.Plan, cat *catalog.Catalog) bool {
	gate, err := planner.Gate(s.PainBefore, plan, cat)
	if err != nil || s.PainAfter != nil || len(s.Exercises) >= len(gate.Plan.Exercises) {
		return false
	}
	for _, e := range s.Exercises {
		if strings.HasPrefix(e.Reason, warningSignPrefix) || e.Reason == ReasonEndedEarly {
			return false
		}
	}
	return true
}

// firstPending returns the first exercise from i on without an outcome,
// or -1.
func (g *Guide) firstPending(i int) int {
	for ; i < len(g.items); i++ {
		if g.outcomes[i] == nil {
			return i
		}
	}
	return -1
}

// Phase returns where the session is.
func (g *Guide) Phase() Phase { return g.phase }

// Paused reports whether the timers are paused.
func (g *Guide) Paused() bool { return g.paused }

// Items returns the session's exercises: the plan's until pain before is
// given, then those the pain gate allows.
func (g *Guide) Items() []Item { return g.items }

// Gate returns what the pain gate decided: before pain before is given,
// the planned session with the usual stop rule.
func (g *Guide) Gate() planner.GateResult { return g.gate }

// StopIf is the "Stop if" list of an exercise under today's stop rule.
func (g *Guide) StopIf(it Item) []string { return g.cat.StopIf(it.Exercise.ID, g.gate.StopRule) }

// Level returns the plan's dose level.
func (g *Guide) Level() int { return g.level }

// Index returns the number of the current exercise, from 0.
func (g *Guide) Index() int { return g.cur }

// Current returns the current exercise.
func (g *Guide) Current() Item { return g.items[g.cur] }

// Next returns the exercise after the current one, if any: during a rest,
// the one coming up.
func (g *Guide) Next() (Item, bool) {
	if g.cur+1 < len(g.items) {
		return g.items[g.cur+1], true
	}
	return Item{}, false
}

// Segment returns the running segment, during work or a transition (and
// while a skip or quit question interrupts one).
func (g *Guide) Segment() (Segment, bool) {
	phase := g.phase
	if phase == PhaseSkipReason || phase == PhaseConfirmQuit {
		phase = g.back
	}
	if (phase == PhaseWork || phase == PhaseSwitch) && g.seg < len(g.segs) {
		return g.segs[g.seg], true
	}
	return Segment{}, false
}

// Left returns the time left in the running segment or rest.
func (g *Guide) Left() time.Duration { return g.left }

// Rep returns, during repetitions, the repetition under way (from 1) and
// whether it is in its second half (coming back).
func (g *Guide) Rep() (rep int, returning bool) {
	s, ok := g.Segment()
	if !ok || s.Kind != SegmentWork || s.Dose != backcoach.DoseReps || s.PerRep <= 0 {
		return 0, false
	}
	done := s.Duration - g.left
	rep = min(int(done/s.PerRep)+1, s.Reps)
	within := done - time.Duration(rep-1)*s.PerRep
	return rep, within*2 >= s.PerRep
}

// PainBefore returns the pain before the session.
func (g *Guide) PainBefore() int { return g.painBefore }

// Elapsed returns the session's time so far, pauses left out.
func (g *Guide) Elapsed() time.Duration { return g.active }

// Outcome returns what became of an exercise, if anything yet.
func (g *Guide) Outcome(i int) *backcoach.ExerciseOutcome { return g.outcomes[i] }

// SkipTarget returns the exercise a skip question is about.
func (g *Guide) SkipTarget() Item { return g.items[g.skipTarget] }

// Question returns the warning-sign question being asked, its number from
// 0 and how many there are.
func (g *Guide) Question() (triage.Flag, int, int) {
	if g.question >= len(g.questions) {
		return triage.Flag{}, g.question, len(g.questions)
	}
	return g.questions[g.question], g.question, len(g.questions)
}

// Result returns the outcome of the warning-sign questions that ended the
// session.
func (g *Guide) Result() *backcoach.Result { return g.result }

// running reports whether the segment or rest timers run.
func (g *Guide) running() bool {
	return !g.paused && (g.phase == PhaseWork || g.phase == PhaseSwitch || g.phase == PhaseRest)
}

// Running reports whether a timer runs, so the caller knows to keep
// ticking; when it is false nothing changes until a key is pressed.
func (g *Guide) Running() bool { return g.running() }

// inProgress reports whether the session's duration is counting.
func (g *Guide) inProgress() bool {
	return !g.started.IsZero() && !g.phase.Ended() && !g.paused
}

// Advance moves the session's clock to now: timers run down, segments and
// rests that end give way to the next, and the events on the way are
// returned in order.
func (g *Guide) Advance(now time.Time) []Event {
	if g.last.IsZero() {
		g.last = now
		return nil
	}
	d := now.Sub(g.last)
	if d <= 0 {
		return nil
	}
	g.last = now
	if g.inProgress() {
		g.active += d
	}
	var events []Event
	for d > 0 && g.running() {
		if d < g.left {
			events = g.consume(d, events)
			return events
		}
		d -= g.left
		events = g.consume(g.left, events)
		events = g.finish(events)
	}
	return events
}

// consume runs the current timer down by d (less than or equal to what is
// left), with the cues that fall in it.
func (g *Guide) consume(d time.Duration, events []Event) []Event {
	if g.phase == PhaseRest {
		g.left -= d
		return events
	}
	before, _ := g.Rep()
	wasLeft := g.left
	g.left -= d
	g.spent[g.cur] += d
	s := g.segs[g.seg]
	if s.Kind != SegmentWork {
		return events
	}
	if after, _ := g.Rep(); after > before && g.left > 0 {
		events = append(events, Event{Kind: EventRep, Item: g.cur, Segment: s, Rep: after})
	}
	if s.Dose != backcoach.DoseReps && s.Duration > tenLeft && wasLeft > tenLeft && g.left <= tenLeft && g.left > 0 {
		events = append(events, Event{Kind: EventTenLeft, Item: g.cur, Segment: s})
	}
	return events
}

// finish ends the current segment or rest and starts what follows.
func (g *Guide) finish(events []Event) []Event {
	if g.phase == PhaseRest {
		return g.showItem(g.cur+1, events)
	}
	s := g.segs[g.seg]
	if s.Kind == SegmentWork && s.Dose != backcoach.DoseReps {
		events = append(events, Event{Kind: EventBell, Item: g.cur, Segment: s})
	}
	g.seg++
	if g.seg < len(g.segs) {
		return g.startSegment(events)
	}
	g.record(g.cur, backcoach.OutcomeDone, "")
	if next := g.firstPending(g.cur + 1); next >= 0 {
		g.phase, g.left = PhaseRest, RestTime
		return append(events, Event{Kind: EventRest, Item: g.cur})
	}
	return g.toPainAfter(events)
}

// startSegment begins segment g.seg of the current exercise.
func (g *Guide) startSegment(events []Event) []Event {
	s := g.segs[g.seg]
	g.left = s.Duration
	g.phase = PhaseSwitch
	if s.Kind == SegmentWork {
		g.phase = PhaseWork
		g.begun[g.cur] = true
	}
	events = append(events, Event{Kind: EventSegment, Item: g.cur, Segment: s})
	if s.Kind == SegmentWork && s.Dose == backcoach.DoseReps {
		events = append(events, Event{Kind: EventRep, Item: g.cur, Segment: s, Rep: 1})
	}
	return events
}

// showItem shows exercise i, waiting for the start key, or asks pain
// after when there is none left.
func (g *Guide) showItem(i int, events []Event) []Event {
	next := g.firstPending(i)
	if next < 0 {
		return g.toPainAfter(events)
	}
	g.cur, g.phase, g.paused, g.left, g.segs, g.seg = next, PhaseReady, false, 0, nil, 0
	return append(events, Event{Kind: EventReady, Item: next})
}

func (g *Guide) toPainAfter(events []Event) []Event {
	g.phase, g.paused, g.left = PhasePainAfter, false, 0
	return append(events, Event{Kind: EventFinished, Item: g.cur})
}

// record sets the outcome of exercise i.
func (g *Guide) record(i int, o backcoach.Outcome, reason string) {
	g.outcomes[i] = &backcoach.ExerciseOutcome{
		ExerciseID: g.items[i].Plan.ID,
		Outcome:    o,
		Reason:     reason,
		Seconds:    int((g.spent[i] + time.Second/2) / time.Second),
	}
}

// SetPainBefore records pain before (0–10) and shows the first exercise.
func (g *Guide) SetPainBefore(pain int, now time.Time) ([]Event, error) {
	if g.phase != PhasePainBefore {
		return nil, nil
	}
	if err := g.applyGate(pain); err != nil {
		return nil, err
	}
	g.painBefore, g.started, g.last = pain, now, now
	if g.gate.Mode != planner.GateFull {
		g.phase = PhaseGate
		return nil, nil
	}
	if len(g.items) == 0 {
		return g.toPainAfter(nil), nil
	}
	return g.showItem(0, nil), nil
}

// Accept goes on, after the pain gate's words, with what it allows: the
// gentle exercises, or the one offered on a day without a session.
func (g *Guide) Accept(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseGate {
		return events
	}
	return g.showItem(0, events)
}

// Decline leaves at the pain gate's words. On a day without a session
// nothing is recorded (Record says so); otherwise it is a session left
// before its first exercise.
func (g *Guide) Decline(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseGate {
		return events
	}
	g.phase = PhaseQuit
	return events
}

// Begin starts the shown exercise: a short transition to get into
// position, then the work.
func (g *Guide) Begin(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseReady {
		return events
	}
	g.segs, g.seg = Segments(g.items[g.cur]), 0
	return g.startSegment(events)
}

// SkipRest ends a rest early and shows the next exercise.
func (g *Guide) SkipRest(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseRest {
		return events
	}
	return g.showItem(g.cur+1, events)
}

// TogglePause pauses or resumes the running timers.
func (g *Guide) TogglePause(now time.Time) []Event {
	events := g.Advance(now)
	if g.paused || g.phase == PhaseWork || g.phase == PhaseSwitch || g.phase == PhaseRest {
		g.paused = !g.paused
	}
	return events
}

// Skip asks why the exercise is skipped: the current one, or during a
// rest the one coming up.
func (g *Guide) Skip(now time.Time) []Event {
	events := g.Advance(now)
	switch g.phase {
	case PhaseReady, PhaseWork, PhaseSwitch:
		g.skipTarget = g.cur
	case PhaseRest:
		g.skipTarget = g.firstPending(g.cur + 1)
	default:
		return events
	}
	g.back, g.phase = g.phase, PhaseSkipReason
	return events
}

// SkipBecause records the skip with one of SkipReasons and moves on. An
// exercise already under way is recorded as stopped, one not begun as
// skipped.
func (g *Guide) SkipBecause(reason string, now time.Time) ([]Event, error) {
	events := g.Advance(now)
	if g.phase != PhaseSkipReason {
		return events, nil
	}
	if !validSkipReason(reason) {
		return events, backcoach.Invalid("reason", "must be one of %s, got %q", strings.Join(SkipReasons, ", "), reason)
	}
	t := g.skipTarget
	outcome := backcoach.OutcomeSkipped
	if t == g.cur && g.begun[t] && (g.back == PhaseWork || g.back == PhaseSwitch) {
		outcome = backcoach.OutcomeStopped
	}
	g.record(t, outcome, reason)
	g.paused = false
	return g.showItem(t+1, events), nil
}

func validSkipReason(r string) bool {
	for _, s := range SkipReasons {
		if s == r {
			return true
		}
	}
	return false
}

// Cancel leaves a skip or quit question and goes back to where it was.
func (g *Guide) Cancel(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase == PhaseSkipReason || g.phase == PhaseConfirmQuit {
		g.phase = g.back
	}
	return events
}

// Back goes back: during an exercise or the rest after it, to the start
// of that exercise; when an exercise is only shown, to the one before.
// The exercise gone back to loses its outcome, to be done again.
func (g *Guide) Back(now time.Time) []Event {
	events := g.Advance(now)
	target := g.cur
	switch g.phase {
	case PhaseWork, PhaseSwitch, PhaseRest:
	case PhaseReady:
		if g.cur == 0 {
			return events
		}
		target = g.cur - 1
	default:
		return events
	}
	g.outcomes[target] = nil
	return g.showItem(target, events)
}

// Quit asks whether to leave the session now.
func (g *Guide) Quit(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase.Ended() || g.phase == PhaseConfirmQuit || g.phase == PhaseSymptoms {
		return events
	}
	if g.phase == PhaseGate {
		g.phase = PhaseQuit
		return events
	}
	g.back, g.phase = g.phase, PhaseConfirmQuit
	return events
}

// ConfirmQuit leaves the session: what was done is kept and the rest can
// be resumed later.
func (g *Guide) ConfirmQuit(now time.Time) []Event {
	events := g.Advance(now)
	g.phase, g.paused = PhaseQuit, false
	return events
}

// Symptoms stops at once for pain spreading, numbness or feeling unwell:
// an exercise under way is recorded as stopped, and the warning-sign
// questions follow, emergency signs first.
func (g *Guide) Symptoms(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase.Ended() || g.phase == PhaseSymptoms || g.phase == PhaseSymptomAdvice {
		return events
	}
	phase := g.phase
	if phase == PhaseSkipReason || phase == PhaseConfirmQuit {
		phase = g.back
	}
	g.resumeItem, g.resumePhase = g.cur, phase
	switch phase {
	case PhaseWork, PhaseSwitch:
		g.record(g.cur, backcoach.OutcomeStopped, ReasonSymptoms)
		g.resumeItem = g.cur + 1
	case PhaseRest:
		g.resumeItem = g.cur + 1
	}
	// The signs that can newly appear; history signs are asked at the
	// assessment, not in the middle of a session (docs/clinical.md §3).
	g.questions = triage.CheckInFlags()
	g.question, g.flags, g.paused = 0, nil, false
	g.phase = PhaseSymptoms
	return events
}

// Answer answers the warning-sign question being asked. An emergency sign
// ends the session at once; after the last question the answers decide:
// a sign that rules out exercise ends the session, none offers to go on.
func (g *Guide) Answer(yes bool, now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseSymptoms {
		return events
	}
	f := g.questions[g.question]
	if yes {
		g.flags = append(g.flags, f.ID)
	}
	g.question++
	if yes && f.Urgency == backcoach.UrgencyEmergency || g.question >= len(g.questions) {
		g.decide()
	}
	return events
}

// SetHistory gives the guide the person's history signs a clinician has
// cleared (coach's Day.Standing.Cleared): the questions after a stop do
// not ask them again, and they count in the combinations when signs are
// answered (docs/clinical.md §3).
func (g *Guide) SetHistory(ids []string) { g.history = slices.Clone(ids) }

// decide ends the warning-sign questions.
func (g *Guide) decide() {
	res := triage.AssessCleared(&backcoach.Answers{Flags: slices.Concat(g.flags, g.history)}, g.history)
	if res.ExerciseAllowed {
		g.phase = PhaseSymptomAdvice
		return
	}
	g.result = &res
	reason := warningSignPrefix + strings.Join(res.RedFlags, ", ")
	if !g.beforeExercise() && len(g.items) > 0 {
		i := min(g.cur, len(g.items)-1)
		if o := g.outcomes[i]; o == nil || o.Reason == ReasonSymptoms {
			g.record(i, backcoach.OutcomeStopped, clipReason(reason))
		}
		g.markRemaining()
	}
	g.phase = PhaseStopped
}

// clipReason keeps a reason within the stored limit.
func clipReason(s string) string {
	r := []rune(s)
	if len(r) > backcoach.MaxReasonRunes {
		return string(r[:backcoach.MaxReasonRunes])
	}
	return s
}

// markRemaining records every exercise without an outcome as not reached.
func (g *Guide) markRemaining() {
	for i := range g.items {
		if g.outcomes[i] == nil {
			g.record(i, backcoach.OutcomeSkipped, ReasonEndedEarly)
		}
	}
}

// beforeExercise reports whether the stop for symptoms came before any
// exercise was shown: at pain before or at the pain gate's words.
func (g *Guide) beforeExercise() bool {
	return g.resumePhase == PhasePainBefore || g.resumePhase == PhaseGate
}

// GoOn continues after a stop for symptoms without a warning sign.
func (g *Guide) GoOn(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseSymptomAdvice {
		return events
	}
	if g.beforeExercise() {
		g.phase = g.resumePhase
		return events
	}
	return g.showItem(g.resumeItem, events)
}

// EndEarly ends the session before its end and asks pain after; the
// exercises not reached are recorded as such.
func (g *Guide) EndEarly(now time.Time) []Event {
	events := g.Advance(now)
	if g.phase != PhaseSymptomAdvice {
		return events
	}
	if g.beforeExercise() {
		g.phase = PhaseQuit
		return events
	}
	g.markRemaining()
	return g.toPainAfter(events)
}

// SetPainAfter records pain after (0–10) and ends the session.
func (g *Guide) SetPainAfter(pain int, now time.Time) ([]Event, error) {
	events := g.Advance(now)
	if g.phase != PhasePainAfter {
		return events, nil
	}
	if pain < 0 || pain > 10 {
		return events, backcoach.Invalid("pain_after", "must be a whole number from 0 to 10, got %d", pain)
	}
	g.painAfter = &pain
	g.phase = PhaseSummary
	return events, nil
}

// Record returns the session as it is to be stored; ok is false when
// there is nothing to store because pain before was never given.
func (g *Guide) Record() (s backcoach.Session, ok bool) {
	if g.started.IsZero() || g.gate.Mode == planner.GateNone && !g.anyOutcome() {
		// Before pain before, or a day without a session whose offered
		// exercise was not done: no session was held.
		return backcoach.Session{}, false
	}
	s = backcoach.Session{
		StartedAt:       g.started,
		DurationSeconds: int((g.active + time.Second/2) / time.Second),
		Level:           g.level,
		PainBefore:      g.painBefore,
		Exercises:       []backcoach.ExerciseOutcome{},
	}
	if g.painAfter != nil {
		v := *g.painAfter
		s.PainAfter = &v
	}
	for _, o := range g.outcomes {
		if o != nil {
			s.Exercises = append(s.Exercises, *o)
		}
	}
	return s, true
}

// anyOutcome reports whether an exercise has an outcome.
func (g *Guide) anyOutcome() bool {
	for _, o := range g.outcomes {
		if o != nil {
			return true
		}
	}
	return false
}

// Summary is the end of a session in numbers.
type Summary struct {
	Done, Skipped, Stopped int
	Duration               time.Duration
	PainBefore             int
	PainAfter              *int
	// Change compares pain after with pain before; nil without pain after.
	Change *diary.Change
}

// Line is the one-line summary of a session: what was done, how
// long it took, and pain before and after.
func (s Summary) Line() string {
	line := fmt.Sprintf("%d done, %d skipped", s.Done, s.Skipped)
	if s.Stopped > 0 {
		line += fmt.Sprintf(", %d stopped", s.Stopped)
	}
	line += ", " + backcoach.DurationWords(int(s.Duration.Round(time.Second)/time.Second))
	if s.PainAfter == nil {
		return line + fmt.Sprintf("; pain before %d.", s.PainBefore)
	}
	return line + fmt.Sprintf("; pain %d → %d.", s.PainBefore, *s.PainAfter)
}

// SummaryOf is the summary of a stored session.
func SummaryOf(rec *backcoach.Session) Summary {
	s := Summary{Duration: time.Duration(rec.DurationSeconds) * time.Second, PainBefore: rec.PainBefore, PainAfter: rec.PainAfter}
	for _, o := range rec.Exercises {
		s.count(o.Outcome)
	}
	if rec.PainAfter != nil {
		c := diary.Compare(float64(rec.PainBefore), float64(*rec.PainAfter))
		s.Change = &c
	}
	return s
}

func (s *Summary) count(o backcoach.Outcome) {
	switch o {
	case backcoach.OutcomeDone:
		s.Done++
	case backcoach.OutcomeSkipped:
		s.Skipped++
	case backcoach.OutcomeStopped:
		s.Stopped++
	}
}

// Ending is what the screen that ends a session says.
type Ending struct {
	Title string
	// Congratulate is true when the title is a congratulation.
	Congratulate bool
	Lines        []string
}

// EndingOf decides the end screen's words (docs/clinical.md §5). It never
// congratulates when the pain rose by planner.StepBackRise points or more
// (it says what it noticed and that the next dose will be lower, as
// planner.Progress steps it down), nor when no exercise was done.
func EndingOf(s Summary, words catalog.EndingWords) Ending {
	if s.PainAfter != nil {
		if rise := *s.PainAfter - s.PainBefore; rise >= planner.StepBackRise {
			r := strings.NewReplacer("{before}", fmt.Sprint(s.PainBefore), "{after}", fmt.Sprint(*s.PainAfter), "{rise}", fmt.Sprint(rise))
			e := Ending{Title: words.Finished}
			for _, l := range words.Rose {
				e.Lines = append(e.Lines, r.Replace(l))
			}
			return e
		}
	}
	var compared []string
	if s.Change != nil {
		compared = []string{"Compared with before, " + s.Change.Words("your pain")}
	}
	if s.Done == 0 {
		return Ending{Title: words.Finished, Lines: append(compared, words.NothingDone...)}
	}
	return Ending{Title: words.WellDone, Congratulate: true, Lines: compared}
}

// Ending returns the end screen's words for this session.
func (g *Guide) Ending() Ending { return EndingOf(g.Summary(), g.cat.Pain().Ending) }

// Summary returns the session's summary so far.
func (g *Guide) Summary() Summary {
	s := Summary{Duration: g.active.Round(time.Second), PainBefore: g.painBefore, PainAfter: g.painAfter}
	for _, o := range g.outcomes {
		if o != nil {
			s.count(o.Outcome)
		}
	}
	if g.painAfter != nil {
		c := diary.Compare(float64(g.painBefore), float64(*g.painAfter))
		s.Change = &c
	}
	return s
}

// Segments splits an exercise into its timed segments: before each round
// (a set on one side) a transition to get into position, change sides or
// start the next set, then the work.
func Segments(it Item) []Segment {
	p := it.Plan
	sets, sides := max(p.Sets, 1), 1
	if p.Sides == backcoach.SidesEach {
		sides = 2
	}
	work := Segment{Kind: SegmentWork, Dose: it.Exercise.Dose.Kind, Sets: sets, Sides: sides}
	switch work.Dose {
	case backcoach.DoseReps:
		work.Reps = max(p.Reps, 1)
		work.PerRep = perRep(it, sets*sides)
		work.Duration = time.Duration(work.Reps) * work.PerRep
	default:
		work.Duration = time.Duration(max(p.HoldSeconds, 1)) * time.Second
	}
	var segs []Segment
	for set := 1; set <= sets; set++ {
		for side := 1; side <= sides; side++ {
			w := work
			w.Set, w.Side = set, side
			t := Segment{Kind: SegmentTransition, Dose: w.Dose, Set: set, Sets: sets, Side: side, Sides: sides, Duration: TransitionTime, Label: transitionLabel(set, side, sides)}
			segs = append(segs, t, w)
		}
	}
	return segs
}

// transitionLabel says what the transition before a round is for.
func transitionLabel(set, side, sides int) string {
	switch {
	case set == 1 && side == 1:
		return "Get into position"
	case side == 2:
		return "Now the other side"
	default:
		return "Next set: get into position"
	}
}

// perRep is the pace of one repetition: what the plan's time allows for
// it (the planner slows the tempo for moderate pain), else the catalog's
// pace.
func perRep(it Item, rounds int) time.Duration {
	p := it.Plan
	if p.Reps > 0 && p.Seconds > 0 && rounds > 0 {
		round := time.Duration(p.Seconds)*time.Second/time.Duration(rounds) - TransitionTime
		if per := round / time.Duration(p.Reps); per >= time.Second {
			return per.Round(100 * time.Millisecond)
		}
	}
	if s := it.Exercise.Dose.SecondsPerRep; s > 0 {
		return time.Duration(s) * time.Second
	}
	return defaultPerRep
}

// CanResume reports whether the session, as it would be recorded now, can
// be continued later today.
func (g *Guide) CanResume() bool {
	rec, ok := g.Record()
	return ok && Resumable(&rec, g.plan, g.cat)
}
