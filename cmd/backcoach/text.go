package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/backcoach/backcoach"
)

// lineWidth is the width human-readable output is wrapped to.
const lineWidth = 78

// wrap breaks s into lines of at most width runes of text; every line after
// the first starts with indent, which does not count toward the width.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	col := 0
	for i, word := range strings.Fields(s) {
		n := len([]rune(word))
		if i > 0 && col+1+n > width {
			b.WriteString("\n" + indent)
			col = 0
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += n
	}
	return b.String()
}

// para writes a wrapped paragraph with a prefix (a bullet or number).
func para(w io.Writer, prefix, s string) {
	indent := strings.Repeat(" ", len([]rune(prefix)))
	fmt.Fprintln(w, prefix+wrap(s, lineWidth-len(indent), indent))
}

// doseWords says a planned dose in plain words: "2 × 10 slow repetitions,
// each side".
func doseWords(sets, reps, hold int, kind backcoach.DoseKind, sides backcoach.Sides) string {
	x := backcoach.PlannedExercise{Sets: sets, Reps: reps, HoldSeconds: hold, Sides: sides}
	return x.DoseWords(kind)
}

// rangeWords says a dose range: "8–10".
func rangeWords(r backcoach.Range) string {
	if r.Min == r.Max {
		return fmt.Sprint(r.Min)
	}
	return fmt.Sprintf("%d–%d", r.Min, r.Max)
}

// minutesWords says a number of seconds as minutes and seconds.
func minutesWords(seconds int) string { return backcoach.DurationWords(seconds) }

// idWords turns an id such as "foam_roller" into words.
func idWords[T ~string](ids []T) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strings.ReplaceAll(string(id), "_", " ")
	}
	return strings.Join(s, ", ")
}
