package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// sessionBody is a guided session as a client reports it.
type sessionBody struct {
	PlanID          string        `json:"plan_id,omitempty" doc:"The saved plan the session followed, if any."`
	StartedAt       *time.Time    `json:"started_at,omitempty" doc:"When the session began (RFC 3339); now when left out."`
	DurationSeconds int           `json:"duration_seconds" minimum:"0" maximum:"14400" doc:"How long it took, in seconds."`
	Level           *int          `json:"level,omitempty" minimum:"-10" maximum:"10" doc:"The plan's dose level; the plan's own when left out (0 without a plan)."`
	PainBefore      int           `json:"pain_before" minimum:"0" maximum:"10" doc:"Pain before the session, 0 to 10."`
	PainAfter       *int          `json:"pain_after,omitempty" minimum:"0" maximum:"10" doc:"Pain after the session, 0 to 10; left out when it was not asked (the session was abandoned)."`
	Exercises       []outcomeBody `json:"exercises" maxItems:"100" doc:"Each exercise of the session with what became of it."`
	StopFlags       []flagID      `json:"stop_flags,omitempty" doc:"The warning signs answered yes when the session was stopped for symptoms; they go into the person's safety record. Leave out when the questions were not asked."`
}

// outcomeBody is what became of one exercise of a session.
type outcomeBody struct {
	ExerciseID string            `json:"exercise_id" doc:"The exercise's id in the catalog."`
	Outcome    backcoach.Outcome `json:"outcome"`
	Reason     string            `json:"reason,omitempty" maxLength:"200" doc:"Why it was skipped or stopped: required when stopped, empty when done."`
	Seconds    int               `json:"seconds" minimum:"0" doc:"Time spent on it."`
}

type createSessionInput struct {
	RawBody []byte
}

type sessionIDInput struct {
	ID string `path:"id" doc:"The session's id."`
}

type listSessionsInput struct {
	PageParams
}

func (a *API) registerSessions() {
	register(a, a.withBody(a.private(huma.Operation{
		OperationID:   "create-session",
		Method:        http.MethodPost,
		Path:          Prefix + "/sessions",
		Summary:       "Record a guided session",
		Description:   "Keeps a guided session: pain before and after, and each exercise's outcome. The dose of later plans steps from these.",
		Tags:          []string{"Sessions"},
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusNotFound},
	}), sessionBody{}, "The session."), a.createSession)

	register(a, a.private(huma.Operation{
		OperationID: "list-sessions",
		Method:      http.MethodGet,
		Path:        Prefix + "/sessions",
		Summary:     "List the guided sessions",
		Description: "The person's sessions, newest first (by start), a page at a time.",
		Tags:        []string{"Sessions"},
		Errors:      []int{http.StatusBadRequest},
	}), a.listSessions)

	register(a, a.private(huma.Operation{
		OperationID: "get-session",
		Method:      http.MethodGet,
		Path:        Prefix + "/sessions/{id}",
		Summary:     "Get one guided session",
		Tags:        []string{"Sessions"},
		Errors:      []int{http.StatusNotFound},
	}), a.getSession)

	register(a, a.private(huma.Operation{
		OperationID: "delete-session",
		Method:      http.MethodDelete,
		Path:        Prefix + "/sessions/{id}",
		Summary:     "Delete a guided session",
		Tags:        []string{"Sessions"},
		Errors:      []int{http.StatusNotFound},
	}), a.deleteSession)
}

func (a *API) createSession(ctx context.Context, in *createSessionInput) (*createdOutput[backcoach.Session], error) {
	var body sessionBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	me := actor(ctx)
	s := backcoach.Session{
		PlanID:          body.PlanID,
		StartedAt:       a.now(),
		DurationSeconds: body.DurationSeconds,
		PainBefore:      body.PainBefore,
		PainAfter:       body.PainAfter,
		Exercises:       make([]backcoach.ExerciseOutcome, len(body.Exercises)),
	}
	if body.StartedAt != nil {
		s.StartedAt = *body.StartedAt
	}
	for i, e := range body.Exercises {
		if _, err := a.catalog.Get(e.ExerciseID); err != nil {
			return nil, inBody(backcoach.Invalid(fieldIndex("exercises", i)+".exercise_id",
				"%q is not an exercise of the catalog; GET %s/exercises lists them", clip(e.ExerciseID), Prefix))
		}
		s.Exercises[i] = backcoach.ExerciseOutcome{ExerciseID: e.ExerciseID, Outcome: e.Outcome, Reason: e.Reason, Seconds: e.Seconds}
	}
	if body.PlanID != "" {
		if err := backcoach.CheckID("plan_id", body.PlanID); err != nil {
			return nil, inBody(err)
		}
	}
	rec := &coach.SessionRecord{Session: s, LevelGiven: body.Level != nil}
	if body.Level != nil {
		rec.Session.Level = *body.Level
	}
	if body.StopFlags != nil {
		rec.StopSigns = make([]string, len(body.StopFlags))
		for i, f := range body.StopFlags {
			rec.StopSigns[i] = string(f)
		}
	}
	saved, err := a.coach.RecordSession(ctx, me, rec, backcoach.ViaAPI)
	if err != nil {
		if be := (*backcoach.Error)(nil); errors.As(err, &be) && be.Field == "flags" {
			return nil, inBody(backcoach.PrefixField("stop", err))
		}
		return nil, inBody(err)
	}
	s = *saved
	return &createdOutput[backcoach.Session]{Location: Prefix + "/sessions/" + s.ID, Body: &s}, nil
}

func (a *API) listSessions(ctx context.Context, in *listSessionsInput) (*pageOutput[backcoach.Session], error) {
	req, err := in.parse()
	if err != nil {
		return nil, err
	}
	me := actor(ctx)
	page, err := listPage(ctx, req, backcoach.Filter{}, func(ctx context.Context, f backcoach.Filter) ([]backcoach.Session, error) {
		return a.store.Sessions(ctx, me, f)
	}, func(s *backcoach.Session) position { return position{s.StartedAt, s.ID} })
	if err != nil {
		return nil, err
	}
	return &pageOutput[backcoach.Session]{Body: page}, nil
}

func (a *API) getSession(ctx context.Context, in *sessionIDInput) (*recordOutput[backcoach.Session], error) {
	s, err := a.store.Session(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.Session]{Body: s}, nil
}

func (a *API) deleteSession(ctx context.Context, in *sessionIDInput) (*struct{}, error) {
	if err := a.store.DeleteSession(ctx, actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
