package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/backcoach/backcoach/learn"
	"github.com/backcoach/backcoach/triage"
)

// fits fails when a line of the output is wider than 80 columns.
func fits(t *testing.T, what, out string) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("%s: line %d is %d columns wide: %q", what, i+1, n, line)
		}
	}
}

// learn without a topic lists every topic; with one it shows it, with its
// sources and the disclaimer, in 80 columns; --plain leaves the picture
// out; an unknown topic is bad input that names the topics.
func TestLearn(t *testing.T) {
	r := runCLI(t, "", "learn")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	for _, id := range learn.IDs() {
		if !strings.Contains(r.stdout, id+" ") {
			t.Errorf("the list does not name %s:\n%s", id, r.stdout)
		}
	}
	fits(t, "learn", r.stdout)

	for _, id := range learn.IDs() {
		r := runCLI(t, "", "learn", id)
		if r.status != 0 {
			t.Fatalf("learn %s: status %d: %s", id, r.status, r.stderr)
		}
		tp, _ := learn.Get(id)
		mustHave(t, "learn "+id, r.stdout, tp.Title, "Sources:", triage.Disclaimer())
		fits(t, "learn "+id, r.stdout)
	}

	pic := runCLI(t, "", "learn", "spine")
	plain := runCLI(t, "", "learn", "spine", "--plain")
	if !strings.ContainsRune(pic.stdout, '⣿') || strings.ContainsRune(plain.stdout, '⣿') {
		t.Errorf("the picture must show without --plain and not with it:\n%s\n---\n%s", pic.stdout, plain.stdout)
	}
	mustHave(t, "learn spine --plain", plain.stdout, "twelve", "T1 to T12")

	bad := runCLI(t, "", "learn", "knees")
	if bad.status != exitBadInput || !strings.Contains(bad.stderr, "spine, stages") {
		t.Errorf("learn knees: status %d, %q", bad.status, bad.stderr)
	}
}

// The causes topic shows the person's own causes from their latest
// assessment, with the advice for each, and nothing of theirs before one.
func TestLearnYourCauses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "mine.db")
	before := runCLI(t, "", "--db", db, "learn", "causes", "--plain")
	tp, _ := learn.Get("causes")
	mustHave(t, "before an assessment", before.stdout, tp.Yours.Unknown)

	if r := runCLI(t, example, "--db", db, "assess", "--answers", "-"); r.status != 0 {
		t.Fatalf("assess: status %d: %s", r.status, r.stderr)
	}
	r := runCLI(t, "", "--db", db, "learn", "causes", "--plain")
	if r.status != 0 {
		t.Fatalf("status %d: %s", r.status, r.stderr)
	}
	yours, _, ok := strings.Cut(r.stdout, "Common causes")
	if !ok {
		t.Fatalf("no list of common causes:\n%s", r.stdout)
	}
	q := triage.Ask("causes")
	// example names desk_work and stress, and no heavy bag.
	mustHave(t, "your causes", yours, tp.Yours.Heading,
		q.Label("desk_work")+": "+triage.Texts().Causes["desk_work"], q.Label("stress")+": "+triage.Texts().Causes["stress"])
	if strings.Contains(yours, q.Label("heavy_bag")) {
		t.Errorf("your causes name one you did not give:\n%s", yours)
	}
}

// mustHave fails unless the output holds each of want, whatever the
// wrapping of its lines.
func mustHave(t *testing.T, what, out string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("%s: no %q in:\n%s", what, w, out)
		}
	}
}
