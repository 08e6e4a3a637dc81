package coach

import (
	"context"

	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// BreakOffer decides what a break offers the person, by the same rules as
// today's plan: rest and what to do while a warning sign stands in the
// safety record; otherwise exercises from their own plan (the latest
// assessment judged by today's rules, today's dose level), done at the
// desk or standing; gentle ones only before the first assessment. date is
// the person's today (YYYY-MM-DD). n is how many exercises the break
// holds.
func (c *Coach) BreakOffer(ctx context.Context, person string, b breaks.Break, n int, date string) (offer.Offer, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return offer.Offer{}, err
	}
	if date == "" {
		date = d.Today
	}
	in := offer.Input{Date: date}
	if r := d.Refusal(); r != nil {
		in.Rest = &offer.Rest{Urgency: r.Urgency, Advice: r.Advice}
		return offer.Choose(c.catalog, b, n, in), nil
	}
	if d.Latest != nil {
		ans := planAnswers(d, d.Latest)
		res := triage.AssessCleared(&ans, d.Standing.Cleared)
		if !res.ExerciseAllowed {
			in.Rest = &offer.Rest{Urgency: res.Urgency, Advice: res.Advice}
			return offer.Choose(c.catalog, b, n, in), nil
		}
		in.Answers, in.Result = &ans, res
		prog, err := planner.LoadLevel(ctx, c.store, person, d.Loc, d.Now, date)
		if err != nil {
			return offer.Offer{}, err
		}
		in.Level = prog.Level
	}
	return offer.Choose(c.catalog, b, n, in), nil
}

// BreakOffers returns the content source of one person's breaks, in the
// form the break hosts take: counts says how many exercises each kind of
// break holds (1 when not named).
func (c *Coach) BreakOffers(person string, counts map[breaks.Kind]int) func(ctx context.Context, b breaks.Break, date string) (offer.Offer, error) {
	return func(ctx context.Context, b breaks.Break, date string) (offer.Offer, error) {
		n := counts[b.Kind]
		if n == 0 {
			n = 1
		}
		return c.BreakOffer(ctx, person, b, n, date)
	}
}
