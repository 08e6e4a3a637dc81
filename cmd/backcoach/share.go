package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/report"
	"github.com/backcoach/backcoach/store"
)

// reportCmd writes the PDF report for a physiotherapist or doctor.
type reportCmd struct {
	Out   string `required:"" help:"Write the PDF to FILE (created private to you)." placeholder:"FILE" type:"path"`
	From  string `help:"The period's first day, YYYY-MM-DD (default: 30 days before --to)." placeholder:"D"`
	To    string `help:"The period's last day, YYYY-MM-DD (default: today)." placeholder:"D"`
	Paper string `help:"Paper size: a4 or letter." default:"a4" enum:"a4,letter"`
}

func (c *reportCmd) Run(a *app) error {
	return a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
		r, err := co.ReportData(a.ctx, me.ID, c.From, c.To)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(c.Out, func(w io.Writer) error { return report.Write(w, r, c.Paper) }); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "Wrote the report for %s to %s to %s.\n", r.From, r.To, c.Out)
		return nil
	})
}

// exportFormats are the formats of 'backcoach export'.
var exportFormats = []string{"json", "csv", "fhir"}

// exportOther writes the CSV files into a folder, or the FHIR Bundle.
func (c *exportCmd) exportOther(a *app, s *store.Store, me *backcoach.Person) error {
	doc, err := s.Export(a.ctx, me.ID)
	if err != nil {
		return err
	}
	switch c.Format {
	case "csv":
		if c.Out == "" {
			return backcoach.Invalid("out", "--format csv writes two files: give the folder to write them in with --out DIR")
		}
		if err := os.MkdirAll(c.Out, 0o700); err != nil {
			return backcoach.Invalid("out", "cannot make the folder %s: %v", c.Out, err)
		}
		files, err := report.CSVFiles(doc)
		if err != nil {
			return err
		}
		for _, name := range []string{report.DiaryCSV, report.SessionsCSV} {
			data := files[name]
			if err := writeFileAtomic(filepath.Join(c.Out, name), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
				return err
			}
		}
		fmt.Fprintf(a.stderr, "Wrote %s and %s to %s.\n", report.DiaryCSV, report.SessionsCSV, c.Out)
		return nil
	case "fhir":
		bundle := report.FHIR(doc, report.FHIROptions{IncludeName: c.IncludeName})
		write := func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(bundle)
		}
		if c.Out == "" {
			return write(a.stdout)
		}
		if err := writeFileAtomic(c.Out, write); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "Wrote a FHIR R4 Bundle of your diary to %s.\n", c.Out)
		return nil
	}
	return backcoach.Invalid("format", "must be json, csv or fhir, got %q", c.Format)
}
