package backcoach

import "fmt"

// Plan is a routine for one day (assessment.md), built by the planner from a
// Result, the Answers and the catalog.
type Plan struct {
	Urgency Urgency `json:"urgency"`
	Stage   Stage   `json:"stage"`
	Minutes int     `json:"minutes"`
	// Date is the day the plan is for (YYYY-MM-DD): the day's variety
	// depends on it, so the same answers give the same plan on the same day.
	Date string `json:"date"`
	// TotalSeconds is the planned time, rests included; never more than
	// Minutes*60.
	TotalSeconds int `json:"total_seconds"`
	// Level is the progression step applied to the doses: 0 is the stage's
	// own dose, +1 a step up, -1 a step down.
	Level     int               `json:"level"`
	Exercises []PlannedExercise `json:"exercises"`
	Excluded  []Exclusion       `json:"excluded"`
	Notes     []string          `json:"notes"`
}

// PlannedExercise is one exercise of a plan with the dose chosen for it.
type PlannedExercise struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Sets        int    `json:"sets"`
	Reps        int    `json:"reps"`
	HoldSeconds int    `json:"hold_seconds"`
	Sides       Sides  `json:"sides"`
	Tempo       string `json:"tempo"`
	// Seconds is the time the exercise takes, rest after it not included.
	Seconds int    `json:"seconds"`
	Warmup  bool   `json:"warmup"`
	Why     string `json:"why"`
	// Changes are the ways to do it differently today (small range for the
	// high stage, a condition's modification).
	Changes []string `json:"changes"`
}

// Exclusion is an exercise left out of a plan, with the reason: a condition
// id, or "stage", "place" or "equipment".
type Exclusion struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// The non-condition reasons an exercise can be excluded for.
const (
	ExcludeStage     = "stage"
	ExcludePlace     = "place"
	ExcludeEquipment = "equipment"
)

// RestSeconds is the rest between two exercises of a routine.
const RestSeconds = 15

// SessionSummary is what the progression rules need to know of one guided
// session: when it was, pain before and after, how much was done, and the
// pain recorded the next day if any.
type SessionSummary struct {
	Date       string  `json:"date"` // YYYY-MM-DD, in the person's time zone
	PainBefore int     `json:"pain_before"`
	PainAfter  int     `json:"pain_after"`
	Completion float64 `json:"completion"` // 0..1, share of planned exercises done
	// NextDayPain is the first pain recorded the day after, or -1 if none.
	NextDayPain int `json:"next_day_pain"`
	Level       int `json:"level"` // the plan level the session was done at
}

// Progression is the planner's decision about the next dose level.
type Progression struct {
	Level  int    `json:"level"`
	Change int    `json:"change"` // -1, 0 or +1 against the current level
	Reason string `json:"reason"`
}

// DoseWords says the planned dose in plain words, the same in every
// interface: "2 × 8 slow repetitions, pausing 3 s in each", "hold 25 s,
// each side", "2 × 30 s of movement". kind is the exercise's dose kind.
func (x *PlannedExercise) DoseWords(kind DoseKind) string {
	var s string
	switch kind {
	case DoseReps:
		s = fmt.Sprintf("%d slow repetitions", x.Reps)
		if x.HoldSeconds > 0 {
			s += fmt.Sprintf(", pausing %d s in each", x.HoldSeconds)
		}
	case DoseHold:
		s = fmt.Sprintf("hold %d s", x.HoldSeconds)
	default:
		s = fmt.Sprintf("%d s of movement", x.HoldSeconds)
	}
	if x.Sets > 1 {
		s = fmt.Sprintf("%d × %s", x.Sets, s)
	}
	if x.Sides == SidesEach {
		s += ", each side"
	}
	return s
}

// Count writes a number of things with the right word: "1 day", "3 days".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// DurationWords says a number of seconds as "45 s", "1 min" or
// "1 min 30 s".
func DurationWords(seconds int) string {
	m, s := seconds/60, seconds%60
	switch {
	case m == 0:
		return fmt.Sprintf("%d s", s)
	case s == 0:
		return fmt.Sprintf("%d min", m)
	default:
		return fmt.Sprintf("%d min %d s", m, s)
	}
}
