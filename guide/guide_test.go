package guide

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/diary"
)

var testCatalog = catalog.MustLoad()

// item makes a session item from the real catalog with a chosen dose.
func item(t testing.TB, id string, sets, reps, hold int) Item {
	t.Helper()
	e, err := testCatalog.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	p := backcoach.PlannedExercise{ID: e.ID, Name: e.Name, Sets: sets, Reps: reps, HoldSeconds: hold, Sides: e.Dose.Sides, Tempo: e.Dose.Tempo, Changes: []string{}}
	it := Item{Plan: p, Exercise: *e}
	total := time.Duration(0)
	for _, s := range Segments(it) {
		total += s.Duration
	}
	it.Plan.Seconds = int(total / time.Second)
	return it
}

// testItems is a short routine with every kind of dose: a hold without
// sides, a hold on each side, repetitions and a timed movement.
func testItems(t testing.TB) []Item {
	return []Item{
		item(t, "childs-pose", 2, 0, 20),    // hold, no sides: 2×(5+20) = 50 s
		item(t, "wall-stretch", 1, 0, 20),   // hold each side: 2×(5+20) = 50 s
		item(t, "cat-cow", 1, 4, 0),         // 4 reps × 6 s + 5 = 29 s
		item(t, "shoulder-rolls", 1, 0, 30), // timed 30 s + 5 = 35 s
	}
}

// planOf is a plan of the items, at a dose level.
func planOf(items []Item, level int) backcoach.Plan {
	p := backcoach.Plan{Level: level, Exercises: []backcoach.PlannedExercise{}}
	for _, it := range items {
		p.Exercises = append(p.Exercises, it.Plan)
	}
	return p
}

// newGuide starts a session over the items.
func newGuide(t testing.TB, items []Item, level int) *Guide {
	t.Helper()
	g, err := New(planOf(items, level), testCatalog)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// resumeGuide continues a stored session over the items.
func resumeGuide(t testing.TB, items []Item, prior *backcoach.Session, now time.Time) *Guide {
	t.Helper()
	g, err := Resume(planOf(items, prior.Level), testCatalog, prior, now)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// fakeClock is the injected clock of the tests.
type fakeClock struct{ t time.Time }

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { return c.t }

func (c *fakeClock) tick(d time.Duration) time.Time {
	c.t = c.t.Add(d)
	return c.t
}

func started(t *testing.T, items []Item, pain int) (*Guide, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	g := newGuide(t, items, 0)
	g.Advance(clk.Now())
	if _, err := g.SetPainBefore(pain, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if g.Phase() != PhaseReady || g.Index() != 0 {
		t.Fatalf("after pain before: phase %v item %d, want ready at 0", g.Phase(), g.Index())
	}
	return g, clk
}

func kinds(events []Event) []EventKind {
	out := make([]EventKind, len(events))
	for i, e := range events {
		out[i] = e.Kind
	}
	return out
}

func count(events []Event, k EventKind) int {
	n := 0
	for _, e := range events {
		if e.Kind == k {
			n++
		}
	}
	return n
}

func TestSegments(t *testing.T) {
	sided := Segments(item(t, "wall-stretch", 2, 0, 25))
	var labels []string
	for _, s := range sided {
		if s.Kind == SegmentTransition {
			labels = append(labels, s.Label)
		}
	}
	want := []string{"Get into position", "Now the other side", "Next set: get into position", "Now the other side"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("transitions = %q, want %q", labels, want)
	}
	if len(sided) != 8 || sided[1].Duration != 25*time.Second || sided[3].Side != 2 || sided[5].Set != 2 {
		t.Errorf("segments = %+v", sided)
	}
	reps := Segments(item(t, "cat-cow", 1, 8, 0))
	if len(reps) != 2 || reps[1].Reps != 8 || reps[1].PerRep != 6*time.Second || reps[1].Duration != 48*time.Second {
		t.Errorf("reps segments = %+v, want 8 × 6 s", reps)
	}
	// The plan's time sets the pace: a slower tempo for moderate pain.
	slow := item(t, "cat-cow", 1, 8, 0)
	slow.Plan.Seconds = 5 + 8*8
	if s := Segments(slow); s[1].PerRep != 8*time.Second {
		t.Errorf("pace from the plan = %v, want 8 s", s[1].PerRep)
	}
}

func TestFullSession(t *testing.T) {
	g, clk := started(t, testItems(t), 4)
	var all []Event
	for i := range g.Items() {
		if g.Phase() != PhaseReady || g.Index() != i {
			t.Fatalf("before item %d: phase %v at %d", i, g.Phase(), g.Index())
		}
		all = append(all, g.Begin(clk.Now())...)
		// One second at a time, as the screen's ticks would.
		for n := 0; g.Phase() == PhaseWork || g.Phase() == PhaseSwitch || g.Phase() == PhaseRest; n++ {
			if n > 1000 {
				t.Fatal("the session never moved on")
			}
			all = append(all, g.Advance(clk.tick(time.Second))...)
		}
	}
	if g.Phase() != PhasePainAfter {
		t.Fatalf("phase = %v, want pain after", g.Phase())
	}
	// Bells: 2 holds of child's pose, 2 sides of the wall stretch, the
	// timed shoulder rolls; none for repetitions.
	if n := count(all, EventBell); n != 5 {
		t.Errorf("bells = %d, want 5", n)
	}
	if n := count(all, EventRep); n != 4 {
		t.Errorf("repetition cues = %d, want 4", n)
	}
	if n := count(all, EventRest); n != 3 {
		t.Errorf("rests = %d, want 3 (none after the last)", n)
	}
	if n := count(all, EventTenLeft); n != 5 {
		t.Errorf("10-seconds-left cues = %d, want 5", n)
	}
	otherSide := 0
	for _, e := range all {
		if e.Kind == EventSegment && e.Segment.Label == "Now the other side" {
			otherSide++
		}
	}
	if otherSide != 1 {
		t.Errorf("'now the other side' = %d, want 1", otherSide)
	}
	if _, err := g.SetPainAfter(11, clk.Now()); err == nil || !strings.Contains(err.Error(), "0 to 10") {
		t.Errorf("pain after 11: %v", err)
	}
	if _, err := g.SetPainAfter(3, clk.tick(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if g.Phase() != PhaseSummary {
		t.Fatalf("phase = %v, want summary", g.Phase())
	}
	rec, ok := g.Record()
	if !ok {
		t.Fatal("nothing to record")
	}
	if err := rec.Validate(); err != nil {
		t.Fatalf("the record does not validate: %v", err)
	}
	wantSeconds := []int{50, 50, 29, 35}
	for i, e := range rec.Exercises {
		if e.Outcome != backcoach.OutcomeDone || e.Seconds != wantSeconds[i] {
			t.Errorf("exercise %d = %+v, want done in %d s", i, e, wantSeconds[i])
		}
	}
	// 164 s of exercise, 3 rests of 15 s and the 5 s for pain after.
	if rec.DurationSeconds != 164+45+5 || *rec.PainAfter != 3 || rec.PainBefore != 4 {
		t.Errorf("record = %d s, pain %d → %v", rec.DurationSeconds, rec.PainBefore, *rec.PainAfter)
	}
	sum := g.Summary()
	if sum.Done != 4 || sum.Change == nil || sum.Change.Direction != "better" {
		t.Errorf("summary = %+v", sum)
	}
	if line := sum.Line(); line != "4 done, 0 skipped, 3 min 34 s; pain 4 → 3." {
		t.Errorf("summary line = %q", line)
	}
}

func TestLargeJumpStopsAtTheNextExercise(t *testing.T) {
	g, clk := started(t, testItems(t), 2)
	g.Begin(clk.Now())
	events := g.Advance(clk.tick(time.Hour))
	// Child's pose runs out, the rest runs out, and the wall stretch waits
	// for its start key. A jump past the 10-second mark gives no cue for it.
	if g.Phase() != PhaseReady || g.Index() != 1 {
		t.Fatalf("phase %v at %d, want ready at 1", g.Phase(), g.Index())
	}
	want := []EventKind{EventSegment, EventBell, EventSegment, EventSegment, EventBell, EventRest, EventReady}
	if got := kinds(events); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events = %v, want %v", got, want)
	}
}

func TestPause(t *testing.T) {
	g, clk := started(t, testItems(t), 3)
	g.Begin(clk.Now())
	g.Advance(clk.tick(8 * time.Second)) // 5 s into position, 3 s into the hold
	if g.Phase() != PhaseWork || g.Left() != 17*time.Second {
		t.Fatalf("phase %v, left %v; want work with 17 s", g.Phase(), g.Left())
	}
	elapsed := g.Elapsed()
	g.TogglePause(clk.Now())
	if !g.Paused() || g.Running() {
		t.Fatal("not paused")
	}
	g.Advance(clk.tick(10 * time.Minute))
	if g.Left() != 17*time.Second || g.Elapsed() != elapsed {
		t.Errorf("paused for 10 min: left %v, elapsed %v; want 17 s and %v", g.Left(), g.Elapsed(), elapsed)
	}
	g.TogglePause(clk.Now())
	g.Advance(clk.tick(2 * time.Second))
	if g.Paused() || g.Left() != 15*time.Second {
		t.Errorf("resumed: paused %v, left %v; want 15 s", g.Paused(), g.Left())
	}
	// Pausing is only for running timers.
	g2, clk2 := started(t, testItems(t), 3)
	g2.TogglePause(clk2.Now())
	if g2.Paused() {
		t.Error("an exercise that has not started can be paused")
	}
}

func TestSkip(t *testing.T) {
	t.Run("before starting is skipped", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Skip(clk.Now())
		if g.Phase() != PhaseSkipReason || g.SkipTarget().Plan.ID != "childs-pose" {
			t.Fatalf("phase %v", g.Phase())
		}
		if _, err := g.SkipBecause("bored", clk.Now()); err == nil {
			t.Error("an unknown reason was accepted")
		}
		g.SkipBecause(ReasonNoEquipment, clk.Now())
		if g.Phase() != PhaseReady || g.Index() != 1 {
			t.Fatalf("after skip: %v at %d", g.Phase(), g.Index())
		}
		if o := g.Outcome(0); o.Outcome != backcoach.OutcomeSkipped || o.Reason != ReasonNoEquipment {
			t.Errorf("outcome = %+v", o)
		}
	})
	t.Run("under way is stopped", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Begin(clk.Now())
		g.Advance(clk.tick(12 * time.Second))
		g.Skip(clk.Now())
		left := g.Left()
		g.Advance(clk.tick(30 * time.Second)) // the question freezes the timer
		if g.Left() != left {
			t.Errorf("timer ran during the question: %v → %v", left, g.Left())
		}
		g.SkipBecause(ReasonTooPainful, clk.Now())
		if o := g.Outcome(0); o.Outcome != backcoach.OutcomeStopped || o.Reason != ReasonTooPainful || o.Seconds != 12 {
			t.Errorf("outcome = %+v, want stopped, too painful, 12 s", o)
		}
	})
	t.Run("cancel goes back", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Begin(clk.Now())
		g.Advance(clk.tick(6 * time.Second))
		g.Skip(clk.Now())
		g.Cancel(clk.Now())
		if g.Phase() != PhaseWork || g.Outcome(0) != nil {
			t.Errorf("after cancel: %v, outcome %+v", g.Phase(), g.Outcome(0))
		}
	})
	t.Run("during a rest skips the next", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Begin(clk.Now())
		g.Advance(clk.tick(50 * time.Second))
		if g.Phase() != PhaseRest {
			t.Fatalf("phase = %v, want rest", g.Phase())
		}
		g.Skip(clk.Now())
		if g.SkipTarget().Plan.ID != "wall-stretch" {
			t.Fatalf("skip target = %s", g.SkipTarget().Plan.ID)
		}
		g.SkipBecause(ReasonNoTime, clk.Now())
		if g.Phase() != PhaseReady || g.Index() != 2 || g.Outcome(1).Outcome != backcoach.OutcomeSkipped {
			t.Errorf("after skipping the next: %v at %d", g.Phase(), g.Index())
		}
	})
	t.Run("skipping the last asks pain after", func(t *testing.T) {
		items := testItems(t)[:1]
		g, clk := started(t, items, 3)
		g.Skip(clk.Now())
		g.SkipBecause(ReasonCannotDo, clk.Now())
		if g.Phase() != PhasePainAfter {
			t.Errorf("phase = %v, want pain after", g.Phase())
		}
	})
}

func TestSideSwitch(t *testing.T) {
	g, clk := started(t, testItems(t), 3)
	g.Skip(clk.Now())
	g.SkipBecause(ReasonNoTime, clk.Now()) // to the wall stretch
	g.Begin(clk.Now())
	events := g.Advance(clk.tick(25 * time.Second))
	s, ok := g.Segment()
	if !ok || g.Phase() != PhaseSwitch || s.Label != "Now the other side" || s.Side != 2 {
		t.Fatalf("after the first side: phase %v, segment %+v", g.Phase(), s)
	}
	if k := kinds(events); k[len(k)-2] != EventBell || k[len(k)-1] != EventSegment {
		t.Errorf("events = %v, want a bell then the switch", k)
	}
	g.Advance(clk.tick(5 * time.Second))
	if s, _ := g.Segment(); g.Phase() != PhaseWork || s.Side != 2 || g.Left() != 20*time.Second {
		t.Errorf("other side: phase %v, side %d, left %v", g.Phase(), s.Side, g.Left())
	}
}

func TestRepetitionPace(t *testing.T) {
	g, clk := started(t, []Item{item(t, "cat-cow", 1, 4, 0)}, 3)
	g.Begin(clk.Now())
	g.Advance(clk.tick(5 * time.Second))
	tests := []struct {
		after     time.Duration
		rep       int
		returning bool
	}{
		{0, 1, false}, {2 * time.Second, 1, false}, {time.Second, 1, true}, {3 * time.Second, 2, false}, {9 * time.Second, 3, true},
	}
	for _, tt := range tests {
		g.Advance(clk.tick(tt.after))
		if rep, back := g.Rep(); rep != tt.rep || back != tt.returning {
			t.Errorf("at %v left: rep %d back %v, want %d %v", g.Left(), rep, back, tt.rep, tt.returning)
		}
	}
}

func TestBack(t *testing.T) {
	g, clk := started(t, testItems(t), 3)
	g.Begin(clk.Now())
	g.Advance(clk.tick(50 * time.Second)) // child's pose done, resting
	g.Back(clk.Now())
	if g.Phase() != PhaseReady || g.Index() != 0 || g.Outcome(0) != nil {
		t.Fatalf("back from the rest: %v at %d, outcome %+v", g.Phase(), g.Index(), g.Outcome(0))
	}
	g.Skip(clk.Now())
	g.SkipBecause(ReasonNoTime, clk.Now())
	g.Back(clk.Now()) // from the wall stretch, shown, back to child's pose
	if g.Index() != 0 || g.Outcome(0) != nil {
		t.Errorf("back from a shown exercise: at %d, outcome %+v", g.Index(), g.Outcome(0))
	}
	g.Back(clk.Now())
	if g.Index() != 0 || g.Phase() != PhaseReady {
		t.Errorf("back from the first: %v at %d", g.Phase(), g.Index())
	}
	g.Begin(clk.Now())
	g.Advance(clk.tick(9 * time.Second))
	g.Back(clk.Now())
	if g.Phase() != PhaseReady || g.Index() != 0 {
		t.Errorf("back during work: %v at %d, want the same exercise shown again", g.Phase(), g.Index())
	}
}

func TestQuitAndResume(t *testing.T) {
	items := testItems(t)
	g, clk := started(t, items, 5)
	g.Begin(clk.Now())
	g.Advance(clk.tick(50 * time.Second)) // child's pose done
	g.SkipRest(clk.Now())
	g.Begin(clk.Now())
	g.Advance(clk.tick(10 * time.Second)) // wall stretch under way
	g.Quit(clk.Now())
	if g.Phase() != PhaseConfirmQuit {
		t.Fatalf("phase = %v, want the quit question", g.Phase())
	}
	g.Cancel(clk.Now())
	if g.Phase() != PhaseWork {
		t.Fatalf("'no' to quitting: phase %v", g.Phase())
	}
	g.Quit(clk.Now())
	g.ConfirmQuit(clk.tick(time.Second))
	if g.Phase() != PhaseQuit {
		t.Fatalf("phase = %v, want quit", g.Phase())
	}
	rec, ok := g.Record()
	if !ok || rec.PainAfter != nil || len(rec.Exercises) != 1 || rec.Exercises[0].ExerciseID != "childs-pose" {
		t.Fatalf("partial record = %+v", rec)
	}
	if err := rec.Validate(); err != nil {
		t.Fatal(err)
	}
	if !Resumable(&rec, planOf(items, 0), testCatalog) {
		t.Fatal("the partial session is not resumable")
	}
	// Later the same day.
	clk.tick(2 * time.Hour)
	r := resumeGuide(t, items, &rec, clk.Now())
	if r.Phase() != PhaseReady || r.Index() != 1 || r.PainBefore() != 5 {
		t.Fatalf("resumed at %v %d, pain %d", r.Phase(), r.Index(), r.PainBefore())
	}
	r.Skip(clk.Now())
	r.SkipBecause(ReasonNoEquipment, clk.Now())
	r.Skip(clk.Now())
	r.SkipBecause(ReasonNoTime, clk.Now())
	r.Begin(clk.Now())
	r.Advance(clk.tick(35 * time.Second))
	r.SetPainAfter(4, clk.Now())
	done, _ := r.Record()
	if len(done.Exercises) != 4 || !done.StartedAt.Equal(rec.StartedAt) || done.DurationSeconds != rec.DurationSeconds+35 {
		t.Errorf("resumed record: %d exercises, started %v, %d s", len(done.Exercises), done.StartedAt, done.DurationSeconds)
	}
	if Resumable(&done, planOf(items, 0), testCatalog) {
		t.Error("a finished session is resumable")
	}
}

func TestStopForSymptoms(t *testing.T) {
	t.Run("no warning sign: go on", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Begin(clk.Now())
		g.Advance(clk.tick(10 * time.Second))
		g.Symptoms(clk.Now())
		if g.Phase() != PhaseSymptoms || g.Outcome(0).Reason != ReasonSymptoms || g.Outcome(0).Outcome != backcoach.OutcomeStopped {
			t.Fatalf("phase %v, outcome %+v", g.Phase(), g.Outcome(0))
		}
		f, i, n := g.Question()
		if i != 0 || n < 10 || f.Urgency != backcoach.UrgencyEmergency {
			t.Errorf("first question %q (%d of %d, %s), want an emergency sign first", f.ID, i, n, f.Urgency)
		}
		for g.Phase() == PhaseSymptoms {
			g.Answer(false, clk.Now())
		}
		if g.Phase() != PhaseSymptomAdvice {
			t.Fatalf("phase = %v, want the advice", g.Phase())
		}
		g.GoOn(clk.Now())
		if g.Phase() != PhaseReady || g.Index() != 1 {
			t.Errorf("go on: %v at %d", g.Phase(), g.Index())
		}
	})
	t.Run("no warning sign: end early", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Symptoms(clk.Now())
		for g.Phase() == PhaseSymptoms {
			g.Answer(false, clk.Now())
		}
		g.EndEarly(clk.Now())
		if g.Phase() != PhasePainAfter {
			t.Fatalf("phase = %v", g.Phase())
		}
		g.SetPainAfter(3, clk.Now())
		rec, _ := g.Record()
		if len(rec.Exercises) != 4 || rec.Exercises[0].Reason != ReasonEndedEarly {
			t.Errorf("record = %+v", rec.Exercises)
		}
	})
	t.Run("an emergency sign ends the session at once", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Begin(clk.Now())
		g.Advance(clk.tick(7 * time.Second))
		g.Symptoms(clk.Now())
		g.Answer(true, clk.Now())
		if g.Phase() != PhaseStopped || g.Result().Urgency != backcoach.UrgencyEmergency || g.Result().ExerciseAllowed {
			t.Fatalf("phase %v, result %+v", g.Phase(), g.Result())
		}
		rec, ok := g.Record()
		if !ok || rec.PainAfter != nil || !strings.HasPrefix(rec.Exercises[0].Reason, "warning sign: chest_pain") {
			t.Fatalf("record = %+v", rec)
		}
		if err := rec.Validate(); err != nil {
			t.Fatal(err)
		}
		if Resumable(&rec, planOf(testItems(t), 0), testCatalog) {
			t.Error("a session ended by a warning sign is resumable")
		}
	})
	t.Run("an urgent sign ends it after the questions", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.Symptoms(clk.Now())
		for g.Phase() == PhaseSymptoms {
			f, _, _ := g.Question()
			g.Answer(f.ID == "fever", clk.Now())
		}
		if g.Phase() != PhaseStopped || g.Result().Urgency != backcoach.UrgencyUrgent {
			t.Fatalf("phase %v, result %+v", g.Phase(), g.Result())
		}
	})
	t.Run("cancer history with limb symptoms is an emergency", func(t *testing.T) {
		g, clk := started(t, testItems(t), 3)
		g.SetHistory([]string{"cancer_history"})
		g.Symptoms(clk.Now())
		for g.Phase() == PhaseSymptoms {
			f, _, _ := g.Question()
			if f.History {
				t.Fatalf("a history sign is asked in the middle of a session: %s", f.ID)
			}
			g.Answer(f.ID == "limb_symptoms", clk.Now())
		}
		if g.Phase() != PhaseStopped || g.Result().Urgency != backcoach.UrgencyEmergency {
			t.Fatalf("phase %v, result %+v", g.Phase(), g.Result())
		}
	})
	t.Run("before starting nothing is recorded", func(t *testing.T) {
		clk := newFakeClock()
		g := newGuide(t, testItems(t), 0)
		g.Symptoms(clk.Now())
		g.Answer(true, clk.Now())
		if _, ok := g.Record(); ok || g.Phase() != PhaseStopped {
			t.Errorf("phase %v; a record was made before pain before", g.Phase())
		}
	})
}

func TestPainBefore(t *testing.T) {
	clk := newFakeClock()
	g := newGuide(t, testItems(t), 1)
	for _, bad := range []int{-1, 11} {
		if _, err := g.SetPainBefore(bad, clk.Now()); err == nil {
			t.Errorf("pain before %d accepted", bad)
		}
	}
	if g.Phase() != PhasePainBefore {
		t.Fatalf("phase = %v", g.Phase())
	}
	if _, ok := g.Record(); ok {
		t.Error("a record before pain before")
	}
	g.Quit(clk.Now())
	g.ConfirmQuit(clk.Now())
	if _, ok := g.Record(); ok || g.Phase() != PhaseQuit {
		t.Error("quitting before the start made a record")
	}
}

// The pain before decides what the session holds (docs/clinical.md §5):
// every band and both boundaries.
func TestPainGate(t *testing.T) {
	items := testItems(t) // child's pose, cat-cow and shoulder rolls are gentle; the wall stretch is not
	cases := []struct {
		pain  int
		phase Phase
		ids   []string
		rule  string
	}{
		{0, PhaseReady, []string{"childs-pose", "wall-stretch", "cat-cow", "shoulder-rolls"}, catalog.StopUsual},
		{5, PhaseReady, []string{"childs-pose", "wall-stretch", "cat-cow", "shoulder-rolls"}, catalog.StopUsual},
		{6, PhaseGate, []string{"childs-pose", "cat-cow", "shoulder-rolls"}, catalog.StopGentle},
		{7, PhaseGate, []string{"childs-pose", "cat-cow", "shoulder-rolls"}, catalog.StopGentle},
		{8, PhaseGate, []string{"rib-breathing"}, catalog.StopGentle},
		{10, PhaseGate, []string{"rib-breathing"}, catalog.StopGentle},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint("pain ", tc.pain), func(t *testing.T) {
			clk := newFakeClock()
			g := newGuide(t, items, 0)
			if _, err := g.SetPainBefore(tc.pain, clk.Now()); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, it := range g.Items() {
				ids = append(ids, it.Plan.ID)
			}
			if g.Phase() != tc.phase || strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Fatalf("phase %v with %v, want %v with %v", g.Phase(), ids, tc.phase, tc.ids)
			}
			stop := g.StopIf(g.Items()[0])
			if want := testCatalog.StopRule(tc.rule).StopIf[0]; stop[0] != want {
				t.Errorf("stop if %q, want it to start with %q", stop, want)
			}
			if tc.phase != PhaseGate {
				return
			}
			if gate := g.Gate(); gate.Title == "" || len(gate.Message) == 0 {
				t.Errorf("no words at the gate: %+v", gate)
			}
			g.Accept(clk.tick(time.Second))
			if g.Phase() != PhaseReady || g.Current().Plan.ID != tc.ids[0] {
				t.Errorf("after going on: %v at %s", g.Phase(), g.Current().Plan.ID)
			}
		})
	}
}

// At 8–10 leaving at the gate records nothing; at 6–7 it is a session left
// before its first exercise, to resume later with the same gentle plan.
func TestDeclineAtTheGate(t *testing.T) {
	items := testItems(t)
	clk := newFakeClock()
	none := newGuide(t, items, 0)
	none.SetPainBefore(8, clk.Now())
	none.Decline(clk.Now())
	if _, ok := none.Record(); ok || none.Phase() != PhaseQuit {
		t.Errorf("a day without a session recorded something (phase %v)", none.Phase())
	}
	gentle := newGuide(t, items, 0)
	gentle.SetPainBefore(6, clk.Now())
	gentle.Quit(clk.Now())
	rec, ok := gentle.Record()
	if !ok || gentle.Phase() != PhaseQuit || !gentle.CanResume() {
		t.Fatalf("leaving at 6: phase %v, record %v", gentle.Phase(), ok)
	}
	r := resumeGuide(t, items, &rec, clk.tick(time.Hour))
	if len(r.Items()) != 3 || r.Phase() != PhaseReady {
		t.Errorf("resumed with %d exercises at %v, want the 3 gentle ones", len(r.Items()), r.Phase())
	}
}

// The end screen never congratulates when the pain rose by 2 or more, nor
// when nothing was done (docs/clinical.md §5).
func TestEnding(t *testing.T) {
	words := testCatalog.Pain().Ending
	pain := func(n int) *int { return &n }
	cases := []struct {
		name       string
		sum        Summary
		congrats   bool
		wantInText string
	}{
		{"pain fell", Summary{Done: 3, PainBefore: 4, PainAfter: pain(3)}, true, "Compared with before"},
		{"pain rose by 1", Summary{Done: 3, PainBefore: 4, PainAfter: pain(5)}, true, "Compared with before"},
		{"pain rose by 2", Summary{Done: 3, PainBefore: 4, PainAfter: pain(6)}, false, "from 4 to 6"},
		{"pain rose by 5", Summary{Done: 1, Skipped: 2, PainBefore: 2, PainAfter: pain(7)}, false, "rose by 5 points"},
		{"all skipped", Summary{Skipped: 4, PainBefore: 3, PainAfter: pain(3)}, false, "No exercise was done"},
		{"all stopped or skipped", Summary{Skipped: 2, Stopped: 2, PainBefore: 3, PainAfter: pain(2)}, false, "No exercise was done"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.sum.PainAfter != nil {
				c := diary.Compare(float64(tc.sum.PainBefore), float64(*tc.sum.PainAfter))
				tc.sum.Change = &c
			}
			e := EndingOf(tc.sum, words)
			text := e.Title + " " + strings.Join(e.Lines, " ")
			if e.Congratulate != tc.congrats || (e.Title == words.WellDone) != tc.congrats {
				t.Errorf("congratulates = %v (%q), want %v", e.Congratulate, e.Title, tc.congrats)
			}
			if !strings.Contains(text, tc.wantInText) {
				t.Errorf("ending %q lacks %q", text, tc.wantInText)
			}
			if !tc.congrats && strings.Contains(strings.ToLower(text), "well done") {
				t.Errorf("ending %q congratulates", text)
			}
			if tc.sum.PainAfter != nil && *tc.sum.PainAfter-tc.sum.PainBefore >= 2 && !strings.Contains(text, "lighter") {
				t.Errorf("ending %q does not say the next dose is lower", text)
			}
		})
	}
}
