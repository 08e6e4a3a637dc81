package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

var day0 = time.Date(2026, 2, 1, 8, 30, 0, 987654321, time.UTC)

func TestPersonAndProfile(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		if err := backcoach.CheckID("id", id); err != nil {
			t.Fatalf("new id %q: %v", id, err)
		}
		dup := backcoach.Person{Handle: "ann", Role: backcoach.RolePerson}
		if err := s.CreatePerson(ctx, &dup); code(err) != backcoach.ECONFLICT {
			t.Fatalf("second account with the same handle: got %v, want ECONFLICT", err)
		}
		p, err := s.PersonByHandle(ctx, "ann")
		if err != nil || p.ID != id {
			t.Fatalf("PersonByHandle = %+v, %v; want id %s", p, err, id)
		}
		if _, err := s.PersonByHandle(ctx, "bob"); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("PersonByHandle(bob) = %v, want ENOTFOUND", err)
		}
		p.Name = "Ann B."
		if err := s.UpdatePerson(ctx, id, p); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Person(ctx, id); got.Name != "Ann B." || got.Handle != "ann" {
			t.Fatalf("after UpdatePerson: %+v", got)
		}

		prof, err := s.Profile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if prof.TimeZone != "UTC" || len(prof.Places) != 0 || prof.PersonID != id {
			t.Fatalf("default profile = %+v", prof)
		}
		want := backcoach.Profile{TimeZone: "America/New_York", Conditions: []backcoach.Condition{backcoach.ConditionPregnant},
			Places: []backcoach.Place{backcoach.PlaceFloor}, Equipment: []backcoach.Equipment{}, Minutes: 20}
		if err := s.SaveProfile(ctx, id, &want); err != nil {
			t.Fatal(err)
		}
		got, err := s.Profile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("profile read back\n got %+v\nwant %+v", *got, want)
		}
		bad := want
		bad.TimeZone = "Mars/Olympus"
		if err := s.SaveProfile(ctx, id, &bad); code(err) != backcoach.EINVALID || !strings.Contains(err.Error(), "time_zone") {
			t.Fatalf("bad time zone: got %v, want EINVALID naming time_zone", err)
		}
		if _, err := s.Profile(ctx, newID()); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("profile of nobody: got %v, want ENOTFOUND", err)
		}
	})
}

func TestBreakSettings(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		got, err := s.BreakSettings(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Saved() || *got != withPerson(backcoach.DefaultBreakSettings(), id) {
			t.Fatalf("settings never saved = %+v, want the defaults", got)
		}
		want := backcoach.BreakSettings{Enabled: true, MovementEveryMinutes: 0, MovementForMinutes: 1, StretchEveryMinutes: 120,
			StretchForMinutes: 10, DailyLimitMinutes: 600, ResetHour: 0, SnoozeMinutes: 15}
		if err := s.SaveBreakSettings(ctx, id, &want); err != nil {
			t.Fatal(err)
		}
		if want.PersonID != id || !want.Saved() || want.UpdatedAt.Nanosecond()%1000 != 0 {
			t.Fatalf("saved settings not filled in: %+v", want)
		}
		got, err = s.BreakSettings(ctx, id)
		check(t, "break settings", err, *got, want)
		want.Enabled, want.MovementEveryMinutes = false, 45
		if err := s.SaveBreakSettings(ctx, id, &want); err != nil {
			t.Fatal(err)
		}
		got, err = s.BreakSettings(ctx, id)
		check(t, "changed break settings", err, *got, want)
		trail, err := s.AuditTrail(ctx, id, backcoach.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, a := range trail {
			if a.Kind == backcoach.KindBreakSettings {
				lines = append(lines, fmt.Sprintf("%s %v", a.Action, a.RecordID == id))
			}
		}
		if !reflect.DeepEqual(lines, []string{"create true", "update true"}) {
			t.Errorf("audit lines of the break settings: %q", lines)
		}
		if _, err := s.BreakSettings(ctx, newID()); code(err) != backcoach.ENOTFOUND {
			t.Errorf("settings of nobody: got %v, want ENOTFOUND", err)
		}
		b := backcoach.DefaultBreakSettings()
		if err := s.SaveBreakSettings(ctx, newID(), &b); code(err) != backcoach.ENOTFOUND {
			t.Errorf("saving the settings of nobody: got %v, want ENOTFOUND", err)
		}
	})
}

func TestRecordsReadBackEqual(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		a := backcoach.SavedAssessment{TakenAt: day0, Answers: sampleAnswers(), Result: sampleResult()}
		if err := s.SaveAssessment(ctx, id, &a); err != nil {
			t.Fatal(err)
		}
		if a.TakenAt.Nanosecond()%1000 != 0 || a.PersonID != id {
			t.Fatalf("saved assessment not normalised: %+v", a)
		}
		gotA, err := s.Assessment(ctx, id, a.ID)
		check(t, "assessment", err, *gotA, a)

		p := backcoach.SavedPlan{AssessmentID: a.ID, Plan: samplePlan()}
		if err := s.SavePlan(ctx, id, &p); err != nil {
			t.Fatal(err)
		}
		gotP, err := s.Plan(ctx, id, p.ID)
		check(t, "plan", err, *gotP, p)

		ss := backcoach.Session{PlanID: p.ID, StartedAt: day0.Add(time.Hour), DurationSeconds: 300, Level: 1, PainBefore: 6, PainAfter: intp(3),
			Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeDone, Seconds: 90},
				{ExerciseID: "wall-angel", Outcome: backcoach.OutcomeStopped, Reason: "dizzy", Seconds: 4}}}
		if err := s.SaveSession(ctx, id, &ss); err != nil {
			t.Fatal(err)
		}
		gotS, err := s.Session(ctx, id, ss.ID)
		check(t, "session", err, *gotS, ss)
		list, err := s.Sessions(ctx, id, backcoach.Filter{})
		check(t, "sessions", err, list, []backcoach.Session{ss})

		e := backcoach.DiaryEntry{At: day0.Add(2 * time.Hour), Pain: 7, Note: "tab\there", FlagsAsked: true,
			Flags: []string{"night_pain"}, PEG: &backcoach.PEG{Pain: 7, Enjoyment: 6, Activity: 5}}
		if err := s.AddDiaryEntry(ctx, id, &e); err != nil {
			t.Fatal(err)
		}
		gotE, err := s.DiaryEntry(ctx, id, e.ID)
		check(t, "diary entry", err, *gotE, e)
		e.Pain, e.Note, e.PEG, e.Flags = 2, "better", nil, []string{}
		if err := s.UpdateDiaryEntry(ctx, id, &e); err != nil {
			t.Fatal(err)
		}
		gotE, err = s.DiaryEntry(ctx, id, e.ID)
		check(t, "updated diary entry", err, *gotE, e)

		d := backcoach.BreakDay{Date: "2026-02-01", Due: 10, Taken: 6, Natural: 1, Snoozed: 2, Skipped: 1, ActiveSeconds: 30000}
		if err := s.SaveBreakDay(ctx, id, &d); err != nil {
			t.Fatal(err)
		}
		d.Taken = 7
		if err := s.SaveBreakDay(ctx, id, &d); err != nil {
			t.Fatal(err)
		}
		days, err := s.BreakDays(ctx, id, "2026-01-01", "2026-02-01")
		check(t, "break days", err, days, []backcoach.BreakDay{d})
		if days, _ := s.BreakDays(ctx, id, "2026-02-02", ""); len(days) != 0 {
			t.Fatalf("BreakDays after the day = %v, want none", days)
		}

		if err := s.DeleteDiaryEntry(ctx, id, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DiaryEntry(ctx, id, e.ID); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("deleted entry: got %v, want ENOTFOUND", err)
		}
		if err := s.DeleteSession(ctx, id, ss.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Sessions(ctx, id, backcoach.Filter{}); len(list) != 0 {
			t.Fatalf("sessions after delete = %v", list)
		}
	})
}

// check fails the test unless err is nil and got equals want.
func check(t *testing.T, what string, err error, got, want any) {
	t.Helper()
	if err != nil {
		t.Fatalf("read %s: %v", what, err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("%s read back differs\n got %s\nwant %s", what, g, w)
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		for i := 0; i < 10; i++ {
			e := backcoach.DiaryEntry{At: day0.Add(time.Duration(i) * time.Hour), Pain: i}
			if err := s.AddDiaryEntry(ctx, id, &e); err != nil {
				t.Fatal(err)
			}
		}
		pains := func(f backcoach.Filter) string {
			t.Helper()
			list, err := s.DiaryEntries(ctx, id, f)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, e := range list {
				fmt.Fprint(&b, e.Pain)
			}
			return b.String()
		}
		for _, c := range []struct {
			f    backcoach.Filter
			want string
		}{
			{backcoach.Filter{}, "0123456789"},
			{backcoach.Filter{From: day0.Add(3 * time.Hour)}, "3456789"},
			{backcoach.Filter{To: day0.Add(3 * time.Hour)}, "012"},
			{backcoach.Filter{From: day0.Add(2 * time.Hour), To: day0.Add(5 * time.Hour)}, "234"},
			{backcoach.Filter{Limit: 3, NewestFirst: true}, "987"},
			{backcoach.Filter{Limit: 2}, "01"},
		} {
			if got := pains(c.f); got != c.want {
				t.Errorf("filter %+v: got %s, want %s", c.f, got, c.want)
			}
		}
		if _, err := s.DiaryEntries(ctx, id, backcoach.Filter{Limit: -1}); code(err) != backcoach.EINVALID {
			t.Errorf("negative limit: got %v, want EINVALID", err)
		}
	})
}

// TestOwnership checks that nobody reaches another person's records: every
// such attempt reads as "not found" and changes nothing.
func TestOwnership(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		fill(t, s, ann, day0)
		x, err := s.Export(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		a, p, ss, e := x.Assessments[0], x.Plans[0], x.Sessions[0], x.Diary[0]
		notFound := func(what string, err error) {
			t.Helper()
			if code(err) != backcoach.ENOTFOUND {
				t.Errorf("bob: %s: got %v, want ENOTFOUND", what, err)
			}
		}
		_, err = s.Assessment(ctx, bob, a.ID)
		notFound("read ann's assessment", err)
		_, err = s.Plan(ctx, bob, p.ID)
		notFound("read ann's plan", err)
		_, err = s.Session(ctx, bob, ss.ID)
		notFound("read ann's session", err)
		_, err = s.DiaryEntry(ctx, bob, e.ID)
		notFound("read ann's diary entry", err)
		e2 := e
		e2.Pain = 0
		notFound("update ann's diary entry", s.UpdateDiaryEntry(ctx, bob, &e2))
		notFound("delete ann's diary entry", s.DeleteDiaryEntry(ctx, bob, e.ID))
		notFound("delete ann's session", s.DeleteSession(ctx, bob, ss.ID))
		notFound("plan from ann's assessment", s.SavePlan(ctx, bob, &backcoach.SavedPlan{AssessmentID: a.ID, Plan: samplePlan()}))
		notFound("session of ann's plan", s.SaveSession(ctx, bob, &backcoach.Session{PlanID: p.ID, PainBefore: 1}))
		nobody := newID()
		notFound("diary entry of nobody", s.AddDiaryEntry(ctx, nobody, &backcoach.DiaryEntry{Pain: 1}))
		_, err = s.Export(ctx, nobody)
		notFound("export of nobody", err)
		_, err = s.DeleteAccount(ctx, nobody)
		notFound("delete nobody", err)
		_, err = s.Person(ctx, "not-an-id")
		notFound("malformed actor", err)

		for name, n := range map[string]func() (int, error){
			"assessments": func() (int, error) { l, err := s.Assessments(ctx, bob, backcoach.Filter{}); return len(l), err },
			"plans":       func() (int, error) { l, err := s.Plans(ctx, bob, backcoach.Filter{}); return len(l), err },
			"sessions":    func() (int, error) { l, err := s.Sessions(ctx, bob, backcoach.Filter{}); return len(l), err },
			"diary":       func() (int, error) { l, err := s.DiaryEntries(ctx, bob, backcoach.Filter{}); return len(l), err },
			"break days":  func() (int, error) { l, err := s.BreakDays(ctx, bob, "", ""); return len(l), err },
			"saved break settings": func() (int, error) {
				b, err := s.BreakSettings(ctx, bob)
				if err != nil || !b.Saved() {
					return 0, err
				}
				return 1, nil
			},
			"audit": func() (int, error) { l, err := s.AuditTrail(ctx, bob, backcoach.Filter{}); return len(l), err },
		} {
			got, err := n()
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if name == "audit" {
				want = 1 // bob's own account creation
			}
			if got != want {
				t.Errorf("bob sees %d %s, want %d", got, name, want)
			}
		}
		after, err := s.Export(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(after.Diary, x.Diary) || !reflect.DeepEqual(after.Sessions, x.Sessions) {
			t.Errorf("ann's records changed after bob's attempts")
		}
	})
}

// TestValidationBeforeDatabase sends bad input through every service and
// checks that it is refused with EINVALID naming the field, and that
// nothing reached the database.
func TestValidationBeforeDatabase(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		before := countRows(t, s)
		long := strings.Repeat("x", backcoach.MaxNoteRunes+1)
		for _, c := range []struct {
			name, field string
			call        func() error
		}{
			{"pain 11", "pain", func() error { return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: 11}) }},
			{"pain -1", "pain", func() error { return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: -1}) }},
			{"long note", "note", func() error { return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: 1, Note: long}) }},
			{"control char", "note", func() error { return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: 1, Note: "a\x00b"}) }},
			{"flags not asked", "flags", func() error {
				return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: 1, Flags: []string{"fever"}})
			}},
			{"peg item", "peg.activity", func() error {
				return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: 1, PEG: &backcoach.PEG{Activity: 12}})
			}},
			{"year 1990", "at", func() error {
				return s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: 1, At: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)})
			}},
			{"session pain after", "pain_after", func() error {
				return s.SaveSession(ctx, id, &backcoach.Session{PainBefore: 1, PainAfter: intp(11)})
			}},
			{"stopped without reason", "exercises[0].reason", func() error {
				return s.SaveSession(ctx, id, &backcoach.Session{PainBefore: 1, Exercises: []backcoach.ExerciseOutcome{
					{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeStopped}}})
			}},
			{"unknown outcome", "exercises[0].outcome", func() error {
				return s.SaveSession(ctx, id, &backcoach.Session{PainBefore: 1, Exercises: []backcoach.ExerciseOutcome{
					{ExerciseID: "cat-cow", Outcome: "maybe"}}})
			}},
			{"answers age", "answers.age", func() error {
				ans := sampleAnswers()
				ans.Age = 7
				return s.SaveAssessment(ctx, id, &backcoach.SavedAssessment{Answers: ans, Result: sampleResult()})
			}},
			{"plan stage", "plan.stage", func() error {
				p := samplePlan()
				p.Stage = "extreme"
				return s.SavePlan(ctx, id, &backcoach.SavedPlan{Plan: p})
			}},
			{"break date", "date", func() error { return s.SaveBreakDay(ctx, id, &backcoach.BreakDay{Date: "2026-13-01"}) }},
			{"break count", "snoozed", func() error {
				return s.SaveBreakDay(ctx, id, &backcoach.BreakDay{Date: "2026-01-01", Snoozed: -2})
			}},
			{"break interval", "movement_every_minutes", func() error {
				b := backcoach.DefaultBreakSettings()
				b.MovementEveryMinutes = 3
				return s.SaveBreakSettings(ctx, id, &b)
			}},
			{"break longer than its interval", "stretch_for_minutes", func() error {
				b := backcoach.DefaultBreakSettings()
				b.StretchEveryMinutes, b.StretchForMinutes = 10, 10
				return s.SaveBreakSettings(ctx, id, &b)
			}},
			{"no break at all", "movement_every_minutes", func() error {
				b := backcoach.DefaultBreakSettings()
				b.MovementEveryMinutes, b.StretchEveryMinutes = 0, 0
				return s.SaveBreakSettings(ctx, id, &b)
			}},
			{"reset hour", "reset_hour", func() error {
				b := backcoach.DefaultBreakSettings()
				b.ResetHour = 24
				return s.SaveBreakSettings(ctx, id, &b)
			}},
			{"profile places", "places[0]", func() error {
				return s.SaveProfile(ctx, id, &backcoach.Profile{TimeZone: "UTC", Places: []backcoach.Place{"beach"}})
			}},
			{"person role", "role", func() error { return s.CreatePerson(ctx, &backcoach.Person{Role: "admin"}) }},
			{"empty password hash", "hash", func() error { return s.SetPasswordHash(ctx, id, "") }},
			{"password instead of its hash", "hash", func() error { return s.SetPasswordHash(ctx, id, "hunter2hunter2") }},
			{"long token name", "name", func() error {
				_, hash := newTokenHash()
				name := strings.Repeat("n", backcoach.MaxTokenNameRunes+1)
				return s.CreateAccessToken(ctx, id, &backcoach.AccessToken{Name: name, Hash: hash})
			}},
			{"token name control char", "name", func() error {
				_, hash := newTokenHash()
				return s.CreateAccessToken(ctx, id, &backcoach.AccessToken{Name: "a\nb", Hash: hash})
			}},
			{"empty token hash", "hash", func() error { return s.CreateAccessToken(ctx, id, &backcoach.AccessToken{Name: "x"}) }},
			{"token hash not hex", "hash", func() error {
				return s.CreateAccessToken(ctx, id, &backcoach.AccessToken{Name: "x", Hash: strings.Repeat("g", 64)})
			}},
			{"session token", "token", func() error {
				return s.SessionStore(sessionPersonKey).CommitCtx(ctx, "abc", sessionData(t, id, "n", 1), farExpiry)
			}},
			{"person handle", "handle", func() error {
				return s.CreatePerson(ctx, &backcoach.Person{Role: backcoach.RolePerson, Handle: "Robert'); DROP TABLE persons;--"})
			}},
		} {
			err := c.call()
			var be *backcoach.Error
			if code(err) != backcoach.EINVALID || !asError(err, &be) || be.Field != c.field {
				t.Errorf("%s: got %v, want EINVALID about %s", c.name, err, c.field)
			}
		}
		if after := countRows(t, s); !reflect.DeepEqual(after, before) {
			t.Errorf("rows changed by refused input:\nbefore %v\n after %v", before, after)
		}
	})
}

func asError(err error, target **backcoach.Error) bool {
	e, ok := err.(*backcoach.Error)
	if ok {
		*target = e
	}
	return ok
}

// countRows counts the rows of every table.
func countRows(t testing.TB, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, d := range deletions {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM ` + d.table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[d.table] = n
	}
	return out
}

// TestConstraintsBackUpTheDomain writes bad rows straight into the
// database, past the domain's checks, and expects the schema to refuse
// every one.
func TestConstraintsBackUpTheDomain(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		ss := backcoach.Session{PainBefore: 2}
		if err := s.SaveSession(ctx, id, &ss); err != nil {
			t.Fatal(err)
		}
		now := s.t(day0)
		for _, c := range []struct {
			name  string
			query string
			args  []any
		}{
			{"pain 11", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags) VALUES ($1, $2, $3, 11, '', false, '[]')`, []any{newID(), id, now}},
			{"flags not asked", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags) VALUES ($1, $2, $3, 1, '', false, '["fever"]')`, []any{newID(), id, now}},
			{"half a PEG", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags, peg_pain) VALUES ($1, $2, $3, 1, '', false, '[]', 3)`, []any{newID(), id, now}},
			{"short id", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags) VALUES ('x', $1, $2, 1, '', false, '[]')`, []any{id, now}},
			{"unknown person", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags) VALUES ($1, $2, $3, 1, '', false, '[]')`, []any{newID(), newID(), now}},
			{"bad outcome", `INSERT INTO session_exercises (session_id, position, exercise_id, outcome, reason, seconds) VALUES ($1, 0, 'cat-cow', 'maybe', '', 1)`, []any{ss.ID}},
			{"stopped without reason", `INSERT INTO session_exercises (session_id, position, exercise_id, outcome, reason, seconds) VALUES ($1, 0, 'cat-cow', 'stopped', '', 1)`, []any{ss.ID}},
			{"role", `INSERT INTO persons (id, name, role, created_at) VALUES ($1, '', 'admin', $2)`, []any{newID(), now}},
			{"urgency", `INSERT INTO assessments (id, person_id, taken_at, urgency, stage, pain_now, answers, result) VALUES ($1, $2, $3, 'whenever', 'mild', 1, '{}', '{}')`, []any{newID(), id, now}},
			{"break count", `INSERT INTO break_days (person_id, day, due, taken, natural_breaks, snoozed, skipped, active_seconds) VALUES ($1, '2026-01-01', -1, 0, 0, 0, 0, 0)`, []any{id}},
			{"break every 3 minutes", `INSERT INTO break_settings (person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes, stretch_for_minutes, daily_limit_minutes, reset_hour, snooze_minutes, updated_at) VALUES ($1, $2, 3, 1, 90, 5, 0, 4, 5, $3)`, []any{id, true, now}},
			{"break as long as its interval", `INSERT INTO break_settings (person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes, stretch_for_minutes, daily_limit_minutes, reset_hour, snooze_minutes, updated_at) VALUES ($1, $2, 30, 30, 90, 5, 0, 4, 5, $3)`, []any{id, true, now}},
			{"both breaks off", `INSERT INTO break_settings (person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes, stretch_for_minutes, daily_limit_minutes, reset_hour, snooze_minutes, updated_at) VALUES ($1, $2, 0, 1, 0, 5, 0, 4, 5, $3)`, []any{id, true, now}},
			{"break settings of nobody", `INSERT INTO break_settings (person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes, stretch_for_minutes, daily_limit_minutes, reset_hour, snooze_minutes, updated_at) VALUES ($1, $2, 30, 1, 90, 5, 0, 4, 5, $3)`, []any{newID(), true, now}},
			{"wrong type", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags) VALUES ($1, $2, $3, 'seven', '', false, '[]')`, []any{newID(), id, now}},
			{"password not a hash", `INSERT INTO credentials (person_id, hash, updated_at) VALUES ($1, 'hunter2', $2)`, []any{id, now}},
			{"empty password hash", `INSERT INTO credentials (person_id, hash, updated_at) VALUES ($1, '', $2)`, []any{id, now}},
			{"password of nobody", `INSERT INTO credentials (person_id, hash, updated_at) VALUES ($1, '$x$y', $2)`, []any{newID(), now}},
			{"token hash uppercase", `INSERT INTO access_tokens (id, person_id, name, hash, created_at) VALUES ($1, $2, '', $3, $4)`, []any{newID(), id, strings.Repeat("A", 64), now}},
			{"token hash short", `INSERT INTO access_tokens (id, person_id, name, hash, created_at) VALUES ($1, $2, '', 'abc', $3)`, []any{newID(), id, now}},
			{"token name long", `INSERT INTO access_tokens (id, person_id, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)`, []any{newID(), id, strings.Repeat("n", 101), strings.Repeat("a", 64), now}},
			{"session token short", `INSERT INTO web_sessions (token, data, expiry) VALUES ('abc', $1, $2)`, []any{[]byte{1}, now}},
			{"session without data", `INSERT INTO web_sessions (token, data, expiry) VALUES ($1, $2, $3)`, []any{newSessionToken(), []byte{}, now}},
			{"tombstone with a person", `INSERT INTO web_sessions (token, data, expiry, person_id, ended) VALUES ($1, $2, $3, $4, $5)`, []any{newSessionToken(), []byte{}, now, id, true}},
			{"session data as text", `INSERT INTO web_sessions (token, data, expiry) VALUES ($1, CAST('text' AS TEXT), $2)`, []any{newSessionToken(), now}},
		} {
			if _, err := s.db.ExecContext(ctx, c.query, c.args...); err == nil {
				t.Errorf("%s: the database accepted the row", c.name)
			}
		}
	})
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "local")
		fill(t, s, id, day0)
		first, err := s.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(first)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, first, backcoach.ImportOptions{}); code(err) != backcoach.ECONFLICT {
			t.Fatalf("import over the same person: got %v, want ECONFLICT", err)
		}
		if _, err := s.DeleteAccount(ctx, id); err != nil {
			t.Fatal(err)
		}
		var doc backcoach.Export
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		p, err := s.Import(ctx, &doc, backcoach.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != id {
			t.Fatalf("imported person id %s, want %s", p.ID, id)
		}
		second, err := s.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		sameExport(t, second, first)
		// The trail gained the import and the second export, in that order.
		extra := second.Audit[len(first.Audit):]
		if len(extra) != 2 || extra[0].Action != backcoach.AuditImport || extra[1].Action != backcoach.AuditExport {
			t.Fatalf("audit lines after the round trip: %+v", extra)
		}
		// Replace restores the document over what is stored.
		if _, err := s.Import(ctx, &doc, backcoach.ImportOptions{Replace: true}); err != nil {
			t.Fatalf("import with Replace: %v", err)
		}
		third, err := s.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		sameExport(t, third, first)
	})
}

// sameExport compares two exports of the same data: everything but the
// time of the export and the audit lines added after the first.
func sameExport(t *testing.T, got, want *backcoach.Export) {
	t.Helper()
	g, w := *got, *want
	g.ExportedAt, w.ExportedAt = time.Time{}, time.Time{}
	if len(g.Audit) < len(w.Audit) {
		t.Fatalf("audit trail shrank: %d lines, want at least %d", len(g.Audit), len(w.Audit))
	}
	g.Audit = g.Audit[:len(w.Audit)]
	gj, _ := json.MarshalIndent(g, "", " ")
	wj, _ := json.MarshalIndent(w, "", " ")
	if string(gj) != string(wj) {
		t.Fatalf("export differs\n got %s\nwant %s", gj, wj)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("export differs in Go values though not in JSON")
	}
}

func TestImportRefusesBadDocuments(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		fill(t, s, id, day0)
		good, err := s.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteAccount(ctx, id); err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(good)
		fresh := func() *backcoach.Export {
			var d backcoach.Export
			json.Unmarshal(raw, &d)
			return &d
		}
		for _, c := range []struct {
			name, field string
			spoil       func(d *backcoach.Export)
		}{
			{"format", "format", func(d *backcoach.Export) { d.Format = "something-else" }},
			{"version", "version", func(d *backcoach.Export) { d.Version = 99 }},
			{"pain", "diary[1].pain", func(d *backcoach.Export) { d.Diary[1].Pain = 12 }},
			{"other person", "sessions[0].person_id", func(d *backcoach.Export) { d.Sessions[0].PersonID = newID() }},
			{"dangling plan", "sessions[2].plan_id", func(d *backcoach.Export) { d.Sessions[2].PlanID = newID() }},
			{"duplicate id", "diary[0].id", func(d *backcoach.Export) { d.Diary[0].ID = d.Assessments[0].ID }},
			{"guessable id", "plans[0].id", func(d *backcoach.Export) { d.Plans[0].ID = "1" }},
			{"twice the same day", "break_days[1].date", func(d *backcoach.Export) { d.BreakDays[1].Date = d.BreakDays[0].Date }},
			{"audit action", "audit[0].action", func(d *backcoach.Export) { d.Audit[0].Action = "peek" }},
			{"break settings of another", "break_settings.person_id", func(d *backcoach.Export) { d.BreakSettings.PersonID = newID() }},
			{"break snooze", "break_settings.snooze_minutes", func(d *backcoach.Export) { d.BreakSettings.SnoozeMinutes = 0 }},
			{"break settings undated", "break_settings.updated_at", func(d *backcoach.Export) { d.BreakSettings.UpdatedAt = nil }},
		} {
			d := fresh()
			c.spoil(d)
			_, err := s.Import(ctx, d, backcoach.ImportOptions{})
			var be *backcoach.Error
			if code(err) != backcoach.EINVALID || !asError(err, &be) || be.Field != c.field {
				t.Errorf("%s: got %v, want EINVALID about %s", c.name, err, c.field)
			}
		}
		for table, n := range countRows(t, s) {
			if n != 0 {
				t.Errorf("%d rows in %s after refused imports", n, table)
			}
		}
	})
}

func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		want := fill(t, s, ann, day0)
		fill(t, s, bob, day0)
		bobBefore, err := s.Export(ctx, bob)
		if err != nil {
			t.Fatal(err)
		}
		report, err := s.DeleteAccount(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range report.Removed {
			got[r.Kind] = int(r.Rows)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("report %v, want %v", got, want)
		}
		for _, d := range deletions {
			var n int
			q := `SELECT count(*) FROM ` + d.table + ` WHERE ` + d.where
			if err := s.db.QueryRow(q, ann).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d rows of ann left in %s", n, d.table)
			}
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM audit_log WHERE actor_id = $1 OR record_id = $1`, ann).Scan(&n); err != nil || n != 0 {
			t.Errorf("audit lines naming ann: %d, %v", n, err)
		}
		bobAfter, err := s.Export(ctx, bob)
		if err != nil {
			t.Fatal(err)
		}
		sameExport(t, bobAfter, bobBefore)
		if _, err := s.DeleteAccount(ctx, ann); code(err) != backcoach.ENOTFOUND {
			t.Errorf("second delete: got %v, want ENOTFOUND", err)
		}
	})
}

func TestAuditTrail(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		e := backcoach.DiaryEntry{Pain: 3}
		if err := s.AddDiaryEntry(ctx, id, &e); err != nil {
			t.Fatal(err)
		}
		e.Pain = 4
		if err := s.UpdateDiaryEntry(ctx, id, &e); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteDiaryEntry(ctx, id, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Export(ctx, id); err != nil {
			t.Fatal(err)
		}
		trail, err := s.AuditTrail(ctx, id, backcoach.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range trail {
			if a.ActorID != id || a.PersonID != id {
				t.Errorf("audit line of someone else: %+v", a)
			}
			got = append(got, fmt.Sprintf("%s %s %v", a.Action, a.Kind, a.RecordID == e.ID))
		}
		want := []string{"create person false", "create diary true", "update diary true", "delete diary true", "export account false"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("audit trail\n got %q\nwant %q", got, want)
		}
	})
}

// TestConcurrentWriters runs 100 goroutines writing at once; on SQLite they
// go through two stores on the same file, as two processes would. No caller
// may see an error, and every write must be there afterwards.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	const writers, each = 100, 10
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			dsn := db.dsn(t)
			stores := []*Store{openTest(t, dsn), openTest(t, dsn)}
			ctx := context.Background()
			id := newPerson(t, stores[0], "ann")
			var wg sync.WaitGroup
			errs := make(chan error, writers*each)
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					s := stores[w%len(stores)]
					for i := 0; i < each; i++ {
						var err error
						if i%3 == 2 {
							err = s.SaveSession(ctx, id, &backcoach.Session{PainBefore: 3, Exercises: []backcoach.ExerciseOutcome{
								{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeDone, Seconds: 30}}})
						} else {
							err = s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: (w + i) % 11, Note: fmt.Sprintf("%d/%d", w, i)})
						}
						if err != nil {
							errs <- err
						}
					}
				}(w)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("a writer saw: %v", err)
			}
			rows := countRows(t, stores[0])
			total := rows["diary_entries"] + rows["sessions"]
			if total != writers*each || rows["session_exercises"] != rows["sessions"] {
				t.Errorf("after %d writes: %v", writers*each, rows)
			}
		})
	}
}

// TestSessionsLists checks that lists of sessions carry each session's own
// exercises, in order, whatever the filter, with sessions without
// exercises among them.
func TestSessionsLists(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id, other := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		var saved []backcoach.Session
		for i, n := range []int{0, 2, 0, 3, 1, 0} {
			ss := backcoach.Session{StartedAt: day0.Add(time.Duration(i) * time.Hour), PainBefore: i, Exercises: []backcoach.ExerciseOutcome{}}
			for k := 0; k < n; k++ {
				ss.Exercises = append(ss.Exercises, backcoach.ExerciseOutcome{ExerciseID: fmt.Sprintf("s%d-e%d", i, k), Outcome: backcoach.OutcomeDone, Seconds: k})
			}
			if err := s.SaveSession(ctx, id, &ss); err != nil {
				t.Fatal(err)
			}
			saved = append(saved, ss)
			// Another person's session at the same time, to be left out.
			if err := s.SaveSession(ctx, other, &backcoach.Session{StartedAt: ss.StartedAt, PainBefore: 1,
				Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "other", Outcome: backcoach.OutcomeDone}}}); err != nil {
				t.Fatal(err)
			}
		}
		reverse := func(l []backcoach.Session) []backcoach.Session {
			r := make([]backcoach.Session, len(l))
			for i := range l {
				r[len(l)-1-i] = l[i]
			}
			return r
		}
		for _, c := range []struct {
			f    backcoach.Filter
			want []backcoach.Session
		}{
			{backcoach.Filter{}, saved},
			{backcoach.Filter{Limit: 3}, saved[:3]},
			{backcoach.Filter{Limit: 2, NewestFirst: true}, reverse(saved)[:2]},
			{backcoach.Filter{NewestFirst: true}, reverse(saved)},
			{backcoach.Filter{From: day0.Add(time.Hour), To: day0.Add(4 * time.Hour)}, saved[1:4]},
			{backcoach.Filter{From: day0.Add(2 * time.Hour), Limit: 2}, saved[2:4]},
		} {
			got, err := s.Sessions(ctx, id, c.f)
			check(t, fmt.Sprintf("sessions %+v", c.f), err, got, c.want)
		}
	})
}
