// Package httpstatus maps the domain's error codes to HTTP statuses: the
// one place where the server decides this, below both the API's problem
// documents and the web app's error pages.
package httpstatus

import (
	"net/http"

	"github.com/backcoach/backcoach"
)

// Of maps a domain error code to its HTTP status.
func Of(code string) int {
	switch code {
	case backcoach.EINVALID:
		return http.StatusBadRequest
	case backcoach.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case backcoach.EFORBIDDEN:
		return http.StatusForbidden
	case backcoach.ENOTFOUND:
		return http.StatusNotFound
	case backcoach.ECONFLICT:
		return http.StatusConflict
	case backcoach.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// RetryAfterSeconds is the Retry-After of a 503: how long a client waits
// before trying again while the database does not answer.
const RetryAfterSeconds = "5"
