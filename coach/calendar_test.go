package coach_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/ical"
)

func (f *fixture) zone(name string) {
	f.t.Helper()
	ctx := context.Background()
	p, err := f.store.Profile(ctx, f.person)
	if err != nil {
		f.t.Fatal(err)
	}
	p.TimeZone = name
	if err := f.store.SaveProfile(ctx, f.person, p); err != nil {
		f.t.Fatal(err)
	}
}

// byKind sorts a calendar's events by kind and date.
func byKind(cal *coach.Calendar) map[coach.CalendarKind]map[string]coach.CalendarEvent {
	out := map[coach.CalendarKind]map[string]coach.CalendarEvent{}
	for _, ev := range cal.Events {
		if out[ev.Kind] == nil {
			out[ev.Kind] = map[string]coach.CalendarEvent{}
		}
		out[ev.Kind][ev.Date] = ev
	}
	return out
}

func uids(cal *coach.Calendar) string {
	var out []string
	for _, ev := range cal.Events {
		out = append(out, ev.UID)
	}
	return strings.Join(out, " ")
}

// TestCalendarFeed follows a person's feed from before the first
// assessment to a refusal: sessions appear only once there is a plan and
// go while a warning sign stands, check-ins are there every day with the
// weekly PEG a week after the last, kept days say so, times follow the
// person's zone, UIDs stay, and a revoked address reads nothing.
func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.zone("Europe/Berlin")
	secret, feed, err := f.coach.MakeCalendarFeed(ctx, f.person, "07:30", "21:00")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, coach.CalendarFeedPrefix) || len(secret) < 40 || feed.Hash != "" || feed.SessionTime != "07:30" {
		t.Fatalf("made %q, %+v", secret, feed)
	}

	// Before the first assessment: no sessions, a note for today.
	cal, err := f.coach.CalendarBySecret(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if cal.From != "2026-11-26" || cal.To != "2026-12-31" {
		t.Fatalf("window %s to %s, want the past week and the next 4 weeks of 3 Dec", cal.From, cal.To)
	}
	k := byKind(cal)
	if len(k[coach.CalendarSession]) != 0 || len(k[coach.CalendarAssess]) != 1 || !k[coach.CalendarAssess]["2026-12-03"].AllDay {
		t.Fatalf("before assessing: %d sessions, assess note %+v", len(k[coach.CalendarSession]), k[coach.CalendarAssess])
	}
	if len(k[coach.CalendarCheckIn]) != coach.CalendarDays {
		t.Fatalf("%d check-ins, want one a day from today for %d days (none kept before)", len(k[coach.CalendarCheckIn]), coach.CalendarDays)
	}
	for date, want := range map[string]bool{"2026-12-03": true, "2026-12-04": false, "2026-12-10": true, "2026-12-17": true, "2026-12-02": false} {
		if got := k[coach.CalendarCheckIn][date].PEG; got != want {
			t.Errorf("PEG on %s: %v, want %v (never answered: due today, then weekly)", date, got, want)
		}
	}

	// Today: a check-in with the PEG, an assessment and a session; then
	// the next day.
	if _, err := f.coach.CheckIn(ctx, f.person, &backcoach.DiaryEntry{Pain: 3, FlagsAsked: true, Flags: []string{},
		PEG: &backcoach.PEG{Pain: 3, Enjoyment: 2, Activity: 2}}, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	f.assess(clean())
	p := f.allowed()
	rec := &coach.SessionRecord{Session: backcoach.Session{PlanID: p.Plan.ID, PainBefore: 3, DurationSeconds: 300,
		Exercises: []backcoach.ExerciseOutcome{{ExerciseID: p.Plan.Plan.Exercises[0].ID, Outcome: backcoach.OutcomeDone, Seconds: 60}}}}
	if _, err := f.coach.RecordSession(ctx, f.person, rec, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	// Today's are done already: no reminder for them.
	cal, err = f.coach.CalendarBySecret(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	k = byKind(cal)
	for _, kind := range []coach.CalendarKind{coach.CalendarSession, coach.CalendarCheckIn} {
		if ev := k[kind]["2026-12-03"]; !ev.Done || !strings.Contains(ev.Summary, "done") {
			t.Errorf("today's %s, kept already: %+v", kind, ev)
		}
	}
	if ev := k[coach.CalendarCheckIn]["2026-12-03"]; !ev.PEG {
		t.Error("today's check-in, kept with the PEG, does not say so")
	}
	if data, _ := cal.ICal("").Marshal(); strings.Count(string(data), "BEGIN:VALARM") != len(cal.Events)-2 {
		t.Error("an event already kept has a reminder, or one planned has none")
	}
	f.clock.add(24 * time.Hour)
	cal, err = f.coach.CalendarBySecret(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	k = byKind(cal)
	if len(k[coach.CalendarSession]) != coach.CalendarDays+1 || len(k[coach.CalendarAssess]) != 0 || len(k[coach.CalendarPaused]) != 0 {
		t.Fatalf("with a plan: %d sessions, notes %v %v", len(k[coach.CalendarSession]), k[coach.CalendarAssess], k[coach.CalendarPaused])
	}
	done := k[coach.CalendarSession]["2026-12-03"]
	if !done.Done || !strings.Contains(done.Summary, "done") {
		t.Errorf("yesterday's session %+v, want done", done)
	}
	if _, ok := k[coach.CalendarSession]["2026-12-02"]; ok {
		t.Error("a day gone without a session has one in the calendar")
	}
	if ci := k[coach.CalendarCheckIn]["2026-12-03"]; !ci.Done || !ci.PEG {
		t.Errorf("yesterday's check-in %+v, want done with the PEG", ci)
	}
	for date, want := range map[string]bool{"2026-12-04": false, "2026-12-09": false, "2026-12-10": true, "2026-12-17": true} {
		if got := k[coach.CalendarCheckIn][date].PEG; got != want {
			t.Errorf("PEG on %s: %v, want %v (a week after the last)", date, got, want)
		}
	}
	s5 := k[coach.CalendarSession]["2026-12-05"]
	if want := time.Date(2026, 12, 5, 6, 30, 0, 0, time.UTC); !s5.Start.Equal(want) || s5.End.Sub(s5.Start) != backcoach.DefaultMinutes*time.Minute || s5.Path != "/plan" {
		t.Errorf("the session of 5 Dec: %v to %v at %s, want 07:30 in Berlin (%v) for %d minutes", s5.Start, s5.End, s5.Path, want, backcoach.DefaultMinutes)
	}
	if ci := k[coach.CalendarCheckIn]["2026-12-05"]; !ci.Start.Equal(time.Date(2026, 12, 5, 20, 0, 0, 0, time.UTC)) || ci.Path != "/diary" {
		t.Errorf("the check-in of 5 Dec: %v %s, want 21:00 in Berlin", ci.Start, ci.Path)
	}
	if strings.Contains(k[coach.CalendarSession]["2026-12-10"].Description, "asked again") ||
		!strings.Contains(k[coach.CalendarSession]["2026-12-11"].Description, "asked again") {
		t.Error("the sessions more than a week after the assessment do not say the questions come again")
	}

	// The same events keep their UIDs: in a second fetch, and through a
	// new address (the old one then reads nothing).
	again, err := f.coach.CalendarBySecret(ctx, secret)
	if err != nil || uids(again) != uids(cal) {
		t.Fatalf("a second fetch changed the UIDs (%v)", err)
	}
	secret2, _, err := f.coach.MakeCalendarFeed(ctx, f.person, "07:30", "21:00")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.coach.CalendarBySecret(ctx, secret); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Errorf("the replaced address: %v, want ENOTFOUND", err)
	}
	if again, err = f.coach.CalendarBySecret(ctx, secret2); err != nil || uids(again) != uids(cal) {
		t.Fatalf("the new address changed the UIDs (%v)", err)
	}
	if strings.Contains(uids(cal), f.person) {
		t.Error("a UID names the person's id")
	}

	// Written for calendar apps, it parses strictly.
	data, err := cal.ICal("https://coach.example").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	root, err := ical.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(root.Children("VEVENT")); n != len(cal.Events) {
		t.Fatalf("%d VEVENTs, want %d", n, len(cal.Events))
	}
	found := false
	for _, ev := range root.Children("VEVENT") {
		if ev.Prop("DTSTART").Value == "20261205T063000Z" {
			found = true
			if ev.Prop("URL").Value != "https://coach.example/plan" || len(ev.Children("VALARM")) != 1 || ev.Prop("TRANSP").Value != "OPAQUE" {
				t.Errorf("the session of 5 Dec is written %+v", ev.Props)
			}
		}
	}
	if !found {
		t.Error("no event starts at 20261205T063000Z")
	}

	// A warning sign: the sessions go, one note for today points to the
	// safety page; the check-ins stay.
	if _, err := f.coach.RecordSigns(ctx, f.person, []string{"fever"}, backcoach.ScreenCheckIn, backcoach.ViaWeb, false); err != nil {
		t.Fatal(err)
	}
	cal, err = f.coach.CalendarBySecret(ctx, secret2)
	if err != nil {
		t.Fatal(err)
	}
	k = byKind(cal)
	paused := k[coach.CalendarPaused]["2026-12-04"]
	if len(k[coach.CalendarSession]) != 1 || !k[coach.CalendarSession]["2026-12-03"].Done || len(k[coach.CalendarPaused]) != 1 ||
		!paused.AllDay || paused.Path != "/safety" || !strings.Contains(paused.Description, "warning sign") {
		t.Fatalf("refused: sessions %v (want only the one kept), paused note %+v", k[coach.CalendarSession], paused)
	}
	if len(k[coach.CalendarCheckIn]) != coach.CalendarDays+1 {
		t.Errorf("refused: %d check-ins, want %d", len(k[coach.CalendarCheckIn]), coach.CalendarDays+1)
	}

	if err := f.store.RevokeCalendarFeed(ctx, f.person); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{secret2, "", "bcf_", strings.Repeat("x", 300), "bc_" + secret2[4:]} {
		if _, err := f.coach.CalendarBySecret(ctx, s); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
			t.Errorf("secret %.20q after revoking: %v, want ENOTFOUND", s, err)
		}
	}
}

// TestCalendarFollowsSummerTime checks that 08:00 stays 08:00 in the
// person's zone across the change of the clocks, and that a bad span is
// refused naming the field.
func TestCalendarFollowsSummerTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.zone("America/New_York")
	f.assess(clean())
	cal, err := f.coach.CalendarFeed(ctx, f.person, nil, "2027-03-13", "2027-03-15")
	if err != nil {
		t.Fatal(err)
	}
	k := byKind(cal)
	if got := k[coach.CalendarSession]["2027-03-13"].Start; !got.Equal(time.Date(2027, 3, 13, 13, 0, 0, 0, time.UTC)) {
		t.Errorf("08:00 on 13 March (EST) is %v", got.UTC())
	}
	if got := k[coach.CalendarSession]["2027-03-14"].Start; !got.Equal(time.Date(2027, 3, 14, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("08:00 on 14 March (EDT) is %v", got.UTC())
	}
	if got := k[coach.CalendarCheckIn]["2027-03-13"].Start; !got.Equal(time.Date(2027, 3, 14, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("20:00 on 13 March (EST) is %v", got.UTC())
	}
	for _, c := range []struct{ from, to, field string }{
		{"2027-3-13", "2027-03-15", "from"},
		{"2027-03-13", "2027-03-13", "to"},
		{"2027-03-13", "2028-03-15", "to"},
		{"2027-03-13", "tomorrow", "to"},
	} {
		_, err := f.coach.CalendarFeed(ctx, f.person, nil, c.from, c.to)
		var be *backcoach.Error
		if backcoach.ErrorCode(err) != backcoach.EINVALID || !errors.As(err, &be) || be.Field != c.field {
			t.Errorf("%s to %s: %v, want EINVALID naming %s", c.from, c.to, err, c.field)
		}
	}
}

// TestCalendarFollowsTheProgramme checks that a clinician's programme
// sets the days of the sessions.
func TestCalendarFollowsTheProgramme(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	doc, _ := f.clinic()
	f.assess(clean())
	if _, err := f.coach.AssignProgramme(ctx, doc, f.person, &backcoach.Programme{
		Exercises: []backcoach.ProgrammeExercise{{ID: "chin-tuck", Sets: 2, Reps: 8}}, Days: []backcoach.Weekday{"mon", "thu"},
	}); err != nil {
		t.Fatal(err)
	}
	cal, err := f.coach.CalendarFeed(ctx, f.person, nil, "2026-12-07", "2026-12-14")
	if err != nil {
		t.Fatal(err)
	}
	k := byKind(cal)
	if len(k[coach.CalendarSession]) != 2 || k[coach.CalendarSession]["2026-12-07"].Kind == "" || k[coach.CalendarSession]["2026-12-10"].Kind == "" {
		t.Fatalf("sessions on %v, want Monday 7 and Thursday 10 December", k[coach.CalendarSession])
	}
	if !strings.Contains(k[coach.CalendarSession]["2026-12-07"].Description, "programme") {
		t.Error("the session does not say it follows the programme")
	}
	if len(k[coach.CalendarCheckIn]) != 7 {
		t.Errorf("%d check-ins, want one a day", len(k[coach.CalendarCheckIn]))
	}
}
