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
	return x.DoseWords(kind)
}

// durationWords says a number of seconds: "1 min", "45 s", "1 min 30 s".
func durationWords(seconds float64) string { return backcoach.DurationWords(int(seconds)) }

// IDs returns the ids of the offer's exercises.
func (o Offer) IDs() []string {
	ids := make([]string, len(o.Exercises))
	for i, x := range o.Exercises {
		ids[i] = x.ID
	}
	return ids
}
