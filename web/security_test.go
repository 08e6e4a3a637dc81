package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/triage"
)

func TestHeadersOnEveryResponse(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "hal")
	anon := app.browser(t)
	paths := []struct {
		b    *browser
		path string
	}{
		{anon, "/"}, {anon, "/signin"}, {anon, "/signup"}, {anon, "/exercises"}, {anon, "/exercises/cat-cow"},
		{anon, "/static/app.css"}, {anon, "/sw.js"}, {anon, "/manifest.webmanifest"}, {anon, "/healthz"},
		{anon, "/readyz"}, {anon, "/metrics"}, {anon, "/no/such/page"}, {anon, "/plan"}, {anon, "/api/v1/exercises"},
		{b, "/"}, {b, "/plan"}, {b, "/diary"}, {b, "/settings"}, {b, "/assess"},
	}
	for _, p := range paths {
		r := p.b.get(p.path)
		h := r.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
			!strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "object-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", p.path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p.path, h)
		}
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") && !strings.Contains(r.body, triage.Disclaimer()) {
			t.Errorf("%s: the page lacks the disclaimer line", p.path)
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, " onclick=") || strings.Contains(r.body, " style=\"") {
			t.Errorf("%s: inline script or style in the page", p.path)
		}
	}
}

func TestCookies(t *testing.T) {
	app := newApp(t, options{trustProxy: true})
	b := app.browser(t)
	r := b.post("/signup", url.Values{"handle": {"cy"}, "password": {testPassword}, "confirm": {testPassword}})
	wantStatus(t, r, http.StatusSeeOther)
	c := r.Header.Get("Set-Cookie")
	if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || strings.Contains(c, "Secure") {
		t.Errorf("cookie over plain HTTP: %q", c)
	}
	// Behind a proxy that says https, the cookie is Secure.
	b2 := app.browser(t)
	b2.header.Set("X-Forwarded-Proto", "https")
	r = b2.post("/signup", url.Values{"handle": {"cz"}, "password": {testPassword}, "confirm": {testPassword}})
	wantStatus(t, r, http.StatusSeeOther)
	if c := r.Header.Get("Set-Cookie"); !strings.Contains(c, "; Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("cookie behind https: %q", c)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "eve")
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://attacker.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, app.ts.URL+"/diary", strings.NewReader("pain=5"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		r := b.do(req)
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, "the refusal", r.body, "sent from another site")
	}
	entries, _ := app.st.DiaryEntries(context.Background(), app.person(t, "eve").ID, backcoach.Filter{})
	if len(entries) != 0 {
		t.Errorf("a cross-origin post was kept: %+v", entries)
	}
	// The same form from the app itself goes through.
	req, _ := http.NewRequest(http.MethodPost, app.ts.URL+"/diary", strings.NewReader("pain=5"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	wantStatus(t, b.do(req), http.StatusOK)
}

func TestSessionRotatesAtSignInAndOut(t *testing.T) {
	app := newApp(t, options{})
	app.signup(t, "rob")
	b := app.browser(t)
	// An anonymous session exists before signing in (here: from signing
	// out); its token must be worthless afterwards.
	r := b.post("/signout", nil)
	wantStatus(t, r, http.StatusSeeOther)
	before := b.cookie()
	if before == "" {
		t.Fatal("no session cookie before signing in")
	}
	r = b.post("/signin", url.Values{"handle": {"rob"}, "password": {testPassword}, "next": {"/diary"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != "/diary" {
		t.Errorf("signed in to %q, want /diary", r.Header.Get("Location"))
	}
	after := b.cookie()
	if after == "" || after == before {
		t.Fatalf("the session cookie did not change at sign-in: %q -> %q", before, after)
	}
	wantStatus(t, b.get("/diary"), http.StatusOK)
	// The old token does not carry the sign-in.
	old := app.browser(t)
	u, _ := url.Parse(app.ts.URL)
	old.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: before}})
	wantStatus(t, old.get("/diary"), http.StatusUnauthorized)
	// Signing out changes it again and ends the sign-in.
	wantStatus(t, b.post("/signout", nil), http.StatusSeeOther)
	if b.cookie() == after {
		t.Error("the session cookie did not change at sign-out")
	}
	wantStatus(t, b.get("/diary"), http.StatusUnauthorized)
	thief := app.browser(t)
	thief.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: after}})
	wantStatus(t, thief.get("/diary"), http.StatusUnauthorized)
	// Open redirects are refused.
	r = b.post("/signin", url.Values{"handle": {"rob"}, "password": {testPassword}, "next": {"//attacker.example/x"}})
	if r.Header.Get("Location") != "/" {
		t.Errorf("signed in to %q, want /", r.Header.Get("Location"))
	}
}

func TestSigninFailsWithoutTellingWhy(t *testing.T) {
	app := newApp(t, options{})
	app.signup(t, "una")
	b := app.browser(t)
	wrong := b.post("/signin", url.Values{"handle": {"una"}, "password": {"not the password"}})
	unknown := b.post("/signin", url.Values{"handle": {"nobody"}, "password": {"not the password"}})
	wantStatus(t, wrong, http.StatusUnauthorized)
	wantStatus(t, unknown, http.StatusUnauthorized)
	mustContain(t, "a wrong password", wrong.body, "The handle or the password is wrong", `value="una"`)
	mustContain(t, "an unknown handle", unknown.body, "The handle or the password is wrong")
	// Sign-up errors name the field and keep what was typed.
	r := b.post("/signup", url.Values{"handle": {"una"}, "name": {"Una Two"}, "password": {testPassword}, "confirm": {testPassword}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "a taken handle", r.body, "is taken", `value="Una Two"`)
	r = b.post("/signup", url.Values{"handle": {"local"}, "password": {testPassword}, "confirm": {testPassword}})
	mustContain(t, "a reserved handle", r.body, "reserved")
	r = b.post("/signup", url.Values{"handle": {"vic"}, "password": {"short"}, "confirm": {"short"}})
	mustContain(t, "a short password", r.body, "at least 10 characters")
	r = b.post("/signup", url.Values{"handle": {"vic"}, "password": {testPassword}, "confirm": {"something else"}})
	mustContain(t, "a mistyped password", r.body, "same password again")
	r = b.post("/signup", url.Values{"handle": {"Vic Smith"}, "password": {testPassword}, "confirm": {testPassword}})
	mustContain(t, "a bad handle", r.body, "lowercase letters")
}

func TestSigninRateLimit(t *testing.T) {
	app := newApp(t, options{})
	app.signup(t, "max")
	b := app.browser(t)
	try := func(handle, password string) int {
		return b.post("/signin", url.Values{"handle": {handle}, "password": {password}}).StatusCode
	}
	// Per account and address: a burst of 5, then one every 30 s.
	for i := 0; i < pairBurst; i++ {
		if got := try("max", "guess number "+string(rune('a'+i))); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, got)
		}
	}
	r := b.post("/signin", url.Values{"handle": {"max"}, "password": {testPassword}})
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, "the limited sign-in", r.body, "Too many sign-in attempts")
	if r.Header.Get("Retry-After") != "30" {
		t.Errorf("Retry-After %q, want 30", r.Header.Get("Retry-After"))
	}
	app.clock.Advance(pairEvery)
	wantStatus(t, b.post("/signin", url.Values{"handle": {"max"}, "password": {testPassword}}), http.StatusSeeOther)

	// Per address: a burst of 10 whatever the handles.
	app.clock.Advance(time.Hour)
	c := app.browser(t)
	limited := 0
	for i := 0; i < addrBurst+1; i++ {
		if c.post("/signin", url.Values{"handle": {"someone" + string(rune('a'+i))}, "password": {"x"}}).StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d of %d attempts from one address were limited, want 1", limited, addrBurst+1)
	}
	if !strings.Contains(app.metrics(t).body, "backcoach_signin_rate_limited_total 2") {
		t.Error("the metrics do not count the limited sign-ins")
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l := newLimiter(100)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		l.allowSignin(fmt.Sprintf("10.0.%d.%d", i/256, i%256), strings.Repeat("h", i), now)
		l.allowSignup(fmt.Sprint("10.1.0.", i), now)
		l.allowCurrent(fmt.Sprint("person", i), now)
		l.signedIn(fmt.Sprint("10.2.0.", i), "h", now)
	}
	if n := l.entries(); n > 6*100 {
		t.Errorf("%d entries kept, want at most %d", n, 6*100)
	}
	// A refused attempt stores nothing.
	l = newLimiter(100)
	for i := 0; i < addrBurst; i++ {
		l.allowSignin("192.0.2.1", fmt.Sprint("h", i), now)
	}
	before := l.entries()
	if ok, wait := l.allowSignin("192.0.2.1", "another", now); ok || wait != addrEvery {
		t.Errorf("the 11th attempt from one address: %v, wait %s; want refused, wait %s", ok, wait, addrEvery)
	}
	if l.entries() != before {
		t.Errorf("a refused attempt added %d entries", l.entries()-before)
	}
}

// ownedRecords are one person's records of every kind.
type ownedRecords struct {
	assessment, plan, session, entry, token string
}

// makeRecords stores one record of each kind for the person.
func makeRecords(t *testing.T, app *testApp, p *backcoach.Person) ownedRecords {
	t.Helper()
	ctx := context.Background()
	ans := backcoach.Answers{Age: 40, PainNow: 3, Weeks: 1, Trend: backcoach.TrendSame, ClinicianAssessed: true, Flags: []string{}}
	a := &backcoach.SavedAssessment{Answers: ans, Result: triage.Assess(&ans)}
	if err := app.st.SaveAssessment(ctx, p.ID, a); err != nil {
		t.Fatal(err)
	}
	sp := &backcoach.SavedPlan{AssessmentID: a.ID, Plan: backcoach.Plan{Urgency: backcoach.UrgencySelfCare, Stage: backcoach.StageMild, Minutes: 10,
		Exercises: []backcoach.PlannedExercise{{ID: "shoulder-rolls", Name: "Shoulder rolls", Sets: 1, HoldSeconds: 30, Sides: backcoach.SidesNone, Seconds: 35}}}}
	if err := app.st.SavePlan(ctx, p.ID, sp); err != nil {
		t.Fatal(err)
	}
	ss := &backcoach.Session{PlanID: sp.ID, PainBefore: 3, Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "shoulder-rolls", Outcome: backcoach.OutcomeDone, Seconds: 35}}}
	if err := app.st.SaveSession(ctx, p.ID, ss); err != nil {
		t.Fatal(err)
	}
	e := &backcoach.DiaryEntry{Pain: 4, Note: "private", Flags: []string{}}
	if err := app.st.AddDiaryEntry(ctx, p.ID, e); err != nil {
		t.Fatal(err)
	}
	_, hash, _ := auth.NewToken(auth.TokenPrefix)
	tok := &backcoach.AccessToken{Name: "script", Hash: hash}
	if err := app.st.CreateAccessToken(ctx, p.ID, tok); err != nil {
		t.Fatal(err)
	}
	return ownedRecords{a.ID, sp.ID, ss.ID, e.ID, tok.ID}
}

// testOwnerChecks tries every route that names a record as another
// person (404, as if it did not exist) and as nobody (401), and checks
// that nothing changed.
func testOwnerChecks(t *testing.T, app *testApp) {
	owner := app.signup(t, "owner")
	other := app.signup(t, "other")
	nobody := app.browser(t)
	rec := makeRecords(t, app, app.person(t, "owner"))
	routes := []struct {
		method, path string
		form         url.Values
		json         string
	}{
		{"GET", "/assessments/" + rec.assessment, nil, ""},
		{"GET", "/plans/" + rec.plan, nil, ""},
		{"GET", "/plans/" + rec.plan + "/session", nil, ""},
		{"POST", "/sessions", nil, `{"plan_id":"` + rec.plan + `","pain_before":2,"exercises":[]}`},
		{"GET", "/sessions/" + rec.session, nil, ""},
		{"POST", "/sessions/" + rec.session + "/delete", url.Values{}, ""},
		{"GET", "/diary/" + rec.entry, nil, ""},
		{"POST", "/diary/" + rec.entry, url.Values{"pain": {"9"}, "note": {"changed"}}, ""},
		{"POST", "/diary/" + rec.entry + "/delete", url.Values{}, ""},
		{"POST", "/settings/tokens/" + rec.token + "/revoke", url.Values{}, ""},
	}
	for _, who := range []struct {
		name   string
		b      *browser
		status int
	}{{"another person", other, http.StatusNotFound}, {"nobody", nobody, http.StatusUnauthorized}} {
		for _, rt := range routes {
			var r response
			switch {
			case rt.json != "":
				r = who.b.postJSON(rt.path, rt.json)
			case rt.method == "POST":
				r = who.b.post(rt.path, rt.form)
			default:
				r = who.b.get(rt.path)
			}
			if r.StatusCode != who.status {
				t.Errorf("%s %s as %s: status %d, want %d", rt.method, rt.path, who.name, r.StatusCode, who.status)
			}
			if strings.Contains(r.body, "private") {
				t.Errorf("%s %s as %s: the owner's note shows", rt.method, rt.path, who.name)
			}
		}
	}
	// Nothing changed, and the owner still reaches everything.
	for _, path := range []string{"/assessments/" + rec.assessment, "/plans/" + rec.plan, "/sessions/" + rec.session, "/diary/" + rec.entry} {
		wantStatus(t, owner.get(path), http.StatusOK)
	}
	e, err := app.st.DiaryEntry(context.Background(), app.person(t, "owner").ID, rec.entry)
	if err != nil || e.Pain != 4 || e.Note != "private" {
		t.Errorf("the owner's entry changed: %+v, %v", e, err)
	}
	toks, _ := app.st.AccessTokens(context.Background(), app.person(t, "owner").ID)
	if len(toks) != 1 {
		t.Errorf("the owner's token is gone")
	}
	// Every page of a person's own needs a sign-in.
	for _, path := range []string{"/plan", "/session", "/diary", "/settings", "/assess", "/assessments", "/settings/export", "/break?kind=movement&seq=1"} {
		wantStatus(t, nobody.get(path), http.StatusUnauthorized)
	}
	for _, path := range []string{"/plan", "/diary", "/settings/profile", "/settings/breaks", "/settings/password", "/settings/tokens", "/settings/delete", "/assess"} {
		wantStatus(t, nobody.post(path, url.Values{}), http.StatusUnauthorized)
	}
	wantStatus(t, nobody.postJSON("/session/check", `{"flags":[]}`), http.StatusUnauthorized)
}

func TestOwnerChecksSQLite(t *testing.T) { testOwnerChecks(t, newApp(t, options{})) }

func TestOwnerChecksPostgres(t *testing.T) {
	testOwnerChecks(t, newApp(t, options{dsn: testenv.PostgresDB(t)}))
}

func TestSingleUser(t *testing.T) {
	app := newApp(t, options{singleUser: true})
	b := app.browser(t)
	r := b.get("/")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "Today of a personal install", r.body, "Start the safety check")
	if strings.Contains(r.body, "Sign out") || strings.Contains(r.body, `href="/signin"`) {
		t.Error("a personal install shows sign-in or sign-out")
	}
	wantStatus(t, b.get("/signin"), http.StatusSeeOther)
	takeAssessment(t, b, mildDesk)
	local, err := app.st.PersonByHandle(context.Background(), backcoach.LocalHandle)
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := app.st.Assessments(context.Background(), local.ID, backcoach.Filter{}); len(list) != 1 {
		t.Errorf("the assessment was not kept for the local account: %d", len(list))
	}
	p, err := app.srv.Authenticate(httptest.NewRequest(http.MethodGet, "/api/v1/profile", nil))
	if err != nil || p.ID != local.ID {
		t.Errorf("the API acts for %v, %v; want the local account", p, err)
	}
	r = b.post("/settings/delete", url.Values{"confirm": {"no"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused deletion", r.body, `Type the word &#34;delete&#34; to delete everything.`)
}

func TestAuthenticate(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "apiuser")
	for _, h := range []string{"", "Basic abc", "Bearer nope", "Bearer bc_unknown"} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/profile", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		if _, err := app.srv.Authenticate(req); backcoach.ErrorCode(err) != backcoach.EUNAUTHORIZED {
			t.Errorf("Authorization %q: %v, want EUNAUTHORIZED", h, err)
		}
	}
	// The session cookie works for the API too, through the middleware.
	r := b.get("/api/v1/profile")
	if r.StatusCode == http.StatusUnauthorized {
		t.Errorf("the API refuses the session cookie: %s", r.body)
	}
	r = app.browser(t).get("/api/v1/profile")
	wantStatus(t, r, http.StatusUnauthorized)
}

func TestOperations(t *testing.T) {
	app := newApp(t, options{})
	b := app.browser(t)
	wantStatus(t, b.get("/healthz"), http.StatusOK)
	wantStatus(t, b.get("/readyz"), http.StatusOK)
	b.get("/exercises")
	m := app.metrics(t)
	wantStatus(t, m, http.StatusOK)
	mustContain(t, "the metrics", m.body,
		"# TYPE http_requests_total counter",
		`http_requests_total{method="GET",route="GET /exercises",code="200"} 1`,
		`http_request_duration_seconds_bucket{route="GET /exercises",le="+Inf"} 1`,
		"# TYPE http_request_duration_seconds histogram", "go_goroutines", "http_requests_in_flight 1")
	if !strings.HasPrefix(m.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Errorf("metrics type %q", m.Header.Get("Content-Type"))
	}
	app.st.Close()
	wantStatus(t, b.get("/readyz"), http.StatusServiceUnavailable)
}

func TestPanicsBecome500(t *testing.T) {
	app := newApp(t, options{})
	h := app.srv.observe(app.srv.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("status %d, body %q", rec.Code, rec.Body.String())
	}
}

func TestRequestSizeLimit(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "big")
	big := strings.Repeat("a", maxFormBytes+10)
	r := b.post("/diary", url.Values{"pain": {"3"}, "note": {big}})
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte form: status %d, want 413", len(big), r.StatusCode)
	}
}

// pageSize fetches a page with gzip and returns the bytes transferred.
func pageSize(t *testing.T, b *browser, path string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.app.ts.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.client.Transport = &http.Transport{DisableCompression: true}
	r := b.do(req)
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("%s is not compressed (%s)", path, r.Header.Get("Content-Type"))
	} else if _, err := gzip.NewReader(bytes.NewReader([]byte(r.body))); err != nil {
		t.Errorf("%s: %v", path, err)
	}
	return len(r.body)
}

func TestPagesUnder100KBCompressed(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "size")
	takeAssessment(t, b, mildDesk)
	loc := b.get("/session").Header.Get("Location")
	assets := 0
	for _, name := range []string{"app.css", "app.js", "player.js", "vendor/htmx.min.js", "icons/nav.svg"} {
		assets += pageSize(t, b, app.srv.assets.url(name))
	}
	for _, path := range []string{"/", "/plan", loc, "/diary?days=90", "/exercises", "/exercises/cat-cow", "/settings", "/assess"} {
		n := pageSize(t, b, path) + assets
		t.Logf("%s: %d bytes compressed with its CSS and JS", path, n)
		if n > 100<<10 {
			t.Errorf("%s: %d bytes compressed with its CSS and JS, over 100 KB", path, n)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	app := newApp(t, options{})
	b := app.browser(t)
	u := app.srv.assets.url("app.css")
	r := b.get(u)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || r.Header.Get("ETag") == "" {
		t.Errorf("versioned asset headers: %v", r.Header)
	}
	req, _ := http.NewRequest(http.MethodGet, app.ts.URL+u, nil)
	req.Header.Set("If-None-Match", r.Header.Get("ETag"))
	wantStatus(t, b.do(req), http.StatusNotModified)
	sw := b.get("/sw.js")
	wantStatus(t, sw, http.StatusOK)
	mustContain(t, "the service worker", sw.body, "/exercises/cat-cow/picture", "/offline", u)
	if strings.Contains(sw.body, "__SHELL__") || strings.Contains(sw.body, "__VERSION__") {
		t.Error("the service worker's placeholders are not filled")
	}
	mf := b.get("/manifest.webmanifest")
	mustContain(t, "the manifest", mf.body, `"start_url": "/"`, "icon-512.png", "maskable")
	wantStatus(t, b.get("/static/nope.css"), http.StatusNotFound)
	for _, icon := range []string{"icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png", "icons/icon.svg"} {
		wantStatus(t, b.get("/static/"+icon), http.StatusOK)
	}
}
