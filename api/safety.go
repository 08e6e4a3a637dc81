package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// safetyOut is the person's safety record and what stands of it now.
type safetyOut struct {
	// ExerciseAllowed is false while a warning sign stands.
	ExerciseAllowed bool `json:"exercise_allowed" doc:"False while a warning sign stands in the record: no plan, no session, breaks offer rest."`
	// Refusal says what stands and what to do, when exercise is refused.
	Refusal *coach.Refusal `json:"refusal,omitempty" doc:"What stands, what to do now, and how it is lifted; left out when exercise is allowed."`
	// ClearedHistory are history signs a clinician has cleared for good.
	ClearedHistory []string `json:"cleared_history" doc:"History signs (cancer, a weakened immune system, recent spine surgery) a clinician has cleared: they no longer bar exercise, and the plan stays gentle."`
	// Record is the whole record, oldest first.
	Record backcoach.SafetyRecord `json:"record" doc:"Every screen of the warning signs (when, where, what was answered yes) and every clearance, oldest first."`
}

// clearanceBody is what a person says when a clinician has checked them.
type clearanceBody struct {
	By        backcoach.ClearedBy `json:"by" enum:"gp,physiotherapist,emergency_team" doc:"Who checked you and said you may exercise."`
	Name      string              `json:"name,omitempty" maxLength:"100" doc:"The clinician or practice, if you want to keep it."`
	CheckedOn string              `json:"checked_on" format:"date" doc:"The day of the check, YYYY-MM-DD: not in the future, not before the newest standing sign."`
	Note      string              `json:"note,omitempty" maxLength:"500" doc:"What they said, if you want to keep it."`
}

type createClearanceInput struct {
	RawBody []byte
}

type safetyOutput struct {
	Body *safetyOut
}

func (a *API) registerSafety() {
	register(a, a.private(huma.Operation{
		OperationID: "get-safety-record",
		Method:      http.MethodGet,
		Path:        Prefix + "/safety",
		Summary:     "Get the safety record",
		Description: "Whether exercise is allowed now, and why not: every warning sign answered yes (at an assessment, a check-in, a stop in a session or a break, " +
			"in any interface) stands until a GP, physiotherapist or emergency team has checked the person (POST /api/v1/safety/clearances) " +
			"and a fresh screen (an assessment or a check-in) finds no new sign. A new assessment alone lifts nothing.",
		Tags: []string{"Safety"},
	}), a.getSafety)

	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "create-clearance",
		Method:      http.MethodPost,
		Path:        Prefix + "/safety/clearances",
		Summary:     "Record a clinician's clearance",
		Description: "Records that a GP, physiotherapist or emergency team checked the person and said they may exercise. " +
			"It covers every sign standing now, and lifts them once a fresh screen (POST /api/v1/assessments, or a check-in with flags_asked) finds no new sign. " +
			"With no sign standing the answer is 400: there is nothing to clear.",
		Tags:          []string{"Safety"},
		DefaultStatus: http.StatusCreated,
	}), clearanceBody{}, "Who checked, and when."), a.createClearance)
}

func (a *API) getSafety(ctx context.Context, _ *struct{}) (*safetyOutput, error) {
	d, err := a.coach.Day(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &safetyOutput{Body: safetyBody(d)}, nil
}

func (a *API) createClearance(ctx context.Context, in *createClearanceInput) (*safetyOutput, error) {
	var body clearanceBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	_, d, err := a.coach.RecordClearance(ctx, actor(ctx), coach.ClearanceRequest{By: body.By, Name: body.Name, CheckedOn: body.CheckedOn, Note: body.Note})
	if err != nil {
		return nil, inBody(err)
	}
	return &safetyOutput{Body: safetyBody(d)}, nil
}

// safetyBody says a day's safety record.
func safetyBody(d *coach.Day) *safetyOut {
	out := &safetyOut{ExerciseAllowed: !d.Standing.Blocked, Refusal: d.Refusal(), ClearedHistory: d.Standing.Cleared, Record: *d.Record}
	return out
}
