package tui

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

type checkinHarness struct {
	t   *testing.T
	m   *CheckinModel
	cmd tea.Cmd
}

func newCheckinHarness(t *testing.T, opt CheckinOptions) *checkinHarness {
	catchCuts(t)
	opt.Now = newFakeClock().Now
	h := &checkinHarness{t: t, m: NewCheckinModel(opt)}
	h.m.Init()
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return h
}

func (h *checkinHarness) send(msg tea.Msg) {
	h.t.Helper()
	_, h.cmd = h.m.Update(msg)
	content := h.m.View().Content
	checkFits(h.t, content, h.m.width, h.m.height)
	if !strings.Contains(stripANSI(content), "This is not a diagnosis.") {
		h.t.Errorf("no disclaimer:\n%s", stripANSI(content))
	}
}

func (h *checkinHarness) keys(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(press(k))
	}
}

func (h *checkinHarness) expect(want ...string) {
	h.t.Helper()
	s := stripANSI(h.m.View().Content)
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Errorf("the screen lacks %q:\n%s", w, s)
		}
	}
}

func (h *checkinHarness) quits() bool {
	if h.cmd == nil {
		return false
	}
	_, ok := h.cmd().(tea.QuitMsg)
	return ok
}

func TestCheckinQuick(t *testing.T) {
	// The everyday path: pain, no warning signs, no note — seven keys.
	h := newCheckinHarness(t, CheckinOptions{AskFlags: true})
	h.expect("How bad is your pain right now?", "Tue 24 Nov")
	h.keys("3", "enter")
	h.expect("Do you have any of these warning signs?", triage.FlagsAt(backcoach.UrgencyEmergency)[0].Question)
	h.keys("n")
	h.expect("And any of these?", checkinFlagsAt(backcoach.UrgencyUrgent)[0].Question)
	h.keys("n")
	h.expect("A note for today?")
	h.keys("enter")
	if !h.quits() {
		t.Fatal("the check-in did not end")
	}
	c, ok := h.m.Answers()
	if !ok || c.Pain != 3 || !c.FlagsAsked || len(c.Flags) != 0 || c.PEG != nil || c.Note != "" {
		t.Errorf("answers = %+v %v", c, ok)
	}
	e := c.Entry(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	if err := e.Validate(); err != nil {
		t.Error(err)
	}
}

func TestCheckinNoteAndPEG(t *testing.T) {
	h := newCheckinHarness(t, CheckinOptions{AskPEG: true})
	h.keys("5", "enter")
	h.expect("A note for today?")
	for _, r := range "slept badly" {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	h.expect("slept badly")
	h.keys("enter")
	h.expect("Weekly questions (1 of 3)")
	h.keys("6", "enter", "4", "enter")
	h.expect("Weekly questions (3 of 3)")
	h.keys("1", "1", "enter")
	h.expect("Type a whole number from 0 to 10")
	h.keys("backspace", "enter")
	if !h.quits() {
		t.Fatal("the check-in did not end")
	}
	c, ok := h.m.Answers()
	if !ok || c.FlagsAsked || c.Note != "slept badly" || c.PEG == nil || *c.PEG != (backcoach.PEG{Pain: 6, Enjoyment: 4, Activity: 1}) {
		t.Errorf("answers = %+v, PEG %+v", c, c.PEG)
	}
}

func TestCheckinWarningSigns(t *testing.T) {
	t.Run("an urgent sign", func(t *testing.T) {
		h := newCheckinHarness(t, CheckinOptions{AskFlags: true, AskPEG: true})
		h.keys("4", "enter", "n", "y")
		h.expect("Which ones?", "[ ]")
		h.keys("enter") // nothing marked: back to the question
		h.expect("And any of these?")
		h.keys("y", "down", "space")
		h.expect("[x]")
		h.keys("enter")
		h.expect(strings.ToUpper(triage.LevelOf(backcoach.UrgencyUrgent).Title))
		h.keys("enter")
		c, ok := h.m.Answers()
		urgent := checkinFlagsAt(backcoach.UrgencyUrgent)[1].ID
		if !ok || !c.FlagsAsked || len(c.Flags) != 1 || c.Flags[0] != urgent || c.Result.ExerciseAllowed || c.PEG != nil {
			t.Errorf("answers = %+v", c)
		}
	})
	t.Run("an emergency sign stops the questions", func(t *testing.T) {
		h := newCheckinHarness(t, CheckinOptions{AskFlags: true})
		h.keys("7", "enter", "y", "space", "enter")
		h.expect(strings.ToUpper(triage.LevelOf(backcoach.UrgencyEmergency).Title), "Call the emergency number")
		h.keys("enter")
		c, _ := h.m.Answers()
		if c.Result == nil || c.Result.Urgency != backcoach.UrgencyEmergency || c.Flags[0] != "chest_pain" {
			t.Errorf("answers = %+v", c)
		}
	})
	t.Run("the list scrolls on a small screen", func(t *testing.T) {
		h := newCheckinHarness(t, CheckinOptions{AskFlags: true})
		h.send(tea.WindowSizeMsg{Width: 60, Height: 14})
		h.keys("4", "enter", "n", "y")
		last := checkinFlagsAt(backcoach.UrgencyUrgent)
		for range last[1:] {
			h.keys("down")
		}
		h.expect("▸ [ ]", last[len(last)-1].Question[:20])
	})
}

// A check-in asks the signs that can newly appear, and none of the history
// signs the assessment asks (docs/clinical.md §6).
func TestCheckinAsksNoHistorySign(t *testing.T) {
	var history []triage.Flag
	for _, f := range triage.Flags() {
		if f.History {
			history = append(history, f)
		}
	}
	if len(history) == 0 {
		t.Fatal("no history signs in the content")
	}
	urgent := checkinFlagsAt(backcoach.UrgencyUrgent)
	lastUrgent := urgent[len(urgent)-1]

	h := newCheckinHarness(t, CheckinOptions{AskFlags: true})
	h.send(tea.WindowSizeMsg{Width: 200, Height: 60})
	h.keys("4", "enter", "n")
	h.expect("And any of these?", lastUrgent.Question)
	for _, f := range history {
		if strings.Contains(stripANSI(h.m.View().Content), f.Question) {
			t.Errorf("the check-in asks %s", f.ID)
		}
	}
	h.keys("y")
	for range urgent[1:] {
		h.keys("down")
	}
	h.keys("space", "enter")
	if c := h.m.ans; !slices.Equal(c.Flags, []string{lastUrgent.ID}) {
		t.Errorf("the last sign marked is %v, want %s", c.Flags, lastUrgent.ID)
	}

	var out bytes.Buffer
	in := fmt.Sprintf("4\nn\ny\n%d\n", len(urgent))
	c, err := RunPlainCheckin(strings.NewReader(in), &out, CheckinOptions{AskFlags: true})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, f := range history {
		if strings.Contains(out.String(), f.Question[:25]) {
			t.Errorf("the plain check-in asks %s", f.ID)
		}
	}
	if !slices.Equal(c.Flags, []string{lastUrgent.ID}) {
		t.Errorf("the last number picks %v, want %s", c.Flags, lastUrgent.ID)
	}
}

func TestCheckinCancel(t *testing.T) {
	h := newCheckinHarness(t, CheckinOptions{})
	h.keys("4", "esc")
	if !h.quits() {
		t.Fatal("Esc did not end the check-in")
	}
	if _, ok := h.m.Answers(); ok {
		t.Error("a cancelled check-in gave answers")
	}
}

func TestPlainCheckin(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opt   CheckinOptions
		check func(t *testing.T, c Checkin, out string)
	}{
		{"quick", "3\nn\nn\n\n", CheckinOptions{AskFlags: true}, func(t *testing.T, c Checkin, out string) {
			if c.Pain != 3 || !c.FlagsAsked || c.Note != "" {
				t.Errorf("checkin = %+v", c)
			}
		}},
		{"re-asks a bad number", "eleven\n11\n2\nstiff after work\n", CheckinOptions{}, func(t *testing.T, c Checkin, out string) {
			if c.Pain != 2 || c.Note != "stiff after work" || c.FlagsAsked {
				t.Errorf("checkin = %+v", c)
			}
			if strings.Count(out, "please type a whole number") != 2 {
				t.Errorf("output:\n%s", out)
			}
		}},
		{"PEG", "4\n\n5\n6\n7\n", CheckinOptions{AskPEG: true}, func(t *testing.T, c Checkin, out string) {
			if c.PEG == nil || *c.PEG != (backcoach.PEG{Pain: 5, Enjoyment: 6, Activity: 7}) {
				t.Errorf("PEG = %+v", c.PEG)
			}
		}},
		{"emergency", "6\ny\n1 3\n", CheckinOptions{AskFlags: true}, func(t *testing.T, c Checkin, out string) {
			if c.Result == nil || c.Result.Urgency != backcoach.UrgencyEmergency || len(c.Flags) != 2 {
				t.Errorf("checkin = %+v", c)
			}
			if !strings.Contains(out, "CALL") || !strings.Contains(out, "This is not a diagnosis.") {
				t.Errorf("output:\n%s", out)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			c, err := RunPlainCheckin(strings.NewReader(tt.input), &out, tt.opt)
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			tt.check(t, c, out.String())
		})
	}
	if _, err := RunPlainCheckin(strings.NewReader("4\n"), &bytes.Buffer{}, CheckinOptions{AskFlags: true}); err == nil || !strings.Contains(err.Error(), "nothing was saved") {
		t.Errorf("input ending early: %v", err)
	}
}
