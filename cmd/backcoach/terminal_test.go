package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/triage"
)

// termEnv is one person's throw-away database and a clock the test moves.
type termEnv struct {
	t   *testing.T
	db  string
	now time.Time
}

func newTermEnv(t *testing.T) *termEnv {
	return &termEnv{t: t, db: filepath.Join(t.TempDir(), "backcoach.db"), now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
}

// run runs the command in-process on the database at the env's time.
func (e *termEnv) run(stdin string, args ...string) result {
	e.t.Helper()
	return e.runWith(func() time.Time { return e.now }, stdin, args...)
}

func (e *termEnv) runWith(now func() time.Time, stdin string, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, now: now}
	status := run(a, append([]string{"--db", e.db}, args...))
	return result{status, out.String(), errb.String()}
}

// open opens the env's database to seed or check it.
func (e *termEnv) open() (*store.Store, string) {
	e.t.Helper()
	st, err := store.Open(context.Background(), e.db, store.Options{Now: func() time.Time { return e.now }})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { st.Close() })
	p, err := localPerson(context.Background(), st)
	if err != nil {
		e.t.Fatal(err)
	}
	return st, p.ID
}

// shortRoutine is an assessment that allows exercise, with a short
// routine: two or three exercises.
var shortRoutine = backcoach.Answers{
	Age: 40, PainNow: 3, Weeks: 1, Trend: backcoach.TrendBetter, ClinicianAssessed: true,
	Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{backcoach.CauseDeskWork},
	Context: &backcoach.Context{Minutes: 3, Places: []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding}, Equipment: []backcoach.Equipment{backcoach.EquipmentWall, backcoach.EquipmentChair}},
}

// seedAssessment stores an assessment taken at the given time.
func (e *termEnv) seedAssessment(ans backcoach.Answers, at time.Time) {
	e.t.Helper()
	st, person := e.open()
	sa := &backcoach.SavedAssessment{TakenAt: at, Answers: ans, Result: triage.Assess(&ans)}
	if err := st.SaveAssessment(context.Background(), person, sa); err != nil {
		e.t.Fatal(err)
	}
}

func (e *termEnv) sessions() []backcoach.Session {
	e.t.Helper()
	st, person := e.open()
	list, err := st.Sessions(context.Background(), person, backcoach.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

func (e *termEnv) entries() []backcoach.DiaryEntry {
	e.t.Helper()
	st, person := e.open()
	list, err := st.DiaryEntries(context.Background(), person, backcoach.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// skipAll answers a plain session: pain before, every exercise skipped for
// want of time, pain after.
func skipAll(before, n, after int) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(before) + "\n")
	for i := 0; i < n; i++ {
		b.WriteString("s\n4\n")
	}
	b.WriteString(strconv.Itoa(after) + "\n")
	return b.String()
}

func TestDoseLevel(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	session := func(daysAgo, before, after, level int) backcoach.Session {
		return backcoach.Session{StartedAt: today.AddDate(0, 0, -daysAgo), PainBefore: before, PainAfter: &after, Level: level,
			Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeDone}}}
	}
	steady := func(level int) []backcoach.Session {
		var out []backcoach.Session
		for _, ago := range []int{13, 11, 9, 6, 4, 2} {
			out = append(out, session(ago, 3, 3, level))
		}
		return out
	}
	tests := []struct {
		name     string
		sessions []backcoach.Session
		entries  []backcoach.DiaryEntry
		level    int
		change   int
		reason   string
	}{
		{"no sessions", nil, nil, 0, 0, "No sessions yet"},
		{"two good weeks step up", steady(0), nil, 1, 1, "steps up"},
		{"the current level is the last session's", steady(1), nil, 2, 1, "steps up"},
		{"a flare steps down", append(steady(1), session(0, 3, 5, 1)), nil, 0, -1, "raised your pain from 3 to 5"},
		{"worse the next day steps down", []backcoach.Session{session(1, 3, 3, 0)}, []backcoach.DiaryEntry{{At: today, Pain: 5}}, -1, -1, "The day after your last session"},
		{"too few sessions keep the level", steady(0)[3:], nil, 0, 0, "keep going"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planner.LevelFromHistory(tt.sessions, tt.entries, time.UTC, today.Format(backcoach.DateLayout))
			if p.Level != tt.level || p.Change != tt.change || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("doseLevel = %+v, want level %d change %d reason with %q", p, tt.level, tt.change, tt.reason)
			}
		})
	}
}

func TestLog(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	r := e.run("", "log", "--pain", "3", "--note", "after a long drive")
	if r.status != 0 || !strings.Contains(r.stdout, "Saved: pain 3 at 09:00.") {
		t.Fatalf("status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	list := e.entries()
	if len(list) != 1 || list[0].Pain != 3 || list[0].Note != "after a long drive" || list[0].FlagsAsked {
		t.Errorf("entries = %+v", list)
	}
	for _, bad := range []string{"11", "-1", "three", "2.5"} {
		r := e.run("", "log", "--pain="+bad)
		if r.status != exitBadInput || !strings.Contains(r.stderr, "--pain: must be a whole number from 0 to 10") {
			t.Errorf("--pain %s: status %d, %s", bad, r.status, r.stderr)
		}
	}
	if n := len(e.entries()); n != 1 {
		t.Errorf("bad input reached the database: %d entries", n)
	}
	// A single rating of 8 or more: contact a doctor soon.
	r = e.run("", "log", "--pain", "8")
	for _, want := range []string{"BOOK AN APPOINTMENT", "rated your pain 8", "This is not a diagnosis."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("log --pain 8 lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestCheckinPlain(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	// First check-in: the warning signs and the weekly PEG are due.
	r := e.run("4\nn\nn\nslept badly\n5\n4\n6\n", "checkin")
	if r.status != 0 {
		t.Fatalf("status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	for _, want := range []string{"Do you have any of these warning signs?", "The weekly questions:", "Saved: pain 4 at 09:00."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// Later the same day: no warning-sign question, no PEG.
	e.now = e.now.Add(6 * time.Hour)
	r = e.run("2\n\n", "checkin", "--plain")
	if r.status != 0 || strings.Contains(r.stdout, "warning signs") || strings.Contains(r.stdout, "weekly") {
		t.Fatalf("second check-in: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	list := e.entries()
	if len(list) != 2 {
		t.Fatalf("entries = %+v", list)
	}
	first, second := list[0], list[1]
	if first.Pain != 4 || !first.FlagsAsked || len(first.Flags) != 0 || first.Note != "slept badly" || first.PEG == nil || *first.PEG != (backcoach.PEG{Pain: 5, Enjoyment: 4, Activity: 6}) {
		t.Errorf("first entry = %+v", first)
	}
	if second.Pain != 2 || second.FlagsAsked || second.PEG != nil {
		t.Errorf("second entry = %+v", second)
	}
	// The next day the warning signs are asked again; a yes is kept and
	// what to do is said.
	e.now = e.now.Add(24 * time.Hour)
	r = e.run("5\nn\ny\n1\n", "checkin")
	if r.status != 0 || !strings.Contains(r.stdout, "CONTACT A DOCTOR TODAY") {
		t.Fatalf("status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	list = e.entries()
	if last := list[len(list)-1]; !last.FlagsAsked || len(last.Flags) != 1 || last.Flags[0] != "fever" {
		t.Errorf("entry with a warning sign = %+v", last)
	}
	// An input that ends early saves nothing.
	r = e.run("3\n", "checkin")
	if r.status != exitBadInput || len(e.entries()) != 3 {
		t.Errorf("cut-short check-in: status %d, %d entries", r.status, len(e.entries()))
	}
}

func TestDiaryCommand(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	e.seedAssessment(shortRoutine, e.now.AddDate(0, 0, -20))
	st, person := e.open()
	for ago := 20; ago >= 0; ago-- {
		pain := 3
		if ago < 7 {
			pain = 6
		}
		at := e.now.AddDate(0, 0, -ago)
		if err := st.AddDiaryEntry(context.Background(), person, &backcoach.DiaryEntry{At: at, Pain: pain, Flags: []string{}}); err != nil {
			t.Fatal(err)
		}
	}
	after := 3
	if err := st.SaveSession(context.Background(), person, &backcoach.Session{StartedAt: e.now.AddDate(0, 0, -1), PainBefore: 4, PainAfter: &after,
		Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "shoulder-rolls", Outcome: backcoach.OutcomeDone, Seconds: 60}}}); err != nil {
		t.Fatal(err)
	}
	breakDay := backcoach.BreakDay{Date: e.now.AddDate(0, 0, -2).Format(backcoach.DateLayout), Due: 7, Taken: 4, Natural: 3, Snoozed: 2, Skipped: 1, ActiveSeconds: 4 * 3600}
	if err := st.SaveBreakDay(context.Background(), person, &breakDay); err != nil {
		t.Fatal(err)
	}
	r := e.run("", "diary", "--days", "7", "--json")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	var rep diary.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not a report: %v\n%s", err, r.stdout)
	}
	if rep.Days != 7 || rep.Series.LoggedDays != 7 || rep.Series.Sessions != 1 || !rep.Worsening.Alert || !rep.Worsening.MeanRule {
		t.Errorf("report = %+v", rep)
	}
	breakDay.PersonID = person
	if rep.Breaks.Total.Due != 7 || len(rep.Breaks.Days) != 1 || rep.Breaks.Days[0] != breakDay {
		t.Errorf("the report's breaks = %+v, want the day %+v", rep.Breaks, breakDay)
	}
	r = e.run("", "diary", "--days", "30")
	for _, want := range []string{"Movement breaks over the last 30 days: 7 breaks due, 4 taken after a", "7 due, 4 taken, 3 natural, 2 snoozed, 1 skipped, 4 h 00 min active", "Pain diary, last 30 days", "2026-11-23 Mo: pain 6, 1 guided session", "BOOK AN APPOINTMENT", "3 points above", "This is not a diagnosis."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plain diary lacks %q:\n%s", want, r.stdout)
		}
	}
	r = e.run("", "diary", "--days", "14")
	if r.status != exitBadInput || !strings.Contains(r.stderr, "--days: must be 7, 30 or 90, got 14") {
		t.Errorf("--days 14: status %d, %s", r.status, r.stderr)
	}
}

// routineLength is how many exercises today's plan for the short
// routine has.
func routineLength(t *testing.T, day time.Time) int {
	ans := shortRoutine
	p := planner.Build(catalog.MustLoad(), planner.Request{Answers: &ans, Result: triage.Assess(&ans), Date: day.Format(backcoach.DateLayout)})
	if len(p.Exercises) < 2 {
		t.Fatalf("the short routine has %d exercises; the tests need at least 2", len(p.Exercises))
	}
	return len(p.Exercises)
}

func TestSessionPlain(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	e.seedAssessment(shortRoutine, e.now.Add(-time.Hour))
	r := e.run(skipAll(4, routineLength(t, e.now), 3), "session", "--plain")
	if r.status != 0 {
		t.Fatalf("status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	list := e.sessions()
	if len(list) != 1 {
		t.Fatalf("sessions = %+v\n%s", list, r.stdout)
	}
	s := list[0]
	if s.PlanID == "" || s.PainBefore != 4 || s.PainAfter == nil || *s.PainAfter != 3 || len(s.Exercises) == 0 {
		t.Errorf("session = %+v", s)
	}
	for _, x := range s.Exercises {
		if x.Outcome != backcoach.OutcomeSkipped || x.Reason != guide.ReasonNoTime {
			t.Errorf("exercise = %+v", x)
		}
	}
	if !strings.Contains(r.stdout, "Session finished: 0 done, ") || !strings.Contains(r.stdout, "This is not a diagnosis.") {
		t.Errorf("output:\n%s", r.stdout)
	}
	// A second session today follows the same saved plan.
	r = e.run(skipAll(3, len(s.Exercises), 3), "session", "--plain")
	if list := e.sessions(); r.status != 0 || len(list) != 2 || list[1].PlanID != s.PlanID {
		t.Errorf("second session: status %d, sessions %+v\n%s", r.status, list, r.stderr)
	}
}

func TestSessionQuitAndResume(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	e.seedAssessment(shortRoutine, e.now.Add(-time.Hour))
	r := e.run("5\ns\n3\nq\ny\n", "session", "--plain")
	if r.status != 0 || !strings.Contains(r.stdout, "--resume") {
		t.Fatalf("status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	list := e.sessions()
	if len(list) != 1 || list[0].PainAfter != nil || len(list[0].Exercises) != 1 {
		t.Fatalf("partial session = %+v", list)
	}
	partial := list[0]
	// A new session mentions the unfinished one.
	e.now = e.now.Add(time.Hour)
	r = e.run("q\ny\n", "session", "--plain")
	if !strings.Contains(r.stdout, "You left a session unfinished at 09:00") {
		t.Errorf("no notice of the unfinished session:\n%s", r.stdout)
	}
	// Resume: the rest of the plan, then one session replaces the partial.
	p, err := func() (*backcoach.SavedPlan, error) {
		st, person := e.open()
		return st.Plan(context.Background(), person, partial.PlanID)
	}()
	if err != nil {
		t.Fatal(err)
	}
	left := len(p.Plan.Exercises) - 1
	r = e.run(strings.Repeat("s\n4\n", left)+"2\n", "session", "--plain", "--resume")
	if r.status != 0 {
		t.Fatalf("resume: status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	list = e.sessions()
	if len(list) != 1 {
		t.Fatalf("after resuming: %d sessions, want the partial replaced by one", len(list))
	}
	done := list[0]
	if done.ID == partial.ID || !done.StartedAt.Equal(partial.StartedAt) || done.PainBefore != 5 || done.PainAfter == nil || *done.PainAfter != 2 || len(done.Exercises) != len(p.Plan.Exercises) {
		t.Errorf("resumed session = %+v", done)
	}
	if done.Exercises[0].Reason != guide.ReasonNoEquipment {
		t.Errorf("the first exercise's outcome was not kept: %+v", done.Exercises[0])
	}
	// Nothing left to resume.
	r = e.run("", "session", "--plain", "--resume")
	if r.status != exitBadInput || !strings.Contains(r.stderr, "no unfinished session from today") {
		t.Errorf("resume with nothing to resume: status %d, %s", r.status, r.stderr)
	}
}

func TestSessionRefusesWhenExerciseIsNotAllowed(t *testing.T) {
	t.Parallel()
	t.Run("an urgent warning sign at the last assessment", func(t *testing.T) {
		e := newTermEnv(t)
		ans := shortRoutine
		ans.Flags = []string{"fever"}
		e.seedAssessment(ans, e.now.Add(-time.Hour))
		// Asked again because of the warning sign; yes to a fever again.
		in := strings.Repeat("n\n", len(triage.FlagsAt(backcoach.UrgencyEmergency))) + "y\n" + strings.Repeat("n\n", len(triage.FlagsAt(backcoach.UrgencyUrgent))-1)
		r := e.run(in, "session", "--plain")
		if r.status != exitBadInput || !strings.Contains(r.stdout, "CONTACT A DOCTOR TODAY") || !strings.Contains(r.stdout, "does not start") || !strings.Contains(r.stdout, "This is not a diagnosis.") {
			t.Errorf("status %d\n%s", r.status, r.stdout)
		}
		if len(e.sessions()) != 0 {
			t.Error("a session was saved")
		}
	})
	t.Run("a warning sign at today's check-in", func(t *testing.T) {
		e := newTermEnv(t)
		e.seedAssessment(shortRoutine, e.now.Add(-time.Hour))
		e.run("5\ny\n1\n", "checkin")
		r := e.run("4\n", "session", "--plain")
		if r.status != exitBadInput || !strings.Contains(r.stdout, "CALL AN AMBULANCE NOW") || !strings.Contains(r.stdout, "a check-in in the terminal") {
			t.Errorf("status %d\n%s", r.status, r.stdout)
		}
	})
	t.Run("an emergency sign when asked again", func(t *testing.T) {
		e := newTermEnv(t)
		e.seedAssessment(shortRoutine, e.now.AddDate(0, 0, -8))
		r := e.run("y\n", "session", "--plain")
		if r.status != exitBadInput || !strings.Contains(r.stdout, "more than a week old") || !strings.Contains(r.stdout, "CALL AN AMBULANCE NOW") {
			t.Errorf("status %d\n%s", r.status, r.stdout)
		}
	})
}

func TestSessionReassessesAnOldAssessment(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	e.seedAssessment(shortRoutine, e.now.AddDate(0, 0, -8))
	flags := strings.Repeat("n\n", len(triage.Flags()))
	// age, pain, stage (none), weeks, trend better, examined, no
	// conditions, desk work, 3 minutes, desk and standing, wall and chair.
	pain := "40\n3\n\n1\n1\ny\n\n2\n3\n1 2\n1 3\n"
	r := e.run(flags+pain+"q\ny\n", "session", "--plain")
	if r.status != 0 || !strings.Contains(r.stdout, "more than a week old") || !strings.Contains(r.stdout, "Guided session:") {
		t.Fatalf("status %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	st, person := e.open()
	list, err := st.Assessments(context.Background(), person, backcoach.Filter{})
	if err != nil || len(list) != 2 || !list[1].TakenAt.Equal(e.now) {
		t.Errorf("assessments = %d, %v", len(list), err)
	}
}

func TestSessionTellsWhyTheDoseChanges(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	e.seedAssessment(shortRoutine, e.now.AddDate(0, 0, -1))
	st, person := e.open()
	after := 3
	for _, ago := range []int{13, 11, 9, 6, 4, 2} {
		s := &backcoach.Session{StartedAt: e.now.AddDate(0, 0, -ago), PainBefore: 3, PainAfter: &after,
			Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "shoulder-rolls", Outcome: backcoach.OutcomeDone, Seconds: 60}}}
		if err := st.SaveSession(context.Background(), person, s); err != nil {
			t.Fatal(err)
		}
	}
	r := e.run("q\ny\n", "session", "--plain")
	if !strings.Contains(r.stdout, "Two weeks of regular sessions") || !strings.Contains(r.stdout, "steps up") {
		t.Errorf("output:\n%s", r.stdout)
	}
	plans, _ := st.Plans(context.Background(), person, backcoach.Filter{})
	if len(plans) != 1 || plans[0].Plan.Level != 1 {
		t.Errorf("plans = %+v", plans)
	}
}

func TestTimeScaleLimits(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	r := e.run("", "session", "--time-scale", "5000")
	if r.status != exitBadInput || !strings.Contains(r.stderr, "--time-scale: must be from 1 to 1000") {
		t.Errorf("status %d: %s", r.status, r.stderr)
	}
}

func TestLineReader(t *testing.T) {
	t.Parallel()
	r := lineReader{strings.NewReader("one\ntwo\nthree")}
	buf := make([]byte, 100)
	for _, want := range []string{"one\n", "two\n", "three"} {
		n, _ := r.Read(buf)
		if got := string(buf[:n]); got != want {
			t.Errorf("Read = %q, want %q", got, want)
		}
	}
}

// TestCheckinAsksWhetherTheHistoryChanged: after a clinician cleared her
// infection risk, the check-in asks whether anything changed; a yes stops
// exercise again, in every command.
func TestCheckinAsksWhetherTheHistoryChanged(t *testing.T) {
	t.Parallel()
	e := newTermEnv(t)
	risk := `{"age": 50, "pain_now": 3, "weeks": 1, "trend": "better", "clinician_assessed": true, "flags": ["infection_risk"], "conditions": [], "causes": []}`
	if r := e.run(risk, "assess", "--answers", "-"); r.status != 0 {
		t.Fatalf("assess: %d %s%s", r.status, r.stdout, r.stderr)
	}
	e.now = e.now.Add(time.Minute)
	if r := e.run("", "safety", "clear", "--by", "gp", "--on", "2026-11-24"); r.status != 0 {
		t.Fatalf("safety clear: %d %s%s", r.status, r.stdout, r.stderr)
	}
	e.now = e.now.Add(time.Minute)
	if r := e.run(risk, "assess", "--answers", "-", "--json"); r.status != 0 || !strings.Contains(r.stdout, `"exercise_allowed": true`) {
		t.Fatalf("the fresh check after the clearance: %d %s%s", r.status, r.stdout, r.stderr)
	}
	e.now = e.now.Add(time.Minute)
	r := e.run("4\nn\nn\n\n5\n4\n6\ny\n", "checkin", "--plain")
	if r.status != 0 || !strings.Contains(r.stdout, "Has anything changed about your risk of infection") || !strings.Contains(r.stdout, "CONTACT A DOCTOR TODAY") {
		t.Fatalf("check-in with a change: %d\n%s%s", r.status, r.stdout, r.stderr)
	}
	if r := e.run("", "plan", "--json"); !strings.Contains(r.stdout, `"exercises": []`) {
		t.Errorf("a plan after the change: %s", r.stdout)
	}
}
