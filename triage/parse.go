package triage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/backcoach/backcoach"
)

// MaxAnswersBytes is the largest answers document accepted.
const MaxAnswersBytes = 64 << 10

var (
	answerFields  = []string{"age", "pain_now", "stage_description", "peg", "weeks", "trend", "clinician_assessed", "flags", "conditions", "causes", "context"}
	pegFields     = []string{"pain", "enjoyment", "activity"}
	contextFields = []string{"minutes", "places", "equipment"}
)

// ParseAnswers reads an answers document strictly (assessment.md): unknown
// fields, unknown ids, wrong types and out-of-range numbers are EINVALID
// errors that name the field and the allowed values. Nothing is guessed.
func ParseAnswers(data []byte) (backcoach.Answers, error) {
	var a backcoach.Answers
	if len(data) > MaxAnswersBytes {
		return a, backcoach.Invalid("answers", "the document is %d bytes; at most %d are accepted", len(data), MaxAnswersBytes)
	}
	top, err := object(data, "", answerFields)
	if err != nil {
		return a, err
	}
	p := parser{fields: top}
	a.Age = p.integer("age", true)
	a.PainNow = p.integer("pain_now", true)
	a.StageDescription = backcoach.Stage(p.str("stage_description", false))
	a.Weeks = p.number("weeks", true)
	a.Trend = backcoach.Trend(p.str("trend", true))
	a.ClinicianAssessed = p.boolean("clinician_assessed", true)
	_, flagsGiven := p.present("flags")
	a.Flags = p.strings("flags")
	a.Conditions = toIDs[backcoach.Condition](p.strings("conditions"))
	a.Causes = toIDs[backcoach.Cause](p.strings("causes"))
	if raw, ok := p.present("peg"); ok && p.err == nil {
		fields, err := object(raw, "peg.", pegFields)
		if err != nil {
			return a, err
		}
		q := parser{fields: fields, prefix: "peg."}
		a.PEG = &backcoach.PEG{Pain: q.integer("pain", true), Enjoyment: q.integer("enjoyment", true), Activity: q.integer("activity", true)}
		p.err = q.err
	}
	if raw, ok := p.present("context"); ok && p.err == nil {
		fields, err := object(raw, "context.", contextFields)
		if err != nil {
			return a, err
		}
		q := parser{fields: fields, prefix: "context."}
		c := &backcoach.Context{Minutes: q.integer("minutes", false)}
		if _, ok := q.present("minutes"); ok && c.Minutes == 0 && q.err == nil {
			q.err = backcoach.Invalid("context.minutes", "must be a whole number of minutes from 1 to 60, got 0")
		}
		c.Places = toIDs[backcoach.Place](q.strings("places"))
		c.Equipment = toIDs[backcoach.Equipment](q.strings("equipment"))
		a.Context = c
		p.err = q.err
	}
	if p.err != nil {
		return backcoach.Answers{}, p.err
	}
	if err := Validate(&a); err != nil {
		return backcoach.Answers{}, err
	}
	// The warning signs must have been asked: "flags" is required, even
	// when it is empty, so that a script cannot skip the safety screen by
	// leaving it out (the safer reading of the contract).
	if !flagsGiven {
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

// object decodes one JSON object into its raw fields, rejecting any field
// that is not allowed.
func object(data []byte, prefix string, allowed []string) (map[string]json.RawMessage, error) {
	name := strings.TrimSuffix(prefix, ".")
	if name == "" {
		name = "answers"
	}
	d := json.NewDecoder(bytes.NewReader(data))
	var fields map[string]json.RawMessage
	if err := d.Decode(&fields); err != nil || fields == nil {
		return nil, backcoach.Invalid(name, "must be a JSON object%s", syntaxHint(err))
	}
	if _, err := d.Token(); err == nil {
		return nil, backcoach.Invalid(name, "must be a single JSON object, but more follows it")
	}
	for k := range fields {
		if !slices.Contains(allowed, k) {
			return nil, backcoach.Invalid(prefix+k, "is not a known field; allowed: %s", strings.Join(allowed, ", "))
		}
	}
	return fields, nil
}

func syntaxHint(err error) string {
	if err == nil {
		return ""
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf(" (invalid JSON at byte %d: %v)", se.Offset, se)
	}
	return fmt.Sprintf(" (%v)", err)
}

// parser reads typed fields out of one object; the first error sticks.
type parser struct {
	fields map[string]json.RawMessage
	prefix string
	err    error
}

// present returns a field's raw value; JSON null counts as absent.
func (p *parser) present(name string) (json.RawMessage, bool) {
	raw, ok := p.fields[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, false
	}
	return raw, true
}

func (p *parser) fail(name, format string, args ...any) {
	if p.err == nil {
		p.err = backcoach.Invalid(p.prefix+name, format, args...)
	}
}

func (p *parser) required(name string, required bool) (json.RawMessage, bool) {
	raw, ok := p.present(name)
	if !ok && required {
		p.fail(name, "is required")
	}
	return raw, ok && p.err == nil
}

func (p *parser) number(name string, required bool) float64 {
	raw, ok := p.required(name, required)
	if !ok {
		return 0
	}
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	// A json.Number also accepts a quoted number: only a bare one is a number.
	if JSONKind(raw) != "a number" || d.Decode(&n) != nil {
		p.fail(name, "must be a number, got %s", JSONKind(raw))
		return 0
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		p.fail(name, "must be a finite number, got %s", n)
		return 0
	}
	return f
}

func (p *parser) integer(name string, required bool) int {
	raw, ok := p.required(name, required)
	if !ok {
		return 0
	}
	f := p.number(name, required)
	if p.err != nil {
		return 0
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		p.fail(name, "must be a whole number, got %s", strings.TrimSpace(string(raw)))
		return 0
	}
	return int(f)
}

func (p *parser) str(name string, required bool) string {
	raw, ok := p.required(name, required)
	if !ok {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.fail(name, "must be a string, got %s", JSONKind(raw))
	}
	return s
}

func (p *parser) boolean(name string, required bool) bool {
	raw, ok := p.required(name, required)
	if !ok {
		return false
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		p.fail(name, "must be true or false, got %s", JSONKind(raw))
	}
	return b
}

func (p *parser) strings(name string) []string {
	raw, ok := p.required(name, false)
	if !ok {
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		p.fail(name, "must be an array of ids, got %s", JSONKind(raw))
		return nil
	}
	out := make([]string, len(list))
	for i, item := range list {
		if err := json.Unmarshal(item, &out[i]); err != nil {
			p.fail(fmt.Sprintf("%s[%d]", name, i), "must be a string id, got %s", JSONKind(item))
			return nil
		}
	}
	return out
}

// JSONKind names the JSON type of a raw value for an error message: "a
// string", "an object", "null"...
func JSONKind(raw json.RawMessage) string {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return "nothing"
	}
	switch s[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func toIDs[T ~string](list []string) []T {
	if list == nil {
		return nil
	}
	out := make([]T, len(list))
	for i, s := range list {
		out[i] = T(s)
	}
	return out
}
