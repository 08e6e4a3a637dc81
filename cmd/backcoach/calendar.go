package main

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/store"
)

// calendarCmd keeps the local account's calendar feed, which
// 'backcoach serve' serves at /calendar/SECRET.ics, or writes the
// calendar to a file for a calendar app to import once.
type calendarCmd struct {
	Show   calendarShowCmd   `cmd:"" default:"1" help:"Say whether you have a calendar feed, when it was made and last read."`
	Make   calendarMakeCmd   `cmd:"" help:"Make a calendar feed's secret address (replacing any old one) and print it once."`
	Revoke calendarRevokeCmd `cmd:"" help:"End the calendar feed: its address stops working at once."`
	Write  calendarWriteCmd  `cmd:"" help:"Write the calendar (iCalendar, .ics) of the past week and the next four weeks, to import once."`
}

type calendarShowCmd struct{}

func (c *calendarShowCmd) Run(a *app) error {
	return a.withLocal(func(s *store.Store, me *backcoach.Person) error {
		f, err := s.CalendarFeed(a.ctx, me.ID)
		if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			fmt.Fprintln(a.stdout, "You have no calendar feed. Make one with: backcoach calendar make")
			return nil
		}
		if err != nil {
			return err
		}
		loc := profileLocation(a, s, me)
		used := "not read by any calendar app yet"
		if f.LastUsedAt != nil {
			used = "last read by a calendar app on " + f.LastUsedAt.In(loc).Format("2 Jan 2006 at 15:04")
		}
		fmt.Fprintf(a.stdout, "A calendar feed made on %s, %s.\nSessions at %s, check-ins at %s (%s).\n",
			f.CreatedAt.In(loc).Format("2 Jan 2006"), used, f.SessionTime, f.CheckInTime, loc)
		return nil
	})
}

type calendarMakeCmd struct {
	SessionTime string `name:"session-time" default:"08:00" placeholder:"HH:MM" help:"The local time of the day's session."`
	CheckInTime string `name:"check-in-time" default:"20:00" placeholder:"HH:MM" help:"The local time of the day's check-in."`
	URL         string `name:"url" default:"http://127.0.0.1:8080" placeholder:"URL" help:"The address 'backcoach serve' is reached at, to print the feed's address."`
}

func (c *calendarMakeCmd) Run(a *app) error {
	base, err := url.Parse(c.URL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return backcoach.Invalid("url", "must be the web app's address, such as http://127.0.0.1:8080, got %q", c.URL)
	}
	return a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
		secret, _, err := co.MakeCalendarFeed(a.ctx, me.ID, c.SessionTime, c.CheckInTime)
		if err != nil {
			return err
		}
		addr := strings.TrimSuffix(base.String(), "/") + "/calendar/" + secret + ".ics"
		fmt.Fprintln(a.stdout, addr)
		fmt.Fprintln(a.stderr, "Your calendar feed's address, shown only once: subscribe to it in your calendar app while 'backcoach serve' runs. Any address made before no longer works.")
		return nil
	})
}

type calendarRevokeCmd struct{}

func (c *calendarRevokeCmd) Run(a *app) error {
	return a.withLocal(func(s *store.Store, me *backcoach.Person) error {
		if err := s.RevokeCalendarFeed(a.ctx, me.ID); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "The calendar feed is revoked: its address no longer works.")
		return nil
	})
}

type calendarWriteCmd struct {
	Out         string `help:"Write to FILE (created private to you) instead of the standard output." placeholder:"FILE" type:"path"`
	SessionTime string `name:"session-time" default:"08:00" placeholder:"HH:MM" help:"The local time of the day's session."`
	CheckInTime string `name:"check-in-time" default:"20:00" placeholder:"HH:MM" help:"The local time of the day's check-in."`
}

func (c *calendarWriteCmd) Run(a *app) error {
	return a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
		d, err := co.Day(a.ctx, me.ID)
		if err != nil {
			return err
		}
		start := d.StartOfDay()
		from := start.AddDate(0, 0, -coach.CalendarPastDays).Format(backcoach.DateLayout)
		to := start.AddDate(0, 0, coach.CalendarDays).Format(backcoach.DateLayout)
		cal, err := co.CalendarFeed(a.ctx, me.ID, &backcoach.CalendarFeed{SessionTime: c.SessionTime, CheckInTime: c.CheckInTime}, from, to)
		if err != nil {
			return err
		}
		body, err := cal.ICal("").Marshal()
		if err != nil {
			return err
		}
		write := func(w io.Writer) error { _, err := w.Write(body); return err }
		if c.Out == "" {
			return write(a.stdout)
		}
		if err := writeFileAtomic(c.Out, write); err != nil {
			return err
		}
		last := start.AddDate(0, 0, coach.CalendarDays-1).Format(backcoach.DateLayout)
		fmt.Fprintf(a.stderr, "Wrote %d events, from %s to %s, to %s.\n", len(cal.Events), from, last, c.Out)
		return nil
	})
}

// profileLocation is the local account's time zone, UTC when unknown.
func profileLocation(a *app, s *store.Store, me *backcoach.Person) *time.Location {
	p, err := s.Profile(a.ctx, me.ID)
	if err != nil {
		return time.UTC
	}
	return p.Location()
}
