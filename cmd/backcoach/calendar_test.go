package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/backcoach/backcoach/ical"
)

// TestCalendarCommands makes, shows, writes and revokes the local
// account's calendar feed from the command line.
func TestCalendarCommands(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "cal.db")
	if r := runCLI(t, "", "--db", db, "calendar"); r.status != exitOK || !strings.Contains(r.stdout, "no calendar feed") {
		t.Fatalf("calendar with no feed: %+v", r)
	}
	for _, args := range [][]string{
		{"calendar", "make", "--session-time", "7:30"},
		{"calendar", "make", "--check-in-time", "24:00"},
		{"calendar", "make", "--url", "ftp://example"},
	} {
		if r := runCLI(t, "", append([]string{"--db", db}, args...)...); r.status != exitBadInput || r.stdout != "" {
			t.Errorf("%v: %+v, want bad input and no address", args, r)
		}
	}
	r := runCLI(t, "", "--db", db, "calendar", "make", "--session-time", "07:30", "--url", "https://coach.example/")
	address := regexp.MustCompile(`^https://coach\.example/calendar/bcf_[A-Za-z0-9_-]{43}\.ics\n$`)
	if r.status != exitOK || !address.MatchString(r.stdout) || !strings.Contains(r.stderr, "shown only once") {
		t.Fatalf("calendar make: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "calendar", "show"); r.status != exitOK || !strings.Contains(r.stdout, "made on 28 Nov 2026, not read") ||
		!strings.Contains(r.stdout, "Sessions at 07:30, check-ins at 20:00") {
		t.Errorf("calendar show: %+v", r)
	}
	// Before the first assessment: a check-in a day for 28 days, and a
	// note to answer the questions.
	out := filepath.Join(t.TempDir(), "back.ics")
	if r := runCLI(t, "", "--db", db, "calendar", "write", "--out", out); r.status != exitOK || !strings.Contains(r.stderr, "Wrote 29 events, from 2026-11-21 to 2026-12-25") {
		t.Errorf("calendar write: %+v", r)
	}
	r = runCLI(t, "", "--db", db, "calendar", "write")
	root, err := ical.Parse([]byte(r.stdout))
	if r.status != exitOK || err != nil || len(root.Children("VEVENT")) != 29 {
		t.Fatalf("calendar write to the standard output: %+v, %v", r.status, err)
	}
	if r := runCLI(t, "", "--db", db, "calendar", "revoke"); r.status != exitOK || !strings.Contains(r.stdout, "revoked") {
		t.Errorf("calendar revoke: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "calendar", "revoke"); r.status == exitOK || !strings.Contains(r.stderr, "no calendar feed") {
		t.Errorf("calendar revoke twice: %+v", r)
	}
}
