package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
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

// TestTokens makes a token, signs in with it, and revokes it.
func TestTokens(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		res := e.do(t, e.alice, "POST", "/api/v1/tokens", map[string]any{"name": "phone"})
		if res.status != http.StatusCreated {
			t.Fatalf("%d %s", res.status, res.body)
		}
		tok := res.json(t)
		secret, _ := tok["secret"].(string)
		if !strings.HasPrefix(secret, "bc_") || len(secret) < 40 || tok["name"] != "phone" || tok["person_id"] != e.alice.id {
			t.Fatalf("the new token: %s", res.body)
		}
		if _, ok := tok["hash"]; ok {
			t.Errorf("the hash left the server: %s", res.body)
		}
		phone := who{name: "alice's phone", id: e.alice.id, secret: secret}
		if me := e.do(t, phone, "GET", "/api/v1/me", nil).json(t); me["id"] != e.alice.id || me["handle"] != "alice" {
			t.Errorf("signed in with the new token as %v", me)
		}
		list := e.do(t, e.alice, "GET", "/api/v1/tokens", nil)
		if bytes.Contains(list.body, []byte(secret)) || bytes.Contains(list.body, []byte(`"hash"`)) || bytes.Contains(list.body, []byte(`"secret"`)) {
			t.Errorf("the list shows secrets: %s", list.body)
		}
		if n := len(list.json(t)["items"].([]any)); n != 2 {
			t.Errorf("%d tokens listed, want 2", n)
		}
		if res := e.do(t, e.alice, "DELETE", "/api/v1/tokens/"+tok["id"].(string), nil); res.status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", res.status, res.body)
		}
		if res := e.do(t, phone, "GET", "/api/v1/me", nil); res.status != http.StatusUnauthorized {
			t.Errorf("a revoked token still signs in: %d", res.status)
		}
		if res := e.do(t, who{name: "forger", secret: "bc_" + strings.Repeat("A", 43)}, "GET", "/api/v1/me", nil); res.status != http.StatusUnauthorized {
			t.Errorf("a made-up token signs in: %d", res.status)
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
