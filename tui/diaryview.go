package tui

import (
	"fmt"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

// DiaryModel shows the pain diary: a chart over 7, 30 or 90 days with the
// sessions marked, the PEG trend and the diary rules in plain words. It
// changes only on a key.
type DiaryModel struct {
	reports map[int]diary.Report
	days    int
	st      styles
	width   int
	height  int
	offset  int
}

// NewDiaryModel shows the reports (one per period of diary.Periods),
// starting with the period of days.
func NewDiaryModel(reports map[int]diary.Report, days int, color bool) *DiaryModel {
	return &DiaryModel{reports: reports, days: days, st: newStyles(color), width: defaultWidth, height: defaultHeight}
}

// Init does nothing: the diary waits for keys.
func (m *DiaryModel) Init() tea.Cmd { return nil }

// Update switches the period, scrolls the text, or quits.
func (m *DiaryModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		switch s := msg.String(); s {
		case "q", "esc", "ctrl+c", "enter":
			return m, tea.Quit
		case "1", "2", "3":
			m.setDays(diary.Periods[s[0]-'1'])
		case "tab", "right", "l":
			m.setDays(diary.Periods[(m.periodIndex()+1)%len(diary.Periods)])
		case "shift+tab", "left", "h":
			m.setDays(diary.Periods[(m.periodIndex()+len(diary.Periods)-1)%len(diary.Periods)])
		case "down", "j":
			m.offset++
		case "up", "k":
			m.offset = max(0, m.offset-1)
		}
	}
	return m, nil
}

func (m *DiaryModel) setDays(d int) { m.days, m.offset = d, 0 }

func (m *DiaryModel) periodIndex() int {
	for i, p := range diary.Periods {
		if p == m.days {
			return i
		}
	}
	return 0
}

// View draws the diary.
func (m *DiaryModel) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "backcoach diary"
	return v
}

func (m *DiaryModel) render() string {
	w, h := max(m.width, 20), max(m.height, 8)
	r := m.reports[m.days]
	header := []string{m.st.titleBar(fmt.Sprintf("Pain diary · last %d days", m.days), r.From+" to "+r.To, w), ""}
	top := append(chart(r.Series, w, m.st), prefixed("    ", "█ pain (daily mean, 0–10) · ● guided session · · not logged", w)...)
	top = append(top, "")
	text := m.textLines(r, w)
	footer := append(append([]string{""}, m.st.keys(w, "1/2/3 or ←/→", "7, 30 or 90 days", "↑/↓", "scroll", "q", "close")...), m.st.disclaimer(w)...)
	room := h - len(header) - len(footer) - len(top)
	m.offset = min(m.offset, max(0, len(text)-room))
	if room > 0 && len(text) > room {
		text = text[m.offset:min(len(text), m.offset+room)]
		if m.offset+room < len(m.textLines(r, w)) {
			text[len(text)-1] = m.st.dim.Render("↓ more: press ↓")
		}
	}
	return layout(header, []section{{lines: top, drop: 1}, {lines: text}}, footer, w, h)
}

// textLines are the findings in words: the worsening alert first, then
// the summary and the PEG trend.
func (m *DiaryModel) textLines(r diary.Report, w int) []string {
	var lines []string
	if r.Worsening.Alert {
		lines = append(lines, m.st.alert.Render(strings.ToUpper(triage.LevelOf(backcoach.UrgencySoon).Title)))
	}
	for _, s := range r.Summary {
		lines = append(lines, prefixed("• ", s, w)...)
	}
	if t := pegTrend(r.PEG); t != "" {
		lines = append(lines, prefixed("• ", t, w)...)
	}
	for _, l := range breakLines(r.Breaks) {
		lines = append(lines, prefixed("  ", l, w)...)
	}
	return lines
}

// breakLines lists the break reminder's figures day by day, under a
// heading; none when there are no figures.
func breakLines(b diary.BreakSummary) []string {
	if len(b.Days) == 0 {
		return nil
	}
	lines := []string{"Movement breaks, day by day:"}
	for _, d := range b.Days {
		lines = append(lines, fmt.Sprintf("%s %s: %s", d.Date, weekday(d.Date), diary.DayWords(d)))
	}
	return lines
}

// pegTrend lists the PEG scores of the period in order.
func pegTrend(t diary.PEGTrend) string {
	if len(t.Points) < 2 {
		return ""
	}
	var parts []string
	for _, p := range t.Points {
		parts = append(parts, fmt.Sprintf("%.1f (%s)", p.Score, shortDate(p.Date)))
	}
	return "PEG scores, oldest first: " + strings.Join(parts, " → ") + "."
}

// WriteDiary writes the diary line by line, for screen readers and pipes:
// the days that have something, then the findings.
func WriteDiary(w io.Writer, r diary.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Pain diary, last %d days (%s to %s)\n", r.Days, r.From, r.To)
	listed := 0
	for _, d := range r.Series.Days {
		if !d.HasPain() && d.Sessions == 0 {
			continue
		}
		listed++
		fmt.Fprintf(&b, "%s %s: %s\n", d.Date, weekday(d.Date), dayWords(d))
	}
	if listed < len(r.Series.Days) {
		fmt.Fprintf(&b, "(%d days without entries are not listed.)\n", len(r.Series.Days)-listed)
	}
	b.WriteString("\n")
	if r.Worsening.Alert {
		b.WriteString(strings.ToUpper(triage.LevelOf(backcoach.UrgencySoon).Title) + "\n")
	}
	for _, s := range r.Summary {
		for _, l := range prefixed("- ", s, 78) {
			b.WriteString(l + "\n")
		}
	}
	if t := pegTrend(r.PEG); t != "" {
		for _, l := range prefixed("- ", t, 78) {
			b.WriteString(l + "\n")
		}
	}
	if lines := breakLines(r.Breaks); len(lines) > 0 {
		b.WriteString("\n" + strings.Join(lines, "\n") + "\n")
	}
	b.WriteString(triage.Disclaimer() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dayWords says what a day holds: "pain 4.5 (2 check-ins), 1 guided session".
func dayWords(d diary.Day) string {
	var parts []string
	if d.HasPain() {
		s := fmt.Sprintf("pain %s", trimZero(d.Mean))
		if d.Entries > 1 {
			s += fmt.Sprintf(" (mean of %d check-ins, highest %d)", d.Entries, d.Max)
		}
		parts = append(parts, s)
	} else {
		parts = append(parts, "pain not logged")
	}
	if d.PEG != nil {
		parts = append(parts, fmt.Sprintf("PEG %.1f", *d.PEG))
	}
	switch d.Sessions {
	case 0:
	case 1:
		parts = append(parts, "1 guided session")
	default:
		parts = append(parts, fmt.Sprintf("%d guided sessions", d.Sessions))
	}
	return strings.Join(parts, ", ")
}

func trimZero(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}
