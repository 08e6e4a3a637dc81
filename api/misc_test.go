package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/internal/httpstatus"
)

// TestExercises lists and filters the catalog without signing in.
func TestExercises(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	count := func(path string) int {
		t.Helper()
		res := e.do(t, nobody, "GET", path, nil)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.status, res.body)
		}
		page := res.json(t)
		if page["next_cursor"] != nil {
			t.Errorf("GET %s: the catalog came with a next cursor", path)
		}
		return len(page["items"].([]any))
	}
	filters := []struct {
		query string
		want  catalog.Filter
	}{
		{"", catalog.Filter{}},
		{"?gentle=true", catalog.Filter{Gentle: true}},
		{"?gentle=false", catalog.Filter{}},
		{"?place=desk", catalog.Filter{Place: backcoach.PlaceDesk}},
		{"?equipment=none", catalog.Filter{Equipment: []backcoach.Equipment{}}},
		{"?equipment=chair,wall", catalog.Filter{Equipment: []backcoach.Equipment{backcoach.EquipmentWall, backcoach.EquipmentChair}}},
		{"?place=floor&equipment=foam_roller,mat&gentle=true", catalog.Filter{Place: backcoach.PlaceFloor, Gentle: true,
			Equipment: []backcoach.Equipment{backcoach.EquipmentFoamRoller, backcoach.EquipmentMat}}},
	}
	all := count("/api/v1/exercises")
	for _, f := range filters {
		want := len(testCatalog.Find(f.want))
		if got := count("/api/v1/exercises" + f.query); got != want {
			t.Errorf("%s: %d exercises, want %d", f.query, got, want)
		}
		if f.query != "" && f.query != "?gentle=false" && want == all {
			t.Errorf("%s filters nothing out; the test cannot tell it works", f.query)
		}
	}

	// The list carries an ETag; asking with it answers 304, no body.
	res := e.do(t, nobody, "GET", "/api/v1/exercises?gentle=true", nil)
	etag := res.header.Get("ETag")
	if etag == "" || !strings.Contains(res.header.Get("Cache-Control"), "max-age") {
		t.Fatalf("no ETag or cache lifetime: %v", res.header)
	}
	res = e.do(t, nobody, "GET", "/api/v1/exercises?gentle=true", nil, "If-None-Match", etag)
	if res.status != http.StatusNotModified || len(res.body) != 0 {
		t.Errorf("with If-None-Match: %d %q", res.status, res.body)
	}
	if res := e.do(t, nobody, "GET", "/api/v1/exercises", nil, "If-None-Match", etag); res.status != http.StatusOK {
		t.Errorf("another list with that ETag: %d", res.status)
	}

	res = e.do(t, nobody, "GET", "/api/v1/exercises/cat-cow", nil)
	if res.status != http.StatusOK || res.json(t)["name"] == "" {
		t.Errorf("one exercise: %d %s", res.status, res.body)
	}
	res = e.do(t, nobody, "GET", "/api/v1/exercises/cat-cow/illustration.svg", nil)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(res.body, []byte("<svg")) {
		t.Errorf("the illustration: %d %q", res.status, res.header.Get("Content-Type"))
	}
	for _, path := range []string{"/api/v1/exercises/handstand", "/api/v1/exercises/handstand/illustration.svg", "/api/v1/exercises/..%2F..%2Fetc/illustration.svg"} {
		res := e.do(t, nobody, "GET", path, nil)
		if res.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.status)
		}
		problemOf(t, res)
	}
}

// madeToken is a token made as the web app's Settings make them, with
// its secret.
type madeToken struct {
	backcoach.AccessToken
	who who
}

// makeToken makes a token for someone straight in the store: the API
// itself never makes tokens.
func (e *env) makeToken(t *testing.T, as who, name string, scope backcoach.TokenScope, days int) madeToken {
	t.Helper()
	secret, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	tok := backcoach.AccessToken{Name: name, Hash: hash, Scope: scope, LifetimeDays: days}
	if err := e.store.CreateAccessToken(context.Background(), as.id, &tok); err != nil {
		t.Fatal(err)
	}
	return madeToken{AccessToken: tok, who: who{name: as.name + "'s " + name, id: as.id, secret: secret}}
}

// TestTokens lists tokens, signs in with one, and revokes it; a token
// cannot make tokens.
func TestTokens(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		phone := e.makeToken(t, e.alice, "phone", backcoach.ScopeReadWrite, 30)
		if me := e.do(t, phone.who, "GET", "/api/v1/me", nil).json(t); me["id"] != e.alice.id || me["handle"] != "alice" {
			t.Errorf("signed in with the new token as %v", me)
		}
		list := e.do(t, e.alice, "GET", "/api/v1/tokens", nil)
		if bytes.Contains(list.body, []byte(phone.who.secret)) || bytes.Contains(list.body, []byte(`"hash"`)) || bytes.Contains(list.body, []byte(`"secret"`)) {
			t.Errorf("the list shows secrets: %s", list.body)
		}
		items := list.json(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("%d tokens listed, want 2", len(items))
		}
		first := items[0].(map[string]any)
		if first["scope"] != "read_write" || first["expires_at"] != phone.ExpiresAt.Format(time.RFC3339Nano) {
			t.Errorf("the listed token %v; want read_write, expiring at %v", first, phone.ExpiresAt)
		}
		// Neither a token nor anyone else makes tokens through the API.
		res := e.do(t, phone.who, "POST", "/api/v1/tokens", map[string]any{"name": "child"})
		if res.status != http.StatusForbidden || !strings.Contains(problemOf(t, res).Detail, "Settings") {
			t.Errorf("a token made a token: %d %s", res.status, res.body)
		}
		if l, _ := e.store.AccessTokens(context.Background(), e.alice.id); len(l) != 2 {
			t.Errorf("%d tokens after the refused one, want 2", len(l))
		}
		if res := e.do(t, e.alice, "DELETE", "/api/v1/tokens/"+phone.ID, nil); res.status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		if res := e.do(t, phone.who, "GET", "/api/v1/me", nil); res.status != http.StatusUnauthorized {
			t.Errorf("a revoked token still signs in: %d", res.status)
		}
		if res := e.do(t, who{name: "forger", secret: "bc_" + strings.Repeat("A", 43)}, "GET", "/api/v1/me", nil); res.status != http.StatusUnauthorized {
			t.Errorf("a made-up token signs in: %d", res.status)
		}
	})
}

// TestReadOnlyToken checks that a read-only token reads, and that every
// other method is refused with a problem saying why, changing nothing.
func TestReadOnlyToken(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		t.Parallel()
		reader := e.makeToken(t, e.alice, "reader", backcoach.ScopeRead, 0).who
		recs := e.makeRecords(t, e.alice)
		before := e.snapshot(t, e.alice)
		for _, c := range routeCases {
			if c.public {
				continue
			}
			path := c.path(recs)
			var body any
			if c.body != nil {
				body = c.body(recs)
			}
			res := e.do(t, reader, c.method, path, body)
			if c.method == "GET" {
				if res.status != c.owner {
					t.Errorf("%s %s with a read-only token: %d, want %d\n%s", c.method, path, res.status, c.owner, res.body)
				}
				continue
			}
			if res.status != http.StatusForbidden {
				t.Errorf("%s %s with a read-only token: %d, want 403\n%s", c.method, path, res.status, res.body)
				continue
			}
			if p := problemOf(t, res); !strings.Contains(p.Detail, "read-only") {
				t.Errorf("%s %s: the problem does not say the token is read-only: %s", c.method, path, res.body)
			}
		}
		if after := e.snapshot(t, e.alice); after != before {
			t.Errorf("a read-only token changed data:\n%s", firstDifference(before, after))
		}
	})
}

// TestExpiredToken checks that a token stops working when it expires,
// with a 401 that says so.
func TestExpiredToken(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		t.Parallel()
		week := e.makeToken(t, e.alice, "week", backcoach.ScopeReadWrite, 7)
		if res := e.do(t, week.who, "GET", "/api/v1/me", nil); res.status != http.StatusOK {
			t.Fatalf("a new token: %d %s", res.status, res.body)
		}
		e.clock.mu.Lock()
		e.clock.t = week.ExpiresAt
		e.clock.mu.Unlock()
		res := e.do(t, week.who, "GET", "/api/v1/me", nil)
		if res.status != http.StatusUnauthorized || !strings.Contains(problemOf(t, res).Detail, "expired") {
			t.Errorf("an expired token: %d %s; want 401 saying it expired", res.status, res.body)
		}
		if res := e.do(t, e.alice, "GET", "/api/v1/me", nil); res.status != http.StatusOK {
			t.Errorf("a token with 90 days still to go: %d", res.status)
		}
	})
}

// TestFallbackRoutes answers unknown paths and methods with problems.
func TestFallbackRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	res := e.do(t, e.alice, "GET", "/api/v1/nothing-here", nil)
	if res.status != http.StatusNotFound {
		t.Errorf("unknown path: %d", res.status)
	}
	problemOf(t, res)
	res = e.do(t, e.alice, "PATCH", "/api/v1/diary", nil)
	if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "GET, POST" {
		t.Errorf("unknown method: %d, Allow %q", res.status, res.header.Get("Allow"))
	}
	problemOf(t, res)
}

// TestCrossSiteChangesAreRefused refuses a browser's cross-site POST,
// which would otherwise carry the session cookie.
func TestCrossSiteChangesAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	res := e.do(t, e.alice, "POST", "/api/v1/diary", `{"pain": 3}`, "Sec-Fetch-Site", "cross-site")
	if res.status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d %s", res.status, res.body)
	}
	problemOf(t, res)
	if res := e.do(t, e.alice, "POST", "/api/v1/diary", `{"pain": 3}`, "Sec-Fetch-Site", "same-origin"); res.status != http.StatusCreated {
		t.Errorf("same-origin POST: %d %s", res.status, res.body)
	}
	if n := len(e.do(t, e.alice, "GET", "/api/v1/diary", nil).json(t)["items"].([]any)); n != 1 {
		t.Errorf("%d entries, want only the same-origin one", n)
	}
}

// TestInternalErrorsHideTheirDetails answers a database failure with a
// generic 500 and keeps the details for the log.
func TestInternalErrorsHideTheirDetails(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, nobody, "GET", "/api/v1/exercises", nil)
	if res.status != http.StatusOK {
		t.Errorf("the catalog needs no database, got %d", res.status)
	}
	e.api.auth = func(*http.Request) (*backcoach.Person, error) {
		return &backcoach.Person{ID: e.alice.id}, nil
	}
	res = e.do(t, e.alice, "GET", "/api/v1/diary", nil)
	if res.status != http.StatusInternalServerError {
		t.Fatalf("with the database closed: %d %s", res.status, res.body)
	}
	p := problemOf(t, res)
	if p.Detail != "an internal error occurred" || bytes.Contains(res.body, []byte("sql")) {
		t.Errorf("the 500 shows details: %s", res.body)
	}
	if !strings.Contains(e.logs.String(), "database is closed") {
		t.Errorf("the log lacks the details: %q", e.logs.String())
	}

	// An Authenticate that fails for its own reasons is a 500 as well.
	e.api.auth = func(*http.Request) (*backcoach.Person, error) {
		return nil, context.DeadlineExceeded
	}
	if res := e.do(t, e.alice, "GET", "/api/v1/me", nil); res.status != http.StatusInternalServerError {
		t.Errorf("a failing Authenticate: %d", res.status)
	}
}

// TestOutageIs503 checks that an unavailable database answers 503 with
// Retry-After, inside an operation and outside one.
func TestOutageIs503(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	p := e.api.problem(context.Background(), backcoach.Errorf(backcoach.EUNAVAILABLE, "the database does not answer"))
	var he huma.HeadersError
	if err := withRetryAfter(p); p.Status != http.StatusServiceUnavailable || !errors.As(err, &he) || he.GetHeaders().Get("Retry-After") == "" {
		t.Errorf("the problem of an outage: %+v; want 503 with Retry-After", p)
	}
	rec := httptest.NewRecorder()
	writeProblem(rec, p)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != httpstatus.RetryAfterSeconds {
		t.Errorf("written: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}
