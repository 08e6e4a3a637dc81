package web

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/report"
)

// Downloads for sharing with a clinician, from Settings: the PDF report
// (coach.ReportData, drawn by package report), the diary and sessions as
// CSV in a zip, and the diary as a FHIR R4 Bundle.

// sendFile sends a download that is never cached.
func sendFile(w http.ResponseWriter, contentType, name string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}

// reportPDF sends the report for a physiotherapist or doctor.
func (s *Server) reportPDF(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	q := r.URL.Query()
	paper := q.Get("paper")
	if err := report.CheckPaper(paper); err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := s.coach.ReportData(r.Context(), me.ID, q.Get("from"), q.Get("to"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, data, paper); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", report.Filename(data), buf.Bytes())
}

// exportCSV sends diary.csv and sessions.csv in a zip.
func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	doc, err := s.store.Export(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.CSVZip(&buf, doc); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/zip", "backcoach-"+doc.ExportedAt.Format(backcoach.DateLayout)+".zip", buf.Bytes())
}

// exportFHIR sends the diary as a FHIR R4 Bundle; the Patient carries the
// name only when the person ticked the box.
func (s *Server) exportFHIR(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	doc, err := s.store.Export(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := json.MarshalIndent(report.FHIR(doc, report.FHIROptions{IncludeName: r.URL.Query().Get("name") == "on"}), "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/fhir+json", "backcoach-fhir-"+doc.ExportedAt.Format(backcoach.DateLayout)+".json", append(body, '\n'))
}
