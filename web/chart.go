package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/chart"
	"github.com/backcoach/backcoach/diary"
)

// The pain charts are laid out by the chart package (the report draws the
// same geometry) and drawn here as SVG, so that they need no script and
// show the same on every device. Colours come from the style sheet
// (classes), so dark mode works.

// chartSize is the drawing's size and margins.
type chartSize = chart.Size

var (
	chartWide  = chart.Wide
	chartSmall = chart.Small
)

// chartView is a drawn chart and the words that say what it shows.
type chartView struct {
	SVG     template.HTML
	Summary string
	Days    []diary.Day
}

// drawChart draws the daily mean pain of a series as a line (broken
// where days have no entry), each day's highest pain as a tick, the days
// with a session as marks along the bottom, the weekly PEG scores when
// given, the period's highest pain and its meaningful change.
func drawChart(s diary.Series, peg *diary.PEGTrend, size chartSize) chartView {
	g := chart.Compute(s, peg, size)
	if g.Empty() {
		return chartView{}
	}
	return chartView{SVG: template.HTML(svgOf(g)), Summary: g.Summary, Days: g.Days}
}

// svgOf writes a chart's geometry as an SVG drawing.
func svgOf(g chart.Geometry) string {
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" class="chart" role="img" aria-label="%s">`, g.Size.W, g.Size.H, esc(g.Summary))
	for _, l := range g.Grid {
		fmt.Fprintf(&b, `<line class="chart-grid" x1="%g" y1="%.1f" x2="%g" y2="%.1f"/>`, l.X1, l.Y, l.X2, l.Y)
		// The pain's numbers end close to the plot, to leave room for
		// the larger type of a phone.
		fmt.Fprintf(&b, `<text class="chart-label" x="%g" y="%.1f" text-anchor="end">%s</text>`, l.LabelX+2, l.LabelY, l.Label)
	}
	if c := g.Change; c != nil {
		cls := "chart-change worse"
		if c.Better {
			cls = "chart-change better"
		}
		for _, s := range []chart.Span{c.First, c.Last} {
			fmt.Fprintf(&b, `<line class="%s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"><title>%s</title></line>`, cls, s.X1, s.Y, s.X2, s.Y, esc(c.Words))
		}
		fmt.Fprintf(&b, `<text class="chart-label chart-change-text" x="%.1f" y="%.1f" text-anchor="end">%s</text>`,
			min(max(c.TextX, labelWidth(g.Size, c.Text)+1), g.Size.W-1), c.TextY, esc(c.Text))
	}
	for _, r := range g.Sessions {
		fmt.Fprintf(&b, `<rect class="chart-session" x="%.1f" y="%.1f" width="%.1f" height="%g"><title>%s: %s</title></rect>`,
			r.X, r.Y, r.W, r.H, chart.ShortDate(r.Date), backcoach.Count(r.Sessions, "session", "sessions"))
	}
	for _, t := range g.Ticks {
		fmt.Fprintf(&b, `<line class="chart-max" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, t.X, t.Y1, t.X, t.Y2)
	}
	for _, run := range g.Lines {
		pts := make([]string, len(run))
		for i, p := range run {
			pts[i] = fmt.Sprintf("%.1f,%.1f", p.X, p.Y)
		}
		fmt.Fprintf(&b, `<polyline class="chart-line" points="%s"/>`, strings.Join(pts, " "))
	}
	for _, d := range g.Dots {
		fmt.Fprintf(&b, `<circle class="chart-dot" cx="%.1f" cy="%.1f" r="%g"><title>%s</title></circle>`, d.X, d.Y, d.R, d.Title)
	}
	for _, p := range g.PEG {
		fmt.Fprintf(&b, `<path class="chart-peg" d="M%.1f %.1fl5 5l-5 5l-5-5z"><title>%s</title></path>`, p.X, p.Y-5, p.Title)
	}
	if h := g.Highest; h != nil {
		// A ring around the highest point, so that it shows even on a day
		// with one check-in (no tick from the highest to the mean).
		fmt.Fprintf(&b, `<circle class="chart-highest-mark" cx="%.1f" cy="%.1f" r="%g"><title>%s: highest pain %d</title></circle>`,
			h.X, h.Y, highestRing(g.Size), chart.ShortDate(h.Date), h.Max)
		fmt.Fprintf(&b, `<text class="chart-label chart-highest" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, labelAt(g.Size, h.X, h.Text), h.LabelY, h.Text)
	}
	for _, l := range dateLabels(g.Size, g.Labels) {
		fmt.Fprintf(&b, `<text class="chart-label" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, l.X, l.Y, l.Text)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// dateLabels places the dates under the plot so that none overlaps
// another at the largest type (a phone's): a date in the same month as
// the date written before it is written as its day alone ("14 Nov",
// "15", "16"), and one that still does not fit is left out. The first
// and the last dates are always written.
func dateLabels(size chartSize, labels []chart.Label) []chart.Label {
	const gap = 4
	type placed struct {
		label chart.Label
		month string
		right float64
	}
	place := func(before []placed, l chart.Label) placed {
		text, month := l.Text, ""
		if f := strings.Fields(l.Text); len(f) == 2 {
			month = f[1]
			if len(before) > 0 && before[len(before)-1].month == month {
				text = f[0]
			}
		}
		x := labelAt(size, l.X, text)
		return placed{chart.Label{X: x, Y: l.Y, Text: text}, month, x + labelWidth(size, text)/2}
	}
	fits := func(before []placed, p placed) bool {
		return len(before) == 0 || p.label.X-labelWidth(size, p.label.Text)/2 >= before[len(before)-1].right+gap
	}
	var out []placed
	for i, l := range labels {
		p := place(out, l)
		if i == len(labels)-1 {
			for len(out) > 1 && !fits(out, p) {
				out = out[:len(out)-1]
				p = place(out, l)
			}
		} else if !fits(out, p) {
			continue
		}
		out = append(out, p)
	}
	list := make([]chart.Label, len(out))
	for i, p := range out {
		list[i] = p.label
	}
	return list
}

// drawPEG lists the weekly PEG scores of a period; the scores are drawn
// on the pain chart.
func drawPEG(p diary.PEGTrend, from, to string) chartView {
	return chartView{Summary: chart.PEGSummary(p, from, to)}
}

// highestRing is the radius of the ring around the highest point.
func highestRing(size chartSize) float64 {
	if size.H < 150 {
		return 6
	}
	return 7.5
}

// labelFont is the largest size, in the drawing's units, at which the
// style sheet draws a chart's labels (larger on a phone, where the wide
// drawing is shrunk: app.css).
func labelFont(size chartSize) float64 {
	if size.W >= 400 {
		return 17
	}
	return 13
}

// labelWidth guesses how wide a label is drawn, a little generously.
func labelWidth(size chartSize, text string) float64 {
	return float64(len([]rune(text))) * labelFont(size) * 0.6
}

// labelAt places a label centred under x, moved in so that it is not
// cut off at the right edge of the drawing, nor reaches left past the
// plot into the pain axis's numbers.
func labelAt(size chartSize, x float64, text string) float64 {
	half := labelWidth(size, text) / 2
	return max(size.Left+half, min(x, size.W-half-1))
}
