package tui

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/triage"
)

// lockedBuffer is a buffer the session writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// plainRun runs a plain session in a synctest bubble, where time.Now and
// the ticker follow a fake clock that moves only when every goroutine
// waits: typing a line, then sleeping, is exact to the second.
type plainRun struct {
	t    *testing.T
	in   *io.PipeWriter
	out  *lockedBuffer
	done chan error
	g    *guide.Guide
}

func startPlain(t *testing.T, g *guide.Guide) *plainRun {
	pr, pw := io.Pipe()
	r := &plainRun{t: t, in: pw, out: &lockedBuffer{}, done: make(chan error, 1), g: g}
	go func() { r.done <- RunPlainSession(g, pr, r.out, PlainOptions{Bell: true}) }()
	synctest.Wait()
	return r
}

// typeLine types a line and lets the session act on it.
func (r *plainRun) typeLine(s string) {
	r.t.Helper()
	if _, err := io.WriteString(r.in, s+"\n"); err != nil {
		r.t.Fatal(err)
	}
	synctest.Wait()
}

// wait lets d of session time pass.
func (r *plainRun) wait(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

func (r *plainRun) expect(want ...string) {
	r.t.Helper()
	s := r.out.String()
	for _, w := range want {
		if !strings.Contains(s, w) {
			r.t.Errorf("output lacks %q:\n%s", w, s)
		}
	}
}

func (r *plainRun) end() string {
	r.t.Helper()
	r.in.Close()
	if err := <-r.done; err != nil {
		r.t.Fatal(err)
	}
	return r.out.String()
}

func TestPlainSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startPlain(t, newGuide(t, testItems(t), 0))
		r.expect("Guided session: 4 exercises", "This is not a diagnosis.", "from 0 (none) to 10")
		r.typeLine("twelve")
		r.expect("Please type a whole number from 0 to 10.")
		r.typeLine("4")
		r.expect("Exercise 1 of 4: Child's pose.", "Step 1: ", "Dose: 2 × hold 20 s", "Press Enter to start")
		r.typeLine("")
		r.expect("Get into position: 5 seconds (set 1 of 2).")
		r.wait(5 * time.Second)
		r.expect("Hold for 20 seconds (set 1 of 2).")
		r.wait(3 * time.Second)
		r.typeLine("p")
		r.expect("Paused at 0:17.")
		r.wait(10 * time.Minute) // nothing moves while paused
		r.typeLine("p")
		r.expect("Going on: 0:17 left.")
		r.wait(7 * time.Second)
		r.expect("10 seconds left.")
		r.wait(10 * time.Second)
		r.expect("\aDone.", "Next set: get into position")
		r.wait(30 * time.Second)
		r.expect("Rest for 15 seconds. Next: Wall chest stretch.")
		r.typeLine("")
		r.expect("Exercise 2 of 4: Wall chest stretch.")
		r.typeLine("")
		r.wait(30 * time.Second)
		r.expect("Now the other side: 5 seconds (other side).")
		r.typeLine("s")
		r.expect("Why skip Wall chest stretch?")
		r.typeLine("1")
		r.expect("Exercise 3 of 4: Cat-cow.")
		r.typeLine("")
		r.wait(5 * time.Second)
		r.expect("Go: 4 slow repetitions, about 6 s each.", "Repetition 1 of 4. Breathe out as you round up")
		r.wait(6 * time.Second)
		r.expect("Repetition 2 of 4.")
		r.typeLine("!")
		r.expect("Warning-sign questions follow", fmt.Sprintf("Question 1 of %d:", len(triage.CheckInFlags())))
		for r.g.Phase() == guide.PhaseSymptoms {
			r.typeLine("n")
		}
		r.expect(fmt.Sprintf("Question %d of %d:", len(triage.CheckInFlags()), len(triage.CheckInFlags())), "None of the warning signs.")
		r.typeLine("")
		r.expect("Exercise 4 of 4: Shoulder rolls.")
		r.typeLine("")
		r.wait(35 * time.Second)
		r.expect("Keep moving for 30 seconds.", "from 0 to 10")
		r.typeLine("3")
		out := r.end()
		if strings.Count(out, fmt.Sprintf("Question 1 of %d", len(triage.CheckInFlags()))) != 1 {
			t.Errorf("a question was printed more than once:\n%s", out)
		}
		rec, _ := r.g.Record()
		want := []backcoach.Outcome{backcoach.OutcomeDone, backcoach.OutcomeStopped, backcoach.OutcomeStopped, backcoach.OutcomeDone}
		for i, e := range rec.Exercises {
			if e.Outcome != want[i] {
				t.Errorf("exercise %d: %+v, want %s", i, e, want[i])
			}
		}
		if *rec.PainAfter != 3 || !strings.Contains(out, "Well done.\nSession finished: 2 done, 0 skipped, 2 stopped") {
			t.Errorf("pain after %v; output:\n%s", rec.PainAfter, out)
		}
	})
}

func TestPlainSessionQuitAndEOF(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startPlain(t, newGuide(t, testItems(t), 0))
		r.typeLine("2")
		r.typeLine("")
		r.wait(50 * time.Second)
		r.typeLine("q")
		r.expect("Quit now?")
		r.typeLine("n")
		r.typeLine("q")
		r.typeLine("y")
		out := r.end()
		if r.g.Phase() != guide.PhaseQuit || !strings.Contains(out, "--resume") {
			t.Errorf("phase %v, output:\n%s", r.g.Phase(), out)
		}
		rec, _ := r.g.Record()
		if len(rec.Exercises) != 1 || rec.PainAfter != nil {
			t.Errorf("record = %+v", rec)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		r := startPlain(t, newGuide(t, testItems(t), 0))
		r.typeLine("2")
		out := r.end() // the input ends: keep what was done
		if r.g.Phase() != guide.PhaseQuit || !strings.Contains(out, "The input has ended") {
			t.Errorf("phase %v, output:\n%s", r.g.Phase(), out)
		}
	})
}

func TestPlainSessionEmergency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startPlain(t, newGuide(t, testItems(t), 0))
		r.typeLine("2")
		r.typeLine("!")
		r.typeLine("y")
		out := r.end()
		if r.g.Phase() != guide.PhaseStopped || !strings.Contains(out, "CALL AN AMBULANCE NOW") || !strings.Contains(out, "999") {
			t.Errorf("phase %v, output:\n%s", r.g.Phase(), out)
		}
	})
}
