package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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
