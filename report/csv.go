package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
)

// The CSV export (docs/export.md): diary.csv and sessions.csv, a header
// row each, dates in the person's zone (YYYY-MM-DD) and times in RFC 3339
// UTC.

// DiaryColumns and SessionColumns are the header rows.
var (
	DiaryColumns   = []string{"id", "date", "at", "pain", "note", "flags_asked", "flags", "peg_pain", "peg_enjoyment", "peg_activity", "peg_score"}
	SessionColumns = []string{"id", "date", "started_at", "duration_seconds", "level", "pain_before", "pain_after", "exercises_done", "exercises_skipped", "exercises_stopped", "plan_id"}
)

// CSV files' names.
const (
	DiaryCSV    = "diary.csv"
	SessionsCSV = "sessions.csv"
)

// DiaryCSVOf writes the document's diary entries as CSV.
func DiaryCSVOf(w io.Writer, doc *backcoach.Export) error {
	loc := docLocation(doc)
	cw := csv.NewWriter(w)
	cw.Write(DiaryColumns)
	for _, e := range doc.Diary {
		row := []string{e.ID, e.LocalDate(loc), e.At.UTC().Format(time.RFC3339), strconv.Itoa(e.Pain), e.Note,
			strconv.FormatBool(e.FlagsAsked), strings.Join(e.Flags, ";"), "", "", "", ""}
		if p := e.PEG; p != nil {
			row[7], row[8], row[9] = strconv.Itoa(p.Pain), strconv.Itoa(p.Enjoyment), strconv.Itoa(p.Activity)
			row[10] = strconv.FormatFloat(p.Score(), 'f', 1, 64)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// SessionsCSVOf writes the document's sessions as CSV.
func SessionsCSVOf(w io.Writer, doc *backcoach.Export) error {
	loc := docLocation(doc)
	cw := csv.NewWriter(w)
	cw.Write(SessionColumns)
	for _, s := range doc.Sessions {
		count := map[backcoach.Outcome]int{}
		for _, x := range s.Exercises {
			count[x.Outcome]++
		}
		after := ""
		if s.PainAfter != nil {
			after = strconv.Itoa(*s.PainAfter)
		}
		cw.Write([]string{s.ID, s.StartedAt.In(loc).Format(backcoach.DateLayout), s.StartedAt.UTC().Format(time.RFC3339),
			strconv.Itoa(s.DurationSeconds), strconv.Itoa(s.Level), strconv.Itoa(s.PainBefore), after,
			strconv.Itoa(count[backcoach.OutcomeDone]), strconv.Itoa(count[backcoach.OutcomeSkipped]), strconv.Itoa(count[backcoach.OutcomeStopped]), s.PlanID})
	}
	cw.Flush()
	return cw.Error()
}

// CSVFiles returns both CSV files by name.
func CSVFiles(doc *backcoach.Export) (map[string][]byte, error) {
	var d, s bytes.Buffer
	if err := DiaryCSVOf(&d, doc); err != nil {
		return nil, err
	}
	if err := SessionsCSVOf(&s, doc); err != nil {
		return nil, err
	}
	return map[string][]byte{DiaryCSV: d.Bytes(), SessionsCSV: s.Bytes()}, nil
}

// CSVZip writes both CSV files as one zip archive.
func CSVZip(w io.Writer, doc *backcoach.Export) error {
	files, err := CSVFiles(doc)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, name := range []string{DiaryCSV, SessionsCSV} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: doc.ExportedAt})
		if err != nil {
			return err
		}
		if _, err := f.Write(files[name]); err != nil {
			return err
		}
	}
	return zw.Close()
}

func docLocation(doc *backcoach.Export) *time.Location {
	if doc.Profile != nil {
		return doc.Profile.Location()
	}
	return time.UTC
}
