package web

import (
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// durationBuckets are the upper bounds, in seconds, of the request
// duration histogram.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts what the server does, for /metrics in the Prometheus
// text exposition format (version 0.0.4). Written by hand: a few
// counters do not need a client library.
type metrics struct {
	version string
	started time.Time

	inFlight atomic.Int64
	panics   atomic.Int64

	signinFailures atomic.Int64
	signinLimited  atomic.Int64
	signups        atomic.Int64

	mu        sync.Mutex
	requests  map[requestKey]int64
	durations map[string]*histogram
}

type requestKey struct {
	method, route string
	code          int
}

type histogram struct {
	counts []int64 // one per bucket, not cumulative
	sum    float64
	count  int64
}

func newMetrics(version string, started time.Time) *metrics {
	if version == "" {
		version = "dev"
	}
	return &metrics{version: version, started: started, requests: map[requestKey]int64{}, durations: map[string]*histogram{}}
}

// observe counts one finished request.
func (m *metrics) observe(method, route string, code int, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{method, route, code}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]int64, len(durationBuckets))}
		m.durations[route] = h
	}
	sec := took.Seconds()
	for i, b := range durationBuckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.count++
}

// text writes the exposition.
func (m *metrics) text() string {
	var b strings.Builder
	family(&b, "backcoach_build_info", "gauge", "The running program's version.")
	fmt.Fprintf(&b, "backcoach_build_info{version=%s} 1\n", quote(m.version))
	family(&b, "process_start_time_seconds", "gauge", "When the server started, in seconds since the Unix epoch.")
	fmt.Fprintf(&b, "process_start_time_seconds %d\n", m.started.Unix())
	family(&b, "go_goroutines", "gauge", "Goroutines that currently exist.")
	fmt.Fprintf(&b, "go_goroutines %d\n", runtime.NumGoroutine())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	family(&b, "go_memstats_heap_alloc_bytes", "gauge", "Bytes of allocated heap objects.")
	fmt.Fprintf(&b, "go_memstats_heap_alloc_bytes %d\n", ms.HeapAlloc)
	family(&b, "http_requests_in_flight", "gauge", "Requests being served now.")
	fmt.Fprintf(&b, "http_requests_in_flight %d\n", m.inFlight.Load())
	family(&b, "http_panics_total", "counter", "Handler panics recovered.")
	fmt.Fprintf(&b, "http_panics_total %d\n", m.panics.Load())
	family(&b, "backcoach_signin_failures_total", "counter", "Sign-ins refused for a wrong handle or password.")
	fmt.Fprintf(&b, "backcoach_signin_failures_total %d\n", m.signinFailures.Load())
	family(&b, "backcoach_signin_rate_limited_total", "counter", "Sign-ins refused because of too many attempts.")
	fmt.Fprintf(&b, "backcoach_signin_rate_limited_total %d\n", m.signinLimited.Load())
	family(&b, "backcoach_signups_total", "counter", "Accounts created.")
	fmt.Fprintf(&b, "backcoach_signups_total %d\n", m.signups.Load())

	m.mu.Lock()
	defer m.mu.Unlock()
	family(&b, "http_requests_total", "counter", "Requests served, by method, route and status code.")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.code < c.code
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "http_requests_total{method=%s,route=%s,code=\"%d\"} %d\n", quote(k.method), quote(k.route), k.code, m.requests[k])
	}
	family(&b, "http_request_duration_seconds", "histogram", "Time to serve a request, by route.")
	routes := make([]string, 0, len(m.durations))
	for r := range m.durations {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.durations[r]
		var cum int64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(r), strconv.FormatFloat(le, 'f', -1, 64), cum)
		}
		fmt.Fprintf(&b, "http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(r), h.count)
		fmt.Fprintf(&b, "http_request_duration_seconds_sum{route=%s} %s\n", quote(r), strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "http_request_duration_seconds_count{route=%s} %d\n", quote(r), h.count)
	}
	return b.String()
}

// family writes the HELP and TYPE lines of a metric.
func family(b *strings.Builder, name, kind, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

// quote writes a label value: quoted, with backslash, quote and newline
// escaped as the format asks.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// serveMetrics serves /metrics.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(s.metrics.text()))
}

// cheapHealthz answers GET /healthz ahead of the other middleware: a
// liveness probe asks it every few seconds, under any load, and it needs
// no session, compression, body limit or access log line. It carries the
// security headers all the same, and is counted in the metrics.
func (s *Server) cheapHealthz(next http.Handler) http.Handler {
	// The Host check holds here too: /healthz answers no name the server
	// does not answer to.
	health := securityHeaders(s.checkHost(http.HandlerFunc(s.healthz)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" || r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		health.ServeHTTP(w, r)
		s.metrics.observe(r.Method, "GET /healthz", http.StatusOK, time.Since(start))
	})
}

var healthzBody = []byte("ok\n")

// healthz says the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(healthzBody)
}

// readyz says whether the server can serve: the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			s.log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("not ready: the database does not answer\n"))
			return
		}
	}
	w.Write([]byte("ready\n"))
}
