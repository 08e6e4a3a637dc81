package tui

import (
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/guide"
)

var testCatalog = catalog.MustLoad()

// item makes a session item from the real catalog with a chosen dose.
func item(t testing.TB, id string, sets, reps, hold int) guide.Item {
	t.Helper()
	e, err := testCatalog.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	p := backcoach.PlannedExercise{ID: e.ID, Name: e.Name, Sets: sets, Reps: reps, HoldSeconds: hold, Sides: e.Dose.Sides, Tempo: e.Dose.Tempo, Changes: []string{}}
	it := guide.Item{Plan: p, Exercise: *e}
	total := time.Duration(0)
	for _, s := range guide.Segments(it) {
		total += s.Duration
	}
	it.Plan.Seconds = int(total / time.Second)
	return it
}

// testItems is a short routine with every kind of dose: a hold without
// sides, a hold on each side, repetitions and a timed movement.
func testItems(t testing.TB) []guide.Item {
	return []guide.Item{
		item(t, "childs-pose", 2, 0, 20),
		item(t, "wall-stretch", 1, 0, 20),
		item(t, "cat-cow", 1, 4, 0),
		item(t, "shoulder-rolls", 1, 0, 30),
	}
}

// planOf is a plan of the items, at a dose level.
func planOf(items []guide.Item, level int) backcoach.Plan {
	p := backcoach.Plan{Level: level, Exercises: []backcoach.PlannedExercise{}}
	for _, it := range items {
		p.Exercises = append(p.Exercises, it.Plan)
	}
	return p
}

// newGuide starts a session over the items.
func newGuide(t testing.TB, items []guide.Item, level int) *guide.Guide {
	t.Helper()
	g, err := guide.New(planOf(items, level), testCatalog)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// resumeGuide continues a stored session over the items.
func resumeGuide(t testing.TB, items []guide.Item, prior *backcoach.Session, now time.Time) *guide.Guide {
	t.Helper()
	g, err := guide.Resume(planOf(items, prior.Level), testCatalog, prior, now)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// fakeClock is the injected clock of the tests.
type fakeClock struct{ t time.Time }

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { return c.t }

func (c *fakeClock) tick(d time.Duration) time.Time {
	c.t = c.t.Add(d)
	return c.t
}
