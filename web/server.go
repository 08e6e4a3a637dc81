// Package web is the coach's web app: server-rendered pages (html/template
// with htmx for small interactions), the guided session player, the pain
// diary with its charts drawn on the server, settings and accounts, the
// installable PWA, and the operational endpoints (/healthz, /readyz,
// /metrics). Everything it serves is embedded in the binary. The JSON API
// lives in its own package and is mounted here, inside the same
// middleware.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
)

// Store is what the web app reads and keeps: every service of the domain
// that its pages use. The store package implements it.
type Store interface {
	coach.Store
	backcoach.ExportService
	backcoach.AccountService
	backcoach.BreakSettingsService
	backcoach.AuditService
	backcoach.FormKeyService
}

// Config is what a Server runs with.
type Config struct {
	Store Store
	// Sessions keeps the server-side sessions of signed-in people (the
	// database's session table).
	Sessions scs.Store
	Catalog  *catalog.Catalog
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Log receives the access log and errors; slog.Default when nil.
	Log *slog.Logger
	// SingleUser serves one person without signing in: the one Local
	// returns. Only for a personal install on a loopback address.
	SingleUser bool
	// Local returns (creating it on first use) the person of a
	// single-user install.
	Local func(ctx context.Context) (*backcoach.Person, error)
	// Ready reports whether the server can serve (the database answers);
	// nil means always ready.
	Ready func(ctx context.Context) error
	// TimeScale speeds up the guided player's timers, for end-to-end
	// tests only; 0 or 1 is real time.
	TimeScale float64
	// Hosts are the names the server answers to in the Host header: a
	// name or address with a port ("localhost:8080", "[::1]:8080"), or
	// without one for any port ("coach.example"). A request naming another
	// host is refused with 421 Misdirected Request, so that a web page
	// cannot reach the server through a name of its own (DNS rebinding).
	// Empty answers any host.
	Hosts []string
	// TrustProxy believes the X-Forwarded-For and X-Forwarded-Proto
	// headers of a reverse proxy in front of the server.
	TrustProxy bool
	// PasswordParams are the argon2id costs of new password hashes;
	// auth.Default when zero. Tests use cheap ones.
	PasswordParams auth.Params
	// Version is shown in the metrics.
	Version string
	// MetricsToken, when set, lets /metrics be read on the app's own
	// address with it as a bearer token; when empty, /metrics is served
	// there to nobody (use MetricsHandler on a separate address).
	MetricsToken string
	// Breaks runs the break reminders of open pages (the API serves
	// them); the settings page restarts a person's reminder through it
	// when their settings change. Nil leaves that to the next start.
	Breaks *live.Hub
	// SharedLimits, when set, keeps the limits on password guessing and
	// sign-ups in the database, so that servers sharing it count every
	// attempt together (each still has its own limiter in front); nil
	// keeps them in this process only, enough for a single server.
	SharedLimits backcoach.RateLimitService
}

// Limits of what a request may send.
const (
	maxFormBytes = 1 << 20
	// sessionLifetime is the longest a sign-in lasts; idleTimeout ends
	// it sooner when the person has not been seen.
	sessionLifetime = 30 * 24 * time.Hour
	idleTimeout     = 14 * 24 * time.Hour
	// sessionCookie names the session cookie.
	sessionCookie = "backcoach_session"
	// authFormBytes caps the body of the sign-in and sign-up forms, read
	// before anything else is done with them.
	authFormBytes = 16 << 10
	// maxNextBytes caps the page to return to after signing in.
	maxNextBytes = 2048
	// maxHashSlots caps the passwords hashed or verified at once: with
	// argon2id at 19 MiB each, 8 use at most 152 MiB.
	maxHashSlots = 8
)

// hashSlots is how many passwords are hashed or verified at once: one a
// processor, as hashing is bound by it (more at once only take memory),
// up to maxHashSlots.
func hashSlots() int {
	return max(1, min(runtime.GOMAXPROCS(0), maxHashSlots))
}

// Server is the web app. It is safe for concurrent use.
type Server struct {
	cfg      Config
	store    Store
	coach    *coach.Coach
	catalog  *catalog.Catalog
	now      func() time.Time
	log      *slog.Logger
	sessions *scs.SessionManager
	pages    *pages
	assets   *assets
	metrics  *metrics
	limiter  *limiter
	feeds    *feedLimiter
	hosts    *hostList
	// hashing holds a slot for each password being hashed or verified
	// (argon2id, 19 MiB each), so that their memory has a ceiling
	// whatever the load; hashPeak is the most ever held at once.
	hashing  chan struct{}
	hashBusy atomic.Int64
	hashPeak atomic.Int64
	api      http.Handler
	handler  http.Handler

	// once remembers the keys of forms and records already handled, so
	// that two quick taps make one record (once.go).
	once *onceSet
}

// New makes a Server. The API is mounted later with MountAPI, because it
// needs the server's Authenticate.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Catalog == nil {
		return nil, errors.New("web: Config needs a Store and a Catalog")
	}
	if cfg.Sessions == nil && !cfg.SingleUser {
		return nil, errors.New("web: Config needs a session store unless it serves a single user")
	}
	if cfg.SingleUser && cfg.Local == nil {
		return nil, errors.New("web: a single-user server needs Config.Local")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.TimeScale <= 0 {
		cfg.TimeScale = 1
	}
	if cfg.PasswordParams == (auth.Params{}) {
		cfg.PasswordParams = auth.Default
	}
	s := &Server{
		cfg:     cfg,
		store:   cfg.Store,
		coach:   coach.New(cfg.Store, cfg.Catalog, cfg.Now),
		catalog: cfg.Catalog,
		now:     cfg.Now,
		log:     cfg.Log,
		metrics: newMetrics(cfg.Version, cfg.Now()),
		limiter: newLimiter(limiterEntries),
		feeds:   newFeedLimiter(limiterEntries),
		hashing: make(chan struct{}, hashSlots()),
		once:    newOnceSet(onceEntries),
	}
	var err error
	if s.hosts, err = newHostList(cfg.Hosts); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	var pictures []string
	for _, id := range cfg.Catalog.IDs() {
		pictures = append(pictures, "/exercises/"+id+"/picture")
	}
	s.assets.buildServiceWorker(pictures)
	if s.pages, err = loadPages(s.assets); err != nil {
		return nil, err
	}
	s.sessions = s.newSessionManager()
	s.handler = s.routes()
	return s, nil
}

// newSessionManager sets up the server-side sessions: the cookie is
// HttpOnly and SameSite=Lax, and Secure whenever the request came over
// TLS (see secureCookies).
func (s *Server) newSessionManager() *scs.SessionManager {
	sm := scs.New()
	if s.cfg.Sessions != nil {
		sm.Store = s.cfg.Sessions
	}
	sm.HashTokenInStore = true
	sm.Lifetime = sessionLifetime
	sm.IdleTimeout = idleTimeout
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.fail(w, r, backcoach.Errorf(backcoach.EINTERNAL, "session store: %v", err))
	}
	return sm
}

// MountAPI serves h under /api/v1/, inside the server's middleware. Call it
// before serving.
func (s *Server) MountAPI(h http.Handler) { s.api = h }

// Handler returns the whole app with its middleware.
func (s *Server) Handler() http.Handler { return s.handler }
