package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/termpic"
	"github.com/backcoach/backcoach/triage"
)

// press makes the message of a key press, named as KeyPressMsg.String
// names it.
func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// picture draws a real illustration from the catalog.
func picture(id string, w, h int) (string, error) {
	svg, err := testCatalog.SVG(id)
	if err != nil {
		return "", err
	}
	return termpic.Render(svg, termpic.Options{Width: w, Height: h, Props: true})
}

// sessionHarness drives a SessionModel with an injected clock.
type sessionHarness struct {
	t   *testing.T
	m   *SessionModel
	clk *fakeClock
	cmd tea.Cmd
}

// catchCuts makes every line the layout had to cut a test failure.
func catchCuts(t *testing.T) {
	onCut = func(line string, width int) {
		t.Errorf("a line of %d cells was cut to %d: %q", lipgloss.Width(line), width, stripANSI(line))
	}
	t.Cleanup(func() { onCut = nil })
}

func newSessionHarness(t *testing.T, items []guide.Item, w, h int) *sessionHarness {
	catchCuts(t)
	clk := newFakeClock()
	m := NewSessionModel(newGuide(t, items, 1), SessionOptions{Now: clk.Now, Scale: 1e9, Picture: picture, Notices: []string{"Your dose steps up one notch today."}})
	hs := &sessionHarness{t: t, m: m, clk: clk}
	hs.cmd = m.Init()
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

func (hs *sessionHarness) send(msg tea.Msg) {
	hs.t.Helper()
	_, hs.cmd = hs.m.Update(msg)
	hs.checkScreen()
}

func (hs *sessionHarness) keys(keys ...string) {
	hs.t.Helper()
	for _, k := range keys {
		hs.send(press(k))
	}
}

// wait lets session time pass, a tick a second, as the program would.
func (hs *sessionHarness) wait(d time.Duration) {
	hs.t.Helper()
	for ; d > 0; d -= time.Second {
		hs.clk.tick(time.Second)
		hs.send(tickMsg{})
	}
}

func (hs *sessionHarness) screen() string { return stripANSI(hs.m.View().Content) }

var ansiSequence = regexp.MustCompile(`\x1b\[[0-9;:?]*[A-Za-z]`)

// stripANSI removes the styling escape sequences, leaving the text.
func stripANSI(s string) string { return ansiSequence.ReplaceAllString(s, "") }

// checkScreen checks what every screen must be: within the window, with
// the disclaimer.
func (hs *sessionHarness) checkScreen() {
	hs.t.Helper()
	v := hs.m.View()
	if !v.AltScreen {
		hs.t.Error("the session does not use the full screen")
	}
	checkFits(hs.t, v.Content, hs.m.width, hs.m.height)
	if !strings.Contains(strings.ReplaceAll(v.Content, "\n", " "), "This is not a diagnosis.") {
		hs.t.Errorf("the screen lacks the disclaimer:\n%s", v.Content)
	}
}

func checkFits(t *testing.T, content string, w, h int) {
	t.Helper()
	lines := strings.Split(content, "\n")
	if len(lines) > h {
		t.Errorf("%d lines on a screen of %d:\n%s", len(lines), h, content)
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			t.Errorf("line %d is %d wide on a screen of %d: %q", i, lipgloss.Width(l), w, l)
		}
	}
}

func (hs *sessionHarness) expect(want ...string) {
	hs.t.Helper()
	s := hs.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			hs.t.Errorf("the screen lacks %q:\n%s", w, s)
		}
	}
}

func (hs *sessionHarness) ticking() bool { return hs.m.ticking }

func TestSessionModelWalkThrough(t *testing.T) {
	hs := newSessionHarness(t, testItems(t), 80, 24)
	hs.expect("How bad is your pain right now", "dose steps up", "0–10 then Enter")
	hs.keys("1", "2", "enter")
	hs.expect("Type a whole number from 0 to 10")
	hs.keys("backspace", "backspace", "4", "enter")
	hs.expect("1 of 4 · Child's pose", "1. ", "Enter start", "s skip", "q quit", "! pain spreading")
	if hs.ticking() {
		t.Error("a tick was asked for while waiting for a key")
	}
	hs.keys("enter")
	hs.expect("Get into position · 0:05")
	if !hs.ticking() || hs.cmd == nil {
		t.Fatal("no tick was asked for while a timer runs")
	}
	hs.wait(5 * time.Second)
	hs.expect("Hold · 0:20", "set 1 of 2", "space pause")
	hs.wait(3 * time.Second)
	hs.expect("Hold · 0:17")

	// Pause: the timer stops and nothing ticks any more.
	hs.keys("space")
	hs.expect("PAUSED", "space resume")
	hs.clk.tick(time.Second)
	hs.send(tickMsg{}) // the tick that was already on its way
	if hs.ticking() || hs.cmd != nil {
		t.Error("ticks go on while paused")
	}
	hs.clk.tick(5 * time.Minute)
	hs.keys("space")
	hs.expect("Hold · 0:17")
	if !hs.ticking() {
		t.Error("no tick after resuming")
	}

	// The hold ends with a bell and the next set comes up.
	hs.wait(17 * time.Second)
	hs.expect("Next set: get into position", "set 2 of 2")
	hs.wait(25 * time.Second)
	hs.expect("Rest · 0:15", "Next: Wall chest stretch")
	hs.keys("enter") // no need to wait for the rest
	hs.expect("2 of 4 · Wall chest stretch")

	// Side switch.
	hs.keys("enter")
	hs.wait(25 * time.Second)
	hs.expect("Now the other side", "other side")
	hs.wait(25 * time.Second)
	hs.expect("Rest")
	hs.keys("enter")

	// Skip, asking why.
	hs.expect("3 of 4 · Cat-cow")
	hs.keys("s")
	hs.expect("Why skip Cat-cow?", "1 too painful", "4 no time")
	hs.keys("esc")
	hs.expect("3 of 4 · Cat-cow")
	hs.keys("enter")
	hs.wait(5 * time.Second)
	hs.expect("Repetition 1 of 4", "▶ move into it")
	hs.wait(3 * time.Second)
	hs.expect("◀ come back")
	hs.keys("s", "2")
	hs.expect("4 of 4 · Shoulder rolls")
	if o := hs.m.Guide().Outcome(2); o.Outcome != backcoach.OutcomeStopped || o.Reason != guide.ReasonCannotDo {
		t.Errorf("cat-cow outcome = %+v", o)
	}
	hs.keys("enter")
	hs.wait(35 * time.Second)
	hs.expect("How bad is your pain now, after the session?")
	hs.keys("6", "enter")
	hs.expect("Session finished.", "3 done, 0 skipped, 1 stopped", "pain 4 → 6", "steps the dose down", "lighter")
	if strings.Contains(hs.screen(), "Well done") {
		t.Error("the end screen congratulates after pain rose by 2")
	}
	hs.keys("enter")
	if hs.cmd == nil {
		t.Fatal("Enter on the summary does not end the program")
	}
	if _, ok := hs.cmd().(tea.QuitMsg); !ok {
		t.Error("Enter on the summary does not quit")
	}
	rec, _ := hs.m.Guide().Record()
	if *rec.PainAfter != 6 || rec.Level != 1 || len(rec.Exercises) != 4 {
		t.Errorf("record = %+v", rec)
	}
}

// bellIn runs a command and reports whether it rings the bell; the ticks
// it holds are immediate, since the harness's time scale is huge.
func bellIn(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			if bellIn(c) {
				return true
			}
		}
	case tea.RawMsg:
		return msg.Msg == "\a"
	}
	return false
}

func TestSessionModelBell(t *testing.T) {
	hs := newSessionHarness(t, testItems(t)[:1], 80, 24)
	hs.keys("3", "enter", "enter")
	bells := 0
	for i := 0; i < 60; i++ {
		hs.clk.tick(time.Second)
		hs.send(tickMsg{})
		if bellIn(hs.cmd) {
			bells++
		}
	}
	if bells != 2 {
		t.Errorf("bells = %d, want one at the end of each of the 2 holds", bells)
	}
}

func TestSessionModelQuit(t *testing.T) {
	hs := newSessionHarness(t, testItems(t), 80, 24)
	hs.keys("5", "enter", "enter")
	hs.wait(8 * time.Second)
	hs.keys("q")
	hs.expect("Quit the session now?", "--resume")
	hs.keys("n")
	hs.expect("Hold")
	hs.keys("q", "y")
	if hs.m.Guide().Phase() != guide.PhaseQuit {
		t.Fatalf("phase = %v", hs.m.Guide().Phase())
	}
	if _, ok := hs.cmd().(tea.QuitMsg); !ok {
		t.Error("quitting does not end the program")
	}
	// Ctrl+C keeps what was done too.
	hs2 := newSessionHarness(t, testItems(t), 80, 24)
	hs2.keys("5", "enter", "ctrl+c")
	if hs2.m.Guide().Phase() != guide.PhaseQuit {
		t.Errorf("ctrl+c: phase %v", hs2.m.Guide().Phase())
	}
	if rec, ok := hs2.m.Guide().Record(); !ok || rec.PainBefore != 5 {
		t.Errorf("ctrl+c record = %+v %v", rec, ok)
	}
}

func TestSessionModelSymptoms(t *testing.T) {
	hs := newSessionHarness(t, testItems(t), 80, 24)
	hs.keys("2", "enter", "enter")
	hs.wait(7 * time.Second)
	hs.keys("!")
	first := triage.FlagsAt(backcoach.UrgencyEmergency)[0]
	hs.expect("Question 1 of", "y yes", "n no", first.Question[:30])
	hs.clk.tick(time.Second)
	hs.send(tickMsg{}) // the tick that was on its way
	if hs.ticking() || hs.cmd != nil {
		t.Error("ticks go on during the questions")
	}
	hs.keys("n", "n")
	hs.expect("Question 3 of")
	hs.keys("y")
	hs.expect(strings.ToUpper(triage.LevelOf(backcoach.UrgencyEmergency).Title), "ended and is saved")
	hs.keys("enter")
	if _, ok := hs.cmd().(tea.QuitMsg); !ok {
		t.Error("closing the warning screen does not end the program")
	}
	if hs.m.Guide().Phase() != guide.PhaseStopped {
		t.Errorf("phase = %v, want stopped", hs.m.Guide().Phase())
	}

	// No warning sign: the advice, then on to the next exercise.
	hs2 := newSessionHarness(t, testItems(t), 80, 24)
	hs2.keys("2", "enter", "x")
	for hs2.m.Guide().Phase() == guide.PhaseSymptoms {
		hs2.keys("n")
	}
	hs2.expect("None of the warning signs", "Enter go on", "e end the session")
	hs2.keys("enter")
	hs2.expect("1 of 4 · Child's pose")
}

func TestSessionModelResume(t *testing.T) {
	items := testItems(t)
	prior := &backcoach.Session{StartedAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), DurationSeconds: 80, PainBefore: 5,
		Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "childs-pose", Outcome: backcoach.OutcomeDone, Seconds: 50}}}
	clk := newFakeClock()
	m := NewSessionModel(resumeGuide(t, items, prior, clk.Now()), SessionOptions{Now: clk.Now})
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := m.View().Content; !strings.Contains(s, "2 of 4 · Wall chest stretch") || !strings.Contains(s, "session 1:20") {
		t.Errorf("resumed screen:\n%s", s)
	}
}

// TestSessionScreensFit draws every exercise of the catalog, shown and
// under way, at the smallest size and larger ones, and after a resize.
func TestSessionScreensFit(t *testing.T) {
	var items []guide.Item
	for _, e := range testCatalog.All() {
		p := backcoach.PlannedExercise{ID: e.ID, Name: e.Name, Sets: e.Dose.Sets.Max, Reps: e.Dose.Reps.Max, HoldSeconds: max(e.Dose.HoldSeconds.Max, 1), Sides: e.Dose.Sides, Tempo: e.Dose.Tempo,
			Changes: []string{"Move in a small range only, well short of any pain."}}
		items = append(items, guide.Item{Plan: p, Exercise: e})
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}, {200, 60}, {60, 20}} {
		hs := newSessionHarness(t, items, size[0], size[1])
		hs.keys("3", "enter")
		for i := range items {
			hs.expect(items[i].Plan.Name)
			hs.keys("enter")
			hs.wait(6 * time.Second) // under way
			hs.send(tea.WindowSizeMsg{Width: size[0] + 7, Height: size[1] + 3})
			hs.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			hs.keys("s", "4")
		}
		hs.expect("after the session")
	}
}

// colorSequence matches an SGR sequence that sets a colour (foreground,
// background, 256-colour or true colour).
var colorSequence = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)

func TestNoColor(t *testing.T) {
	for _, color := range []bool{false, true} {
		clk := newFakeClock()
		colored := func(id string, w, h int) (string, error) {
			svg, err := testCatalog.SVG(id)
			if err != nil {
				return "", err
			}
			return termpic.Render(svg, termpic.Options{Width: w, Height: h, Color: color, Props: true})
		}
		m := NewSessionModel(newGuide(t, testItems(t), 0), SessionOptions{Now: clk.Now, Color: color, Picture: colored})
		m.Init()
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		m.Update(press("4"))
		m.Update(press("enter"))
		s := m.View().Content
		if has := colorSequence.MatchString(s); has != color {
			t.Errorf("color %v: the screen has colour sequences: %v\n%q", color, has, s)
		}
		d := NewDiaryModel(diaryReports(t, true), 7, color)
		if has := colorSequence.MatchString(d.View().Content); has != color {
			t.Errorf("color %v: the diary has colour sequences: %v", color, has)
		}
	}
}

func TestScreensWithoutSize(t *testing.T) {
	// Before the terminal says its size, the screens assume 80×24.
	m := NewSessionModel(newGuide(t, testItems(t), 0), SessionOptions{Now: newFakeClock().Now})
	checkFits(t, m.View().Content, 80, 24)
	c := NewCheckinModel(CheckinOptions{})
	checkFits(t, c.View().Content, 80, 24)
}
