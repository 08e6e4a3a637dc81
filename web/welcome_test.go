package web

import (
	"html"
	"net/http"
	"net/url"
	"testing"
)

// A new account reads three screens of introduction, each leading on,
// the last into the safety check, every one with a way to skip to it.
func TestOnboardingAfterSignup(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.browser(t)
	r := b.post("/signup", url.Values{"handle": {"nova"}, "password": {testPassword}, "confirm": {testPassword}, "time_zone": {"Europe/London"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/start" {
		t.Fatalf("sign-up: status %d to %q, want 303 to /start", r.StatusCode, r.Header.Get("Location"))
	}
	wants := []string{"First, a short safety check", "Then a short routine that fits you", "Every day: a diary and short breaks"}
	next := []string{`href="/start?step=2"`, `href="/start?step=3"`, `class="button primary big" href="/assess"`}
	for i, want := range wants {
		page := b.get("/start?step=" + string(rune('1'+i)))
		wantStatus(t, page, http.StatusOK)
		body := html.UnescapeString(page.body)
		mustContain(t, want, body, want, next[i], "<svg role=\"img\"")
		if i < 2 {
			mustContain(t, want, body, `skip-intro" href="/assess"`)
		}
	}
	wantStatus(t, b.get("/start?step=4"), http.StatusBadRequest)
	if r := app.browser(t).get("/start"); r.StatusCode == http.StatusOK {
		t.Error("the introduction is shown without signing in")
	}
}

// The landing page shows pictures and a real sample plan card.
func TestWelcomeShowsPictures(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	page := app.browser(t).get("/")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, "the landing page", page.body, `class="how-sample"`, `class="card exercise-card"`, "<title>The upper back", "<title>A sample diary", `href="/learn"`)
}
