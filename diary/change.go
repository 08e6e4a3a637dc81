// Package diary applies the pain-diary rules of the clinical brief (§6) to
// a person's check-ins and guided sessions: what counts as a meaningful
// change, when a worsening needs a doctor, how the weekly PEG score moves,
// and the daily series a chart draws. It is pure — the domain and the
// standard library only, no clock, no I/O — so the terminal and the web
// app give the same answers from the same records.
package diary

import (
	"fmt"
	"math"
)

// The meaningful-change rule (Farrar 2001; Ostelo 2008): a change of at
// least 2 points on the 0–10 scale, or of at least 30 % of where it started.
const (
	MeaningfulPoints = 2.0
	MeaningfulShare  = 0.30
)

// epsilon absorbs floating-point noise when a mean lands exactly on a
// boundary such as 2 points.
const epsilon = 1e-9

// Direction says which way pain moved. Lower pain is better.
type Direction string

// The directions.
const (
	Better Direction = "better"
	Same   Direction = "same"
	Worse  Direction = "worse"
)

// Change compares two pain values (ratings or means of ratings).
type Change struct {
	From   float64 `json:"from"`
	To     float64 `json:"to"`
	Points float64 `json:"points"` // To − From: negative is less pain
	// Percent is the change relative to From, in percent (negative is
	// less pain); nil when From is 0, where a share cannot be taken.
	Percent    *float64  `json:"percent"`
	Direction  Direction `json:"direction"`
	Meaningful bool      `json:"meaningful"`
}

// Compare applies the meaningful-change rule to a move from one pain value
// to another. From 0 only the points rule applies, since no share of zero
// can be taken.
func Compare(from, to float64) Change {
	c := Change{From: round1(from), To: round1(to), Points: round1(to - from)}
	diff := to - from
	switch {
	case diff > epsilon:
		c.Direction = Worse
	case diff < -epsilon:
		c.Direction = Better
	default:
		c.Direction = Same
	}
	if math.Abs(diff) >= MeaningfulPoints-epsilon {
		c.Meaningful = true
	}
	if from > epsilon {
		share := diff / from
		p := round1(share * 100)
		c.Percent = &p
		if c.Direction != Same && math.Abs(share) >= MeaningfulShare-epsilon {
			c.Meaningful = true
		}
	}
	return c
}

// Words says the change in plain words, naming what was measured: "pain
// went from 5 to 3: 2 points (40 %) lower, a meaningful improvement".
func (c Change) Words(what string) string {
	s := fmt.Sprintf("%s went from %s to %s", what, num(c.From), num(c.To))
	if c.Direction == Same {
		return s + ": no change."
	}
	amount := fmt.Sprintf("%s %s", num(math.Abs(c.Points)), pointWord(math.Abs(c.Points)))
	if c.Percent != nil {
		amount += fmt.Sprintf(" (%s %%)", num(math.Abs(*c.Percent)))
	}
	way := "lower"
	if c.Direction == Worse {
		way = "higher"
	}
	verdict := "too small to count as a real change (that takes 2 points or 30 %)"
	switch {
	case c.Meaningful && c.Direction == Better:
		verdict = "a meaningful improvement"
	case c.Meaningful:
		verdict = "a meaningful worsening"
	}
	return fmt.Sprintf("%s: %s %s, %s.", s, amount, way, verdict)
}

func pointWord(v float64) string {
	if math.Abs(v-1) < epsilon {
		return "point"
	}
	return "points"
}

// round1 rounds to one decimal.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// num writes a value with one decimal, or none when it is whole.
func num(v float64) string {
	v = round1(v)
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
