package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// allocated returns the bytes allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestAnswersReadThroughALimit: an answers file larger than the 64 KiB a
// document may be is refused after reading 64 KiB of it, whatever its
// size: a 400 MiB (sparse) file, and /dev/zero, which never ends.
func TestAnswersReadThroughALimit(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(400 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, name := range []string{big, "/dev/zero"} {
		for _, cmd := range []string{"assess", "plan"} {
			var r result
			alloc := allocated(func() { r = runCLI(t, "", cmd, "--answers", name, "--json", "--no-save") })
			if r.status == 0 || !strings.Contains(r.stderr, "larger than 64 KiB") {
				t.Errorf("%s --answers %s: status %d, %q", cmd, name, r.status, r.stderr)
			}
			if alloc > 32<<20 { // the command itself allocates a few MiB; reading the file whole, hundreds
				t.Errorf("%s --answers %s allocated %d MiB", cmd, name, alloc>>20)
			}
		}
	}
	// A document of exactly 64 KiB is read whole (and refused for what it
	// says, not for its size).
	exact := filepath.Join(t.TempDir(), "exact.json")
	if err := os.WriteFile(exact, append([]byte(example), bytes.Repeat([]byte(" "), 64<<10-len(example))...), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "plan", "--answers", exact, "--json", "--no-save"); r.status != 0 {
		t.Errorf("a 64 KiB document: status %d, %s", r.status, r.stderr)
	}
}

// spaces is an endless JSON document: a value that never ends.
type spaces struct{ read int64 }

func (s *spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	s.read += int64(len(p))
	return len(p), nil
}

// TestImportReadsThroughALimit: import stops reading an export document
// at MaxImportBytes.
func TestImportReadsThroughALimit(t *testing.T) {
	t.Parallel()
	endless := &spaces{}
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), stdin: io.MultiReader(strings.NewReader(`{"person": `), endless), stdout: &out, stderr: &errb,
		now: func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) }}
	status := run(a, []string{"--db", filepath.Join(t.TempDir(), "test.db"), "import", "-"})
	if status == 0 || !strings.Contains(errb.String(), "larger than 64 MiB") {
		t.Fatalf("import of an endless document: status %d, %q", status, errb.String())
	}
	if endless.read > MaxImportBytes+1<<20 {
		t.Fatalf("import read %d MiB of it", endless.read>>20)
	}
}
