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
	"github.com/backcoach/backcoach/store"
)

// dataRun is what one in-process run of a data command produced.
type dataRun struct {
	status         int
	stdout, stderr string
}

// dataClock is the clock of the data tests: it moves a minute at every
// reading, across runs, so that records of successive commands are in
// order. The tests of this package do not run in parallel.
var dataClock = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// runData runs the command in-process against the database db, with the
// given stdin, on dataClock.
func runData(t *testing.T, db string, interactive bool, stdin string, args ...string) dataRun {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{
		ctx:         context.Background(),
		stdin:       strings.NewReader(stdin),
		stdout:      &out,
		stderr:      &errb,
		now:         func() time.Time { dataClock = dataClock.Add(time.Minute); return dataClock },
		interactive: interactive,
	}
	if db != "" {
		args = append([]string{"--db", db}, args...)
	}
	status := run(a, args)
	return dataRun{status, out.String(), errb.String()}
}

// must fails the test unless the run succeeded.
func (r dataRun) must(t *testing.T) dataRun {
	t.Helper()
	if r.status != 0 {
		t.Fatalf("status %d\nstdout: %s\nstderr: %s", r.status, r.stdout, r.stderr)
	}
	return r
}

const dataAnswers = `{"age": 42, "pain_now": 5, "weeks": 1, "trend": "same", "clinician_assessed": true, "flags": [],
 "conditions": ["osteoporosis"], "causes": ["desk_work"],
 "context": {"minutes": 10, "places": ["desk", "standing"], "equipment": ["wall", "chair"]}}`

func exportDoc(t *testing.T, db string) backcoach.Export {
	t.Helper()
	r := runData(t, db, false, "", "export").must(t)
	var doc backcoach.Export
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, r.stdout)
	}
	return doc
}

func TestAssessAndPlanAreSavedToHistory(t *testing.T) {
	t.Setenv("BACKCOACH_DB", "")
	db := filepath.Join(t.TempDir(), "bc.db")
	runData(t, db, false, dataAnswers, "assess", "--answers", "-", "--json").must(t)
	// Severe pain for three weeks (with osteoporosis, severe pain that
	// began in the last two weeks would be the possible-fracture rule).
	severe := strings.NewReplacer(`"pain_now": 5`, `"pain_now": 8`, `"weeks": 1`, `"weeks": 3`).Replace(dataAnswers)
	runData(t, db, false, severe, "plan", "--answers", "-", "--json").must(t)
	runData(t, db, false, dataAnswers, "assess", "--answers", "-", "--json", "--no-save").must(t)

	r := runData(t, db, false, "", "history", "--json").must(t)
	var list []backcoach.SavedAssessment
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Answers.PainNow != 8 || list[1].Answers.PainNow != 5 || !list[0].TakenAt.After(list[1].TakenAt) {
		t.Fatalf("history: %+v", list)
	}
	text := runData(t, db, false, "", "history").must(t).stdout
	if lines := strings.Split(strings.TrimSpace(text), "\n"); len(lines) != 3 || !strings.Contains(lines[1], "high") || !strings.Contains(lines[2], "moderate") {
		t.Errorf("history text:\n%s", text)
	}
	doc := exportDoc(t, db)
	if len(doc.Plans) != 1 || doc.Plans[0].AssessmentID != list[0].ID {
		t.Errorf("the plan is not linked to its assessment: %+v", doc.Plans)
	}
	if doc.Profile == nil || len(doc.Profile.Conditions) != 1 || len(doc.Profile.Places) != 2 {
		t.Errorf("the profile did not remember the answers: %+v", doc.Profile)
	}
	if doc.Person.Handle != backcoach.LocalHandle {
		t.Errorf("local account handle %q", doc.Person.Handle)
	}
}

func TestExportDeleteImport(t *testing.T) {
	t.Setenv("BACKCOACH_DB", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "bc.db")
	runData(t, db, false, dataAnswers, "plan", "--answers", "-").must(t)
	file := filepath.Join(dir, "me.json")
	runData(t, db, false, "", "export", "--out", file).must(t)
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", st, err)
	}
	var first backcoach.Export
	raw, _ := os.ReadFile(file)
	if err := json.Unmarshal(raw, &first); err != nil {
		t.Fatal(err)
	}

	// No terminal and no --yes: refused, nothing deleted.
	r := runData(t, db, false, "", "delete-account")
	if r.status != exitBadInput || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("delete-account without confirmation: %d %s", r.status, r.stderr)
	}
	// On a terminal, anything but "yes" changes nothing.
	r = runData(t, db, true, "no\n", "delete-account").must(t)
	if !strings.Contains(r.stdout, "Nothing was changed") {
		t.Fatalf("declined delete: %s", r.stdout)
	}
	if doc := exportDoc(t, db); len(doc.Assessments) != 1 {
		t.Fatal("a declined delete removed data")
	}
	r = runData(t, db, true, "yes\n", "delete-account").must(t)
	if !strings.Contains(r.stdout, "1 assessments") || !strings.Contains(r.stdout, "1 plans") || !strings.Contains(r.stdout, "1 accounts") {
		t.Fatalf("delete-account report: %s", r.stdout)
	}
	if r := runData(t, db, false, "", "delete-account", "--yes").must(t); !strings.Contains(r.stdout, "Nothing to delete") {
		t.Errorf("second delete: %s", r.stdout)
	}

	// History made the account anew; it holds nothing, so import may
	// replace it without --replace.
	runData(t, db, false, "", "history").must(t)
	runData(t, db, false, "", "import", file).must(t)
	second := exportDoc(t, db)
	if second.Person.ID != first.Person.ID || len(second.Assessments) != 1 || second.Assessments[0].ID != first.Assessments[0].ID ||
		second.Plans[0].Plan.Date != first.Plans[0].Plan.Date || !second.Assessments[0].TakenAt.Equal(first.Assessments[0].TakenAt) {
		t.Fatalf("import did not restore the export:\n%+v\n%+v", second, first)
	}
	first.ExportedAt, second.ExportedAt = time.Time{}, time.Time{}
	second.Audit = second.Audit[:len(first.Audit)]
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if string(a) != string(b) {
		t.Fatalf("round trip differs\n%s\n%s", a, b)
	}

	// Now the account has data: import needs --replace.
	r = runData(t, db, false, "", "import", file)
	if r.status != exitBadInput || !strings.Contains(r.stderr, "--replace") {
		t.Fatalf("import over data: %d %s", r.status, r.stderr)
	}
	runData(t, db, false, "", "import", "--replace", file).must(t)

	// A document that is not an export is refused, naming the problem.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(string(raw), `"pain_now": 5`, `"pain_now": 15`, 1)), 0o600)
	r = runData(t, db, false, "", "import", "--replace", bad)
	if r.status != exitBadInput || !strings.Contains(r.stderr, "pain_now") {
		t.Fatalf("import of a bad document: %d %s", r.status, r.stderr)
	}
}

func TestBackupRestoreMigrate(t *testing.T) {
	t.Setenv("BACKCOACH_DB", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "bc.db")
	runData(t, db, false, dataAnswers, "assess", "--answers", "-").must(t)
	backup := filepath.Join(dir, "backup.db")
	runData(t, db, false, "", "backup", backup).must(t)
	if r := runData(t, db, false, "", "backup", backup); r.status != exitBadInput || !strings.Contains(r.stderr, "will not overwrite") {
		t.Fatalf("backup over a file: %d %s", r.status, r.stderr)
	}
	jsonBackup := filepath.Join(dir, "backup.json")
	runData(t, db, false, "", "backup", "--format", "json", jsonBackup).must(t)
	runData(t, db, false, dataAnswers, "assess", "--answers", "-").must(t)
	if r := runData(t, db, false, "", "restore", backup); r.status != exitBadInput || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("restore without confirmation: %d %s", r.status, r.stderr)
	}
	for _, file := range []string{backup, jsonBackup} {
		runData(t, db, false, "", "restore", "--yes", file).must(t)
		if doc := exportDoc(t, db); len(doc.Assessments) != 1 {
			t.Fatalf("after restoring %s: %d assessments, want 1", file, len(doc.Assessments))
		}
	}
	r := runData(t, db, false, "", "migrate").must(t)
	if !strings.Contains(r.stdout, "schema version") || !strings.Contains(r.stdout, db) {
		t.Errorf("migrate: %s", r.stdout)
	}
}

func TestDefaultDatabaseAndBadFiles(t *testing.T) {
	t.Setenv("BACKCOACH_DB", "")
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	runData(t, "", false, "", "history").must(t)
	for path, mode := range map[string]os.FileMode{
		filepath.Join(xdg, "backcoach"):                 0o700,
		filepath.Join(xdg, "backcoach", "backcoach.db"): 0o600,
	} {
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: %v %v, want mode %v", path, st, err, mode)
		}
	}
	notes := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notes, []byte("my notes\n"), 0o600)
	r := runData(t, notes, false, "", "history")
	if r.status != exitBadInput || !strings.Contains(r.stderr, "is not a SQLite database") {
		t.Errorf("history on a text file: %d %s", r.status, r.stderr)
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes\n" {
		t.Errorf("the text file changed")
	}
}

// The plan command reads the person's sessions: a session that raised the
// pain by two points steps the dose back, and the person is told why.
func TestPlanStepsBackAfterAFlare(t *testing.T) {
	t.Setenv("BACKCOACH_DB", "")
	db := filepath.Join(t.TempDir(), "bc.db")
	mild := strings.Replace(dataAnswers, `"pain_now": 5`, `"pain_now": 2`, 1)
	before := runData(t, db, false, mild, "plan", "--answers", "-", "--json").must(t)
	var p0 backcoach.Plan
	if err := json.Unmarshal([]byte(before.stdout), &p0); err != nil || p0.Level != 0 {
		t.Fatalf("first plan level %d (%v)", p0.Level, err)
	}

	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	me, err := s.PersonByHandle(ctx, backcoach.LocalHandle)
	if err != nil {
		t.Fatal(err)
	}
	after := 6
	sess := backcoach.Session{StartedAt: dataClock.Add(time.Minute), DurationSeconds: 300, PainBefore: 3, PainAfter: &after,
		Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "chin-tuck", Outcome: backcoach.OutcomeDone, Seconds: 60}}}
	if err := s.SaveSession(ctx, me.ID, &sess); err != nil {
		t.Fatal(err)
	}
	s.Close()

	human := runData(t, db, false, mild, "plan", "--answers", "-").must(t).stdout
	if !strings.Contains(human, "* Your last session raised your pain from 3 to 6") {
		t.Errorf("the plan does not say why the dose stepped back:\n%s", human)
	}
	js := runData(t, db, false, mild, "plan", "--answers", "-", "--json").must(t).stdout
	var p1 backcoach.Plan
	if err := json.Unmarshal([]byte(js), &p1); err != nil || p1.Level != -1 {
		t.Fatalf("plan after a flare: level %d (%v)", p1.Level, err)
	}
	// --no-save reads no history: the stage's own dose.
	nosave := runData(t, db, false, mild, "plan", "--answers", "-", "--json", "--no-save").must(t).stdout
	var p2 backcoach.Plan
	if err := json.Unmarshal([]byte(nosave), &p2); err != nil || p2.Level != 0 {
		t.Fatalf("plan with --no-save: level %d (%v)", p2.Level, err)
	}
}
