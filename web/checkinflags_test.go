package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/backcoach/backcoach/triage"
)

// The diary's check-in lists the warning signs that can newly appear, and
// none of the history signs the assessment asks (docs/clinical.md §6).
func TestCheckinListsNoHistorySign(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "ana")
	takeAssessment(t, b, mildDesk)
	page := b.get("/diary")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, "the diary", page.body, "Since yesterday, any of these warning signs?")
	for _, f := range triage.CheckInFlags() {
		mustContain(t, "the check-in", page.body, `value="`+f.ID+`"`, html.EscapeString(f.Question))
	}
	for _, f := range triage.Flags() {
		if f.History {
			mustLack(t, f.ID, page.body, `value="`+f.ID+`"`, html.EscapeString(f.Question))
		}
	}
}

func mustLack(t *testing.T, id, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(body, s) {
			t.Errorf("the check-in asks the history sign %s (%q)", id, s)
		}
	}
}
