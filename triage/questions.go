package triage

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/backcoach/backcoach"
)

// The assessment's questions after the warning signs (which are in
// content.json), with the words of every answer, are data: questions.json,
// keyed by the answers document's field ("context.places") and each
// option by its id. The terminal's questions, the web wizard, the web's
// labels and the API's documentation all read them from here, so that an
// option's words follow its id and never its position in a list.

//go:embed questions.json
var questionsJSON []byte

// Question is one question of the assessment.
type Question struct {
	// Field is the answers document's field it fills ("context.places").
	Field string `json:"-"`
	// About says what the answer means, for the API's documentation.
	About string `json:"about"`
	// Text is the question as the person is asked it.
	Text string `json:"text"`
	// Help is a line that helps to answer, if any.
	Help string `json:"help,omitempty"`
	// Scale holds the words of the ends of a 0–10 answer.
	Scale *Scale `json:"scale,omitempty"`
	// Options are the answers to choose from, by id.
	Options map[string]Option `json:"options,omitempty"`
	// order is the ids of the options in the domain's order.
	order []string
}

// Scale holds what 0 and 10 mean on a 0–10 answer.
type Scale struct {
	Low  string `json:"low"`
	High string `json:"high"`
}

// Words says what the ends of the scale mean, as one sentence.
func (s *Scale) Words() string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("0 is %s, 10 is %s.", s.Low, s.High)
}

// Option is one answer to choose from.
type Option struct {
	ID    string `json:"-"`
	Label string `json:"label"`
	Help  string `json:"help,omitempty"`
	// ResultOnly marks a value the assessment can conclude but that is
	// never offered as an answer (the stage "none").
	ResultOnly bool `json:"result_only,omitempty"`
}

// Choices lists the options offered as answers, in the order of the
// domain's list of ids.
func (q Question) Choices() []Option {
	out := make([]Option, 0, len(q.order))
	for _, id := range q.order {
		if o := q.Options[id]; !o.ResultOnly {
			out = append(out, o)
		}
	}
	return out
}

// ChoiceIDs lists the ids of the options offered as answers, in order.
func (q Question) ChoiceIDs() []string {
	var out []string
	for _, o := range q.Choices() {
		out = append(out, o.ID)
	}
	return out
}

// Option returns the option with the id.
func (q Question) Option(id string) (Option, bool) {
	o, ok := q.Options[id]
	return o, ok
}

// Label returns the words of the option with the id, or the id itself.
func (q Question) Label(id string) string {
	if o, ok := q.Options[id]; ok {
		return o.Label
	}
	return id
}

// Prompt is the question with its help and scale words, as one line of
// text for an interface that shows them together.
func (q Question) Prompt() string {
	parts := []string{q.Text}
	if q.Help != "" {
		parts = append(parts, q.Help)
	}
	if q.Scale != nil {
		parts = append(parts, q.Scale.Words())
	}
	return strings.Join(parts, " ")
}

// optionIDs holds, for each question with options, the domain's list of
// the ids it must label, in the order they are offered.
var optionIDs = map[string][]string{
	"stage_description": idStrings(backcoach.Stages),
	"trend":             idStrings(backcoach.Trends),
	"conditions":        idStrings(backcoach.Conditions),
	"causes":            idStrings(backcoach.Causes),
	"context.places":    idStrings(backcoach.Places),
	"context.equipment": idStrings(backcoach.AllEquipment),
}

// AnswerFields lists the answers document's fields, nested ones with a
// dotted path ("peg.pain"), read from the Answers type's JSON tags. Every
// one but "flags" (the warning signs, in content.json) has a question.
func AnswerFields() []string {
	var out []string
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			out = append(out, prefix+name)
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(prefix+name+".", ft)
			}
		}
	}
	walk("", reflect.TypeFor[backcoach.Answers]())
	return out
}

var questions = sync.OnceValues(func() (map[string]Question, error) {
	return loadQuestions(questionsJSON)
})

// loadQuestions reads questions.json and checks it against the answers
// document and the domain's lists of ids.
func loadQuestions(data []byte) (map[string]Question, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var qs map[string]Question
	if err := d.Decode(&qs); err != nil {
		return nil, err
	}
	for field, q := range qs {
		q.Field = field
		for id, o := range q.Options {
			o.ID = id
			q.Options[id] = o
		}
		q.order = optionIDs[field]
		qs[field] = q
	}
	return qs, checkQuestions(qs)
}

// checkQuestions reports the first way the questions and the answers
// document disagree: a field without a question or a question without a
// field, a domain id without exactly one option or an option without its
// id, a question without words.
func checkQuestions(qs map[string]Question) error {
	fields := slices.DeleteFunc(AnswerFields(), func(f string) bool { return f == "flags" })
	for _, f := range fields {
		if _, ok := qs[f]; !ok {
			return fmt.Errorf("answers field %q has no question", f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(qs)) {
		q := qs[f]
		if !slices.Contains(fields, f) {
			return fmt.Errorf("question %q is not a field of the answers document", f)
		}
		if q.Text == "" || q.About == "" {
			return fmt.Errorf("question %q needs a text and an about", f)
		}
		if q.Scale != nil && (q.Scale.Low == "" || q.Scale.High == "") {
			return fmt.Errorf("question %q: its scale needs the words of 0 and of 10", f)
		}
		ids, want := optionIDs[f]
		if !want && len(q.Options) > 0 {
			return fmt.Errorf("question %q has options but its answer is not one of a list of ids", f)
		}
		for _, id := range ids {
			o, ok := q.Options[id]
			if !ok {
				return fmt.Errorf("question %q has no option for %q", f, id)
			}
			if o.Label == "" {
				return fmt.Errorf("question %q: option %q has no label", f, id)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(q.Options)) {
			if !slices.Contains(ids, id) {
				return fmt.Errorf("question %q: option %q is not an id of its answer (%s)", f, id, strings.Join(ids, ", "))
			}
		}
		if want && len(q.Choices()) == 0 {
			return fmt.Errorf("question %q offers no choice", f)
		}
	}
	return nil
}

// Questions returns the assessment's questions by answers field. The map
// and its questions are shared: do not change them.
func Questions() map[string]Question {
	qs, err := questions()
	if err != nil {
		panic("triage: questions.json: " + err.Error())
	}
	return qs
}

// Ask returns the question of an answers field ("age", "context.places").
// Every field but "flags" has one (checked by the tests); any other name
// is a programming error and panics.
func Ask(field string) Question {
	q, ok := Questions()[field]
	if !ok {
		panic("triage: no question for the answers field " + field)
	}
	return q
}

// AnswerLabel returns the words of an answer id of any of the assessment's
// lists (a condition, a cause, a place, a piece of equipment, a stage or a
// trend), and whether it is one. The ids of these lists are distinct
// (checked by the tests), so an id alone names its option.
func AnswerLabel(id string) (Option, bool) {
	for _, f := range slices.Sorted(maps.Keys(optionIDs)) {
		if o, ok := Ask(f).Options[id]; ok {
			return o, true
		}
	}
	return Option{}, false
}

func idStrings[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
