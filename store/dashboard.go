package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
)

// DashboardRecords reads, for every person whose standing consent lets
// the actor read their record, what the clinician's dashboard needs of
// what SharedRecord would read with the same filter, in a few set-based
// queries over all of them at once (one a part of the record, not one a
// patient), and audits every patient's read as SharedRecord does, with
// one batch insert, all in one transaction. The dashboard needs less
// than the whole record: its diary entries (and baseline) carry their
// time and pain only, its sessions their start only; of the assessments
// it holds the newest and the first of the newest run that allowed
// exercise (the plan's start, docs/clinical.md §6); of the safety record
// the screens that found signs, every clearance, and the first clean
// complete screen after each clearance: all that decides what stands
// (docs/clinical.md §3); and of the assessments only their time, whether
// they allowed exercise and the warning signs they found. Every query checks the consent itself (standing, the
// actor a clinician of its clinic, sharing that part), so a revoked
// patient is never read; on PostgreSQL the consents read are locked
// against a revocation until the transaction ends. The records are in the
// order of Patients: by name.
func (s *Store) DashboardRecords(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.SharedRecord, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	f.Limit, f.NewestFirst = 0, false
	var out []backcoach.SharedRecord
	err := s.write(ctx, func(tx *sql.Tx) error {
		r := &sharedReader{s: s, ctx: ctx, tx: tx, actor: actor, f: f, index: map[string]int{}}
		if err := r.consents(); err != nil {
			return err
		}
		if len(r.recs) == 0 {
			out = []backcoach.SharedRecord{}
			return nil
		}
		for _, step := range []func() error{r.profiles, r.assessments, r.diary, r.baselines, r.sessions, r.safety, r.programmes, r.audit} {
			if err := step(); err != nil {
				return err
			}
		}
		out = r.recs
		return nil
	})
	return out, err
}

// sharedReader reads the shared records of one actor's patients in one
// transaction.
type sharedReader struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	actor string
	f     backcoach.Filter
	recs  []backcoach.SharedRecord
	index map[string]int // patient id → position in recs
}

// standingWhere is the consent check of every query: a consent that is
// not revoked, of a clinic the actor ($1) is a clinician of, to the actor
// or to the whole clinic, of a patient other than the actor.
const standingWhere = `c.revoked_at IS NULL AND c.patient_id <> $1
	AND EXISTS (SELECT 1 FROM clinic_members m WHERE m.clinic_id = c.clinic_id AND m.person_id = $1)
	AND (c.clinician_id = $1 OR c.clinician_id IS NULL)`

// sharing returns a query's opening: a WITH clause naming "shared" the
// ids (column pid) of the patients whose standing consent shares part
// (every patient with a standing consent when part is empty), with its
// parameters ($1 the actor, $2 the part).
func (r *sharedReader) sharing(part backcoach.Share) (string, []any) {
	if part == "" {
		return `WITH shared AS (SELECT DISTINCT c.patient_id AS pid FROM consents c WHERE ` + standingWhere + `) `, []any{r.actor}
	}
	has := `EXISTS (SELECT 1 FROM json_each(c.shares) j WHERE j.value = $2)`
	if r.s.dialect == Postgres {
		has = `c.shares @> jsonb_build_array($2::text)`
	}
	return `WITH shared AS (SELECT DISTINCT c.patient_id AS pid FROM consents c WHERE ` + standingWhere + ` AND ` + has + `) `, []any{r.actor, string(part)}
}

// sharesAny reports whether any patient shares part, so that a query
// that would find nothing is not run.
func (r *sharedReader) sharesAny(part backcoach.Share) bool {
	return slices.ContainsFunc(r.recs, func(x backcoach.SharedRecord) bool { return x.Consent.Shared(part) })
}

// rec returns the record of a patient a query returned; a patient the
// consents did not list (which the queries' own consent checks rule out)
// is an internal error.
func (r *sharedReader) rec(pid string) (*backcoach.SharedRecord, error) {
	i, ok := r.index[pid]
	if !ok {
		return nil, backcoach.Errorf(backcoach.EINTERNAL, "a shared record read a patient whose consent was not read")
	}
	return &r.recs[i], nil
}

// consents reads the patients with their standing consents, merged as
// standingConsent merges them, in the order of Patients.
func (r *sharedReader) consents() error {
	lock := ""
	if r.s.dialect == Postgres {
		lock = ` FOR SHARE OF c`
	}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT `+consentColumns+`, p.id, COALESCE(p.handle, ''), p.name, p.role, p.created_at`+consentJoins+
		` JOIN persons p ON p.id = c.patient_id WHERE `+standingWhere+` ORDER BY p.name, p.id, c.granted_at DESC, c.id`+lock, r.actor)
	if err != nil {
		return r.s.dbError(err, "read the patients")
	}
	defer rows.Close()
	for rows.Next() {
		var p backcoach.Person
		var created dbTime
		c, err := scanConsent(rows, &p.ID, &p.Handle, &p.Name, (*string)(&p.Role), &created)
		if err != nil {
			return r.s.dbError(err, "read the patients")
		}
		p.CreatedAt = created.T
		if i, ok := r.index[p.ID]; ok {
			mergeConsent(&r.recs[i].Consent, c)
			continue
		}
		r.index[p.ID] = len(r.recs)
		r.recs = append(r.recs, backcoach.SharedRecord{Patient: p, Consent: *c,
			Assessments: []backcoach.SavedAssessment{}, Diary: []backcoach.DiaryEntry{}, Sessions: []backcoach.Session{}})
	}
	if err := rows.Err(); err != nil {
		return r.s.dbError(err, "read the patients")
	}
	for i := range r.recs {
		sortShares(r.recs[i].Consent.Shares)
	}
	return nil
}

// profiles reads the patients' profiles; a patient without one has the
// defaults, as Profile gives them.
func (r *sharedReader) profiles() error {
	with, args := r.sharing("")
	rows, err := r.tx.QueryContext(r.ctx, with+`SELECT `+profileColumns+` FROM profiles WHERE person_id IN (SELECT pid FROM shared)`, args...)
	if err != nil {
		return r.s.dbError(err, "read the profiles")
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return r.s.dbError(err, "read the profiles")
		}
		rec, err := r.rec(p.PersonID)
		if err != nil {
			return err
		}
		rec.Profile = p
	}
	if err := rows.Err(); err != nil {
		return r.s.dbError(err, "read the profiles")
	}
	for i := range r.recs {
		if r.recs[i].Profile == nil {
			r.recs[i].Profile = defaultProfile(r.recs[i].Patient.ID)
		}
	}
	return nil
}

// assessments reads, of the patients who share them, the assessments the
// dashboard's rules need: the newest (what stands now) and the first of
// the newest run of assessments that allowed exercise, since which the
// plan runs (diary.PlanStart): the first after the newest that did not.
// Each is one look-up in an index (the ones that did not allow exercise
// have one of their own, migration 11), so that a year of weekly
// assessments is not read. Of each it reads what the rules look at only
// (dashboardAssessment), not the answers and the whole result.
func (r *sharedReader) assessments() error {
	if !r.sharesAny(backcoach.ShareAssessments) {
		return nil
	}
	with, args := r.sharing(backcoach.ShareAssessments)
	var q string
	if r.s.dialect == Postgres {
		// Each patient's two rows come from the (person, time) index, one
		// patient after the other: an IN list of their ids would have the
		// planner scan the whole table.
		cols := `a.id, a.person_id, a.taken_at, COALESCE((a.result->>'exercise_allowed')::boolean, false), COALESCE(a.result->'red_flags', 'null'::jsonb)`
		q = with + `SELECT x.* FROM shared s
			LEFT JOIN LATERAL (SELECT b.taken_at, b.id FROM assessments b WHERE b.person_id = s.pid AND NOT (b.result->>'exercise_allowed')::boolean
				ORDER BY b.taken_at DESC, b.id DESC LIMIT 1) lb ON true
			CROSS JOIN LATERAL (
				(SELECT ` + cols + ` FROM assessments a WHERE a.person_id = s.pid ORDER BY a.taken_at DESC, a.id DESC LIMIT 1)
				UNION
				(SELECT ` + cols + ` FROM assessments a WHERE a.person_id = s.pid
					AND (lb.id IS NULL OR a.taken_at > lb.taken_at OR (a.taken_at = lb.taken_at AND a.id > lb.id))
					ORDER BY a.taken_at, a.id LIMIT 1)) x
			ORDER BY x.person_id, x.taken_at, x.id`
	} else {
		q = with + `, last_blocked AS (
			SELECT s.pid, (SELECT b.id FROM assessments b WHERE b.person_id = s.pid AND NOT json_extract(b.result, '$.exercise_allowed')
				ORDER BY b.taken_at DESC, b.id DESC LIMIT 1) AS bid FROM shared s),
		needed AS (
			SELECT (SELECT n.id FROM assessments n WHERE n.person_id = s.pid ORDER BY n.taken_at DESC, n.id DESC LIMIT 1) AS id FROM shared s
			UNION SELECT (SELECT f.id FROM assessments f LEFT JOIN assessments b ON b.id = lb.bid
				WHERE f.person_id = lb.pid AND (lb.bid IS NULL OR f.taken_at > b.taken_at OR (f.taken_at = b.taken_at AND f.id > b.id))
				ORDER BY f.taken_at, f.id LIMIT 1) FROM last_blocked lb)
		SELECT id, person_id, taken_at, COALESCE(json_extract(result, '$.exercise_allowed'), 0), COALESCE(json_extract(result, '$.red_flags'), 'null')
		FROM assessments WHERE id IN (SELECT id FROM needed)
		ORDER BY person_id, taken_at, id`
	}
	rows, err := r.tx.QueryContext(r.ctx, q, args...)
	if err != nil {
		return r.s.dbError(err, "read the assessments")
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanDashboardAssessment(rows)
		if err != nil {
			return r.s.dbError(err, "read the assessments")
		}
		rec, err := r.rec(a.PersonID)
		if err != nil {
			return err
		}
		rec.Assessments = append(rec.Assessments, *a)
	}
	return r.s.dbError(rows.Err(), "read the assessments")
}

// scanDashboardAssessment reads the part of an assessment the dashboard's
// rules look at: its id, person and time, and of its result whether it
// allowed exercise and the warning signs it found (the plan's start,
// docs/clinical.md §6, and what stands, §3). The answers and the rest of
// the result are left empty.
func scanDashboardAssessment(row interface{ Scan(...any) error }) (*backcoach.SavedAssessment, error) {
	var a backcoach.SavedAssessment
	var taken dbTime
	var flags string
	if err := row.Scan(&a.ID, &a.PersonID, &taken, &a.Result.ExerciseAllowed, &flags); err != nil {
		return nil, err
	}
	a.TakenAt = taken.T
	switch flags {
	case "null":
	case "[]":
		a.Result.RedFlags = []string{}
	default:
		if err := unmarshalAll([]string{flags}, &a.Result.RedFlags); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// forPatient finds the record of the patient whose id a row leads with,
// remembering the last one: the rows come by patient.
type forPatient struct {
	r   *sharedReader
	pid sql.RawBytes
	rec *backcoach.SharedRecord
}

func (p *forPatient) find() (*backcoach.SharedRecord, error) {
	if p.rec != nil && string(p.pid) == p.rec.Patient.ID {
		return p.rec, nil
	}
	i, ok := p.r.index[string(p.pid)]
	if !ok {
		return nil, backcoach.Errorf(backcoach.EINTERNAL, "a shared record read a patient whose consent was not read")
	}
	p.rec = &p.r.recs[i]
	return p.rec, nil
}

// scanDiaryRows reads rows of person_id, at, pain into their records'
// lists.
func (r *sharedReader) scanDiaryRows(rows *sql.Rows, into func(*backcoach.SharedRecord) *[]backcoach.DiaryEntry) error {
	defer rows.Close()
	p := forPatient{r: r}
	for rows.Next() {
		var at dbTime
		var pain dbInt
		if err := rows.Scan(&p.pid, &at, &pain); err != nil {
			return r.s.dbError(err, "read the diary")
		}
		rec, err := p.find()
		if err != nil {
			return err
		}
		list := into(rec)
		*list = append(*list, backcoach.DiaryEntry{PersonID: rec.Patient.ID, At: at.T, Pain: int(pain)})
	}
	return r.s.dbError(rows.Err(), "read the diary")
}

// diary reads the diary entries in the filter's range of the patients who
// share their diary.
func (r *sharedReader) diary() error {
	if !r.sharesAny(backcoach.ShareDiary) {
		return nil
	}
	with, args := r.sharing(backcoach.ShareDiary)
	where, args := r.s.rangeClause("at", r.f, args)
	rows, err := r.tx.QueryContext(r.ctx, with+r.window("diary_entries", "at, pain", where, "at"), args...)
	if err != nil {
		return r.s.dbError(err, "read the diary")
	}
	if err := r.scanDiaryRows(rows, func(rec *backcoach.SharedRecord) *[]backcoach.DiaryEntry { return &rec.Diary }); err != nil {
		return err
	}
	inTimeOrder(r.recs, func(rec *backcoach.SharedRecord) []backcoach.DiaryEntry { return rec.Diary },
		func(e *backcoach.DiaryEntry) time.Time { return e.At })
	return nil
}

// baselineChunk bounds the patients of one baseline query (three
// parameters each).
const baselineChunk = 500

// baselines reads, for each patient who shares their diary and whose plan
// began before the range, the diary of the plan's first week, which the
// worsening rule compares with (docs/clinical.md §6): one query for up to
// baselineChunk patients, each with their own week.
func (r *sharedReader) baselines() error {
	if r.f.From.IsZero() || !r.sharesAny(backcoach.ShareDiary) {
		return nil
	}
	type week struct {
		pid      string
		from, to time.Time
	}
	var weeks []week
	for _, rec := range r.recs {
		if !rec.Consent.Shared(backcoach.ShareDiary) {
			continue
		}
		start, ok := diary.PlanStart(rec.Assessments)
		if !ok || !start.Before(r.f.From) {
			continue
		}
		to := start.AddDate(0, 0, diary.WindowDays+1)
		if to.After(r.f.From) {
			to = r.f.From
		}
		weeks = append(weeks, week{rec.Patient.ID, start, to})
	}
	cast := ""
	if r.s.dialect == Postgres {
		cast = "::timestamptz"
	}
	for chunk := range slices.Chunk(weeks, baselineChunk) {
		with, args := r.sharing(backcoach.ShareDiary)
		var values []string
		for _, w := range chunk {
			args = append(args, w.pid, r.s.t(w.from), r.s.t(w.to))
			n := len(args)
			values = append(values, fmt.Sprintf("($%d, $%d%s, $%d%s)", n-2, n-1, cast, n, cast))
		}
		q := with + `, week(pid, lo, hi) AS (VALUES ` + strings.Join(values, ", ") + `)
			SELECT d.person_id, d.at, d.pain FROM diary_entries d JOIN week w ON d.person_id = w.pid AND d.at >= w.lo AND d.at < w.hi
			WHERE d.person_id IN (SELECT pid FROM shared) ORDER BY d.person_id, d.at`
		if r.s.dialect == Postgres {
			// Each week from the (person, time) index, as window reads
			// (by patient, put in time order below): a join would have the
			// planner scan the whole diary.
			q = with + `, week(pid, lo, hi) AS (VALUES ` + strings.Join(values, ", ") + `)
			SELECT t.* FROM week w CROSS JOIN LATERAL (SELECT d.person_id, d.at, d.pain FROM diary_entries d
				WHERE d.person_id = w.pid AND d.at >= w.lo AND d.at < w.hi OFFSET 0) t
			WHERE w.pid IN (SELECT pid FROM shared)`
		}
		rows, err := r.tx.QueryContext(r.ctx, q, args...)
		if err != nil {
			return r.s.dbError(err, "read the diary")
		}
		if err := r.scanDiaryRows(rows, func(rec *backcoach.SharedRecord) *[]backcoach.DiaryEntry {
			if rec.Baseline == nil {
				rec.Baseline = []backcoach.DiaryEntry{}
			}
			return &rec.Baseline
		}); err != nil {
			return err
		}
	}
	// A patient whose first week has no entry has an empty baseline, as
	// SharedRecord gives it.
	for _, w := range weeks {
		rec, _ := r.rec(w.pid)
		if rec.Baseline == nil {
			rec.Baseline = []backcoach.DiaryEntry{}
		}
	}
	inTimeOrder(r.recs, func(rec *backcoach.SharedRecord) []backcoach.DiaryEntry { return rec.Baseline },
		func(e *backcoach.DiaryEntry) time.Time { return e.At })
	return nil
}

// window returns the query of a table's rows (person_id, then columns)
// of the shared patients in a time range (where, on the time column col).
// PostgreSQL reads each patient's range from the (person, time) index,
// one patient after the other (a lateral join; OFFSET 0 keeps the planner
// from flattening it): the planner would otherwise scan the whole table
// when the patients are many, though their window is a small part of it.
// Its rows come by patient, unsorted (sorting by the text of the ids
// under the database's collation costs more than the reading): the
// caller puts each patient's rows in time order. SQLite's planner reads
// the IN list from its index by itself, in order.
func (r *sharedReader) window(table, columns, where, col string) string {
	if r.s.dialect != Postgres {
		return `SELECT person_id, ` + columns + ` FROM ` + table + `
		WHERE person_id IN (SELECT pid FROM shared)` + where + ` ORDER BY person_id, ` + col
	}
	return `SELECT t.* FROM shared s
		CROSS JOIN LATERAL (SELECT person_id, ` + columns + ` FROM ` + table + ` WHERE person_id = s.pid` + where + ` OFFSET 0) t`
}

// inTimeOrder sorts each record's list by time, where it is not already.
// It checks the order in place: a comparison of copies would allocate
// each element of a year of records.
func inTimeOrder[T any](recs []backcoach.SharedRecord, list func(*backcoach.SharedRecord) []T, at func(*T) time.Time) {
	for i := range recs {
		l := list(&recs[i])
		for j := 1; j < len(l); j++ {
			if at(&l[j]).Before(at(&l[j-1])) {
				slices.SortStableFunc(l, func(a, b T) int { return at(&a).Compare(at(&b)) })
				break
			}
		}
	}
}

// sessions reads when each session in the filter's range began, of the
// patients who share their sessions.
func (r *sharedReader) sessions() error {
	if !r.sharesAny(backcoach.ShareSessions) {
		return nil
	}
	with, args := r.sharing(backcoach.ShareSessions)
	where, args := r.s.rangeClause("started_at", r.f, args)
	rows, err := r.tx.QueryContext(r.ctx, with+r.window("sessions", "started_at", where, "started_at"), args...)
	if err != nil {
		return r.s.dbError(err, "read the sessions")
	}
	defer rows.Close()
	p := forPatient{r: r}
	for rows.Next() {
		var at dbTime
		if err := rows.Scan(&p.pid, &at); err != nil {
			return r.s.dbError(err, "read the sessions")
		}
		rec, err := p.find()
		if err != nil {
			return err
		}
		rec.Sessions = append(rec.Sessions, backcoach.Session{PersonID: rec.Patient.ID, StartedAt: at.T})
	}
	if err := rows.Err(); err != nil {
		return r.s.dbError(err, "read the sessions")
	}
	inTimeOrder(r.recs, func(rec *backcoach.SharedRecord) []backcoach.Session { return rec.Sessions },
		func(x *backcoach.Session) time.Time { return x.StartedAt })
	return nil
}

// safety reads the whole safety record of the patients who share it.
func (r *sharedReader) safety() error {
	if !r.sharesAny(backcoach.ShareSafety) {
		return nil
	}
	for i := range r.recs {
		if r.recs[i].Consent.Shared(backcoach.ShareSafety) {
			r.recs[i].Safety = &backcoach.SafetyRecord{Screens: []backcoach.Screen{}, Clearances: []backcoach.Clearance{}}
		}
	}
	// A clean screen changes what stands only when it is complete and the
	// first such after a clearance (triage.StandingOf): the others, a
	// year of daily check-ins, are not read. The screens with signs come
	// from an index of their own (migration 11).
	signs, noSigns := `json_array_length(signs) > 0`, `json_array_length(s2.signs) = 0`
	if r.s.dialect == Postgres {
		signs, noSigns = `jsonb_array_length(signs) > 0`, `jsonb_array_length(s2.signs) = 0`
	}
	with, args := r.sharing(backcoach.ShareSafety)
	rows, err := r.tx.QueryContext(r.ctx, with+`SELECT person_id, `+screenColumns+` FROM safety_screens
		WHERE person_id IN (SELECT pid FROM shared) AND `+signs+`
		UNION SELECT person_id, `+screenColumns+` FROM safety_screens WHERE id IN (
			SELECT (SELECT s2.id FROM safety_screens s2 WHERE s2.person_id = c.person_id AND s2.at >= c.recorded_at AND s2.complete AND `+noSigns+`
				ORDER BY s2.at, s2.id LIMIT 1)
			FROM clearances c WHERE c.person_id IN (SELECT pid FROM shared))
		ORDER BY 1, 3, 2`, args...)
	if err != nil {
		return r.s.dbError(err, "read the safety record")
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		sc, err := scanScreen(personLed{rows, &pid}, "")
		if err != nil {
			return r.s.dbError(err, "read the safety record")
		}
		sc.PersonID = pid
		rec, err := r.rec(pid)
		if err != nil {
			return err
		}
		rec.Safety.Screens = append(rec.Safety.Screens, *sc)
	}
	if err := rows.Err(); err != nil {
		return r.s.dbError(err, "read the safety record")
	}
	rows.Close()
	crows, err := r.tx.QueryContext(r.ctx, with+`SELECT person_id, `+clearanceColumns+` FROM clearances
		WHERE person_id IN (SELECT pid FROM shared) ORDER BY person_id, recorded_at, id`, args...)
	if err != nil {
		return r.s.dbError(err, "read the safety record")
	}
	defer crows.Close()
	for crows.Next() {
		var pid string
		c, err := scanClearance(personLed{crows, &pid}, "")
		if err != nil {
			return r.s.dbError(err, "read the safety record")
		}
		c.PersonID = pid
		rec, err := r.rec(pid)
		if err != nil {
			return err
		}
		rec.Safety.Clearances = append(rec.Safety.Clearances, *c)
	}
	return r.s.dbError(crows.Err(), "read the safety record")
}

// programmes reads the active programme of the patients who share their
// plan.
func (r *sharedReader) programmes() error {
	if !r.sharesAny(backcoach.SharePlan) {
		return nil
	}
	with, args := r.sharing(backcoach.SharePlan)
	args = append(args, true)
	rows, err := r.tx.QueryContext(r.ctx, with+`SELECT patient_id, `+programmeColumns+` FROM programmes
		WHERE patient_id IN (SELECT pid FROM shared) AND active = $3`, args...)
	if err != nil {
		return r.s.dbError(err, "read the programmes")
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		p, err := scanProgramme(personLed{rows, &pid}, "")
		if err != nil {
			return r.s.dbError(err, "read the programmes")
		}
		p.PatientID = pid
		rec, err := r.rec(pid)
		if err != nil {
			return err
		}
		rec.Programme = p
	}
	return r.s.dbError(rows.Err(), "read the programmes")
}

// auditChunk bounds the lines of one audit insert on SQLite (seven
// parameters each).
const auditChunk = 500

// audit writes one read line a patient, as SharedRecord does for one, in
// batch inserts: on PostgreSQL one statement whose rows come from arrays,
// on SQLite one multi-row insert for up to auditChunk patients.
func (r *sharedReader) audit() error {
	at := r.s.t(r.s.nowStamp())
	if r.s.dialect == Postgres {
		ids, persons, records := make([]string, len(r.recs)), make([]string, len(r.recs)), make([]string, len(r.recs))
		for i, rec := range r.recs {
			ids[i], persons[i], records[i] = newID(), rec.Patient.ID, rec.Consent.ID
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO audit_log (id, at, actor_id, person_id, action, kind, record_id)
			SELECT u.id, $4, $5, u.person_id, $6, $7, u.record_id FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, person_id, record_id)`,
			ids, persons, records, at, r.actor, string(backcoach.AuditRead), backcoach.KindShared)
		return r.s.dbError(err, "write the audit trail")
	}
	for chunk := range slices.Chunk(r.recs, auditChunk) {
		var values []string
		args := make([]any, 0, 7*len(chunk))
		for _, rec := range chunk {
			n := len(args)
			values = append(values, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7))
			args = append(args, newID(), at, r.actor, rec.Patient.ID, string(backcoach.AuditRead), backcoach.KindShared, rec.Consent.ID)
		}
		if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO audit_log (id, at, actor_id, person_id, action, kind, record_id) VALUES `+strings.Join(values, ", "), args...); err != nil {
			return r.s.dbError(err, "write the audit trail")
		}
	}
	return nil
}

// personLed scans a leading person_id column, then the columns the
// wrapped row's scanner asks for.
type personLed struct {
	row interface{ Scan(...any) error }
	pid *string
}

func (w personLed) Scan(dst ...any) error { return w.row.Scan(append([]any{w.pid}, dst...)...) }
