package api

import (
	"strings"
	"testing"

	"github.com/backcoach/backcoach/triage"
)

// The served document describes each answers field with the assessment's
// question, and each answer id with its words from the same data.
func TestAnswersDocumentedFromTheQuestions(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	doc := servedDocument(t, e)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	props := func(name string) map[string]any {
		return schemas[name].(map[string]any)["properties"].(map[string]any)
	}
	descOf := func(p any) string {
		d, _ := p.(map[string]any)["description"].(string)
		if items, ok := p.(map[string]any)["items"].(map[string]any); ok {
			d2, _ := items["description"].(string)
			d += "\n" + d2
		}
		return d
	}
	answers, context := props("AnswersBody"), props("ContextBody")
	for field, q := range triage.Questions() {
		var p any
		switch {
		case strings.HasPrefix(field, "context."):
			p = context[strings.TrimPrefix(field, "context.")]
		case strings.HasPrefix(field, "peg."):
			p = answers["peg"]
		default:
			p = answers[field]
		}
		if p == nil {
			t.Errorf("%s is not in the document", field)
			continue
		}
		d := descOf(p)
		if !strings.Contains(d, q.About) {
			t.Errorf("%s: %q lacks %q", field, d, q.About)
		}
		if field != "peg" && field != "context" && !strings.Contains(d, q.Text) {
			t.Errorf("%s: %q lacks the question %q", field, d, q.Text)
		}
		for _, o := range q.Choices() {
			if !strings.Contains(d, "`"+o.ID+"`: "+o.Label) {
				t.Errorf("%s: %q lacks the words of %s", field, d, o.ID)
			}
		}
	}
}
