package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// hstsHeader tells browsers to come back over HTTPS only, for a year,
// once they have reached the app over TLS.
const hstsHeader = "max-age=31536000"

// hostCookie is the session cookie's name over TLS: the __Host- prefix
// makes browsers refuse it unless it is Secure, for this host only and for
// every path, so that a sibling subdomain cannot plant a session.
const hostCookie = "__Host-" + sessionCookie

// strictTransport sends Strict-Transport-Security on every answer that
// went out over TLS, directly or behind a trusted proxy that says so
// (isSecure). Over plain HTTP it would mean nothing, and is not sent.
func (s *Server) strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.isSecure(r) {
			w.Header().Set("Strict-Transport-Security", hstsHeader)
		}
		next.ServeHTTP(w, r)
	})
}

// hostPrefixCookie gives the session cookie the __Host- prefix over TLS:
// the session library reads and writes its plain name, and this renames
// it on the way in and out. Over TLS a cookie of the plain name is
// ignored: it can only have been set without the prefix's guarantees.
func (s *Server) hostPrefixCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.isSecure(r) {
			next.ServeHTTP(w, r)
			return
		}
		if len(r.Header.Values("Cookie")) > 0 {
			r = r.Clone(r.Context())
			var kept []string
			for _, c := range r.Cookies() {
				switch c.Name {
				case sessionCookie:
					continue
				case hostCookie:
					c.Name = sessionCookie
				}
				kept = append(kept, c.String())
			}
			r.Header.Del("Cookie")
			if len(kept) > 0 {
				r.Header.Set("Cookie", strings.Join(kept, "; "))
			}
		}
		next.ServeHTTP(&hostCookieWriter{ResponseWriter: w}, r)
	})
}

// hostCookieWriter renames the session cookie as the headers go out.
type hostCookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *hostCookieWriter) rename() {
	if w.done {
		return
	}
	w.done = true
	cookies := w.Header()["Set-Cookie"]
	for i, c := range cookies {
		if strings.HasPrefix(c, sessionCookie+"=") {
			c = "__Host-" + c
			if !strings.Contains(strings.ToLower(c), "; secure") {
				c += "; Secure"
			}
			cookies[i] = c
		}
	}
}

func (w *hostCookieWriter) WriteHeader(code int) { w.rename(); w.ResponseWriter.WriteHeader(code) }
func (w *hostCookieWriter) Write(b []byte) (int, error) {
	w.rename()
	return w.ResponseWriter.Write(b)
}
func (w *hostCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// metricsGate serves /metrics on the app's own address only to a caller
// with the metrics token (Config.MetricsToken) as a bearer token; without
// a token configured, it is not served there at all (404): the figures
// (routes, sign-in failures) are for operators, who read them on the
// separate metrics address (MetricsHandler) or with the token.
func (s *Server) metricsGate(w http.ResponseWriter, r *http.Request) {
	want := s.cfg.MetricsToken
	if want == "" {
		s.notFound(w, r)
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="backcoach metrics"`)
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "the metrics need the metrics token, sent as Authorization: Bearer <token>", http.StatusUnauthorized)
		return
	}
	s.serveMetrics(w, r)
}

// MetricsHandler serves the metrics alone, without a token, for a listener
// of their own (serve --metrics-addr) that only operators reach.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	return mux
}
