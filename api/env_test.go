package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests name time zones; CI machines may lack tzdata

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/store"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var testCatalog = catalog.MustLoad()

// clock is a test clock that moves one second at every reading, so that
// records made one after another have distinct, ordered times.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// database is one of the two databases the tests run against.
type database struct {
	name string
	dsn  func(t *testing.T) string
}

var databases = []database{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "backcoach.db") }},
	{"postgres", func(t *testing.T) string { return testenv.PostgresDB(t) }},
}

// forEachDB runs the test against a fresh SQLite file and a fresh
// PostgreSQL database, each with its own API.
func forEachDB(t *testing.T, test func(t *testing.T, e *env)) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			test(t, newEnv(t, db.dsn(t)))
		})
	}
}

// env is an API over a real store, with two people who each hold a
// personal access token.
type env struct {
	store *store.Store
	api   *API
	clock *clock
	// breakClock is the clock of the break reminders, moved by hand.
	breakClock *live.ManualClock
	logs       *bytes.Buffer
	alice      who
	bob        who
}

// who is someone a request is sent as: a person with a token, or nobody.
type who struct {
	name   string
	id     string
	secret string
}

var nobody = who{name: "nobody"}

func newEnv(t *testing.T, dsn string) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s, err := store.Open(context.Background(), dsn, store.Options{Now: c.Now})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	e := &env{store: s, clock: c, logs: &bytes.Buffer{}, breakClock: live.NewManualClock(c.t)}
	log := slog.New(slog.NewTextHandler(lockedWriter{w: e.logs}, nil))
	hub, err := live.New(live.Config{Store: s, Catalog: testCatalog, Offers: coach.New(s, testCatalog, c.Now).BreakOffer, Clock: e.breakClock, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hub.Close)
	e.api, err = New(Config{Store: s, Catalog: testCatalog, Now: c.Now, Log: log, Authenticate: BearerAuthenticator(s), Breaks: hub})
	if err != nil {
		t.Fatal(err)
	}
	e.alice = e.newPerson(t, "alice")
	e.bob = e.newPerson(t, "bob")
	return e
}

// lockedWriter lets handlers running side by side share the log buffer.
type lockedWriter struct {
	w io.Writer
}

var logMu sync.Mutex

func (l lockedWriter) Write(p []byte) (int, error) {
	logMu.Lock()
	defer logMu.Unlock()
	return l.w.Write(p)
}

// newPerson stores an account with a profile and a token.
func (e *env) newPerson(t *testing.T, handle string) who {
	t.Helper()
	ctx := context.Background()
	p := backcoach.Person{Handle: handle, Name: "Test " + handle, Role: backcoach.RolePerson}
	if err := e.store.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SaveProfile(ctx, p.ID, &backcoach.Profile{TimeZone: "Europe/London"}); err != nil {
		t.Fatal(err)
	}
	secret, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateAccessToken(ctx, p.ID, &backcoach.AccessToken{Name: "tests", Hash: hash}); err != nil {
		t.Fatal(err)
	}
	breaks := backcoach.DefaultBreakSettings()
	breaks.Enabled = true
	if err := e.store.SaveBreakSettings(ctx, p.ID, &breaks); err != nil {
		t.Fatal(err)
	}
	return who{name: handle, id: p.ID, secret: secret}
}

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r *response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("the body is not a JSON object: %v\n%s", err, r.body)
	}
	return v
}

// decode decodes the body into v.
func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, r.body)
	}
}

// do sends a request as someone and checks the answer against the OpenAPI
// document: its status must be documented for the route, and its body
// must validate against the documented schema.
func (e *env) do(t *testing.T, as who, method, path string, body any, header ...string) *response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as.secret != "" {
		req.Header.Set("Authorization", "Bearer "+as.secret)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A stream (the break events) ends once its first part is sent.
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	req = req.WithContext(ctx)
	rec := &streamRecorder{ResponseRecorder: httptest.NewRecorder(), flushed: cancel}
	e.api.Handler().ServeHTTP(rec, req)
	res := &response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	e.checkDocumented(t, req, res)
	return res
}

// streamRecorder records a response and ends the request when the
// handler flushes: a streaming answer stops after its first part.
type streamRecorder struct {
	*httptest.ResponseRecorder
	flushed func()
}

// Flush records the flush and cancels the request.
func (r *streamRecorder) Flush() {
	r.ResponseRecorder.Flush()
	r.flushed()
}

// checkDocumented checks a response against the document's description
// of the route that answered it.
func (e *env) checkDocumented(t *testing.T, req *http.Request, res *response) {
	t.Helper()
	what := req.Method + " " + req.URL.Path
	ct, _, _ := mime.ParseMediaType(res.header.Get("Content-Type"))
	registry := e.api.OpenAPI().Components.Schemas
	op := e.operationOf(req)
	if op == nil {
		// The fallback for unknown routes answers problems only.
		if ct != "application/problem+json" {
			t.Errorf("%s: the fallback answered %d with %q, not a problem document", what, res.status, ct)
			return
		}
		validate(t, what, registry, registry.Schema(reflect.TypeOf(huma.ErrorModel{}), true, ""), res.body)
		return
	}
	resp := op.Responses[strconv.Itoa(res.status)]
	if resp == nil {
		t.Errorf("%s answered %d, which the document does not list for %s (it lists %v)\n%s", what, res.status, op.OperationID, statuses(op), res.body)
		return
	}
	if len(resp.Content) == 0 {
		if len(res.body) != 0 {
			t.Errorf("%s answered %d with a body, but the document describes none", what, res.status)
		}
		return
	}
	mt := resp.Content[ct]
	if mt == nil {
		t.Errorf("%s answered %d with Content-Type %q; the document says %v", what, res.status, ct, keys(resp.Content))
		return
	}
	if ct == "application/json" || strings.HasSuffix(ct, "+json") {
		validate(t, what, registry, mt.Schema, res.body)
	}
}

// operationOf finds the documented operation that serves a request.
func (e *env) operationOf(req *http.Request) *huma.Operation {
	_, pattern := e.api.mux.Handler(req)
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return nil
	}
	item := e.api.OpenAPI().Paths[path]
	if item == nil {
		return nil
	}
	return operationFor(item, method)
}

func operationFor(item *huma.PathItem, method string) *huma.Operation {
	switch method {
	case http.MethodGet:
		return item.Get
	case http.MethodPost:
		return item.Post
	case http.MethodPut:
		return item.Put
	case http.MethodDelete:
		return item.Delete
	case http.MethodPatch:
		return item.Patch
	}
	return nil
}

// validate checks a JSON body against a schema of the document.
func validate(t *testing.T, what string, registry huma.Registry, schema *huma.Schema, body []byte) {
	t.Helper()
	for _, msg := range schemaErrors(registry, schema, body) {
		t.Errorf("%s: the body does not match the documented schema: %s\n%s", what, msg, body)
	}
}

// schemaErrors lists how a JSON body departs from a schema.
func schemaErrors(registry huma.Registry, schema *huma.Schema, body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	res := &huma.ValidateResult{}
	huma.Validate(registry, schema, huma.NewPathBuffer([]byte{}, 0), huma.ModeReadFromServer, v, res)
	var out []string
	for _, err := range res.Errors {
		out = append(out, err.Error())
	}
	return out
}

func statuses(op *huma.Operation) []string { return keys(op.Responses) }

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// problemOf decodes a problem document.
func problemOf(t *testing.T, r *response) huma.ErrorModel {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("a %d problem came as %q, not application/problem+json", r.status, ct)
	}
	var p huma.ErrorModel
	r.decode(t, &p)
	if p.Status != r.status || p.Title == "" || p.Type == "" || p.Detail == "" {
		t.Errorf("the problem document lacks type, title, status or detail: %s", r.body)
	}
	return p
}
