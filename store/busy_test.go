package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// busyChildEnv, when set to a SQLite file, makes the test binary one of
// the short-lived writers of TestManyProcessesOneFile: see busyChild.
const busyChildEnv = "BACKCOACH_TEST_BUSY_CHILD"

func init() {
	if path := os.Getenv(busyChildEnv); path != "" {
		os.Exit(busyChild(path))
	}
}

// busyChild does what a command-line write does, a few times over: open
// the file (checks, migrations), find the person, add a diary entry,
// close. Each failure is one line on stderr.
func busyChild(path string) int {
	ctx := context.Background()
	failed := 0
	for i := 0; i < 5; i++ {
		err := func() error {
			s, err := Open(ctx, path, Options{})
			if err != nil {
				return err
			}
			defer s.Close()
			p, err := s.PersonByHandle(ctx, "busy")
			if err != nil {
				return err
			}
			e := backcoach.DiaryEntry{Pain: i % 11, Note: "from another process"}
			return s.AddDiaryEntry(ctx, p.ID, &e)
		}()
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "%s\n", backcoach.ErrorMessage(err))
		}
	}
	return failed
}

// TestManyProcessesOneFile runs many processes that each open the same
// SQLite file, write and close, as command-line runs do, beside a store
// whose goroutines write all the while (a server): no write may fail,
// since busy_timeout and the store's retries wait for the lock.
func TestManyProcessesOneFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "busy.db")
	s := openTest(t, path)
	id := newPerson(t, s, "busy")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var wg sync.WaitGroup
	var mu sync.Mutex
	var serverErrs []string
	serverWrites := 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				e := backcoach.DiaryEntry{Pain: 2, Note: "from the server"}
				err := s.AddDiaryEntry(ctx, id, &e)
				mu.Lock()
				if err != nil && ctx.Err() == nil {
					serverErrs = append(serverErrs, backcoach.ErrorMessage(err))
				} else if err == nil {
					serverWrites++
				}
				mu.Unlock()
			}
		}()
	}

	const children = 24
	var cwg sync.WaitGroup
	var childErrs []string
	for c := 0; c < children; c++ {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), busyChildEnv+"="+path)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			if err != nil {
				mu.Lock()
				childErrs = append(childErrs, fmt.Sprintf("%v: %s", err, stderr.String()))
				mu.Unlock()
			}
		}()
	}
	cwg.Wait()
	cancel()
	wg.Wait()

	failedWrites := 0
	for _, e := range childErrs {
		if n, err := strconv.Atoi(strings.TrimPrefix(strings.SplitN(e, ":", 2)[0], "exit status ")); err == nil {
			failedWrites += n
		}
	}
	if len(childErrs) > 0 || len(serverErrs) > 0 {
		t.Fatalf("%d of %d processes failed (%d writes), %d server writes failed; first: %v %v",
			len(childErrs), children, failedWrites, len(serverErrs), first(childErrs), first(serverErrs))
	}
	entries, err := s.DiaryEntries(context.Background(), id, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := children*5 + serverWrites; len(entries) != want {
		t.Fatalf("%d diary entries, want %d", len(entries), want)
	}
	t.Logf("%d processes × 5 writes and %d server writes, none failed", children, serverWrites)
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// TestBusyBeyondTheBound holds the write lock from another connection for
// longer than the store waits: the write must fail saying plainly that the
// database is busy, and succeed once the lock is gone.
func TestBusyBeyondTheBound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "locked.db")
	s, err := Open(ctx, path, Options{Now: testClock.Now, BusyWait: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := newPerson(t, s, "locked")

	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e := backcoach.DiaryEntry{Pain: 3}
	err = s.AddDiaryEntry(ctx, id, &e)
	waited := time.Since(start)
	msg := backcoach.ErrorMessage(err)
	if err == nil || !strings.Contains(msg, "is busy") || !strings.Contains(msg, path) {
		t.Fatalf("write while another program holds the lock: %v (shown as %q), want a plain 'busy' error naming the file", err, msg)
	}
	if waited < 300*time.Millisecond {
		t.Fatalf("gave up after %s, before the bound of 300ms", waited)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDiaryEntry(ctx, id, &e); err != nil {
		t.Fatalf("write after the lock is gone: %v", err)
	}
}
