package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
)

// The calendar feed: a script may see whether the person has one and
// revoke it. A feed is made only in the web app's Settings, with the
// password typed again, as an access token is: its address outlives any
// token or session, so neither may make one.

func (a *API) registerCalendar() {
	register(a, a.private(huma.Operation{
		OperationID: "get-calendar-feed",
		Method:      http.MethodGet,
		Path:        Prefix + "/calendar-feed",
		Summary:     "Get the calendar feed",
		Description: "The person's calendar feed: when it was made and last read by a calendar app, and the local times of its sessions and check-ins; 404 when there is none. Its secret address is shown only once, when it is made in the web app's Settings (Calendar feed).",
		Tags:        []string{"Account"},
		Errors:      []int{http.StatusNotFound},
	}), a.getCalendarFeed)
	register(a, a.private(huma.Operation{
		OperationID:   "revoke-calendar-feed",
		Method:        http.MethodDelete,
		Path:          Prefix + "/calendar-feed",
		Summary:       "Revoke the calendar feed",
		Description:   "Ends the calendar feed at once: its address answers 404 from now on. 404 when there is none.",
		Tags:          []string{"Account"},
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound},
	}), a.revokeCalendarFeed)
}

func (a *API) getCalendarFeed(ctx context.Context, _ *struct{}) (*recordOutput[backcoach.CalendarFeed], error) {
	f, err := a.store.CalendarFeed(ctx, actor(ctx))
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.CalendarFeed]{Body: f}, nil
}

func (a *API) revokeCalendarFeed(ctx context.Context, _ *struct{}) (*struct{}, error) {
	if err := a.store.RevokeCalendarFeed(ctx, actor(ctx)); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
