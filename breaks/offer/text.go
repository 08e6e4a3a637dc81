package offer

import (
	"fmt"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/catalog"
)

// Summary is the offer's one-line title.
func (o Offer) Summary() string {
	if o.Rest {
		return "Time for a break: rest, no exercise today"
	}
	return fmt.Sprintf("Time for a %s (%s)", o.Break.Kind.Words(), durationWords(o.Break.For.Seconds()))
}

// Body is the offer's text: the exercises with their dose, or the advice,
// then the disclaimer.
func (o Offer) Body(cat *catalog.Catalog) string {
	var b strings.Builder
	if o.Rest {
		for _, line := range o.Advice {
			b.WriteString(line + "\n")
		}
	} else {
		b.WriteString(intro(o) + "\n")
		for _, x := range o.Exercises {
			fmt.Fprintf(&b, "• %s: %s\n", x.Name, dose(cat, x))
		}
	}
	b.WriteString(o.Disclaimer)
	return b.String()
}

// intro is the first line of an exercise offer.
func intro(o Offer) string {
	switch {
	case o.Break.Kind == breaks.Stretch:
		return "Stand up and move, then this short routine:"
	case o.Gentle:
		return "Stand up, move a little, and try this gentle exercise:"
	default:
		return "Stand up, move a little, and try this:"
	}
}

// dose says an exercise's dose: "2 × 30 s of movement", "8 repetitions,
// each side".
func dose(cat *catalog.Catalog, x backcoach.PlannedExercise) string {
	kind := backcoach.DoseReps
	if e, err := cat.Get(x.ID); err == nil {
		kind = e.Dose.Kind
	}
	var s string
	switch kind {
	case backcoach.DoseReps:
		s = fmt.Sprintf("%d repetitions", x.Reps)
	case backcoach.DoseHold:
		s = fmt.Sprintf("hold %d s", x.HoldSeconds)
	default:
		s = fmt.Sprintf("%d s of movement", x.HoldSeconds)
	}
	if x.Sets > 1 {
		s = fmt.Sprintf("%d × %s", x.Sets, s)
	}
	if x.Sides == backcoach.SidesEach {
		s += ", each side"
	}
	return s
}

// durationWords says a number of seconds: "1 min", "45 s", "1 min 30 s".
func durationWords(seconds float64) string {
	n := int(seconds)
	m, s := n/60, n%60
	switch {
	case m == 0:
		return fmt.Sprintf("%d s", s)
	case s == 0:
		return fmt.Sprintf("%d min", m)
	default:
		return fmt.Sprintf("%d min %d s", m, s)
	}
}

// IDs returns the ids of the offer's exercises.
func (o Offer) IDs() []string {
	ids := make([]string, len(o.Exercises))
	for i, x := range o.Exercises {
		ids[i] = x.ID
	}
	return ids
}
