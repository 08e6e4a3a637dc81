package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
)

// patientsOut is a clinician's dashboard.
type patientsOut struct {
	Patients []coach.PatientSummary `json:"patients" doc:"The people who share their record with you, those with the most important alert first."`
}

type patientsOutput struct {
	Body *patientsOut
}

// patientOut is one patient's page for a clinician.
type patientOut struct {
	Summary coach.PatientSummary `json:"summary" doc:"The dashboard's line for the patient."`
	// Diary is the 30-day diary as the patient sees it.
	Diary *diary.Report `json:"diary" doc:"The last 30 days of the diary with every rule applied, as the patient sees it; null when the diary is not shared."`
	// Safety is the safety record, when shared.
	Safety *backcoach.SafetyRecord `json:"safety,omitempty" doc:"The safety record (every screen of the warning signs and every clearance); left out when it is not shared."`
	// Refusal says what stands of it.
	Refusal *coach.Refusal `json:"refusal,omitempty" doc:"What stands in the safety record and bars exercise; left out when nothing does or the record is not shared."`
	// Programme is the active programme.
	Programme *backcoach.Programme `json:"programme" doc:"The programme assigned to the patient, while it is active; null otherwise."`
	// Warnings are its exercises the patient's conditions rule out.
	Warnings []backcoach.Exclusion `json:"warnings" doc:"The programme's exercises the patient's conditions rule out; the patient's plan leaves them out."`
}

type patientInput struct {
	ID string `path:"id" doc:"The patient's id." minLength:"26" maxLength:"26"`
}

type patientOutput struct {
	Body *patientOut
}

func (a *API) registerClinic() {
	register(a, a.private(huma.Operation{
		OperationID: "list-clinic-patients",
		Method:      http.MethodGet,
		Path:        Prefix + "/clinic/patients",
		Summary:     "List the patients who share with you",
		Description: "For a clinician: the people whose standing consent lets you read their record, with their last pain, the trend of the last two weeks, " +
			"adherence over the last 14 days, and alerts in order of importance (a standing warning sign, a pain of 8 or more, the worsening rule, no activity for 7 days). " +
			"Each patient's read is written to their audit trail. Anyone else gets an empty list.",
		Tags: []string{"Clinic"},
	}), a.listPatients)

	register(a, a.private(huma.Operation{
		OperationID: "get-clinic-patient",
		Method:      http.MethodGet,
		Path:        Prefix + "/clinic/patients/{id}",
		Summary:     "Get one patient's shared record",
		Description: "For a clinician: what a patient shares with you, with their diary as they see it. Without a standing consent the answer is 404, " +
			"exactly as for a person who does not exist. The read is written to the patient's audit trail.",
		Tags:   []string{"Clinic"},
		Errors: []int{http.StatusNotFound},
	}), a.getPatient)
}

func (a *API) listPatients(ctx context.Context, _ *struct{}) (*patientsOutput, error) {
	list, err := a.coach.Dashboard(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &patientsOutput{Body: &patientsOut{Patients: list}}, nil
}

func (a *API) getPatient(ctx context.Context, in *patientInput) (*patientOutput, error) {
	v, err := a.coach.ClinicianView(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	out := &patientOut{Summary: v.Summary, Safety: v.Record.Safety, Programme: v.Record.Programme, Warnings: v.Warnings}
	if out.Warnings == nil {
		out.Warnings = []backcoach.Exclusion{}
	}
	if r, ok := v.Reports[30]; ok {
		out.Diary = &r
	}
	if v.Record.Safety != nil {
		out.Refusal = v.Day.Refusal()
	}
	return &patientOutput{Body: out}, nil
}
