package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
)

// The pain charts are drawn here as SVG, so that they need no script and
// show the same on every device. Colours come from the style sheet
// (classes), so dark mode works.

// chartSize is the drawing's size and margins. Font is the largest size
// of the labels in the drawing's units (the style sheet makes them
// larger on a phone, where the drawing is shrunk), used to keep every
// label inside the drawing.
type chartSize struct {
	W, H                     float64
	Left, Right, Top, Bottom float64
	Labels                   bool
	Font                     float64
}

var (
	chartWide  = chartSize{W: 440, H: 220, Left: 26, Right: 8, Top: 10, Bottom: 34, Labels: true, Font: 16}
	chartSmall = chartSize{W: 320, H: 110, Left: 22, Right: 6, Top: 8, Bottom: 22, Labels: true, Font: 13}
)

// labelWidth guesses how wide a label is drawn, a little generously.
func (size chartSize) labelWidth(text string) float64 {
	return float64(len([]rune(text))) * size.Font * 0.6
}

// labelAt places a label centred under x, moved in so that it is not
// cut off at either edge of the drawing.
func (size chartSize) labelAt(x float64, text string) float64 {
	half := size.labelWidth(text) / 2
	return max(half+1, min(x, size.W-half-1))
}

// chartView is a drawn chart and the words that say what it shows.
type chartView struct {
	SVG     template.HTML
	Summary string
	Days    []diary.Day
}

// drawChart draws the daily mean pain of a series as a line (broken
// where days have no entry), each day's highest pain as a tick, the days
// with a session as marks along the bottom, and the weekly PEG scores
// when given.
func drawChart(s diary.Series, peg *diary.PEGTrend, size chartSize) chartView {
	n := len(s.Days)
	if n == 0 {
		return chartView{}
	}
	plotW := size.W - size.Left - size.Right
	plotH := size.H - size.Top - size.Bottom
	x := func(i int) float64 { return size.Left + (float64(i)+0.5)*plotW/float64(n) }
	y := func(v float64) float64 { return size.Top + plotH*(1-v/10) }
	var b strings.Builder
	summary := chartSummary(s, peg)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" class="chart" role="img" aria-label="%s">`, size.W, size.H, template.HTMLEscapeString(summary))
	for _, v := range []float64{0, 5, 10} {
		fmt.Fprintf(&b, `<line class="chart-grid" x1="%g" y1="%.1f" x2="%g" y2="%.1f"/>`, size.Left, y(v), size.W-size.Right, y(v))
		fmt.Fprintf(&b, `<text class="chart-label" x="%g" y="%.1f" text-anchor="end">%g</text>`, size.Left-5, y(v)+4, v)
	}
	r := 4.0
	if n > 40 {
		r = 2.5
	}
	if size.H < 150 {
		r = 3
	}
	// Sessions, along the bottom of the plot.
	for i, d := range s.Days {
		if d.Sessions > 0 {
			fmt.Fprintf(&b, `<rect class="chart-session" x="%.1f" y="%.1f" width="%.1f" height="4"><title>%s: %s</title></rect>`,
				x(i)-plotW/float64(n)*0.35, y(0)+3, plotW/float64(n)*0.7, dayWords(d.Date), countWords(d.Sessions, "session", "sessions"))
		}
	}
	// The highest pain of each day, where it is above the mean: a dashed
	// line up from the mean to a cap at the highest.
	capW := min(6, plotW/float64(n)*0.4)
	for i, d := range s.Days {
		if d.HasPain() && float64(d.Max) > d.Mean {
			fmt.Fprintf(&b, `<line class="chart-max" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(i), y(float64(d.Max)), x(i), y(d.Mean))
			fmt.Fprintf(&b, `<line class="chart-max-cap" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"><title>%s: highest %d</title></line>`,
				x(i)-capW, y(float64(d.Max)), x(i)+capW, y(float64(d.Max)), dayWords(d.Date), d.Max)
		}
	}
	// The mean, as lines over runs of days with entries.
	var run []string
	flush := func() {
		if len(run) > 1 {
			fmt.Fprintf(&b, `<polyline class="chart-line" points="%s"/>`, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for i, d := range s.Days {
		if !d.HasPain() {
			flush()
			continue
		}
		run = append(run, fmt.Sprintf("%.1f,%.1f", x(i), y(d.Mean)))
	}
	flush()
	for i, d := range s.Days {
		if d.HasPain() {
			title := dayWords(d.Date) + ": pain " + oneDecimal(d.Mean)
			if float64(d.Max) > d.Mean {
				title += fmt.Sprintf(" (highest %d)", d.Max)
			}
			fmt.Fprintf(&b, `<circle class="chart-dot" cx="%.1f" cy="%.1f" r="%g"><title>%s</title></circle>`, x(i), y(d.Mean), r, title)
		}
	}
	// The period's highest pain, said in words beside it.
	if top := highestDay(s.Days); top >= 0 {
		d := s.Days[top]
		text := fmt.Sprintf("highest %d", d.Max)
		tx, anchor := x(top)+r+4, "start"
		if tx+size.labelWidth(text) > size.W {
			tx, anchor = x(top)-r-4, "end"
		}
		fmt.Fprintf(&b, `<text class="chart-label chart-highest" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, tx, max(y(float64(d.Max))+4, size.Font*0.8), anchor, text)
	}
	if peg != nil {
		index := map[string]int{}
		for i, d := range s.Days {
			index[d.Date] = i
		}
		for _, p := range peg.Points {
			i, ok := index[p.Date]
			if !ok {
				continue
			}
			cx, cy := x(i), y(p.Score)
			fmt.Fprintf(&b, `<path class="chart-peg" d="M%.1f %.1fl5 5l-5 5l-5-5z"><title>%s: PEG %s</title></path>`, cx, cy-5, dayWords(p.Date), oneDecimal(p.Score))
		}
	}
	if size.Labels {
		days := labelDays(n)
		if size.W < 400 && n > 3 {
			days = []int{0, n / 2, n - 1}
		}
		for _, i := range days {
			text := shortDate(s.Days[i].Date)
			fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, size.labelAt(x(i), text), size.H-size.Bottom+18, text)
		}
	}
	b.WriteString(`</svg>`)
	return chartView{SVG: template.HTML(b.String()), Summary: summary, Days: s.Days}
}

// labelDays picks the days whose dates are written under the chart:
// the first, the last and a few between.
func labelDays(n int) []int {
	switch {
	case n <= 1:
		return []int{0}
	case n <= 7:
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	default:
		step := (n - 1) / 4
		return []int{0, step, 2 * step, 3 * step, n - 1}
	}
}

// highestDay is the index of the day with the highest pain of the
// period (the latest of equals), or -1 when no day has an entry.
func highestDay(days []diary.Day) int {
	top := -1
	for i, d := range days {
		if d.HasPain() && (top < 0 || d.Max >= days[top].Max) {
			top = i
		}
	}
	return top
}

// dayWords writes YYYY-MM-DD in the app's style, "Mon 2 Jan".
func dayWords(d string) string {
	t, err := time.Parse(backcoach.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("Mon 2 Jan")
}

// countWords says a count with its noun: "1 day", "2 days".
func countWords(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// shortDate writes YYYY-MM-DD as "2 Jan".
func shortDate(d string) string {
	t, err := time.Parse(backcoach.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan")
}

// chartSummary says in words what the chart shows, for screen readers.
func chartSummary(s diary.Series, peg *diary.PEGTrend) string {
	first, last := dayWords(s.Days[0].Date), dayWords(s.Days[len(s.Days)-1].Date)
	sessions := countWords(s.Sessions, "session", "sessions")
	if s.LoggedDays == 0 {
		return fmt.Sprintf("Pain from %s to %s: no check-ins yet; %s.", first, last, sessions)
	}
	out := fmt.Sprintf("Pain from %s to %s: %s with check-ins, mean %s out of 10", first, last, countWords(s.LoggedDays, "day", "days"), oneDecimal(s.Mean))
	if top := highestDay(s.Days); top >= 0 {
		out += fmt.Sprintf(", highest %d on %s", s.Days[top].Max, dayWords(s.Days[top].Date))
	}
	out += "; " + sessions + "."
	if peg != nil && len(peg.Points) > 0 {
		out += fmt.Sprintf(" %s, the last %s.", countWords(len(peg.Points), "weekly PEG score", "weekly PEG scores"), oneDecimal(peg.Points[len(peg.Points)-1].Score))
	}
	return out
}

// drawPEG lists the weekly PEG scores of a period; the scores are drawn
// on the pain chart.
func drawPEG(p diary.PEGTrend, from, to string) chartView {
	if len(p.Points) == 0 {
		return chartView{Summary: fmt.Sprintf("No weekly PEG answers between %s and %s.", dayWords(from), dayWords(to))}
	}
	s := fmt.Sprintf("%s between %s and %s.", countWords(len(p.Points), "weekly PEG score", "weekly PEG scores"), dayWords(from), dayWords(to))
	if p.Change != nil {
		s += " " + p.Change.Words("The PEG score")
	}
	return chartView{Summary: s}
}
