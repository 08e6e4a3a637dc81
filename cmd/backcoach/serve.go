package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/api"
	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/web"
)

// Timeouts of the web server.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	// shutdownTimeout is how long requests in flight may take to finish
	// after SIGINT or SIGTERM.
	shutdownTimeout = 20 * time.Second
)

// serveCmd runs the web app and the JSON API.
type serveCmd struct {
	Addr       string  `default:"127.0.0.1:8080" env:"BACKCOACH_ADDR" help:"The address to listen on, host:port."`
	SingleUser bool    `name:"single-user" env:"BACKCOACH_SINGLE_USER" help:"A personal install: no sign-in, the command line's local account is the one person. Only on a loopback address."`
	TrustProxy bool    `name:"trust-proxy" env:"BACKCOACH_TRUST_PROXY" help:"Believe the X-Forwarded-For and X-Forwarded-Proto headers of a reverse proxy in front (for rate limits and Secure cookies)."`
	TimeScale  float64 `name:"time-scale" hidden:"" default:"1" help:"Test only: guided-session seconds per real second."`
	// MetricsAddr and MetricsToken are the two ways to read /metrics; with
	// neither, the metrics are not served.
	MetricsAddr  string `name:"metrics-addr" env:"BACKCOACH_METRICS_ADDR" help:"Serve /metrics (Prometheus) on this separate address, host:port, without a token; keep it private."`
	MetricsToken string `name:"metrics-token" env:"BACKCOACH_METRICS_TOKEN" help:"Serve /metrics on the main address to requests with Authorization: Bearer <this token> (at least 16 characters)."`

	// AllowedHost names the server answers to besides the loopback ones.
	AllowedHost []string `name:"allowed-host" sep:"," env:"BACKCOACH_ALLOWED_HOST" placeholder:"HOST[:PORT]" help:"A name the server answers to in the Host header, besides localhost, 127.0.0.1 and [::1] with its port (repeat it or separate with commas). On a loopback address (and with --single-user always) other names are refused, against DNS rebinding; give the public name here when a proxy passes it on."`

	// ready, when set, receives the address once the server listens
	// (tests pass it).
	ready chan<- string
}

func (c *serveCmd) Run(a *app) error {
	if c.TimeScale < minTimeScale || c.TimeScale > maxTimeScale {
		return backcoach.Invalid("--time-scale", "must be from %d to %d, got %v", minTimeScale, maxTimeScale, c.TimeScale)
	}
	if c.SingleUser {
		if err := checkLoopback(c.Addr); err != nil {
			return err
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < minMetricsToken {
		return backcoach.Invalid("--metrics-token", "must be at least %d characters, so that it cannot be guessed; got %d", minMetricsToken, len(c.MetricsToken))
	}
	for _, h := range c.AllowedHost {
		if !web.CheckHost(h) {
			return backcoach.Invalid("--allowed-host", "must be a host name or address with or without a port, such as coach.example or coach.example:8443 (no scheme, no path), got %q", h)
		}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return backcoach.Invalid("--addr", "cannot listen on %s: %v", c.Addr, err)
	}
	defer ln.Close()
	var metricsLn net.Listener
	if c.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", c.MetricsAddr); err != nil {
			return backcoach.Invalid("--metrics-addr", "cannot listen on %s: %v", c.MetricsAddr, err)
		}
		defer metricsLn.Close()
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	hub, err := live.New(live.Config{Store: st, Catalog: a.catalog, Offers: coach.New(st, a.catalog, a.now).BreakOffer, Log: logger})
	if err != nil {
		return err
	}
	defer hub.Close()
	hosts := c.hosts(ln.Addr())
	handler, metrics, err := c.handler(a, st, hub, logger, hosts)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("serving", "addr", "http://"+ln.Addr().String(), "single_user", c.SingleUser, "db", where(st), "hosts", hostsLog(hosts))
	if metricsLn != nil {
		logger.Info("serving the metrics", "addr", "http://"+metricsLn.Addr().String()+"/metrics")
		go serveUntil(ctx, metricsLn, metrics, logger, func() {})
	}
	if c.ready != nil {
		c.ready <- ln.Addr().String()
	}
	return serveUntil(ctx, ln, handler, logger, hub.Close)
}

// minMetricsToken is the shortest metrics token accepted.
const minMetricsToken = 16

// handler wires the web app and the API over the store, with the hub of
// the break reminders of open pages; it returns the metrics' own handler
// too, for --metrics-addr.
func (c *serveCmd) handler(a *app, st *store.Store, hub *live.Hub, logger *slog.Logger, hosts []string) (http.Handler, http.Handler, error) {
	cfg := web.Config{
		Store:        st,
		Sessions:     st.SessionStore(web.PersonKey),
		Catalog:      a.catalog,
		Now:          a.now,
		Log:          logger,
		SingleUser:   c.SingleUser,
		TimeScale:    c.TimeScale,
		TrustProxy:   c.TrustProxy,
		Hosts:        hosts,
		Version:      version,
		MetricsToken: c.MetricsToken,
		Breaks:       hub,
		Ready: func(ctx context.Context) error {
			_, err := st.SchemaVersion(ctx)
			return err
		},
	}
	if st.Dialect() == store.Postgres {
		// Other servers may share the database: count every attempt
		// together.
		cfg.SharedLimits = st
	}
	if c.SingleUser {
		cfg.Local = func(ctx context.Context) (*backcoach.Person, error) {
			return (&app{ctx: ctx, globals: a.globals}).localPerson(st)
		}
	}
	srv, err := web.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	jsonAPI, err := api.New(api.Config{Store: st, Catalog: a.catalog, Now: a.now, Log: logger, Authenticate: srv.Authenticate, Breaks: hub})
	if err != nil {
		return nil, nil, err
	}
	srv.MountAPI(jsonAPI.Handler())
	return srv.Handler(), srv.MetricsHandler(), nil
}

// checkLoopback refuses an address that other computers could reach: a
// single-user install has no sign-in.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return backcoach.Invalid("--addr", "must be host:port, got %q", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return backcoach.Invalid("--addr", "must be a loopback address such as 127.0.0.1:8080 or [::1]:8080 with --single-user, which has no sign-in; got %q", addr)
	}
	return nil
}

// hosts returns the names the server answers to in the Host header, nil
// for any. On a loopback address they are the loopback names and
// addresses with the port it listens on, and the --allowed-host values:
// a web page elsewhere that has its own name resolve to this machine (DNS
// rebinding) is refused, so it cannot read or change what the server
// keeps. A single-user install, which has no sign-in, always checks; so
// does any server given --allowed-host. A server on a loopback address
// behind a proxy (--trust-proxy) without --allowed-host answers any name,
// as the proxy may pass on the public one.
func (c *serveCmd) hosts(addr net.Addr) []string {
	loopback := checkLoopback(c.Addr) == nil
	if !c.SingleUser && len(c.AllowedHost) == 0 && (!loopback || c.TrustProxy) {
		return nil
	}
	var hosts []string
	tcp, _ := addr.(*net.TCPAddr)
	if tcp != nil && (loopback || !tcp.IP.IsUnspecified()) {
		port := strconv.Itoa(tcp.Port)
		names := []string{tcp.IP.String()}
		if loopback {
			names = append(names, "localhost", "127.0.0.1", "::1")
		}
		seen := map[string]bool{}
		for _, n := range names {
			if hp := net.JoinHostPort(n, port); !seen[hp] {
				seen[hp] = true
				hosts = append(hosts, hp)
			}
		}
	}
	return append(hosts, c.AllowedHost...)
}

// hostsLog says which names the server answers to, for the start line.
func hostsLog(hosts []string) string {
	if hosts == nil {
		return "any"
	}
	return strings.Join(hosts, ",")
}

// serveUntil serves on ln until ctx ends, then stops taking new
// connections and lets the requests in flight finish. endStreams is
// called as the shutdown begins: it ends the long-lived answers (the
// break reminders' event streams), which would otherwise keep the
// shutdown waiting until its time ran out.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, endStreams func()) error {
	server := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	server.RegisterOnShutdown(endStreams)
	errc := make(chan error, 1)
	go func() { errc <- server.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := server.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}
