package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/triage"
)

// TestCheckinListSaysMoreIsBelow checks that a list of warning signs too
// long for the screen says how many are below and above.
func TestCheckinListSaysMoreIsBelow(t *testing.T) {
	below, above := regexp.MustCompile(`↓ [0-9]+ more`), regexp.MustCompile(`↑ [0-9]+ more`)
	h := newCheckinHarness(t, CheckinOptions{AskFlags: true})
	h.send(tea.WindowSizeMsg{Width: 60, Height: 16})
	h.keys("4", "enter", "n", "y") // the urgent list
	list := checkinFlagsAt(backcoach.UrgencyUrgent)
	h.expect(" more")
	if s := stripANSI(h.m.View().Content); !below.MatchString(s) || above.MatchString(s) {
		t.Errorf("the top of the list does not say (only) that more is below:\n%s", s)
	}
	for range list[1:] {
		h.keys("down")
	}
	h.expect("▸ [ ]")
	if s := stripANSI(h.m.View().Content); below.MatchString(s) || !above.MatchString(s) {
		t.Errorf("the end of the list does not say (only) that more is above:\n%s", s)
	}
	// On a tall screen the whole list shows, with no hint.
	h.send(tea.WindowSizeMsg{Width: 100, Height: 60})
	if s := stripANSI(h.m.View().Content); below.MatchString(s) || above.MatchString(s) {
		t.Errorf("a list that fits says more is hidden:\n%s", s)
	}
}

// TestCheckinPEGShowsItsOwnScale checks that each weekly question shows
// the words of its own scale, not the pain scale's.
func TestCheckinPEGShowsItsOwnScale(t *testing.T) {
	h := newCheckinHarness(t, CheckinOptions{AskPEG: true})
	h.keys("5", "enter", "enter")
	for i, field := range []string{"peg.pain", "peg.enjoyment", "peg.activity"} {
		q := triage.Ask(field)
		h.expect(q.Text[:30], "0 "+q.Scale.Low+" · 10 "+q.Scale.High)
		if i > 0 {
			if s := stripANSI(h.m.View().Content); strings.Contains(s, "worst imaginable") || strings.Contains(s, "moderate") {
				t.Errorf("%s shows the pain scale:\n%s", field, s)
			}
		}
		h.keys("3", "enter")
	}
	if !strings.Contains(PEGQuestions()[1], "(0 not at all, 10 completely)") {
		t.Errorf("the plain question: %q", PEGQuestions()[1])
	}
}

// TestSessionHelpKey checks that '?' lists every key of the session,
// that a running timer waits meanwhile, and that any key goes back.
func TestSessionHelpKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		hs := newSessionHarness(t, testItems(t), size[0], size[1])
		hs.expect("? keys")
		hs.keys("3", "enter") // pain before
		hs.keys("enter")      // start the first exercise
		hs.wait(3 * time.Second)
		if !hs.m.g.Running() || hs.m.g.Paused() {
			t.Fatal("the timer does not run")
		}
		left := hs.m.g.Left()
		hs.keys("?")
		hs.expect("Keys", "pause or resume the timer", "skip this exercise", "stop and check", "The timer is paused", "any key")
		hs.wait(5 * time.Second)
		if hs.m.g.Left() != left {
			t.Errorf("the timer ran on behind the list of keys: %v left, was %v", hs.m.g.Left(), left)
		}
		hs.keys("q") // any key closes the list; q does not quit from it
		if hs.m.help || hs.m.g.Paused() || hs.m.g.Phase() == guide.PhaseConfirmQuit {
			t.Errorf("after closing the list: help %v, paused %v, phase %v", hs.m.help, hs.m.g.Paused(), hs.m.g.Phase())
		}
		hs.expect("? keys")
		// Opened while paused, the list leaves the timer paused.
		hs.keys("space", "?", "enter")
		if !hs.m.g.Paused() {
			t.Error("closing the list resumed a timer the person had paused")
		}
	}
}
