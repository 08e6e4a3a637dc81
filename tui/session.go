package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach/guide"
)

// SessionOptions are what a session screen runs with.
type SessionOptions struct {
	// Now is the clock; time.Now when nil. Tests inject their own.
	Now func() time.Time
	// Scale is how many session seconds pass in one real second: 1 in use;
	// end-to-end tests raise it so a session ends in seconds. It only sets
	// how long to wait for the next redraw; Now must agree with it.
	Scale float64
	// Color allows colours (not with NO_COLOR or when not a terminal).
	Color bool
	// Picture draws an exercise's illustration in a box of width×height
	// cells; nil, or an error, draws none.
	Picture func(id string, width, height int) (string, error)
	// Notices are shown on the first screen: a dose level change and why,
	// an unfinished session that can be resumed.
	Notices []string
}

// tickMsg asks a running timer to move on.
type tickMsg struct{}

// SessionModel is the guided session's full-screen view over a Guide. It
// redraws on a key, a resize or, while a timer runs, at the next moment
// the screen changes: when nothing runs, it sleeps.
type SessionModel struct {
	g       *guide.Guide
	opt     SessionOptions
	st      styles
	width   int
	height  int
	ticking bool
	closing bool
	field   numberField
	pics    map[picKey]string
	// help shows the list of keys ('?'); helpPaused is set when opening
	// it paused a running timer, which closing it resumes.
	help, helpPaused bool
}

type picKey struct {
	id   string
	w, h int
}

// NewSessionModel makes the screen for a session.
func NewSessionModel(g *guide.Guide, opt SessionOptions) *SessionModel {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	return &SessionModel{g: g, opt: opt, st: newStyles(opt.Color), width: defaultWidth, height: defaultHeight, pics: map[picKey]string{}}
}

// Guide returns the session's state, to be saved when the program ends.
func (m *SessionModel) Guide() *guide.Guide { return m.g }

// Init starts the clock of the guide; nothing ticks until a timer runs.
func (m *SessionModel) Init() tea.Cmd {
	m.g.Advance(m.opt.Now())
	return m.schedule()
}

// Update handles a key, a resize or a tick.
func (m *SessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var events []guide.Event
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tickMsg:
		m.ticking = false
		events = m.g.Advance(m.opt.Now())
	case tea.KeyPressMsg:
		events = m.key(msg)
	default:
		return m, nil
	}
	if m.closing || m.g.Phase() == guide.PhaseQuit {
		return m, tea.Quit
	}
	return m, tea.Batch(m.bells(events), m.schedule())
}

// schedule asks for the next tick while a timer runs: at the next whole
// second of the countdown, or the next half of a repetition.
func (m *SessionModel) schedule() tea.Cmd {
	if m.ticking || !m.g.Running() {
		return nil
	}
	m.ticking = true
	d := time.Duration(float64(m.nextChange()) / m.opt.Scale)
	return tea.Tick(max(d, time.Millisecond), func(time.Time) tea.Msg { return tickMsg{} })
}

// nextChange is the session time until the screen next changes.
func (m *SessionModel) nextChange() time.Duration {
	d := m.g.Left() % time.Second
	if d == 0 {
		d = time.Second
	}
	if s, ok := m.g.Segment(); ok && s.Kind == guide.SegmentWork && s.PerRep > 0 {
		half := s.PerRep / 2
		if h := (s.Duration - m.g.Left()) % half; half-h < d {
			d = half - h
		}
	}
	return max(d, 10*time.Millisecond)
}

// bells rings the terminal bell at the end of each hold.
func (m *SessionModel) bells(events []guide.Event) tea.Cmd {
	for _, e := range events {
		if e.Kind == guide.EventBell {
			return tea.Raw("\a")
		}
	}
	return nil
}

// key handles a key press for the phase the session is in.
func (m *SessionModel) key(k tea.KeyPressMsg) []guide.Event {
	now := m.opt.Now()
	g := m.g
	s := k.String()
	if s == "ctrl+c" && g.Phase().Ended() {
		m.closing = true
		return nil
	}
	if s == "ctrl+c" {
		m.help = false
		return g.ConfirmQuit(now)
	}
	if m.help {
		return m.closeHelp(now)
	}
	if s == "?" && !g.Phase().Ended() {
		return m.openHelp(now)
	}
	if (s == "!" || s == "x") && g.Phase() != guide.PhaseSymptoms && !g.Phase().Ended() {
		return g.Symptoms(now)
	}
	switch g.Phase() {
	case guide.PhasePainBefore:
		return m.painKey(k, now, g.SetPainBefore)
	case guide.PhasePainAfter:
		return m.painKey(k, now, g.SetPainAfter)
	case guide.PhaseGate:
		switch s {
		case "enter":
			return g.Accept(now)
		case "q", "esc":
			return g.Decline(now)
		}
	case guide.PhaseReady:
		return m.readyKey(s, now)
	case guide.PhaseWork, guide.PhaseSwitch, guide.PhaseRest:
		return m.timerKey(s, now)
	case guide.PhaseSkipReason:
		if s == "esc" {
			return g.Cancel(now)
		}
		if len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(guide.SkipReasons) {
			events, _ := g.SkipBecause(guide.SkipReasons[s[0]-'1'], now)
			return events
		}
	case guide.PhaseConfirmQuit:
		switch s {
		case "y", "q":
			return g.ConfirmQuit(now)
		case "n", "esc":
			return g.Cancel(now)
		}
	case guide.PhaseSymptoms:
		switch s {
		case "y":
			return g.Answer(true, now)
		case "n":
			return g.Answer(false, now)
		}
	case guide.PhaseSymptomAdvice:
		switch s {
		case "enter":
			return g.GoOn(now)
		case "e":
			return g.EndEarly(now)
		}
	case guide.PhaseSummary, guide.PhaseStopped:
		if s == "enter" || s == "q" || s == "esc" {
			m.closing = true
			return nil
		}
	}
	return g.Advance(now)
}

// openHelp shows the keys; a running timer pauses meanwhile.
func (m *SessionModel) openHelp(now time.Time) []guide.Event {
	m.help = true
	if m.g.Running() && !m.g.Paused() {
		m.helpPaused = true
		return m.g.TogglePause(now)
	}
	return m.g.Advance(now)
}

// closeHelp goes back to the session, resuming a timer the help paused.
func (m *SessionModel) closeHelp(now time.Time) []guide.Event {
	m.help = false
	if m.helpPaused {
		m.helpPaused = false
		if m.g.Paused() {
			return m.g.TogglePause(now)
		}
	}
	return m.g.Advance(now)
}

func (m *SessionModel) painKey(k tea.KeyPressMsg, now time.Time, set func(int, time.Time) ([]guide.Event, error)) []guide.Event {
	if k.String() == "q" {
		return m.g.Quit(now)
	}
	n, ok := m.field.update(k)
	if !ok {
		return m.g.Advance(now)
	}
	events, err := set(n, now)
	if err != nil {
		m.field.err = err.Error()
		return events
	}
	m.field.reset()
	return events
}

func (m *SessionModel) readyKey(s string, now time.Time) []guide.Event {
	g := m.g
	switch s {
	case "enter", "space":
		return g.Begin(now)
	case "s":
		return g.Skip(now)
	case "b":
		return g.Back(now)
	case "q":
		return g.Quit(now)
	}
	return g.Advance(now)
}

func (m *SessionModel) timerKey(s string, now time.Time) []guide.Event {
	g := m.g
	switch s {
	case "space", "p":
		return g.TogglePause(now)
	case "enter":
		if g.Phase() == guide.PhaseRest {
			return g.SkipRest(now)
		}
	case "s":
		return g.Skip(now)
	case "b":
		return g.Back(now)
	case "q":
		return g.Quit(now)
	}
	return g.Advance(now)
}

// View draws the screen for the phase the session is in.
func (m *SessionModel) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "backcoach session"
	return v
}
