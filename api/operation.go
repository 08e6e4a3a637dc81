package api

import (
	"context"
	"net/http"
	"reflect"
	"slices"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/backcoach/backcoach"
)

// register adds an operation to the API. Its handler's errors become
// problem documents through the one mapping of problem.go. Parameters are
// parsed by the handlers themselves (huma only finds them), so that every
// bad value is a 400 whose message says what is allowed.
func register[I, O any](a *API, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	op.SkipValidateParams = true
	huma.Register(a.huma, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, withRetryAfter(a.problem(ctx, err))
		}
		return out, nil
	})
}

// private makes an operation need a signed-in person, whose id the
// handler finds with actor(ctx).
func (a *API) private(op huma.Operation) huma.Operation {
	op.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
	op.Middlewares = append(op.Middlewares, a.signedIn)
	op.Errors = addStatus(op.Errors, http.StatusUnauthorized)
	if op.Method != http.MethodGet {
		// A browser's cross-site attempt to change data (crossOrigin).
		op.Errors = addStatus(op.Errors, http.StatusForbidden)
	}
	return op
}

// withBody documents the operation's JSON request body by the Go type of
// sample. Handlers read the raw body (a RawBody []byte input field) and
// decode it strictly themselves.
func (a *API) withBody(op huma.Operation, sample any, doc string) huma.Operation {
	s := a.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(sample), true, "")
	op.RequestBody = &huma.RequestBody{
		Description: doc,
		Required:    true,
		Content:     map[string]*huma.MediaType{"application/json": {Schema: s}},
	}
	op.SkipValidateBody = true
	op.MaxBodyBytes = MaxBodyBytes
	op.Errors = addStatus(op.Errors, http.StatusBadRequest, http.StatusRequestEntityTooLarge)
	return op
}

// addStatus adds error statuses to an operation's documented list once.
func addStatus(list []int, statuses ...int) []int {
	for _, s := range statuses {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	slices.Sort(list)
	return list
}

type personKey struct{}

// signedIn is the middleware of private operations: it asks Authenticate
// who the request acts for, and answers 401 when nobody is signed in.
func (a *API) signedIn(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	p, err := a.auth(r)
	if err == nil && p == nil {
		err = backcoach.Errorf(backcoach.EUNAUTHORIZED, "sign in first")
	}
	if err != nil {
		prob := a.problem(r.Context(), err)
		if prob.Status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="backcoach"`)
		}
		writeProblem(w, prob)
		return
	}
	ctx.SetHeader("Cache-Control", "no-store")
	next(huma.WithValue(ctx, personKey{}, p))
}

// actor returns the id of the person a private operation acts for.
func actor(ctx context.Context) string {
	return ctx.Value(personKey{}).(*backcoach.Person).ID
}

// recordOutput is the answer of an operation that returns one record.
type recordOutput[T any] struct {
	Body *T
}

// createdOutput is the answer of an operation that made a record.
type createdOutput[T any] struct {
	Location string `header:"Location" doc:"The new record's address."`
	Body     *T
}

// pageOutput is the answer of a list operation.
type pageOutput[T any] struct {
	Body *Page[T]
}
