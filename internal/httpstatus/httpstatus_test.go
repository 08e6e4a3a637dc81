package httpstatus

import (
	"net/http"
	"testing"

	"github.com/backcoach/backcoach"
)

func TestOf(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]int{
		backcoach.EINVALID: http.StatusBadRequest, backcoach.EUNAUTHORIZED: http.StatusUnauthorized,
		backcoach.EFORBIDDEN: http.StatusForbidden, backcoach.ENOTFOUND: http.StatusNotFound,
		backcoach.ECONFLICT: http.StatusConflict, backcoach.EUNAVAILABLE: http.StatusServiceUnavailable,
		backcoach.EINTERNAL: http.StatusInternalServerError, "": http.StatusInternalServerError,
	} {
		if got := Of(code); got != want {
			t.Errorf("Of(%q) = %d, want %d", code, got, want)
		}
	}
}
