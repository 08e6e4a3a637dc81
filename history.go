package backcoach

import "time"

// SavedAssessment is an assessment kept in a person's history: what they
// answered, what the coach concluded, and when.
type SavedAssessment struct {
	ID       string    `json:"id"`
	PersonID string    `json:"person_id"`
	TakenAt  time.Time `json:"taken_at"`
	Answers  Answers   `json:"answers"`
	Result   Result    `json:"result"`
}

// Validate checks the record: its time, the answers by the domain's rules,
// and that the result's levels are known ones.
func (a *SavedAssessment) Validate() error {
	if err := checkTime("taken_at", a.TakenAt); err != nil {
		return err
	}
	if err := a.Answers.Validate(); err != nil {
		return prefixField("answers", err)
	}
	if err := checkOneOf("result.urgency", a.Result.Urgency, Urgencies); err != nil {
		return err
	}
	return checkOneOf("result.stage", a.Result.Stage, Stages)
}

// SavedPlan is a plan kept in a person's history, with the assessment it
// was built from when that was saved too.
type SavedPlan struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// AssessmentID is empty when the plan's assessment was not saved.
	AssessmentID string    `json:"assessment_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	Plan         Plan      `json:"plan"`
}

// Validate checks the record and the plan's levels and date.
func (p *SavedPlan) Validate() error {
	if p.AssessmentID != "" {
		if err := CheckID("assessment_id", p.AssessmentID); err != nil {
			return err
		}
	}
	if err := checkTime("created_at", p.CreatedAt); err != nil {
		return err
	}
	if err := checkOneOf("plan.urgency", p.Plan.Urgency, Urgencies); err != nil {
		return err
	}
	if err := checkOneOf("plan.stage", p.Plan.Stage, Stages); err != nil {
		return err
	}
	if p.Plan.Date != "" {
		if err := checkDate("plan.date", p.Plan.Date); err != nil {
			return err
		}
	}
	if err := checkRange("plan.level", p.Plan.Level, -MaxLevel, MaxLevel); err != nil {
		return err
	}
	for i, e := range p.Plan.Exercises {
		if err := checkSlug(fieldIndex("plan.exercises", i)+".id", e.ID); err != nil {
			return err
		}
	}
	return nil
}

// prefixField puts prefix in front of the field of an *Error.
func prefixField(prefix string, err error) error {
	if e, ok := err.(*Error); ok && e.Field != "" {
		c := *e
		c.Field = prefix + "." + e.Field
		return &c
	}
	return err
}

// PrefixField puts prefix in front of the field of an *Error, so that an
// error about a part names where the part sits ("assessment.answers.age").
func PrefixField(prefix string, err error) error { return prefixField(prefix, err) }
