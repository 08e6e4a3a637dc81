package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// newTokenSecret makes a token in Settings and returns its secret.
func newTokenSecret(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	r := b.post("/settings/tokens", form)
	wantStatus(t, r, http.StatusCreated)
	secret := regexp.MustCompile(`value="(bc_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.body)
	if secret == nil {
		t.Fatal("the new token is not shown")
	}
	return secret[1]
}

// TestTokensNeedThePassword checks that Settings makes a token only with
// the person's password typed again, with the scope and lifetime chosen.
func TestTokensNeedThePassword(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "tam")
	me := app.person(t, "tam")
	ctx := context.Background()

	page := b.get("/settings/advanced")
	mustContain(t, "the token form", page.body, `name="password" type="password"`, `value="read" checked`, `<option value="90" selected>90 days</option>`,
		`<option value="7"`, `<option value="365"`)
	for _, c := range []struct {
		name  string
		form  url.Values
		error string
	}{
		{"no password", url.Values{"name": {"x"}, "scope": {"read"}}, "is not your current password"},
		{"a wrong password", url.Values{"name": {"x"}, "scope": {"read"}, "password": {"not my password"}}, "is not your current password"},
		{"a lifetime not offered", url.Values{"name": {"x"}, "scope": {"read"}, "lifetime_days": {"1000"}, "password": {testPassword}}, "must be one of [7 30 90 365] days"},
		{"an unknown scope", url.Values{"name": {"x"}, "scope": {"admin"}, "password": {testPassword}}, "must be one of read, read_write"},
	} {
		r := b.post("/settings/tokens", c.form)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, c.error) || strings.Contains(r.body, `value="bc_`) {
			t.Errorf("%s: the page does not say %q, or shows a token", c.name, c.error)
		}
	}
	if l, _ := app.st.AccessTokens(ctx, me.ID); len(l) != 0 {
		t.Fatalf("%d tokens made without the password", len(l))
	}

	secret := newTokenSecret(t, b, url.Values{"name": {"reader"}, "scope": {"read"}, "lifetime_days": {"7"}, "password": {testPassword}})
	l, _ := app.st.AccessTokens(ctx, me.ID)
	if len(l) != 1 || l[0].Scope != backcoach.ScopeRead || !l[0].ExpiresAt.Equal(app.clock.Now().AddDate(0, 0, 7)) {
		t.Fatalf("the token made: %+v; want read only for 7 days", l)
	}
	// A read-only token reads, and changes nothing (403 with a problem).
	if p, err := app.srv.Authenticate(bearerRequest(t, app, secret)); err != nil || p.ID != me.ID {
		t.Errorf("reading with the read-only token: %v, %v", p, err)
	}
	req, _ := http.NewRequest(http.MethodPost, app.ts.URL+"/api/v1/diary", strings.NewReader(`{"pain": 3}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("a diary entry with a read-only token: %d %s; want a 403 problem", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// Settings say when it expires, and that it has.
	mustContain(t, "the token list", b.get("/settings/advanced").body, "Read only", app.clock.Now().AddDate(0, 0, 7).Format("Monday 2 January 2006"))
	app.clock.Advance(8 * 24 * time.Hour)
	mustContain(t, "the expired token", b.get("/settings/advanced").body, "<strong>Expired</strong> on")
	if _, err := app.srv.Authenticate(bearerRequest(t, app, secret)); backcoach.ErrorCode(err) != backcoach.EUNAUTHORIZED || !strings.Contains(err.Error(), "expired") {
		t.Errorf("an expired token: %v; want EUNAUTHORIZED saying it expired", err)
	}
}

// TestPasswordChangeEndsTokens checks that changing the password revokes
// every token of the person.
func TestPasswordChangeEndsTokens(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "kit")
	secret := newTokenSecret(t, b, url.Values{"name": {"script"}, "scope": {"read_write"}, "password": {testPassword}})
	if _, err := app.srv.Authenticate(bearerRequest(t, app, secret)); err != nil {
		t.Fatalf("the new token: %v", err)
	}
	wantStatus(t, b.post("/settings/password", url.Values{"current": {testPassword}, "password": {"another long password"}, "confirm": {"another long password"}}), http.StatusSeeOther)
	if _, err := app.srv.Authenticate(bearerRequest(t, app, secret)); backcoach.ErrorCode(err) != backcoach.EUNAUTHORIZED {
		t.Errorf("a token after the password changed: %v; want EUNAUTHORIZED", err)
	}
	mustContain(t, "the page after the change", b.get("/settings?saved=password").body, "access tokens were revoked")
}

// TestSignInEventsAreAudited checks that a wrong password, a lock-out and
// a sign-in land in the account's audit trail, and that a spray of
// refused attempts writes one lock-out line, not one each.
func TestSignInEventsAreAudited(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	app.signup(t, "eve")
	me := app.person(t, "eve")
	b := app.browser(t)
	refused := 0
	for i := 0; i < 8; i++ {
		if b.post("/signin", url.Values{"handle": {"eve"}, "password": {"not the password"}}).StatusCode == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused < 2 {
		t.Fatalf("only %d of 8 wrong passwords in a row were refused as too many", refused)
	}
	b.post("/signin", url.Values{"handle": {"nobody-here"}, "password": {"not the password"}})
	app.clock.Advance(time.Hour)
	wantStatus(t, b.post("/signin", url.Values{"handle": {"eve"}, "password": {testPassword}}), http.StatusSeeOther)
	trail, err := app.st.AuditTrail(context.Background(), me.ID, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[backcoach.AuditAction]int{}
	for _, e := range trail {
		if e.Kind != backcoach.KindPassword || e.Action == backcoach.AuditCreate {
			continue
		}
		count[e.Action]++
		wantActor := backcoach.AnonymousActor
		if e.Action == backcoach.AuditSignIn {
			wantActor = me.ID
		}
		if e.ActorID != wantActor {
			t.Errorf("a %s line by %s, want %s", e.Action, e.ActorID, wantActor)
		}
	}
	if count[backcoach.AuditSignInFailure] != 8-refused || count[backcoach.AuditLockOut] != 1 || count[backcoach.AuditSignIn] != 1 {
		t.Errorf("the sign-in events in the trail: %v; want %d wrong passwords, 1 lock-out, 1 sign-in", count, 8-refused)
	}
}
