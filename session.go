package backcoach

import (
	"sort"
	"time"
)

// Outcome is what became of one exercise of a guided session.
type Outcome string

// The outcomes.
const (
	OutcomeDone    Outcome = "done"    // done as planned
	OutcomeSkipped Outcome = "skipped" // left out by choice
	OutcomeStopped Outcome = "stopped" // begun, then stopped (pain, dizziness...)
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeDone, OutcomeSkipped, OutcomeStopped}

// ExerciseOutcome is the record of one exercise of a guided session.
type ExerciseOutcome struct {
	ExerciseID string  `json:"exercise_id"`
	Outcome    Outcome `json:"outcome"`
	// Reason says why it was skipped or stopped: required when stopped,
	// optional when skipped, empty when done.
	Reason string `json:"reason"`
	// Seconds is the time spent on it.
	Seconds int `json:"seconds"`
}

// Session is the record of one guided session: each exercise of the plan
// with its outcome, pain before and after, and how long it took. The
// planner's progression reads sessions through Summary.
type Session struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// PlanID is the saved plan the session followed, if it was saved.
	PlanID          string    `json:"plan_id,omitempty"`
	StartedAt       time.Time `json:"started_at"`
	DurationSeconds int       `json:"duration_seconds"`
	// Level is the plan's progression level (Plan.Level).
	Level      int `json:"level"`
	PainBefore int `json:"pain_before"`
	// PainAfter is nil when it was not asked (the session was abandoned).
	PainAfter *int              `json:"pain_after"`
	Exercises []ExerciseOutcome `json:"exercises"`
}

// Limits of a session record.
const (
	MaxSessionSeconds  = 4 * 60 * 60
	MaxSessionItems    = 100
	MaxReasonRunes     = 200
	MaxLevel           = 10
	maxExerciseSeconds = MaxSessionSeconds
)

// Validate checks every field of the session.
func (s *Session) Validate() error {
	if s.PlanID != "" {
		if err := CheckID("plan_id", s.PlanID); err != nil {
			return err
		}
	}
	if err := checkTime("started_at", s.StartedAt); err != nil {
		return err
	}
	if err := checkRange("duration_seconds", s.DurationSeconds, 0, MaxSessionSeconds); err != nil {
		return err
	}
	if err := checkRange("level", s.Level, -MaxLevel, MaxLevel); err != nil {
		return err
	}
	if err := checkScore("pain_before", s.PainBefore); err != nil {
		return err
	}
	if s.PainAfter != nil {
		if err := checkScore("pain_after", *s.PainAfter); err != nil {
			return err
		}
	}
	if len(s.Exercises) > MaxSessionItems {
		return Invalid("exercises", "must list at most %d exercises, got %d", MaxSessionItems, len(s.Exercises))
	}
	for i := range s.Exercises {
		if err := s.Exercises[i].validate(fieldIndex("exercises", i)); err != nil {
			return err
		}
	}
	return nil
}

func (o *ExerciseOutcome) validate(field string) error {
	if err := checkSlug(field+".exercise_id", o.ExerciseID); err != nil {
		return err
	}
	if err := checkOneOf(field+".outcome", o.Outcome, Outcomes); err != nil {
		return err
	}
	if err := checkText(field+".reason", o.Reason, MaxReasonRunes, false); err != nil {
		return err
	}
	switch {
	case o.Outcome == OutcomeStopped && o.Reason == "":
		return Invalid(field+".reason", "must say why the exercise was stopped")
	case o.Outcome == OutcomeDone && o.Reason != "":
		return Invalid(field+".reason", "must be empty for an exercise that was done, got %q", clip(o.Reason, 40))
	}
	return checkRange(field+".seconds", o.Seconds, 0, maxExerciseSeconds)
}

// Completion is the share of the session's exercises that were done, 0..1;
// 0 for a session without exercises.
func (s *Session) Completion() float64 {
	if len(s.Exercises) == 0 {
		return 0
	}
	done := 0
	for _, e := range s.Exercises {
		if e.Outcome == OutcomeDone {
			done++
		}
	}
	return float64(done) / float64(len(s.Exercises))
}

// LocalDate returns the session's day (YYYY-MM-DD) in the given zone.
func (s *Session) LocalDate(loc *time.Location) string {
	return s.StartedAt.In(loc).Format(DateLayout)
}

// Summary returns what the progression rules need of the session.
// nextDayPain is the first pain recorded the day after, or -1. When pain
// after was not asked, the pain before stands in for it, so that a missing
// answer reads as "no change" rather than as better or worse.
func (s *Session) Summary(loc *time.Location, nextDayPain int) SessionSummary {
	after := s.PainBefore
	if s.PainAfter != nil {
		after = *s.PainAfter
	}
	return SessionSummary{
		Date:        s.LocalDate(loc),
		PainBefore:  s.PainBefore,
		PainAfter:   after,
		Completion:  s.Completion(),
		NextDayPain: nextDayPain,
		Level:       s.Level,
	}
}

// Summaries returns the summaries of sessions, oldest first, with each
// session's next-day pain taken from the diary: the first entry on the
// following local day, or -1 when there is none.
func Summaries(sessions []Session, diary []DiaryEntry, loc *time.Location) []SessionSummary {
	entries := append([]DiaryEntry(nil), diary...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].At.Before(entries[j].At) })
	firstPain := make(map[string]int, len(entries))
	for _, e := range entries {
		d := e.LocalDate(loc)
		if _, ok := firstPain[d]; !ok {
			firstPain[d] = e.Pain
		}
	}
	ordered := append([]Session(nil), sessions...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].StartedAt.Before(ordered[j].StartedAt) })
	out := make([]SessionSummary, 0, len(ordered))
	for i := range ordered {
		s := &ordered[i]
		next := s.StartedAt.In(loc)
		y, m, d := next.Date()
		nextDay := time.Date(y, m, d+1, 12, 0, 0, 0, loc).Format(DateLayout)
		pain, ok := firstPain[nextDay]
		if !ok {
			pain = -1
		}
		out = append(out, s.Summary(loc, pain))
	}
	return out
}
