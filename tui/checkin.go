package tui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// CheckinOptions say what today's check-in asks besides pain and a note.
type CheckinOptions struct {
	// AskFlags asks "any of these warning signs?": once a day.
	AskFlags bool
	// AskPEG asks the three PEG questions: once a week.
	AskPEG bool
	Color  bool
	// Now is the clock for the date shown; time.Now when nil.
	Now func() time.Time
}

// Checkin is what a person answered at a check-in.
type Checkin struct {
	Pain       int
	FlagsAsked bool
	Flags      []string
	Note       string
	PEG        *backcoach.PEG
	// Result is the outcome of the warning signs answered yes, if any.
	Result *backcoach.Result
}

// Entry returns the diary entry to store, at the given time.
func (c Checkin) Entry(at time.Time) backcoach.DiaryEntry {
	flags := append([]string{}, c.Flags...)
	return backcoach.DiaryEntry{At: at, Pain: c.Pain, Note: strings.TrimSpace(c.Note), FlagsAsked: c.FlagsAsked, Flags: flags, PEG: c.PEG}
}

// setFlags records the warning signs answered yes and what they mean.
func (c *Checkin) setFlags(ids []string) {
	c.FlagsAsked = true
	c.Flags = append([]string{}, ids...)
	if len(ids) > 0 {
		res := triage.Assess(&backcoach.Answers{Flags: c.Flags})
		c.Result = &res
	}
}

// pegItems are the three PEG items, as the assessment's questions word
// them (triage/questions.json), in the order of backcoach.PEG's fields;
// each has the words of its own scale.
// They are looked up when first asked, not at start-up.
var pegItems = sync.OnceValue(func() []triage.Question {
	return []triage.Question{triage.Ask("peg.pain"), triage.Ask("peg.enjoyment"), triage.Ask("peg.activity")}
})

// PEGQuestions are the three PEG items as one line each, with what 0 and
// 10 mean: "… on average? (0 no pain, 10 the worst pain you can imagine)".
func PEGQuestions() []string {
	items := pegItems()
	out := make([]string, len(items))
	for i, q := range items {
		out[i] = fmt.Sprintf("%s (0 %s, 10 %s)", q.Text, q.Scale.Low, q.Scale.High)
	}
	return out
}

// pegScaleWords are the words under the field of a PEG item.
func pegScaleWords(q triage.Question) string {
	return "0 " + q.Scale.Low + " · 10 " + q.Scale.High
}

// setPEG stores one PEG answer, by its number.
func (c *Checkin) setPEG(item, v int) {
	if c.PEG == nil {
		c.PEG = &backcoach.PEG{}
	}
	switch item {
	case 0:
		c.PEG.Pain = v
	case 1:
		c.PEG.Enjoyment = v
	default:
		c.PEG.Activity = v
	}
}

// checkinStep is where the check-in screen is.
type checkinStep int

const (
	stepPain    checkinStep = iota
	stepFlags               // "any of these?" for one level's list
	stepPick                // which of them
	stepWarning             // what a warning sign means
	stepNote
	stepPEG
	stepDone
)

// flagPages are the two lists asked, the most urgent first.
var flagPages = []backcoach.Urgency{backcoach.UrgencyEmergency, backcoach.UrgencyUrgent}

// checkinFlagsAt returns the signs of one level that a check-in asks: those
// that can newly appear, not the history signs of the assessment
// (docs/clinical.md §6).
func checkinFlagsAt(level backcoach.Urgency) []triage.Flag {
	var out []triage.Flag
	for _, f := range triage.CheckInFlags() {
		if f.Urgency == level {
			out = append(out, f)
		}
	}
	return out
}

// CheckinModel is the daily check-in screen: pain now, the warning signs
// once a day, a note and the weekly PEG; a few keys when all is well.
type CheckinModel struct {
	opt    CheckinOptions
	st     styles
	width  int
	height int
	step   checkinStep
	field  numberField
	note   textinput.Model
	page   int
	cursor int
	picked map[string]bool
	peg    int
	ans    Checkin
	// Cancelled is set when the person left without saving.
	cancelled bool
}

// NewCheckinModel makes the check-in screen.
func NewCheckinModel(opt CheckinOptions) *CheckinModel {
	ti := textinput.New()
	ti.Placeholder = "optional: what you did, how you slept… Enter to finish"
	ti.CharLimit = backcoach.MaxNoteRunes
	s := ti.Styles()
	s.Cursor.Blink = false // a blinking cursor would redraw twice a second
	ti.SetStyles(s)
	ti.Prompt = "> "
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &CheckinModel{opt: opt, st: newStyles(opt.Color), width: defaultWidth, height: defaultHeight, note: ti, picked: map[string]bool{}}
}

// Answers returns what was answered, and false when the check-in was left
// before pain was given or was cancelled.
func (m *CheckinModel) Answers() (Checkin, bool) {
	return m.ans, m.step == stepDone && !m.cancelled
}

// Init does nothing: the screen waits for keys.
func (m *CheckinModel) Init() tea.Cmd { return nil }

// Update handles keys and resizes.
func (m *CheckinModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.note.SetWidth(max(10, msg.Width-4))
		return m, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" || (msg.String() == "esc" && m.step != stepPick) {
			m.cancelled, m.step = true, stepDone
			return m, tea.Quit
		}
		cmd := m.key(msg)
		if m.step == stepDone {
			return m, tea.Quit
		}
		return m, cmd
	case tea.PasteMsg:
		if m.step == stepNote {
			var cmd tea.Cmd
			m.note, cmd = m.note.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

func (m *CheckinModel) key(k tea.KeyPressMsg) tea.Cmd {
	switch m.step {
	case stepPain:
		if n, ok := m.field.update(k); ok {
			m.ans.Pain = n
			m.field.reset()
			m.afterPain()
		}
	case stepFlags:
		m.flagsKey(k.String())
	case stepPick:
		m.pickKey(k.String())
	case stepWarning:
		if k.String() == "enter" {
			m.step = stepDone
		}
	case stepNote:
		if k.String() == "enter" {
			m.ans.Note = m.note.Value()
			m.afterNote()
			return nil
		}
		var cmd tea.Cmd
		m.note, cmd = m.note.Update(k)
		return cmd
	case stepPEG:
		if n, ok := m.field.update(k); ok {
			m.ans.setPEG(m.peg, n)
			m.field.reset()
			m.peg++
			if m.peg == len(pegItems()) {
				m.step = stepDone
			}
		}
	}
	return nil
}

func (m *CheckinModel) afterPain() {
	if m.opt.AskFlags {
		m.step, m.page = stepFlags, 0
		return
	}
	m.toNote()
}

func (m *CheckinModel) toNote() {
	m.step = stepNote
	m.note.Focus()
}

func (m *CheckinModel) afterNote() {
	m.note.Blur()
	if m.opt.AskPEG {
		m.step, m.peg = stepPEG, 0
		return
	}
	m.step = stepDone
}

func (m *CheckinModel) flagsKey(s string) {
	switch s {
	case "y":
		m.step, m.cursor = stepPick, 0
	case "n":
		m.nextPage()
	}
}

// nextPage moves on after a list without a yes: to the next list, or, at
// the end, to the note with no warning sign recorded.
func (m *CheckinModel) nextPage() {
	m.page++
	if m.page < len(flagPages) {
		m.step = stepFlags
		return
	}
	m.ans.setFlags(m.pickedIDs())
	if m.ans.Result != nil {
		m.step = stepWarning
		return
	}
	m.toNote()
}

func (m *CheckinModel) pickedIDs() []string {
	ids := []string{}
	for _, f := range triage.Flags() {
		if m.picked[f.ID] {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

func (m *CheckinModel) pickKey(s string) {
	flags := checkinFlagsAt(flagPages[m.page])
	switch s {
	case "up", "k":
		m.cursor = (m.cursor + len(flags) - 1) % len(flags)
	case "down", "j", "tab":
		m.cursor = (m.cursor + 1) % len(flags)
	case "space", "x":
		id := flags[m.cursor].ID
		m.picked[id] = !m.picked[id]
	case "esc":
		m.step = stepFlags
	case "enter":
		m.confirmPicks(flags)
	}
}

// confirmPicks ends the choice on one list. An emergency sign ends the
// check-in's questions at once: what to do now comes first.
func (m *CheckinModel) confirmPicks(flags []triage.Flag) {
	any := false
	for _, f := range flags {
		any = any || m.picked[f.ID]
	}
	if !any {
		m.step = stepFlags
		return
	}
	if flagPages[m.page] == backcoach.UrgencyEmergency {
		m.ans.setFlags(m.pickedIDs())
		m.step = stepWarning
		return
	}
	m.nextPage()
}

// View draws the check-in.
func (m *CheckinModel) View() tea.View {
	return tea.NewView(m.render())
}

func (m *CheckinModel) render() string {
	w, h := max(m.width, 20), max(m.height, 8)
	header := []string{m.st.titleBar("Daily check-in", m.opt.Now().Format("Mon 2 Jan"), w), ""}
	var secs []section
	var keys []string
	switch m.step {
	case stepPain:
		secs = append(secs, section{lines: append([]string{"How bad is your pain right now?"}, m.field.view(m.st, w)...)})
		keys = []string{"0–10 then Enter", "answer", "Esc", "cancel"}
	case stepFlags:
		secs, keys = m.flagsView(w)
	case stepPick:
		secs, keys = m.pickView(w, h-len(header)-5)
	case stepWarning:
		secs, keys = m.warningView(w), []string{"Enter", "save and close"}
	case stepNote:
		secs = append(secs, section{lines: []string{"A note for today?", m.note.View()}})
		keys = []string{"Enter", "save the note (or none)", "Esc", "cancel"}
	case stepPEG:
		item := pegItems()[m.peg]
		q := fmt.Sprintf("Weekly questions (%d of %d): %s", m.peg+1, len(pegItems()), item.Text)
		secs = append(secs, section{lines: append(wrap(q, w, ""), m.field.viewScale(m.st, w, pegScaleWords(item))...)})
		keys = []string{"0–10 then Enter", "answer", "Esc", "cancel"}
	case stepDone:
		secs = append(secs, section{lines: []string{"Saving…"}})
	}
	footer := append(append([]string{""}, m.st.keys(w, keys...)...), m.st.disclaimer(w)...)
	return layout(header, secs, footer, w, h)
}

func (m *CheckinModel) flagsView(w int) ([]section, []string) {
	level := flagPages[m.page]
	intro := "Do you have any of these warning signs?"
	if m.page > 0 {
		intro = "And any of these?"
	}
	lines := []string{m.st.bold.Render(intro)}
	for _, f := range checkinFlagsAt(level) {
		lines = append(lines, prefixed("• ", f.Question, w)...)
	}
	return []section{{lines: lines}}, []string{"y", "yes, one or more", "n", "none of these", "Esc", "cancel"}
}

// pickView lists one level's warning signs with boxes to mark; when they
// do not all fit in room lines, it shows the part around the cursor.
func (m *CheckinModel) pickView(w, room int) ([]section, []string) {
	var items [][]string
	for i, f := range checkinFlagsAt(flagPages[m.page]) {
		box := "[ ] "
		if m.picked[f.ID] {
			box = "[x] "
		}
		pointer := "  "
		if i == m.cursor {
			pointer = m.st.key.Render("▸ ")
		}
		items = append(items, prefixed(pointer+box, f.Question, w))
	}
	lines := []string{m.st.bold.Render("Which ones? Mark each that applies.")}
	lines = append(lines, scrolledList(m.st, items, m.cursor, room)...)
	return []section{{lines: lines}}, []string{"↑/↓", "move", "space", "mark", "Enter", "done", "Esc", "back"}
}

// scrolledList shows the items that fit in room lines around the cursor,
// with a line that says so when some are above ("↑ 2 more") or below
// ("↓ 3 more").
func scrolledList(st styles, items [][]string, cursor, room int) []string {
	total := 0
	for _, it := range items {
		total += len(it)
	}
	if total <= room {
		return visibleAround(items, cursor, room)
	}
	first, end := windowAround(items, cursor, max(1, room-2))
	var out []string
	if first > 0 {
		out = append(out, st.dim.Render(fmt.Sprintf("  ↑ %d more", first)))
	}
	for _, it := range items[first:end] {
		out = append(out, it...)
	}
	if end < len(items) {
		out = append(out, st.dim.Render(fmt.Sprintf("  ↓ %d more", len(items)-end)))
	}
	return out
}

// visibleAround returns the lines of as many items as fit in room lines,
// starting early enough that the item at cursor is among them.
func visibleAround(items [][]string, cursor, room int) []string {
	first, end := windowAround(items, cursor, room)
	var out []string
	for _, it := range items[first:end] {
		out = append(out, it...)
	}
	return out
}

// windowAround picks the items [first, end) that fit in room lines,
// starting early enough that the item at cursor is among them.
func windowAround(items [][]string, cursor, room int) (first, end int) {
	for {
		n := 0
		for i := first; i <= cursor; i++ {
			n += len(items[i])
		}
		if n <= room || first == cursor {
			break
		}
		first++
	}
	lines := 0
	for end = first; end < len(items); end++ {
		if lines+len(items[end]) > room && end > cursor {
			break
		}
		lines += len(items[end])
	}
	return first, end
}

// warningView says what the warning signs answered yes mean.
func (m *CheckinModel) warningView(w int) []section {
	res := m.ans.Result
	level := triage.LevelOf(res.Urgency)
	lines := []string{m.st.alert.Render(strings.ToUpper(level.Title)), ""}
	for _, a := range res.Advice {
		lines = append(lines, prefixed("• ", a, w)...)
	}
	more := append([]string{""}, wrap("No exercises until a doctor has checked this. Your answers are saved in your diary.", w, "")...)
	return []section{{lines: lines}, {lines: more, drop: 1}}
}
