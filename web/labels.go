package web

import (
	"reflect"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// labels are the words the pages use for the domain's ids that are not
// answers of the assessment: urgencies, outcomes, positions, doses and
// regions. The answers' words (conditions, causes, places, equipment,
// stages and trends) are the assessment's data, keyed by id
// (triage.AnswerLabel).
var labels = map[string]string{
	// access token scopes
	"read":       "Read only",
	"read_write": "Read and change",
	// urgencies
	"self_care": "Self-care",
	"soon":      "See someone soon",
	"urgent":    "Contact a doctor today",
	"emergency": "Emergency",
	// outcomes
	"done":    "Done",
	"skipped": "Skipped",
	"stopped": "Stopped",
	// positions
	"standing":      "Standing",
	"seated":        "Seated",
	"sitting_floor": "Sitting on the floor",
	"lying_side":    "Lying on your side",
	"hands_knees":   "On hands and knees",
	"kneeling":      "Kneeling",
	"lying_front":   "Lying on your front",
	"lying_back":    "Lying on your back",
	// doses
	"hold":  "Hold",
	"reps":  "Repetitions",
	"timed": "Timed",
	// regions
	"thoracic_spine":  "Upper back",
	"neck":            "Neck",
	"shoulders":       "Shoulders",
	"shoulder_blades": "Shoulder blades",
	"chest":           "Chest",
	"sides":           "Sides",
	"lower_back":      "Lower back",
	"breathing":       "Breathing",
}

// label returns the words for an id (a string or one of the domain's
// string types), or the id itself.
func label(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.String {
		return ""
	}
	id := rv.String()
	if answerType(rv.Type()) {
		if o, ok := triage.AnswerLabel(id); ok {
			return o.Label
		}
	}
	if l, ok := labels[id]; ok {
		return l
	}
	return id
}

// answerType reports whether ids of type t are answers of the assessment:
// one of their domain types, or a plain string (the pages' lists of
// choices).
func answerType(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[string](), reflect.TypeFor[backcoach.Condition](), reflect.TypeFor[backcoach.Cause](),
		reflect.TypeFor[backcoach.Place](), reflect.TypeFor[backcoach.Equipment](),
		reflect.TypeFor[backcoach.Stage](), reflect.TypeFor[backcoach.Trend]():
		return true
	}
	return false
}
