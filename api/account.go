package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
)

// profileBody is the whole profile as a client sets it; what is left out
// is emptied.
type profileBody struct {
	TimeZone          string                `json:"time_zone" doc:"An IANA time zone name such as Europe/London or UTC; times are shown and days counted in it."`
	Conditions        []backcoach.Condition `json:"conditions,omitempty" doc:"Standing conditions that change the exercise choice."`
	Places            []backcoach.Place     `json:"places,omitempty" doc:"Where the person exercises; empty when not said yet."`
	Equipment         []backcoach.Equipment `json:"equipment,omitempty" doc:"What the person has to exercise with."`
	Minutes           int                   `json:"minutes,omitempty" minimum:"0" maximum:"60" doc:"The usual routine length in minutes; 0 for the default."`
	ClinicianAssessed bool                  `json:"clinician_assessed,omitempty" doc:"A doctor or physiotherapist has checked this pain."`
}

type putProfileInput struct {
	RawBody []byte
}

// tokenBody names a new personal access token.
type tokenBody struct {
	Name string `json:"name" maxLength:"100" doc:"What the token is for, such as \"my phone's shortcut\"."`
}

type createTokenInput struct {
	RawBody []byte
}

// NewToken is a personal access token just made, with its secret: the
// only time the secret is shown.
type NewToken struct {
	backcoach.AccessToken
	Secret string `json:"secret" doc:"The token itself, to send as Authorization: Bearer <secret>. It is shown only now."`
}

type tokenIDInput struct {
	ID string `path:"id" doc:"The token's id."`
}

func (a *API) registerAccount() {
	register(a, a.private(huma.Operation{
		OperationID: "get-me",
		Method:      http.MethodGet,
		Path:        Prefix + "/me",
		Summary:     "Get the signed-in account",
		Tags:        []string{"Account"},
	}), a.getMe)

	register(a, a.private(huma.Operation{
		OperationID: "get-profile",
		Method:      http.MethodGet,
		Path:        Prefix + "/profile",
		Summary:     "Get the profile",
		Description: "Standing conditions, where and with what the person exercises, and their time zone. Defaults when none was saved.",
		Tags:        []string{"Account"},
	}), a.getProfile)

	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "put-profile",
		Method:      http.MethodPut,
		Path:        Prefix + "/profile",
		Summary:     "Replace the profile",
		Tags:        []string{"Account"},
	}), profileBody{}, "The whole profile."), a.putProfile)

	register(a, a.private(huma.Operation{
		OperationID: "list-tokens",
		Method:      http.MethodGet,
		Path:        Prefix + "/tokens",
		Summary:     "List the personal access tokens",
		Description: "Every token of the person, newest first, in one page (next_cursor is always null). Secrets are never shown again.",
		Tags:        []string{"Account"},
	}), a.listTokens)

	register(a, a.withBody(a.private(huma.Operation{
		OperationID:   "create-token",
		Method:        http.MethodPost,
		Path:          Prefix + "/tokens",
		Summary:       "Make a personal access token",
		Description:   "Makes a token for scripts. The answer carries the secret, once; only its hash is kept.",
		Tags:          []string{"Account"},
		DefaultStatus: http.StatusCreated,
	}), tokenBody{}, "The token's name."), a.createToken)

	register(a, a.private(huma.Operation{
		OperationID: "revoke-token",
		Method:      http.MethodDelete,
		Path:        Prefix + "/tokens/{id}",
		Summary:     "Revoke a personal access token",
		Tags:        []string{"Account"},
		Errors:      []int{http.StatusNotFound},
	}), a.revokeToken)

	register(a, a.private(huma.Operation{
		OperationID: "export",
		Method:      http.MethodGet,
		Path:        Prefix + "/export",
		Summary:     "Export everything",
		Description: "Everything the coach keeps about the person, as one document (the export format), oldest first.",
		Tags:        []string{"Account"},
	}), a.export)
}

func (a *API) getMe(ctx context.Context, _ *struct{}) (*recordOutput[backcoach.Person], error) {
	p, err := a.store.Person(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.Person]{Body: p}, nil
}

func (a *API) getProfile(ctx context.Context, _ *struct{}) (*recordOutput[backcoach.Profile], error) {
	p, err := a.store.Profile(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.Profile]{Body: p}, nil
}

func (a *API) putProfile(ctx context.Context, in *putProfileInput) (*recordOutput[backcoach.Profile], error) {
	var body profileBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	me := actor(ctx)
	p := backcoach.Profile{
		TimeZone:          body.TimeZone,
		Conditions:        nonNil(body.Conditions),
		Places:            nonNil(body.Places),
		Equipment:         nonNil(body.Equipment),
		Minutes:           body.Minutes,
		ClinicianAssessed: body.ClinicianAssessed,
	}
	if err := a.store.SaveProfile(ctx, me, &p); err != nil {
		return nil, inBody(err)
	}
	if err := a.breaks.Reload(ctx, me); err != nil {
		return nil, err
	}
	saved, err := a.store.Profile(ctx, me)
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.Profile]{Body: saved}, nil
}

func (a *API) listTokens(ctx context.Context, _ *struct{}) (*pageOutput[backcoach.AccessToken], error) {
	list, err := a.store.AccessTokens(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &pageOutput[backcoach.AccessToken]{Body: &Page[backcoach.AccessToken]{Items: nonNil(list)}}, nil
}

func (a *API) createToken(ctx context.Context, in *createTokenInput) (*recordOutput[NewToken], error) {
	var body tokenBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	secret, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		return nil, err
	}
	t := backcoach.AccessToken{Name: body.Name, Hash: hash}
	if err := a.store.CreateAccessToken(ctx, actor(ctx), &t); err != nil {
		return nil, inBody(err)
	}
	return &recordOutput[NewToken]{Body: &NewToken{AccessToken: t, Secret: secret}}, nil
}

func (a *API) revokeToken(ctx context.Context, in *tokenIDInput) (*struct{}, error) {
	if err := a.store.RevokeAccessToken(ctx, actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (a *API) export(ctx context.Context, _ *struct{}) (*recordOutput[backcoach.Export], error) {
	x, err := a.store.Export(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.Export]{Body: x}, nil
}

// nonNil returns list, or an empty list for nil, so that it is written as
// [] and not null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
