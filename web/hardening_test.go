package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
