package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/backcoach/backcoach"
)

// routes builds the mux and wraps it in the middleware, outermost first:
// panic recovery, metrics and the access log, security headers, the
// Host header's check, compression, request size limits, cross-origin
// protection, and the session cookie.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, routed(pattern, h))
	}

	// Operations and the PWA's files: no session needed.
	handle("GET /healthz", s.healthz)
	handle("GET /readyz", s.readyz)
	handle("GET /metrics", s.metricsGate)
	handle("GET /static/{path...}", s.serveStatic)
	handle("GET /sw.js", s.serviceWorker)
	handle("GET /manifest.webmanifest", s.manifest)
	handle("GET /favicon.ico", s.favicon)
	handle("GET /offline", s.offline)
	// A calendar feed, for calendar apps: its secret address is the key.
	handle("GET /calendar/{file}", s.calendarFile)

	// Accounts.
	handle("GET /signup", s.signupForm)
	handle("POST /signup", s.signup)
	handle("GET /signin", s.signinForm)
	handle("POST /signin", s.signin)
	handle("POST /signout", s.signout)

	// The exercise library is the same for everyone.
	handle("GET /exercises", s.library)
	handle("GET /exercises/{id}", s.exercisePage)
	handle("GET /exercises/{id}/picture", s.exercisePicture)
	handle("GET /exercises/{id}/moving", s.exerciseMoving)
	handle("GET /learn", s.learnIndex)
	handle("GET /learn/{topic}", s.learnTopic)

	// A person's own pages.
	handle("GET /{$}", s.home)
	handle("GET /start", s.person(s.onboarding))
	handle("GET /assess", s.person(s.assessStart))
	handle("POST /assess", s.person(s.assessStep))
	handle("GET /assessments", s.person(s.assessmentList))
	handle("GET /assessments/{id}", s.person(s.assessmentPage))
	handle("GET /plan", s.person(s.todaysPlan))
	handle("POST /plan", s.person(s.changePlan))
	handle("GET /plans/{id}", s.person(s.planPage))
	handle("GET /plans/{id}/session", s.person(s.player))
	handle("GET /session", s.person(s.startSession))
	handle("POST /session/check", s.person(s.symptomCheck))
	handle("POST /sessions", s.person(s.saveSession))
	handle("GET /sessions/{id}", s.person(s.sessionPage))
	handle("POST /sessions/{id}/delete", s.person(s.deleteSession))
	handle("GET /break", s.person(s.breakPage))
	handle("GET /safety", s.person(s.safetyPage))
	handle("POST /safety", s.person(s.recordClearance))
	handle("GET /diary", s.person(s.diaryPage))
	handle("POST /diary", s.person(s.addDiary))
	handle("GET /diary/{id}", s.person(s.diaryEntryForm))
	handle("POST /diary/{id}", s.person(s.updateDiary))
	handle("POST /diary/{id}/delete", s.person(s.deleteDiary))
	handle("GET /settings", s.person(s.settingsPage))
	handle("GET /settings/advanced", s.person(s.advancedPage))
	handle("POST /settings/profile", s.person(s.saveSettings))
	handle("POST /settings/breaks", s.person(s.saveBreakSettings))
	handle("POST /settings/password", s.person(s.changePassword))
	handle("POST /settings/tokens", s.person(s.createToken))
	handle("POST /settings/tokens/{id}/revoke", s.person(s.revokeToken))
	handle("GET /settings/export", s.person(s.exportData))
	handle("GET /settings/report", s.person(s.reportPDF))
	handle("GET /settings/export.zip", s.person(s.exportCSV))
	handle("GET /settings/export.fhir", s.person(s.exportFHIR))
	handle("POST /settings/delete", s.person(s.deleteAccount))
	handle("GET /settings/sharing", s.person(s.sharingPage))
	handle("POST /settings/sharing/{id}/stop", s.person(s.stopSharing))
	handle("GET /settings/calendar", s.person(s.calendarPage))
	handle("POST /settings/calendar", s.person(s.makeCalendarFeed))
	handle("POST /settings/calendar/revoke", s.person(s.revokeCalendarFeed))
	handle("GET /join/{code}", s.person(s.joinPage))
	handle("POST /join/{code}", s.person(s.join))

	// Clinic mode: a clinician's pages (404 to anyone else).
	handle("GET /clinic", s.person(s.clinicPage))
	handle("POST /clinic/invitations", s.person(s.invite))
	handle("GET /clinic/patients/{id}", s.person(s.patientPage))
	handle("POST /clinic/patients/{id}/programme", s.person(s.assignProgramme))
	handle("GET /clinic/admin", s.person(s.clinicAdmin))
	handle("POST /clinic/admin", s.person(s.addClinician))

	// The JSON API, and everything else.
	handle("/api/v1/", s.serveAPI)
	handle("/", s.notFound)

	var withSession http.Handler = s.sessions.LoadAndSave(markSessionLoaded(mux))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, backcoach.Errorf(backcoach.EFORBIDDEN, "this form was sent from another site, so it was refused; open the page on this site and send it again"))
	}))
	withSession = cop.Handler(withSession)
	// Static files, pictures and the operational endpoints are the same
	// for everyone: they skip the session, and so the database.
	h := http.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionless(r) {
			mux.ServeHTTP(w, r)
			return
		}
		withSession.ServeHTTP(w, r)
	}))
	h = limitBody(h)
	h = compress(h)
	h = s.checkHost(h)
	h = securityHeaders(h)
	h = s.secureCookies(h)
	h = s.hostPrefixCookie(h)
	h = s.strictTransport(h)
	h = s.observe(h)
	h = s.recoverPanics(h)
	h = s.cheapHealthz(h)
	return h
}

// serveAPI hands the request to the mounted API, or says there is none.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if s.api == nil {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"the JSON API is not served by this program"}` + "\n"))
		return
	}
	s.api.ServeHTTP(w, r)
}

// sessionLoadedKey marks a request whose session scs has loaded.
type sessionLoadedKey struct{}

// markSessionLoaded notes that the session is in the request's context,
// so that Authenticate called outside the middleware answers "nobody"
// instead of failing.
func markSessionLoaded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionLoadedKey{}, true)))
	})
}

// sessionless reports whether a request is for something that is the
// same for everyone and needs no session: read-only requests for static
// files, exercise pictures, the PWA's files and the operational
// endpoints; and calendar feeds, which their secret address opens.
func sessionless(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	switch p {
	case "/healthz", "/readyz", "/metrics", "/sw.js", "/manifest.webmanifest", "/favicon.ico":
		return true
	}
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, calendarPrefix) || (strings.HasPrefix(p, "/exercises/") && (strings.HasSuffix(p, "/picture") || strings.HasSuffix(p, "/moving")))
}
