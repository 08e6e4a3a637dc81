package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests name time zones

	"github.com/alexedwards/scs/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/api"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/store"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// testClock is a clock the tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cheapParams keep password hashing fast in tests.
var cheapParams = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// testApp is a running web app over a real database.
type testApp struct {
	srv   *Server
	st    *store.Store
	clock *testClock
	ts    *httptest.Server
	cat   *catalog.Catalog
	// hub runs the break reminders on breakClock, which the tests move.
	hub        *live.Hub
	breakClock *live.ManualClock
}

// options tune a test app.
type options struct {
	dsn        string
	singleUser bool
	trustProxy bool
	timeScale  float64
	hosts      []string
	// sessions, when set, wraps the database's session store.
	sessions func(*store.WebSessionStore) scs.Store
}

// newApp starts the web app on a fresh SQLite file (or opts.dsn).
func newApp(t testing.TB, opts options) *testApp {
	t.Helper()
	clock := newTestClock()
	dsn := opts.dsn
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "backcoach.db")
	}
	st, err := store.Open(context.Background(), dsn, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	cat := catalog.MustLoad()
	breakClock := live.NewManualClock(clock.Now())
	hub, err := live.New(live.Config{Store: st, Catalog: cat, Offers: coach.New(st, cat, clock.Now).BreakOffer, Clock: breakClock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var sessions scs.Store = st.SessionStore(PersonKey)
	if opts.sessions != nil {
		sessions = opts.sessions(st.SessionStore(PersonKey))
	}
	cfg := Config{Breaks: hub,
		Store: st, Sessions: sessions, Catalog: cat, Now: clock.Now,
		Log:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		PasswordParams: cheapParams, SingleUser: opts.singleUser, TrustProxy: opts.trustProxy, TimeScale: opts.timeScale, Hosts: opts.hosts,
		MetricsToken: testMetricsToken,
		Ready:        func(ctx context.Context) error { _, err := st.SchemaVersion(ctx); return err },
	}
	if opts.singleUser {
		cfg.Local = func(ctx context.Context) (*backcoach.Person, error) {
			p, err := st.PersonByHandle(ctx, backcoach.LocalHandle)
			if backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
				return p, err
			}
			p = &backcoach.Person{Handle: backcoach.LocalHandle, Role: backcoach.RolePerson}
			if err := st.CreatePerson(ctx, p); err != nil {
				return nil, err
			}
			return p, st.SaveProfile(ctx, p.ID, &backcoach.Profile{TimeZone: "Europe/London"})
		}
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	jsonAPI, err := api.New(api.Config{Store: st, Catalog: cat, Now: clock.Now, Log: cfg.Log, Authenticate: srv.Authenticate, Breaks: hub})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	srv.MountAPI(jsonAPI.Handler())
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.RegisterOnShutdown(hub.Close)
	ts.Start()
	t.Cleanup(func() { hub.Close(); ts.Close() })
	return &testApp{srv: srv, st: st, clock: clock, ts: ts, cat: cat, hub: hub, breakClock: breakClock}
}

// browser is one person's client: it keeps cookies and does not follow
// redirects, so tests see them.
type browser struct {
	t      testing.TB
	app    *testApp
	client *http.Client
	header http.Header
}

func (a *testApp) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, app: a, header: http.Header{}, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res, string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.app.ts.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.app.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) postJSON(path, body string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.app.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return b.do(req)
}

// follow gets the page a redirect points to.
func (b *browser) follow(r response) response {
	b.t.Helper()
	loc := r.Header.Get("Location")
	if loc == "" {
		b.t.Fatalf("%s: status %d without a Location to follow", r.Request.URL.Path, r.StatusCode)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.get(u.RequestURI())
}

// cookie returns the session cookie the browser holds, or "".
func (b *browser) cookie() string {
	u, _ := url.Parse(b.app.ts.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	return ""
}

const testPassword = "correct horse battery"

// signup creates an account and returns a browser signed in with it.
func (a *testApp) signup(t testing.TB, handle string) *browser {
	t.Helper()
	b := a.browser(t)
	r := b.post("/signup", url.Values{"handle": {handle}, "name": {"Test " + handle}, "password": {testPassword}, "confirm": {testPassword}, "time_zone": {"Europe/London"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("signup %s: status %d, want 303\n%s", handle, r.StatusCode, r.body)
	}
	return b
}

// person returns the stored account of a handle.
func (a *testApp) person(t testing.TB, handle string) *backcoach.Person {
	t.Helper()
	p, err := a.st.PersonByHandle(context.Background(), handle)
	if err != nil {
		t.Fatalf("PersonByHandle(%s): %v", handle, err)
	}
	return p
}

// mustContain fails unless the body holds every string.
func mustContain(t testing.TB, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

// wantStatus fails unless the response has the status.
func wantStatus(t testing.TB, r response, status int) {
	t.Helper()
	if r.StatusCode != status {
		body := r.body
		if len(body) > 3000 {
			body = body[:3000]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, body)
	}
}

// mustProfile returns the stored profile of a handle.
func (a *testApp) mustProfile(t testing.TB, handle string) *backcoach.Profile {
	t.Helper()
	p, err := a.st.Profile(context.Background(), a.person(t, handle).ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// filterAll lists every record.
var filterAll = backcoach.Filter{}
