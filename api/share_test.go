package api

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestReportAndExportFormats(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	if res := e.do(t, e.alice, "POST", "/api/v1/diary", map[string]any{"pain": 4, "note": "after the long drive"}); res.status != http.StatusCreated {
		t.Fatalf("diary: %d %s", res.status, res.body)
	}
	res := e.do(t, e.alice, "GET", "/api/v1/report?from=2026-02-01&to=2026-03-02&paper=letter", nil)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(res.body, []byte("%PDF-")) ||
		!strings.Contains(res.header.Get("Content-Disposition"), "backcoach-report-2026-02-01-to-2026-03-02.pdf") {
		t.Fatalf("report: %d %v %.40q", res.status, res.header, res.body)
	}
	for _, bad := range []struct{ path, field string }{
		{"/api/v1/report?paper=a5", "paper"}, {"/api/v1/report?from=2026-03-05&to=2026-03-01", "to"},
		{"/api/v1/report?from=yesterday", "from"}, {"/api/v1/export?format=xml", "format"},
	} {
		res := e.do(t, e.alice, "GET", bad.path, nil)
		if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), `"query.`+bad.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.path, res.status, res.body, bad.field)
		}
	}
	res = e.do(t, e.alice, "GET", "/api/v1/export?format=csv", nil)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/zip" {
		t.Fatalf("csv: %d %v", res.status, res.header)
	}
	zr, err := zip.NewReader(bytes.NewReader(res.body), int64(len(res.body)))
	if err != nil || len(zr.File) != 2 || zr.File[0].Name != "diary.csv" || zr.File[1].Name != "sessions.csv" {
		t.Fatalf("zip: %v %v", err, zr)
	}
	res = e.do(t, e.alice, "GET", "/api/v1/export?format=fhir", nil)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/fhir+json" {
		t.Fatalf("fhir: %d %v", res.status, res.header)
	}
	b := res.json(t)
	if b["resourceType"] != "Bundle" || b["type"] != "collection" || strings.Contains(string(res.body), "Test alice") {
		t.Errorf("fhir bundle %.300s", res.body)
	}
	if res := e.do(t, e.alice, "GET", "/api/v1/export?format=fhir&include_name=true", nil); !strings.Contains(string(res.body), "Test alice") {
		t.Errorf("fhir with the name: %.300s", res.body)
	}
	if doc := e.do(t, e.alice, "GET", "/api/v1/export", nil).json(t); doc["format"] != "backcoach-export" {
		t.Errorf("the default export is %v", doc["format"])
	}
	if res := e.do(t, nobody, "GET", "/api/v1/report", nil); res.status != http.StatusUnauthorized {
		t.Errorf("report without signing in: %d", res.status)
	}
}
