package web

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/triage"
)

// The web pages ask the coach (package coach) every question about safety,
// plans, check-ins and sessions; this file only turns its answers into
// what the templates show.

// day reads what the coach knows of the person now.
func (s *Server) day(ctx context.Context, me *backcoach.Person) (*coach.Day, error) {
	return s.coach.Day(ctx, me.ID)
}

// startOfDay returns midnight of t's day in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time { return coach.StartOfDay(t, loc) }

// dedupe keeps the first of each id, in order.
func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// routineOf is the routine the plan uses now: the one the person last
// chose (kept in the profile), else the latest assessment's, else the
// defaults.
func routineOf(d *coach.Day) routineForm {
	ctx := backcoach.DefaultContext()
	if pc := d.Profile.Context(); pc != nil {
		ctx = (&backcoach.Answers{Context: pc}).Routine()
	} else if d.Latest != nil {
		ctx = d.Latest.Answers.Routine()
	}
	return routineForm{Minutes: strconv.Itoa(ctx.Minutes), Places: ids(ctx.Places), Equipment: ids(ctx.Equipment)}
}

// refusalView is what to do while a warning sign bars exercise: the
// coach's refusal, with the numbers to tap to call.
type refusalView struct {
	*coach.Refusal
	Calls []phoneNumber
	// Emergency is true for the emergency screen, which ends with what to
	// do now.
	Emergency bool
	// Headline makes the title the page's own heading (h1), for a page
	// that is only this: the title says what to do.
	Headline bool
}

// AsPage is the refusal as a whole page's content, its title the page's
// heading.
func (v *refusalView) AsPage() *refusalView {
	if v == nil {
		return nil
	}
	c := *v
	c.Headline = true
	return &c
}

// emergency reports whether the refusal is the emergency screen.
func (v *refusalView) emergency() bool { return v != nil && v.Emergency }

// phoneNumber is a number to tap to call.
type phoneNumber struct {
	Number string
	Label  string
}

// refusalView shows a refusal, with the numbers of the person's region.
func newRefusalView(r *coach.Refusal, prof *backcoach.Profile) *refusalView {
	if r == nil {
		return nil
	}
	return &refusalView{Refusal: r, Calls: callNumbers(r.Urgency, prof), Emergency: r.Urgency == backcoach.UrgencyEmergency}
}

// callNumbers are the numbers to tap to call at an urgency, the person's
// own region's first.
func callNumbers(u backcoach.Urgency, prof *backcoach.Profile) []phoneNumber {
	zone := ""
	if prof != nil {
		zone = prof.TimeZone
	}
	var out []phoneNumber
	for _, n := range triage.CallNumbers(u, zone) {
		out = append(out, phoneNumber{Number: n.Number, Label: n.Label})
	}
	return out
}

// streak counts the days in a row, up to today, with at least one
// session; a day without one yet today does not break it.
func streak(sessions []backcoach.Session, now time.Time, loc *time.Location) int {
	days := map[string]bool{}
	for _, s := range sessions {
		days[s.LocalDate(loc)] = true
	}
	y, m, d := now.In(loc).Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, loc)
	if !days[day.Format(backcoach.DateLayout)] {
		day = day.AddDate(0, 0, -1)
	}
	n := 0
	for days[day.Format(backcoach.DateLayout)] {
		n++
		day = day.AddDate(0, 0, -1)
	}
	return n
}
