package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
)

// The calendar feed: GET /calendar/{secret}.ics serves a person's planned
// sessions and check-in reminders to any calendar app, with no cookie;
// Settings → Calendar feed makes its address (shown once), replaces it
// and revokes it. The coach decides what goes in (coach.CalendarBySecret).
//
// The secret is the whole of the feed's protection, so it is kept out of
// every log: the access log writes the path as /calendar/[secret]
// (logPath), and the feed's errors are written here, without the path.

// calendarPrefix starts a feed's address.
const calendarPrefix = "/calendar/"

// The limits on fetching feeds. Calendar apps refresh a subscription
// every few minutes to every few hours, and a hosted calendar fetches
// for many people from few addresses: so each address may fetch often,
// and each feed address at most a few times a minute.
const (
	feedAddrBurst   = 60
	feedAddrEvery   = time.Second
	feedSecretBurst = 6
	feedSecretEvery = 20 * time.Second
)

// feedLimiter keeps the limits on fetching feeds in this server.
type feedLimiter struct {
	mu      sync.Mutex
	addrs   *lru
	secrets *lru
}

func newFeedLimiter(entries int) *feedLimiter {
	return &feedLimiter{addrs: newLRU(entries), secrets: newLRU(entries)}
}

// allowFeed reports whether one more fetch of the feed secret from addr
// may go ahead, and if not, how long to wait; with SharedLimits the
// servers sharing a database count together.
func (s *Server) allowFeed(ctx context.Context, addr, secret string) (bool, time.Duration) {
	now := s.now()
	l := s.feeds
	l.mu.Lock()
	ok, wait := allowAll(now,
		bucket{table: l.addrs, key: keyOf("feed-addr", addr), burst: feedAddrBurst, every: feedAddrEvery},
		bucket{table: l.secrets, key: keyOf("feed", secret), burst: feedSecretBurst, every: feedSecretEvery})
	l.mu.Unlock()
	if !ok || s.cfg.SharedLimits == nil {
		return ok, wait
	}
	return s.takeShared(ctx, now,
		backcoach.RateLimit{Key: sharedKey("feed-addr", addr), Burst: feedAddrBurst, Every: feedAddrEvery},
		backcoach.RateLimit{Key: sharedKey("feed", secret), Burst: feedSecretBurst, Every: feedSecretEvery})
}

// calendarFile serves a feed: text/calendar, never stored by a cache. An
// address that names no feed (never made, replaced or revoked) is 404.
func (s *Server) calendarFile(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || secret == "" {
		feedError(w, http.StatusNotFound, "No calendar feed has this address.")
		return
	}
	if ok, wait := s.allowFeed(r.Context(), s.clientAddr(r), secret); !ok {
		retryAfter(w, wait)
		feedError(w, http.StatusTooManyRequests, "Too many requests for calendar feeds; try again later.")
		return
	}
	cal, err := s.coach.CalendarBySecret(r.Context(), secret)
	switch backcoach.ErrorCode(err) {
	case "":
	case backcoach.ENOTFOUND:
		feedError(w, http.StatusNotFound, "No calendar feed has this address: it was never made, or it was replaced or revoked in Settings.")
		return
	default:
		s.log.Error("calendar feed", "err", err)
		feedError(w, http.StatusInternalServerError, "The calendar could not be read; it has been logged. Please try again later.")
		return
	}
	body, err := cal.ICal(s.origin(r)).Marshal()
	if err != nil {
		s.log.Error("calendar feed", "err", err)
		feedError(w, http.StatusInternalServerError, "The calendar could not be written; it has been logged. Please try again later.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="backcoach.ics"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// feedError answers a calendar app in plain text.
func feedError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}

// origin is this site's address as the request reached it (the Host
// header is checked by the middleware).
func (s *Server) origin(r *http.Request) string {
	scheme := "http"
	if s.isSecure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// calendarView is the Calendar feed page of the settings.
type calendarView struct {
	// Feed is the person's feed, nil when they have none.
	Feed *backcoach.CalendarFeed
	Form calendarForm
	// URL and Webcal are the new feed's address, shown once after it is
	// made: https:// for copying, webcal:// to open a calendar app.
	URL    string
	Webcal template.URL
	Saved  string
	Zone   string
	Handle string
}

func (calendarView) title() (string, string) { return "Calendar feed", "settings" }
func (calendarView) script() string          { return "calendar.js" }

// calendarForm chooses the times of the feed's events. Errors are by
// field: session_time, check_in_time, password.
type calendarForm struct {
	SessionTime, CheckInTime string
	Errors                   map[string]string
}

func (s *Server) calendarData(ctx context.Context, me *backcoach.Person) (*calendarView, error) {
	prof, err := s.store.Profile(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	v := &calendarView{Zone: prof.TimeZone, Handle: me.Handle,
		Form: calendarForm{SessionTime: backcoach.DefaultSessionTime, CheckInTime: backcoach.DefaultCheckInTime, Errors: map[string]string{}}}
	f, err := s.store.CalendarFeed(ctx, me.ID)
	switch backcoach.ErrorCode(err) {
	case "":
		loc := prof.Location()
		f.CreatedAt = f.CreatedAt.In(loc)
		if f.LastUsedAt != nil {
			u := f.LastUsedAt.In(loc)
			f.LastUsedAt = &u
		}
		v.Feed = f
		v.Form.SessionTime, v.Form.CheckInTime = f.SessionTime, f.CheckInTime
	case backcoach.ENOTFOUND:
	default:
		return nil, err
	}
	return v, nil
}

// calendarPage shows the person's feed: when it was made and last read,
// and the forms to make a new address or revoke it.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.calendarData(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") == "revoked" {
		v.Saved = "The calendar feed is revoked: its address no longer works, and calendar apps subscribed to it stop getting updates."
	}
	s.render(w, r, "calendar", v)
}

// makeCalendarFeed makes a new feed address, replacing the old, after the
// person types their password again (as for an access token: a stolen
// session alone cannot open a lasting window onto the person's days), and
// shows the address once. The page is neither cached nor compressed.
func (s *Server) makeCalendarFeed(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	f := calendarForm{SessionTime: strings.TrimSpace(r.PostFormValue("session_time")), CheckInTime: strings.TrimSpace(r.PostFormValue("check_in_time"))}
	fe := formErrors{}
	fe.add(backcoach.CheckClock("session_time", f.SessionTime))
	fe.add(backcoach.CheckClock("check_in_time", f.CheckInTime))
	var err error
	status := http.StatusBadRequest
	if !s.cfg.SingleUser {
		status, err = s.confirmPassword(r.Context(), w, me, r.PostFormValue("password"), "password", "is not your current password: type it again to make a calendar feed")
	}
	if err == nil && len(fe) > 0 {
		err = errFormProblems
	}
	secret := ""
	if err == nil {
		secret, _, err = s.coach.MakeCalendarFeed(r.Context(), me.ID, f.SessionTime, f.CheckInTime)
	}
	if err != nil && backcoach.ErrorCode(err) != backcoach.EINVALID {
		s.fail(w, r, err)
		return
	}
	v, verr := s.calendarData(r.Context(), me)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	if err != nil {
		fe.add(err)
		f.Errors = fe
		v.Form = f
		s.renderStatus(w, r, status, "calendar", v)
		return
	}
	v.URL = s.origin(r) + calendarPrefix + url.PathEscape(secret) + ".ics"
	// The webcal scheme is not one html/template trusts; this address is
	// the server's own, with a secret of URL-safe characters.
	v.Webcal = template.URL("webcal://" + strings.TrimPrefix(strings.TrimPrefix(v.URL, "https://"), "http://"))
	v.Saved = "Your calendar feed is made. Any address made before no longer works."
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(noCompressHeader, "1")
	s.renderStatus(w, r, http.StatusCreated, "calendar", v)
}

// revokeCalendarFeed ends the person's feed at once.
func (s *Server) revokeCalendarFeed(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := s.store.RevokeCalendarFeed(r.Context(), me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/settings/calendar?saved=revoked")
}
