package coach

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/ical"
)

// The calendar feed: a person's planned sessions and check-in reminders,
// read by any calendar app from a secret address. The coach decides what
// goes in, by the same rules as every other interface: no session is
// planned while the safety record refuses exercise (docs/clinical.md
// §3.4), a clinician's programme sets the days, and the check-in says
// when it will ask the weekly PEG questions (docs/clinical.md §2, §6).

// CalendarFeedPrefix marks a calendar feed's secret.
const CalendarFeedPrefix = "bcf_"

// The feed's window: the past week, where the sessions and check-ins
// kept stay in the calendar, marked done, and the next four weeks, with
// what is planned.
const (
	CalendarPastDays = 7
	CalendarDays     = 28
)

// CalendarRefresh is how often calendar apps are asked to fetch the feed
// again: a refusal of exercise should reach the calendar within the hour.
const CalendarRefresh = time.Hour

// CheckInMinutes is how long a check-in takes in the calendar.
const CheckInMinutes = 5

// CalendarKind is what an event of the feed is for.
type CalendarKind string

// The kinds of event.
const (
	// CalendarSession is a planned guided session.
	CalendarSession CalendarKind = "session"
	// CalendarCheckIn is the daily check-in, with the weekly PEG
	// questions on the days they are due.
	CalendarCheckIn CalendarKind = "check_in"
	// CalendarPaused stands in for the sessions while the safety record
	// refuses exercise: a whole-day note pointing to the safety page.
	CalendarPaused CalendarKind = "paused"
	// CalendarAssess stands in for the sessions before the first
	// assessment: the plan is built from its answers.
	CalendarAssess CalendarKind = "assess"
)

// CalendarEvent is one event of the feed.
type CalendarEvent struct {
	// UID is the same for the same event in every fetch (and after the
	// feed's address is made anew), and says nothing about the person.
	UID  string       `json:"uid"`
	Kind CalendarKind `json:"kind"`
	// Date is the event's day in the person's zone (YYYY-MM-DD).
	Date       string    `json:"date"`
	Start, End time.Time `json:"-"`
	// AllDay events have only a date.
	AllDay      bool   `json:"all_day"`
	Summary     string `json:"summary"`
	Description string `json:"description"`
	// Path is the app's page the event links to.
	Path string `json:"path"`
	// Done is set on a past day's session or check-in, which the feed
	// shows only when it was kept.
	Done bool `json:"done"`
	// PEG is set on a check-in that asks the weekly PEG questions.
	PEG bool `json:"peg"`
	// Alarm asks the app to remind the person at the start.
	Alarm bool `json:"alarm"`
}

// Calendar is a person's feed over a span of days.
type Calendar struct {
	Person string
	Loc    *time.Location
	// From is the first day and To the day after the last (YYYY-MM-DD).
	From, To string
	// Now is when it was read (every event's DTSTAMP).
	Now    time.Time
	Events []CalendarEvent
}

// MakeCalendarFeed makes the person a new calendar feed, replacing any
// they had (whose address stops working at once), with the sessions and
// check-ins at the given local times of day (HH:MM; empty for the
// defaults). The secret is returned once; only its hash is kept.
func (c *Coach) MakeCalendarFeed(ctx context.Context, person, sessionTime, checkInTime string) (string, *backcoach.CalendarFeed, error) {
	secret, hash, err := auth.NewToken(CalendarFeedPrefix)
	if err != nil {
		return "", nil, err
	}
	f := &backcoach.CalendarFeed{Hash: hash, SessionTime: sessionTime, CheckInTime: checkInTime}
	if err := c.store.MakeCalendarFeed(ctx, person, f); err != nil {
		return "", nil, err
	}
	f.Hash = ""
	return secret, f, nil
}

// CalendarBySecret reads the feed a secret names over its window (the
// past week and the next four weeks); ENOTFOUND for a secret that names
// no feed, or one revoked or replaced.
func (c *Coach) CalendarBySecret(ctx context.Context, secret string) (*Calendar, error) {
	if len(secret) > 200 || !strings.HasPrefix(secret, CalendarFeedPrefix) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no calendar feed has that address")
	}
	f, err := c.store.CalendarFeedByHash(ctx, auth.TokenHash(secret))
	if err != nil {
		return nil, err
	}
	d, err := c.Day(ctx, f.PersonID)
	if err != nil {
		return nil, err
	}
	start := d.StartOfDay()
	from := start.AddDate(0, 0, -CalendarPastDays).Format(backcoach.DateLayout)
	to := start.AddDate(0, 0, CalendarDays).Format(backcoach.DateLayout)
	return c.calendar(ctx, d, f, from, to)
}

// CalendarFeed reads the person's calendar from the day from to the day
// before to (YYYY-MM-DD, in their zone), at the times of the feed given
// (the defaults when nil).
func (c *Coach) CalendarFeed(ctx context.Context, person string, f *backcoach.CalendarFeed, from, to string) (*Calendar, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	return c.calendar(ctx, d, f, from, to)
}

// MaxCalendarDays bounds the span of one read.
const MaxCalendarDays = 366

func (c *Coach) calendar(ctx context.Context, d *Day, f *backcoach.CalendarFeed, from, to string) (*Calendar, error) {
	if f == nil {
		f = &backcoach.CalendarFeed{}
	}
	sessionAt, checkInAt := or(f.SessionTime, backcoach.DefaultSessionTime), or(f.CheckInTime, backcoach.DefaultCheckInTime)
	if err := backcoach.CheckClock("session_time", sessionAt); err != nil {
		return nil, err
	}
	if err := backcoach.CheckClock("check_in_time", checkInAt); err != nil {
		return nil, err
	}
	if err := backcoach.CheckDate("from", from); err != nil {
		return nil, err
	}
	if err := backcoach.CheckDate("to", to); err != nil {
		return nil, err
	}
	first, last := localDay(from, d.Loc), localDay(to, d.Loc)
	if !last.After(first) || last.Sub(first) > MaxCalendarDays*24*time.Hour+time.Hour {
		return nil, backcoach.Invalid("to", "must be 1 to %d days after from (%s), got %s", MaxCalendarDays, from, to)
	}
	cal := &Calendar{Person: d.Person, Loc: d.Loc, From: from, To: to, Now: d.Now, Events: []CalendarEvent{}}
	tag := personTag(d.Person)

	// What was kept: sessions and check-ins by day, and the last PEG
	// before the span, from which the next PEG days follow.
	sessions, err := c.store.Sessions(ctx, d.Person, backcoach.Filter{From: first, To: last})
	if err != nil {
		return nil, err
	}
	entries, err := c.store.DiaryEntries(ctx, d.Person, backcoach.Filter{From: first, To: last})
	if err != nil {
		return nil, err
	}
	sessionDays := map[string]bool{}
	for _, s := range sessions {
		sessionDays[s.StartedAt.In(d.Loc).Format(backcoach.DateLayout)] = true
	}
	checkInDays, pegDays := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		day := e.At.In(d.Loc).Format(backcoach.DateLayout)
		checkInDays[day] = true
		if e.PEG != nil {
			pegDays[day] = true
		}
	}
	nextPEG, err := c.nextPEGDay(ctx, d)
	if err != nil {
		return nil, err
	}

	// Sessions only while exercise is allowed: a refusal replaces them
	// with one note for today, pointing to the safety page.
	plan, err := c.sessionPlan(ctx, d)
	if err != nil {
		return nil, err
	}
	minutes := d.Profile.Minutes
	if minutes == 0 {
		minutes = backcoach.DefaultMinutes
	}
	todayStart := d.StartOfDay()
	if plan.note != nil && !todayStart.Before(first) && todayStart.Before(last) {
		n := *plan.note
		n.UID, n.Date, n.AllDay = uid(n.Kind, d.Today, tag), d.Today, true
		n.Start, n.End = todayStart, todayStart.AddDate(0, 0, 1)
		cal.Events = append(cal.Events, n)
	}
	for day := first; day.Before(last); day = day.AddDate(0, 0, 1) {
		date := day.Format(backcoach.DateLayout)
		past := date < d.Today
		// The days gone show what was kept, today and the days to come
		// what is planned, unless it was kept already.
		kept := !(date > d.Today) && sessionDays[date]
		switch {
		case kept:
			cal.Events = append(cal.Events, CalendarEvent{UID: uid(CalendarSession, date, tag), Kind: CalendarSession, Date: date, Path: "/diary",
				Start: at(day, sessionAt, d.Loc), End: at(day, sessionAt, d.Loc).Add(time.Duration(minutes) * time.Minute),
				Summary: "Back exercises: done", Description: "A guided session was kept this day; the diary shows it.", Done: true})
		case !past && plan.allowed && (plan.programme == nil || programmeDay(plan.programme, date)):
			ev := CalendarEvent{UID: uid(CalendarSession, date, tag), Kind: CalendarSession, Date: date, Path: "/plan", Alarm: true}
			ev.Start = at(day, sessionAt, d.Loc)
			ev.End = ev.Start.Add(time.Duration(minutes) * time.Minute)
			ev.Summary = fmt.Sprintf("Back exercises, %d minutes", minutes)
			ev.Description = "The day's guided session is on the Plan page; it begins by asking how your back is."
			if plan.programme != nil {
				ev.Description = "The day's session follows the programme your clinician assigned; it begins by asking how your back is."
			}
			if ev.Start.Sub(d.Latest.TakenAt) > ReassessAfter {
				ev.Description += " Your last answers to the safety questions will be over a week old by then, so they are asked again first."
			}
			cal.Events = append(cal.Events, ev)
		}
		checkedIn := !(date > d.Today) && checkInDays[date]
		if past && !checkedIn {
			continue
		}
		ev := CalendarEvent{UID: uid(CalendarCheckIn, date, tag), Kind: CalendarCheckIn, Date: date, Path: "/diary", Alarm: true}
		ev.Start = at(day, checkInAt, d.Loc)
		ev.End = ev.Start.Add(CheckInMinutes * time.Minute)
		ev.Summary = "Back check-in: the day's pain"
		ev.Description = "Rate the day's pain from 0 to 10 in the diary; the check-in also asks about the warning signs once a day."
		if checkedIn {
			ev.PEG = pegDays[date]
		} else {
			ev.PEG = date >= nextPEG && daysBetween(nextPEG, date)%diary.PEGIntervalDays == 0
		}
		if ev.PEG {
			ev.Summary = "Back check-in with the weekly PEG questions"
			ev.Description += " This check-in also asks the weekly PEG questions."
		}
		if checkedIn {
			ev.Done, ev.Summary = true, strings.Replace(ev.Summary, "Back check-in", "Back check-in done", 1)
		}
		cal.Events = append(cal.Events, ev)
	}
	return cal, nil
}

// sessionPlanned is whether sessions go in the calendar, or what stands
// in for them.
type sessionPlanned struct {
	allowed   bool
	programme *backcoach.Programme
	note      *CalendarEvent
}

// sessionPlan decides whether sessions are planned: not while the safety
// record refuses exercise, nor before the first assessment.
func (c *Coach) sessionPlan(ctx context.Context, d *Day) (sessionPlanned, error) {
	if r := d.Refusal(); r != nil {
		return sessionPlanned{note: &CalendarEvent{Kind: CalendarPaused, Path: "/safety",
			Summary:     "Back exercises paused: see the safety page",
			Description: "No sessions are planned while a warning sign stands in your safety record. What to do: " + r.Title + ". " + r.Lift,
		}}, nil
	}
	if d.Latest == nil {
		return sessionPlanned{note: &CalendarEvent{Kind: CalendarAssess, Path: "/assess",
			Summary:     "Back exercises: answer the first questions",
			Description: "Your plan is built from your answers to the safety questions; answer them in the app, and your sessions appear here.",
		}}, nil
	}
	p, err := c.store.ActiveProgramme(ctx, d.Person)
	switch {
	case err == nil:
		return sessionPlanned{allowed: true, programme: p}, nil
	case backcoach.ErrorCode(err) == backcoach.ENOTFOUND:
		return sessionPlanned{allowed: true}, nil
	default:
		return sessionPlanned{}, err
	}
}

// nextPEGDay is the first day, today or later, on which the check-in asks
// the weekly PEG questions: a week after the last answers, or today when
// that is past (diary.PEGDue).
func (c *Coach) nextPEGDay(ctx context.Context, d *Day) (string, error) {
	entries, err := c.store.DiaryEntries(ctx, d.Person, backcoach.Filter{From: d.StartOfDay().AddDate(0, 0, -diary.PEGIntervalDays)})
	if err != nil {
		return "", err
	}
	last := ""
	for _, e := range entries {
		if e.PEG != nil {
			if day := e.At.In(d.Loc).Format(backcoach.DateLayout); day > last && day <= d.Today {
				last = day
			}
		}
	}
	if last == "" || diary.PEGDue(entries, d.Now, d.Loc) {
		return d.Today, nil
	}
	return localDay(last, d.Loc).AddDate(0, 0, diary.PEGIntervalDays).Format(backcoach.DateLayout), nil
}

// ICal writes the calendar for calendar apps; origin is the app's address
// (https://coach.example) for the links back to it.
func (cal *Calendar) ICal(origin string) *ical.Calendar {
	out := &ical.Calendar{
		ProdID:      "-//backcoach//calendar feed//EN",
		Name:        "backcoach",
		Description: "Planned back exercises and check-in reminders from backcoach.",
		Refresh:     CalendarRefresh,
		Events:      make([]ical.Event, 0, len(cal.Events)),
	}
	origin = strings.TrimSuffix(origin, "/")
	for _, ev := range cal.Events {
		x := ical.Event{UID: ev.UID, Stamp: cal.Now, Start: ev.Start, End: ev.End, AllDay: ev.AllDay,
			Summary: ev.Summary, Description: ev.Description, Free: ev.Kind != CalendarSession}
		if origin != "" {
			x.URL = origin + ev.Path
			x.Description += "\n" + x.URL
		}
		if ev.Alarm && !ev.Done {
			x.Alarm = &ical.Alarm{Description: ev.Summary}
		}
		out.Events = append(out.Events, x)
	}
	return out
}

// personTag names the person in UIDs without saying who they are: the
// same for the same person, always.
func personTag(person string) string {
	sum := sha256.Sum256([]byte("backcoach calendar " + person))
	return hex.EncodeToString(sum[:10])
}

func uid(kind CalendarKind, date, tag string) string {
	return fmt.Sprintf("%s-%s-%s@backcoach", strings.ReplaceAll(string(kind), "_", "-"), strings.ReplaceAll(date, "-", ""), tag)
}

// localDay is midnight of a date (YYYY-MM-DD, checked) in loc.
func localDay(date string, loc *time.Location) time.Time {
	t, _ := time.ParseInLocation(backcoach.DateLayout, date, loc)
	return t
}

// at is the time of day clock (HH:MM, checked) on day, in loc; the
// zone's rules of that day apply, summer time included.
func at(day time.Time, clock string, loc *time.Location) time.Time {
	t, _ := time.Parse(backcoach.ClockLayout, clock)
	y, m, dd := day.Date()
	return time.Date(y, m, dd, t.Hour(), t.Minute(), 0, 0, loc)
}

// daysBetween counts the calendar days from a to b (YYYY-MM-DD).
func daysBetween(a, b string) int {
	ta, _ := time.Parse(backcoach.DateLayout, a)
	tb, _ := time.Parse(backcoach.DateLayout, b)
	return int(tb.Sub(ta).Hours()+12) / 24
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
