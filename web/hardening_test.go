package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/store"
)

// inFlightStore is the database's session store with a hook: once armed,
// it notes the next requests that load a session, and holds their saves
// of that session until released, as a slow request in flight would.
type inFlightStore struct {
	*store.WebSessionStore
	mu      sync.Mutex
	armed   int
	held    string
	loaded  chan struct{}
	release chan struct{}
}

func (s *inFlightStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, ok, err := s.WebSessionStore.FindCtx(ctx, token)
	s.mu.Lock()
	catch := ok && s.armed > 0
	if catch {
		s.armed--
		s.held = token
	}
	s.mu.Unlock()
	if catch {
		s.loaded <- struct{}{}
	}
	return b, ok, err
}

func (s *inFlightStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	s.mu.Lock()
	hold := s.held != "" && token == s.held
	s.mu.Unlock()
	if hold {
		<-s.release
	}
	return s.WebSessionStore.CommitCtx(ctx, token, b, expiry)
}

// testSessionsEndForGood signs out, or changes the password, while other
// requests with the same cookie are in flight; they save the session
// when they finish, after it ended. The old cookie must stay worthless.
func testSessionsEndForGood(t *testing.T, dsn string) {
	hook := &inFlightStore{loaded: make(chan struct{}), release: make(chan struct{})}
	app := newApp(t, options{dsn: dsn, sessions: func(ws *store.WebSessionStore) scs.Store {
		hook.WebSessionStore = ws
		return hook
	}})
	u, _ := url.Parse(app.ts.URL)
	for _, end := range []string{"signout", "password"} {
		for _, inFlight := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s with %d in flight", end, inFlight), func(t *testing.T) {
				handle := fmt.Sprintf("%s%d", end, inFlight)
				b := app.signup(t, handle)
				old := b.cookie()
				hook.mu.Lock()
				hook.armed, hook.held = inFlight, ""
				hook.mu.Unlock()
				var wg sync.WaitGroup
				for i := 0; i < inFlight; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						req, _ := http.NewRequest(http.MethodGet, app.ts.URL+"/diary", nil)
						req.AddCookie(&http.Cookie{Name: sessionCookie, Value: old})
						res, err := http.DefaultClient.Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
					}()
				}
				for i := 0; i < inFlight; i++ {
					<-hook.loaded
				}
				if end == "signout" {
					wantStatus(t, b.post("/signout", nil), http.StatusSeeOther)
				} else {
					next := "another good passphrase"
					wantStatus(t, b.post("/settings/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}}), http.StatusSeeOther)
				}
				for i := 0; i < inFlight; i++ {
					hook.release <- struct{}{}
				}
				wg.Wait()
				hook.mu.Lock()
				hook.held = ""
				hook.mu.Unlock()
				thief := app.browser(t)
				thief.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old}})
				wantStatus(t, thief.get("/diary"), http.StatusUnauthorized)
				want := http.StatusUnauthorized
				if end == "password" {
					want = http.StatusOK // the browser that changed it stays signed in
				}
				wantStatus(t, b.get("/diary"), want)
			})
		}
	}
}

func TestSessionsEndForGoodSQLite(t *testing.T) {
	t.Parallel()
	testSessionsEndForGood(t, "")
}

func TestSessionsEndForGoodPostgres(t *testing.T) {
	t.Parallel()
	testSessionsEndForGood(t, testenv.PostgresDB(t))
}

// TestHostCheck is DNS rebinding against a personal install: a page on
// rebind.example whose name now resolves to the loopback address sends
// the browser's requests with its own name in the Host header (and as
// the Origin, so the cross-origin check lets them through). They are
// refused; the server's own names still work.
func TestHostCheck(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{singleUser: true, hosts: []string{"localhost", "127.0.0.1", "::1", "coach.example:8443"}})
	b := app.browser(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(app.ts.URL, "http://"))
	send := func(method, path, host string, form url.Values) response {
		t.Helper()
		req, _ := http.NewRequest(method, app.ts.URL+path, strings.NewReader(form.Encode()))
		req.Host = host
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "http://"+host)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		return b.do(req)
	}
	evil := "rebind.example:" + port
	for _, path := range []string{"/settings/export", "/api/v1/profile", "/diary", "/healthz"} {
		r := send(http.MethodGet, path, evil, nil)
		wantStatus(t, r, http.StatusMisdirectedRequest)
		if strings.Contains(r.body, backcoachLocal(t, app)) || r.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s with Host %s: %q, headers %v", path, evil, r.body, r.Header)
		}
	}
	wantStatus(t, send(http.MethodPost, "/settings/delete", evil, url.Values{"confirm": {"delete"}}), http.StatusMisdirectedRequest)
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost.:" + port, "coach.example:8443", "localhost"} {
		wantStatus(t, send(http.MethodGet, "/settings/export", host, nil), http.StatusOK)
	}
	for _, host := range []string{"coach.example", "coach.example:8080", "127.0.0.2:" + port, "evil.localhost:" + port, "localhost:" + port + "@evil", "localhost:0" + port} {
		if r := send(http.MethodGet, "/settings/export", host, nil); r.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %q: status %d, want 421", host, r.StatusCode)
		}
	}
	if _, err := app.st.PersonByHandle(context.Background(), "local"); err != nil {
		t.Errorf("the local account is gone: %v", err)
	}
	if _, err := New(Config{Store: app.st, Catalog: app.cat, SingleUser: true, Local: app.srv.cfg.Local, Hosts: []string{"http://coach.example/"}}); err == nil {
		t.Error("a Host with a scheme was taken")
	}
}

// backcoachLocal returns the id of the local account, which an export
// would show.
func backcoachLocal(t *testing.T, app *testApp) string {
	t.Helper()
	p, err := app.srv.cfg.Local(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// from returns a browser whose requests come, through the trusted proxy,
// from addr.
func from(t *testing.T, app *testApp, addr string) *browser {
	b := app.browser(t)
	b.header.Set("X-Forwarded-For", addr)
	return b
}

// TestSigninLimitsDoNotLockOut: guessing from one address does not keep
// the person out from another, and a proxy's X-Forwarded-For is believed
// only for the address the proxy appended.
func TestSigninLimitsDoNotLockOut(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{trustProxy: true})
	app.signup(t, "kim")
	attacker := from(t, app, "198.51.100.7")
	for i := 0; i < pairBurst+3; i++ {
		attacker.post("/signin", url.Values{"handle": {"kim"}, "password": {fmt.Sprint("guess ", i)}})
	}
	wantStatus(t, attacker.post("/signin", url.Values{"handle": {"kim"}, "password": {testPassword}}), http.StatusTooManyRequests)
	// The person, elsewhere, signs in.
	wantStatus(t, from(t, app, "203.0.113.5").post("/signin", url.Values{"handle": {"kim"}, "password": {testPassword}}), http.StatusSeeOther)

	// Many addresses guessing one account are slowed by the account's
	// own limit, which spares the address the person signed in from.
	app.clock.Advance(time.Hour)
	limited := 0
	for i := 0; i < accountBurst+5; i++ {
		r := from(t, app, fmt.Sprint("192.0.2.", i+1)).post("/signin", url.Values{"handle": {"kim"}, "password": {"wrong guess"}})
		if r.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 5 {
		t.Errorf("%d of %d guesses from as many addresses were limited, want 5", limited, accountBurst+5)
	}
	wantStatus(t, from(t, app, "192.0.2.200").post("/signin", url.Values{"handle": {"kim"}, "password": {testPassword}}), http.StatusTooManyRequests)
	wantStatus(t, from(t, app, "203.0.113.5").post("/signin", url.Values{"handle": {"kim"}, "password": {testPassword}}), http.StatusSeeOther)

	// A client that writes its own X-Forwarded-For gets the proxy's entry
	// appended after it; only that one counts.
	app.clock.Advance(time.Hour)
	spoofed, through := 0, 0
	for i := 0; i < 60; i++ {
		b := from(t, app, fmt.Sprintf("10.9.%d.%d, 198.51.100.99", i/200, i%200+1))
		r := b.post("/signin", url.Values{"handle": {fmt.Sprint("nobody", i)}, "password": {"x"}})
		spoofed++
		if r.StatusCode != http.StatusTooManyRequests {
			through++
		}
	}
	if through != addrBurst {
		t.Errorf("%d of %d sign-ins with spoofed addresses went through, want %d", through, spoofed, addrBurst)
	}
	// Two headers: the last one is the proxy's.
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.Header.Add("X-Forwarded-For", "10.0.0.1")
	req.Header.Add("X-Forwarded-For", "10.0.0.2, 198.51.100.4:4711")
	req.RemoteAddr = "127.0.0.1:5000"
	if got := app.srv.clientAddr(req); got != "198.51.100.4" {
		t.Errorf("clientAddr = %q, want the proxy's entry 198.51.100.4", got)
	}
	// IPv6 addresses count by their /64.
	if a, b := limitAddr("2001:db8:1:2::1"), limitAddr("2001:db8:1:2:ffff::9"); a != b || a != "2001:db8:1:2::/64" {
		t.Errorf("limitAddr: %q and %q, want both 2001:db8:1:2::/64", a, b)
	}
}

// TestAuthFormCaps: oversized fields are refused before anything else,
// with the field named, and leave nothing behind in the limiter.
func TestAuthFormCaps(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.browser(t)
	before := app.srv.limiter.entries()
	for _, path := range []string{"/signin", "/signup"} {
		r := b.post(path, url.Values{"handle": {strings.Repeat("h", 65)}, "password": {testPassword}, "confirm": {testPassword}})
		wantStatus(t, r, http.StatusBadRequest)
		mustContain(t, path+" with a long handle", r.body, "at most 64 bytes")
		r = b.post(path, url.Values{"handle": {"ok"}, "password": {strings.Repeat("p", 257)}, "confirm": {"x"}})
		wantStatus(t, r, http.StatusBadRequest)
		mustContain(t, path+" with a long password", r.body, "at most 256 bytes")
		r = b.post(path, url.Values{"handle": {strings.Repeat("h", 200<<10)}, "password": {"x"}})
		wantStatus(t, r, http.StatusRequestEntityTooLarge)
	}
	r := b.post("/signin", url.Values{"handle": {"ok"}, "password": {"x"}, "next": {"/" + strings.Repeat("n", maxNextBytes)}})
	wantStatus(t, r, http.StatusBadRequest)
	if n := app.srv.limiter.entries(); n != before {
		t.Errorf("refused forms left %d limiter entries", n-before)
	}
}

// TestSigninMemoryUnderAbuse sends many sign-ins with 200 KB handles, as
// the probe did (1,500 took the server from 31 to 527 MiB): the
// heap must come back to where it was.
func TestSigninMemoryUnderAbuse(t *testing.T) {
	app := newApp(t, options{})
	n := 1500
	if testing.Short() {
		n = 200
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before, rssBefore := heap(), rss()
	long := strings.Repeat("h", 200<<10)
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{}
			for i := range work {
				body := url.Values{"handle": {strconv.Itoa(i) + long}, "password": {"x"}}.Encode()
				res, err := client.Post(app.ts.URL+"/signin", "application/x-www-form-urlencoded", strings.NewReader(body))
				if err != nil {
					continue // the server may close the connection while the body still arrives
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	after, rssAfter := heap(), rss()
	t.Logf("%d sign-ins with 200 KB handles: heap %.1f -> %.1f MiB, RSS %.1f -> %.1f MiB", n,
		float64(before)/(1<<20), float64(after)/(1<<20), float64(rssBefore)/(1<<20), float64(rssAfter)/(1<<20))
	if grew := int64(after) - int64(before); grew > 16<<20 {
		t.Errorf("the heap grew by %.1f MiB after %d sign-ins with 200 KB handles", float64(grew)/(1<<20), n)
	}
}

// rss returns the process's resident memory in bytes, or 0 where /proc
// does not tell.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestSignupLimitsAndHashing: sign-ups are limited per address, and
// however many arrive at once, no more passwords are hashed at a time
// than the server has slots for.
func TestSignupLimitsAndHashing(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{trustProxy: true})
	one := from(t, app, "198.51.100.20")
	for i := 0; i < signupBurst; i++ {
		wantStatus(t, one.post("/signup", url.Values{"handle": {fmt.Sprint("many", i)}, "password": {testPassword}, "confirm": {testPassword}}), http.StatusSeeOther)
	}
	r := one.post("/signup", url.Values{"handle": {"onemore"}, "password": {testPassword}, "confirm": {testPassword}})
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, "the limited sign-up", r.body, "Too many accounts")
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if _, err := app.st.PersonByHandle(context.Background(), "onemore"); err == nil {
		t.Error("the limited sign-up created the account")
	}

	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"handle": {fmt.Sprint("crowd", i)}, "password": {testPassword}, "confirm": {testPassword}}
			req, _ := http.NewRequest(http.MethodPost, app.ts.URL+"/signup", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprint("203.0.113.", i+1))
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("sign-up %d: status %d", i, res.StatusCode)
			}
		}()
	}
	wg.Wait()
	if peak := app.srv.hashPeak.Load(); peak < 1 || peak > int64(hashSlots()) {
		t.Errorf("%d passwords were hashed at once, want 1 to %d", peak, hashSlots())
	}
}

// TestCurrentPasswordIsLimited: the current password asked to change the
// password, to delete the account, to make an access token or a calendar
// feed cannot be guessed at speed: all four count against one limit.
func TestCurrentPasswordIsLimited(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "lee")
	next := "a brand new passphrase"
	for i := 0; i < currentBurst; i++ {
		path, form := "/settings/password", url.Values{"current": {fmt.Sprint("guess ", i)}, "password": {next}, "confirm": {next}}
		switch i % 4 {
		case 1:
			path, form = "/settings/delete", url.Values{"password": {fmt.Sprint("guess ", i)}}
		case 2:
			path, form = "/settings/tokens", url.Values{"name": {"a script"}, "scope": {"read"}, "lifetime_days": {"30"}, "password": {fmt.Sprint("guess ", i)}}
		case 3:
			path, form = "/settings/calendar", url.Values{"session_time": {"08:00"}, "check_in_time": {"20:00"}, "password": {fmt.Sprint("guess ", i)}}
		}
		wantStatus(t, b.post(path, form), http.StatusBadRequest)
	}
	r := b.post("/settings/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}})
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, "the limited password change", r.body, "tried too many times")
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	wantStatus(t, b.post("/settings/delete", url.Values{"password": {testPassword}}), http.StatusTooManyRequests)
	wantStatus(t, b.post("/settings/tokens", url.Values{"name": {"a script"}, "scope": {"read"}, "lifetime_days": {"30"}, "password": {testPassword}}), http.StatusTooManyRequests)
	if _, err := app.st.PersonByHandle(context.Background(), "lee"); err != nil {
		t.Fatalf("the account is gone: %v", err)
	}
	app.clock.Advance(currentEvery)
	wantStatus(t, b.post("/settings/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}}), http.StatusSeeOther)
}

// redirectCases are targets after signing in, with what safeNext makes
// of them.
var redirectCases = []struct{ next, want string }{
	{"/diary", "/diary"},
	{"/diary?days=30#chart", "/diary?days=30#chart"},
	{"/exercises/cat-cow", "/exercises/cat-cow"},
	{"/a/%2Fb", "/a/%2Fb"},
	{"", "/"},
	{"diary", "/"},
	{"//evil.example", "/"},
	{"//evil.example/path", "/"},
	{"///evil.example", "/"},
	{"/\\evil.example", "/"},
	{"\\/evil.example", "/"},
	{"/\t/evil.example", "/"},
	{"/\n/evil.example", "/"},
	{"/\r\n/evil.example", "/"},
	{"\t//evil.example", "/"},
	{" //evil.example", "/"},
	{"/%2F/evil.example", "/"},
	{"/%5Cevil.example", "/%5Cevil.example"},
	{"/\x00/evil.example", "/"},
	{"https://evil.example", "/"},
	{"http:/evil.example", "/"},
	{"javascript:alert(1)", "/"},
	{"/\u3000/evil.example", "/\u3000/evil.example"},
	{"/" + strings.Repeat("a", maxNextBytes), "/"},
}

// TestRedirectAfterSignInStaysOnSite checks the redirect targets after signing in, through the
// server (what the Location header says) and then as Chromium reads that
// Location: it must stay on the site.
func TestRedirectAfterSignInStaysOnSite(t *testing.T) {
	t.Parallel()
	for _, c := range redirectCases {
		if got := safeNext(c.next); got != c.want {
			t.Errorf("safeNext(%.60q) = %.60q, want %q", c.next, got, c.want)
		}
	}
	app := newApp(t, options{})
	app.signup(t, "nia")
	var locations []string
	for _, c := range redirectCases {
		app.clock.Advance(time.Minute) // past the sign-in limits
		b := app.browser(t)
		r := b.post("/signin", url.Values{"handle": {"nia"}, "password": {testPassword}, "next": {c.next}})
		if len(c.next) > maxNextBytes {
			wantStatus(t, r, http.StatusBadRequest)
			continue
		}
		wantStatus(t, r, http.StatusSeeOther)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\t\r\n") {
			t.Errorf("next %q: Location %q", c.next, loc)
		}
		locations = append(locations, loc)
		// The sign-in form carries the target on.
		if f := b.get("/signin?next=" + url.QueryEscape(c.next)); !strings.Contains(f.body, `name="next" value="`+template.HTMLEscapeString(safeNext(c.next))+`"`) {
			t.Errorf("the sign-in form does not carry next %q on as %q", c.next, safeNext(c.next))
		}
	}
	tb := newTab(t, app.ts.URL, 800, 600)
	tb.open("/signin")
	js, _ := json.Marshal(locations)
	off := eval[[]string](tb, `(function () { var out = []; `+string(js)+`.forEach(function (l) {
		if (new URL(l, location.href).origin !== location.origin) { out.push(l); } }); return out; })()`)
	if len(off) > 0 {
		t.Errorf("Chromium leaves the site for the Locations %q", off)
	}
}

// TestLogPathLeavesSecretsOut checks the path logs write for addresses
// whose rest is a secret: a calendar feed's and an invitation's code.
func TestLogPathLeavesSecretsOut(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/calendar/bcf_abc.ics": "/calendar/[secret]",
		"/join/K7Q2-PX9M":       "/join/[secret]",
		"/join/":                "/join/[secret]",
		"/diary":                "/diary",
		"/joinus":               "/joinus",
	} {
		if got := logPath(in); got != want {
			t.Errorf("logPath(%q) = %q, want %q", in, got, want)
		}
	}
}
