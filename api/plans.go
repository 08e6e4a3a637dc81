package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// planBody asks for a plan built from a saved assessment. Answers are not
// accepted inline: POST /assessments first, so that every plan has its
// assessment in the person's history.
type planBody struct {
	AssessmentID string `json:"assessment_id" doc:"The saved assessment to plan from (POST /api/v1/assessments makes one)."`
	Date         string `json:"date,omitempty" format:"date" doc:"The day to plan for, YYYY-MM-DD; today in the person's time zone when left out. The choice of exercises varies by day."`
}

type createPlanInput struct {
	RawBody []byte
}

type planIDInput struct {
	ID string `path:"id" doc:"The plan's id."`
}

type listPlansInput struct {
	PageParams
}

func (a *API) registerPlans() {
	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "create-plan",
		Method:      http.MethodPost,
		Path:        Prefix + "/plans",
		Summary:     "Build a plan",
		Description: "Builds a day's routine (the plan of the assessment contract) from one of the person's saved assessments and keeps it. " +
			"The assessment's answers are judged again by today's rules; the routine (minutes, places, equipment) is the one the person last chose. " +
			"The dose level comes from the person's guided sessions of the last weeks (steps up after two steady weeks, back after a flare); " +
			"when it changes, the plan's notes say why. While a warning sign stands in the person's safety record (answered yes at an assessment, " +
			"a check-in, a stop in a session or a break, in any interface, and not yet lifted by a clinician's clearance and a fresh screen), " +
			"no plan is made: the answer is 403 with a problem document whose errors name each standing sign (location `safety.<sign id>`).",
		Tags:          []string{"Plans"},
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusForbidden, http.StatusNotFound},
	}), planBody{}, "The assessment to plan from, and the day."), a.createPlan)

	register(a, a.private(huma.Operation{
		OperationID: "list-plans",
		Method:      http.MethodGet,
		Path:        Prefix + "/plans",
		Summary:     "List the plans",
		Description: "The person's plans, newest first (by when they were made), a page at a time.",
		Tags:        []string{"Plans"},
		Errors:      []int{http.StatusBadRequest},
	}), a.listPlans)

	register(a, a.private(huma.Operation{
		OperationID: "get-todays-plan",
		Method:      http.MethodGet,
		Path:        Prefix + "/plans/today",
		Summary:     "Get today's plan",
		Description: "The newest plan made for today (in the person's time zone); 404 when none was made yet.",
		Tags:        []string{"Plans"},
		Errors:      []int{http.StatusNotFound},
	}), a.todaysPlan)

	register(a, a.private(huma.Operation{
		OperationID: "get-plan",
		Method:      http.MethodGet,
		Path:        Prefix + "/plans/{id}",
		Summary:     "Get one plan",
		Tags:        []string{"Plans"},
		Errors:      []int{http.StatusNotFound},
	}), a.getPlan)
}

func (a *API) createPlan(ctx context.Context, in *createPlanInput) (*createdOutput[backcoach.SavedPlan], error) {
	var body planBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	if err := backcoach.CheckID("assessment_id", body.AssessmentID); err != nil {
		return nil, inBody(err)
	}
	if body.Date != "" {
		if err := backcoach.CheckDate("date", body.Date); err != nil {
			return nil, inBody(err)
		}
	}
	p, err := a.coach.Plan(ctx, actor(ctx), coach.PlanRequest{AssessmentID: body.AssessmentID, Date: body.Date})
	if err != nil {
		return nil, inBody(err)
	}
	return &createdOutput[backcoach.SavedPlan]{Location: Prefix + "/plans/" + p.Plan.ID, Body: p.Plan}, nil
}

func (a *API) listPlans(ctx context.Context, in *listPlansInput) (*pageOutput[backcoach.SavedPlan], error) {
	req, err := in.parse()
	if err != nil {
		return nil, err
	}
	me := actor(ctx)
	page, err := listPage(ctx, req, backcoach.Filter{}, func(ctx context.Context, f backcoach.Filter) ([]backcoach.SavedPlan, error) {
		return a.store.Plans(ctx, me, f)
	}, func(p *backcoach.SavedPlan) position { return position{p.CreatedAt, p.ID} })
	if err != nil {
		return nil, err
	}
	return &pageOutput[backcoach.SavedPlan]{Body: page}, nil
}

func (a *API) getPlan(ctx context.Context, in *planIDInput) (*recordOutput[backcoach.SavedPlan], error) {
	p, err := a.store.Plan(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.SavedPlan]{Body: p}, nil
}

func (a *API) todaysPlan(ctx context.Context, _ *struct{}) (*recordOutput[backcoach.SavedPlan], error) {
	p, err := a.coach.TodaysSavedPlan(ctx, actor(ctx))
	if err != nil {
		if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			return nil, backcoach.Errorf(backcoach.ENOTFOUND, "%s; POST %s/plans with an assessment_id makes one", backcoach.ErrorMessage(err), Prefix)
		}
		return nil, err
	}
	return &recordOutput[backcoach.SavedPlan]{Body: p}, nil
}

// location returns the person's time zone, from their profile.
func (a *API) location(ctx context.Context, me string) (*time.Location, error) {
	prof, err := a.store.Profile(ctx, me)
	if err != nil {
		return nil, err
	}
	return prof.Location(), nil
}
