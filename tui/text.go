package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// The smallest screen the layouts are made for, and the size assumed
// before the terminal has said its own.
const (
	minWidth      = 80
	minHeight     = 24
	defaultWidth  = 80
	defaultHeight = 24
)

// wrap breaks plain text into lines of at most width cells; every line
// after the first starts with indent, which counts toward the width.
func wrap(s string, width int, indent string) []string {
	width = max(width, 10)
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
			if len(lines) > 0 {
				line = indent + word
			}
		case lipgloss.Width(line)+1+lipgloss.Width(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = indent + word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// prefixed wraps s with a prefix on the first line (a number or bullet)
// and the prefix's width of spaces on the others.
func prefixed(prefix, s string, width int) []string {
	pad := strings.Repeat(" ", lipgloss.Width(prefix))
	lines := wrap(s, width-len(pad), "")
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}

// section is a block of lines a screen may leave out when it has no room:
// the higher the drop number, the sooner it goes; 0 never goes.
type section struct {
	lines []string
	drop  int
}

// layout stacks a header, the sections and a footer into at most height
// lines of at most width cells, leaving out the most droppable sections
// first and cutting the last kept section short (with "…") when even that
// is not enough.
func layout(header []string, sections []section, footer []string, width, height int) string {
	room := height - len(header) - len(footer)
	keep := make([]bool, len(sections))
	total := 0
	for i, s := range sections {
		keep[i] = true
		total += len(s.lines)
	}
	for level := maxDrop(sections); total > room && level > 0; level-- {
		for i := len(sections) - 1; i >= 0 && total > room; i-- {
			if keep[i] && sections[i].drop == level {
				keep[i] = false
				total -= len(sections[i].lines)
			}
		}
	}
	body := []string{}
	for i, s := range sections {
		if keep[i] {
			body = append(body, s.lines...)
		}
	}
	if room < 1 {
		body = nil
	} else if len(body) > room {
		body = append(body[:room-1], "…")
	}
	out := append(append(append([]string{}, header...), body...), footer...)
	cut := lipgloss.NewStyle().MaxWidth(width)
	for i, l := range out {
		if lipgloss.Width(l) > width {
			if onCut != nil {
				onCut(l, width)
			}
			out[i] = cut.Render(l)
		}
	}
	return strings.Join(out, "\n")
}

// onCut, when set (by tests), hears of every line too wide for the screen:
// the layouts should never need cutting.
var onCut func(line string, width int)

func maxDrop(sections []section) int {
	m := 0
	for _, s := range sections {
		m = max(m, s.drop)
	}
	return m
}

// styles are the few text styles of the screens. Without colour (NO_COLOR,
// or output that is not a terminal) they only make text bold or reverse.
type styles struct {
	title, bold, dim, alert, good, key lipgloss.Style
}

func newStyles(color bool) styles {
	plain := lipgloss.NewStyle()
	s := styles{
		title: plain.Bold(true).Reverse(true),
		bold:  plain.Bold(true),
		dim:   plain,
		alert: plain.Bold(true),
		good:  plain.Bold(true),
		key:   plain.Bold(true),
	}
	if color {
		s.title = plain.Bold(true).Foreground(lipgloss.Color("#ffffff")).Background(lipgloss.Color("#2f5d7c"))
		s.dim = plain.Foreground(lipgloss.Color("#8a8a8a"))
		s.alert = plain.Bold(true).Foreground(lipgloss.Color("#d7263d"))
		s.good = plain.Bold(true).Foreground(lipgloss.Color("#2e8b57"))
		s.key = plain.Bold(true).Foreground(lipgloss.Color("#e07a2f"))
	}
	return s
}

// titleBar is a full-width title line: left text and right text.
func (st styles) titleBar(left, right string, width int) string {
	gap := width - lipgloss.Width(left) - lipgloss.Width(right) - 2
	if gap < 1 {
		right, gap = "", max(width-lipgloss.Width(left)-2, 1)
	}
	return st.title.Render(" " + left + strings.Repeat(" ", gap) + right + " ")
}

// keys renders a line of key hints: pairs of key and what it does.
func (st styles) keys(width int, pairs ...string) []string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, st.key.Render(pairs[i])+" "+pairs[i+1])
	}
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case lipgloss.Width(line)+3+lipgloss.Width(p) <= width:
			line += " · " + p
		default:
			lines = append(lines, line)
			line = p
		}
	}
	return append(lines, line)
}

// disclaimer is the line every screen with advice carries, wrapped.
func (st styles) disclaimer(width int) []string {
	lines := wrap(triage.Disclaimer(), width, "")
	for i := range lines {
		lines[i] = st.dim.Render(lines[i])
	}
	return lines
}

// bar draws a progress bar of width cells, filled to share (0..1).
func bar(share float64, width int) string {
	share = max(0, min(1, share))
	full := int(share*float64(width) + 0.5)
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

// clock writes a duration as m:ss, rounding up so a countdown reads 0:01
// until it ends.
func clock(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// minutes writes a duration in words: "9 min 12 s".
func minutes(d time.Duration) string {
	return backcoach.DurationWords(int(d.Round(time.Second) / time.Second))
}

// doseWords says a planned dose in plain words: "2 × hold 20 s, each side".
func doseWords(p backcoach.PlannedExercise, kind backcoach.DoseKind) string {
	return p.DoseWords(kind)
}

// numberField is a small input for a 0–10 rating: digits, backspace, and
// the arrow keys to step.
type numberField struct {
	text string
	err  string
}

// update applies a key; it returns the number when Enter confirms a valid
// one.
func (f *numberField) update(k tea.KeyPressMsg) (value int, confirmed bool) {
	switch s := k.String(); {
	case len(s) == 1 && s[0] >= '0' && s[0] <= '9':
		if len(f.text) < 2 {
			f.text += s
		}
		f.err = ""
	case s == "backspace":
		if f.text != "" {
			f.text = f.text[:len(f.text)-1]
		}
	case s == "up" || s == "right" || s == "+":
		f.step(1)
	case s == "down" || s == "left" || s == "-":
		f.step(-1)
	case s == "enter":
		n, err := strconv.Atoi(f.text)
		if err != nil || n < 0 || n > 10 {
			f.err = "Type a whole number from 0 to 10, then press Enter."
			return 0, false
		}
		return n, true
	}
	return 0, false
}

func (f *numberField) step(d int) {
	n, err := strconv.Atoi(f.text)
	if err != nil {
		n = -d
		if d < 0 {
			n = 11
		}
	}
	f.text = strconv.Itoa(max(0, min(10, n+d)))
	f.err = ""
}

func (f *numberField) reset() { f.text, f.err = "", "" }

// painScaleWords are the words under a pain score's field.
const painScaleWords = "0 none · 1–3 mild · 4–6 moderate · 7–10 high · 10 worst imaginable"

// view shows the field with the pain scale under it.
func (f *numberField) view(st styles, width int) []string {
	return f.viewScale(st, width, painScaleWords)
}

// viewScale shows the field with the words of its own 0–10 scale under it.
func (f *numberField) viewScale(st styles, width int, scale string) []string {
	lines := []string{"  > " + st.bold.Render(f.text) + "_"}
	lines = append(lines, prefixed("    ", scale, width)...)
	if f.err != "" {
		lines = append(lines, "  "+st.alert.Render(f.err))
	}
	return lines
}
