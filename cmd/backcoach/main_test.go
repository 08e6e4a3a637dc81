package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// result is what one in-process run of the command produced.
type result struct {
	status         int
	stdout, stderr string
}

// runCLI runs the command in-process with the given stdin, a fixed clock and
// a throw-away database.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{
		ctx:    context.Background(),
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		now:    func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) },
	}
	if !containsArg(args, "--db") {
		args = append([]string{"--db", filepath.Join(t.TempDir(), "test.db")}, args...)
	}
	status := run(a, args)
	return result{status, out.String(), errb.String()}
}

func containsArg(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

const example = `{"age": 42, "pain_now": 5, "stage_description": "moderate", "peg": {"pain": 4, "enjoyment": 3, "activity": 4},
 "weeks": 1, "trend": "same", "clinician_assessed": true, "flags": [], "conditions": ["osteoporosis"], "causes": ["desk_work", "stress"],
 "context": {"minutes": 10, "places": ["desk", "standing", "floor"], "equipment": ["wall", "foam_roller", "chair"]}}`

func TestAssessJSON(t *testing.T) {
	t.Parallel()
	r := runCLI(t, example, "assess", "--answers", "-", "--json", "--no-save")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	var res backcoach.Result
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("output is not a Result: %v\n%s", err, r.stdout)
	}
	if res.Urgency != backcoach.UrgencySelfCare || res.Stage != backcoach.StageModerate || !res.ExerciseAllowed || res.PEGScore == nil || *res.PEGScore != 3.7 {
		t.Errorf("result %+v", res)
	}
	for _, key := range []string{`"urgency"`, `"stage"`, `"red_flags": []`, `"reasons": []`, `"exercise_allowed"`, `"peg_score"`, `"advice"`, `"sources"`} {
		if !strings.Contains(r.stdout, key) {
			t.Errorf("output lacks %s", key)
		}
	}
}

func TestPlanJSONFromFile(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(file, []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "plan", "--answers", file, "--json", "--no-save")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	var p backcoach.Plan
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatal(err)
	}
	if p.Date != "2026-11-28" || p.Minutes != 10 || len(p.Exercises) == 0 || p.TotalSeconds > 600 {
		t.Errorf("plan %+v", p)
	}
	excluded := map[string]string{}
	for _, x := range p.Excluded {
		excluded[x.ID] = x.Reason
	}
	if excluded["knee-to-chest"] != "osteoporosis" {
		t.Errorf("knee-to-chest not excluded for osteoporosis: %v", excluded)
	}
	// The same day gives the same plan.
	again := runCLI(t, "", "plan", "--answers", file, "--json", "--no-save")
	if again.stdout != r.stdout {
		t.Error("two runs on the same day gave different plans")
	}
}

func TestPlanRefusedWithRedFlag(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(example, `"flags": []`, `"flags": ["fever"]`, 1)
	r := runCLI(t, doc, "plan", "--answers", "-", "--json", "--no-save")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	if !strings.Contains(r.stdout, `"exercises": []`) || !strings.Contains(r.stdout, `"excluded": []`) || !strings.Contains(r.stdout, `"urgency": "urgent"`) {
		t.Errorf("plan with a red flag:\n%s", r.stdout)
	}
	human := runCLI(t, doc, "plan", "--answers", "-", "--no-save")
	if !strings.Contains(human.stdout, "CONTACT A DOCTOR TODAY") || strings.Contains(human.stdout, "Your routine") {
		t.Errorf("human plan with a red flag:\n%s", human.stdout)
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"out of range", strings.Replace(example, `"pain_now": 5`, `"pain_now": 12`, 1), []string{"assess", "--answers", "-", "--json"}, "pain_now: must be a whole number from 0 to 10, got 12"},
		{"unknown field", strings.Replace(example, `"age": 42`, `"age": 42, "mood": 1`, 1), []string{"plan", "--answers", "-"}, "mood: is not a known field"},
		{"not json", "hello", []string{"assess", "--answers", "-"}, "answers: must be a JSON object"},
		{"missing file", "", []string{"plan", "--answers", "/nonexistent/answers.json"}, "--answers: cannot read"},
		{"bad date", example, []string{"plan", "--answers", "-", "--date", "28/11/2026"}, "--date: must be a date as YYYY-MM-DD"},
		{"unknown exercise", "", []string{"exercise", "backflip"}, `no exercise "backflip"`},
		{"unknown command", "", []string{"dance"}, "unexpected argument dance"},
		{"unknown place", "", []string{"exercises", "--place", "roof"}, "--place"},
		{"unknown equipment", "", []string{"exercises", "--equipment", "band"}, `"band" is not known`},
		{"interactive input ends", "n\n", []string{"assess", "--no-save"}, "input ended"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.stdin, tc.args...)
			if r.status != exitBadInput {
				t.Errorf("status %d, want 2", r.status)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tc.want)
			}
		})
	}
}

func TestExercisesList(t *testing.T) {
	t.Parallel()
	r := runCLI(t, "", "exercises", "--place", "desk", "--equipment", "none", "--json")
	if r.status != 0 {
		t.Fatal(r.stderr)
	}
	var list []backcoach.Exercise
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no desk exercise without equipment")
	}
	for _, e := range list {
		if !e.HasPlace(backcoach.PlaceDesk) || len(e.Equipment) > 0 {
			t.Errorf("%s does not match the filter", e.ID)
		}
	}
	table := runCLI(t, "", "exercises", "--gentle")
	if !strings.Contains(table.stdout, "shoulder-rolls") || strings.Contains(table.stdout, "knee-to-chest") {
		t.Errorf("gentle list:\n%s", table.stdout)
	}
}

func TestExerciseShow(t *testing.T) {
	t.Parallel()
	r := runCLI(t, "", "exercise", "cat-cow")
	if r.status != 0 {
		t.Fatal(r.stderr)
	}
	for _, want := range []string{"Cat-cow (cat-cow)", "Steps", " 1. ", "Stop if:", "Dose", "Cautions", "osteoporosis", "ACSM", "This is not a diagnosis"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if !strings.ContainsAny(r.stdout, "⠁⠂⠄⡀⠈⠐⠠⢀⣿") {
		t.Error("no braille picture")
	}
	svg := runCLI(t, "", "exercise", "cat-cow", "--svg")
	if !strings.HasPrefix(svg.stdout, "<svg") || !strings.Contains(svg.stdout, "<title>") {
		t.Errorf("--svg printed %q", svg.stdout[:min(60, len(svg.stdout))])
	}
}

// An emergency answer stops the interactive assessment at once.
func TestInteractiveEmergencyStops(t *testing.T) {
	t.Parallel()
	r := runCLI(t, "n\ny\n", "assess", "--no-save")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	if !strings.Contains(r.stdout, "CALL AN AMBULANCE NOW") || !strings.Contains(r.stdout, "999") {
		t.Errorf("no emergency message:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "How old are you") || strings.Count(r.stdout, "[y/n]") != 2 {
		t.Errorf("questions went on after the emergency answer:\n%s", r.stdout)
	}
}

func TestInteractiveWholeAssessment(t *testing.T) {
	t.Parallel()
	no := strings.Repeat("n\n", 19)
	// age, pain, description, weeks, trend, examined, conditions, causes,
	// minutes, places, equipment, build the plan.
	input := no + "45\n2\n\nmaybe\n1\n1\ny\n\n2\n\n1 2\n1 3\ny\n"
	r := runCLI(t, input, "assess", "--no-save")
	if r.status != 0 {
		t.Fatalf("status %d: %s\n%s", r.status, r.stderr, r.stdout)
	}
	for _, want := range []string{"please type a whole number", "Result: You can start the exercise programme", "Your routine for 2026-11-28"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	r := runCLI(t, "", "--help")
	if r.status != 0 || !strings.Contains(r.stdout, "assess") || !strings.Contains(r.stdout, "not a diagnosis") {
		t.Errorf("help: %d %s", r.status, r.stdout)
	}
	v := runCLI(t, "", "--version")
	if v.status != 0 || strings.TrimSpace(v.stdout) == "" {
		t.Errorf("version: %d %q", v.status, v.stdout)
	}
}
