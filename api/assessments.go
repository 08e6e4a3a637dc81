package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// answersBody documents the assessment's answers (docs/assessment.md).
// The body itself is read by triage.ParseAnswers, the one strict parser of
// the contract, so that the API rejects exactly what the command line
// rejects, with the same field-named messages. The fields' descriptions
// are the assessment's questions (TransformSchema, in enums.go).
type answersBody struct {
	Age               int                   `json:"age" minimum:"12" maximum:"120"`
	PainNow           int                   `json:"pain_now" minimum:"0" maximum:"10"`
	StageDescription  stageDescription      `json:"stage_description,omitempty"`
	PEG               *backcoach.PEG        `json:"peg,omitempty"`
	Weeks             float64               `json:"weeks" minimum:"0"`
	Trend             backcoach.Trend       `json:"trend"`
	ClinicianAssessed bool                  `json:"clinician_assessed"`
	Flags             []flagID              `json:"flags,omitempty" doc:"The warning signs answered yes."`
	Conditions        []backcoach.Condition `json:"conditions,omitempty"`
	Causes            []backcoach.Cause     `json:"causes,omitempty"`
	Context           *contextBody          `json:"context,omitempty"`
}

// contextBody documents the answers' routine context.
type contextBody struct {
	Minutes   int                   `json:"minutes,omitempty" minimum:"1" maximum:"60"`
	Places    []backcoach.Place     `json:"places,omitempty" minItems:"1"`
	Equipment []backcoach.Equipment `json:"equipment,omitempty"`
}

type createAssessmentInput struct {
	RawBody []byte
}

type assessmentIDInput struct {
	ID string `path:"id" doc:"The assessment's id."`
}

type listAssessmentsInput struct {
	PageParams
}

func (a *API) registerAssessments() {
	register(a, a.withBody(a.private(huma.Operation{
		OperationID:   "create-assessment",
		Method:        http.MethodPost,
		Path:          Prefix + "/assessments",
		Summary:       "Take an assessment",
		Description:   "Checks the answers (the assessment contract), runs the safety screen and keeps the assessment in the person's history. The standing conditions and routine context are remembered in the profile.",
		Tags:          []string{"Assessments"},
		DefaultStatus: http.StatusCreated,
	}), answersBody{}, "The answers, exactly as the assessment contract describes them."), a.createAssessment)

	register(a, a.private(huma.Operation{
		OperationID: "list-assessments",
		Method:      http.MethodGet,
		Path:        Prefix + "/assessments",
		Summary:     "List the assessments",
		Description: "The person's assessments, newest first, a page at a time.",
		Tags:        []string{"Assessments"},
		Errors:      []int{http.StatusBadRequest},
	}), a.listAssessments)

	register(a, a.private(huma.Operation{
		OperationID: "get-assessment",
		Method:      http.MethodGet,
		Path:        Prefix + "/assessments/{id}",
		Summary:     "Get one assessment",
		Tags:        []string{"Assessments"},
		Errors:      []int{http.StatusNotFound},
	}), a.getAssessment)
}

func (a *API) createAssessment(ctx context.Context, in *createAssessmentInput) (*createdOutput[backcoach.SavedAssessment], error) {
	ans, err := triage.ParseAnswers(in.RawBody)
	if err != nil {
		return nil, inBody(err)
	}
	out, err := a.coach.Assess(ctx, actor(ctx), &ans, backcoach.ViaAPI)
	if err != nil {
		return nil, inBody(err)
	}
	rec := out.Assessment
	return &createdOutput[backcoach.SavedAssessment]{Location: Prefix + "/assessments/" + rec.ID, Body: rec}, nil
}

func (a *API) listAssessments(ctx context.Context, in *listAssessmentsInput) (*pageOutput[backcoach.SavedAssessment], error) {
	req, err := in.parse()
	if err != nil {
		return nil, err
	}
	me := actor(ctx)
	page, err := listPage(ctx, req, backcoach.Filter{}, func(ctx context.Context, f backcoach.Filter) ([]backcoach.SavedAssessment, error) {
		return a.store.Assessments(ctx, me, f)
	}, func(x *backcoach.SavedAssessment) position { return position{x.TakenAt, x.ID} })
	if err != nil {
		return nil, err
	}
	return &pageOutput[backcoach.SavedAssessment]{Body: page}, nil
}

func (a *API) getAssessment(ctx context.Context, in *assessmentIDInput) (*recordOutput[backcoach.SavedAssessment], error) {
	rec, err := a.store.Assessment(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.SavedAssessment]{Body: rec}, nil
}
