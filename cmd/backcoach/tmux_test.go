package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/triage"
)

// The end-to-end tests run the real binary in a real terminal: tmux, on a
// private socket, with a fixed size. send-keys types, capture-pane reads
// the screen, and the database is checked afterwards.

// e2eTimeScale makes a session's minutes pass in seconds.
const e2eTimeScale = 40

// screenWait bounds every wait for the screen to show something.
const screenWait = 20 * time.Second

// terminal is one tmux server with one window running a command.
type terminal struct {
	t    *testing.T
	tmux string
	sock string
	env  []string
}

// newTerminal starts a private tmux server of 100×30 cells running the
// command through a shell, which reports the exit status and keeps the
// window open.
func newTerminal(t *testing.T, env []string, command string) *terminal {
	t.Helper()
	path, err := exec.LookPath("tmux")
	testenv.Require(t, "tmux", err == nil, "tmux is not installed (Debian package tmux)")
	tm := &terminal{t: t, tmux: path, sock: filepath.Join(t.TempDir(), "tmux.sock"), env: env}
	shell := fmt.Sprintf("env %s %s; echo \"EXIT=$?\"; sleep 600", strings.Join(env, " "), command)
	tm.cmd("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", shell)
	t.Cleanup(func() { exec.Command(tm.tmux, "-S", tm.sock, "kill-server").Run() })
	return tm
}

func (tm *terminal) cmd(args ...string) string {
	tm.t.Helper()
	c := exec.Command(tm.tmux, append([]string{"-S", tm.sock}, args...)...)
	c.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := c.CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys types keys: tmux key names such as Enter, Space, Escape, or text.
func (tm *terminal) keys(keys ...string) {
	tm.t.Helper()
	tm.cmd(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

func (tm *terminal) screen() string {
	tm.t.Helper()
	return tm.cmd("capture-pane", "-p", "-t", "e2e")
}

// waitFor polls the screen until it shows one of the texts and returns
// the one it found.
func (tm *terminal) waitFor(texts ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(screenWait)
	for {
		s := tm.screen()
		for _, text := range texts {
			if strings.Contains(s, text) {
				return text
			}
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("after %v the screen shows none of %q:\n%s", screenWait, texts, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForExercise waits until exercise n is shown (its title bar begins
// " n of "), or the session asks pain after; it reports which.
func (tm *terminal) waitForExercise(n int) (shown bool) {
	tm.t.Helper()
	title := fmt.Sprintf(" %d of ", n)
	deadline := time.Now().Add(screenWait)
	for {
		s := tm.screen()
		if strings.Contains(s, "after the session?") {
			return false
		}
		for _, line := range strings.Split(s, "\n") {
			if strings.HasPrefix(line, title) && strings.Contains(s, "press Enter to start") {
				return true
			}
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("after %v the screen shows neither exercise %d nor pain after:\n%s", screenWait, n, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// buildBinary builds the command once for the test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "backcoach")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// e2eAnswers allow exercise with a short routine at a desk and standing.
var e2eAnswers = backcoach.Answers{
	Age: 40, PainNow: 3, Weeks: 1, Trend: backcoach.TrendBetter, ClinicianAssessed: true,
	Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{backcoach.CauseDeskWork},
	Context: &backcoach.Context{Minutes: 4, Places: []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding}, Equipment: []backcoach.Equipment{backcoach.EquipmentWall, backcoach.EquipmentChair}},
}

// e2eData is the default database under a throw-away XDG_DATA_HOME,
// seeded with an assessment taken an hour ago.
func e2eData(t *testing.T) (xdg, db string) {
	t.Helper()
	xdg = t.TempDir()
	db = filepath.Join(xdg, "backcoach", "backcoach.db")
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := localPerson(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	ans := e2eAnswers
	sa := &backcoach.SavedAssessment{TakenAt: time.Now().Add(-time.Hour), Answers: ans, Result: triage.Assess(&ans)}
	if err := st.SaveAssessment(context.Background(), p.ID, sa); err != nil {
		t.Fatal(err)
	}
	return xdg, db
}

// openDB opens the database after a run, to check what was saved.
func openDB(t *testing.T, db string) (*store.Store, string) {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := st.PersonByHandle(context.Background(), backcoach.LocalHandle)
	if err != nil {
		t.Fatal(err)
	}
	return st, p.ID
}

func TestEndToEndCheckinAndSession(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		testenv.Unavailable(t, "tmux", "tmux is not installed (Debian package tmux)")
	}
	bin := buildBinary(t)
	xdg, db := e2eData(t)
	env := []string{"TERM=xterm-256color", "NO_COLOR=1", "XDG_DATA_HOME=" + xdg, "BACKCOACH_TIME_SCALE=" + strconv.Itoa(e2eTimeScale)}

	t.Run("check-in", func(t *testing.T) {
		tm := newTerminal(t, env, bin+" checkin")
		tm.waitFor("How bad is your pain right now?")
		tm.keys("3", "Enter")
		tm.waitFor("Do you have any of these warning signs?")
		tm.keys("n")
		tm.waitFor("And any of these?")
		tm.keys("n")
		tm.waitFor("A note for today?")
		tm.keys("-l", "stiff after the train")
		tm.waitFor("stiff after the train")
		tm.keys("Enter")
		tm.waitFor("Weekly questions (1 of 3)")
		tm.keys("5", "Enter")
		tm.waitFor("Weekly questions (2 of 3)")
		tm.keys("4", "Enter")
		tm.waitFor("Weekly questions (3 of 3)")
		tm.keys("6", "Enter")
		tm.waitFor("EXIT=0")
		if s := tm.screen(); !strings.Contains(s, "Saved: pain 3 at") {
			t.Errorf("after the check-in:\n%s", s)
		}
		st, person := openDB(t, db)
		list, err := st.DiaryEntries(context.Background(), person, backcoach.Filter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("entries = %+v, %v", list, err)
		}
		e := list[0]
		if e.Pain != 3 || e.Note != "stiff after the train" || !e.FlagsAsked || e.PEG == nil || *e.PEG != (backcoach.PEG{Pain: 5, Enjoyment: 4, Activity: 6}) {
			t.Errorf("entry = %+v", e)
		}
	})

	t.Run("session", func(t *testing.T) {
		tm := newTerminal(t, env, bin+" session")
		tm.waitFor("How bad is your pain right now, before you start?")
		tm.keys("4", "Enter")
		tm.waitFor("Read the steps, get ready, then press Enter to start.")
		first := tm.screen()
		if !strings.Contains(first, "1. ") || !strings.Contains(first, "Dose:") || !strings.Contains(first, "This is not a diagnosis.") {
			t.Errorf("exercise screen:\n%s", first)
		}
		tm.keys("Enter")
		tm.waitFor("Hold ·", "Repetition 1 of", "Keep moving ·")
		tm.keys("Space")
		tm.waitFor("PAUSED")
		paused := tm.screen()
		tm.keys("Space")
		tm.waitFor("space pause")
		if !strings.Contains(paused, "space resume") {
			t.Errorf("paused screen:\n%s", paused)
		}
		// The rest of the routine: wait through the first exercise, skip
		// the second as too painful, do the others.
		for n := 2; tm.waitForExercise(n); n++ {
			if n == 2 {
				tm.keys("s")
				tm.waitFor("Why skip")
				tm.keys("1")
				continue
			}
			tm.keys("Enter")
		}
		tm.keys("2", "Enter")
		tm.waitFor("Session finished.")
		summary := tm.screen()
		tm.keys("Enter")
		tm.waitFor("EXIT=0")
		if !strings.Contains(summary, "pain 4 → 2") || !strings.Contains(summary, "1 skipped") {
			t.Errorf("summary screen:\n%s", summary)
		}
		if s := tm.screen(); !strings.Contains(s, "Session saved:") {
			t.Errorf("after the session:\n%s", s)
		}
		st, person := openDB(t, db)
		list, err := st.Sessions(context.Background(), person, backcoach.Filter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("sessions = %+v, %v", list, err)
		}
		s := list[0]
		if s.PlanID == "" || s.PainBefore != 4 || s.PainAfter == nil || *s.PainAfter != 2 || len(s.Exercises) < 2 {
			t.Fatalf("session = %+v", s)
		}
		if x := s.Exercises[0]; x.Outcome != backcoach.OutcomeDone || x.Seconds < 10 {
			t.Errorf("first exercise = %+v, want done and timed", x)
		}
		if x := s.Exercises[1]; x.Outcome != backcoach.OutcomeSkipped || x.Reason != guide.ReasonTooPainful {
			t.Errorf("second exercise = %+v, want skipped as too painful", x)
		}
		if s.DurationSeconds < 30 {
			t.Errorf("duration = %d s", s.DurationSeconds)
		}
	})

	t.Run("diary", func(t *testing.T) {
		tm := newTerminal(t, env, bin+" diary --days 7")
		tm.waitFor("Pain diary · last 7 days")
		week := tm.screen()
		for _, want := range []string{"10 ┤", "●", "pain logged on 1 of 7 days", "This is not a diagnosis."} {
			if !strings.Contains(week, want) {
				t.Errorf("7-day diary lacks %q:\n%s", want, week)
			}
		}
		tm.keys("3")
		tm.waitFor("Pain diary · last 90 days")
		tm.keys("q")
		tm.waitFor("EXIT=0")
	})

	t.Run("quit and resume", func(t *testing.T) {
		tm := newTerminal(t, env, bin+" session")
		tm.waitFor("before you start?")
		tm.keys("5", "Enter")
		tm.waitFor("press Enter to start")
		tm.keys("s")
		tm.waitFor("Why skip")
		tm.keys("4")
		tm.waitForExercise(2)
		tm.keys("q")
		tm.waitFor("Quit the session now?")
		tm.keys("y")
		tm.waitFor("EXIT=0")
		if s := tm.screen(); !strings.Contains(s, "Session saved unfinished") {
			t.Errorf("after quitting:\n%s", s)
		}
		rt := newTerminal(t, env, bin+" session --resume")
		for n := 2; rt.waitForExercise(n); n++ {
			rt.keys("s")
			rt.waitFor("Why skip")
			rt.keys("4")
		}
		rt.keys("3", "Enter")
		rt.waitFor("Session finished.")
		rt.keys("Enter")
		rt.waitFor("EXIT=0")
		st, person := openDB(t, db)
		list, _ := st.Sessions(context.Background(), person, backcoach.Filter{})
		if len(list) != 2 {
			t.Fatalf("%d sessions, want the first and the resumed one", len(list))
		}
		r := list[1]
		if r.PainBefore != 5 || r.PainAfter == nil || *r.PainAfter != 3 || r.Exercises[0].Reason != guide.ReasonNoTime {
			t.Errorf("resumed session = %+v", r)
		}
	})
}

// idleEnv turns on TestIdleSessionScreen, which takes 30 seconds.
const idleEnv = "BACKCOACH_MEASURE_IDLE"

// TestIdleSessionScreen measures what a session screen waiting for a key
// costs: resident memory and CPU time over 30 s, for the exercise shown
// before its start and for a paused countdown. It only reports; run it
// with BACKCOACH_MEASURE_IDLE=1 and -v.
func TestIdleSessionScreen(t *testing.T) {
	t.Parallel()
	if os.Getenv(idleEnv) == "" {
		t.Skipf("set %s=1 to measure the idle session screen (30 s each)", idleEnv)
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		testenv.Unavailable(t, "tmux", "tmux is not installed (Debian package tmux)")
	}
	bin := buildBinary(t)
	xdg, _ := e2eData(t)
	tm := newTerminal(t, []string{"TERM=xterm-256color", "XDG_DATA_HOME=" + xdg}, bin+" session")
	tm.waitFor("before you start?")
	tm.keys("4", "Enter")
	tm.waitFor("press Enter to start")
	pid := tm.childPID()
	measureIdle(t, pid, "exercise shown, waiting for Enter")
	tm.keys("Enter")
	tm.waitFor("Hold ·", "Repetition 1 of", "Keep moving ·", "Get into position")
	tm.keys("Space")
	tm.waitFor("PAUSED")
	measureIdle(t, pid, "countdown paused")
	tm.keys("Space")
	tm.waitFor("space pause")
	measureIdle(t, pid, "countdown running")
}

// childPID returns the process id of the command the window's shell runs.
func (tm *terminal) childPID() int {
	tm.t.Helper()
	shell := strings.TrimSpace(tm.cmd("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	data, err := os.ReadFile(fmt.Sprintf("/proc/%s/task/%s/children", shell, shell))
	if err != nil {
		tm.t.Fatal(err)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) == "backcoach" {
			return pid
		}
	}
	tm.t.Fatalf("no backcoach process under the shell %s (children %q)", shell, data)
	return 0
}

// measureIdle logs the CPU time a process used over 30 s and its resident
// memory at the end.
func measureIdle(t *testing.T, pid int, what string) {
	t.Helper()
	const span = 30 * time.Second
	before := cpuTicks(t, pid)
	time.Sleep(span)
	used := cpuTicks(t, pid) - before
	const ticksPerSecond = 100 // USER_HZ on Linux
	cpu := time.Duration(used) * time.Second / ticksPerSecond
	t.Logf("%s: CPU %v over %v (%.2f %%), RSS %s", what, cpu, span, 100*cpu.Seconds()/span.Seconds(), rss(t, pid))
}

// cpuTicks reads a process's user and system time, in clock ticks.
func cpuTicks(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// The fields after the command name, which is in parentheses.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}

// rss reads a process's resident memory.
func rss(t *testing.T, pid int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:"))
		}
	}
	return "unknown"
}

// TestEndToEndPainGate: in the terminal, pain 8 before a session gives no
// session, only the kind advice and the breathing exercise; pain 6 gives
// only the plan's gentle exercises (docs/clinical.md §5).
func TestEndToEndPainGate(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		testenv.Unavailable(t, "tmux", "tmux is not installed (Debian package tmux)")
	}
	bin := buildBinary(t)
	cat := catalog.MustLoad()

	t.Run("pain 8", func(t *testing.T) {
		xdg, db := e2eData(t)
		env := []string{"TERM=xterm-256color", "NO_COLOR=1", "XDG_DATA_HOME=" + xdg, "BACKCOACH_TIME_SCALE=" + strconv.Itoa(e2eTimeScale)}
		tm := newTerminal(t, env, bin+" session")
		tm.waitFor("How bad is your pain right now, before you start?")
		tm.keys("8", "Enter")
		tm.waitFor("No exercise session today")
		s := tm.screen()
		for _, want := range []string{"pharmacist", "Rib-expanding breathing", "Enter try the breathing exercise"} {
			if !strings.Contains(s, want) {
				t.Errorf("the screen at pain 8 lacks %q:\n%s", want, s)
			}
		}
		if strings.Contains(s, "Read the steps") || strings.Contains(s, "Dose:") {
			t.Errorf("an exercise is shown at pain 8:\n%s", s)
		}
		tm.keys("q")
		tm.waitFor("EXIT=0")
		if s := tm.screen(); !strings.Contains(s, "nothing was saved") || !strings.Contains(s, "NHS 111") {
			t.Errorf("after leaving:\n%s", s)
		}
		st, person := openDB(t, db)
		if list, _ := st.Sessions(context.Background(), person, backcoach.Filter{}); len(list) != 0 {
			t.Errorf("sessions saved on a day without one: %+v", list)
		}
	})

	t.Run("pain 6", func(t *testing.T) {
		xdg, db := e2eData(t)
		env := []string{"TERM=xterm-256color", "NO_COLOR=1", "XDG_DATA_HOME=" + xdg, "BACKCOACH_TIME_SCALE=" + strconv.Itoa(e2eTimeScale)}
		tm := newTerminal(t, env, bin+" session")
		tm.waitFor("How bad is your pain right now, before you start?")
		tm.keys("6", "Enter")
		tm.waitFor("A gentler session today")
		tm.keys("Enter")
		for n := 1; tm.waitForExercise(n); n++ {
			if s := tm.screen(); strings.Contains(s, "Stop if:") && (!strings.Contains(s, "above where it was") || strings.Contains(s, "5 out of 10")) {
				t.Errorf("the stop rule at pain 6:\n%s", s)
			}
			tm.keys("s")
			tm.waitFor("Why skip")
			tm.keys("4")
		}
		tm.keys("5", "Enter")
		tm.waitFor("Session finished.")
		end := tm.screen()
		if strings.Contains(end, "Well done") || !strings.Contains(end, "No exercise was done") {
			t.Errorf("the end after skipping everything:\n%s", end)
		}
		tm.keys("Enter")
		tm.waitFor("EXIT=0")
		st, person := openDB(t, db)
		list, err := st.Sessions(context.Background(), person, backcoach.Filter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("sessions = %+v, %v", list, err)
		}
		plan, err := st.Plan(context.Background(), person, list[0].PlanID)
		if err != nil {
			t.Fatal(err)
		}
		gate, _ := planner.Gate(6, plan.Plan, cat)
		if len(list[0].Exercises) != len(gate.Plan.Exercises) || len(gate.Plan.Exercises) == 0 {
			t.Errorf("%d exercises offered, want the %d of the gate", len(list[0].Exercises), len(gate.Plan.Exercises))
		}
		for _, x := range list[0].Exercises {
			if e, err := cat.Get(x.ExerciseID); err != nil || !e.Gentle {
				t.Errorf("%s was offered at pain 6 and is not gentle", x.ExerciseID)
			}
		}
		t.Logf("plan %d exercises, %d gentle offered", len(plan.Plan.Exercises), len(gate.Plan.Exercises))
	})
}
