package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/backcoach/backcoach"
)

// crashChildEnv, when set to a database address, makes the test binary a
// writer that the crash test kills: see crashChild.
const crashChildEnv = "BACKCOACH_TEST_CRASH_CHILD"

func init() {
	if dsn := os.Getenv(crashChildEnv); dsn != "" {
		os.Exit(crashChild(dsn))
	}
}

// crashChild writes diary entries and sessions from four goroutines as fast
// as it can, and after each write the store acknowledged prints "d ID" or
// "s ID" on stdout, unbuffered. It stops when stdout breaks (the parent is
// gone) or after a bound, and is normally killed long before.
func crashChild(dsn string) int {
	ctx := context.Background()
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: open:", err)
		return 3
	}
	p, err := s.PersonByHandle(ctx, "crash")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	var mu sync.Mutex
	ack := func(line string) bool {
		mu.Lock()
		defer mu.Unlock()
		_, err := io.WriteString(os.Stdout, line+"\n")
		return err == nil
	}
	if !ack("ready") {
		return 0
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100000; i++ {
				var line string
				if (w+i)%2 == 0 {
					e := backcoach.DiaryEntry{Pain: i % 11, Note: fmt.Sprintf("writer %d entry %d %s", w, i, strings.Repeat("·", i%300))}
					if err := s.AddDiaryEntry(ctx, p.ID, &e); err != nil {
						fmt.Fprintln(os.Stderr, "child:", err)
						os.Exit(4)
					}
					line = "d " + e.ID
				} else {
					ss := backcoach.Session{PainBefore: 3, PainAfter: intp(2), DurationSeconds: i % 900, Exercises: []backcoach.ExerciseOutcome{
						{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeDone, Seconds: 60},
						{ExerciseID: "wall-angel", Outcome: backcoach.OutcomeStopped, Reason: "pain", Seconds: 5},
						{ExerciseID: "chin-tuck", Outcome: backcoach.OutcomeSkipped}}}
					if err := s.SaveSession(ctx, p.ID, &ss); err != nil {
						fmt.Fprintln(os.Stderr, "child:", err)
						os.Exit(4)
					}
					line = "s " + ss.ID
				}
				if !ack(line) {
					return
				}
			}
		}(w)
	}
	wg.Wait()
	return 0
}

// TestCrashKeepsAcknowledgedWrites kills a writing process with SIGKILL in
// the middle of a stream of writes, again and again, and after each kill
// opens the database and checks that every write the store acknowledged is
// there, whole, and that SQLite's integrity check is clean.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		db     database
		rounds int
	}{{databases[0], 40}, {databases[1], 5}} {
		t.Run(c.db.name, func(t *testing.T) {
			t.Parallel()
			dsn := c.db.dsn(t)
			s := openTest(t, dsn)
			id := newPerson(t, s, "crash")
			s.Close()
			rng := rand.New(rand.NewPCG(1, 2))
			acked := map[string]string{}
			for round := 0; round < c.rounds; round++ {
				// Kill at once (during start-up and recovery) now and then,
				// otherwise after a varying number of acknowledgements.
				killAfter := -1
				if round%5 != 0 {
					killAfter = rng.IntN(400)
				}
				got := crashRound(t, dsn, killAfter)
				for k, v := range got {
					acked[k] = v
				}
				verifyAfterCrash(t, dsn, id, acked, round)
			}
			t.Logf("%d rounds, %d acknowledged writes, all present", c.rounds, len(acked))
		})
	}
}

// crashRound starts a writer, kills it with SIGKILL after killAfter
// acknowledgements (or at once when negative) and returns every write it
// acknowledged before it died, id to kind.
func crashRound(t *testing.T, dsn string, killAfter int) map[string]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dsn)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]string{}
	lines := bufio.NewScanner(out)
	killed := false
	kill := func() {
		if !killed {
			cmd.Process.Kill() // SIGKILL
			killed = true
		}
	}
	if killAfter < 0 {
		kill()
	}
	n := 0
	for lines.Scan() {
		kind, id, ok := strings.Cut(lines.Text(), " ")
		if ok {
			acked[id] = kind
			n++
		}
		if n >= killAfter {
			kill()
		}
	}
	kill()
	werr := cmd.Wait()
	if !strings.Contains(fmt.Sprint(werr), "killed") && werr != nil {
		t.Fatalf("writer failed by itself: %v\n%s", werr, stderr.String())
	}
	if stderr.Len() > 0 && !killed {
		t.Fatalf("writer: %s", stderr.String())
	}
	return acked
}

// verifyAfterCrash opens the database as the next start would and checks
// it against every acknowledged write so far.
func verifyAfterCrash(t *testing.T, dsn, person string, acked map[string]string, round int) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatalf("round %d: open after the kill: %v", round, err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	diary, err := s.DiaryEntries(ctx, person, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := s.Sessions(ctx, person, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	for _, e := range diary {
		present[e.ID] = true
	}
	for _, ss := range sessions {
		present[ss.ID] = true
		if len(ss.Exercises) != 3 {
			t.Fatalf("round %d: session %s has %d of its 3 exercises", round, ss.ID, len(ss.Exercises))
		}
	}
	for id, kind := range acked {
		if !present[id] {
			t.Fatalf("round %d: acknowledged write %s %s is missing", round, kind, id)
		}
	}
	// At most one write per writer goroutine can be committed without its
	// acknowledgement having been read.
	if extra := len(present) - len(acked); extra < 0 || extra > 4*(round+1) {
		t.Fatalf("round %d: %d records present, %d acknowledged", round, len(present), len(acked))
	}
	trail, err := s.AuditTrail(ctx, person, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != len(present)+1 {
		t.Fatalf("round %d: %d audit lines for %d records and the account", round, len(trail), len(present))
	}
}
