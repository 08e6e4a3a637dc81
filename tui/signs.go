package tui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// The safety check's warning signs on a full screen, as the web asks
// them (docs/clinical.md §3): two checklists, the emergency signs first,
// then the others, each with "None of these". Space ticks, Enter
// confirms; an emergency sign ends the checklists at once.

// SignsOptions say how the checklists are drawn.
type SignsOptions struct {
	Color bool
	// Cleared are the history signs a clinician has cleared: they are
	// marked so, and do not stop the check.
	Cleared []string
}

// SignsModel is the screen of the warning-sign checklists.
type SignsModel struct {
	opt    SignsOptions
	st     styles
	width  int
	height int
	page   int // index into flagPages
	cursor int // the line under the pointer; len(signs) is "None of these"
	picked map[string]bool
	none   [2]bool
	err    string
	done   bool
	cancel bool
	// emergency is set when the check ended at an emergency sign.
	emergency bool
}

// NewSignsModel makes the checklists.
func NewSignsModel(opt SignsOptions) *SignsModel {
	return &SignsModel{opt: opt, st: newStyles(opt.Color), width: defaultWidth, height: defaultHeight, picked: map[string]bool{}}
}

// Answers returns the signs ticked, in the list's order, whether the
// check ended at an emergency sign (the other list was not asked), and
// false when it was cancelled.
func (m *SignsModel) Answers() (flags []string, emergency, ok bool) {
	flags = []string{}
	for _, f := range triage.Flags() {
		if m.picked[f.ID] {
			flags = append(flags, f.ID)
		}
	}
	return flags, m.emergency, m.done && !m.cancel
}

// Init does nothing: the screen waits for keys.
func (m *SignsModel) Init() tea.Cmd { return nil }

func (m *SignsModel) signs() []triage.Flag { return triage.FlagsAt(flagPages[m.page]) }

// Update handles keys and resizes.
func (m *SignsModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		m.key(msg.String())
		if m.done {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *SignsModel) key(k string) {
	signs := m.signs()
	lines := len(signs) + 1
	switch k {
	case "ctrl+c", "esc", "q":
		m.cancel, m.done = true, true
	case "up", "k", "shift+tab":
		m.cursor = (m.cursor + lines - 1) % lines
	case "down", "j", "tab":
		m.cursor = (m.cursor + 1) % lines
	case "home", "g":
		m.cursor = 0
	case "end", "G":
		m.cursor = lines - 1
	case "space", "x":
		m.toggle(signs)
	case "backspace", "left":
		if m.page > 0 {
			m.page, m.cursor, m.err = m.page-1, 0, ""
		}
	case "enter":
		m.confirm(signs)
	}
}

// toggle ticks or unticks the line under the pointer; "None of these"
// and the signs exclude each other.
func (m *SignsModel) toggle(signs []triage.Flag) {
	m.err = ""
	if m.cursor == len(signs) {
		m.none[m.page] = !m.none[m.page]
		if m.none[m.page] {
			for _, f := range signs {
				delete(m.picked, f.ID)
			}
		}
		return
	}
	id := signs[m.cursor].ID
	m.picked[id] = !m.picked[id]
	if m.picked[id] {
		m.none[m.page] = false
	}
}

// confirm ends one list: an emergency sign ends the check at once; the
// second list ends it.
func (m *SignsModel) confirm(signs []triage.Flag) {
	ticked := slices.ContainsFunc(signs, func(f triage.Flag) bool { return m.picked[f.ID] })
	if !ticked && !m.none[m.page] {
		m.err = "Tick each sign you have, or \"None of these\" if you have none of them."
		return
	}
	m.err = ""
	if ticked && flagPages[m.page] == backcoach.UrgencyEmergency {
		m.emergency, m.done = true, true
		return
	}
	if m.page+1 < len(flagPages) {
		m.page, m.cursor = m.page+1, 0
		return
	}
	m.done = true
}

// View draws the checklist.
func (m *SignsModel) View() tea.View {
	return tea.NewView(m.render())
}

func (m *SignsModel) render() string {
	w, h := max(m.width, 20), max(m.height, 8)
	header := []string{m.st.titleBar("Safety check", fmt.Sprintf("list %d of %d", m.page+1, len(flagPages)), w), ""}
	kicker, question := "Warning signs that need help now", "Do you have any of these right now?"
	if flagPages[m.page] != backcoach.UrgencyEmergency {
		kicker, question = "Warning signs that need a doctor", "Do any of these apply to you?"
	}
	top := []string{m.st.dim.Render(kicker), m.st.bold.Render(question)}
	signs := m.signs()
	var items [][]string
	for i, f := range signs {
		text := f.Question
		if slices.Contains(m.opt.Cleared, f.ID) {
			text += " (Already checked by your clinician: ticking it does not stop the check.)"
		}
		items = append(items, prefixed(m.pointer(i)+box(m.picked[f.ID]), text, w))
	}
	items = append(items, prefixed(m.pointer(len(signs))+box(m.none[m.page]), "None of these", w))
	footer := []string{""}
	if m.err != "" {
		footer = append(wrap(m.st.alert.Render(m.err), w, ""), footer...)
	}
	keys := []string{"↑/↓", "move", "space", "tick", "Enter", "confirm", "Esc", "cancel"}
	if m.page > 0 {
		keys = append(keys, "Backspace", "first list")
	}
	footer = append(append(footer, m.st.keys(w, keys...)...), m.st.disclaimer(w)...)
	room := h - len(header) - len(top) - len(footer)
	list := visibleAround(items, m.cursor, max(room, 1))
	return layout(header, []section{{lines: top}, {lines: list}}, footer, w, h)
}

func (m *SignsModel) pointer(i int) string {
	if i == m.cursor {
		return m.st.key.Render("▸ ")
	}
	return "  "
}

func box(on bool) string {
	if on {
		return "[x] "
	}
	return "[ ] "
}
