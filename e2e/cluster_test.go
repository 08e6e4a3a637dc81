package e2e

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach/internal/testenv"
)

// TestTwoServersOneDatabase runs two `backcoach serve` processes on one
// PostgreSQL database, as a load balancer would have them, and moves a
// signed-in person between them: signed in on one, they use the other
// (Today, a check-in), sign out on the other, and the first then refuses
// their cookie. Wrong passwords sent to both count against one limit.
func TestTwoServersOneDatabase(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresDB(t)
	a := startServerOn(t, dsn)
	b := startServerOn(t, dsn)
	v := &visitor{t: t, client: &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	const password = "a long enough password"

	v.expect(a, "POST", "/signup", url.Values{"handle": {"ann"}, "name": {"Ann"}, "password": {password},
		"confirm": {password}, "time_zone": {"Europe/London"}}, http.StatusSeeOther)
	v.expect(a, "POST", "/signout", nil, http.StatusSeeOther)
	v.cookie = nil
	v.expect(a, "POST", "/signin", url.Values{"handle": {"ann"}, "password": {password}}, http.StatusSeeOther)
	if v.cookie == nil {
		t.Fatal("signing in on the first server set no session cookie")
	}
	signedIn := v.cookie

	// The second server knows the session: Today shows the person.
	if body := v.expect(b, "GET", "/", nil, http.StatusOK); !strings.Contains(body, "Sign out (ann)") {
		t.Fatalf("the second server's Today page does not show ann signed in:\n%s", clip(body))
	}
	v.expect(b, "POST", "/diary", url.Values{"pain": {"4"}, "note": {"checked in on the second server"}}, http.StatusOK)
	if body := v.expect(a, "GET", "/diary", nil, http.StatusOK); !strings.Contains(body, "checked in on the second server") {
		t.Fatalf("the first server's diary lacks the check-in made on the second:\n%s", clip(body))
	}

	// Signed out on the second server, the first refuses the cookie.
	v.expect(b, "POST", "/signout", nil, http.StatusSeeOther)
	v.cookie = signedIn
	v.expect(a, "GET", "/diary", nil, http.StatusUnauthorized)
	if body := v.expect(a, "GET", "/", nil, http.StatusOK); strings.Contains(body, "Sign out (ann)") {
		t.Fatal("the first server still shows ann signed in with the cookie signed out on the second")
	}

	// Five wrong passwords, split between the servers, use up the limit
	// of one account from one address: the sixth is refused, although
	// neither server saw more than three.
	v.cookie = nil
	for i := range 5 {
		srv := []*server{a, b}[i%2]
		v.expect(srv, "POST", "/signin", url.Values{"handle": {"ann"}, "password": {"wrong password " + string(rune('a'+i))}}, http.StatusUnauthorized)
	}
	resp := v.do(b, "POST", "/signin", url.Values{"handle": {"ann"}, "password": {password}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("the sixth attempt, the third on the second server: %s (Retry-After %q), want 429 with Retry-After", resp.Status, resp.Header.Get("Retry-After"))
	}
}

// visitor is a browser without JavaScript: it keeps the session cookie
// itself, so that the test can send it where it likes.
type visitor struct {
	t      *testing.T
	client *http.Client
	cookie *http.Cookie
}

// do sends a request to srv with the session cookie and keeps the cookie
// the answer sets (or forgets it when the answer clears it).
func (v *visitor) do(srv *server, method, path string, form url.Values) *http.Response {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		v.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if v.cookie != nil {
		req.AddCookie(v.cookie)
	}
	resp, err := v.client.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s%s: %v", method, srv.URL, path, err)
	}
	for _, c := range resp.Cookies() {
		if c.Name != "backcoach_session" {
			continue
		}
		if c.Value == "" || c.MaxAge < 0 {
			v.cookie = nil
		} else {
			v.cookie = &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	return resp
}

// expect sends a request, checks its status and returns the page.
func (v *visitor) expect(srv *server, method, path string, form url.Values, status int) string {
	v.t.Helper()
	resp := v.do(srv, method, path, form)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		v.t.Fatal(err)
	}
	if resp.StatusCode != status {
		v.t.Fatalf("%s %s%s: %s, want %d:\n%s", method, srv.URL, path, resp.Status, status, clip(string(b)))
	}
	return string(b)
}

// clip shortens a page for a failure message.
func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
