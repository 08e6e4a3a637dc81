package offer

import (
	"fmt"
	"net/url"
	"strconv"
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
			fmt.Fprintf(&b, "• %s: %s\n", x.Name, Dose(cat, x))
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

// Dose says an exercise's dose: "2 × 30 s of movement", "8 repetitions,
// each side".
func Dose(cat *catalog.Catalog, x backcoach.PlannedExercise) string {
	kind := backcoach.DoseReps
	if e, err := cat.Get(x.ID); err == nil {
		kind = e.Dose.Kind
	}
	return x.DoseWords(kind)
}

// durationWords says a number of seconds: "1 min", "45 s", "1 min 30 s".
func durationWords(seconds float64) string { return backcoach.DurationWords(int(seconds)) }

// Path is the web app's page for the break, relative to its root:
// /break?kind=KIND&seq=N. The page works out the same offer again from the
// person's own data, so nothing else need travel in the address.
func (o Offer) Path() string {
	q := url.Values{}
	q.Set("kind", string(o.Break.Kind))
	q.Set("seq", strconv.Itoa(max(o.Break.Seq, 1)))
	return "/break?" + q.Encode()
}

// IDs returns the ids of the offer's exercises.
func (o Offer) IDs() []string {
	ids := make([]string, len(o.Exercises))
	for i, x := range o.Exercises {
		ids[i] = x.ID
	}
	return ids
}

// LimitWords says that the day's computer time reached the daily limit,
// the same on the desktop and in the web app.
func LimitWords(activeSeconds int) string {
	return fmt.Sprintf("You have been at the computer for %s today, your daily limit. Time to stop if you can.", backcoach.DurationWords(activeSeconds))
}
