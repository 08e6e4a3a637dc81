package coach

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// pickByCopy is what pick gives, the plain way: the lists joined,
// filtered, put in time order, reversed and cut to the limit.
func pickByCopy(lists [][]backcoach.DiaryEntry, f backcoach.Filter) []backcoach.DiaryEntry {
	out := []backcoach.DiaryEntry{}
	for _, e := range slices.Concat(lists...) {
		if (f.From.IsZero() || !e.At.Before(f.From)) && (f.To.IsZero() || e.At.Before(f.To)) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b backcoach.DiaryEntry) int { return a.At.Compare(b.At) })
	if f.NewestFirst {
		slices.Reverse(out)
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out
}

// pick over a baseline and a diary, in order or not, gives what the plain
// way gives; a list it returns without copying cannot be appended to
// over the record's own entries.
func TestPickAgreesWithCopying(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 13))
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	at := func(e *backcoach.DiaryEntry) time.Time { return e.At }
	for range 2000 {
		var lists [][]backcoach.DiaryEntry
		day := 0
		for range 1 + rng.IntN(2) {
			var l []backcoach.DiaryEntry
			for range rng.IntN(12) {
				if rng.IntN(6) > 0 {
					day += rng.IntN(3)
				} else {
					day -= rng.IntN(4) // out of order
				}
				l = append(l, backcoach.DiaryEntry{ID: backcoach.DateLayout[:rng.IntN(4)], At: t0.AddDate(0, 0, day), Pain: rng.IntN(11)})
			}
			lists = append(lists, l)
		}
		var f backcoach.Filter
		if rng.IntN(2) == 0 {
			f.From = t0.AddDate(0, 0, rng.IntN(10))
		}
		if rng.IntN(2) == 0 {
			f.To = t0.AddDate(0, 0, rng.IntN(25))
		}
		f.NewestFirst, f.Limit = rng.IntN(3) == 0, rng.IntN(3)
		before := slices.Clone(slices.Concat(lists...))
		got := pick(lists[0], at, f, lists[1:]...)
		if want := pickByCopy(lists, f); !reflect.DeepEqual(got, want) {
			t.Fatalf("pick %+v of %+v:\n%+v\nwant\n%+v", f, lists, got, want)
		}
		got = append(got, backcoach.DiaryEntry{Pain: 99})
		if len(got) > 0 {
			got[len(got)-1].Pain = 100
		}
		if after := slices.Concat(lists...); !reflect.DeepEqual(after, before) {
			t.Fatalf("appending to what pick returned changed the lists: %+v, was %+v", after, before)
		}
	}
}
