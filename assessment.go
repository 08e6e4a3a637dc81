package backcoach

import (
	"fmt"
	"math"
	"strings"
)

// Urgency is how soon a person should see someone about their pain
// (docs/clinical.md §3). The highest level that applies wins.
type Urgency string

// The urgency levels, from least to most urgent.
const (
	UrgencySelfCare  Urgency = "self_care"
	UrgencySoon      Urgency = "soon"
	UrgencyUrgent    Urgency = "urgent"
	UrgencyEmergency Urgency = "emergency"
)

// Urgencies lists the levels from least to most urgent.
var Urgencies = []Urgency{UrgencySelfCare, UrgencySoon, UrgencyUrgent, UrgencyEmergency}

// Rank orders urgencies: a higher rank is more urgent.
func (u Urgency) Rank() int {
	for i, v := range Urgencies {
		if u == v {
			return i
		}
	}
	return -1
}

// ExerciseAllowed reports whether exercises may be offered at this urgency.
func (u Urgency) ExerciseAllowed() bool { return u.Rank() < UrgencyUrgent.Rank() }

// Stage is the severity of the pain (docs/clinical.md §2).
type Stage string

// The stages, from none to high.
const (
	StageNone     Stage = "none"
	StageMild     Stage = "mild"
	StageModerate Stage = "moderate"
	StageHigh     Stage = "high"
)

// Stages lists the stages from none to high.
var Stages = []Stage{StageNone, StageMild, StageModerate, StageHigh}

// Rank orders stages: a higher rank is more severe.
func (s Stage) Rank() int {
	for i, v := range Stages {
		if s == v {
			return i
		}
	}
	return -1
}

// Trend is how the pain has changed over the episode.
type Trend string

// The trends.
const (
	TrendBetter Trend = "better"
	TrendSame   Trend = "same"
	TrendWorse  Trend = "worse"
)

// Trends lists the trends.
var Trends = []Trend{TrendBetter, TrendSame, TrendWorse}

// PEG holds the three items of the PEG-3 scale (Krebs 2009), each 0–10.
type PEG struct {
	Pain      int `json:"pain"`
	Enjoyment int `json:"enjoyment"`
	Activity  int `json:"activity"`
}

// Score is the mean of the three items, rounded to one decimal.
func (p PEG) Score() float64 {
	return math.Round(float64(p.Pain+p.Enjoyment+p.Activity)*10/3) / 10
}

// Context is what the person has for today's routine.
type Context struct {
	Minutes   int         `json:"minutes"`
	Places    []Place     `json:"places"`
	Equipment []Equipment `json:"equipment"`
}

// DefaultMinutes is the routine length when the person does not say.
const DefaultMinutes = 10

// DefaultContext is used when the answers carry no context: every place,
// and the wall and chair that nearly every home and office has.
func DefaultContext() Context {
	return Context{
		Minutes:   DefaultMinutes,
		Places:    append([]Place(nil), Places...),
		Equipment: []Equipment{EquipmentWall, EquipmentChair},
	}
}

// Answers is what a person tells the assessment (assessment.md). Every
// interface produces the same Answers and gets the same Result.
type Answers struct {
	Age               int         `json:"age"`
	PainNow           int         `json:"pain_now"`
	StageDescription  Stage       `json:"stage_description,omitempty"`
	PEG               *PEG        `json:"peg,omitempty"`
	Weeks             float64     `json:"weeks"`
	Trend             Trend       `json:"trend"`
	ClinicianAssessed bool        `json:"clinician_assessed"`
	Flags             []string    `json:"flags"`
	Conditions        []Condition `json:"conditions"`
	Causes            []Cause     `json:"causes"`
	Context           *Context    `json:"context,omitempty"`
}

// Routine returns the answers' context, with defaults filled in.
func (a *Answers) Routine() Context {
	if a.Context == nil {
		return DefaultContext()
	}
	c := *a.Context
	if c.Minutes == 0 {
		c.Minutes = DefaultMinutes
	}
	return c
}

// HasCondition reports whether the person named the condition.
func (a *Answers) HasCondition(c Condition) bool { return contains(a.Conditions, c) }

// HasCause reports whether the person named the cause.
func (a *Answers) HasCause(c Cause) bool { return contains(a.Causes, c) }

// HasFlag reports whether the person answered yes to the red flag.
func (a *Answers) HasFlag(id string) bool { return contains(a.Flags, id) }

// Validate checks every field whose allowed values the domain knows. The
// red-flag ids are checked against the flag list by the triage package.
func (a *Answers) Validate() error {
	if a.Age < 12 || a.Age > 120 {
		return Invalid("age", "must be a whole number from 12 to 120, got %d", a.Age)
	}
	if err := checkScore("pain_now", a.PainNow); err != nil {
		return err
	}
	if a.StageDescription != "" {
		if err := checkOneOf("stage_description", a.StageDescription, Stages[1:]); err != nil {
			return err
		}
	}
	if a.PEG != nil {
		for _, item := range []struct {
			name  string
			value int
		}{{"peg.pain", a.PEG.Pain}, {"peg.enjoyment", a.PEG.Enjoyment}, {"peg.activity", a.PEG.Activity}} {
			if err := checkScore(item.name, item.value); err != nil {
				return err
			}
		}
	}
	if a.Weeks < 0 || a.Weeks > 5200 || a.Weeks != a.Weeks {
		return Invalid("weeks", "must be a number of weeks from 0 to 5200, got %v", a.Weeks)
	}
	if err := checkOneOf("trend", a.Trend, Trends); err != nil {
		return err
	}
	if err := checkList("conditions", a.Conditions, Conditions); err != nil {
		return err
	}
	if err := checkList("causes", a.Causes, Causes); err != nil {
		return err
	}
	if a.Context != nil {
		return a.Context.Validate()
	}
	return nil
}

// Validate checks the routine context.
func (c *Context) Validate() error {
	if c.Minutes != 0 && (c.Minutes < 1 || c.Minutes > 60) {
		return Invalid("context.minutes", "must be a whole number of minutes from 1 to 60, got %d", c.Minutes)
	}
	if c.Places != nil && len(c.Places) == 0 {
		return Invalid("context.places", "must name at least one of %s", joinIDs(Places))
	}
	if err := checkList("context.places", c.Places, Places); err != nil {
		return err
	}
	return checkList("context.equipment", c.Equipment, AllEquipment)
}

// checkScore checks a 0–10 rating.
func checkScore(field string, v int) error {
	if v < 0 || v > 10 {
		return Invalid(field, "must be a whole number from 0 to 10, got %d", v)
	}
	return nil
}

func checkOneOf[T ~string](field string, v T, allowed []T) error {
	if !contains(allowed, v) {
		return Invalid(field, "must be one of %s, got %q", joinIDs(allowed), v)
	}
	return nil
}

func checkList[T ~string](field string, list []T, allowed []T) error {
	seen := make(map[T]bool, len(list))
	for i, v := range list {
		name := fmt.Sprintf("%s[%d]", field, i)
		if err := checkOneOf(name, v, allowed); err != nil {
			return err
		}
		if seen[v] {
			return Invalid(name, "%q is listed twice", v)
		}
		seen[v] = true
	}
	return nil
}

func joinIDs[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// Soon reasons: why a "soon" urgency was given (docs/clinical.md §3).
const (
	ReasonNotAssessed  = "not_assessed"
	ReasonAge          = "age"
	ReasonNotImproving = "not_improving"
	ReasonWorsening    = "worsening"
	ReasonHighStage    = "high_stage"
	// ReasonClinicianCleared: a history sign (cancer, a weakened immune
	// system, recent spine surgery) was cleared by a clinician; the plan
	// stays gentle and follows theirs.
	ReasonClinicianCleared = "clinician_cleared"
)

// Result is what the assessment concludes (assessment.md).
type Result struct {
	Urgency  Urgency  `json:"urgency"`
	Stage    Stage    `json:"stage"`
	RedFlags []string `json:"red_flags"`
	// ClearedFlags are history signs answered yes that a clinician has
	// cleared (docs/clinical.md §3): they no longer bar exercise.
	ClearedFlags    []string `json:"cleared_flags,omitempty"`
	Reasons         []string `json:"reasons"`
	ExerciseAllowed bool     `json:"exercise_allowed"`
	PEGScore        *float64 `json:"peg_score"`
	Advice          []string `json:"advice"`
	Sources         []string `json:"sources"`
}
