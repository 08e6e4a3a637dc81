package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/ical"
)

var feedURLPattern = regexp.MustCompile(`value="(http://[^"]+/calendar/(bcf_[A-Za-z0-9_-]+)\.ics)"`)

// makeFeed makes a calendar feed in Settings and returns its address and
// secret.
func makeFeed(t *testing.T, b *browser, form url.Values) (string, string) {
	t.Helper()
	r := b.post("/settings/calendar", form)
	wantStatus(t, r, http.StatusCreated)
	m := feedURLPattern.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the new feed's address is not shown:\n%s", r.body)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the secret address is cached: %q", r.Header.Get("Cache-Control"))
	}
	mustContain(t, "the new feed", r.body, `href="webcal://`+strings.TrimPrefix(m[1], "http://")+`"`, `data-copy="feed-url"`, "calendar.js")
	return m[1], m[2]
}

// fetchFeed reads a feed as a calendar app does: no cookie.
func fetchFeed(t *testing.T, address string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(body)
}

// TestCalendarFeedFromSettings makes a feed in Settings, reads it as a
// calendar app would, and checks what it holds, who can reach it, and
// that revoking and replacing end the old address at once.
func TestCalendarFeedFromSettings(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	ann := app.signup(t, "ann")
	me := app.person(t, "ann")
	ctx := context.Background()

	page := ann.get("/settings/calendar")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, "the calendar page", page.body, "You have no calendar feed", `name="session_time" type="time" value="08:00"`,
		`name="check_in_time" type="time" value="20:00"`, `name="password" type="password"`)
	mustContain(t, "the settings page", ann.get("/settings").body, `href="/settings/calendar"`)
	for _, c := range []struct {
		name  string
		form  url.Values
		error string
	}{
		{"no password", url.Values{"session_time": {"08:00"}, "check_in_time": {"20:00"}}, "is not your current password"},
		{"a bad time", url.Values{"session_time": {"25:00"}, "check_in_time": {"20:00"}, "password": {testPassword}}, "must be a time of day written HH:MM"},
		{"no time", url.Values{"session_time": {"08:00"}, "password": {testPassword}}, "must be a time of day written HH:MM"},
	} {
		r := ann.post("/settings/calendar", c.form)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, c.error) || feedURLPattern.MatchString(r.body) {
			t.Errorf("%s: the page does not say %q, or shows an address", c.name, c.error)
		}
	}
	if _, err := app.st.CalendarFeed(ctx, me.ID); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Fatalf("a feed was made by a refused form: %v", err)
	}

	// Made, and read with no cookie: text/calendar that parses strictly.
	if _, err := coach.New(app.st, app.cat, app.clock.Now).Assess(ctx, me.ID, &backcoach.Answers{Age: 40, PainNow: 3, Weeks: 1,
		Trend: backcoach.TrendBetter, ClinicianAssessed: true, Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{}}, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	address, secret := makeFeed(t, ann, url.Values{"session_time": {"07:15"}, "check_in_time": {"21:30"}, "password": {testPassword}})
	status, h, body := fetchFeed(t, address)
	if status != http.StatusOK || h.Get("Content-Type") != "text/calendar; charset=utf-8" || h.Get("Cache-Control") != "no-store" || h.Get("Set-Cookie") != "" {
		t.Fatalf("the feed: %d, %q, %q, cookie %q", status, h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("Set-Cookie"))
	}
	root, err := ical.Parse([]byte(body))
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if root.Text("X-WR-CALNAME") != "backcoach" || root.Prop("METHOD").Value != "PUBLISH" {
		t.Errorf("calendar properties %+v", root.Props)
	}
	sessions, checkIns := 0, 0
	for _, ev := range root.Children("VEVENT") {
		switch u := ev.Prop("URL").Value; u {
		case app.ts.URL + "/plan":
			sessions++
			if !strings.HasSuffix(ev.Prop("DTSTART").Value, "T071500Z") {
				t.Errorf("a session at %s, want 07:15 (the profile's zone is UTC)", ev.Prop("DTSTART").Value)
			}
		case app.ts.URL + "/diary":
			checkIns++
			if !strings.HasSuffix(ev.Prop("DTSTART").Value, "T213000Z") {
				t.Errorf("a check-in at %s, want 21:30", ev.Prop("DTSTART").Value)
			}
		default:
			t.Errorf("an event links to %q", u)
		}
	}
	if days := coach.CalendarDays; sessions != days || checkIns != days {
		t.Errorf("%d sessions and %d check-ins, want %d of each (nothing kept in the week gone)", sessions, checkIns, days)
	}
	// Calendar apps refresh often: the feed is sent compressed to those
	// that take it.
	req, _ := http.NewRequest(http.MethodGet, address, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zipped, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" || len(zipped)*4 > len(body) {
		t.Errorf("the feed is sent as %q in %d bytes for %d", res.Header.Get("Content-Encoding"), len(zipped), len(body))
	}
	if strings.Contains(body, me.ID) || strings.Contains(body, secret) {
		t.Error("the feed names the person's id or its own secret")
	}
	mustContain(t, "the calendar page after a read", ann.get("/settings/calendar").body, "Made on", "last read by a calendar app on",
		"Sessions at 07:15, check-ins at 21:30", "Revoke the feed", "Make a new address")

	// Nobody else reaches it, and near misses are not feeds.
	nobody := app.browser(t)
	wantStatus(t, nobody.get("/settings/calendar"), http.StatusUnauthorized)
	for _, p := range []string{"/settings/calendar", "/settings/calendar/revoke"} {
		wantStatus(t, nobody.post(p, url.Values{"session_time": {"08:00"}, "check_in_time": {"20:00"}, "password": {testPassword}}), http.StatusUnauthorized)
	}
	bob := app.signup(t, "bob")
	wantStatus(t, bob.post("/settings/calendar/revoke", nil), http.StatusNotFound)
	mustContain(t, "Bob's calendar page", bob.get("/settings/calendar").body, "You have no calendar feed")
	flipped := []byte(secret)
	flipped[10] ^= 1
	for _, p := range []string{"/calendar/" + string(flipped) + ".ics", "/calendar/" + secret, "/calendar/" + secret + ".ics.ics",
		"/calendar/.ics", "/calendar/bc_" + secret[4:] + ".ics"} {
		if status, h, _ := fetchFeed(t, app.ts.URL+p); status != http.StatusNotFound || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
			t.Errorf("%s: %d %s, want a plain 404", p, status, h.Get("Content-Type"))
		}
	}
	if status, _, _ := fetchFeed(t, address); status != http.StatusOK {
		t.Errorf("after Bob's tries Ann's feed is %d", status)
	}

	// A new address replaces the old one at once; revoking ends it.
	address2, _ := makeFeed(t, ann, url.Values{"session_time": {"08:00"}, "check_in_time": {"20:00"}, "password": {testPassword}})
	if status, _, _ := fetchFeed(t, address); status != http.StatusNotFound {
		t.Errorf("the replaced address answers %d, want 404", status)
	}
	if status, _, _ := fetchFeed(t, address2); status != http.StatusOK {
		t.Errorf("the new address answers %d", status)
	}
	r := ann.post("/settings/calendar/revoke", nil)
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, "after revoking", ann.follow(r).body, "The calendar feed is revoked", "You have no calendar feed")
	if status, _, _ := fetchFeed(t, address2); status != http.StatusNotFound {
		t.Errorf("the revoked address answers %d, want 404", status)
	}
}

// TestCalendarFeedSingleUser makes a feed on a personal install, which
// has no password to type.
func TestCalendarFeedSingleUser(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{singleUser: true})
	b := app.browser(t)
	page := b.get("/settings/calendar")
	wantStatus(t, page, http.StatusOK)
	if strings.Contains(page.body, `name="password"`) {
		t.Error("a personal install asks for a password")
	}
	address, _ := makeFeed(t, b, url.Values{"session_time": {"09:00"}, "check_in_time": {"19:00"}})
	status, _, body := fetchFeed(t, address)
	if status != http.StatusOK || !strings.Contains(body, "T190000Z") {
		t.Errorf("the feed: %d, a check-in at 19:00 in London in winter: %v", status, strings.Contains(body, "T190000Z"))
	}
}

// TestCalendarFeedLimitsAndLogs checks that a feed's address is fetched
// at most a few times a minute and that its secret never reaches the
// access log.
func TestCalendarFeedLimitsAndLogs(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	ann := app.signup(t, "ann")
	address, secret := makeFeed(t, ann, url.Values{"session_time": {"08:00"}, "check_in_time": {"20:00"}, "password": {testPassword}})
	for i := range feedSecretBurst {
		if status, _, _ := fetchFeed(t, address); status != http.StatusOK {
			t.Fatalf("fetch %d: %d", i+1, status)
		}
	}
	res, err := http.Get(address)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("fetch %d: %d, Retry-After %q; want 429 saying when", feedSecretBurst+1, res.StatusCode, res.Header.Get("Retry-After"))
	}
	app.clock.Advance(feedSecretEvery)
	if status, _, _ := fetchFeed(t, address); status != http.StatusOK {
		t.Errorf("after waiting: %d", status)
	}

	// The access log (written before ServeHTTP returns) leaves the
	// secret out, for a feed and for a miss alike.
	var buf syncBuffer
	app.srv.log = slog.New(slog.NewTextHandler(&buf, nil))
	app.clock.Advance(time.Hour)
	for _, p := range []string{"/calendar/" + secret + ".ics", "/calendar/bcf_nothing.ics", "/calendar/" + secret} {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.Host = strings.TrimPrefix(app.ts.URL, "http://")
		app.srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	logged := buf.String()
	if strings.Contains(logged, secret) || strings.Contains(logged, "bcf_nothing") || strings.Count(logged, "path=/calendar/[secret]") != 3 {
		t.Errorf("the access log shows a feed's secret, or not the redacted path:\n%s", logged)
	}
}

// syncBuffer is a buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
