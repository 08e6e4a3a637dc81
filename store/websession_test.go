package store

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// TestEndedSessionsStayEnded drives a real scs session manager over the
// store, as the web app does, with requests in flight while the person
// signs out or changes the password: those requests loaded the session
// before it ended and save it when they finish (scs saves every loaded
// session when an idle timeout is set). The old cookie must stay worthless.
func TestEndedSessionsStayEnded(t *testing.T) {
	t.Parallel()
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		ann := newPerson(t, s, "ann")
		sm := scs.New()
		sm.Store = s.SessionStore(sessionPersonKey)
		sm.HashTokenInStore = true
		sm.IdleTimeout = time.Hour
		loaded := make(chan struct{})
		release := make(chan struct{})
		mux := http.NewServeMux()
		mux.HandleFunc("/signin", func(w http.ResponseWriter, r *http.Request) {
			if err := sm.RenewToken(r.Context()); err != nil {
				t.Error(err)
			}
			sm.Put(r.Context(), sessionPersonKey, ann)
		})
		mux.HandleFunc("/signout", func(w http.ResponseWriter, r *http.Request) {
			if err := sm.RenewToken(r.Context()); err != nil {
				t.Error(err)
			}
			sm.Remove(r.Context(), sessionPersonKey)
		})
		mux.HandleFunc("/password", func(w http.ResponseWriter, r *http.Request) {
			if err := s.SetPasswordHash(r.Context(), ann, fakePasswordHash("new")); err != nil {
				t.Error(err)
			}
			if err := sm.RenewToken(r.Context()); err != nil {
				t.Error(err)
			}
			sm.Put(r.Context(), sessionPersonKey, ann)
		})
		mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
			loaded <- struct{}{}
			<-release
			w.Write([]byte(sm.GetString(r.Context(), sessionPersonKey)))
		})
		mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(sm.GetString(r.Context(), sessionPersonKey)))
		})
		srv := httptest.NewServer(sm.LoadAndSave(mux))
		defer srv.Close()
		get := func(path string, cookie *http.Cookie) (string, *http.Cookie) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			if cookie != nil {
				req.AddCookie(cookie)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return "", nil
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d: %s", path, res.StatusCode, b)
			}
			for _, c := range res.Cookies() {
				cookie = c
			}
			return string(b), cookie
		}
		for _, end := range []string{"/signout", "/password"} {
			for _, inFlight := range []int{1, 8} {
				t.Run(fmt.Sprintf("%s with %d in flight", end[1:], inFlight), func(t *testing.T) {
					_, old := get("/signin", nil)
					if who, _ := get("/who", old); who != ann {
						t.Fatalf("not signed in: %q", who)
					}
					var wg sync.WaitGroup
					for i := 0; i < inFlight; i++ {
						wg.Add(1)
						go func() { defer wg.Done(); get("/slow", old) }()
					}
					for i := 0; i < inFlight; i++ {
						<-loaded
					}
					_, renewed := get(end, old)
					for i := 0; i < inFlight; i++ {
						release <- struct{}{}
					}
					wg.Wait()
					if who, _ := get("/who", old); who != "" {
						t.Errorf("the old cookie is signed in as %q again after %s", who, end)
					}
					want, wantLive := "", 0
					if end == "/password" {
						want, wantLive = ann, 1
					}
					if who, _ := get("/who", renewed); who != want {
						t.Errorf("the renewed cookie is signed in as %q after %s, want %q", who, end, want)
					}
					var live int
					if err := s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM web_sessions WHERE person_id = $1 AND NOT ended`, ann).Scan(&live); err != nil {
						t.Fatal(err)
					}
					if live != wantLive {
						t.Errorf("%d live sessions of ann after %s, want %d", live, end, wantLive)
					}
					if _, err := s.EndSessions(context.Background(), ann); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
		// The tombstones of sessions ended this way go after their grace.
		clk.Advance(endedSessionGrace + 2*time.Hour)
		if _, err := s.DeleteExpiredSessions(context.Background()); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM web_sessions WHERE ended`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d tombstones left after their grace (%v)", n, err)
		}
	})
}
