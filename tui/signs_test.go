package tui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func signsScreen(t *testing.T, m *SignsModel, keys ...string) string {
	t.Helper()
	for _, k := range keys {
		m.Update(press(k))
		s := m.View().Content
		checkFits(t, s, m.width, m.height)
		if !strings.Contains(stripANSI(s), "This is not a diagnosis.") {
			t.Errorf("no disclaimer:\n%s", stripANSI(s))
		}
	}
	return stripANSI(m.View().Content)
}

func newSigns(t *testing.T, opt SignsOptions) *SignsModel {
	catchCuts(t)
	m := NewSignsModel(opt)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

func TestSignsNoneOnBoth(t *testing.T) {
	m := newSigns(t, SignsOptions{})
	s := signsScreen(t, m)
	for _, w := range []string{"Do you have any of these right now?", "[ ] Do you have chest pain", "list 1 of 2"} {
		if !strings.Contains(s, w) {
			t.Errorf("the first list lacks %q:\n%s", w, s)
		}
	}
	// Enter with nothing ticked asks for an answer.
	if s = signsScreen(t, m, "enter"); !strings.Contains(s, `or "None of these"`) {
		t.Errorf("confirming nothing does not ask for an answer:\n%s", s)
	}
	// "None of these" is the last line; End goes to it.
	s = signsScreen(t, m, "end", "space")
	if !strings.Contains(s, "▸ [x] None of these") {
		t.Errorf("End and space did not tick none of these:\n%s", s)
	}
	s = signsScreen(t, m, "enter")
	if !strings.Contains(s, "Do any of these apply to you?") || !strings.Contains(s, "list 2 of 2") {
		t.Fatalf("the second list is not shown:\n%s", s)
	}
	signsScreen(t, m, "up", "space", "enter")
	flags, emergency, ok := m.Answers()
	if !ok || emergency || len(flags) != 0 {
		t.Errorf("answers = %v, %v, %v; want none, asked in full", flags, emergency, ok)
	}
}

func TestSignsEmergencyStops(t *testing.T) {
	m := newSigns(t, SignsOptions{})
	// Ticking "none" then a sign unticks "none", and the reverse.
	signsScreen(t, m, "end", "space", "home", "down", "space")
	if s := signsScreen(t, m); !strings.Contains(s, "[ ] None of these") {
		t.Errorf("a sign ticked leaves none of these ticked:\n%s", s)
	}
	signsScreen(t, m, "enter")
	flags, emergency, ok := m.Answers()
	if !ok || !emergency || !slices.Equal(flags, []string{"heart_attack_signs"}) {
		t.Errorf("answers = %v, %v, %v; want the emergency sign, cut short", flags, emergency, ok)
	}
}

func TestSignsClearedHistory(t *testing.T) {
	m := newSigns(t, SignsOptions{Cleared: []string{"cancer_history"}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 60})
	s := signsScreen(t, m, "end", "space", "enter")
	if !strings.Contains(s, "checked by your clinician: ticking it does not stop the check") {
		t.Errorf("the cleared history sign is not marked:\n%s", s)
	}
	// Esc cancels.
	signsScreen(t, m, "esc")
	if _, _, ok := m.Answers(); ok {
		t.Error("Esc did not cancel")
	}
}
