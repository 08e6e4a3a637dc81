// Package api is the coach's JSON API under /api/v1/: the exercise catalog
// (public), and each person's assessments, plans, guided sessions, diary,
// profile, personal access tokens and export. It is described by an
// OpenAPI 3.1 document, generated from the handlers' own types by huma and
// served at /api/v1/openapi.json. Errors are RFC 9457 problem documents.
//
// The package parses requests into domain types, calls the pure packages
// (triage, planner) and the store, and renders the result; rules live in
// those packages, not here.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
)

// Prefix is the path every route of the API begins with.
const Prefix = "/api/v1"

// Version is the version of the API document. Fields are added within a
// version, never renamed or removed.
const Version = "1.0.0"

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 64 << 10

// Store is what the API reads and keeps: the domain services it uses. The
// store package implements it.
type Store interface {
	coach.Store
	backcoach.AccountService
	backcoach.BreakStatsService
	backcoach.BreakSettingsService
	// Export returns everything about the acting person
	// (backcoach.ExportService).
	Export(ctx context.Context, actor string) (*backcoach.Export, error)
}

// Config is what an API runs with.
type Config struct {
	Store   Store
	Catalog *catalog.Catalog
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Log receives internal errors; slog.Default when nil.
	Log *slog.Logger
	// Authenticate returns the person a request acts for: from a session
	// cookie, a bearer personal access token, or the single user of a
	// personal install. It returns a *backcoach.Error with EUNAUTHORIZED
	// when nobody is signed in.
	Authenticate func(*http.Request) (*backcoach.Person, error)
	// Breaks runs the break reminders of open pages; when nil, the API
	// makes its own over Store, which Close ends.
	Breaks *live.Hub
}

// API serves the JSON API. It is safe for concurrent use.
type API struct {
	store   Store
	coach   *coach.Coach
	catalog *catalog.Catalog
	now     func() time.Time
	log     *slog.Logger
	auth    func(*http.Request) (*backcoach.Person, error)
	breaks  *live.Hub
	// ownsBreaks is set when the API made the hub itself.
	ownsBreaks bool

	huma    huma.API
	mux     *recordingMux
	handler http.Handler

	// exercises caches the encoded answers of the exercise list, by
	// filter: the catalog never changes while the program runs.
	exercises sync.Map // exerciseFilter → *encoded

	openapiOnce sync.Once
	openapi     []byte
}

//go:embed description.md
var description string

// New makes an API from its Config.
func New(cfg Config) (*API, error) {
	if cfg.Store == nil || cfg.Catalog == nil || cfg.Authenticate == nil {
		return nil, errors.New("api: Config needs a Store, a Catalog and an Authenticate function")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	a := &API{
		store:   cfg.Store,
		coach:   coach.New(cfg.Store, cfg.Catalog, cfg.Now),
		catalog: cfg.Catalog,
		now:     cfg.Now,
		log:     cfg.Log,
		auth:    cfg.Authenticate,
		mux:     &recordingMux{ServeMux: http.NewServeMux()},
		breaks:  cfg.Breaks,
	}
	if a.breaks == nil {
		hub, err := live.New(live.Config{Store: cfg.Store, Catalog: cfg.Catalog, Offers: a.coach.BreakOffer, Log: cfg.Log})
		if err != nil {
			return nil, err
		}
		a.breaks, a.ownsBreaks = hub, true
	}
	a.huma = humago.New(a.mux, a.humaConfig())
	registerEnums(a.huma.OpenAPI().Components.Schemas)
	a.registerExercises()
	a.registerAssessments()
	a.registerPlans()
	a.registerSessions()
	a.registerDiary()
	a.registerAccount()
	a.registerBreaks()
	a.registerSafety()
	a.registerClinic()
	a.registerCalendar()
	a.registerOpenAPI()
	a.tidyDocument()
	a.mux.HandleFunc(Prefix+"/", a.notFound)
	routed := a.recoverPanics(a.crossOrigin(a.mux))
	a.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == Prefix+"/exercises" && a.serveExerciseList(w, r) {
			return
		}
		routed.ServeHTTP(w, r)
	})
	return a, nil
}

// Handler returns the API: every route lives under /api/v1/.
func (a *API) Handler() http.Handler { return a.handler }

// Breaks returns the hub that runs the break reminders of open pages.
func (a *API) Breaks() *live.Hub { return a.breaks }

// Close ends the break reminders' event streams when the API made its own
// hub (Config.Breaks nil); a hub passed in is its owner's to close.
func (a *API) Close() {
	if a.ownsBreaks {
		a.breaks.Close()
	}
}

// Routes returns the patterns registered on the API's mux, in order:
// every documented operation, then the fallback that answers 404 and 405
// for everything else under /api/v1/.
func (a *API) Routes() []string { return slices.Clone(a.mux.patterns) }

// OpenAPI returns the API's OpenAPI document.
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

// humaConfig is huma's default configuration without what this API does
// not serve: no documentation web page (it would load scripts from a
// CDN), no $schema links added to response bodies (the contract's JSON
// stays exactly as documented), and the OpenAPI document served by an
// operation of its own.
func (a *API) humaConfig() huma.Config {
	cfg := huma.DefaultConfig("backcoach API", Version)
	cfg.OpenAPIPath = ""
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil
	cfg.Info.Description = description
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {
			Type:         "http",
			Scheme:       "bearer",
			BearerFormat: "personal access token",
			Description:  "A personal access token, made in the web app's Settings, sent as `Authorization: Bearer bc_...`. It expires, and a read-only one may only GET.",
		},
		"cookie": {
			Type:        "apiKey",
			In:          "cookie",
			Name:        "backcoach_session",
			Description: "The session cookie of a browser signed in to the web app: `backcoach_session` over plain HTTP on this machine, `__Host-backcoach_session` over HTTPS (Secure, Path=/, no Domain), which is the name to send there.",
		},
	}
	// Every problem document says its type, "about:blank" when the HTTP
	// status says it all (RFC 9457 §4.2.1), including the few huma writes
	// itself (a body that is too large or missing).
	cfg.Transformers = []huma.Transformer{func(_ huma.Context, _ string, v any) (any, error) {
		if p, ok := v.(*huma.ErrorModel); ok && p.Type == "" {
			p.Type = "about:blank"
		}
		return v, nil
	}}
	return cfg
}

// recordingMux is the ServeMux that huma registers the operations on; it
// remembers each pattern so that tests can check every route against the
// OpenAPI document.
type recordingMux struct {
	*http.ServeMux
	patterns []string
}

// HandleFunc registers the handler and remembers the pattern.
func (m *recordingMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// registerOpenAPI serves the OpenAPI document as an operation of its own,
// so that it too is in the document.
func (a *API) registerOpenAPI() {
	type output struct {
		ContentType  string `header:"Content-Type"`
		CacheControl string `header:"Cache-Control"`
		Body         []byte
	}
	op := huma.Operation{
		OperationID: "get-openapi",
		Method:      http.MethodGet,
		Path:        Prefix + "/openapi.json",
		Summary:     "This OpenAPI 3.1 document",
		Tags:        []string{"Meta"},
		Responses: map[string]*huma.Response{"200": {
			Description: "The OpenAPI document of this API.",
			Content:     map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Type: huma.TypeObject}}},
		}},
	}
	register(a, op, func(context.Context, *struct{}) (*output, error) {
		return &output{ContentType: "application/json", CacheControl: "public, max-age=3600", Body: a.openapiJSON()}, nil
	})
}

// openapiJSON encodes the document once, after every operation is known.
func (a *API) openapiJSON() []byte {
	a.openapiOnce.Do(func() {
		b, err := json.MarshalIndent(a.huma.OpenAPI(), "", "  ")
		if err != nil {
			panic("api: the OpenAPI document does not encode: " + err.Error())
		}
		a.openapi = append(b, '\n')
	})
	return a.openapi
}

// nullableObjects are the object types that fields point to and answers
// send as null when there is none: huma makes only scalar pointers
// nullable by itself.
var nullableObjects = []reflect.Type{
	reflect.TypeFor[backcoach.BreakSettings](), reflect.TypeFor[live.Offer](), reflect.TypeFor[live.Started](),
	reflect.TypeFor[diary.Change](), reflect.TypeFor[diary.Report](), reflect.TypeFor[backcoach.Programme](),
}

// tidyDocument removes from the document what huma adds but this API
// never does: a 422 response (invalid input is 400 here, as the
// assessment contract says) and the raw-bytes request body that stands
// beside each operation's JSON request schema. It marks the
// nullableObjects as such.
func (a *API) tidyDocument() {
	registry := a.huma.OpenAPI().Components.Schemas
	for _, t := range nullableObjects {
		if s := registry.Schema(t, true, ""); s.Ref != "" {
			registry.SchemaFromRef(s.Ref).Nullable = true
		}
	}
	for _, item := range a.huma.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Delete, item.Patch} {
			if op == nil {
				continue
			}
			delete(op.Responses, "422")
			if op.RequestBody != nil && op.RequestBody.Content["application/json"] != nil {
				delete(op.RequestBody.Content, "application/octet-stream")
			}
		}
	}
}

// notFound answers every path under /api/v1/ that no operation serves: 405
// with the allowed methods when the path exists, 404 otherwise.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != "" && pattern != Prefix+"/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeProblem(w, newProblem(http.StatusMethodNotAllowed, r.Method+" is not allowed here; allowed: "+strings.Join(allowed, ", ")))
		return
	}
	writeProblem(w, newProblem(http.StatusNotFound, "no such route: "+r.URL.Path+"; the routes are listed at "+Prefix+"/openapi.json"))
}

// crossOrigin refuses state-changing requests that a browser sends from
// another site (CSRF): the session cookie would otherwise go along with
// them. Requests without browser headers (scripts with a token) pass.
func (a *API) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, newProblem(http.StatusForbidden, "cross-origin request refused: this API accepts changes only from the same site or from scripts using a bearer token"))
	}))
	return p.Handler(next)
}

// recoverPanics turns a panic in a handler into a 500 problem and a log
// line, instead of a dropped connection.
func (a *API) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("api: panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeProblem(w, newProblem(http.StatusInternalServerError, backcoach.ErrorMessage(errors.New("panic"))))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
