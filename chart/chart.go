// Package chart computes the pain chart's geometry once — the daily mean
// as lines and dots, each day's highest pain, the sessions, the weekly PEG
// scores, the axes and their labels, the highest point and the marks of a
// meaningful change (docs/clinical.md §6) — so that the web app (as SVG)
// and the report (as PDF) draw the same chart. It is pure: the diary's
// series in, numbers and words out.
package chart

import (
	"fmt"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
)

// Size is the drawing's size and margins, in the drawing's own units (SVG
// user units; the report scales them to the page).
type Size struct {
	W, H                     float64
	Left, Right, Top, Bottom float64
	// Labels writes dates under the plot.
	Labels bool
}

// The sizes the interfaces use.
var (
	// Wide is the diary's chart.
	Wide = Size{W: 440, H: 220, Left: 26, Right: 8, Top: 10, Bottom: 34, Labels: true}
	// Small is today's page's chart.
	Small = Size{W: 320, H: 110, Left: 22, Right: 6, Top: 8, Bottom: 22, Labels: true}
	// Report is the report's chart: wide enough for a year of days.
	Report = Size{W: 520, H: 210, Left: 26, Right: 8, Top: 16, Bottom: 34, Labels: true}
)

// Point is a place in the drawing.
type Point struct{ X, Y float64 }

// Grid is a horizontal line at a pain value, with its label left of the
// plot (anchored at its end).
type Grid struct {
	Value          float64
	X1, X2, Y      float64
	LabelX, LabelY float64
	Label          string
}

// Bar marks a day with sessions along the bottom of the plot.
type Bar struct {
	X, Y, W, H float64
	Date       string
	Sessions   int
}

// Tick is a day's highest pain, drawn from the highest down to the mean.
type Tick struct {
	X, Y1, Y2 float64
	Date      string
	Max       int
}

// Dot is a day's mean pain.
type Dot struct {
	X, Y, R float64
	Date    string
	Mean    float64
	Max     int
	// Title says the day's pain in words.
	Title string
}

// PEGMark is a weekly PEG score, drawn as a diamond centred on X, Y.
type PEGMark struct {
	X, Y  float64
	Date  string
	Score float64
	Title string
}

// Label is a date under the plot, centred on X.
type Label struct {
	X, Y float64
	Text string
}

// Highest is the highest pain of the period: the first day it was
// recorded, and where to write it.
type Highest struct {
	X, Y   float64
	Date   string
	Max    int
	LabelY float64
	Text   string
}

// Span is the mean over the days at one end of the period, drawn as a
// horizontal line over those days.
type Span struct {
	X1, X2, Y float64
	Mean      float64
}

// ChangeMark marks a meaningful change over the period (docs/clinical.md
// §6): the mean of its first days and of its last days, and words saying
// the change, written at TextX, TextY (anchored at its end).
type ChangeMark struct {
	First, Last  Span
	Better       bool
	Text         string
	TextX, TextY float64
	// Words says the change in a sentence, for a title or a caption.
	Words string
}

// Geometry is one chart, ready to draw.
type Geometry struct {
	Size Size
	// Summary says in words what the chart shows, for screen readers.
	Summary  string
	Days     []diary.Day
	Grid     []Grid
	Sessions []Bar
	Ticks    []Tick
	// Lines are the runs of days with pain, two days or more each.
	Lines   [][]Point
	Dots    []Dot
	PEG     []PEGMark
	Labels  []Label
	Highest *Highest
	// Change is set when the period's change is meaningful.
	Change *ChangeMark
}

// Empty reports whether there is nothing to draw (a series without days).
func (g Geometry) Empty() bool { return len(g.Days) == 0 }

// Compute lays out the series (and the PEG scores when given) in a chart
// of the given size.
func Compute(s diary.Series, peg *diary.PEGTrend, size Size) Geometry {
	n := len(s.Days)
	if n == 0 {
		return Geometry{Size: size}
	}
	g := Geometry{Size: size, Days: s.Days, Summary: Summary(s, peg)}
	plotW := size.W - size.Left - size.Right
	plotH := size.H - size.Top - size.Bottom
	step := plotW / float64(n)
	x := func(i int) float64 { return size.Left + (float64(i)+0.5)*step }
	y := func(v float64) float64 { return size.Top + plotH*(1-v/10) }
	for _, v := range []float64{0, 5, 10} {
		g.Grid = append(g.Grid, Grid{Value: v, X1: size.Left, X2: size.W - size.Right, Y: y(v),
			LabelX: size.Left - 5, LabelY: y(v) + 4, Label: Num(v)})
	}
	r := 4.0
	if n > 40 {
		r = 2.5
	}
	if size.H < 150 {
		r = 3
	}
	for i, d := range s.Days {
		if d.Sessions > 0 {
			g.Sessions = append(g.Sessions, Bar{X: x(i) - step*0.35, Y: y(0) + 3, W: step * 0.7, H: 4, Date: d.Date, Sessions: d.Sessions})
		}
	}
	for i, d := range s.Days {
		if d.HasPain() && float64(d.Max) > d.Mean {
			g.Ticks = append(g.Ticks, Tick{X: x(i), Y1: y(float64(d.Max)), Y2: y(d.Mean), Date: d.Date, Max: d.Max})
		}
	}
	var run []Point
	for i, d := range s.Days {
		if !d.HasPain() {
			if len(run) > 1 {
				g.Lines = append(g.Lines, run)
			}
			run = nil
			continue
		}
		run = append(run, Point{x(i), y(d.Mean)})
	}
	if len(run) > 1 {
		g.Lines = append(g.Lines, run)
	}
	for i, d := range s.Days {
		if !d.HasPain() {
			continue
		}
		g.Dots = append(g.Dots, Dot{X: x(i), Y: y(d.Mean), R: r, Date: d.Date, Mean: d.Mean, Max: d.Max,
			Title: fmt.Sprintf("%s: pain %s (highest %d)", ShortDate(d.Date), Num(d.Mean), d.Max)})
		if g.Highest == nil || d.Max > g.Highest.Max {
			g.Highest = &Highest{X: x(i), Y: y(float64(d.Max)), Date: d.Date, Max: d.Max}
		}
	}
	if h := g.Highest; h != nil {
		h.Text = fmt.Sprintf("highest %d", h.Max)
		h.LabelY = h.Y - 7
		if h.LabelY < 11 {
			h.LabelY = h.Y + 16 // no room above: below the point
		}
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
			g.PEG = append(g.PEG, PEGMark{X: x(i), Y: y(p.Score), Date: p.Date, Score: p.Score,
				Title: fmt.Sprintf("%s: PEG %s", ShortDate(p.Date), Num(p.Score))})
		}
	}
	if c := s.PeriodChange(); c != nil && c.Meaningful {
		part := diary.ComparePart(n)
		span := func(first, last int, v float64) Span {
			return Span{X1: x(first) - step/2, X2: x(last) + step/2, Y: y(v), Mean: v}
		}
		way := "meaningful worsening"
		if c.Direction == diary.Better {
			way = "meaningful improvement"
		}
		g.Change = &ChangeMark{
			First: span(0, part-1, c.From), Last: span(n-part, n-1, c.To), Better: c.Direction == diary.Better,
			Text: fmt.Sprintf("%s → %s: %s", Num(c.From), Num(c.To), way), Words: c.Words("Pain"),
		}
		// The words sit above the last days' line, or below it when
		// there is no room above.
		g.Change.TextX, g.Change.TextY = g.Change.Last.X2, g.Change.Last.Y-5
		if g.Change.TextY < size.Top+12 {
			g.Change.TextY = g.Change.Last.Y + 14
		}
	}
	if size.Labels {
		days := labelDays(n)
		if size.W < 400 && n > 3 {
			days = []int{0, n / 2, n - 1}
		}
		for _, i := range days {
			g.Labels = append(g.Labels, Label{X: x(i), Y: size.H - size.Bottom + 18, Text: ShortDate(s.Days[i].Date)})
		}
	}
	return g
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

// ShortDate writes YYYY-MM-DD as "2 Jan".
func ShortDate(d string) string {
	t, err := time.Parse(backcoach.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan")
}

// Num writes a number with one decimal, dropping ".0".
func Num(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
}

// Summary says in words what the chart shows, for screen readers.
func Summary(s diary.Series, peg *diary.PEGTrend) string {
	if len(s.Days) == 0 {
		return ""
	}
	first, last := ShortDate(s.Days[0].Date), ShortDate(s.Days[len(s.Days)-1].Date)
	if s.LoggedDays == 0 {
		return fmt.Sprintf("Pain from %s to %s: no check-ins yet; %s.", first, last, backcoach.Count(s.Sessions, "session", "sessions"))
	}
	out := fmt.Sprintf("Pain from %s to %s: %s with check-ins, mean %s out of 10; %s.", first, last,
		backcoach.Count(s.LoggedDays, "day", "days"), Num(s.Mean), backcoach.Count(s.Sessions, "session", "sessions"))
	if peg != nil && len(peg.Points) > 0 {
		out += fmt.Sprintf(" %s, the last %s.", backcoach.Count(len(peg.Points), "weekly PEG score", "weekly PEG scores"), Num(peg.Points[len(peg.Points)-1].Score))
	}
	return out
}

// PEGSummary says the weekly PEG scores of a period in words; the scores
// themselves are drawn on the pain chart.
func PEGSummary(p diary.PEGTrend, from, to string) string {
	from, to = ShortDate(from), ShortDate(to)
	if len(p.Points) == 0 {
		return fmt.Sprintf("No weekly PEG answers between %s and %s.", from, to)
	}
	s := fmt.Sprintf("%s between %s and %s.", backcoach.Count(len(p.Points), "weekly PEG score", "weekly PEG scores"), from, to)
	if p.Change != nil {
		s += " " + p.Change.Words("The PEG score")
	}
	return s
}
