package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"
)

// answers is one person's answers document, as a script would pipe it in.
const answers = `{"age": 42, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "flags": [],
 "causes": ["desk_work"], "context": {"minutes": 10, "places": ["desk", "standing", "floor"], "equipment": ["wall", "chair"]}}`

const hello = `package main

import "fmt"

func main() { fmt.Println("hello") }
`

// build compiles a package into dir and returns the binary's path.
func build(b *testing.B, dir, name, pkg string, workdir string) string {
	b.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = workdir
	// Built as released: pure Go, statically linked.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// timeRun runs a binary once and returns how long it took from start to exit.
func timeRun(b *testing.B, bin string, stdin string, args ...string) time.Duration {
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewBufferString(stdin)
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v", bin, err)
	}
	d := time.Since(start)
	if out.Len() == 0 {
		b.Fatalf("%s printed nothing", bin)
	}
	return d
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// BenchmarkColdStart measures a whole `backcoach plan --answers - --json`
// invocation against a hello-world Go binary built the same way, run
// alternately so both see the same machine load. Target: ratio ≤ 3.
// It reports the plan with --no-save (no database: the foundation's pure
// path) and the plan that reads and keeps the history in a SQLite file.
func BenchmarkColdStart(b *testing.B) {
	if runtime.GOOS == "windows" {
		b.Skip("measured on Unix only")
	}
	dir := b.TempDir()
	helloDir := filepath.Join(dir, "hello")
	if err := os.MkdirAll(helloDir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(helloDir, "main.go"), []byte(hello), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(helloDir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	helloBin := build(b, dir, "hello-world", ".", helloDir)
	coach := build(b, dir, "backcoach", "../cmd/backcoach", ".")
	db := filepath.Join(dir, "bench.db")
	// Warm the page cache for both binaries.
	timeRun(b, helloBin, "")
	timeRun(b, coach, answers, "--db", db, "plan", "--answers", "-", "--json", "--no-save")
	var hs, cs, ss []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		hs = append(hs, timeRun(b, helloBin, ""))
		cs = append(cs, timeRun(b, coach, answers, "--db", db, "plan", "--answers", "-", "--json", "--no-save"))
		ss = append(ss, timeRun(b, coach, answers, "--db", db, "plan", "--answers", "-", "--json"))
	}
	b.StopTimer()
	h, c, s := median(hs), median(cs), median(ss)
	b.ReportMetric(float64(h.Microseconds())/1000, "hello-ms")
	b.ReportMetric(float64(c.Microseconds())/1000, "plan-ms")
	b.ReportMetric(float64(c)/float64(h), "ratio")
	b.ReportMetric(float64(s.Microseconds())/1000, "plan-saved-ms")
	b.ReportMetric(float64(s)/float64(h), "saved-ratio")
}
