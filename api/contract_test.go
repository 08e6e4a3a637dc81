package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// contractExample is the answers example of docs/assessment.md.
const contractExample = `{
  "age": 42,
  "pain_now": 5,
  "stage_description": "moderate",
  "peg": {"pain": 4, "enjoyment": 3, "activity": 4},
  "weeks": 3,
  "trend": "same",
  "clinician_assessed": true,
  "flags": ["fever"],
  "conditions": ["osteoporosis"],
  "causes": ["desk_work", "stress"],
  "context": {"minutes": 10, "places": ["desk", "standing", "floor"], "equipment": ["wall", "foam_roller", "chair"]}
}`

func keySet(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(list ...string) []string {
	sort.Strings(list)
	return list
}

func sameJSON(t *testing.T, got any, want any) bool {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var gv, wv any
	json.Unmarshal(g, &gv)
	json.Unmarshal(w, &wv)
	gb, _ := json.Marshal(gv)
	wb, _ := json.Marshal(wv)
	return string(gb) == string(wb)
}

var (
	resultFields    = sorted("urgency", "stage", "red_flags", "reasons", "exercise_allowed", "peg_score", "advice", "sources")
	planFields      = sorted("urgency", "stage", "minutes", "date", "total_seconds", "level", "exercises", "excluded", "notes")
	plannedFields   = sorted("id", "name", "sets", "reps", "hold_seconds", "sides", "tempo", "seconds", "warmup", "why", "changes")
	exclusionFields = sorted("id", "reason", "detail")
)

// TestAssessmentContract posts the contract's own example and checks that
// the API answers exactly what the triage package concludes, in the
// contract's fields, and that a plan from it has no exercises (a fever is
// urgent).
func TestAssessmentContract(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		res := e.do(t, e.alice, "POST", "/api/v1/assessments", contractExample)
		if res.status != http.StatusCreated {
			t.Fatalf("%d %s", res.status, res.body)
		}
		got := res.json(t)
		if loc := res.header.Get("Location"); loc != "/api/v1/assessments/"+got["id"].(string) {
			t.Errorf("Location %q", loc)
		}
		ans, err := triage.ParseAnswers([]byte(contractExample))
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(t, got["result"], triage.Assess(&ans)) || !sameJSON(t, got["answers"], ans) {
			t.Errorf("the API's assessment differs from the triage package's:\n%s", res.body)
		}
		if k := keySet(got["result"].(map[string]any)); !slices.Equal(k, resultFields) {
			t.Errorf("result fields %v, want %v", k, resultFields)
		}
		if got["result"].(map[string]any)["urgency"] != "urgent" {
			t.Errorf("a fever gave %v", got["result"])
		}

		// The profile remembers the standing condition.
		prof := e.do(t, e.alice, "GET", "/api/v1/profile", nil).json(t)
		if !sameJSON(t, prof["conditions"], []string{"osteoporosis"}) || prof["clinician_assessed"] != true {
			t.Errorf("the profile did not remember the answers: %v", prof)
		}

		// The fever stands in the safety record: no plan, and a problem
		// document that names the sign.
		res = e.do(t, e.alice, "POST", "/api/v1/plans", map[string]any{"assessment_id": got["id"]})
		if res.status != http.StatusForbidden {
			t.Fatalf("a plan while a fever stands: %d %s", res.status, res.body)
		}
		errs, _ := res.json(t)["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["location"] != "safety.fever" || errs[0].(map[string]any)["value"] != "fever" {
			t.Errorf("the refusal does not name the fever: %s", res.body)
		}
	})
}

// TestPlanContract builds a plan for calm answers and checks it against the
// planner's own, field by field.
func TestPlanContract(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	id := e.create(t, e.alice, "/api/v1/assessments", calmAnswers)
	res := e.do(t, e.alice, "POST", "/api/v1/plans", map[string]any{"assessment_id": id, "date": "2026-03-05"})
	if res.status != http.StatusCreated {
		t.Fatalf("%d %s", res.status, res.body)
	}
	var saved backcoach.SavedPlan
	res.decode(t, &saved)
	raw := res.json(t)
	plan := raw["plan"].(map[string]any)
	if k := keySet(plan); !slices.Equal(k, planFields) {
		t.Errorf("plan fields %v, want %v", k, planFields)
	}
	for _, x := range plan["exercises"].([]any) {
		if k := keySet(x.(map[string]any)); !slices.Equal(k, plannedFields) {
			t.Errorf("planned exercise fields %v, want %v", k, plannedFields)
		}
	}
	for _, x := range plan["excluded"].([]any) {
		if k := keySet(x.(map[string]any)); !slices.Equal(k, exclusionFields) {
			t.Errorf("exclusion fields %v, want %v", k, exclusionFields)
		}
	}
	ans, _ := triage.ParseAnswers([]byte(calmAnswers))
	want := planner.Build(testCatalog, planner.Request{Answers: &ans, Result: triage.Assess(&ans), Date: "2026-03-05"})
	if !sameJSON(t, saved.Plan, want) || len(want.Exercises) == 0 {
		t.Errorf("the API's plan differs from the planner's:\n%s", res.body)
	}
	if saved.AssessmentID != id {
		t.Errorf("the plan names assessment %q, want %q", saved.AssessmentID, id)
	}
}

// TestSameErrorsAsTheCommandLine checks that the API refuses answers with
// the message of the one strict parser.
func TestSameErrorsAsTheCommandLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	for _, doc := range []string{
		`{"age": 42}`,
		`{"age": 42, "pain_now": 3, "weeks": 1, "trend": "sideways", "clinician_assessed": true}`,
		`{"age": 42, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "context": {"minutes": 0}}`,
		`[]`,
	} {
		_, want := triage.ParseAnswers([]byte(doc))
		res := e.do(t, e.alice, "POST", "/api/v1/assessments", doc)
		if res.status != http.StatusBadRequest || want == nil {
			t.Fatalf("%s: %d, parser says %v", doc, res.status, want)
		}
		if p := problemOf(t, res); p.Detail != want.Error() {
			t.Errorf("%s: the API says %q, the parser %q", doc, p.Detail, want.Error())
		}
	}
}

// TestPlanLevelFollowsSessions steps the dose up after two steady weeks of
// sessions, and back after a flare, saying why in the plan's notes.
func TestPlanLevelFollowsSessions(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		now := e.clock.Now()
		id := e.create(t, e.alice, "/api/v1/assessments", calmAnswers)
		for ago := 13; ago >= 1; ago-- {
			e.create(t, e.alice, "/api/v1/sessions", map[string]any{
				"started_at": now.AddDate(0, 0, -ago).Format(time.RFC3339), "duration_seconds": 600, "level": 0,
				"pain_before": 3, "pain_after": 3,
				"exercises": []any{map[string]any{"exercise_id": "chin-tuck", "outcome": "done", "seconds": 60}}})
		}
		var up backcoach.SavedPlan
		e.do(t, e.alice, "POST", "/api/v1/plans", map[string]any{"assessment_id": id}).decode(t, &up)
		if up.Plan.Level != 1 || !strings.Contains(strings.Join(up.Plan.Notes, " "), "steps up") {
			t.Errorf("after two steady weeks: level %d, notes %q", up.Plan.Level, up.Plan.Notes)
		}

		// A session at the new level that raised pain steps back; with no
		// level given it takes its plan's.
		s := e.do(t, e.alice, "POST", "/api/v1/sessions", map[string]any{"plan_id": up.ID, "duration_seconds": 600,
			"pain_before": 3, "pain_after": 6, "exercises": []any{}})
		if lvl := s.json(t)["level"]; lvl != 1.0 {
			t.Errorf("a session of a level-1 plan was kept at level %v", lvl)
		}
		var down backcoach.SavedPlan
		e.do(t, e.alice, "POST", "/api/v1/plans", map[string]any{"assessment_id": id}).decode(t, &down)
		if down.Plan.Level != 0 || !strings.Contains(strings.Join(down.Plan.Notes, " "), "steps back") {
			t.Errorf("after a flare: level %d, notes %q", down.Plan.Level, down.Plan.Notes)
		}
	})
}

// TestTodaysPlan finds the plan made for today in the person's time zone.
func TestTodaysPlan(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	// 23:30 in London is already tomorrow in Tokyo.
	e.clock.t = time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	if res := e.do(t, e.alice, "PUT", "/api/v1/profile", map[string]any{"time_zone": "Asia/Tokyo"}); res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.body)
	}
	res := e.do(t, e.alice, "GET", "/api/v1/plans/today", nil)
	if res.status != http.StatusNotFound || !strings.Contains(problemOf(t, res).Detail, "2026-03-03") {
		t.Fatalf("before any plan: %d %s", res.status, res.body)
	}
	id := e.create(t, e.alice, "/api/v1/assessments", calmAnswers)
	e.create(t, e.alice, "/api/v1/plans", map[string]any{"assessment_id": id, "date": "2026-03-02"})
	if res := e.do(t, e.alice, "GET", "/api/v1/plans/today", nil); res.status != http.StatusNotFound {
		t.Fatalf("with yesterday's plan only: %d %s", res.status, res.body)
	}
	today := e.create(t, e.alice, "/api/v1/plans", map[string]any{"assessment_id": id})
	e.create(t, e.alice, "/api/v1/plans", map[string]any{"assessment_id": id, "date": "2026-03-04"})
	res = e.do(t, e.alice, "GET", "/api/v1/plans/today", nil)
	if res.status != http.StatusOK || res.json(t)["id"] != today {
		t.Fatalf("today's plan: %d %s, want %s", res.status, res.body, today)
	}
	if d := res.json(t)["plan"].(map[string]any)["date"]; d != "2026-03-03" {
		t.Errorf("today's plan is for %v", d)
	}
}

// TestDiaryReplaceKeepsTheTime replaces an entry without a time.
func TestDiaryReplaceKeepsTheTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	id := e.create(t, e.alice, "/api/v1/diary", map[string]any{"pain": 4, "at": "2026-02-28T07:15:00+01:00", "flags_asked": true, "flags": []string{"fever"}})
	res := e.do(t, e.alice, "PUT", "/api/v1/diary/"+id, map[string]any{"pain": 2, "note": "better"})
	if res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.body)
	}
	got := e.do(t, e.alice, "GET", "/api/v1/diary/"+id, nil).json(t)
	if got["at"] != "2026-02-28T06:15:00Z" || got["pain"] != 2.0 || got["note"] != "better" || got["flags_asked"] != false {
		t.Errorf("after replacing: %v", got)
	}
}
