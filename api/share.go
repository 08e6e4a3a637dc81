package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/report"
)

// Sharing with a clinician: the PDF report and the export in its other
// formats (CSV in a zip, a FHIR R4 Bundle).

// fileOutput is a download.
type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

type reportInput struct {
	From  string `query:"from" doc:"The period's first day, YYYY-MM-DD; 30 days before to when left out." example:"2026-11-01"`
	To    string `query:"to" doc:"The period's last day, YYYY-MM-DD; today in the person's zone when left out." example:"2026-11-30"`
	Paper string `query:"paper" enum:"a4,letter" doc:"Paper size; a4 when left out."`
}

type exportInput struct {
	Format      string `query:"format" enum:"json,csv,fhir" doc:"json (everything, the export document; the default), csv (diary.csv and sessions.csv in a zip, see docs/export.md) or fhir (a FHIR R4 Bundle of the diary)."`
	IncludeName bool   `query:"include_name" doc:"With format=fhir: put the person's name in the Patient, which is pseudonymous otherwise."`
}

func (a *API) registerSharing() {
	binary := &huma.Schema{Type: huma.TypeString, ContentEncoding: "binary"}
	register(a, a.private(huma.Operation{
		OperationID: "get-report",
		Method:      http.MethodGet,
		Path:        Prefix + "/report",
		Summary:     "Report for your physiotherapist or doctor (PDF)",
		Description: "A PDF of the latest assessment with the warning signs and their clearances, the current programme with its doses, an adherence calendar, the pain chart with a meaningful change marked, the notes and the sources, over the period from..to (at most 366 days).",
		Tags:        []string{"Account"},
		Errors:      []int{http.StatusBadRequest},
		Responses: map[string]*huma.Response{"200": {
			Description: "The report.",
			Content:     map[string]*huma.MediaType{"application/pdf": {Schema: binary}},
		}},
	}), a.report)
	exportSchema := a.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(backcoach.Export{}), true, "Export")
	register(a, a.private(huma.Operation{
		OperationID: "export",
		Method:      http.MethodGet,
		Path:        Prefix + "/export",
		Summary:     "Export everything",
		Description: "Everything the coach keeps about the person, as one document (the export format), oldest first; or the diary and sessions as CSV (format=csv, a zip) or a FHIR R4 Bundle (format=fhir).",
		Tags:        []string{"Account"},
		Errors:      []int{http.StatusBadRequest},
		Responses: map[string]*huma.Response{"200": {
			Description: "The export.",
			Content: map[string]*huma.MediaType{
				"application/json":      {Schema: exportSchema},
				"application/zip":       {Schema: binary},
				"application/fhir+json": {Schema: &huma.Schema{Type: huma.TypeObject, Description: "A FHIR R4 Bundle of type collection."}},
			},
		}},
	}), a.exportAs)
}

func (a *API) report(ctx context.Context, in *reportInput) (*fileOutput, error) {
	if err := report.CheckPaper(in.Paper); err != nil {
		return nil, inQuery(err)
	}
	r, err := a.coach.ReportData(ctx, actor(ctx), in.From, in.To)
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		return nil, inQuery(err)
	}
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, r, in.Paper); err != nil {
		return nil, err
	}
	return &fileOutput{ContentType: "application/pdf", ContentDisposition: `attachment; filename="` + report.Filename(r) + `"`,
		CacheControl: "no-store", Body: buf.Bytes()}, nil
}

func (a *API) exportAs(ctx context.Context, in *exportInput) (*fileOutput, error) {
	switch in.Format {
	case "", "json", "csv", "fhir":
	default:
		return nil, inQuery(backcoach.Invalid("format", "must be json, csv or fhir, got %q", in.Format))
	}
	x, err := a.store.Export(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	out := &fileOutput{CacheControl: "no-store"}
	switch in.Format {
	case "csv":
		var buf bytes.Buffer
		if err := report.CSVZip(&buf, x); err != nil {
			return nil, err
		}
		out.ContentType, out.Body = "application/zip", buf.Bytes()
		out.ContentDisposition = `attachment; filename="backcoach-` + x.ExportedAt.Format(backcoach.DateLayout) + `.zip"`
	case "fhir":
		out.ContentType = "application/fhir+json"
		out.Body, err = json.Marshal(report.FHIR(x, report.FHIROptions{IncludeName: in.IncludeName}))
	default:
		out.ContentType = "application/json"
		out.Body, err = json.Marshal(x)
	}
	return out, err
}
