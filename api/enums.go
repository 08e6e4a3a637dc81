package api

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// The OpenAPI document lists the allowed values of every id type from the
// domain's own lists, so that the document and the rules cannot drift.

// enums holds the allowed values of each domain id type.
var enums = map[reflect.Type][]any{
	reflect.TypeFor[backcoach.Place]():       anyList(backcoach.Places),
	reflect.TypeFor[backcoach.Equipment]():   anyList(backcoach.AllEquipment),
	reflect.TypeFor[backcoach.Condition]():   anyList(backcoach.Conditions),
	reflect.TypeFor[backcoach.Cause]():       anyList(backcoach.Causes),
	reflect.TypeFor[backcoach.Stage]():       anyList(backcoach.Stages),
	reflect.TypeFor[backcoach.Trend]():       anyList(backcoach.Trends),
	reflect.TypeFor[backcoach.Urgency]():     anyList(backcoach.Urgencies),
	reflect.TypeFor[backcoach.Outcome]():     anyList(backcoach.Outcomes),
	reflect.TypeFor[backcoach.Role]():        anyList(backcoach.Roles),
	reflect.TypeFor[backcoach.Position]():    anyList(backcoach.Positions),
	reflect.TypeFor[backcoach.Region]():      anyList(backcoach.Regions),
	reflect.TypeFor[backcoach.AuditAction](): anyList(backcoach.AuditActions),
}

// registerEnums makes the registry document each domain id type as a
// string with its allowed values.
func registerEnums(r huma.Registry) {
	alias := map[reflect.Type]reflect.Type{
		reflect.TypeFor[backcoach.Place]():       reflect.TypeFor[enumOf[backcoach.Place]](),
		reflect.TypeFor[backcoach.Equipment]():   reflect.TypeFor[enumOf[backcoach.Equipment]](),
		reflect.TypeFor[backcoach.Condition]():   reflect.TypeFor[enumOf[backcoach.Condition]](),
		reflect.TypeFor[backcoach.Cause]():       reflect.TypeFor[enumOf[backcoach.Cause]](),
		reflect.TypeFor[backcoach.Stage]():       reflect.TypeFor[enumOf[backcoach.Stage]](),
		reflect.TypeFor[backcoach.Trend]():       reflect.TypeFor[enumOf[backcoach.Trend]](),
		reflect.TypeFor[backcoach.Urgency]():     reflect.TypeFor[enumOf[backcoach.Urgency]](),
		reflect.TypeFor[backcoach.Outcome]():     reflect.TypeFor[enumOf[backcoach.Outcome]](),
		reflect.TypeFor[backcoach.Role]():        reflect.TypeFor[enumOf[backcoach.Role]](),
		reflect.TypeFor[backcoach.Position]():    reflect.TypeFor[enumOf[backcoach.Position]](),
		reflect.TypeFor[backcoach.Region]():      reflect.TypeFor[enumOf[backcoach.Region]](),
		reflect.TypeFor[backcoach.AuditAction](): reflect.TypeFor[enumOf[backcoach.AuditAction]](),
	}
	for t, a := range alias {
		r.RegisterTypeAlias(t, a)
	}
}

// answerOf names the assessment's question whose options are the values
// of each id type that is an answer: their words are documented from it.
var answerOf = map[reflect.Type]string{
	reflect.TypeFor[backcoach.Place]():     "context.places",
	reflect.TypeFor[backcoach.Equipment](): "context.equipment",
	reflect.TypeFor[backcoach.Condition](): "conditions",
	reflect.TypeFor[backcoach.Cause]():     "causes",
	reflect.TypeFor[backcoach.Stage]():     "stage_description",
	reflect.TypeFor[backcoach.Trend]():     "trend",
}

// enumOf documents the domain id type T.
type enumOf[T ~string] string

// Schema is a string with T's allowed values, and for an answer's ids
// what each means, in the assessment's words.
func (enumOf[T]) Schema(huma.Registry) *huma.Schema {
	t := reflect.TypeFor[T]()
	s := &huma.Schema{Type: huma.TypeString, Enum: enums[t]}
	if field, ok := answerOf[t]; ok {
		s.Description = optionsDoc(triage.Ask(field), enums[t])
	}
	return s
}

// stageDescription documents the answers' stage_description, which is a
// stage other than "none".
type stageDescription string

// Schema is a string naming a stage above none.
func (stageDescription) Schema(huma.Registry) *huma.Schema {
	q := triage.Ask("stage_description")
	ids := anyList(q.ChoiceIDs())
	return &huma.Schema{Type: huma.TypeString, Enum: ids, Description: optionsDoc(q, ids)}
}

// optionsDoc lists what each of the ids means: "`mild`: Mild: A minor
// ache…", one a line.
func optionsDoc(q triage.Question, ids []any) string {
	var b strings.Builder
	for _, id := range ids {
		o, _ := q.Option(id.(string))
		fmt.Fprintf(&b, "- `%s`: %s", o.ID, o.Label)
		if o.Help != "" {
			fmt.Fprintf(&b, ": %s", o.Help)
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// questionDoc describes an answers field: what it means, and the question
// the person is asked, with the words of its scale.
func questionDoc(q triage.Question) string {
	return fmt.Sprintf("%s Asked as: “%s”", q.About, q.Prompt())
}

// describeAnswers sets the description of each property of an answers
// schema (prefix "" for the document, "context." for its context) from the
// assessment's questions.
func describeAnswers(s *huma.Schema, prefix string) {
	for name, p := range s.Properties {
		q, ok := triage.Questions()[prefix+name]
		if !ok {
			continue
		}
		doc := questionDoc(q)
		if group(prefix + name) {
			doc = q.About // its questions are its fields'
		}
		if p.Description != "" {
			// An id type's own schema, inlined: what each id means.
			doc += "\n\n" + p.Description
		}
		p.Description = doc
		switch prefix + name {
		case "peg":
			for _, item := range []string{"pain", "enjoyment", "activity"} {
				p.Description += fmt.Sprintf(" `%s`: %s", item, questionDoc(triage.Ask("peg."+item)))
			}
		case "context":
			d := backcoach.DefaultContext()
			p.Description += fmt.Sprintf(" When left out: %d minutes, places %s, equipment %s.", d.Minutes, joinIDs(d.Places), joinIDs(d.Equipment))
		case "context.minutes":
			p.Description += fmt.Sprintf(" %d when left out.", backcoach.DefaultMinutes)
		}
	}
}

// group reports whether an answers field is an object of fields that have
// their own questions (peg, context).
func group(field string) bool {
	for f := range triage.Questions() {
		if strings.HasPrefix(f, field+".") {
			return true
		}
	}
	return false
}

// TransformSchema describes the answers' fields with the assessment's
// questions, so that the document and the questions cannot drift.
func (answersBody) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	describeAnswers(s, "")
	return s
}

// TransformSchema describes the routine context's fields likewise.
func (contextBody) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	describeAnswers(s, "context.")
	return s
}

func joinIDs[T ~string](list []T) string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

// flagID documents a red-flag id (docs/clinical.md §3).
type flagID string

// Schema is a string naming a warning sign of the triage's list.
func (flagID) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Enum: anyList(triage.FlagIDs())}
}

func anyList[T ~string](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
