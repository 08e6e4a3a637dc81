package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/report"
)

func TestCSV(t *testing.T) {
	t.Parallel()
	_, st, person := seeded(t)
	doc, err := st.Export(context.Background(), person)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.CSVZip(&buf, doc); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string][][]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		rows, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		tables[f.Name] = rows
	}
	diary, sessions := tables[report.DiaryCSV], tables[report.SessionsCSV]
	if !slices.Equal(diary[0], report.DiaryColumns) || !slices.Equal(sessions[0], report.SessionColumns) {
		t.Fatalf("headers %v / %v", diary[0], sessions[0])
	}
	if len(diary) != 1+len(doc.Diary) || len(sessions) != 1+len(doc.Sessions) || len(doc.Sessions) != 11 {
		t.Fatalf("%d diary rows, %d session rows for %d entries and %d sessions", len(diary)-1, len(sessions)-1, len(doc.Diary), len(doc.Sessions))
	}
	// The day with the note and the PEG.
	var noted []string
	for _, row := range diary[1:] {
		if row[4] == "Gardening went fine" {
			noted = row
		}
	}
	if noted == nil || noted[1] != "2026-11-19" || noted[7] != "5" || noted[10] != "4.3" || !strings.HasPrefix(noted[2], "2026-11-19T08:00:00") {
		t.Errorf("the noted day's row %q", noted)
	}
	if s := sessions[1]; s[1] != "2026-11-10" || s[7] != "1" || s[3] != "240" {
		t.Errorf("first session row %q", s)
	}
}

func TestFHIR(t *testing.T) {
	t.Parallel()
	_, st, person := seeded(t)
	doc, err := st.Export(context.Background(), person)
	if err != nil {
		t.Fatal(err)
	}
	b := report.FHIR(doc, report.FHIROptions{})
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	if b.Type != "collection" || len(b.Entry) != 1+len(doc.Diary)+1 {
		t.Fatalf("bundle of type %q with %d entries (want the Patient, %d pain and 1 PEG)", b.Type, len(b.Entry), len(doc.Diary))
	}
	if strings.Contains(text, doc.Person.Name) || strings.Contains(text, doc.Person.ID) || strings.Contains(text, `"name"`) {
		t.Errorf("the pseudonymous Patient gives the person away: %.400s", text)
	}
	for _, code := range []string{"72514-3", "91148-7", "75893-8", "91145-3", "91146-1", "91147-9", "122495006", `"code":"survey"`, `"effectiveDateTime"`, `"reference":"Patient/p-`} {
		if !strings.Contains(text, code) {
			t.Errorf("the bundle lacks %s", code)
		}
	}
	again, _ := json.Marshal(report.FHIR(doc, report.FHIROptions{}))
	if !bytes.Equal(raw, again) {
		t.Error("two exports of the same data differ: ids must be stable")
	}
	named, _ := json.Marshal(report.FHIR(doc, report.FHIROptions{IncludeName: true}))
	if !strings.Contains(string(named), `"name":[{"text":"Zoë Hartmann"}]`) {
		t.Errorf("the named Patient lacks the name: %.300s", named)
	}
	validateR4(t, named)
}

// validateR4 checks every resource of a bundle against the FHIR R4 schema
// with the fhir npm package (report/fhir/validate.js).
func validateR4(t *testing.T, bundle []byte) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Unavailable(t, "node", "node not found: apt-get install nodejs npm")
	}
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "fhir")
	resolve := exec.Command(node, "-e", "require.resolve('fhir')")
	resolve.Dir = dir
	if out, err := resolve.CombinedOutput(); err != nil {
		testenv.Unavailable(t, "node", "the fhir package is not installed: run npm ci in report/fhir ("+strings.TrimSpace(string(out))+")")
	}
	cmd := exec.Command(node, "validate.js")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(bundle)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the FHIR R4 validator refused the bundle: %v\n%s", err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}
