// Package coach holds the use cases of the coach, once, for every
// interface: may this person exercise now and why not, take an assessment,
// today's plan, keep a check-in, record a session and its stop, the diary
// with its reads, what a break offers, record a clinician's clearance. The
// web pages, the JSON API, the terminal commands, the desktop break daemon
// and the web break hub call these and decide nothing about safety or
// plans themselves.
//
// The coach works over the service interfaces of the domain (the store
// implements them) and the pure rule packages (triage, planner, diary,
// catalog); it reads the clock it is given.
package coach

import (
	"context"
	"slices"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/triage"
)

// Store is what the coach reads and writes: the domain's services.
type Store interface {
	backcoach.PersonService
	backcoach.AssessmentService
	backcoach.PlanService
	backcoach.SessionService
	backcoach.DiaryService
	backcoach.BreakStatsService
	backcoach.SafetyService
	backcoach.BatchService
	backcoach.SharingService
	backcoach.CalendarFeedService
}

// Coach answers the coach's questions for one person at a time.
type Coach struct {
	store   Store
	catalog *catalog.Catalog
	now     func() time.Time
}

// New returns a coach over the store and the catalog; now is the clock
// (time.Now when nil).
func New(st Store, cat *catalog.Catalog, now func() time.Time) *Coach {
	if now == nil {
		now = time.Now
	}
	return &Coach{store: st, catalog: cat, now: now}
}

// Catalog returns the exercise catalog the coach plans from.
func (c *Coach) Catalog() *catalog.Catalog { return c.catalog }

// ReassessAfter is how old the latest assessment may be before a session
// asks the questions again.
const ReassessAfter = 7 * 24 * time.Hour

// Day is what the coach knows of a person at one moment: their profile and
// time zone, today's date there, the latest assessment, and what their
// safety record says.
type Day struct {
	Person  string
	Profile *backcoach.Profile
	Loc     *time.Location
	Now     time.Time
	// Today is the date in the person's zone (YYYY-MM-DD).
	Today string
	// Latest is the newest assessment, nil before the first.
	Latest *backcoach.SavedAssessment
	// Record is the person's safety record, and Standing what stands of
	// it now.
	Record   *backcoach.SafetyRecord
	Standing triage.Standing
}

// Day reads what the coach knows of the person now.
func (c *Coach) Day(ctx context.Context, person string) (*Day, error) {
	prof, err := c.store.Profile(ctx, person)
	if err != nil {
		return nil, err
	}
	d := &Day{Person: person, Profile: prof, Loc: prof.Location(), Now: c.now()}
	d.Today = d.Now.In(d.Loc).Format(backcoach.DateLayout)
	list, err := c.store.Assessments(ctx, person, backcoach.Filter{Limit: 1, NewestFirst: true})
	if err != nil {
		return nil, err
	}
	if len(list) == 1 {
		d.Latest = &list[0]
	}
	if d.Record, err = c.store.SafetyRecord(ctx, person); err != nil {
		return nil, err
	}
	d.Standing = triage.StandingOf(withLatest(d.Record, d.Latest), d.Now)
	return d, nil
}

// withLatest returns the record with the latest assessment's warning signs
// in it when the record lacks them (an assessment kept some other way,
// such as restored from an older export): the safer reading.
func withLatest(rec *backcoach.SafetyRecord, latest *backcoach.SavedAssessment) *backcoach.SafetyRecord {
	if latest == nil || len(latest.Result.RedFlags) == 0 {
		return rec
	}
	for _, sc := range rec.Screens {
		if sc.Kind == backcoach.ScreenAssessment && !sc.At.Before(latest.TakenAt) {
			return rec
		}
	}
	out := *rec
	out.Screens = append(slices.Clone(rec.Screens), backcoach.Screen{At: latest.TakenAt, Kind: backcoach.ScreenAssessment,
		Via: backcoach.ViaUnknown, Complete: true, Signs: slices.Clone(latest.Result.RedFlags)})
	return &out
}

// StartOfDay is midnight of the day's date in the person's zone.
func (d *Day) StartOfDay() time.Time { return StartOfDay(d.Now, d.Loc) }

// StartOfDay returns midnight of t's day in loc.
func StartOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, dd := t.In(loc).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Stale reports whether the questions should be asked again before a
// session: there is no assessment, or the latest is more than a week old.
func (d *Day) Stale() bool {
	return d.Latest == nil || d.Now.Sub(d.Latest.TakenAt) > ReassessAfter
}

// Refusal returns why exercise is refused now, or nil when the safety
// record allows it.
func (d *Day) Refusal() *Refusal {
	if !d.Standing.Blocked {
		return nil
	}
	return newRefusal(d.Standing, d.Loc)
}

// Verdict is the answer to "may this person exercise now?".
type Verdict struct {
	// Allowed is true when a session may start.
	Allowed bool `json:"allowed"`
	// Refusal says why not, when the safety record bars exercise.
	Refusal *Refusal `json:"refusal,omitempty"`
	// NeedsAssessment is true when the questions must be answered first:
	// there is no assessment, or the latest is more than a week old.
	NeedsAssessment bool `json:"needs_assessment"`
}

// Verdict answers whether a session may start now.
func (d *Day) Verdict() Verdict {
	if r := d.Refusal(); r != nil {
		return Verdict{Refusal: r}
	}
	if d.Stale() {
		return Verdict{NeedsAssessment: true}
	}
	return Verdict{Allowed: true}
}

// MayExercise reads the person's day and answers whether a session may
// start now.
func (c *Coach) MayExercise(ctx context.Context, person string) (*Day, Verdict, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, Verdict{}, err
	}
	return d, d.Verdict(), nil
}
