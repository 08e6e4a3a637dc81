package triage

import (
	"fmt"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/jsonbody"
)

// MaxAnswersBytes is the largest answers document accepted.
const MaxAnswersBytes = 64 << 10

// answersDoc is the answers document as it is sent (assessment.md): the
// JSON tags say which fields are required, as jsonbody reads them.
type answersDoc struct {
	Age               int                   `json:"age"`
	PainNow           int                   `json:"pain_now"`
	StageDescription  backcoach.Stage       `json:"stage_description,omitempty"`
	PEG               *backcoach.PEG        `json:"peg,omitempty"`
	Weeks             float64               `json:"weeks"`
	Trend             backcoach.Trend       `json:"trend"`
	ClinicianAssessed bool                  `json:"clinician_assessed"`
	Flags             []string              `json:"flags,omitempty"` // required, checked last (ParseAnswers)
	Conditions        []backcoach.Condition `json:"conditions,omitempty"`
	Causes            []backcoach.Cause     `json:"causes,omitempty"`
	Context           *contextDoc           `json:"context,omitempty"`
}

// contextDoc is the answers' routine context; a minutes field that is
// present must be from 1 to 60, so it is read as a pointer.
type contextDoc struct {
	Minutes   *int                  `json:"minutes,omitempty"`
	Places    []backcoach.Place     `json:"places,omitempty"`
	Equipment []backcoach.Equipment `json:"equipment,omitempty"`
}

// ParseAnswers reads an answers document strictly (assessment.md): unknown
// fields, unknown ids, wrong types and out-of-range numbers are EINVALID
// errors that name the field and the allowed values. Nothing is guessed.
// It reads with jsonbody, the one strict decoder of every JSON document.
func ParseAnswers(data []byte) (backcoach.Answers, error) {
	if len(data) > MaxAnswersBytes {
		return backcoach.Answers{}, backcoach.Invalid("answers", "the document is %d bytes; at most %d are accepted", len(data), MaxAnswersBytes)
	}
	var doc answersDoc
	if err := (jsonbody.Options{Root: "answers"}).Decode(data, &doc); err != nil {
		return backcoach.Answers{}, err
	}
	a := backcoach.Answers{
		Age: doc.Age, PainNow: doc.PainNow, StageDescription: doc.StageDescription, PEG: doc.PEG,
		Weeks: doc.Weeks, Trend: doc.Trend, ClinicianAssessed: doc.ClinicianAssessed,
		Flags: doc.Flags, Conditions: doc.Conditions, Causes: doc.Causes,
	}
	if c := doc.Context; c != nil {
		a.Context = &backcoach.Context{Places: c.Places, Equipment: c.Equipment}
		if c.Minutes != nil {
			if *c.Minutes == 0 {
				return backcoach.Answers{}, backcoach.Invalid("context.minutes", "must be a whole number of minutes from 1 to 60, got 0")
			}
			a.Context.Minutes = *c.Minutes
		}
	}
	if err := Validate(&a); err != nil {
		return backcoach.Answers{}, err
	}
	// The warning signs must have been asked: "flags" is required, even
	// when it is empty, so that a script cannot skip the safety screen by
	// leaving it out (the safer reading of the contract).
	if a.Flags == nil {
		return backcoach.Answers{}, backcoach.Invalid("flags", "is required: list the warning-sign ids answered yes, or [] for none")
	}
	return a, nil
}

// Validate checks answers built in code (by a wizard or a terminal prompt)
// with the same rules as ParseAnswers, red-flag ids included.
func Validate(a *backcoach.Answers) error {
	if err := a.Validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, id := range a.Flags {
		field := fmt.Sprintf("flags[%d]", i)
		if _, ok := LookupFlag(id); !ok {
			return backcoach.Invalid(field, "%q is not a warning-sign id; allowed: %s", id, strings.Join(FlagIDs(), ", "))
		}
		if seen[id] {
			return backcoach.Invalid(field, "%q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}
