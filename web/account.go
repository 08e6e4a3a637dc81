package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
)

// PersonKey is the session value that holds the signed-in person's id;
// the database's session store reads it to bind sessions to people.
const PersonKey = keyPerson

// The session keys.
const (
	keyPerson = "person_id"
)

type personKey struct{}

// personFrom returns the signed-in person the request carries, or nil.
func personFrom(ctx context.Context) *backcoach.Person {
	p, _ := ctx.Value(personKey{}).(*backcoach.Person)
	return p
}

// personHandler is a handler for a signed-in person's page.
type personHandler func(w http.ResponseWriter, r *http.Request, me *backcoach.Person)

// person lets only a signed-in person through; anyone else is asked to
// sign in (401).
func (s *Server) person(h personHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me, err := s.current(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), personKey{}, me))
		h(w, r, me)
	}
}

// errSignIn is the error for a page that needs a signed-in person.
var errSignIn = backcoach.Errorf(backcoach.EUNAUTHORIZED, "this page is only for signed-in people: sign in, or create an account")

// current returns the person the request's session belongs to: the
// local person of a single-user install, or the signed-in one.
func (s *Server) current(r *http.Request) (*backcoach.Person, error) {
	if s.cfg.SingleUser {
		return s.cfg.Local(r.Context())
	}
	if loaded, _ := r.Context().Value(sessionLoadedKey{}).(bool); !loaded {
		return nil, errSignIn
	}
	id := s.sessions.GetString(r.Context(), keyPerson)
	if id == "" {
		return nil, errSignIn
	}
	p, err := s.store.Person(r.Context(), id)
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
		// The account was deleted from elsewhere.
		s.sessions.Remove(r.Context(), keyPerson)
		return nil, errSignIn
	}
	return p, err
}

// withOptionalPerson adds the signed-in person, if any, to the request of
// a page anyone may see, so the layout can show the right navigation.
func (s *Server) withOptionalPerson(r *http.Request) *http.Request {
	me, err := s.current(r)
	if err != nil || me == nil {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), personKey{}, me))
}

// Authenticate says who sent an API request: the owner of a personal
// access token (Authorization: Bearer bc_...), the local person of a
// single-user install, or the person signed in with the session cookie.
// Anyone else gets an EUNAUTHORIZED error. The API calls it.
func (s *Server) Authenticate(r *http.Request) (*backcoach.Person, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.bearer(r, h)
	}
	return s.current(r)
}

// bearer finds the owner of a personal access token, and refuses what
// the token's scope does not allow.
func (s *Server) bearer(r *http.Request, header string) (*backcoach.Person, error) {
	ctx := r.Context()
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(token, auth.TokenPrefix) {
		return nil, backcoach.Errorf(backcoach.EUNAUTHORIZED, "the Authorization header must be \"Bearer \" followed by a personal access token (it starts with %s); create one in Settings", auth.TokenPrefix)
	}
	p, tok, err := s.store.PersonByTokenHash(ctx, auth.TokenHash(token))
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
		return nil, backcoach.Errorf(backcoach.EUNAUTHORIZED, "the access token is not known: it may have been revoked; create a new one in Settings")
	}
	if err != nil {
		return nil, err
	}
	if err := tok.Allows(r.Method); err != nil {
		return nil, err
	}
	return p, nil
}

// authForm is the sign-in and sign-up form with what was typed and what
// was wrong, field by field.
type authForm struct {
	Mode     string // "signin" or "signup"
	Handle   string
	Name     string
	TimeZone string
	Next     string
	Errors   map[string]string
	Message  string
	Out      bool // just signed out
}

func (f *authForm) title() (string, string) {
	if f.Mode == "signup" {
		return "Create an account", "signup"
	}
	return "Sign in", "signin"
}

func (f *authForm) signedOut() bool { return f.Out }

// fieldError files an error under its field, or as the form's message.
func (f *authForm) fieldError(err error) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	fe := formErrors(f.Errors)
	fe.add(err)
	if msg, ok := fe["form"]; ok {
		f.Message = msg
		delete(fe, "form")
	}
}

// home is Today for a signed-in person, and the welcome page otherwise.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	me, err := s.current(r)
	if err != nil {
		if backcoach.ErrorCode(err) == backcoach.EUNAUTHORIZED {
			s.render(w, r, "welcome", s.welcome())
			return
		}
		s.fail(w, r, err)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), personKey{}, me))
	s.todayPage(w, r, me)
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) {
	if s.cfg.SingleUser {
		redirect(w, r, "/")
		return
	}
	s.render(w, r, "signin", &authForm{Mode: "signup", Next: "/assess"})
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	if s.cfg.SingleUser {
		redirect(w, r, "/")
		return
	}
	f := &authForm{Mode: "signin", Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("out") == "1" {
		f.Out = true
		f.Message = "You are signed out. The pages kept on this device for offline use were removed."
	}
	s.render(w, r, "signin", f)
}

// reservedHandles may not be taken at sign-up: the command line's local
// account would otherwise become someone's.
var reservedHandles = []string{backcoach.LocalHandle, "admin", "root", "api", "backcoach"}

// The caps of the sign-up and sign-in forms' fields, checked before
// anything else.
var (
	signupCaps = fieldCaps{
		{"handle", backcoach.MaxHandleBytes}, {"name", backcoach.MaxNameRunes * utf8.UTFMax}, {"time_zone", 100},
		{"password", auth.MaxPasswordBytes}, {"confirm", auth.MaxPasswordBytes},
	}
	signinCaps = fieldCaps{{"handle", backcoach.MaxHandleBytes}, {"password", auth.MaxPasswordBytes}, {"next", maxNextBytes}}
)

// signup creates an account, signs it in and starts the introduction.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	if s.cfg.SingleUser {
		redirect(w, r, "/")
		return
	}
	if !s.readSmallForm(w, r, authFormBytes) {
		return
	}
	if err := signupCaps.check(r); err != nil {
		f := &authForm{Mode: "signup", Next: "/assess"}
		f.fieldError(err)
		s.renderStatus(w, r, http.StatusBadRequest, "signin", f)
		return
	}
	if ok, wait := s.allowSignup(r.Context(), limitAddr(s.clientAddr(r))); !ok {
		f := &authForm{Mode: "signup", Next: "/assess", Message: "Too many accounts were created from your network just now. Wait a minute, then try again."}
		retryAfter(w, wait)
		s.renderStatus(w, r, http.StatusTooManyRequests, "signin", f)
		return
	}
	f := &authForm{
		Mode:     "signup",
		Handle:   strings.ToLower(strings.TrimSpace(r.PostFormValue("handle"))),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		TimeZone: strings.TrimSpace(r.PostFormValue("time_zone")),
		Next:     "/assess",
	}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	p := &backcoach.Person{Handle: f.Handle, Name: f.Name, Role: backcoach.RolePerson}
	prof := &backcoach.Profile{TimeZone: f.TimeZone}
	if prof.TimeZone == "" {
		prof.TimeZone = backcoach.DefaultTimeZone
	}
	err := checkSignup(p, prof, password, confirm)
	var hash string
	if err == nil {
		if werr := s.passwordWork(r.Context(), func() { hash, err = auth.HashWith(password, s.cfg.PasswordParams) }); werr != nil {
			err = werr
		}
	}
	if err == nil {
		err = s.store.CreatePerson(r.Context(), p)
		if backcoach.ErrorCode(err) == backcoach.ECONFLICT {
			err = backcoach.Invalid("handle", "%q is taken: choose another", f.Handle)
		}
	}
	if err == nil {
		err = s.store.SetPasswordHash(r.Context(), p.ID, hash)
	}
	if err == nil {
		err = s.store.SaveProfile(r.Context(), p.ID, prof)
	}
	if code := backcoach.ErrorCode(err); code == backcoach.EINVALID {
		f.fieldError(err)
		s.renderStatus(w, r, http.StatusBadRequest, "signin", f)
		return
	} else if err != nil {
		s.failUnlessGone(w, r, err)
		return
	}
	s.metrics.signups.Add(1)
	if err := s.signIn(r.Context(), p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	// A new account first reads, in three screens, what will happen
	// (skippable), then takes the safety check.
	redirect(w, r, "/start")
}

// checkSignup applies the rules of a new account before anything is
// stored.
func checkSignup(p *backcoach.Person, prof *backcoach.Profile, password, confirm string) error {
	fe := formErrors{}
	if p.Handle == "" {
		fe.add(backcoach.Invalid("handle", "must be given: a short name to sign in with, such as sam or sam.lee"))
	}
	for _, h := range reservedHandles {
		if p.Handle == h {
			fe.add(backcoach.Invalid("handle", "%q is reserved: choose another", p.Handle))
		}
	}
	check := *p
	everyError(fe, check.Validate, func(field string) {
		switch field {
		case "handle":
			check.Handle = ""
		case "name":
			check.Name = ""
		}
	})
	fe.add(auth.CheckPassword("password", password, p.Handle, p.Name))
	if password != confirm {
		fe.add(backcoach.Invalid("confirm", "must be the same password again"))
	}
	fe.add(prof.Validate())
	if len(fe) > 0 {
		return formProblems(fe)
	}
	return nil
}

// signIn signs a person in with a new session token, so that a
// token known before signing in is worth nothing after.
func (s *Server) signIn(ctx context.Context, personID string) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, keyPerson, personID)
	return nil
}

// errBadCredentials is the one answer for a wrong handle or password, so
// that it does not tell which handles exist.
var errBadCredentials = backcoach.Errorf(backcoach.EUNAUTHORIZED, "the handle or the password is wrong")

// signin checks the handle and password, within the rate limits.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	if s.cfg.SingleUser {
		redirect(w, r, "/")
		return
	}
	if !s.readSmallForm(w, r, authFormBytes) {
		return
	}
	if err := signinCaps.check(r); err != nil {
		f := &authForm{Mode: "signin", Next: "/"}
		f.fieldError(err)
		s.renderStatus(w, r, http.StatusBadRequest, "signin", f)
		return
	}
	f := &authForm{
		Mode:   "signin",
		Handle: strings.ToLower(strings.TrimSpace(r.PostFormValue("handle"))),
		Next:   safeNext(r.PostFormValue("next")),
	}
	addr := limitAddr(s.clientAddr(r))
	if ok, wait := s.allowSignin(r.Context(), addr, f.Handle); !ok {
		s.metrics.signinLimited.Add(1)
		s.auditSignIn(r.Context(), f.Handle, backcoach.AuditLockOut)
		f.Message = "Too many sign-in attempts. Wait a minute, then try again."
		retryAfter(w, wait)
		s.renderStatus(w, r, http.StatusTooManyRequests, "signin", f)
		return
	}
	p, err := s.checkPassword(r.Context(), f.Handle, r.PostFormValue("password"))
	if backcoach.ErrorCode(err) == backcoach.EUNAUTHORIZED {
		s.metrics.signinFailures.Add(1)
		s.auditSignIn(r.Context(), f.Handle, backcoach.AuditSignInFailure)
		f.Message = messageOf(err)
		s.renderStatus(w, r, http.StatusUnauthorized, "signin", f)
		return
	}
	if err != nil {
		s.failUnlessGone(w, r, err)
		return
	}
	s.signedIn(r.Context(), addr, f.Handle)
	if err := s.signIn(r.Context(), p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.recordSignIn(r.Context(), p.ID, backcoach.AuditSignIn)
	redirect(w, r, f.Next)
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// checkPassword returns the person whose handle and password these are.
// An unknown handle costs the same time as a wrong password. A hash made
// with older, weaker costs is replaced.
func (s *Server) checkPassword(ctx context.Context, handle, password string) (*backcoach.Person, error) {
	p, err := s.store.PersonByHandle(ctx, handle)
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND || handle == "" {
		return nil, s.verifyDummy(ctx, password)
	}
	if err != nil {
		return nil, err
	}
	hash, err := s.store.PasswordHash(ctx, p.ID)
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
		return nil, s.verifyDummy(ctx, password)
	}
	if err != nil {
		return nil, err
	}
	var ok bool
	if err := s.passwordWork(ctx, func() { ok = auth.Verify(password, hash) }); err != nil {
		return nil, err
	}
	if !ok {
		return nil, errBadCredentials
	}
	if s.cfg.PasswordParams == auth.Default && auth.NeedsRehash(hash) {
		var h string
		var herr error
		if err := s.passwordWork(ctx, func() { h, herr = auth.Hash(password) }); err == nil && herr == nil {
			if err := s.store.SetPasswordHash(ctx, p.ID, h); err != nil {
				s.log.Warn("could not replace an old password hash", "err", err)
			}
		}
	}
	return p, nil
}

// verifyDummy spends the time (and takes the hashing slot) of one
// verification, and returns errBadCredentials.
func (s *Server) verifyDummy(ctx context.Context, password string) error {
	err := s.passwordWork(ctx, func() {
		dummyOnce.Do(func() { dummyHash, _ = auth.HashWith("not a password of anyone", s.cfg.PasswordParams) })
		auth.Verify(password, dummyHash)
	})
	if err != nil {
		return err
	}
	return errBadCredentials
}

// signout ends the session: the token is renewed and holds no person.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if s.cfg.SingleUser {
		redirect(w, r, "/")
		return
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), keyPerson)
	redirect(w, r, "/signin?out=1")
}
