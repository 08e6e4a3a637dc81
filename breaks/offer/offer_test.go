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

// assessed returns the input of a person with the answers as their latest
// assessment.
func assessed(t *testing.T, a backcoach.Answers, date string) Input {
	t.Helper()
	if err := triage.Validate(&a); err != nil {
		t.Fatalf("answers: %v", err)
	}
	return Input{Answers: &a, Result: triage.Assess(&a), Date: date}
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
	in := assessed(t, a, "2026-03-02")
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
	in := assessed(t, mild(), "2026-03-02")
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

func TestStandingSignMeansRest(t *testing.T) {
	in := assessed(t, mild(), "2026-03-03")
	level := triage.LevelOf(backcoach.UrgencyUrgent)
	in.Rest = &Rest{Urgency: backcoach.UrgencyUrgent, Advice: level.Advice}
	o := Choose(cat, movement, 1, in)
	if !o.Rest || len(o.Exercises) != 0 || len(o.Advice) < 2 {
		t.Fatalf("offer while a warning sign stands: %+v", o)
	}
	if !slices.Contains(o.Advice, level.Advice[0]) || !strings.Contains(o.Advice[0], level.Title) {
		t.Errorf("advice %q lacks the urgent level's title %q or advice %q", o.Advice, level.Title, level.Advice[0])
	}
	body := o.Body(cat)
	if !strings.Contains(body, triage.Disclaimer()) || !strings.Contains(o.Summary(), "rest") {
		t.Errorf("rest offer text:\n%s\n%s", o.Summary(), body)
	}
	// Without an assessment too.
	if o := Choose(cat, stretch, 3, Input{Rest: in.Rest}); !o.Rest || len(o.Exercises) != 0 {
		t.Fatalf("a standing sign without an assessment: %+v", o)
	}
}

func TestDoseLevelIsTodays(t *testing.T) {
	in := assessed(t, mild(), "2026-03-02")
	base := Choose(cat, stretch, 3, in)
	in.Level = 2
	up := Choose(cat, stretch, 3, in)
	if len(base.Exercises) == 0 || len(up.Exercises) == 0 {
		t.Fatalf("no exercises: %+v %+v", base, up)
	}
	more := false
	for _, x := range up.Exercises {
		for _, y := range base.Exercises {
			if x.ID == y.ID && (x.Reps > y.Reps || x.HoldSeconds > y.HoldSeconds || x.Sets > y.Sets) {
				more = true
			}
		}
	}
	if !more {
		t.Errorf("two steps up gave no larger dose: %+v vs %+v", up.Exercises, base.Exercises)
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
