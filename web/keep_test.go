package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSignInAfterAnExpiredPost: a form sent after the sign-in ended asks
// to sign in again and comes back to the page it was sent from, when that
// page is this site's; otherwise to Today.
func TestSignInAfterAnExpiredPost(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.browser(t)
	for _, c := range []struct{ referer, next string }{
		{app.ts.URL + "/diary?days=7", "/diary?days=7"},
		{"https://elsewhere.example/diary", "/"},
		{"", "/"},
	} {
		req, _ := http.NewRequest(http.MethodPost, app.ts.URL+"/diary", strings.NewReader(url.Values{"pain": {"3"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.referer != "" {
			req.Header.Set("Referer", c.referer)
		}
		r := b.do(req)
		wantStatus(t, r, http.StatusUnauthorized)
		want := `name="next" value="` + c.next + `"`
		if !strings.Contains(r.body, want) {
			t.Errorf("sent from %q: the sign-in does not carry %s", c.referer, want)
		}
	}
}
