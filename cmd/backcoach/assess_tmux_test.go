package main

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/triage"
)

// TestEndToEndAssessChecklist runs `backcoach assess` in a real terminal:
// the warning signs are two checklists on a full screen (arrows, space to
// tick, Enter to confirm, "None of these"), the rest one question a line;
// an emergency sign stops at once; --plain asks the signs a line each.
func TestEndToEndAssessChecklist(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		testenv.Unavailable(t, "tmux", "tmux is not installed (Debian package tmux)")
	}
	bin := buildBinary(t)
	env := func(xdg string) []string {
		return []string{"TERM=xterm-256color", "NO_COLOR=1", "XDG_DATA_HOME=" + xdg}
	}

	t.Run("none of these", func(t *testing.T) {
		xdg := t.TempDir()
		tm := newTerminal(t, env(xdg), bin+" assess")
		tm.waitFor("Do you have any of these right now?")
		first := tm.screen()
		for _, want := range []string{"▸ [ ] Do you have chest pain", "[ ] None of these", "space tick", "Enter confirm", "This is not a diagnosis."} {
			if !strings.Contains(first, want) {
				t.Errorf("the emergency checklist lacks %q:\n%s", want, first)
			}
		}
		tm.keys("Enter")
		tm.waitFor(`or "None of these"`)
		tm.keys("End", "Space")
		tm.waitFor("▸ [x] None of these")
		tm.keys("Enter")
		tm.waitFor("Do any of these apply to you?")
		tm.keys("Up", "Space", "Enter")
		tm.waitFor("How old are you?")
		for _, step := range []struct{ prompt, answer string }{
			{"How old are you?", "40"},
			{"How bad is the pain right now?", "3"},
			{"Enter to skip", ""},
			{"How many weeks", "1"},
			{"Since it started", "1"},
			{"examined your back", "y"},
			{"Do any of these apply to you?", ""},
			{"What do you think brought it on?", "2"},
			{"How many minutes", ""},
			{"Where can you exercise today?", ""},
			{"What do you have?", ""},
			{"Build today's routine now?", "n"},
		} {
			tm.waitFor(step.prompt)
			if step.answer != "" {
				tm.keys("-l", step.answer)
			}
			tm.keys("Enter")
		}
		tm.waitFor("EXIT=0")
		st, person := openDB(t, xdg+"/backcoach/backcoach.db")
		list, err := st.Assessments(context.Background(), person, backcoach.Filter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("assessments = %d, %v", len(list), err)
		}
		if a := list[0].Answers; len(a.Flags) != 0 || a.Age != 40 || a.PainNow != 3 || len(a.Causes) != 1 {
			t.Errorf("the assessment kept %+v", a)
		}
	})

	t.Run("emergency", func(t *testing.T) {
		xdg := t.TempDir()
		tm := newTerminal(t, env(xdg), bin+" assess")
		tm.waitFor("Do you have any of these right now?")
		tm.keys("Down", "Space")
		tm.waitFor("▸ [x] Does the pain spread")
		tm.keys("Enter")
		tm.waitFor("EXIT=0")
		s := tm.screen()
		if !strings.Contains(strings.ToUpper(s), strings.ToUpper(triage.LevelOf(backcoach.UrgencyEmergency).Title)) || strings.Contains(s, "How old are you?") {
			t.Errorf("after an emergency sign:\n%s", s)
		}
		st, person := openDB(t, xdg+"/backcoach/backcoach.db")
		rec, err := st.SafetyRecord(context.Background(), person)
		if err != nil || len(rec.Screens) != 1 {
			t.Fatalf("safety screens = %+v, %v", rec, err)
		}
		if sc := rec.Screens[0]; !slices.Equal(sc.Signs, []string{"heart_attack_signs"}) || sc.Complete || sc.Via != backcoach.ViaTerminal {
			t.Errorf("the screen kept is %+v, want the emergency sign, cut short, from the terminal", sc)
		}
	})

	t.Run("plain", func(t *testing.T) {
		xdg := t.TempDir()
		tm := newTerminal(t, env(xdg), bin+" assess --plain")
		tm.waitFor("[y/n]")
		if s := tm.screen(); strings.Contains(s, "None of these") || !strings.Contains(s, "Do you have chest pain") {
			t.Errorf("--plain does not ask one sign a line:\n%s", s)
		}
		tm.keys("y", "Enter")
		tm.waitFor("EXIT=0")
	})
}
