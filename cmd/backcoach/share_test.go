package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportAndExportFormats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	runData(t, db, false, dataAnswers, "assess", "--answers", "-").must(t)
	runData(t, db, false, "", "log", "--pain", "4", "--note", "stiff in the morning").must(t)

	pdf := filepath.Join(dir, "report.pdf")
	r := runData(t, db, false, "", "report", "--out", pdf, "--paper", "letter").must(t)
	data, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("/MediaBox [0 0 612.00 792.00]")) {
		t.Fatalf("report: %v, %.20q (%s)", err, data, r.stderr)
	}
	if info, _ := os.Stat(pdf); info.Mode().Perm() != 0o600 {
		t.Errorf("the report is %v, want private to its owner", info.Mode().Perm())
	}
	for _, bad := range [][]string{
		{"report", "--out", pdf, "--from", "2026-11-30", "--to", "2026-11-01"},
		{"report", "--out", pdf, "--paper", "a5"},
		{"report"},
		{"export", "--format", "csv"},
		{"export", "--format", "xml"},
	} {
		if r := runData(t, db, false, "", bad...); r.status != exitBadInput || r.stderr == "" {
			t.Errorf("%v: status %d, stderr %q", bad, r.status, r.stderr)
		}
	}

	csvDir := filepath.Join(dir, "csv")
	runData(t, db, false, "", "export", "--format", "csv", "--out", csvDir).must(t)
	diary, err := os.ReadFile(filepath.Join(csvDir, "diary.csv"))
	if err != nil || !strings.HasPrefix(string(diary), "id,date,at,pain,note,") || !strings.Contains(string(diary), ",4,stiff in the morning,") {
		t.Errorf("diary.csv: %v\n%s", err, diary)
	}
	if _, err := os.Stat(filepath.Join(csvDir, "sessions.csv")); err != nil {
		t.Error(err)
	}

	fhir := runData(t, db, false, "", "export", "--format", "fhir").must(t).stdout
	if !strings.Contains(fhir, `"resourceType": "Bundle"`) || !strings.Contains(fhir, "72514-3") || strings.Contains(fhir, `"name"`) {
		t.Errorf("fhir export:\n%.600s", fhir)
	}
	// The JSON export stays the default and unchanged.
	if doc := exportDoc(t, db); doc.Format != "backcoach-export" || len(doc.Diary) != 1 {
		t.Errorf("json export %+v", doc.Format)
	}
}
