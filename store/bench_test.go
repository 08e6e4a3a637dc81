package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/testenv"
)

// BenchmarkDurableWrite measures single diary entries saved through the
// store (validation, id, entry and audit line in one transaction, fsync at
// commit) against plain database/sql inserts of the same row into the same
// SQLite file with the same settings, one after the other in the same loop
// so that both see the same disk. It reports both rates and their ratio
// (store/plain; the target is at least 0.8).
func BenchmarkDurableWrite(b *testing.B) {
	ctx := context.Background()
	s, p, plain := writeBenchFiles(b)
	insert := plainDiaryInsert
	var storeTime, plainTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		e := backcoach.DiaryEntry{Pain: i % 11, Note: "a little stiff this morning", FlagsAsked: true}
		if err := s.AddDiaryEntry(ctx, p.ID, &e); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := plain.ExecContext(ctx, insert, newID(), p.ID, s.t(t1), i%11, "a little stiff this morning", true, "[]"); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		storeTime += t1.Sub(t0)
		plainTime += t2.Sub(t1)
	}
	b.StopTimer()
	storeRate := float64(b.N) / storeTime.Seconds()
	plainRate := float64(b.N) / plainTime.Seconds()
	b.ReportMetric(storeRate, "store-writes/s")
	b.ReportMetric(plainRate, "plain-writes/s")
	b.ReportMetric(storeRate/plainRate, "ratio")
}

// BenchmarkDurableWriteConcurrent is BenchmarkDurableWrite with 64
// writers at once, as a busy server has them: the store commits the
// writes that wait together (group commit), the plain inserts each on
// their own. It reports both rates and their ratio (store/plain).
func BenchmarkDurableWriteConcurrent(b *testing.B) {
	ctx := context.Background()
	s, p, plain := writeBenchFiles(b)
	insert := plainDiaryInsert
	const writers = 64
	measure := func(write func(i int) error) time.Duration {
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		start := time.Now()
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < b.N; i += writers {
					if err := write(i); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	b.ResetTimer()
	storeTime := measure(func(i int) error {
		return s.AddDiaryEntry(ctx, p.ID, &backcoach.DiaryEntry{Pain: i % 11, Note: "a little stiff this morning", FlagsAsked: true})
	})
	plainTime := measure(func(i int) error {
		_, err := plain.ExecContext(ctx, insert, newID(), p.ID, s.t(time.Now()), i%11, "a little stiff this morning", true, "[]")
		return err
	})
	b.StopTimer()
	storeRate := float64(b.N) / storeTime.Seconds()
	plainRate := float64(b.N) / plainTime.Seconds()
	b.ReportMetric(storeRate, "store-writes/s")
	b.ReportMetric(plainRate, "plain-writes/s")
	b.ReportMetric(storeRate/plainRate, "ratio")
}

// BenchmarkYearRead reads a person's whole year: 365 diary entries and 365
// guided sessions of 8 exercises each (the target is under 5 ms on SQLite).
func BenchmarkYearRead(b *testing.B) {
	for _, db := range databases {
		b.Run(db.name, func(b *testing.B) {
			ctx := context.Background()
			var dsn string
			if db.name == "sqlite" {
				dsn = filepath.Join(b.TempDir(), "year.db")
			} else {
				dsn = benchPostgres(b)
			}
			s, err := Open(ctx, dsn, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			id, from, to := fillYear(b, s)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				diary, err := s.DiaryEntries(ctx, id, backcoach.Filter{From: from, To: to})
				if err != nil {
					b.Fatal(err)
				}
				sessions, err := s.Sessions(ctx, id, backcoach.Filter{From: from, To: to})
				if err != nil {
					b.Fatal(err)
				}
				if len(diary) != 365 || len(sessions) != 365 || len(sessions[364].Exercises) != 8 {
					b.Fatalf("read %d entries and %d sessions", len(diary), len(sessions))
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/year")
		})
	}
}

// benchPostgres gives a benchmark a PostgreSQL database through testenv.
func benchPostgres(b *testing.B) string {
	return testenv.PostgresDB(b)
}

// fillYear stores a year of daily check-ins and sessions for one person,
// among other people's data, in one transaction.
func fillYear(b *testing.B, s *Store) (id string, from, to time.Time) {
	b.Helper()
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []string
	for n := 0; n < 3; n++ {
		p := backcoach.Person{Role: backcoach.RolePerson, Handle: fmt.Sprintf("year%d", n)}
		if err := s.CreatePerson(ctx, &p); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, pid := range ids {
			for d := 0; d < 365; d++ {
				day := start.AddDate(0, 0, d)
				e := backcoach.DiaryEntry{ID: newID(), PersonID: pid, At: day.Add(20 * time.Hour), Pain: d % 11,
					Note: "slept well, some stiffness after work", FlagsAsked: true, Flags: []string{}}
				if d%7 == 0 {
					e.PEG = &backcoach.PEG{Pain: 3, Enjoyment: 4, Activity: 2}
				}
				if err := s.insertDiary(ctx, tx, &e); err != nil {
					return err
				}
				ss := backcoach.Session{ID: newID(), PersonID: pid, StartedAt: day.Add(8 * time.Hour), DurationSeconds: 600,
					PainBefore: 4, PainAfter: intp(3)}
				for k := 0; k < 8; k++ {
					ss.Exercises = append(ss.Exercises, backcoach.ExerciseOutcome{ExerciseID: fmt.Sprintf("exercise-%d", k),
						Outcome: backcoach.OutcomeDone, Seconds: 60})
				}
				if err := s.insertSession(ctx, tx, &ss); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids[1], start, start.AddDate(1, 0, 0)
}

// plainDiaryInsert is the plain insert the write benchmarks compare with.
const plainDiaryInsert = `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags) VALUES ($1, $2, $3, $4, $5, $6, $7)`

// writeBenchFiles opens a new SQLite file twice, through the store (with a
// person to write for) and as a plain database/sql handle with the same
// settings; both close when the benchmark ends.
func writeBenchFiles(b *testing.B) (*Store, backcoach.Person, *sql.DB) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	p := backcoach.Person{Handle: "bench", Role: backcoach.RolePerson}
	if err := s.CreatePerson(context.Background(), &p); err != nil {
		b.Fatal(err)
	}
	plain, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(15000)&"+sqliteWriterParams)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { plain.Close() })
	plain.SetMaxOpenConns(1)
	return s, p, plain
}
