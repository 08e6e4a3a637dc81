// Package clinic generates a clinic-sized data set on PostgreSQL and times
// what a clinic reads from it, each against a plain SQL query of the same
// rows measured in the same run (see clinic_test.go; run it with
// go test ./bench/clinic -bench . -benchtime 20x).
package clinic

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/triage"
)

// Clinic is a generated data set: patients with a diary entry, a
// check-in's screen of the warning signs and a session (of three
// exercises) on every day of a year, and an assessment every week.
type Clinic struct {
	// Store is the store over the database; DB a plain connection to the
	// same database, for the baselines.
	Store *store.Store
	DB    *sql.DB
	// Patients are the patients' ids; Clinician is a clinician of the
	// clinic with whom every patient shares every part of their record.
	Patients  []string
	Clinician string
	// From and To bound the year of records: To is the moment "now" of
	// the clinic, just after the last day's records.
	From, To time.Time
}

// Timed is something a clinic reads, timed the same way as the store's
// reads: given the store and the clinic, it reads what it needs and
// returns how many records it read (a check that it read anything). The
// clinic dashboard and the PDF report plug in here once they exist.
type Timed func(ctx context.Context, st *store.Store, c *Clinic) (int, error)

// Generate fills the empty, migrated database of st (reached plainly
// through db) with patients, each with days of daily diary entries and
// sessions ending at end. The rows are made by the database itself
// (INSERT ... SELECT over generate_series), a few statements in all.
func Generate(ctx context.Context, st *store.Store, db *sql.DB, patients, days int, end time.Time) (*Clinic, error) {
	end = end.UTC().Truncate(24 * time.Hour)
	c := &Clinic{Store: st, DB: db, From: end.AddDate(0, 0, -days), To: end, Clinician: newID()}
	for range patients {
		c.Patients = append(c.Patients, newID())
	}
	clinic := newID()
	shares := `["diary", "sessions", "assessments", "safety", "plan"]`
	// The weekly assessment: the same clean answers each time.
	answers := &backcoach.Answers{Age: 40, PainNow: 3, Weeks: 8, Trend: backcoach.TrendSame, ClinicianAssessed: true,
		Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{}}
	result := triage.Assess(answers)
	answersJSON, err := json.Marshal(answers)
	if err != nil {
		return nil, err
	}
	resultJSON, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	// Record ids: 26 characters of a-z and 2-7 (the hex digits 0, 1, 8
	// and 9 of an md5 sum mapped to letters).
	const recordID = `translate(substr(md5(%s), 1, 26), '0189', 'qrst')`
	steps := []struct {
		what, sql string
		args      []any
	}{
		{"patients", `INSERT INTO persons (id, handle, name, role, created_at)
			SELECT id, 'patient' || n, 'Patient ' || n, 'person', $2 FROM unnest($1::text[]) WITH ORDINALITY AS p(id, n)`,
			[]any{c.Patients, c.From}},
		{"diary entries", `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity)
			SELECT ` + fmt.Sprintf(recordID, `p.id || ':d:' || d`) + `, p.id, $2::timestamptz + d * interval '1 day' + interval '20 hours',
				abs(hashtext(p.id || d)) % 8, CASE WHEN d % 7 = 0 THEN 'a note for the week' ELSE '' END, d % 7 = 0, '[]',
				CASE WHEN d % 7 = 0 THEN abs(hashtext(p.id || d || 'p')) % 11 END,
				CASE WHEN d % 7 = 0 THEN abs(hashtext(p.id || d || 'e')) % 11 END,
				CASE WHEN d % 7 = 0 THEN abs(hashtext(p.id || d || 'a')) % 11 END
			FROM unnest($1::text[]) AS p(id) CROSS JOIN generate_series(0, $3 - 1) AS d`,
			[]any{c.Patients, c.From, days}},
		{"sessions", `INSERT INTO sessions (id, person_id, plan_id, started_at, duration_seconds, level, pain_before, pain_after)
			SELECT ` + fmt.Sprintf(recordID, `p.id || ':s:' || d`) + `, p.id, NULL, $2::timestamptz + d * interval '1 day' + interval '18 hours',
				600, 0, abs(hashtext(p.id || d)) % 7, abs(hashtext(p.id || d || 'after')) % 7
			FROM unnest($1::text[]) AS p(id) CROSS JOIN generate_series(0, $3 - 1) AS d`,
			[]any{c.Patients, c.From, days}},
		{"session exercises", `INSERT INTO session_exercises (session_id, position, exercise_id, outcome, reason, seconds)
			SELECT s.id, k, (ARRAY['cat-cow', 'wall-angel', 'thread-the-needle'])[k + 1], 'done', '', 120
			FROM sessions s CROSS JOIN generate_series(0, 2) AS k`, nil},
		{"assessments", `INSERT INTO assessments (id, person_id, taken_at, urgency, stage, pain_now, answers, result)
			SELECT ` + fmt.Sprintf(recordID, `p.id || ':a:' || d`) + `, p.id, $2::timestamptz + d * interval '1 day' + interval '9 hours',
				$4, $5, 3, $6::jsonb, $7::jsonb
			FROM unnest($1::text[]) AS p(id) CROSS JOIN generate_series(0, $3 - 1, 7) AS d`,
			[]any{c.Patients, c.From, days, string(result.Urgency), string(result.Stage), string(answersJSON), string(resultJSON)}},
		{"screens", `INSERT INTO safety_screens (id, person_id, at, kind, via, complete, signs)
			SELECT ` + fmt.Sprintf(recordID, `p.id || ':w:' || d`) + `, p.id, $2::timestamptz + d * interval '1 day' + interval '20 hours',
				'check_in', 'web', true, '[]'
			FROM unnest($1::text[]) AS p(id) CROSS JOIN generate_series(0, $3 - 1) AS d`,
			[]any{c.Patients, c.From, days}},
		{"clinic", `INSERT INTO clinics (id, name, created_at) VALUES ($1, 'Harbour Physio', $2)`, []any{clinic, c.From}},
		{"clinician", `INSERT INTO persons (id, handle, name, role, created_at) VALUES ($1, 'clinician', 'Dr Clinician', 'clinician', $2)`,
			[]any{c.Clinician, c.From}},
		{"clinic member", `INSERT INTO clinic_members (clinic_id, person_id, role, added_at) VALUES ($1, $2, 'admin', $3)`,
			[]any{clinic, c.Clinician, c.From}},
		{"consents", `INSERT INTO consents (id, patient_id, clinic_id, clinician_id, shares, granted_at)
			SELECT ` + fmt.Sprintf(recordID, `p.id || ':c'`) + `, p.id, $2, $3, $4::jsonb, $5 FROM unnest($1::text[]) AS p(id)`,
			[]any{c.Patients, clinic, c.Clinician, shares, c.From}},
		// What autovacuum does to a year of rows in time: statistics, and
		// the visibility map that lets index-only scans skip the table.
		{"statistics", `VACUUM ANALYZE`, nil},
	}
	for _, s := range steps {
		if _, err := db.ExecContext(ctx, s.sql, s.args...); err != nil {
			return nil, fmt.Errorf("generating the %s: %w", s.what, err)
		}
	}
	return c, nil
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID makes a record id as the store does: 128 random bits in 26
// characters of lowercase base32.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToLower(idEncoding.EncodeToString(b[:]))
}
