package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInput sends what the API must refuse: each answer is a 400
// problem whose errors name the field, with a message saying what is
// allowed.
func TestBadInput(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		recs := e.makeRecords(t, e.alice)
		diary := "/api/v1/diary/" + recs.diary
		cases := []struct {
			name, method, path, body string
			location, message        string
		}{
			// The assessment contract, through triage.ParseAnswers.
			{"unknown field", "POST", "/api/v1/assessments", `{"age": 42, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "mood": 3}`, "body.mood", "allowed: age, pain_now"},
			{"unknown flag", "POST", "/api/v1/assessments", `{"age": 42, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "flags": ["headache"]}`, "body.flags[0]", "allowed: chest_pain"},
			{"wrong type", "POST", "/api/v1/assessments", `{"age": "42", "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "body.age", "must be a number, got a string"},
			{"out of range", "POST", "/api/v1/assessments", `{"age": 42, "pain_now": 12, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "body.pain_now", "from 0 to 10, got 12"},
			{"missing field", "POST", "/api/v1/assessments", `{"age": 42, "pain_now": 3, "weeks": 1, "clinician_assessed": true}`, "body.trend", "is required"},
			{"nested", "POST", "/api/v1/assessments", `{"age": 42, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "peg": {"pain": 3, "enjoyment": 11, "activity": 2}}`, "body.peg.enjoyment", "from 0 to 10"},
			{"unknown place", "POST", "/api/v1/assessments", `{"age": 42, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "context": {"places": ["garden"]}}`, "body.context.places[0]", "must be one of"},
			{"not JSON", "POST", "/api/v1/assessments", `{"age": 42,`, "body.answers", "must be a JSON object"},

			// Diary entries.
			{"pain too high", "POST", "/api/v1/diary", `{"pain": 11}`, "body.pain", "from 0 to 10, got 11"},
			{"pain missing", "POST", "/api/v1/diary", `{"note": "x"}`, "body.pain", "is required"},
			{"pain a fraction", "POST", "/api/v1/diary", `{"pain": 2.5}`, "body.pain", "whole number"},
			{"diary unknown field", "POST", "/api/v1/diary", `{"pain": 2, "mood": "ok"}`, "body.mood", "allowed: at, pain, note"},
			{"diary bad time", "POST", "/api/v1/diary", `{"pain": 2, "at": "yesterday"}`, "body.at", "RFC 3339"},
			{"diary unknown flag", "POST", "/api/v1/diary", `{"pain": 2, "flags_asked": true, "flags": ["headache"]}`, "body.flags[0]", "not a warning-sign id"},
			{"flags not asked", "POST", "/api/v1/diary", `{"pain": 2, "flags": ["fever"]}`, "body.flags", "flags_asked"},
			{"peg item missing", "POST", "/api/v1/diary", `{"pain": 2, "peg": {"pain": 2, "enjoyment": 2}}`, "body.peg.activity", "is required"},
			{"note too long", "POST", "/api/v1/diary", `{"pain": 2, "note": "` + strings.Repeat("a", 2001) + `"}`, "body.note", "at most 2000"},
			{"two objects", "POST", "/api/v1/diary", `{"pain": 2} {"pain": 3}`, "body.body", "more follows"},
			{"an array", "POST", "/api/v1/diary", `[{"pain": 2}]`, "body.body", "must be a JSON object"},
			{"replace with bad pain", "PUT", diary, `{"pain": -1}`, "body.pain", "from 0 to 10"},

			// Sessions.
			{"unknown exercise", "POST", "/api/v1/sessions", `{"duration_seconds": 60, "pain_before": 3, "exercises": [{"exercise_id": "handstand", "outcome": "done", "seconds": 10}]}`, "body.exercises[0].exercise_id", "not an exercise of the catalog"},
			{"unknown outcome", "POST", "/api/v1/sessions", `{"duration_seconds": 60, "pain_before": 3, "exercises": [{"exercise_id": "cat-cow", "outcome": "meh", "seconds": 10}]}`, "body.exercises[0].outcome", "must be one of done, skipped, stopped"},
			{"stopped without reason", "POST", "/api/v1/sessions", `{"duration_seconds": 60, "pain_before": 3, "exercises": [{"exercise_id": "cat-cow", "outcome": "stopped", "seconds": 10}]}`, "body.exercises[0].reason", "must say why"},
			{"exercises not a list", "POST", "/api/v1/sessions", `{"duration_seconds": 60, "pain_before": 3, "exercises": {}}`, "body.exercises", "must be an array"},
			{"bad plan id", "POST", "/api/v1/sessions", `{"plan_id": "nope", "duration_seconds": 60, "pain_before": 3, "exercises": []}`, "body.plan_id", "identifier"},
			{"too long", "POST", "/api/v1/sessions", `{"duration_seconds": 99999, "pain_before": 3, "exercises": []}`, "body.duration_seconds", "from 0 to 14400"},

			// Plans.
			{"plan without assessment", "POST", "/api/v1/plans", `{}`, "body.assessment_id", "is required"},
			{"plan bad assessment id", "POST", "/api/v1/plans", `{"assessment_id": "x"}`, "body.assessment_id", "identifier"},
			{"plan bad date", "POST", "/api/v1/plans", `{"assessment_id": "` + recs.assessment + `", "date": "2026-02-30"}`, "body.date", "YYYY-MM-DD"},

			// Profile and tokens.
			{"bad zone", "PUT", "/api/v1/profile", `{"time_zone": "Mars/Olympus"}`, "body.time_zone", "IANA time zone"},
			{"zone missing", "PUT", "/api/v1/profile", `{"places": ["desk"]}`, "body.time_zone", "is required"},
			{"bad equipment", "PUT", "/api/v1/profile", `{"time_zone": "UTC", "equipment": ["rope"]}`, "body.equipment[0]", "must be one of wall, foam_roller, chair, mat"},

			// Query parameters.
			{"limit zero", "GET", "/api/v1/diary?limit=0", "", "query.limit", "from 1 to 100"},
			{"limit word", "GET", "/api/v1/assessments?limit=ten", "", "query.limit", "from 1 to 100"},
			{"limit too big", "GET", "/api/v1/plans?limit=101", "", "query.limit", "from 1 to 100"},
			{"forged cursor", "GET", "/api/v1/sessions?cursor=abc", "", "query.cursor", "next_cursor"},
			{"bad from", "GET", "/api/v1/diary?from=last-week", "", "query.from", "RFC 3339"},
			{"to before from", "GET", "/api/v1/diary?from=2026-03-02&to=2026-03-01", "", "query.to", "before from"},
			{"unknown place filter", "GET", "/api/v1/exercises?place=roof", "", "query.place", "must be one of"},
			{"unknown equipment filter", "GET", "/api/v1/exercises?equipment=wall,rope", "", "query.equipment", "\"rope\" is not one of them"},
			{"gentle maybe", "GET", "/api/v1/exercises?gentle=maybe", "", "query.gentle", "true or false"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var body any
				if c.body != "" {
					body = c.body
				}
				res := e.do(t, e.alice, c.method, c.path, body)
				if res.status != http.StatusBadRequest {
					t.Fatalf("%s %s: %d, want 400\n%s", c.method, c.path, res.status, res.body)
				}
				p := problemOf(t, res)
				if len(p.Errors) != 1 {
					t.Fatalf("want one error naming the field, got %s", res.body)
				}
				if p.Errors[0].Location != c.location {
					t.Errorf("location %q, want %q\n%s", p.Errors[0].Location, c.location, res.body)
				}
				if !strings.Contains(p.Errors[0].Message, c.message) || !strings.Contains(p.Detail, c.message) {
					t.Errorf("message %q does not say %q\n%s", p.Errors[0].Message, c.message, res.body)
				}
			})
		}

		// Nothing of the refused input was kept.
		for _, list := range []string{"/api/v1/diary?limit=100", "/api/v1/sessions?limit=100", "/api/v1/assessments?limit=100", "/api/v1/plans?limit=100"} {
			if n := len(e.do(t, e.alice, "GET", list, nil).json(t)["items"].([]any)); n != 1 {
				t.Errorf("%s has %d records after refused input, want the 1 made before", list, n)
			}
		}
	})
}

// TestBodyLimits refuses bodies that are too large or missing.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	big := `{"pain": 2, "note": "` + strings.Repeat("a", MaxBodyBytes) + `"}`
	res := e.do(t, e.alice, "POST", "/api/v1/diary", big)
	if res.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a %d-byte body: %d, want 413\n%s", len(big), res.status, res.body)
	}
	problemOf(t, res)
	res = e.do(t, e.alice, "POST", "/api/v1/diary", nil)
	if res.status != http.StatusBadRequest {
		t.Fatalf("no body: %d, want 400\n%s", res.status, res.body)
	}
	problemOf(t, res)
}
