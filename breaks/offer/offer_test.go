package offer

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/triage"
)

var cat = catalog.MustLoad()

var (
	movement = breaks.Break{Kind: breaks.Movement, For: time.Minute, Seq: 1}
	stretch  = breaks.Break{Kind: breaks.Stretch, For: 5 * time.Minute, Seq: 1}
	day      = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

// assessed returns a saved assessment of the answers, as the store keeps it.
func assessed(t *testing.T, a backcoach.Answers, at time.Time) *backcoach.SavedAssessment {
	t.Helper()
	if err := triage.Validate(&a); err != nil {
		t.Fatalf("answers: %v", err)
	}
	return &backcoach.SavedAssessment{ID: "a1", TakenAt: at, Answers: a, Result: triage.Assess(&a)}
}

func mild() backcoach.Answers {
	return backcoach.Answers{Age: 35, PainNow: 2, Weeks: 1, Trend: backcoach.TrendBetter, ClinicianAssessed: true,
		Causes: []backcoach.Cause{}, Conditions: []backcoach.Condition{}, Flags: []string{}}
}

// atBreakPlace checks that every exercise can be done at the desk or
// standing, and returns their ids.
func atBreakPlace(t *testing.T, o Offer) []string {
	t.Helper()
	for _, x := range o.Exercises {
		e, err := cat.Get(x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !e.HasPlace(backcoach.PlaceDesk) && !e.HasPlace(backcoach.PlaceStanding) {
			t.Errorf("%s is not done at a desk or standing: %v", x.ID, e.Places)
		}
	}
	return o.IDs()
}

func TestWithoutAssessmentOnlyGentleDeskExercises(t *testing.T) {
	for seq := 1; seq <= 6; seq++ {
		b := movement
		b.Seq = seq
		o := Choose(cat, b, 1, Input{Date: "2026-03-02"})
		if o.Rest || !o.Gentle || len(o.Exercises) != 1 {
			t.Fatalf("seq %d: %+v", seq, o)
		}
		atBreakPlace(t, o)
		e, _ := cat.Get(o.Exercises[0].ID)
		if !e.Gentle {
			t.Errorf("seq %d: %s is not a gentle exercise", seq, e.ID)
		}
	}
}

func TestFromThePersonsPlan(t *testing.T) {
	a := mild()
	a.Conditions = []backcoach.Condition{backcoach.ConditionShoulderProblems}
	in := Input{Latest: assessed(t, a, day), Date: "2026-03-02"}
	seen := map[string]bool{}
	for seq := 1; seq <= 8; seq++ {
		b := movement
		b.Seq = seq
		o := Choose(cat, b, 1, in)
		if o.Rest || o.Gentle || len(o.Exercises) != 1 {
			t.Fatalf("seq %d: %+v", seq, o)
		}
		for _, id := range atBreakPlace(t, o) {
			seen[id] = true
			if id == "overhead-side-reach" {
				t.Errorf("overhead reach offered despite shoulder problems")
			}
		}
	}
	if len(seen) < 3 {
		t.Errorf("breaks do not vary: %v", seen)
	}
}

func TestStretchBreakIsARoutineOfThree(t *testing.T) {
	in := Input{Latest: assessed(t, mild(), day), Date: "2026-03-02"}
	o := Choose(cat, stretch, 3, in)
	ids := atBreakPlace(t, o)
	if len(ids) != 3 {
		t.Fatalf("stretch break: %v", ids)
	}
	total := 0
	for _, x := range o.Exercises {
		total += x.Seconds
	}
	if total > 300 {
		t.Errorf("three exercises take %d s, more than the 5-minute break", total)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 3 {
		t.Errorf("an exercise twice: %v", ids)
	}
}

func TestWarningSignAtCheckInMeansRest(t *testing.T) {
	latest := assessed(t, mild(), day)
	checkIn := &backcoach.DiaryEntry{At: day.Add(24 * time.Hour), Pain: 4, FlagsAsked: true, Flags: []string{"fever"}}
	o := Choose(cat, movement, 1, Input{Latest: latest, CheckIn: checkIn, Date: "2026-03-03"})
	if !o.Rest || len(o.Exercises) != 0 || len(o.Advice) < 2 {
		t.Fatalf("offer after a warning sign: %+v", o)
	}
	level := triage.LevelOf(backcoach.UrgencyUrgent)
	if !slices.Contains(o.Advice, level.Advice[0]) {
		t.Errorf("advice %q lacks the urgent level's %q", o.Advice, level.Advice[0])
	}
	body := o.Body(cat)
	if !strings.Contains(body, triage.Disclaimer()) || !strings.Contains(o.Summary(), "rest") {
		t.Errorf("rest offer text:\n%s\n%s", o.Summary(), body)
	}

	// Without an assessment too.
	if o := Choose(cat, movement, 1, Input{CheckIn: checkIn}); !o.Rest {
		t.Fatalf("warning sign without an assessment: %+v", o)
	}
	// A newer assessment without warning signs asked the same questions.
	newer := assessed(t, mild(), day.Add(48*time.Hour))
	if o := Choose(cat, movement, 1, Input{Latest: newer, CheckIn: checkIn}); o.Rest {
		t.Fatalf("a newer assessment was not heard: %+v", o)
	}
	// A check-in that answered no.
	clear := &backcoach.DiaryEntry{At: day.Add(24 * time.Hour), FlagsAsked: true, Flags: []string{}}
	if o := Choose(cat, movement, 1, Input{Latest: latest, CheckIn: clear}); o.Rest {
		t.Fatalf("rest after a clear check-in: %+v", o)
	}
}

func TestAssessmentWithoutExerciseMeansRest(t *testing.T) {
	a := mild()
	a.Flags = []string{"chest_pain"}
	o := Choose(cat, stretch, 3, Input{Latest: assessed(t, a, day)})
	if !o.Rest || len(o.Exercises) != 0 {
		t.Fatalf("offer after an emergency assessment: %+v", o)
	}
	if !strings.Contains(o.Advice[0], triage.LevelOf(backcoach.UrgencyEmergency).Title) {
		t.Errorf("first line %q does not name the level", o.Advice[0])
	}
}

func TestOfferText(t *testing.T) {
	o := Choose(cat, movement, 1, Input{Date: "2026-03-02"})
	if got := o.Summary(); got != "Time for a movement break (1 min)" {
		t.Errorf("summary %q", got)
	}
	body := o.Body(cat)
	if !strings.Contains(body, o.Exercises[0].Name) || !strings.HasSuffix(body, triage.Disclaimer()) {
		t.Errorf("body:\n%s", body)
	}
}

func TestPick(t *testing.T) {
	list := []backcoach.PlannedExercise{{ID: "a", Seconds: 90}, {ID: "b", Seconds: 40}, {ID: "c", Seconds: 50}, {ID: "d", Seconds: 120}}
	for _, tc := range []struct {
		n, seq, seconds int
		want            string
	}{
		{1, 1, 60, "b"},
		{1, 2, 60, "c"},
		{1, 3, 60, "b"},
		{2, 1, 300, "a b"},
		{1, 1, 10, "b"}, // none fits: the shortest
		{3, 1, 180, "a b"},
		{3, 2, 180, "d b"},
	} {
		var ids []string
		for _, x := range pick(list, tc.n, tc.seq, tc.seconds) {
			ids = append(ids, x.ID)
		}
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("pick(n=%d, seq=%d, %d s) = %q, want %q", tc.n, tc.seq, tc.seconds, got, tc.want)
		}
	}
	if got := pick(nil, 1, 1, 60); len(got) != 0 {
		t.Errorf("pick from nothing: %v", got)
	}
}
