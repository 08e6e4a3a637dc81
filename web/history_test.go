package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
)

// TestCheckInAsksWhetherTheHistoryChanged: a person whose infection risk a
// clinician cleared is asked at the check-in whether anything changed; a
// yes stops exercise again until a clinician checks them.
func TestCheckInAsksWhetherTheHistoryChanged(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "kim")
	kim := app.person(t, "kim")
	co := coach.New(app.st, catalog.MustLoad(), app.clock.Now)
	ctx := context.Background()
	ans := backcoach.Answers{Age: 50, PainNow: 3, Weeks: 1, Trend: backcoach.TrendBetter, ClinicianAssessed: true,
		Flags: []string{"infection_risk"}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{}}
	if _, err := co.Assess(ctx, kim.ID, &ans, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	app.clock.Advance(time.Minute)
	if _, _, err := co.RecordClearance(ctx, kim.ID, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: app.clock.Now().Format(backcoach.DateLayout)}); err != nil {
		t.Fatal(err)
	}
	app.clock.Advance(time.Minute)
	if _, err := co.Assess(ctx, kim.ID, &ans, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the plan after the clearance", b.get("/plan").body, "Start the guided session")
	diary := b.get("/diary")
	mustContain(t, "the check-in", diary.body, "Has anything changed about your risk of infection", `name="history_changed"`)

	// No answer to it: the form says so and keeps nothing.
	r := b.post("/diary", url.Values{"pain": {"3"}, "ask_flags": {"1"}, "none": {"1"}, "history": {"x"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the check-in without the answer", r.body, "answer whether anything has changed")

	r = b.post("/diary", url.Values{"pain": {"3"}, "ask_flags": {"1"}, "none": {"1"}, "history": {"x"}, "history_changed": {"yes"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the check-in with a change", r.body, "No exercises today", "Something has changed")
	plan := b.get("/plan").body
	if !strings.Contains(plan, "No exercises today") || strings.Contains(plan, "Start the guided session") {
		t.Error("the plan is offered after a change in a cleared history sign")
	}
}
