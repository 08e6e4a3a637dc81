package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/httpstatus"
)

// errorPage is what the error template shows.
type errorPage struct {
	Status  int
	Title   string
	Message string
	// SignIn offers the sign-in form, for a page that needs it.
	SignIn *authForm
}

// fail answers a request with the error: a page, or a JSON problem for a
// script or the player. Internal faults are logged and shown as a
// generic line; the person never sees their details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := backcoach.ErrorCode(err)
	status := httpstatus.Of(code)
	msg := backcoach.ErrorMessage(err)
	pageMsg := messageOf(err)
	switch {
	case status == http.StatusServiceUnavailable:
		s.log.Warn("the database does not answer", "method", r.Method, "path", logPath(r.URL.Path), "err", err)
		msg = "The database does not answer for now. Please try again in a moment."
		pageMsg = msg
		w.Header().Set("Retry-After", httpstatus.RetryAfterSeconds)
	case status >= 500:
		s.log.Error("internal error", "method", r.Method, "path", logPath(r.URL.Path), "err", err)
		msg = "An internal error occurred; it has been logged. Please try again in a moment."
		pageMsg = msg
	}
	w.Header().Set("Cache-Control", "no-store")
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{
			"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": msg, "code": code,
		})
		return
	}
	page := errorPage{Status: status, Title: errorTitle(status), Message: pageMsg}
	if status == http.StatusUnauthorized && !s.cfg.SingleUser {
		page.SignIn = &authForm{Next: safeNext(r.URL.RequestURI())}
		if r.Method != http.MethodGet {
			// A form sent after the sign-in expired: back to the page it
			// was sent from (this site's, as the browser says), else home.
			page.SignIn.Next = "/"
			if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
				page.SignIn.Next = safeNext(ref.RequestURI())
			}
		}
	}
	s.renderStatus(w, r, status, "error", page)
}

// errorTitle names a status in plain words.
func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Something in the form needs changing"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusConflict:
		return "That changed meanwhile, or exists already"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	default:
		return "Something went wrong on our side"
	}
}

// wantsJSON reports whether the caller reads JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") ||
		strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

// notFound answers for any path the app does not serve.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, backcoach.Errorf(backcoach.ENOTFOUND, "there is no page at %s", clipPath(r.URL.Path)))
}

func clipPath(p string) string {
	if len(p) > 80 {
		return p[:80] + "…"
	}
	return p
}

// safeNext keeps a redirect target inside the app: a path of this site
// as the browser will read it, never another site; anything else is "/".
// Browsers drop tabs and newlines from a URL and read a backslash as a
// slash, so '/', a tab, "/evil.example" (or '/', a backslash and
// "evil.example") would reach //evil.example, another site: a target with
// any of them, or any other control character, is refused, and what is
// left must parse as a path alone (no scheme, no host) starting with a
// single '/'.
func safeNext(next string) string {
	if next == "" || len(next) > maxNextBytes || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
