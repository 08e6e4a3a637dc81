package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// TestTransportSecurity checks HSTS and the __Host- session cookie over
// TLS (behind a trusted proxy that says https), and neither over plain
// HTTP or from an untrusted X-Forwarded-Proto.
func TestTransportSecurity(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{trustProxy: true})
	send := func(method, path, cookie, proto string, form url.Values) *http.Response {
		t.Helper()
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req, _ := http.NewRequest(method, app.ts.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	signup := url.Values{"handle": {"tls"}, "password": {testPassword}, "confirm": {testPassword}}
	res := send("POST", "/signup", "", "https", signup)
	set := res.Header.Get("Set-Cookie")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(set, hostCookie+"=") || !strings.Contains(set, "; Secure") || !strings.Contains(set, "Path=/") || strings.Contains(set, "Domain") {
		t.Fatalf("sign-up over https: %d, cookie %q; want a __Host- cookie", res.StatusCode, set)
	}
	if got := res.Header.Get("Strict-Transport-Security"); got != hstsHeader {
		t.Errorf("HSTS over https: %q, want %q", got, hstsHeader)
	}
	value := strings.TrimPrefix(strings.SplitN(set, ";", 2)[0], hostCookie+"=")

	res = send("GET", "/settings", hostCookie+"="+value, "https", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("settings with the __Host- cookie: %d, Cache-Control %q; want 200, no-store", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if res := send("GET", "/settings", sessionCookie+"="+value, "https", nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the plain cookie name over https: %d, want 401 (only the __Host- one counts)", res.StatusCode)
	}
	res = send("GET", "/", "", "", nil)
	if got := res.Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS over plain HTTP: %q", got)
	}

	// Without --trust-proxy the header proves nothing.
	plain := newApp(t, options{})
	req, _ := http.NewRequest("POST", plain.ts.URL+"/signup", strings.NewReader(url.Values{"handle": {"pl"}, "password": {testPassword}, "confirm": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Strict-Transport-Security") != "" || !strings.HasPrefix(res.Header.Get("Set-Cookie"), sessionCookie+"=") {
		t.Errorf("an untrusted X-Forwarded-Proto: HSTS %q, cookie %q", res.Header.Get("Strict-Transport-Security"), res.Header.Get("Set-Cookie"))
	}
}

// TestHealthPagesAreNotStored checks that a person's pages ask every cache
// to keep nothing.
func TestHealthPagesAreNotStored(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "nos")
	for _, path := range []string{"/diary", "/settings", "/assessments", "/"} {
		if r := b.get(path); r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, r.Header.Get("Cache-Control"))
		}
	}
}

// testMetricsToken is the metrics token of the test apps.
const testMetricsToken = "metrics-token-of-the-tests"

// metrics reads /metrics with the metrics token.
func (a *testApp) metrics(t testing.TB) response {
	t.Helper()
	b := a.browser(t)
	b.header.Set("Authorization", "Bearer "+testMetricsToken)
	return b.get("/metrics")
}

// TestMetricsAreNotPublic checks that /metrics on the app's address needs
// the metrics token, is not served there without one configured, and is
// served on its own handler.
func TestMetricsAreNotPublic(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	anon := app.browser(t)
	if r := anon.get("/metrics"); r.StatusCode != http.StatusUnauthorized || strings.Contains(r.body, "http_requests_total") {
		t.Errorf("/metrics without the token: %d", r.StatusCode)
	}
	wrong := app.browser(t)
	wrong.header.Set("Authorization", "Bearer not-the-token")
	if r := wrong.get("/metrics"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d", r.StatusCode)
	}
	if r := app.metrics(t); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "http_requests_total") {
		t.Errorf("/metrics with the token: %d", r.StatusCode)
	}

	// Without a token configured: not on the app's address at all, only
	// on the separate handler.
	srv, err := New(Config{Store: app.st, Sessions: app.st.SessionStore(PersonKey), Catalog: app.cat})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("/metrics with no token configured: %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "backcoach_build_info") {
		t.Errorf("the metrics handler: %d", rec.Code)
	}
}

// TestOutageIs503 checks that an unavailable database is a 503 with
// Retry-After, on a page and for a script, not a 500.
func TestOutageIs503(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	down := backcoach.Errorf(backcoach.EUNAVAILABLE, "read the diary: the database does not answer")
	for _, accept := range []string{"text/html", "application/json"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/diary", nil)
		req.Header.Set("Accept", accept)
		app.srv.fail(rec, req, down)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: %d, Retry-After %q; want 503 with Retry-After", accept, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
}
