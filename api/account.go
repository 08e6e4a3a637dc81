package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
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
		Description: "Every token of the person, newest first, in one page (next_cursor is always null), with its scope and expiry; a token whose expires_at has passed no longer signs in. Secrets are never shown again.",
		Tags:        []string{"Account"},
	}), a.listTokens)

	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "create-token",
		Method:      http.MethodPost,
		Path:        Prefix + "/tokens",
		Summary:     "Make a personal access token (refused: use Settings)",
		Description: "Always refused with 403. A token is made only in the web app's Settings, by a person signed in with a browser who types their password again, so that a token (or a stolen session alone) can never make tokens. Tokens expire (after 7, 30, 90 or 365 days; 90 unless chosen), are read-only or read-and-write, and are all revoked when the password changes.",
		Tags:        []string{"Account"},
		Deprecated:  true,
		Errors:      []int{http.StatusForbidden},
	}), tokenBody{}, "The token's name."), a.createToken)

	register(a, a.private(huma.Operation{
		OperationID: "revoke-token",
		Method:      http.MethodDelete,
		Path:        Prefix + "/tokens/{id}",
		Summary:     "Revoke a personal access token",
		Tags:        []string{"Account"},
		Errors:      []int{http.StatusNotFound},
	}), a.revokeToken)

	a.registerSharing()
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

// errTokenFromAPI is the answer to every attempt to make a token through
// the API.
var errTokenFromAPI = backcoach.Errorf(backcoach.EFORBIDDEN,
	"access tokens are made only in the web app's Settings, signed in with a browser and typing your password again; a token cannot make tokens")

func (a *API) createToken(context.Context, *createTokenInput) (*struct{}, error) {
	return nil, errTokenFromAPI
}

func (a *API) revokeToken(ctx context.Context, in *tokenIDInput) (*struct{}, error) {
	if err := a.store.RevokeAccessToken(ctx, actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// nonNil returns list, or an empty list for nil, so that it is written as
// [] and not null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
