package store

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests name time zones; CI machines may lack tzdata

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// clock is a test clock that moves one second at every reading, so that
// records made one after another have distinct, ordered times.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)} }

// testClock is the clock of every store the tests open, so that stores
// opened side by side agree on the order of events.
var testClock = newClock()

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// database is one of the two databases the suite runs against.
type database struct {
	name string
	dsn  func(t *testing.T) string
}

var databases = []database{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "backcoach.db") }},
	{"postgres", func(t *testing.T) string { return testenv.PostgresDB(t) }},
}

// forEachDB runs the test against a fresh SQLite file and a fresh
// PostgreSQL database, side by side.
func forEachDB(t *testing.T, test func(t *testing.T, s *Store)) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			s := openTest(t, db.dsn(t))
			test(t, s)
		})
	}
}

func openTest(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, Options{Now: testClock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newPerson stores an account and returns its id.
func newPerson(t testing.TB, s *Store, handle string) string {
	t.Helper()
	p := backcoach.Person{Handle: handle, Name: "Test " + handle, Role: backcoach.RolePerson}
	if err := s.CreatePerson(context.Background(), &p); err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	return p.ID
}

func code(err error) string { return backcoach.ErrorCode(err) }
