package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestManyCommandsOneDatabase runs many command-line writers against one
// SQLite file at once, as scripts and a cron job beside a person at the
// terminal would: none of them may fail because another holds the file
// (docs/storage.md: writers never see "database is locked").
func TestManyCommandsOneDatabase(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "busy.db")
	answers := filepath.Join(dir, "answers.json")
	if err := os.WriteFile(answers, []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	plan := func() error {
		out, err := exec.Command(bin, "--db", db, "plan", "--answers", answers, "--json").CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	if err := plan(); err != nil {
		t.Fatal(err)
	}
	const processes, runs = 40, 3
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for p := 0; p < processes; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < runs; r++ {
				if err := plan(); err != nil {
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d runs failed; the first: %s", len(errs), processes*runs, strings.TrimSpace(errs[0]))
	}
	out, err := exec.Command(bin, "--db", db, "history", "--json", "--limit", "0").Output()
	if err != nil {
		t.Fatal(err)
	}
	if n, want := strings.Count(string(out), `"taken_at"`), 1+processes*runs; n != want {
		t.Fatalf("history lists %d assessments, want %d", n, want)
	}
}
