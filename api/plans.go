package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
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

// todayWindow is how far back GET /plans/today looks for a plan made for
// today.
const todayWindow = 30 * 24 * time.Hour

func (a *API) registerPlans() {
	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "create-plan",
		Method:      http.MethodPost,
		Path:        Prefix + "/plans",
		Summary:     "Build a plan",
		Description: "Builds a day's routine (the plan of the assessment contract) from one of the person's saved assessments and keeps it. " +
			"The dose level comes from the person's guided sessions of the last weeks (steps up after two steady weeks, back after a flare); " +
			"when it changes, the plan's notes say why. With an emergency or urgent assessment the plan has no exercises.",
		Tags:          []string{"Plans"},
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusNotFound},
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
	me := actor(ctx)
	now := a.now()
	loc, err := a.location(ctx, me)
	if err != nil {
		return nil, err
	}
	date := now.In(loc).Format(backcoach.DateLayout)
	if body.Date != "" {
		if err := checkDate("date", body.Date); err != nil {
			return nil, inBody(err)
		}
		date = body.Date
	}
	rec, err := a.store.Assessment(ctx, me, body.AssessmentID)
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
		return nil, inBody(&backcoach.Error{Code: backcoach.ENOTFOUND, Field: "assessment_id",
			Message: "no assessment with id " + body.AssessmentID + " in your history"})
	}
	if err != nil {
		return nil, err
	}
	prog, err := planner.LoadLevel(ctx, a.store, me, loc, now, date)
	if err != nil {
		return nil, err
	}
	// The safety screen runs again on the saved answers, so that a plan
	// always follows the current rules for red flags, even for an older
	// assessment.
	res := triage.Assess(&rec.Answers)
	plan := planner.Build(a.catalog, planner.Request{Answers: &rec.Answers, Result: res, Date: date, Level: prog.Level})
	if prog.Change != 0 && res.ExerciseAllowed {
		plan.Notes = append(plan.Notes, prog.Reason)
	}
	saved := backcoach.SavedPlan{AssessmentID: rec.ID, CreatedAt: now, Plan: plan}
	if err := a.store.SavePlan(ctx, me, &saved); err != nil {
		return nil, inBody(err)
	}
	return &createdOutput[backcoach.SavedPlan]{Location: Prefix + "/plans/" + saved.ID, Body: &saved}, nil
}

// location returns the person's time zone, from their profile.
func (a *API) location(ctx context.Context, me string) (*time.Location, error) {
	prof, err := a.store.Profile(ctx, me)
	if err != nil {
		return nil, err
	}
	return prof.Location(), nil
}

// checkDate checks a calendar date written YYYY-MM-DD.
func checkDate(field, s string) error {
	d, err := time.Parse(backcoach.DateLayout, s)
	if err != nil || d.Format(backcoach.DateLayout) != s || d.Year() < 2000 || d.Year() > 2200 {
		return backcoach.Invalid(field, "must be a date written YYYY-MM-DD between the years 2000 and 2200, got %q", clip(s))
	}
	return nil
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
	me := actor(ctx)
	now := a.now()
	loc, err := a.location(ctx, me)
	if err != nil {
		return nil, err
	}
	today := now.In(loc).Format(backcoach.DateLayout)
	plans, err := a.store.Plans(ctx, me, backcoach.Filter{From: now.Add(-todayWindow), NewestFirst: true})
	if err != nil {
		return nil, err
	}
	for i := range plans {
		if plans[i].Plan.Date == today {
			return &recordOutput[backcoach.SavedPlan]{Body: &plans[i]}, nil
		}
	}
	return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no plan for today (%s) yet; POST %s/plans with an assessment_id makes one", today, Prefix)
}
