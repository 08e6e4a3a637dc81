package web

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/learn"
	"github.com/backcoach/backcoach/triage"
)

// assessWith keeps an assessment for the person through the coach, as
// the wizard would at its end.
func (a *testApp) assessWith(t testing.TB, handle string, ans backcoach.Answers) {
	t.Helper()
	co := coach.New(a.st, a.cat, a.clock.Now)
	if _, err := co.Assess(context.Background(), a.person(t, handle).ID, &ans, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
}

// The section is open to everyone; every topic page shows its words, its
// lists and its sources, and links on to the next one.
func TestLearnPages(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.browser(t)
	index := b.get("/learn")
	wantStatus(t, index, http.StatusOK)
	for _, id := range learn.IDs() {
		mustContain(t, "/learn", index.body, `href="/learn/`+id+`"`)
	}
	mustContain(t, "/learn", index.body, `<svg role="img"`, "<title>")
	for i, id := range learn.IDs() {
		tp, _ := learn.Get(id)
		page := b.get("/learn/" + id)
		wantStatus(t, page, http.StatusOK)
		body := html.UnescapeString(page.body)
		mustContain(t, "/learn/"+id, body, tp.Title, tp.Body[0], "Sources", triage.Disclaimer())
		for _, g := range tp.Groups {
			mustContain(t, "/learn/"+id, body, g.Heading, g.Items[0].Text)
		}
		if i+1 < len(learn.IDs()) {
			mustContain(t, "/learn/"+id, body, `href="/learn/`+learn.IDs()[i+1]+`" rel="next"`)
		}
	}
	wantStatus(t, b.get("/learn/knees"), http.StatusNotFound)
}

// The causes topic shows the person's own causes from their latest
// answers, with the advice for each; before an assessment, and signed
// out, it says how to see them.
func TestLearnYourCauses(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	tp, _ := learn.Get("causes")
	signedOut := app.browser(t).get("/learn/causes")
	mustContain(t, "signed out", html.UnescapeString(signedOut.body), tp.Yours.Unknown)

	b := app.signup(t, "cass")
	mustContain(t, "before an assessment", html.UnescapeString(b.get("/learn/causes").body), tp.Yours.Unknown)

	routine := backcoach.DefaultContext()
	app.assessWith(t, "cass", backcoach.Answers{Age: 40, PainNow: 3, Weeks: 1, Trend: backcoach.TrendSame, ClinicianAssessed: true,
		Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{backcoach.CauseHeavyBag, backcoach.CauseStress},
		Context: &routine})
	page := b.get("/learn/causes")
	wantStatus(t, page, http.StatusOK)
	body := html.UnescapeString(page.body)
	yours, _, ok := strings.Cut(body, `id="group-all"`)
	if !ok {
		t.Fatalf("no list of common causes:\n%s", body)
	}
	q := triage.Ask("causes")
	mustContain(t, "your causes", yours, tp.Yours.Heading, tp.Yours.Lead,
		q.Label("heavy_bag")+":</strong> "+triage.Texts().Causes[backcoach.CauseHeavyBag],
		q.Label("stress")+":</strong> "+triage.Texts().Causes[backcoach.CauseStress])
	if strings.Contains(yours, q.Label("desk_work")) {
		t.Error("your causes show one that was not given")
	}
}
