package web

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
)

// contentSecurityPolicy allows scripts, styles, pictures and connections
// from the app itself only: no inline script, no inline style, no
// framing, forms post only here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; media-src 'none'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		next.ServeHTTP(w, r)
	})
}

// limitBody caps what a request may send.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxFormBytes {
			w.Header().Set("Connection", "close")
			http.Error(w, fmt.Sprintf("the request is %d bytes; at most %d are accepted", r.ContentLength, maxFormBytes), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		next.ServeHTTP(w, r)
	})
}

// isSecure reports whether the request reached the person over TLS,
// directly or through a trusted proxy that says so.
func (s *Server) isSecure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientAddr is the address requests are counted against for rate
// limits: the connection's, or behind a trusted proxy the address that
// proxy saw, which it appended last to X-Forwarded-For. The entries
// before it are whatever the client sent, so they are never believed.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
			last := fwd[len(fwd)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			last = strings.TrimSpace(last)
			if host, _, err := net.SplitHostPort(last); err == nil {
				last = host
			}
			if ip := net.ParseIP(last); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secureCookies marks every cookie Secure when the request came over TLS.
func (s *Server) secureCookies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.isSecure(r) {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&secureCookieWriter{ResponseWriter: w}, r)
	})
}

type secureCookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookieWriter) mark() {
	if w.done {
		return
	}
	w.done = true
	cookies := w.Header()["Set-Cookie"]
	for i, c := range cookies {
		if !strings.Contains(strings.ToLower(c), "; secure") {
			cookies[i] = c + "; Secure"
		}
	}
}

func (w *secureCookieWriter) WriteHeader(code int) { w.mark(); w.ResponseWriter.WriteHeader(code) }
func (w *secureCookieWriter) Write(b []byte) (int, error) {
	w.mark()
	return w.ResponseWriter.Write(b)
}
func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverPanics turns a panic in a handler into a logged 500 page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", logPath(r.URL.Path), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.metrics.panics.Add(1)
			s.fail(w, r, backcoach.Errorf(backcoach.EINTERNAL, "panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}

// routeKey carries the matched route's pattern up to the metrics and the
// access log.
type routeKey struct{}

type routeInfo struct{ pattern string }

// routed records the pattern a handler was registered with.
func routed(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ri, ok := r.Context().Value(routeKey{}).(*routeInfo); ok {
			ri.pattern = pattern
		}
		h.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe counts every request in the metrics and writes one access log
// line: method, path (without the query), route, status, size, time and
// the client address. Never cookies, headers, query strings or bodies,
// which may carry secrets, nor a calendar feed's secret address (logPath).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &routeInfo{}
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, ri))
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inFlight.Add(1)
		defer func() {
			s.metrics.inFlight.Add(-1)
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			took := time.Since(start)
			route := ri.pattern
			if route == "" {
				route = "unmatched"
			}
			s.metrics.observe(r.Method, route, sw.status, took)
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method),
				slog.String("path", logPath(r.URL.Path)),
				slog.String("route", route),
				slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("took", took),
				slog.String("client", s.clientAddr(r)),
			)
		}()
		next.ServeHTTP(sw, r)
	})
}

// compressible lists the content types worth compressing.
var compressible = []string{"text/html", "text/css", "text/javascript", "application/javascript", "application/json", "application/problem+json", "application/manifest+json", "image/svg+xml", "text/plain",
	"text/calendar"}

// minCompress is the smallest body worth compressing.
const minCompress = 512

// noCompressHeader is set by a handler on a response that must not be
// compressed: one that shows a secret next to text the person typed,
// which compression could leak (BREACH). It is removed before sending.
const noCompressHeader = "X-Backcoach-No-Compress"

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return w
}}

// compress gzips responses of the compressible types when the client
// accepts it. Static files arrive compressed already (Content-Encoding
// set) and pass through.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r) || r.Method == http.MethodHead {
			next.ServeHTTP(&stripWriter{ResponseWriter: w}, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// acceptsGzip reports whether the client takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// stripWriter removes the no-compress marker.
type stripWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *stripWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Del(noCompressHeader)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *stripWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *stripWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// gzipWriter compresses the body when the response turns out to be
// worth it; it decides at the first WriteHeader.
type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.decided {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.decided = true
	h := w.Header()
	skip := h.Get(noCompressHeader) != ""
	h.Del(noCompressHeader)
	if !skip && code != http.StatusNoContent && code != http.StatusNotModified && h.Get("Content-Encoding") == "" && worthCompressing(h) {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		gz := gzipPool.Get().(*gzip.Writer)
		gz.Reset(w.ResponseWriter)
		w.gz = gz
	}
	w.ResponseWriter.WriteHeader(code)
}

func worthCompressing(h http.Header) bool {
	ct := h.Get("Content-Type")
	if n := h.Get("Content-Length"); n != "" {
		var size int
		if _, err := fmt.Sscan(n, &size); err == nil && size < minCompress {
			return false
		}
	}
	for _, t := range compressible {
		if strings.HasPrefix(ct, t) {
			return true
		}
	}
	return false
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipWriter) Flush() {
	if w.gz != nil {
		w.gz.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *gzipWriter) close() {
	if w.gz == nil {
		return
	}
	w.gz.Close()
	w.gz.Reset(io.Discard)
	gzipPool.Put(w.gz)
	w.gz = nil
}

func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack lets the API upgrade a connection, should it ever need to.
func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("hijacking is not supported")
}

// secretPaths start addresses whose rest is a secret: a calendar feed's
// and a clinic invitation's code.
var secretPaths = []string{calendarPrefix, "/join/"}

// logPath is the path as logs write it: the secret of a feed's or an
// invitation's address is left out.
func logPath(p string) string {
	for _, prefix := range secretPaths {
		if strings.HasPrefix(p, prefix) {
			return prefix + "[secret]"
		}
	}
	return p
}
