package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// fieldPrefix finds a field name of the data at the start of a shown
// message, such as "time_zone: must be…".
var fieldPrefix = regexp.MustCompile(`class="error[^"]*"[^>]*>\s*[a-z]+(?:_[a-z]+)*:`)

// errorTexts are the messages shown in the page's error paragraphs.
func errorTexts(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<p class="error"[^>]*>([^<]*)</p>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestFormsShowEveryErrorInWords checks that a form with several wrong
// fields says all of them at once, each next to its field and in words:
// no field names of the data such as "time_zone:" or "current:".
func TestFormsShowEveryErrorInWords(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "ana")

	r := b.post("/settings/profile", url.Values{"name": {strings.Repeat("n", 101)}, "time_zone": {"Mars/Olympus"}, "minutes": {"lots"}, "places": {"desk", "beach"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused profile", r.body,
		`id="name-error">The name must be at most 100 characters, got 101.</p>`,
		`id="tz-error">The time zone must be an IANA time zone name such as Europe/London or UTC, got &#34;Mars/Olympus&#34;.</p>`,
		`id="minutes-error">The minutes for the routine must be a whole number of minutes from 1 to 60, or empty for the default, got &#34;lots&#34;.</p>`,
		`<option value="Mars/Olympus" selected>`)
	if n := len(errorTexts(r.body)); n != 4 {
		t.Errorf("the profile form shows %d errors %q; want 4 (name, time zone, minutes, places)", n, errorTexts(r.body))
	}

	r = b.post("/settings/password", url.Values{"current": {"not my password"}, "password": {"short"}, "confirm": {"other"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused password change", r.body,
		`id="current-error">That password is not your current password.</p>`,
		`id="password-error">The password must be at least 10 characters long.</p>`,
		`id="confirm-error">The password typed again must be the same new password again.</p>`)

	// A password an attacker would try first is refused in words, and so
	// is one that is mostly the person's own handle.
	r = b.post("/settings/password", url.Values{"current": {testPassword}, "password": {"Password123!"}, "confirm": {"Password123!"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "a common password", r.body, `id="password-error">The password is a common password with digits or symbols added, which is guessed early: choose another`)
	r = b.post("/settings/password", url.Values{"current": {testPassword}, "password": {"ana-2026-ana!"}, "confirm": {"ana-2026-ana!"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "a password made of the handle", r.body, `id="password-error">The password is mostly a name this account already shows`)

	r = b.post("/settings/breaks", breakFormValues(func(v url.Values) {
		v.Set("snooze_minutes", "ten")
		v.Set("movement_every_minutes", "20")
		v.Set("movement_for_minutes", "20")
		v.Set("reset_hour", "25")
	}))
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused break settings", r.body,
		"The minutes a snoozed break waits must be a whole number of minutes, got &#34;ten&#34;.",
		"The length of a movement break must be shorter than the minutes before a movement break (20 minutes), got 20.",
		"The hour a new day begins must be a whole number from 0 to 23, got 25.")

	r = b.post("/settings/tokens", url.Values{"name": {""}, "scope": {"everything"}, "lifetime_days": {"3"}, "password": {"wrong password"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused token", r.body,
		`id="token-name-error">The name must say what the token is for`,
		`id="token-scope-error">What the token may do must be one of`,
		`id="token-days-error">How long the token lasts must be one of`,
		`id="token-password-error">The password is not your current password: type it again to make a token.</p>`)

	for _, page := range []response{
		b.post("/settings/profile", url.Values{"time_zone": {"Nowhere"}}),
		b.post("/settings/password", url.Values{"current": {"x"}}),
		b.post("/settings/tokens", url.Values{}),
		b.post("/plan", url.Values{"minutes": {"500"}}),
		b.post("/diary", url.Values{"pain": {"11"}}),
	} {
		if m := fieldPrefix.FindString(page.body); m != "" {
			t.Errorf("a form error starts with a field name of the data: %s", m)
		}
	}

	// Sign-up says every problem at once too.
	out := app.browser(t)
	r = out.post("/signup", url.Values{"handle": {"Bad Handle"}, "password": {"short"}, "confirm": {"different"}, "time_zone": {"Moon/Base"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused sign-up", r.body,
		`id="handle-error">The handle must be 1 to 64 lowercase letters`,
		`id="password-error">The password must be at least 10 characters long.</p>`,
		`id="confirm-error">The password typed again must be the same password again.</p>`,
		`The time zone must be an IANA time zone name`)
}

// TestPlainMessage checks the words of messages that name other fields.
func TestPlainMessage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ field, msg, want string }{
		{"movement_every_minutes", "and stretch_every_minutes cannot both be 0: at least one kind of break must be on",
			"The minutes before a movement break and the minutes before a stretch break cannot both be 0: at least one kind of break must be on."},
		{"time_zone", "must name a time zone such as Europe/London or UTC", "The time zone must name a time zone such as Europe/London or UTC."},
		{"form", "the handle or the password is wrong", "The handle or the password is wrong."},
		{"unknown_field", "must be given", "Must be given."},
	} {
		if got := plainMessage(c.field, c.msg); got != c.want {
			t.Errorf("plainMessage(%q, %q) = %q; want %q", c.field, c.msg, got, c.want)
		}
	}
	if f, m := plainError(backcoach.Invalid("places[1]", "%q is not allowed", "beach")); f != "places" || m != `"beach" is not allowed.` {
		t.Errorf("plainError of a list item = %q, %q", f, m)
	}
}

// TestFormsSayNoValidate checks that every form with fields the browser
// would check itself (numbers, required fields) leaves them to the app,
// whose messages say what is allowed.
func TestFormsSayNoValidate(t *testing.T) {
	t.Parallel()
	forms := regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	checked := regexp.MustCompile(`type="(number|email|date|url)"|\brequired\b|\bmin="|\bmaxlength="|\{\{template "(scale|minutes)"`)
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		body, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range forms.FindAllStringSubmatch(string(body), -1) {
			if !checked.MatchString(m[2]) {
				continue
			}
			n++
			if !strings.Contains(m[1], "novalidate") {
				t.Errorf("%s: a form with fields the browser checks lacks novalidate: <form%s>", name, m[1])
			}
		}
	}
	if n < 5 {
		t.Errorf("found %d forms with checked fields; the pattern misses some", n)
	}
}

// TestSettingsAndAdvanced checks the split: the person's settings with a
// time-zone picker, and the Advanced page with tokens and the command
// line.
func TestSettingsAndAdvanced(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "kim")

	r := b.get("/settings")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the settings", r.body, `<select id="time_zone" name="time_zone"`, `<optgroup label="Europe">`,
		`<option value="Europe/London" selected>London</option>`, `<option value="America/Argentina/Buenos_Aires">Buenos Aires (Argentina)</option>`,
		`<option value="UTC">UTC (no daylight saving)</option>`, `href="/settings/advanced"`)
	if strings.Contains(r.body, "Access tokens") || strings.Contains(r.body, `action="/settings/tokens"`) {
		t.Error("the person's settings still carry the access tokens")
	}

	// A zone not in the list, such as an older name, stays chosen.
	wantStatus(t, b.post("/settings/profile", url.Values{"time_zone": {"Asia/Calcutta"}}), http.StatusSeeOther)
	mustContain(t, "an older zone name", b.get("/settings").body, `<optgroup label="Current"><option value="Asia/Calcutta" selected>`)

	r = b.get("/settings/advanced")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the advanced settings", r.body, "<h1>Advanced settings</h1>", `action="/settings/tokens"`,
		"/api/v1/plans/today", "backcoach checkin", `aria-current="page"`)
	r = b.post("/settings/tokens", url.Values{"name": {"watch"}, "scope": {"read"}, "lifetime_days": {"30"}, "password": {testPassword}})
	wantStatus(t, r, http.StatusCreated)
	mustContain(t, "the new token", r.body, "<h1>Advanced settings</h1>", "Copy it now")
	toks, err := app.st.AccessTokens(t.Context(), app.person(t, "kim").ID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens %v, %v", toks, err)
	}
	r = b.post("/settings/tokens/"+toks[0].ID+"/revoke", nil)
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/settings/advanced?saved=revoked" {
		t.Errorf("after revoking: to %q", loc)
	}
}

// TestZonesLoad checks that Go's own time zone data knows every zone the
// picker offers, and that the list covers every region.
func TestZonesLoad(t *testing.T) {
	t.Parallel()
	n := 0
	regions := map[string]bool{}
	for _, g := range allZones() {
		regions[g.Region] = true
		for _, z := range g.Zones {
			n++
			if _, err := time.LoadLocation(z.Name); err != nil {
				t.Errorf("zone %s: %v", z.Name, err)
			}
		}
	}
	for _, want := range []string{"Africa", "America", "Asia", "Australia", "Europe", "Pacific", "Other"} {
		if !regions[want] {
			t.Errorf("no %s group", want)
		}
	}
	if n < 300 {
		t.Errorf("%d zones; want the whole list", n)
	}
}
