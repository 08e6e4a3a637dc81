package backcoach

import "testing"

func TestDoseWords(t *testing.T) {
	cases := []struct {
		x    PlannedExercise
		kind DoseKind
		want string
	}{
		{PlannedExercise{Sets: 1, Reps: 8}, DoseReps, "8 slow repetitions"},
		{PlannedExercise{Sets: 2, Reps: 10, HoldSeconds: 3}, DoseReps, "2 × 10 slow repetitions, pausing 3 s in each"},
		{PlannedExercise{Sets: 3, HoldSeconds: 25, Sides: SidesEach}, DoseHold, "3 × hold 25 s, each side"},
		{PlannedExercise{Sets: 2, HoldSeconds: 30}, DoseTimed, "2 × 30 s of movement"},
	}
	for _, tc := range cases {
		if got := tc.x.DoseWords(tc.kind); got != tc.want {
			t.Errorf("%+v %s: %q, want %q", tc.x, tc.kind, got, tc.want)
		}
	}
}

func TestDurationWords(t *testing.T) {
	for seconds, want := range map[int]string{0: "0 s", 45: "45 s", 60: "1 min", 90: "1 min 30 s", 600: "10 min"} {
		if got := DurationWords(seconds); got != want {
			t.Errorf("%d: %q, want %q", seconds, got, want)
		}
	}
}
