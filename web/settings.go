package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
)

// settingsView is the person's settings page: profile, conditions,
// places, equipment and time zone; break reminders; password; export;
// deletion. Access tokens and command-line hints are on the Advanced
// page (advancedView).
type settingsView struct {
	Profile  profileForm
	Password passwordForm
	Delete   deleteForm
	Breaks   breakForm
	Handle   string
	Saved    string
	Zones    []zoneGroup
}

func (settingsView) title() (string, string) { return "Settings", "settings" }

// advancedView is the Advanced settings page: access tokens for the API
// and how to reach backcoach from the command line.
type advancedView struct {
	Tokens []tokenRow
	Token  tokenForm
	Handle string
	Saved  string
	// Origin is this site's address, for the command-line examples.
	Origin string
}

func (advancedView) title() (string, string) { return "Advanced settings", "settings" }

// profileForm is the profile with what was typed and what was wrong.
type profileForm struct {
	Name       string
	TimeZone   string
	Minutes    string
	Places     []string
	Equipment  []string
	Conditions []string
	Assessed   bool
	Errors     map[string]string
}

// Options of the profile form.
func (profileForm) PlaceOptions() []string {
	return ids([]backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding, backcoach.PlaceFloor})
}
func (profileForm) EquipmentOptions() []string { return ids(backcoach.AllEquipment) }
func (profileForm) ConditionOptions() []string { return ids(backcoach.Conditions) }

// passwordForm changes the password.
type passwordForm struct {
	Errors map[string]string
}

// tokenForm creates an access token; Secret is shown once, right after.
// Errors are by field: name, scope, lifetime_days, password.
type tokenForm struct {
	Name   string
	Scope  string
	Days   int
	Secret string
	Errors map[string]string
}

// ScopeOptions are the scopes offered, read-only first.
func (tokenForm) ScopeOptions() []string { return ids(backcoach.TokenScopes) }

// DayOptions are the lifetimes offered, in days.
func (tokenForm) DayOptions() []int { return backcoach.TokenLifetimeDays }

// newTokenForm is the empty form: read only, the default lifetime.
func newTokenForm() tokenForm {
	return tokenForm{Scope: string(backcoach.ScopeRead), Days: backcoach.DefaultTokenLifetimeDays, Errors: map[string]string{}}
}

// tokenRow is one token in the list, with whether it has expired.
type tokenRow struct {
	backcoach.AccessToken
	Expired bool
}

// tokenRows marks the tokens that have expired at now.
func tokenRows(list []backcoach.AccessToken, now time.Time) []tokenRow {
	rows := make([]tokenRow, len(list))
	for i, t := range list {
		rows[i] = tokenRow{AccessToken: t, Expired: t.Expired(now)}
	}
	return rows
}

// deleteForm deletes the account.
type deleteForm struct {
	Error string
}

// settingsData gathers the settings page.
func (s *Server) settingsData(ctx context.Context, me *backcoach.Person) (*settingsView, error) {
	prof, err := s.store.Profile(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	v := &settingsView{Handle: me.Handle, Zones: zoneGroups(prof.TimeZone)}
	v.Profile = profileForm{
		Name: me.Name, TimeZone: prof.TimeZone, Places: ids(prof.Places), Equipment: ids(prof.Equipment),
		Conditions: ids(prof.Conditions), Assessed: prof.ClinicianAssessed, Errors: map[string]string{},
	}
	if prof.Minutes > 0 {
		v.Profile.Minutes = strconv.Itoa(prof.Minutes)
	}
	v.Password.Errors = map[string]string{}
	b, err := s.store.BreakSettings(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	v.Breaks = newBreakForm(b)
	return v, nil
}

// settingsPage shows the settings.
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.settingsData(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("saved") {
	case "profile":
		v.Saved = "Your profile is saved."
	case "password":
		v.Saved = "Your password is changed. Your access tokens were revoked with the old password: make new ones if your scripts need them."
	case "breaks":
		v.Saved = "Your break reminder settings are saved."
	}
	s.render(w, r, "settings", v)
}

// saveSettings keeps the profile.
func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	f := profileForm{
		Name:       strings.TrimSpace(r.PostFormValue("name")),
		TimeZone:   strings.TrimSpace(r.PostFormValue("time_zone")),
		Minutes:    strings.TrimSpace(r.PostFormValue("minutes")),
		Places:     r.PostForm["places"],
		Equipment:  r.PostForm["equipment"],
		Conditions: r.PostForm["conditions"],
		Assessed:   r.PostFormValue("clinician_assessed") == "1",
		Errors:     map[string]string{},
	}
	fe, err := s.saveProfile(r.Context(), me, f)
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		fe.add(err)
	}
	s.afterSettingsSave(w, r, me, err, func(v *settingsView) { f.Errors = fe; v.Profile = f; v.Zones = zoneGroups(f.TimeZone) },
		"restarting the break reminder in the new time zone", "/settings?saved=profile")
}

// afterSettingsSave finishes saving one section of the settings page: on
// bad input the page is shown again with the person's values and the
// message next to the field (keep puts them in the view); otherwise a
// running break reminder restarts with what was saved (its days follow
// the time zone, its timers the break settings) and the page reloads.
func (s *Server) afterSettingsSave(w http.ResponseWriter, r *http.Request, me *backcoach.Person, err error, keep func(*settingsView), reloading, next string) {
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		v, verr := s.settingsData(r.Context(), me)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		keep(v)
		s.renderStatus(w, r, http.StatusBadRequest, "settings", v)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if hub := s.cfg.Breaks; hub != nil {
		if err := hub.Reload(r.Context(), me.ID); err != nil {
			s.log.Warn(reloading, "err", err)
		}
	}
	redirect(w, r, next)
}

// errFormProblems stands for the problems of a form that are shown by
// field: it makes the page show the form again.
var errFormProblems = backcoach.Invalid("", "some answers of the form need changing")

// saveProfile checks the profile form, every field of it, and keeps it
// when all are right; the problems come back by field.
func (s *Server) saveProfile(ctx context.Context, me *backcoach.Person, f profileForm) (formErrors, error) {
	fe := formErrors{}
	prof, err := s.store.Profile(ctx, me.ID)
	if err != nil {
		return fe, err
	}
	prof.TimeZone = f.TimeZone
	prof.Places = toIDs[backcoach.Place](f.Places)
	prof.Equipment = toIDs[backcoach.Equipment](f.Equipment)
	prof.Conditions = toIDs[backcoach.Condition](f.Conditions)
	prof.ClinicianAssessed = f.Assessed
	prof.Minutes = 0
	if f.Minutes != "" {
		n, err := strconv.Atoi(f.Minutes)
		if err != nil {
			fe.add(backcoach.Invalid("minutes", "must be a whole number of minutes from 1 to 60, or empty for the default, got %q", clipPath(f.Minutes)))
		} else {
			prof.Minutes = n
		}
	}
	check := *prof
	everyError(fe, check.Validate, func(field string) {
		switch field {
		case "time_zone":
			check.TimeZone = backcoach.DefaultTimeZone
		case "conditions":
			check.Conditions = nil
		case "places":
			check.Places = nil
		case "equipment":
			check.Equipment = nil
		case "minutes":
			check.Minutes = 0
		}
	})
	p := *me
	p.Name = f.Name
	fe.add(p.Validate())
	if len(fe) > 0 {
		return fe, errFormProblems
	}
	if p.Name != me.Name {
		if err := s.store.UpdatePerson(ctx, me.ID, &p); err != nil {
			return fe, err
		}
	}
	return fe, s.store.SaveProfile(ctx, me.ID, prof)
}

// changePassword replaces the password after checking the current one,
// and gives the session a new token.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if s.cfg.SingleUser {
		s.fail(w, r, backcoach.Errorf(backcoach.EFORBIDDEN, "a personal install has no passwords"))
		return
	}
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	fe := formErrors{}
	fe.add(auth.CheckPassword("password", next, me.Handle, me.Name))
	if next != confirm {
		fe.add(backcoach.Invalid("confirm", "must be the same new password again"))
	}
	status, err := s.confirmPassword(r.Context(), w, me, current, "current", "")
	if err == nil && len(fe) > 0 {
		err = errFormProblems
	}
	var hash string
	if err == nil {
		if werr := s.passwordWork(r.Context(), func() { hash, err = auth.HashWith(next, s.cfg.PasswordParams) }); werr != nil {
			err = werr
		}
	}
	if err == nil {
		err = s.store.SetPasswordHash(r.Context(), me.ID, hash)
	}
	if code := backcoach.ErrorCode(err); code == backcoach.EINVALID {
		v, verr := s.settingsData(r.Context(), me)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		if err != errFormProblems {
			fe.add(err)
		}
		v.Password.Errors = fe
		s.renderStatus(w, r, status, "settings", v)
		return
	} else if err != nil {
		s.failUnlessGone(w, r, err)
		return
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/settings?saved=password")
}

// limitCurrent counts one check of the person's current password; past
// the limit it sets Retry-After and returns the refusal as an error of
// the form's field.
func (s *Server) limitCurrent(ctx context.Context, w http.ResponseWriter, me *backcoach.Person, field string) error {
	ok, wait := s.allowCurrent(ctx, me.ID)
	if ok {
		return nil
	}
	retryAfter(w, wait)
	return backcoach.Invalid(field, "was tried too many times: wait a minute, then try again")
}

// confirmPassword checks a password typed to confirm a change: counted
// against the limit on such checks first (429 past it), then compared
// with the person's own. A wrong one is an error of field, saying wrong
// when that is given. It returns the status to answer a refusal with.
func (s *Server) confirmPassword(ctx context.Context, w http.ResponseWriter, me *backcoach.Person, typed, field, wrong string) (int, error) {
	if err := s.limitCurrent(ctx, w, me, field); err != nil {
		return http.StatusTooManyRequests, err
	}
	err := s.checkCurrent(ctx, me, typed)
	if fieldOf(err) == "current" && (field != "current" || wrong != "") {
		if wrong == "" {
			wrong = "is not your current password"
		}
		err = backcoach.Invalid(field, "%s", wrong)
	}
	return http.StatusBadRequest, err
}

// checkCurrent checks the person's current password, as a form error.
func (s *Server) checkCurrent(ctx context.Context, me *backcoach.Person, password string) error {
	if len(password) > auth.MaxPasswordBytes {
		return backcoach.Invalid("current", "is not your current password")
	}
	hash, err := s.store.PasswordHash(ctx, me.ID)
	if err != nil && backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		return err
	}
	ok := false
	if err == nil {
		if werr := s.passwordWork(ctx, func() { ok = auth.Verify(password, hash) }); werr != nil {
			return werr
		}
	}
	if !ok {
		return backcoach.Invalid("current", "is not your current password")
	}
	return nil
}

// advancedData gathers the Advanced settings page.
func (s *Server) advancedData(ctx context.Context, r *http.Request, me *backcoach.Person) (*advancedView, error) {
	tokens, err := s.store.AccessTokens(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	scheme := "http"
	if s.isSecure(r) {
		scheme = "https"
	}
	return &advancedView{Tokens: tokenRows(tokens, s.now()), Token: newTokenForm(), Handle: me.Handle, Origin: scheme + "://" + r.Host}, nil
}

// advancedPage shows the access tokens and the command-line hints.
func (s *Server) advancedPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.advancedData(r.Context(), r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") == "revoked" {
		v.Saved = "The token is revoked: it no longer opens the API."
	}
	s.render(w, r, "advanced", v)
}

// createToken makes a personal access token and shows its secret once.
// Only a person signed in with a browser session may make one, and only
// after typing their password again (a personal install has none): a
// stolen session alone, or a token, cannot mint tokens. The page is
// neither cached nor compressed: it shows a secret beside a name the
// person typed.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	f := newTokenForm()
	f.Name = strings.TrimSpace(r.PostFormValue("name"))
	f.Scope = r.PostFormValue("scope")
	fe := formErrors{}
	days, err := tokenDays(r.PostFormValue("lifetime_days"))
	f.Days = days
	fe.add(err)
	if f.Name == "" {
		fe.add(backcoach.Invalid("name", "must say what the token is for, such as \"my phone's shortcut\""))
	}
	check := backcoach.AccessToken{Name: f.Name, Hash: strings.Repeat("0", 64), Scope: backcoach.TokenScope(f.Scope), LifetimeDays: backcoach.DefaultTokenLifetimeDays}
	everyError(fe, check.Validate, func(field string) {
		switch field {
		case "name":
			check.Name = "token"
		case "scope":
			check.Scope = backcoach.ScopeRead
		}
	})
	err = nil
	status := http.StatusBadRequest
	if !s.cfg.SingleUser {
		status, err = s.confirmPassword(r.Context(), w, me, r.PostFormValue("password"), "password", "is not your current password: type it again to make a token")
	}
	if err == nil && len(fe) > 0 {
		err = errFormProblems
	}
	secret, hash := "", ""
	if err == nil {
		secret, hash, err = auth.NewToken(auth.TokenPrefix)
	}
	if err == nil {
		err = s.store.CreateAccessToken(r.Context(), me.ID, &backcoach.AccessToken{Name: f.Name, Hash: hash,
			Scope: backcoach.TokenScope(f.Scope), LifetimeDays: f.Days})
	}
	if err != nil && backcoach.ErrorCode(err) != backcoach.EINVALID {
		s.fail(w, r, err)
		return
	}
	v, verr := s.advancedData(r.Context(), r, me)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	if err != nil {
		fe.add(err)
		f.Errors = fe
		v.Token = f
		s.renderStatus(w, r, status, "advanced", v)
		return
	}
	f.Secret = secret
	v.Token = f
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(noCompressHeader, "1")
	s.renderStatus(w, r, http.StatusCreated, "advanced", v)
}

// tokenDays reads the chosen lifetime of a token, in days; nothing
// chosen is the default.
func tokenDays(v string) (int, error) {
	if v = strings.TrimSpace(v); v == "" {
		return backcoach.DefaultTokenLifetimeDays, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return backcoach.DefaultTokenLifetimeDays, backcoach.Invalid("lifetime_days", "must be one of %v days, got %q", backcoach.TokenLifetimeDays, clipPath(v))
	}
	return n, backcoach.CheckTokenLifetime("lifetime_days", n)
}

// revokeToken deletes one of the person's tokens.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := s.store.RevokeAccessToken(r.Context(), me.ID, r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/settings/advanced?saved=revoked")
}

// exportData sends everything about the person as the export document.
func (s *Server) exportData(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	doc, err := s.store.Export(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("backcoach-export-%s.json", s.now().UTC().Format(backcoach.DateLayout))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(append(body, '\n'))
}

// deletedView is the page after an account was deleted.
type deletedView struct {
	Report *backcoach.DeleteReport
}

func (deletedView) title() (string, string) { return "Account deleted", "" }
func (deletedView) signedOut() bool         { return true }

// deleteConfirmWord is what a single-user install types to delete.
const deleteConfirmWord = "delete"

// deleteAccount removes the account and everything in it, after the
// password (or, on a personal install, the word "delete").
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	var err error
	if s.cfg.SingleUser {
		if strings.TrimSpace(strings.ToLower(r.PostFormValue("confirm"))) != deleteConfirmWord {
			err = backcoach.Invalid("confirm", "type the word %q to delete everything", deleteConfirmWord)
		}
	}
	status := http.StatusBadRequest
	if !s.cfg.SingleUser {
		status, err = s.confirmPassword(r.Context(), w, me, r.PostFormValue("password"), "current", "")
	}
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		v, verr := s.settingsData(r.Context(), me)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		v.Delete.Error = messageOf(err)
		s.renderStatus(w, r, status, "settings", v)
		return
	}
	if err != nil {
		s.failUnlessGone(w, r, err)
		return
	}
	report, err := s.store.DeleteAccount(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if hub := s.cfg.Breaks; hub != nil {
		hub.Forget(me.ID)
	}
	if err := s.sessions.Destroy(r.Context()); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Warn("could not end the session of a deleted account", "err", err)
	}
	s.render(w, r.WithContext(context.WithValue(r.Context(), personKey{}, (*backcoach.Person)(nil))), "deleted", deletedView{Report: report})
}
