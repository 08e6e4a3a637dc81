package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestSettingsReportAndExports(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "ruth")
	takeAssessment(t, b, mildDesk)
	mustContain(t, "settings", b.get("/settings").body, "Report for your physiotherapist or doctor", `action="/settings/report"`, `href="/settings/export.zip"`, `action="/settings/export.fhir"`)

	r := b.get("/settings/report?from=&to=&paper=letter")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") || !strings.Contains(r.body, "/MediaBox [0 0 612.00 792.00]") {
		t.Fatalf("report: %q %.20q", r.Header.Get("Content-Type"), r.body)
	}
	mustContain(t, "the report's disposition", r.Header.Get("Content-Disposition"), "attachment", "backcoach-report-")
	wantStatus(t, b.get("/settings/report?paper=a5"), http.StatusBadRequest)
	wantStatus(t, b.get("/settings/report?from=2026-05-01&to=2026-04-01"), http.StatusBadRequest)

	r = b.get("/settings/export.zip")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(r.body, "PK") {
		t.Errorf("csv zip: %q", r.Header.Get("Content-Type"))
	}
	r = b.get("/settings/export.fhir")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the FHIR bundle", r.body, `"resourceType": "Bundle"`, `"type": "collection"`)
}
