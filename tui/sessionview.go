package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// Sizes of the picture beside the steps.
const (
	pictureWidth      = 30
	pictureHeight     = 9
	sideBySideAtLeast = 72 // the narrowest screen that puts the picture beside the steps
)

// symptomsKey is the key hint for "pain spreading / numbness / unwell",
// shown on every screen of a running session.
var symptomsKey = []string{"!", "pain spreading / numbness / unwell"}

// render draws the screen for the current phase.
func (m *SessionModel) render() string {
	w, h := max(m.width, 20), max(m.height, 8)
	if m.help {
		return m.helpScreen(w, h)
	}
	switch m.g.Phase() {
	case guide.PhasePainBefore:
		return m.painScreen(w, h, "How bad is your pain right now, before you start?", m.opt.Notices)
	case guide.PhaseGate:
		return m.gateScreen(w, h)
	case guide.PhasePainAfter:
		return m.painScreen(w, h, "How bad is your pain now, after the session?", []string{"All exercises are through. One last question."})
	case guide.PhaseSkipReason:
		return m.skipScreen(w, h)
	case guide.PhaseConfirmQuit:
		return m.quitScreen(w, h)
	case guide.PhaseSymptoms:
		return m.symptomsScreen(w, h)
	case guide.PhaseSymptomAdvice:
		return m.adviceScreen(w, h)
	case guide.PhaseStopped:
		return m.stoppedScreen(w, h)
	case guide.PhaseSummary, guide.PhaseQuit:
		return m.summaryScreen(w, h)
	case guide.PhaseRest:
		return m.restScreen(w, h)
	default:
		return m.exerciseScreen(w, h)
	}
}

// header is the title bar: what the screen is and the session's time.
func (m *SessionModel) header(w int, title string) []string {
	right := "session " + clock(m.g.Elapsed().Round(time.Second))
	if m.g.Level() != 0 {
		right = fmt.Sprintf("dose level %+d · %s", m.g.Level(), right)
	}
	return []string{m.st.titleBar(title, right, w), ""}
}

func (m *SessionModel) footer(w int, pairs ...string) []string {
	if !m.g.Phase().Ended() {
		pairs = append(pairs, "?", "keys")
	}
	return append(append([]string{""}, m.st.keys(w, pairs...)...), m.st.disclaimer(w)...)
}

// sessionKeys are every key of the session, for the '?' screen.
var sessionKeys = [][2]string{
	{"Enter", "start the exercise; during a rest, go on to the next now"},
	{"space, p", "pause or resume the timer"},
	{"s", "skip this exercise (you are asked why)"},
	{"b", "back to the one before"},
	{"0–10, Enter", "answer a question about your pain"},
	{"!, x", "pain spreading, numbness or feeling unwell: stop and check"},
	{"q", "quit (asks first; what you did is kept)"},
	{"Ctrl+C", "quit at once"},
	{"?", "this list"},
}

// helpScreen lists every key; the timer waits meanwhile.
func (m *SessionModel) helpScreen(w, h int) string {
	width := 0
	for _, k := range sessionKeys {
		width = max(width, len([]rune(k[0])))
	}
	var lines []string
	for _, k := range sessionKeys {
		key := k[0] + strings.Repeat(" ", width-len([]rune(k[0])))
		lines = append(lines, prefixed("  "+m.st.key.Render(key)+"  ", k[1], w)...)
	}
	secs := []section{{lines: lines}}
	if m.helpPaused {
		secs = append(secs, section{lines: []string{"", "The timer is paused; it goes on when you close this list."}, drop: 1})
	}
	footer := append(append([]string{""}, m.st.keys(w, "any key", "back to the session")...), m.st.disclaimer(w)...)
	return layout(m.header(w, "Keys"), secs, footer, w, h)
}

func (m *SessionModel) painScreen(w, h int, question string, notices []string) string {
	var secs []section
	for _, n := range notices {
		secs = append(secs, section{lines: append(wrap(n, w, ""), ""), drop: 1})
	}
	secs = append(secs, section{lines: append(wrap(question, w, ""), m.field.view(m.st, w)...)})
	title := fmt.Sprintf("Guided session · %d exercises", len(m.g.Items()))
	footer := m.footer(w, append([]string{"0–10 then Enter", "answer", "q", "quit"}, symptomsKey...)...)
	return layout(m.header(w, title), secs, footer, w, h)
}

// exerciseScreen shows the current exercise: name, purpose, steps and a
// picture, the dose, and the timer when one runs.
func (m *SessionModel) exerciseScreen(w, h int) string {
	g := m.g
	it := g.Current()
	title := fmt.Sprintf("%d of %d · %s", g.Index()+1, len(g.Items()), it.Plan.Name)
	secs := []section{
		{lines: m.statusLines(w)},
		{lines: []string{""}, drop: 3},
		{lines: wrap(it.Exercise.Purpose, w, ""), drop: 2},
		{lines: m.stepsAndPicture(it, w)},
		{lines: prefixed("Dose: ", doseWords(it.Plan, it.Exercise.Dose.Kind)+" · "+it.Plan.Tempo, w), drop: 1},
	}
	for _, c := range it.Plan.Changes {
		secs = append(secs, section{lines: prefixed("! ", c, w)})
	}
	secs = append(secs, section{lines: prefixed("Breathing: ", it.Exercise.Breathing, w), drop: 2})
	if g.Phase() == guide.PhaseReady {
		secs = append(secs, section{lines: prefixed("Stop if: ", strings.Join(g.StopIf(it), "; ")+".", w), drop: 1})
	}
	return layout(m.header(w, title), secs, m.exerciseFooter(w), w, h)
}

func (m *SessionModel) exerciseFooter(w int) []string {
	var pairs []string
	switch {
	case m.g.Phase() == guide.PhaseReady:
		pairs = []string{"Enter", "start", "s", "skip", "b", "back", "q", "quit"}
	case m.g.Paused():
		pairs = []string{"space", "resume", "s", "skip", "b", "back", "q", "quit"}
	default:
		pairs = []string{"space", "pause", "s", "skip", "b", "back", "q", "quit"}
	}
	return m.footer(w, append(pairs, symptomsKey...)...)
}

// statusLines says what is happening now: waiting to start, getting into
// position, a countdown, or the paced repetitions.
func (m *SessionModel) statusLines(w int) []string {
	g := m.g
	var paused []string
	if g.Paused() {
		paused = []string{m.st.alert.Render("PAUSED") + " — press space to go on."}
	}
	if g.Phase() == guide.PhaseReady {
		return []string{m.st.bold.Render("Read the steps, get ready, then press Enter to start.")}
	}
	s, ok := g.Segment()
	if !ok {
		return []string{""}
	}
	where := roundWords(s)
	if s.Kind == guide.SegmentTransition {
		return append(paused, m.st.bold.Render(s.Label)+" · "+clock(g.Left())+where)
	}
	barWidth := max(10, min(30, w-50))
	done := 1 - float64(g.Left())/float64(s.Duration)
	if s.Dose == backcoach.DoseReps {
		rep, back := g.Rep()
		cue := "▶ move into it"
		if back {
			cue = "◀ come back"
		}
		return append(paused,
			m.st.bold.Render(fmt.Sprintf("Repetition %d of %d", rep, s.Reps))+" · "+m.st.key.Render(cue)+where,
			bar(done, barWidth)+" "+clock(g.Left())+" left")
	}
	verb := "Hold"
	if s.Dose == backcoach.DoseTimed {
		verb = "Keep moving"
	}
	return append(paused, m.st.bold.Render(verb+" · "+clock(g.Left()))+where, bar(done, barWidth))
}

// roundWords says which set and side a segment belongs to, when there is
// more than one.
func roundWords(s guide.Segment) string {
	var parts []string
	if s.Sets > 1 {
		parts = append(parts, fmt.Sprintf("set %d of %d", s.Set, s.Sets))
	}
	if s.Sides > 1 {
		side := "first side"
		if s.Side == 2 {
			side = "other side"
		}
		parts = append(parts, side)
	}
	if len(parts) == 0 {
		return ""
	}
	return " · " + strings.Join(parts, ", ")
}

// stepsAndPicture lays the numbered steps beside the picture when the
// screen is wide enough, and the steps alone otherwise.
func (m *SessionModel) stepsAndPicture(it guide.Item, w int) []string {
	pic := ""
	textWidth := w
	if w >= sideBySideAtLeast {
		pic = m.picture(it.Exercise.ID, min(pictureWidth, w/3), pictureHeight)
		if pic != "" {
			textWidth = w - lipgloss.Width(pic) - 2
		}
	}
	var steps []string
	for i, s := range it.Exercise.Steps {
		steps = append(steps, prefixed(fmt.Sprintf("%d. ", i+1), s, textWidth)...)
	}
	if pic == "" {
		return steps
	}
	left := lipgloss.NewStyle().Width(textWidth).Render(strings.Join(steps, "\n"))
	joined := lipgloss.JoinHorizontal(lipgloss.Top, left, "  ", pic)
	return strings.Split(joined, "\n")
}

// picture returns the exercise's illustration at a size, drawn once.
func (m *SessionModel) picture(id string, w, h int) string {
	if m.opt.Picture == nil {
		return ""
	}
	k := picKey{id, w, h}
	if p, ok := m.pics[k]; ok {
		return p
	}
	p, err := m.opt.Picture(id, w, h)
	if err != nil {
		p = ""
	}
	m.pics[k] = p
	return p
}

func (m *SessionModel) restScreen(w, h int) string {
	g := m.g
	next, _ := g.Next()
	status := []string{m.st.bold.Render("Rest · " + clock(g.Left())), bar(1-float64(g.Left())/float64(guide.RestTime), 30), ""}
	if g.Paused() {
		status = append([]string{m.st.alert.Render("PAUSED") + " — press space to go on."}, status...)
	}
	secs := []section{
		{lines: status},
		{lines: prefixed("Next: ", next.Plan.Name+" — "+doseWords(next.Plan, next.Exercise.Dose.Kind)+".", w)},
		{lines: wrap(next.Exercise.Purpose, w, ""), drop: 1},
	}
	if pic := m.picture(next.Exercise.ID, min(pictureWidth, w-2), pictureHeight); pic != "" {
		secs = append(secs, section{lines: append([]string{""}, strings.Split(pic, "\n")...), drop: 2})
	}
	title := fmt.Sprintf("Rest before %d of %d", g.Index()+2, len(g.Items()))
	pause := "pause"
	if g.Paused() {
		pause = "resume"
	}
	footer := m.footer(w, append([]string{"Enter", "next exercise now", "space", pause, "s", "skip the next", "b", "redo the last", "q", "quit"}, symptomsKey...)...)
	return layout(m.header(w, title), secs, footer, w, h)
}

func (m *SessionModel) skipScreen(w, h int) string {
	it := m.g.SkipTarget()
	lines := wrap(fmt.Sprintf("Why skip %s?", it.Plan.Name), w, "")
	for i, r := range guide.SkipReasons {
		lines = append(lines, fmt.Sprintf("  %s %s", m.st.key.Render(fmt.Sprint(i+1)), r))
	}
	footer := m.footer(w, append([]string{"1–4", "choose", "Esc", "go back"}, symptomsKey...)...)
	return layout(m.header(w, "Skip an exercise"), []section{{lines: lines}}, footer, w, h)
}

func (m *SessionModel) quitScreen(w, h int) string {
	lines := wrap("Quit the session now? What you have done so far is saved, and 'backcoach session --resume' carries on from here later today.", w, "")
	footer := m.footer(w, "y", "quit", "n", "go on")
	return layout(m.header(w, "Quit?"), []section{{lines: lines}}, footer, w, h)
}

func (m *SessionModel) symptomsScreen(w, h int) string {
	f, i, n := m.g.Question()
	lines := wrap("The exercise has stopped. A few quick questions about warning signs, the most urgent first.", w, "")
	lines = append(lines, "", m.st.bold.Render(fmt.Sprintf("Question %d of %d", i+1, n)))
	lines = append(lines, wrap(f.Question, w, "")...)
	secs := []section{{lines: lines}, {lines: append([]string{""}, wrap("If you feel very unwell right now, do not wait for the questions: call the emergency number.", w, "")...), drop: 1}}
	return layout(m.header(w, "Warning-sign check"), secs, m.footer(w, "y", "yes", "n", "no"), w, h)
}

func (m *SessionModel) adviceScreen(w, h int) string {
	lines := wrap("None of the warning signs. Pain that spreads into an arm or leg, numbness or tingling, or feeling unwell is a reason to stop an exercise.", w, "")
	lines = append(lines, "")
	lines = append(lines, wrap("If it has passed, you may go on gently with the next exercise. If it stays or comes back, end the session here and contact a GP in the next few days.", w, "")...)
	return layout(m.header(w, "Exercise stopped"), []section{{lines: lines}}, m.footer(w, "Enter", "go on", "e", "end the session"), w, h)
}

// stoppedScreen says what to do now after a warning sign.
func (m *SessionModel) stoppedScreen(w, h int) string {
	res := m.g.Result()
	level := triage.LevelOf(res.Urgency)
	lines := []string{m.st.alert.Render(strings.ToUpper(level.Title)), ""}
	for _, a := range res.Advice {
		lines = append(lines, prefixed("• ", a, w)...)
	}
	lines = append(lines, "", "The session has ended and is saved.")
	return layout(m.header(w, "Stop: warning sign"), []section{{lines: lines}}, m.footer(w, "Enter", "close"), w, h)
}

func (m *SessionModel) summaryScreen(w, h int) string {
	end := m.g.Ending()
	head := m.st.bold.Render("Session finished.")
	if end.Congratulate {
		head = m.st.good.Render("Session finished.")
	}
	lines := []string{head, "", m.g.Summary().Line(), ""}
	for _, l := range end.Lines {
		lines = append(lines, wrap(l, w, "")...)
	}
	return layout(m.header(w, end.Title), []section{{lines: lines}}, m.footer(w, "Enter", "close"), w, h)
}

// gateScreen says what the pain before allows today, when it is less than
// the planned session.
func (m *SessionModel) gateScreen(w, h int) string {
	gate := m.g.Gate()
	var lines []string
	for _, l := range gate.Message {
		lines = append(lines, wrap(l, w, "")...)
	}
	for i, it := range m.g.Items() {
		lines = append(lines, prefixed(fmt.Sprintf("%d. ", i+1), it.Plan.Name+" — "+doseWords(it.Plan, it.Exercise.Dose.Kind), w)...)
	}
	footer := m.footer(w, append([]string{"Enter", acceptWords(gate.Mode), "q", "leave"}, symptomsKey...)...)
	return layout(m.header(w, gate.Title), []section{{lines: lines}}, footer, w, h)
}

// acceptWords says what going on at the pain gate does.
func acceptWords(mode catalog.GateMode) string {
	if mode == planner.GateNone {
		return "try the breathing exercise"
	}
	return "start the gentle session"
}
