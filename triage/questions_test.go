package triage

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// The questions file agrees with the answers document and the domain's
// lists: every id has exactly one option and every option its id.
func TestQuestionsSchema(t *testing.T) {
	t.Parallel()
	if _, err := loadQuestions(questionsJSON); err != nil {
		t.Fatal(err)
	}
	if dup := duplicateKey(t, questionsJSON); dup != "" {
		t.Errorf("questions.json gives %s twice: the second would silently win", dup)
	}
	for field, want := range map[string][]string{
		"stage_description": idStrings(backcoach.Stages[1:]), // "none" is a result, never an answer
		"trend":             idStrings(backcoach.Trends),
		"conditions":        idStrings(backcoach.Conditions),
		"causes":            idStrings(backcoach.Causes),
		"context.places":    idStrings(backcoach.Places),
		"context.equipment": idStrings(backcoach.AllEquipment),
	} {
		if got := Ask(field).ChoiceIDs(); !slices.Equal(got, want) {
			t.Errorf("%s offers %v, want %v", field, got, want)
		}
	}
	if o, ok := Ask("stage_description").Option(string(backcoach.StageNone)); !ok || !o.ResultOnly || o.Help == "" {
		t.Errorf("the stage none needs words for results, and is never offered: %+v", o)
	}
	for _, f := range []string{"pain_now", "peg.pain", "peg.enjoyment", "peg.activity"} {
		if Ask(f).Scale == nil {
			t.Errorf("%s is a 0–10 answer without the words of its scale", f)
		}
	}
}

// An option's id names it alone: no two lists share an id, so a label
// looked up by id cannot be another list's.
func TestAnswerIDsDistinct(t *testing.T) {
	t.Parallel()
	owner := map[string]string{}
	for field := range optionIDs {
		for id := range Ask(field).Options {
			if other, ok := owner[id]; ok {
				t.Errorf("%q is an option of both %s and %s", id, other, field)
			}
			owner[id] = field
			if o, ok := AnswerLabel(id); !ok || o.Label != Ask(field).Label(id) {
				t.Errorf("AnswerLabel(%q) = %+v", id, o)
			}
		}
	}
	if _, ok := AnswerLabel("nonsense"); ok {
		t.Error("an unknown id has a label")
	}
}

// The check finds each way the file can go wrong, so that adding an id
// to the domain without its words, or words without an id, fails.
func TestQuestionsSchemaCatches(t *testing.T) {
	t.Parallel()
	edit := func(change func(m map[string]map[string]any)) []byte {
		var m map[string]map[string]any
		if err := json.Unmarshal(questionsJSON, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	options := func(m map[string]map[string]any, field string) map[string]any {
		return m[field]["options"].(map[string]any)
	}
	type doc = map[string]map[string]any
	for name, tc := range map[string]struct {
		change func(m doc)
		says   string
	}{
		"condition without words": {func(m doc) { delete(options(m, "conditions"), "pregnant") }, `no option for "pregnant"`},
		"orphaned label":          {func(m doc) { options(m, "causes")["weather"] = map[string]any{"label": "Rain"} }, `"weather" is not an id`},
		"label of another list":   {func(m doc) { options(m, "context.places")["wall"] = map[string]any{"label": "A wall"} }, `"wall" is not an id`},
		"empty label":             {func(m doc) { options(m, "trend")["same"] = map[string]any{"label": ""} }, "no label"},
		"field without question":  {func(m doc) { delete(m, "weeks") }, `"weeks" has no question`},
		"question without field":  {func(m doc) { m["mood"] = map[string]any{"text": "How are you?", "about": "Mood."} }, `"mood" is not a field`},
		"options on a number":     {func(m doc) { m["age"]["options"] = map[string]any{"old": map[string]any{"label": "Old"}} }, "not one of a list"},
		"half a scale":            {func(m doc) { m["pain_now"]["scale"] = map[string]any{"low": "none"} }, "words of 0 and of 10"},
		"no text":                 {func(m doc) { m["age"]["text"] = "" }, "needs a text"},
		"unknown key":             {func(m doc) { m["age"]["hint"] = "x" }, "unknown field"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadQuestions(edit(tc.change))
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want one saying %q", err, tc.says)
			}
		})
	}
	if dup := duplicateKey(t, []byte(`{"a": {"options": {"x": 1, "y": 2, "x": 3}}}`)); dup != "a.options.x" {
		t.Errorf("duplicate found: %q", dup)
	}
}

func TestPromptAndScale(t *testing.T) {
	t.Parallel()
	if got := Ask("pain_now").Prompt(); got != "How bad is the pain right now? 0 is no pain, 10 is the worst pain you can imagine." {
		t.Errorf("prompt %q", got)
	}
	if got := Ask("age").Prompt(); got != "How old are you?" {
		t.Errorf("prompt %q", got)
	}
}

// duplicateKey returns the dotted path of the first key given twice in one
// JSON object, or "".
func duplicateKey(t *testing.T, data []byte) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]bool
		path   string
		key    bool // the next string token is a key
	}
	var stack []*frame
	path := ""
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, &frame{object: v == '{', keys: map[string]bool{}, path: path, key: v == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 {
					p := stack[len(stack)-1]
					p.key = p.object
					path = p.path
				}
			}
			continue
		case string:
			if top != nil && top.object && top.key {
				if top.keys[v] {
					return strings.TrimPrefix(top.path+"."+v, ".")
				}
				top.keys[v] = true
				top.key = false
				path = strings.TrimPrefix(top.path+"."+v, ".")
				continue
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}
