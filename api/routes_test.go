package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks/live"
)

// calmAnswers allow exercise: no warning signs, assessed, improving.
const calmAnswers = `{"age": 42, "pain_now": 3, "stage_description": "mild", "peg": {"pain": 3, "enjoyment": 2, "activity": 3},
 "weeks": 1, "trend": "better", "clinician_assessed": true, "flags": [], "conditions": ["knee_problems"],
 "causes": ["desk_work", "stress"], "context": {"minutes": 10, "places": ["desk", "standing", "floor"], "equipment": ["wall", "chair"]}}`

// records are one of each kind of record of a person, made through the API.
type records struct {
	assessment, plan, session, diary, token string
}

func (r records) ids() []string { return []string{r.assessment, r.plan, r.session, r.diary, r.token} }

// makeRecords makes one record of each kind for the person.
func (e *env) makeRecords(t *testing.T, as who) records {
	t.Helper()
	var r records
	r.assessment = e.create(t, as, "/api/v1/assessments", calmAnswers)
	r.plan = e.create(t, as, "/api/v1/plans", map[string]any{"assessment_id": r.assessment})
	plan := e.do(t, as, "GET", "/api/v1/plans/"+r.plan, nil).json(t)
	first := plan["plan"].(map[string]any)["exercises"].([]any)[0].(map[string]any)["id"]
	r.session = e.create(t, as, "/api/v1/sessions", map[string]any{"plan_id": r.plan, "duration_seconds": 600, "pain_before": 4, "pain_after": 3,
		"exercises": []any{map[string]any{"exercise_id": first, "outcome": "done", "seconds": 60}}})
	r.diary = e.create(t, as, "/api/v1/diary", map[string]any{"pain": 3, "note": "stiff after work"})
	r.token = e.makeToken(t, as, "spare", backcoach.ScopeReadWrite, 0).ID
	return r
}

// create POSTs a record and returns its id.
func (e *env) create(t *testing.T, as who, path string, body any) string {
	t.Helper()
	res := e.do(t, as, "POST", path, body)
	if res.status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, res.status, res.body)
	}
	id, _ := res.json(t)["id"].(string)
	if id == "" {
		t.Fatalf("POST %s: no id in %s", path, res.body)
	}
	return id
}

// routeCase is one operation, tried as its owner, as another person and
// as nobody.
type routeCase struct {
	op     string
	method string
	path   func(r records) string
	body   func(r records) any
	// owner is the status for the records' owner, other for another
	// person; nobody gets 401 unless the route is public, and then the
	// owner's status.
	owner, other int
	public       bool
	// prepare, when set, readies the owner's state before the requests
	// (a break on offer to answer).
	prepare func(t *testing.T, e *env)
}

func fixed(s string) func(records) string { return func(records) string { return s } }

func under(prefix string, id func(records) string) func(records) string {
	return func(r records) string { return prefix + id(r) }
}

func constant(v any) func(records) any { return func(records) any { return v } }

var (
	assessmentOf = func(r records) string { return r.assessment }
	planOf       = func(r records) string { return r.plan }
	sessionOf    = func(r records) string { return r.session }
	diaryOf      = func(r records) string { return r.diary }
	tokenOf      = func(r records) string { return r.token }
)

var diaryUpdate = constant(map[string]any{"pain": 7, "note": "worse today", "flags_asked": true, "flags": []string{}})

// routeCases cover every operation of the API.
var routeCases = []routeCase{
	{op: "get-openapi", method: "GET", path: fixed("/api/v1/openapi.json"), owner: 200, other: 200, public: true},
	{op: "list-exercises", method: "GET", path: fixed("/api/v1/exercises?place=desk&equipment=chair&gentle=true"), owner: 200, other: 200, public: true},
	{op: "get-exercise", method: "GET", path: fixed("/api/v1/exercises/cat-cow"), owner: 200, other: 200, public: true},
	{op: "get-exercise-illustration", method: "GET", path: fixed("/api/v1/exercises/cat-cow/illustration.svg"), owner: 200, other: 200, public: true},

	{op: "create-assessment", method: "POST", path: fixed("/api/v1/assessments"), body: constant(calmAnswers), owner: 201, other: 201},
	{op: "list-assessments", method: "GET", path: fixed("/api/v1/assessments"), owner: 200, other: 200},
	{op: "get-assessment", method: "GET", path: under("/api/v1/assessments/", assessmentOf), owner: 200, other: 404},

	{op: "create-plan", method: "POST", path: fixed("/api/v1/plans"), body: func(r records) any { return map[string]any{"assessment_id": r.assessment} }, owner: 201, other: 404},
	{op: "list-plans", method: "GET", path: fixed("/api/v1/plans"), owner: 200, other: 200},
	{op: "get-todays-plan", method: "GET", path: fixed("/api/v1/plans/today"), owner: 200, other: 404},
	{op: "get-plan", method: "GET", path: under("/api/v1/plans/", planOf), owner: 200, other: 404},

	{op: "create-session", method: "POST", path: fixed("/api/v1/sessions"), body: func(r records) any {
		return map[string]any{"plan_id": r.plan, "duration_seconds": 300, "pain_before": 3, "exercises": []any{}}
	}, owner: 201, other: 404},
	{op: "list-sessions", method: "GET", path: fixed("/api/v1/sessions?limit=5"), owner: 200, other: 200},
	{op: "get-session", method: "GET", path: under("/api/v1/sessions/", sessionOf), owner: 200, other: 404},
	{op: "delete-session", method: "DELETE", path: under("/api/v1/sessions/", sessionOf), owner: 204, other: 404},

	{op: "add-diary-entry", method: "POST", path: fixed("/api/v1/diary"), body: constant(map[string]any{"pain": 2}), owner: 201, other: 201},
	{op: "list-diary-entries", method: "GET", path: fixed("/api/v1/diary?from=2026-03-01"), owner: 200, other: 200},
	{op: "get-diary-entry", method: "GET", path: under("/api/v1/diary/", diaryOf), owner: 200, other: 404},
	{op: "replace-diary-entry", method: "PUT", path: under("/api/v1/diary/", diaryOf), body: diaryUpdate, owner: 200, other: 404},
	{op: "delete-diary-entry", method: "DELETE", path: under("/api/v1/diary/", diaryOf), owner: 204, other: 404},

	{op: "get-me", method: "GET", path: fixed("/api/v1/me"), owner: 200, other: 200},
	{op: "get-profile", method: "GET", path: fixed("/api/v1/profile"), owner: 200, other: 200},
	{op: "put-profile", method: "PUT", path: fixed("/api/v1/profile"), body: constant(map[string]any{"time_zone": "Europe/Paris", "places": []string{"desk"}}), owner: 200, other: 200},
	{op: "list-tokens", method: "GET", path: fixed("/api/v1/tokens"), owner: 200, other: 200},
	{op: "create-token", method: "POST", path: fixed("/api/v1/tokens"), body: constant(map[string]any{"name": "laptop"}), owner: 403, other: 403},
	{op: "revoke-token", method: "DELETE", path: under("/api/v1/tokens/", tokenOf), owner: 204, other: 404},
	{op: "get-calendar-feed", method: "GET", path: fixed("/api/v1/calendar-feed"), owner: 404, other: 404},
	{op: "revoke-calendar-feed", method: "DELETE", path: fixed("/api/v1/calendar-feed"), owner: 204, other: 404, prepare: aliceFeed},
	{op: "export", method: "GET", path: fixed("/api/v1/export"), owner: 200, other: 200},
	{op: "get-report", method: "GET", path: fixed("/api/v1/report?paper=letter"), owner: 200, other: 200},

	{op: "get-break-settings", method: "GET", path: fixed("/api/v1/breaks/settings"), owner: 200, other: 200},
	{op: "put-break-settings", method: "PUT", path: fixed("/api/v1/breaks/settings"), body: constant(breakSettingsUpdate), owner: 200, other: 200},
	{op: "list-break-days", method: "GET", path: fixed("/api/v1/breaks/days?from=2026-02-01&to=2026-03-02"), owner: 200, other: 200},
	{op: "report-break-activity", method: "POST", path: fixed("/api/v1/breaks/activity"), body: constant(map[string]any{"idle_seconds": 5, "visible": true}), owner: 200, other: 200},
	{op: "get-break-status", method: "GET", path: fixed("/api/v1/breaks/status"), owner: 200, other: 200},
	{op: "break-events", method: "GET", path: fixed("/api/v1/breaks/events"), owner: 200, other: 200},
	{op: "snooze-break", method: "POST", path: fixed("/api/v1/breaks/snooze"), owner: 200, other: 404, prepare: breakOnOffer},
	{op: "skip-break", method: "POST", path: fixed("/api/v1/breaks/skip"), owner: 200, other: 404, prepare: breakOnOffer},
	{op: "start-break", method: "POST", path: fixed("/api/v1/breaks/start"), body: constant(map[string]any{}), owner: 200, other: 200, prepare: breakOnOffer},
	{op: "pause-breaks", method: "POST", path: fixed("/api/v1/breaks/pause"), body: constant(map[string]any{"minutes": 60}), owner: 200, other: 200},
	{op: "resume-breaks", method: "POST", path: fixed("/api/v1/breaks/resume"), owner: 200, other: 200},

	// Clinic mode: alice shares with no clinician, so she and bob see no
	// patient (TestClinicianRoutes walks them as clinicians).
	{op: "list-clinic-patients", method: "GET", path: fixed("/api/v1/clinic/patients"), owner: 200, other: 200},
	{op: "get-clinic-patient", method: "GET", path: fixed("/api/v1/clinic/patients/aaaaaaaaaaaaaaaaaaaaaaaaab"), owner: 404, other: 404},

	// Last: a standing warning sign bars the plans of the cases above.
	{op: "get-safety-record", method: "GET", path: fixed("/api/v1/safety"), owner: 200, other: 200},
	{op: "create-clearance", method: "POST", path: fixed("/api/v1/safety/clearances"),
		body: constant(map[string]any{"by": "gp", "checked_on": "2026-03-02", "name": "Dr Ash"}), owner: 201, other: 400, prepare: feverCheckIn},
}

// aliceFeed gives alice a calendar feed (made in Settings, not by the
// API); bob has none.
func aliceFeed(t *testing.T, e *env) {
	t.Helper()
	if _, err := e.store.CalendarFeed(context.Background(), e.alice.id); err == nil {
		return
	}
	if err := e.store.MakeCalendarFeed(context.Background(), e.alice.id, &backcoach.CalendarFeed{Hash: strings.Repeat("c", 64)}); err != nil {
		t.Fatal(err)
	}
}

// feverCheckIn gives alice a standing warning sign: a check-in with fever.
func feverCheckIn(t *testing.T, e *env) {
	t.Helper()
	if res := e.do(t, e.alice, "POST", "/api/v1/diary", map[string]any{"pain": 4, "flags_asked": true, "flags": []string{"fever"}}); res.status != 201 {
		t.Fatalf("fever check-in: %d %s", res.status, res.body)
	}
}

// breakSettingsUpdate is a whole set of break settings whose every bound
// can be tried on its own.
var breakSettingsUpdate = map[string]any{"enabled": true, "movement_every_minutes": 120, "movement_for_minutes": 2,
	"stretch_every_minutes": 180, "stretch_for_minutes": 5, "daily_limit_minutes": 0, "reset_hour": 4, "snooze_minutes": 5}

// breakOnOffer puts a break on alice's screen: a page open, and activity
// on the break clock until a break falls due.
func breakOnOffer(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	hub := e.api.Breaks()
	st, err := hub.Subscribe(ctx, e.alice.id)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := hub.Resume(ctx, e.alice.id); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4*60*2; i++ {
		s, err := hub.Report(ctx, e.alice.id, live.Activity{Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Offer != nil {
			return
		}
		e.breakClock.Advance(30 * time.Second)
	}
	t.Fatal("no break fell due in 4 hours of activity")
}

// TestEveryRouteChecksItsOwner tries every route as nobody, as another
// person and as the owner of the records it names. Nobody gets 401 (the
// catalog and the document excepted); another person gets 404 for the
// owner's records, never sees anything of the owner's and changes
// nothing of it; the owner succeeds.
func TestEveryRouteChecksItsOwner(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		for _, c := range routeCases {
			t.Run(c.op, func(t *testing.T) {
				recs := e.makeRecords(t, e.alice)
				if c.prepare != nil {
					c.prepare(t, e)
				}
				path := c.path(recs)
				var body any
				if c.body != nil {
					body = c.body(recs)
				}
				before := e.snapshot(t, e.alice)

				res := e.do(t, nobody, c.method, path, body)
				if c.public {
					if res.status != c.owner {
						t.Errorf("%s %s as nobody: %d, want %d (public)\n%s", c.method, path, res.status, c.owner, res.body)
					}
				} else {
					if res.status != http.StatusUnauthorized {
						t.Errorf("%s %s as nobody: %d, want 401\n%s", c.method, path, res.status, res.body)
					} else {
						problemOf(t, res)
						if res.header.Get("WWW-Authenticate") == "" {
							t.Errorf("%s %s: a 401 without WWW-Authenticate", c.method, path)
						}
					}
				}

				res = e.do(t, e.bob, c.method, path, body)
				if res.status != c.other {
					t.Errorf("%s %s as another person: %d, want %d\n%s", c.method, path, res.status, c.other, res.body)
				}
				if res.status >= 400 {
					problemOf(t, res)
				}
				sent := path + fmt.Sprint(body)
				for _, id := range append(recs.ids(), e.alice.id) {
					// An id the request itself named may be echoed back.
					if !strings.Contains(sent, id) && bytes.Contains(res.body, []byte(id)) {
						t.Errorf("%s %s as another person shows the owner's id %s:\n%s", c.method, path, id, res.body)
					}
				}
				if after := e.snapshot(t, e.alice); after != before {
					t.Errorf("%s %s as nobody or another person changed the owner's data:\n%s", c.method, path, firstDifference(before, after))
				}

				res = e.do(t, e.alice, c.method, path, body)
				if res.status != c.owner {
					t.Errorf("%s %s as the owner: %d, want %d\n%s", c.method, path, res.status, c.owner, res.body)
				}
			})
		}
	})
}

// snapshot is everything a person keeps, as JSON, without the audit trail
// (reading it is itself audited).
func (e *env) snapshot(t *testing.T, as who) string {
	t.Helper()
	res := e.do(t, as, "GET", "/api/v1/export", nil)
	if res.status != http.StatusOK {
		t.Fatalf("export: %d %s", res.status, res.body)
	}
	doc := res.json(t)
	delete(doc, "audit")
	delete(doc, "exported_at")
	// A token's last use changes with every request; the rest must not.
	tokens := e.do(t, as, "GET", "/api/v1/tokens", nil).json(t)["items"].([]any)
	for _, tok := range tokens {
		delete(tok.(map[string]any), "last_used_at")
	}
	doc["tokens"] = tokens
	b, _ := json.Marshal(doc)
	return string(b)
}

// TestRouteCasesCoverTheDocument keeps the route table above complete: a
// new operation must be added to it.
func TestRouteCasesCoverTheDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	var documented, tested []string
	for path, item := range e.api.OpenAPI().Paths {
		for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH"} {
			if op := operationFor(item, m); op != nil {
				documented = append(documented, op.OperationID)
				if !strings.HasPrefix(path, Prefix+"/") {
					t.Errorf("%s %s is not under %s/", m, path, Prefix)
				}
			}
		}
	}
	for _, c := range routeCases {
		tested = append(tested, c.op)
	}
	sort.Strings(documented)
	sort.Strings(tested)
	if !slices.Equal(documented, tested) {
		t.Errorf("the route table covers %v\nthe document has %v", tested, documented)
	}
}

// firstDifference shows where two long texts begin to differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("before …%s\nafter  …%s", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}
