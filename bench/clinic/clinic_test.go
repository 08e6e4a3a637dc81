package clinic

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/report"
	"github.com/backcoach/backcoach/store"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// The clinic of the benchmark.
const (
	patients = 1000
	days     = 365
	// dashboardDays is the window a clinician's dashboard shows.
	dashboardDays = 14
)

// measure is one read timed against its plain baseline, with the most it
// may take.
type measure struct {
	name   string
	target time.Duration
	timed  Timed
	plain  Timed
}

// measures are what BenchmarkClinic times: the store's reads, the
// clinician's dashboard (the coach's use case, and the store's read of
// its data alone) against plain queries of the same rows, and one
// patient's PDF report of a year against a plain read of that year.
var measures = []measure{
	// The reading the dashboard did before DashboardRecords, kept for
	// comparison: it has no target.
	{"dashboard data, store, patient by patient (the old reading)", 0, dashboardStore(1), dashboardPlain},
	{"dashboard data, store, 8 patients at once (the old reading)", 0, dashboardStore(8), dashboardPlain},
	{"dashboard, the coach's use case", 200 * time.Millisecond, dashboardCoach, dashboardRecordsPlain},
	{"dashboard data, store, DashboardRecords", 200 * time.Millisecond, dashboardRecordsStore, dashboardRecordsPlain},
	{"one patient's year, store", time.Second, patientYearStore, patientYearPlain},
	{"one patient's PDF report of a year", time.Second, reportPDF, patientYearPlain},
}

// BenchmarkClinic generates a clinic of 1,000 patients, each with a year
// of daily diary entries and sessions, on PostgreSQL, and times what a
// clinic reads against a plain query of the same rows: it reports the
// milliseconds of each, their ratio, and whether the target is met. It
// runs only with -bench.
func BenchmarkClinic(b *testing.B) {
	ctx := context.Background()
	dsn := testenv.PostgresDB(b)
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	c, err := Generate(ctx, st, db, patients, days, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("generated %d patients with %d days of check-ins (diary entry and warning-sign screen) and sessions, and weekly assessments, each in %v\n", patients, days, time.Since(start).Round(time.Millisecond))
	for _, m := range measures {
		b.Run(m.name, func(b *testing.B) {
			var timed, plain time.Duration
			var timedRows, plainRows int
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				n, err := m.timed(ctx, st, c)
				t1 := time.Now()
				if err != nil {
					b.Fatal(err)
				}
				p, err := m.plain(ctx, st, c)
				t2 := time.Now()
				if err != nil {
					b.Fatal(err)
				}
				timed += t1.Sub(t0)
				plain += t2.Sub(t1)
				timedRows, plainRows = n, p
			}
			if timedRows != plainRows || timedRows == 0 {
				b.Fatalf("the read found %d records, the plain query %d", timedRows, plainRows)
			}
			per := timed / time.Duration(b.N)
			base := plain / time.Duration(b.N)
			ratio := float64(timed) / float64(plain)
			b.ReportMetric(float64(per.Microseconds())/1000, "ms")
			b.ReportMetric(float64(base.Microseconds())/1000, "plain-ms")
			b.ReportMetric(ratio, "ratio")
			verdict := fmt.Sprintf("; target %v met", m.target)
			switch {
			case m.target == 0:
				verdict = ""
			case per > m.target:
				verdict = fmt.Sprintf("; target %v NOT met", m.target)
			}
			b.Logf("%s: %d records in %.1f ms; plain query %.1f ms; ratio %.2f%s",
				m.name, timedRows, float64(per.Microseconds())/1000, float64(base.Microseconds())/1000, ratio, verdict)
		})
	}
}

// dashboardFrom is the start of the dashboard's window.
func dashboardFrom(c *Clinic) time.Time { return c.To.AddDate(0, 0, -dashboardDays) }

// dashboardStore reads what a dashboard needs through the store, with
// workers patients at once: each patient's last diary entry and their
// diary entries and sessions of the last 14 days.
func dashboardStore(workers int) Timed {
	return func(ctx context.Context, st *store.Store, c *Clinic) (int, error) {
		var mu sync.Mutex
		var firstErr error
		total := 0
		next := make(chan string)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for id := range next {
					n, err := dashboardOf(ctx, st, c, id)
					mu.Lock()
					total += n
					if err != nil && firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			})
		}
		for _, id := range c.Patients {
			next <- id
		}
		close(next)
		wg.Wait()
		return total, firstErr
	}
}

// dashboardOf reads one patient's dashboard data.
func dashboardOf(ctx context.Context, st *store.Store, c *Clinic, id string) (int, error) {
	last, err := st.DiaryEntries(ctx, id, backcoach.Filter{Limit: 1, NewestFirst: true})
	if err != nil {
		return 0, err
	}
	window := backcoach.Filter{From: dashboardFrom(c), To: c.To}
	diary, err := st.DiaryEntries(ctx, id, window)
	if err != nil {
		return 0, err
	}
	sessions, err := st.Sessions(ctx, id, window)
	if err != nil {
		return 0, err
	}
	return len(last) + len(diary) + len(sessions), nil
}

// dashboardPlain reads the same rows with three plain queries over all
// patients.
func dashboardPlain(ctx context.Context, _ *store.Store, c *Clinic) (int, error) {
	from := dashboardFrom(c)
	n := 0
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT p.id, d.id, d.at, d.pain, d.note, d.flags_asked, d.flags, d.peg_pain, d.peg_enjoyment, d.peg_activity
			FROM unnest($1::text[]) AS p(id) CROSS JOIN LATERAL (SELECT * FROM diary_entries
				WHERE person_id = p.id ORDER BY at DESC, id DESC LIMIT 1) AS d`, []any{c.Patients}},
		{`SELECT person_id, id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity
			FROM diary_entries WHERE person_id = ANY($1) AND at >= $2 AND at < $3 ORDER BY person_id, at`, []any{c.Patients, from, c.To}},
		{`SELECT person_id, id, plan_id, started_at, duration_seconds, level, pain_before, pain_after
			FROM sessions WHERE person_id = ANY($1) AND started_at >= $2 AND started_at < $3 ORDER BY person_id, started_at`, []any{c.Patients, from, c.To}},
	} {
		rows, err := c.DB.QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			return 0, err
		}
		k, err := drain(rows)
		if err != nil {
			return 0, err
		}
		n += k
	}
	// The sessions' exercises, as the store reads them with each session.
	rows, err := c.DB.QueryContext(ctx, `SELECT e.session_id, e.position, e.exercise_id, e.outcome, e.reason, e.seconds
		FROM sessions s JOIN session_exercises e ON e.session_id = s.id
		WHERE s.person_id = ANY($1) AND s.started_at >= $2 AND s.started_at < $3`, c.Patients, from, c.To)
	if err != nil {
		return 0, err
	}
	if _, err := drain(rows); err != nil {
		return 0, err
	}
	return n, nil
}

// patient picks the patient whose year is read.
func patient(c *Clinic) string { return c.Patients[len(c.Patients)/2] }

// patientYearStore reads one patient's year of diary entries and
// sessions through the store: the data of their report.
func patientYearStore(ctx context.Context, st *store.Store, c *Clinic) (int, error) {
	f := backcoach.Filter{From: c.From, To: c.To}
	diary, err := st.DiaryEntries(ctx, patient(c), f)
	if err != nil {
		return 0, err
	}
	sessions, err := st.Sessions(ctx, patient(c), f)
	if err != nil {
		return 0, err
	}
	return len(diary) + len(sessions), nil
}

// patientYearPlain reads the same rows with plain queries.
func patientYearPlain(ctx context.Context, _ *store.Store, c *Clinic) (int, error) {
	n := 0
	for i, q := range []string{
		`SELECT id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity
			FROM diary_entries WHERE person_id = $1 AND at >= $2 AND at < $3 ORDER BY at`,
		`SELECT id, plan_id, started_at, duration_seconds, level, pain_before, pain_after
			FROM sessions WHERE person_id = $1 AND started_at >= $2 AND started_at < $3 ORDER BY started_at`,
		`SELECT e.session_id, e.position, e.exercise_id, e.outcome, e.reason, e.seconds
			FROM sessions s JOIN session_exercises e ON e.session_id = s.id
			WHERE s.person_id = $1 AND s.started_at >= $2 AND s.started_at < $3`,
	} {
		rows, err := c.DB.QueryContext(ctx, q, patient(c), c.From, c.To)
		if err != nil {
			return 0, err
		}
		k, err := drain(rows)
		if err != nil {
			return 0, err
		}
		if i < 2 {
			n += k
		}
	}
	return n, nil
}

// drain reads every row into plain values and counts them.
func drain(rows *sql.Rows) (int, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

var cat = catalog.MustLoad()

// coachAt is a coach over st whose clock is the clinic's "now".
func coachAt(st *store.Store, c *Clinic) *coach.Coach {
	return coach.New(st, cat, func() time.Time { return c.To })
}

// dashboardCoach is the clinician's dashboard as every interface asks for
// it: the coach reads all consenting patients, works out their figures
// and alerts, and audits every read. It counts the patients listed.
func dashboardCoach(ctx context.Context, st *store.Store, c *Clinic) (int, error) {
	list, err := coachAt(st, c).Dashboard(ctx, c.Clinician)
	return len(list), err
}

// dashboardRecordsStore is the store's read of the dashboard's data alone
// (with its audit lines), without the coach's rules.
func dashboardRecordsStore(ctx context.Context, st *store.Store, c *Clinic) (int, error) {
	from := c.To.AddDate(0, 0, -(coach.DashboardDays + 1))
	recs, err := st.DashboardRecords(ctx, c.Clinician, backcoach.Filter{From: from})
	return len(recs), err
}

// dashboardRecordsPlain reads the rows the dashboard reads, with plain
// queries over the clinician's consenting patients and no audit: the
// consents with the patients, profiles, the two assessments that matter,
// the screens that found signs and the clearances, active programmes,
// and the diary entries (time and pain) and sessions (start) of the
// dashboard's window. It counts the patients.
func dashboardRecordsPlain(ctx context.Context, _ *store.Store, c *Clinic) (int, error) {
	from := c.To.AddDate(0, 0, -(coach.DashboardDays + 1))
	const shared = `(SELECT c.patient_id FROM consents c WHERE c.revoked_at IS NULL AND (c.clinician_id = $1 OR c.clinician_id IS NULL)
		AND EXISTS (SELECT 1 FROM clinic_members m WHERE m.clinic_id = c.clinic_id AND m.person_id = $1))`
	patients := 0
	for i, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT c.id, c.patient_id, c.clinic_id, cl.name, c.clinician_id, cp.name, c.shares, c.granted_at, p.id, p.handle, p.name, p.role, p.created_at
			FROM consents c JOIN clinics cl ON cl.id = c.clinic_id LEFT JOIN persons cp ON cp.id = c.clinician_id JOIN persons p ON p.id = c.patient_id
			WHERE c.revoked_at IS NULL AND (c.clinician_id = $1 OR c.clinician_id IS NULL)
			AND EXISTS (SELECT 1 FROM clinic_members m WHERE m.clinic_id = c.clinic_id AND m.person_id = $1) ORDER BY p.name, p.id`, []any{c.Clinician}},
		{`SELECT * FROM profiles WHERE person_id IN ` + shared, []any{c.Clinician}},
		// The newest assessment, and the first since the newest that did
		// not allow exercise (none here: the first of all).
		{`SELECT a.id, a.person_id, a.taken_at, a.answers, a.result FROM assessments a WHERE a.id IN (
			SELECT (SELECT id FROM assessments WHERE person_id = s.pid ORDER BY taken_at DESC, id DESC LIMIT 1) FROM ` + shared + ` AS s(pid)
			UNION SELECT (SELECT id FROM assessments WHERE person_id = s.pid ORDER BY taken_at, id LIMIT 1) FROM ` + shared + ` AS s(pid))`, []any{c.Clinician}},
		// Each patient's window from the (person, time) index: a plain
		// IN (...) makes PostgreSQL scan the whole table.
		{`SELECT t.* FROM ` + shared + ` AS s(pid) CROSS JOIN LATERAL (SELECT person_id, at, pain
			FROM diary_entries WHERE person_id = s.pid AND at >= $2 OFFSET 0) t ORDER BY t.person_id, t.at`, []any{c.Clinician, from}},
		{`SELECT t.* FROM ` + shared + ` AS s(pid) CROSS JOIN LATERAL (SELECT person_id, started_at
			FROM sessions WHERE person_id = s.pid AND started_at >= $2 OFFSET 0) t ORDER BY t.person_id, t.started_at`, []any{c.Clinician, from}},
		// The screens that found signs (none here: every check-in is clean).
		{`SELECT person_id, id, at, kind, via, complete, signs FROM safety_screens WHERE person_id IN ` + shared + `
			AND jsonb_array_length(signs) > 0 ORDER BY person_id, at`, []any{c.Clinician}},
		{`SELECT person_id, id, recorded_at, cleared_by, name, checked_on, signs, note FROM clearances WHERE person_id IN ` + shared + ` ORDER BY person_id, recorded_at`, []any{c.Clinician}},
		{`SELECT patient_id, id, clinician_id, exercises, notes, days, created_at FROM programmes WHERE patient_id IN ` + shared + ` AND active`, []any{c.Clinician}},
	} {
		rows, err := c.DB.QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			return 0, err
		}
		n, err := drain(rows)
		if err != nil {
			return 0, err
		}
		if i == 0 {
			patients = n // one consent a patient
		}
	}
	return patients, nil
}

// reportPDF makes one patient's report of the clinic's year, as the
// patient would download it, and draws it to io.Discard. It counts the
// diary entries and sessions of the report's days.
func reportPDF(ctx context.Context, st *store.Store, c *Clinic) (int, error) {
	first := c.From.Format(backcoach.DateLayout)
	last := c.To.AddDate(0, 0, -1).Format(backcoach.DateLayout)
	r, err := coachAt(st, c).ReportData(ctx, patient(c), first, last)
	if err != nil {
		return 0, err
	}
	if err := report.Write(io.Discard, r, "a4"); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range r.Series.Days {
		n += d.Entries + d.Sessions
	}
	return n, nil
}
