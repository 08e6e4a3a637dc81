package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/testenv"
)

// TestMigrationsRunOnce opens several stores at once on a fresh PostgreSQL
// database, as servers starting together do: every one must open, and
// each migration must have been applied exactly once.
func TestMigrationsRunOnce(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresDB(t)
	const servers = 4
	var wg sync.WaitGroup
	errs := make([]error, servers)
	stores := make([]*Store, servers)
	for i := range servers {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn, Options{Now: testClock.Now}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("store %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	rows, err := stores[0].db.Query(`SELECT version_id, count(*) FROM ` + versionTable + ` GROUP BY version_id ORDER BY version_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var applied []int64
	for rows.Next() {
		var v, n int64
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("version %d was recorded %d times, want once", v, n)
		}
		applied = append(applied, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || applied[len(applied)-1] != LatestVersion() {
		t.Errorf("applied versions %v, want up to %d", applied, LatestVersion())
	}
	// The lock is released: one more store opens at once.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatalf("opening after the others: %v", err)
	}
	s.Close()
}

// TestLimitsShared counts attempts through two stores on one database, as
// two servers would: the burst is shared, a refused attempt takes nothing,
// and attempts racing from many goroutines take exactly the burst.
func TestLimitsShared(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			dsn := db.dsn(t)
			a, b := openTest(t, dsn), openTest(t, dsn)
			ctx := context.Background()
			now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
			pair := Limit{Key: "pair:ann:192.0.2.1", Burst: 5, Every: 30 * time.Second}
			addr := Limit{Key: "addr:192.0.2.1", Burst: 10, Every: 6 * time.Second}
			for i := range 5 {
				s := []*Store{a, b}[i%2]
				if ok, wait, err := s.TakeLimits(ctx, now, pair, addr); err != nil || !ok || wait != 0 {
					t.Fatalf("attempt %d: %v, %v, %v; want allowed", i+1, ok, wait, err)
				}
			}
			ok, wait, err := b.TakeLimits(ctx, now, pair, addr)
			if err != nil || ok || wait != 30*time.Second {
				t.Fatalf("sixth attempt: %v, %v, %v; want refused for 30s", ok, wait, err)
			}
			// The refused attempt took nothing from the address's limit.
			until, err := a.LimitUntil(ctx, addr.Key)
			if err != nil || !until.Equal(now.Add(5*addr.Every)) {
				t.Errorf("address limit full again at %v (%v), want %v", until, err, now.Add(5*addr.Every))
			}
			// Half a minute later, one more.
			if ok, _, err := a.TakeLimits(ctx, now.Add(30*time.Second), pair); err != nil || !ok {
				t.Errorf("after 30s: %v, %v; want allowed", ok, err)
			}
			// A key forgotten is full again; a mark is read back.
			if err := b.SetLimit(ctx, pair.Key, time.Time{}); err != nil {
				t.Fatal(err)
			}
			if until, err := a.LimitUntil(ctx, pair.Key); err != nil || !until.IsZero() {
				t.Errorf("forgotten key: %v, %v", until, err)
			}
			mark := now.Add(time.Hour)
			if err := a.SetLimit(ctx, "known:ann:192.0.2.1", mark); err != nil {
				t.Fatal(err)
			}
			if until, err := b.LimitUntil(ctx, "known:ann:192.0.2.1"); err != nil || !until.Equal(mark) {
				t.Errorf("mark: %v, %v; want %v", until, err, mark)
			}

			race := Limit{Key: "race", Burst: 7, Every: time.Minute}
			var wg sync.WaitGroup
			var mu sync.Mutex
			allowed := 0
			for i := range 40 {
				wg.Go(func() {
					ok, _, err := []*Store{a, b}[i%2].TakeLimits(ctx, now, race)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					defer mu.Unlock()
					if ok {
						allowed++
					}
				})
			}
			wg.Wait()
			if allowed != race.Burst {
				t.Errorf("%d of 40 racing attempts were allowed, want %d", allowed, race.Burst)
			}
			if _, _, err := a.TakeLimits(ctx, now, Limit{Key: "", Burst: 1, Every: time.Second}); code(err) != backcoach.EINVALID {
				t.Errorf("empty key: %v, want EINVALID", err)
			}
		})
	}
}

// TestBreakPauseShared keeps a pause through one store and reads it
// through another; an older pause saved late does not replace a newer
// one, and the pause goes with the account.
func TestBreakPauseShared(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			dsn := db.dsn(t)
			a, b := openTest(t, dsn), openTest(t, dsn)
			ctx := context.Background()
			id := newPerson(t, a, "ann")
			if p, err := b.BreakPause(ctx, id); err != nil || p.Until != nil || !p.SetAt.IsZero() {
				t.Fatalf("no pause yet: %+v, %v", p, err)
			}
			at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
			until := at.Add(time.Hour)
			if err := a.SaveBreakPause(ctx, id, backcoach.BreakPause{Until: &until, SetAt: at}); err != nil {
				t.Fatal(err)
			}
			p, err := b.BreakPause(ctx, id)
			if err != nil || p.Until == nil || !p.Until.Equal(until) || !p.SetAt.Equal(at) || p.Day != "" {
				t.Fatalf("pause read back: %+v, %v", p, err)
			}
			// Resumed later through b; a's older pause arriving late is dropped.
			if err := b.SaveBreakPause(ctx, id, backcoach.BreakPause{SetAt: at.Add(time.Minute)}); err != nil {
				t.Fatal(err)
			}
			if err := a.SaveBreakPause(ctx, id, backcoach.BreakPause{Until: &until, SetAt: at.Add(30 * time.Second)}); err != nil {
				t.Fatal(err)
			}
			if p, err := a.BreakPause(ctx, id); err != nil || p.Until != nil || !p.SetAt.Equal(at.Add(time.Minute)) {
				t.Fatalf("after resuming: %+v, %v; want resumed", p, err)
			}
			tomorrow := at.Add(16 * time.Hour)
			if err := a.SaveBreakPause(ctx, id, backcoach.BreakPause{Until: &tomorrow, Day: "2026-05-01", SetAt: at.Add(2 * time.Minute)}); err != nil {
				t.Fatal(err)
			}
			if p, err := b.BreakPause(ctx, id); err != nil || p.Day != "2026-05-01" {
				t.Fatalf("pause until tomorrow: %+v, %v", p, err)
			}
			for _, bad := range []backcoach.BreakPause{{}, {Day: "2026-05-01", SetAt: at}, {Until: &until, Day: "May", SetAt: at}} {
				if err := a.SaveBreakPause(ctx, id, bad); code(err) != backcoach.EINVALID {
					t.Errorf("SaveBreakPause(%+v) = %v, want EINVALID", bad, err)
				}
			}
			if err := a.SaveBreakPause(ctx, newID(), backcoach.BreakPause{SetAt: at}); code(err) != backcoach.ENOTFOUND {
				t.Errorf("pause of nobody: %v, want ENOTFOUND", err)
			}
			if _, err := a.DeleteAccount(ctx, id); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := a.db.QueryRow(`SELECT count(*) FROM break_pauses`).Scan(&n); err != nil || n != 0 {
				t.Errorf("%d pauses left after the account went (%v)", n, err)
			}
		})
	}
}

// TestBreakDayMerges saves a day's figures from two stores, the second a
// copy older in part: each figure keeps its larger value.
func TestBreakDayMerges(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			dsn := db.dsn(t)
			a, b := openTest(t, dsn), openTest(t, dsn)
			ctx := context.Background()
			id := newPerson(t, a, "ann")
			if err := a.SaveBreakDay(ctx, id, &backcoach.BreakDay{Date: "2026-05-01", Due: 6, Taken: 4, Natural: 1, Snoozed: 2, Skipped: 0, ActiveSeconds: 9000}); err != nil {
				t.Fatal(err)
			}
			if err := b.SaveBreakDay(ctx, id, &backcoach.BreakDay{Date: "2026-05-01", Due: 5, Taken: 3, Natural: 2, Snoozed: 1, Skipped: 1, ActiveSeconds: 8000}); err != nil {
				t.Fatal(err)
			}
			days, err := a.BreakDays(ctx, id, "2026-05-01", "2026-05-01")
			want := []backcoach.BreakDay{{PersonID: id, Date: "2026-05-01", Due: 6, Taken: 4, Natural: 2, Snoozed: 2, Skipped: 1, ActiveSeconds: 9000}}
			check(t, "merged day", err, days, want)
		})
	}
}
