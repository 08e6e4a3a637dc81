package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/report"
	"github.com/backcoach/backcoach/store"
)

// gathered is a report over a real SQLite file: three weeks of check-ins
// with falling pain, sessions, a note and a PEG.
func gathered(t *testing.T) *coach.Report {
	r, _, _ := seeded(t)
	return r
}

// seeded is gathered with its store and person.
func seeded(t *testing.T) (*coach.Report, *store.Store, string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "report.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := &backcoach.Person{Handle: "zoe", Name: "Zoë Hartmann", Role: backcoach.RolePerson}
	if err := st.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := coach.New(st, catalog.MustLoad(), clock)
	a := &backcoach.Answers{Age: 44, PainNow: 6, Weeks: 3, Trend: backcoach.TrendSame, ClinicianAssessed: true,
		Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{backcoach.Cause("desk_work")}}
	if _, err := c.Assess(ctx, p.ID, a, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	for day := range 21 {
		e := &backcoach.DiaryEntry{Pain: 6 - day/5, FlagsAsked: true, Flags: []string{}}
		if day == 9 {
			e.Note = "Gardening went fine"
			e.PEG = &backcoach.PEG{Pain: 5, Enjoyment: 4, Activity: 4}
		}
		if _, err := c.CheckIn(ctx, p.ID, e, backcoach.ViaWeb); err != nil {
			t.Fatal(err)
		}
		if day%2 == 0 {
			pl, err := c.Plan(ctx, p.ID, coach.PlanRequest{})
			if err != nil {
				t.Fatal(err)
			}
			rec := &coach.SessionRecord{Session: backcoach.Session{PlanID: pl.Plan.ID, PainBefore: 4, DurationSeconds: 240,
				Exercises: []backcoach.ExerciseOutcome{{ExerciseID: pl.Plan.Plan.Exercises[0].ID, Outcome: backcoach.OutcomeDone, Seconds: 60}}}}
			if _, err := c.RecordSession(ctx, p.ID, rec, backcoach.ViaWeb); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(24 * time.Hour)
	}
	r, err := c.ReportData(ctx, p.ID, "2026-11-10", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	return r, st, p.ID
}

func TestReportPDF(t *testing.T) {
	t.Parallel()
	r := gathered(t)
	if r.Programme == nil || len(r.Programme.Plan.Plan.Exercises) == 0 {
		t.Fatalf("no programme in the report: %+v", r)
	}
	for _, paper := range []string{"", "a4", "letter"} {
		var buf bytes.Buffer
		if err := report.Write(&buf, r, paper); err != nil {
			t.Fatal(err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/FontFile2")) {
			t.Fatalf("paper %q: not a PDF with an embedded TrueType font", paper)
		}
		// The font is a subset: far smaller than the whole file.
		if len(pdf) > 300_000 {
			t.Errorf("paper %q: the report is %d bytes; the font should be subset", paper, len(pdf))
		}
		wantBox := "/MediaBox [0 0 595.28 841.89]"
		if paper == "letter" {
			wantBox = "/MediaBox [0 0 612.00 792.00]"
		}
		if !bytes.Contains(pdf, []byte(wantBox)) {
			t.Errorf("paper %q: no %s", paper, wantBox)
		}
		if paper == "" {
			text := pdfText(t, pdf)
			for _, want := range []string{"Zoë Hartmann", report.Title, "Stage: Moderate", r.Programme.Plan.Plan.Exercises[0].Name,
				"Farrar 2001", "Gardening went fine", "Adherence", "highest 6", "meaningful improvement"} {
				if !strings.Contains(text, want) {
					t.Errorf("the report's text lacks %q:\n%s", want, text)
				}
			}
		}
	}
	if err := report.Write(&bytes.Buffer{}, r, "a5"); err == nil || !strings.HasPrefix(err.Error(), "paper:") {
		t.Errorf("paper a5: %v, want an error naming paper", err)
	}
}

// pdfText reads the PDF's text with pdftotext, as a screen reader or a
// search would.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testenv.Unavailable(t, "poppler", "pdftotext not found: apt-get install poppler-utils")
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
