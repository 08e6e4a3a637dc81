package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// previousVersion is the schema before the newest; upgradeFill writes rows
// as a backcoach of that version did. When a migration is added, move this
// up and write the rows of the new previous version.
const previousVersion = 4

// prevTables are the tables and columns of schema version 4.
var prevTables = map[string]string{
	"persons":           "id, handle, name, role, created_at",
	"profiles":          "person_id, time_zone, conditions, places, equipment, minutes, clinician_assessed, updated_at",
	"assessments":       "id, person_id, taken_at, urgency, stage, pain_now, answers, result",
	"plans":             "id, person_id, assessment_id, created_at, plan",
	"sessions":          "id, person_id, plan_id, started_at, duration_seconds, level, pain_before, pain_after",
	"session_exercises": "session_id, position, exercise_id, outcome, reason, seconds",
	"diary_entries":     "id, person_id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity",
	"break_days":        "person_id, day, due, taken, natural_breaks, snoozed, skipped, active_seconds",
	"audit_log":         "id, at, actor_id, person_id, action, kind, record_id",
	"credentials":       "person_id, hash, updated_at",
	"access_tokens":     "id, person_id, name, hash, created_at, last_used_at",
	"web_sessions":      "token, data, expiry, person_id, ended",
	"break_settings": "person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes, stretch_for_minutes, " +
		"daily_limit_minutes, reset_hour, snooze_minutes, updated_at",
}

// TestUpgradeKeepsEveryRow fills a database at the previous schema version,
// upgrades it by opening it, and checks that every row of every table is
// still there, unchanged, and reads back through the store.
func TestUpgradeKeepsEveryRow(t *testing.T) {
	t.Parallel()
	// Versions 5 and later change few rows; each has an upgrade test of
	// its own (TestTokenMigration for 6).
	if previousVersion >= LatestVersion() {
		t.Fatalf("previousVersion is %d but the newest schema is %d: update this test for the new migration", previousVersion, LatestVersion())
	}
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := db.dsn(t)
			old, err := open(ctx, dsn, Options{}, previousVersion)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := old.SchemaVersion(ctx); v != previousVersion {
				t.Fatalf("built schema version %d, want %d", v, previousVersion)
			}
			people := upgradeFill(t, old)
			before := dumpTables(t, old)
			old.Close()

			s := openTest(t, dsn)
			if v, _ := s.SchemaVersion(ctx); v != LatestVersion() {
				t.Fatalf("after the upgrade the schema is version %d, want %d", v, LatestVersion())
			}
			after := dumpTables(t, s)
			for table, rows := range before {
				if len(rows) == 0 {
					t.Fatalf("the fill left %s empty", table)
				}
				if !reflect.DeepEqual(after[table], rows) {
					t.Errorf("%s changed in the upgrade\nbefore %q\n after %q", table, rows, after[table])
				}
			}
			// Every row is readable through the store, version 2's PEG
			// and break days and version 3's sign-ins included, and
			// nobody has break settings yet: everyone gets the defaults.
			for _, id := range people {
				x, err := s.Export(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(x.Assessments) != 2 || len(x.Plans) != 2 || len(x.Sessions) != 2 || len(x.Diary) != 3 || len(x.BreakDays) != 2 || x.Profile == nil {
					t.Errorf("person %s after the upgrade: %d assessments, %d plans, %d sessions, %d diary entries, %d break days, profile %v",
						id, len(x.Assessments), len(x.Plans), len(x.Sessions), len(x.Diary), len(x.BreakDays), x.Profile)
				}
				for k, e := range x.Diary {
					want := (*backcoach.PEG)(nil)
					if k == 2 {
						want = &backcoach.PEG{Pain: 6, Enjoyment: 4, Activity: 5}
					}
					if !reflect.DeepEqual(e.PEG, want) {
						t.Errorf("diary entry %d of %s after the upgrade has the PEG %+v, want %+v", k, id, e.PEG, want)
					}
				}
				for k, d := range x.BreakDays {
					if d.Taken != 4+k || d.ActiveSeconds != 20000+k {
						t.Errorf("break day %d of %s after the upgrade: %+v", k, id, d)
					}
				}
				if hash, err := s.PasswordHash(ctx, id); err != nil || hash != passwordHashes[id] {
					t.Errorf("the password hash of %s after the upgrade: %q, %v", id, hash, err)
				}
				if tokens, err := s.AccessTokens(ctx, id); err != nil || len(tokens) != 2 || tokens[0].LastUsedAt == nil {
					t.Errorf("%s's access tokens after the upgrade: %+v, %v", id, tokens, err)
				}
				if b, err := s.BreakSettings(ctx, id); err != nil || !b.Saved() || b.MovementEveryMinutes != 40 || !b.Enabled {
					t.Errorf("the break settings of %s after the upgrade: %+v, %v; want the version-4 row", id, b, err)
				}
				// The warning signs answered before version 5 are carried
				// into the safety record: the assessment's night pain and
				// the check-in's fever, in time order.
				var signs []string
				for _, sc := range x.Safety.Screens {
					if sc.Via != backcoach.ViaUnknown || !sc.Complete {
						t.Errorf("a carried-over screen of %s: %+v", id, sc)
					}
					signs = append(signs, string(sc.Kind)+":"+strings.Join(sc.Signs, ","))
				}
				if want := []string{"check_in:fever", "assessment:night_pain"}; !reflect.DeepEqual(signs, want) || len(x.Safety.Clearances) != 0 {
					t.Errorf("%s's safety record after the upgrade: %v, %d clearances; want %v", id, signs, len(x.Safety.Clearances), want)
				}
				if err := x.Validate(); err != nil {
					t.Errorf("the upgraded data of %s does not validate: %v", id, err)
				}
				if len(x.Sessions) > 0 && len(x.Sessions[0].Exercises) != 3 {
					t.Errorf("session exercises after the upgrade: %+v", x.Sessions[0].Exercises)
				}
			}
			// And the new schema takes new data.
			e := backcoach.DiaryEntry{Pain: 2, PEG: &backcoach.PEG{Pain: 2, Enjoyment: 2, Activity: 2}}
			if err := s.AddDiaryEntry(ctx, people[0], &e); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveBreakDay(ctx, people[0], &backcoach.BreakDay{Date: "2026-01-05", Due: 1}); err != nil {
				t.Fatal(err)
			}
			if err := s.SetPasswordHash(ctx, people[0], fakePasswordHash("up")); err != nil {
				t.Fatal(err)
			}
			_, hash := newTokenHash()
			if err := s.CreateAccessToken(ctx, people[0], &backcoach.AccessToken{Name: "after the upgrade", Hash: hash}); err != nil {
				t.Fatal(err)
			}
			if err := s.SessionStore(sessionPersonKey).CommitCtx(ctx, newSessionToken(), sessionData(t, people[0], "k", 1), farExpiry); err != nil {
				t.Fatal(err)
			}
			b := backcoach.DefaultBreakSettings()
			b.Enabled, b.MovementEveryMinutes = true, 45
			if err := s.SaveBreakSettings(ctx, people[0], &b); err != nil {
				t.Fatal(err)
			}
			if err := s.AddScreen(ctx, people[0], &backcoach.Screen{Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaTerminal, Complete: true, Signs: []string{"fever"}}); err != nil {
				t.Fatal(err)
			}
			// A version-3 web session still signs its person in.
			sessions := s.SessionStore(sessionPersonKey)
			if data, found, err := sessions.FindCtx(ctx, sessionTokens[people[1]]); err != nil || !found || len(data) == 0 {
				t.Errorf("the web session of %s after the upgrade: found %v, %v", people[1], found, err)
			}
		})
	}
}

// upgradeFill writes, with version 4's SQL, two people with a profile,
// assessments, plans, sessions with exercises, diary entries (one with the
// weekly PEG), break days, audit lines, a password, access tokens, a web
// session and break settings each.
func upgradeFill(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	answers, _ := json.Marshal(sampleAnswers())
	result, _ := json.Marshal(sampleResult())
	flagged := sampleResult()
	flagged.Urgency, flagged.RedFlags, flagged.ExerciseAllowed = backcoach.UrgencyUrgent, []string{"night_pain"}, false
	flaggedResult, _ := json.Marshal(flagged)
	plan, _ := json.Marshal(samplePlan())
	var people []string
	for n := 0; n < 2; n++ {
		id := newID()
		people = append(people, id)
		at := day0.Add(time.Duration(n) * time.Hour)
		exec(`INSERT INTO persons (id, handle, name, role, created_at) VALUES ($1, $2, $3, 'person', $4)`,
			id, fmt.Sprintf("p%d", n), "Person "+fmt.Sprint(n), s.t(at))
		exec(`INSERT INTO profiles (person_id, time_zone, conditions, places, equipment, minutes, clinician_assessed, updated_at)
			VALUES ($1, 'Europe/Paris', '["osteoporosis"]', '["desk"]', '["wall"]', 12, $2, $3)`, id, n == 0, s.t(at))
		for k := 0; k < 2; k++ {
			when := at.AddDate(0, 0, k)
			a, p, ss := newID(), newID(), newID()
			exec(`INSERT INTO assessments (id, person_id, taken_at, urgency, stage, pain_now, answers, result)
				VALUES ($1, $2, $3, 'soon', 'moderate', 5, $4, $5)`, a, id, s.t(when), string(answers), string(map[bool][]byte{false: result, true: flaggedResult}[k == 1]))
			exec(`INSERT INTO plans (id, person_id, assessment_id, created_at, plan) VALUES ($1, $2, $3, $4, $5)`,
				p, id, a, s.t(when), string(plan))
			var after any
			if k == 0 {
				after = 3
			}
			exec(`INSERT INTO sessions (id, person_id, plan_id, started_at, duration_seconds, level, pain_before, pain_after)
				VALUES ($1, $2, $3, $4, 420, $5, 5, $6)`, ss, id, p, s.t(when), k, after)
			for pos, o := range []struct{ ex, outcome, reason string }{{"cat-cow", "done", ""}, {"wall-angel", "skipped", ""}, {"thread-the-needle", "stopped", "pain"}} {
				exec(`INSERT INTO session_exercises (session_id, position, exercise_id, outcome, reason, seconds) VALUES ($1, $2, $3, $4, $5, 30)`,
					ss, pos, o.ex, o.outcome, o.reason)
			}
			exec(`INSERT INTO audit_log (id, at, actor_id, person_id, action, kind, record_id) VALUES ($1, $2, $3, $3, 'create', 'session', $4)`,
				newID(), s.t(when), id, ss)
		}
		for k := 0; k < 3; k++ {
			flags := `[]`
			if k == 1 {
				flags = `["fever"]`
			}
			var pp, pe, pa any
			if k == 2 {
				pp, pe, pa = 6, 4, 5
			}
			exec(`INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				newID(), id, s.t(at.Add(time.Duration(k)*time.Minute)), k+2, "note "+fmt.Sprint(k), k > 0, flags, pp, pe, pa)
		}
		for k := 0; k < 2; k++ {
			exec(`INSERT INTO break_days (person_id, day, due, taken, natural_breaks, snoozed, skipped, active_seconds)
				VALUES ($1, $2, 8, $3, 1, 2, 1, $4)`, id, at.AddDate(0, 0, k).Format(backcoach.DateLayout), 4+k, 20000+k)
		}
		fillSignIns(t, s, exec, id, at)
		enabled := any(1)
		if s.dialect == Postgres {
			enabled = true
		}
		exec(`INSERT INTO break_settings (person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes,
			stretch_for_minutes, daily_limit_minutes, reset_hour, snooze_minutes, updated_at) VALUES ($1, $2, 40, 1, 90, 5, 0, 4, 5, $3)`,
			id, enabled, s.t(at))
	}
	return people
}

// passwordHashes and sessionTokens are the password hashes and web-session
// tokens upgradeFill stored, by person.
var passwordHashes, sessionTokens = map[string]string{}, map[string]string{}

// fillSignIns writes, with version 3's SQL, a person's password, two access
// tokens (one used) and a web session, with its token in sessionTokens.
func fillSignIns(t *testing.T, s *Store, exec func(string, ...any), id string, at time.Time) {
	t.Helper()
	passwordHashes[id] = fakePasswordHash(id)
	exec(`INSERT INTO credentials (person_id, hash, updated_at) VALUES ($1, $2, $3)`, id, passwordHashes[id], s.t(at))
	for k := 0; k < 2; k++ {
		_, hash := newTokenHash()
		var used any
		if k == 1 {
			used = s.t(at.Add(time.Hour))
		}
		exec(`INSERT INTO access_tokens (id, person_id, name, hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			newID(), id, fmt.Sprintf("token %d", k), hash, s.t(at.Add(time.Duration(k)*time.Minute)), used)
	}
	token := newSessionToken()
	sessionTokens[id] = token
	ended := any(0)
	if s.dialect == Postgres {
		ended = false
	}
	exec(`INSERT INTO web_sessions (token, data, expiry, person_id, ended) VALUES ($1, $2, $3, $4, $5)`,
		token, sessionData(t, id, "k", 1), s.t(farExpiry), id, ended)
}

// withPerson returns the settings with their person set.
func withPerson(b backcoach.BreakSettings, id string) backcoach.BreakSettings {
	b.PersonID = id
	return b
}

// dumpTables reads every row of the previous version's tables as text, in
// a fixed order.
func dumpTables(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, cols := range prevTables {
		n := len(strings.Split(cols, ","))
		rows, err := s.db.Query(`SELECT ` + cols + ` FROM ` + table + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, n)
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					vals[i] = string(b)
				}
			}
			out[table] = append(out[table], fmt.Sprint(vals...))
		}
		rows.Close()
	}
	return out
}

// TestMigrationsDownAndUp checks that every migration can be undone and
// done again, so a failed release can be rolled back by hand.
func TestMigrationsDownAndUp(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p, err := s.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 0); err != nil {
			t.Fatalf("down: %v", err)
		}
		if n, err := countTables(ctx, s.db, s.dialect); err != nil || n != 1 {
			t.Fatalf("after going down, %d tables (%v); want only the version table", n, err)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		newPerson(t, s, "ann")
	})
}
