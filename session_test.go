package backcoach

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func ip(v int) *int { return &v }

func TestSessionValidate(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	good := func() Session {
		return Session{StartedAt: at, DurationSeconds: 600, PainBefore: 4, PainAfter: ip(3), Exercises: []ExerciseOutcome{
			{ExerciseID: "cat-cow", Outcome: OutcomeDone, Seconds: 60},
			{ExerciseID: "wall-angels", Outcome: OutcomeSkipped},
			{ExerciseID: "chin-tuck", Outcome: OutcomeStopped, Reason: "pain", Seconds: 5},
		}}
	}
	if s := good(); s.Validate() != nil {
		t.Fatalf("good session: %v", s.Validate())
	}
	for _, c := range []struct {
		field, says string
		spoil       func(s *Session)
	}{
		{"started_at", "must be set", func(s *Session) { s.StartedAt = time.Time{} }},
		{"pain_before", "0 to 10, got 11", func(s *Session) { s.PainBefore = 11 }},
		{"pain_after", "0 to 10, got -1", func(s *Session) { s.PainAfter = ip(-1) }},
		{"duration_seconds", "0 to 14400", func(s *Session) { s.DurationSeconds = 99999 }},
		{"level", "-10 to 10", func(s *Session) { s.Level = 11 }},
		{"plan_id", "identifier", func(s *Session) { s.PlanID = "42" }},
		{"exercises[2].reason", "why the exercise was stopped", func(s *Session) { s.Exercises[2].Reason = "" }},
		{"exercises[0].reason", "must be empty", func(s *Session) { s.Exercises[0].Reason = "fine" }},
		{"exercises[1].outcome", "done, skipped, stopped", func(s *Session) { s.Exercises[1].Outcome = "paused" }},
		{"exercises[0].exercise_id", "lowercase", func(s *Session) { s.Exercises[0].ExerciseID = "Cat Cow" }},
		{"exercises[0].seconds", "0 to", func(s *Session) { s.Exercises[0].Seconds = -5 }},
	} {
		s := good()
		c.spoil(&s)
		err := s.Validate()
		e, ok := err.(*Error)
		if !ok || e.Code != EINVALID || e.Field != c.field || !strings.Contains(e.Message, c.says) {
			t.Errorf("%s: got %v, want EINVALID about %s saying %q", c.field, err, c.field, c.says)
		}
	}
}

func TestSessionSummaries(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	// 23:30 UTC on 1 March is 00:30 on 2 March in Paris.
	s1 := Session{StartedAt: time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), PainBefore: 5, PainAfter: ip(3), Level: 1,
		Exercises: []ExerciseOutcome{{ExerciseID: "a", Outcome: OutcomeDone}, {ExerciseID: "b", Outcome: OutcomeSkipped},
			{ExerciseID: "c", Outcome: OutcomeDone}, {ExerciseID: "d", Outcome: OutcomeStopped, Reason: "pain"}}}
	s2 := Session{StartedAt: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC), PainBefore: 6}
	diary := []DiaryEntry{
		{At: time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC), Pain: 7}, // later on the 3rd: not the first
		{At: time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC), Pain: 2},  // first on the 3rd
		{At: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), Pain: 9}, // the session's own day in Paris
	}
	got := Summaries([]Session{s2, s1}, diary, paris)
	want := []SessionSummary{
		{Date: "2026-03-02", PainBefore: 5, PainAfter: 3, Completion: 0.5, NextDayPain: 2, Level: 1},
		{Date: "2026-03-05", PainBefore: 6, PainAfter: 6, Completion: 0, NextDayPain: -1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Summaries\n got %+v\nwant %+v", got, want)
	}
}
