package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/httpstatus"
)

// Problems are RFC 9457 documents (huma.ErrorModel): type, title, status,
// detail, and for invalid input an errors list whose location names the
// field, such as "body.pain_now", "query.limit" or "body.peg.pain".

// newProblem returns a problem document without field details.
func newProblem(status int, detail string) *huma.ErrorModel {
	return &huma.ErrorModel{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// located says where in the request an error's field is: "body", "query"
// or "path".
type located struct {
	in  string
	err error
}

func (e *located) Error() string { return e.err.Error() }
func (e *located) Unwrap() error { return e.err }

// inBody, inQuery and inPath mark an error as being about a field of the
// request body, a query parameter or a path parameter.
func inBody(err error) error  { return locate("body", err) }
func inQuery(err error) error { return locate("query", err) }
func inPath(err error) error  { return locate("path", err) }

func locate(in string, err error) error {
	if err == nil {
		return nil
	}
	return &located{in: in, err: err}
}

// problem turns any error into the problem document sent for it. Internal
// faults are logged with their details and answered with a generic line.
func (a *API) problem(ctx context.Context, err error) *huma.ErrorModel {
	var hp *huma.ErrorModel
	if errors.As(err, &hp) {
		return hp
	}
	var refused *coach.RefusalError
	if errors.As(err, &refused) {
		return refusalProblem(refused.Refusal)
	}
	code := backcoach.ErrorCode(err)
	status := httpstatus.Of(code)
	if status == http.StatusServiceUnavailable {
		a.log.WarnContext(ctx, "api: the database does not answer", "err", err)
		return newProblem(status, "the database does not answer for now; try again in a moment")
	}
	if status == http.StatusInternalServerError {
		a.log.ErrorContext(ctx, "api: internal error", "err", err)
		return newProblem(status, backcoach.ErrorMessage(err))
	}
	p := newProblem(status, backcoach.ErrorMessage(err))
	var be *backcoach.Error
	if errors.As(err, &be) && be.Field != "" {
		in := "body"
		var l *located
		if errors.As(err, &l) {
			in = l.in
		}
		p.Errors = []*huma.ErrorDetail{{Message: be.Message, Location: in + "." + be.Field}}
	}
	return p
}

// refusalProblem is the problem document of a refusal: 403, with an error
// per standing sign located at safety.<sign id>, saying what was answered,
// when and where.
func refusalProblem(r *coach.Refusal) *huma.ErrorModel {
	p := newProblem(http.StatusForbidden, (&coach.RefusalError{Refusal: r}).Error())
	p.Title = "Exercise is not allowed: " + r.Title
	for _, s := range r.Signs {
		p.Errors = append(p.Errors, &huma.ErrorDetail{
			Message:  fmt.Sprintf("%s (%s), answered yes at %s on %s", s.Words, s.Urgency, s.Where, s.When),
			Location: "safety." + s.ID, Value: s.ID,
		})
	}
	return p
}

// withRetryAfter gives a 503 problem its Retry-After header.
func withRetryAfter(p *huma.ErrorModel) error {
	if p.Status != http.StatusServiceUnavailable {
		return p
	}
	return huma.ErrorWithHeaders(p, http.Header{"Retry-After": {httpstatus.RetryAfterSeconds}})
}

// writeProblem writes a problem document outside huma's operations (the
// fallback route, the sign-in check, cross-origin refusals, panics).
func writeProblem(w http.ResponseWriter, p *huma.ErrorModel) {
	if p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", httpstatus.RetryAfterSeconds)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}
