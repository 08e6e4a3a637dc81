package store

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/backcoach/backcoach"
)

// manualClock is a clock that moves only when told.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// forEachDBWithClock is forEachDB with a store on a manual clock, set to
// the present (scs reckons session deadlines by the real time).
func forEachDBWithClock(t *testing.T, test func(t *testing.T, s *Store, clk *manualClock)) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			clk := &manualClock{t: time.Now().UTC().Truncate(time.Second)}
			s, err := Open(context.Background(), db.dsn(t), Options{Now: clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			test(t, s, clk)
		})
	}
}

// sorted returns the lines in order.
func sorted(lines []string) []string {
	out := slices.Clone(lines)
	slices.Sort(out)
	return out
}

// auditLines returns the person's audit trail as "action kind" lines.
func auditLines(t *testing.T, s *Store, id string) []string {
	t.Helper()
	trail, err := s.AuditTrail(context.Background(), id, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range trail {
		out = append(out, string(a.Action)+" "+a.Kind)
	}
	return out
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		if _, err := s.PasswordHash(ctx, ann); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("password of a new account: got %v, want ENOTFOUND", err)
		}
		first, second := fakePasswordHash("first"), fakePasswordHash("second")
		for _, c := range []struct {
			name, actor, hash string
			code              string
			want              string // ann's hash afterwards
		}{
			{"set", ann, first, "", first},
			{"replace", ann, second, "", second},
			{"nobody", newID(), first, backcoach.ENOTFOUND, second},
			{"malformed actor", "ann", first, backcoach.ENOTFOUND, second},
			{"empty", ann, "", backcoach.EINVALID, second},
			{"a password, not a hash", ann, "correct horse battery staple", backcoach.EINVALID, second},
			{"too long", ann, "$" + strings.Repeat("x", MaxPasswordHashBytes), backcoach.EINVALID, second},
			{"spaces", ann, "$argon2id$ v=19", backcoach.EINVALID, second},
		} {
			err := s.SetPasswordHash(ctx, c.actor, c.hash)
			if code(err) != c.code {
				t.Errorf("%s: got %v, want code %q", c.name, err, c.code)
			}
			if err != nil && strings.Contains(err.Error(), "horse") {
				t.Errorf("%s: the error repeats the value: %v", c.name, err)
			}
			if got, err := s.PasswordHash(ctx, ann); err != nil || got != c.want {
				t.Errorf("%s: ann's hash is %q, %v; want %q", c.name, got, err, c.want)
			}
		}
		if _, err := s.PasswordHash(ctx, bob); code(err) != backcoach.ENOTFOUND {
			t.Errorf("bob's password after ann set hers: got %v, want ENOTFOUND", err)
		}
		for _, id := range []string{newID(), "", "x'; --"} {
			if _, err := s.PasswordHash(ctx, id); code(err) != backcoach.ENOTFOUND {
				t.Errorf("password of %q: got %v, want ENOTFOUND", id, err)
			}
		}
		want := []string{"create person", "create password", "update password"}
		if got := auditLines(t, s, ann); !reflect.DeepEqual(got, want) {
			t.Errorf("ann's audit trail\n got %q\nwant %q", got, want)
		}
	})
}

func TestAccessTokens(t *testing.T) {
	t.Parallel()
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		var made []backcoach.AccessToken
		secrets := map[string]string{}
		for _, name := range []string{"phone", "", "nightly export ✓"} {
			clk.Advance(time.Minute)
			secret, hash := newTokenHash()
			tok := backcoach.AccessToken{Name: name, Hash: hash, ID: "ignored", PersonID: bob}
			if err := s.CreateAccessToken(ctx, ann, &tok); err != nil {
				t.Fatal(err)
			}
			if backcoach.CheckID("id", tok.ID) != nil || tok.PersonID != ann || !tok.CreatedAt.Equal(clk.Now()) || tok.LastUsedAt != nil ||
				tok.Scope != backcoach.ScopeReadWrite || !tok.ExpiresAt.Equal(clk.Now().AddDate(0, 0, 90)) {
				t.Fatalf("created token %+v; want a new id, ann, the clock's time, read and write for 90 days", tok)
			}
			made = append(made, tok)
			secrets[tok.ID] = secret
		}
		// Listed newest first, without hashes; the hash never appears in
		// JSON either.
		list, err := s.AccessTokens(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		var want []backcoach.AccessToken
		for i := len(made) - 1; i >= 0; i-- {
			w := made[i]
			w.Hash = ""
			want = append(want, w)
		}
		check(t, "tokens", nil, list, want)
		if raw, _ := json.Marshal(made); bytes.Contains(raw, []byte(made[0].Hash)) {
			t.Errorf("a token's JSON holds its hash: %s", raw)
		}
		// Duplicate secrets are refused.
		if err := s.CreateAccessToken(ctx, ann, &backcoach.AccessToken{Name: "again", Hash: made[0].Hash}); code(err) != backcoach.ECONFLICT {
			t.Errorf("a second token with the same hash: got %v, want ECONFLICT", err)
		}

		// Look-ups find ann and record the use at most once a minute.
		tok := made[0]
		lastUsed := func() *time.Time {
			t.Helper()
			l, err := s.AccessTokens(ctx, ann)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range l {
				if x.ID == tok.ID {
					return x.LastUsedAt
				}
			}
			t.Fatalf("token %s is gone", tok.ID)
			return nil
		}
		start := clk.Now()
		for _, c := range []struct {
			after time.Duration // since start
			want  time.Duration // the recorded use, since start
		}{
			{0, 0},
			{30 * time.Second, 0},
			{59 * time.Second, 0},
			{60 * time.Second, 60 * time.Second},
			{61 * time.Second, 60 * time.Second},
			{3 * time.Minute, 3 * time.Minute},
		} {
			clk.Set(start.Add(c.after))
			p, found, err := s.PersonByTokenHash(ctx, tok.Hash)
			if err != nil || p.ID != ann || p.Handle != "ann" || found.ID != tok.ID || found.Scope != tok.Scope || found.Hash != "" {
				t.Fatalf("look-up at +%v: %+v, %+v, %v; want ann and the token without its hash", c.after, p, found, err)
			}
			if got := lastUsed(); got == nil || !got.Equal(start.Add(c.want)) {
				t.Errorf("after a use at +%v the last use is %v, want +%v", c.after, got, c.want)
			}
		}
		for name, hash := range map[string]string{
			"unknown":   strings.Repeat("0", 64),
			"malformed": "not a hash",
			"uppercase": strings.ToUpper(made[1].Hash),
			"secret":    secrets[made[1].ID],
		} {
			if _, _, err := s.PersonByTokenHash(ctx, hash); code(err) != backcoach.ENOTFOUND {
				t.Errorf("look-up by a %s hash: got %v, want ENOTFOUND", name, err)
			}
		}

		// Bob can neither see nor revoke ann's tokens.
		if l, err := s.AccessTokens(ctx, bob); err != nil || len(l) != 0 {
			t.Errorf("bob's tokens: %v, %v; want none", l, err)
		}
		if err := s.RevokeAccessToken(ctx, bob, tok.ID); code(err) != backcoach.ENOTFOUND {
			t.Errorf("bob revokes ann's token: got %v, want ENOTFOUND", err)
		}
		if _, err := s.AccessTokens(ctx, newID()); code(err) != backcoach.ENOTFOUND {
			t.Errorf("tokens of nobody: got %v, want ENOTFOUND", err)
		}
		if err := s.CreateAccessToken(ctx, newID(), &backcoach.AccessToken{Hash: strings.Repeat("a", 64)}); code(err) != backcoach.ENOTFOUND {
			t.Errorf("a token for nobody: got %v, want ENOTFOUND", err)
		}
		if p, _, err := s.PersonByTokenHash(ctx, tok.Hash); err != nil || p.ID != ann {
			t.Errorf("ann's token after bob's attempt: %v, %v", p, err)
		}

		// Ann revokes it: it signs nobody in any more.
		if err := s.RevokeAccessToken(ctx, ann, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.PersonByTokenHash(ctx, tok.Hash); code(err) != backcoach.ENOTFOUND {
			t.Errorf("look-up of a revoked token: got %v, want ENOTFOUND", err)
		}
		for _, id := range []string{tok.ID, newID(), "short"} {
			if err := s.RevokeAccessToken(ctx, ann, id); code(err) != backcoach.ENOTFOUND {
				t.Errorf("revoke %q again: got %v, want ENOTFOUND", id, err)
			}
		}
		if l, _ := s.AccessTokens(ctx, ann); len(l) != 2 {
			t.Errorf("%d tokens after revoking one of 3", len(l))
		}
		// Each recorded use is in the trail: at +0, +60 s and +3 min (in
		// any order with the lines of the same second).
		wantTrail := []string{"create access_token", "create access_token", "create access_token", "create person",
			"delete access_token", "use access_token", "use access_token", "use access_token"}
		if got := auditLines(t, s, ann); !reflect.DeepEqual(sorted(got), wantTrail) {
			t.Errorf("ann's audit trail\n got %q\nwant %q", got, wantTrail)
		}
		if got := auditLines(t, s, bob); !reflect.DeepEqual(got, []string{"create person"}) {
			t.Errorf("bob's audit trail: %q", got)
		}
	})
}

// TestWebSessions checks the session store against scs's contract and
// the binding of sessions to persons.
func TestWebSessions(t *testing.T) {
	t.Parallel()
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		ws := s.SessionStore(sessionPersonKey)
		find := func(token string) ([]byte, bool) {
			t.Helper()
			b, ok, err := ws.FindCtx(ctx, token)
			if err != nil {
				t.Fatalf("find: %v", err)
			}
			return b, ok
		}
		boundTo := func(token string) string {
			t.Helper()
			var p *string
			if err := s.db.QueryRow(`SELECT person_id FROM web_sessions WHERE token = $1`, token).Scan(&p); err != nil {
				t.Fatalf("session row: %v", err)
			}
			if p == nil {
				return ""
			}
			return *p
		}
		hour := clk.Now().Add(time.Hour)

		// Round trip, replace, bind and unbind.
		tok := newSessionToken()
		if _, ok := find(tok); ok {
			t.Fatal("an unknown token was found")
		}
		anon := sessionData(t, "", "theme", "dark")
		if err := ws.Commit(tok, anon, hour); err != nil {
			t.Fatal(err)
		}
		if b, ok := find(tok); !ok || !bytes.Equal(b, anon) {
			t.Fatalf("find after commit: %v %q", ok, b)
		}
		if boundTo(tok) != "" {
			t.Errorf("an anonymous session is bound to %q", boundTo(tok))
		}
		signedIn := sessionData(t, ann, "theme", "dark")
		if err := ws.CommitCtx(ctx, tok, signedIn, hour); err != nil {
			t.Fatal(err)
		}
		if b, ok, err := ws.Find(tok); err != nil || !ok || !bytes.Equal(b, signedIn) {
			t.Fatalf("find after the second commit: %v %v", ok, err)
		}
		if boundTo(tok) != ann {
			t.Errorf("a session signed in as ann is bound to %q", boundTo(tok))
		}
		if err := ws.CommitCtx(ctx, tok, anon, hour); err != nil || boundTo(tok) != "" {
			t.Errorf("after signing out the session is bound to %q (%v)", boundTo(tok), err)
		}
		if err := ws.DeleteCtx(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, ok := find(tok); ok {
			t.Error("a deleted session was found")
		}
		// A request that loaded it before cannot bring it back.
		if err := ws.CommitCtx(ctx, tok, signedIn, hour); err != nil {
			t.Errorf("commit of a deleted session: %v", err)
		}
		if _, ok := find(tok); ok {
			t.Error("a deleted session came back after a commit")
		}
		for _, bad := range []string{tok, newSessionToken(), "", "short", strings.Repeat("x", 200), "semi;colon" + tok} {
			if err := ws.Delete(bad); err != nil {
				t.Errorf("delete of an unknown token %q: %v", bad, err)
			}
			if _, ok, err := ws.FindCtx(ctx, bad); ok || err != nil {
				t.Errorf("find of %q: %v, %v; want not found, no error", bad, ok, err)
			}
		}

		// Expiry is honoured by the store's clock.
		short, long := newSessionToken(), newSessionToken()
		if err := ws.CommitCtx(ctx, short, anon, clk.Now().Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := ws.CommitCtx(ctx, long, anon, hour); err != nil {
			t.Fatal(err)
		}
		if _, ok := find(short); !ok {
			t.Fatal("a live session was not found")
		}
		clk.Advance(10 * time.Second)
		if _, ok := find(short); ok {
			t.Error("a session was found at its expiry")
		}
		all, err := ws.AllCtx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := all[short]; ok || len(all) != 1 || !bytes.Equal(all[long], anon) {
			t.Errorf("All = %v; want only the live session", all)
		}
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
		}
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 0 {
			t.Errorf("DeleteExpiredSessions again = %d, %v; want 0", n, err)
		}
		if _, ok := find(long); !ok {
			t.Error("the cleanup removed a live session")
		}

		// Ending a person's sessions: ann's go, bob's and anonymous ones
		// stay, and a request that was under way cannot bring one back.
		annTokens := []string{newSessionToken(), newSessionToken()}
		bobToken := newSessionToken()
		for _, tk := range annTokens {
			if err := ws.CommitCtx(ctx, tk, signedIn, clk.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if err := ws.CommitCtx(ctx, bobToken, sessionData(t, bob, "n", 1), hour); err != nil {
			t.Fatal(err)
		}
		if n, err := s.EndSessions(ctx, ann); err != nil || n != 2 {
			t.Fatalf("EndSessions(ann) = %d, %v; want 2", n, err)
		}
		for _, tk := range annTokens {
			if _, ok := find(tk); ok {
				t.Error("an ended session was found")
			}
		}
		if err := ws.CommitCtx(ctx, annTokens[0], signedIn, hour.Add(time.Hour)); err != nil {
			t.Errorf("commit of an ended session: %v", err)
		}
		if _, ok := find(annTokens[0]); ok {
			t.Error("an ended session came back after a commit")
		}
		if _, ok := find(bobToken); !ok {
			t.Error("ending ann's sessions ended bob's")
		}
		if _, ok := find(long); !ok {
			t.Error("ending ann's sessions ended an anonymous one")
		}
		if n, err := s.EndSessions(ctx, newID()); code(err) != backcoach.ENOTFOUND {
			t.Errorf("EndSessions(nobody) = %d, %v; want ENOTFOUND", n, err)
		}
		// The tombstones hold nothing of ann's, and outlive the sessions'
		// expiry until the grace has passed.
		tombstones := func() int {
			t.Helper()
			var n int
			if err := s.db.QueryRow(`SELECT count(*) FROM web_sessions WHERE ended AND person_id IS NULL AND length(data) = 0`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// (ann's two, and the one deleted above)
		if n := tombstones(); n != 3 {
			t.Errorf("%d empty tombstones, want 3", n)
		}
		clk.Advance(2 * time.Minute)
		if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 0 || tombstones() != 3 {
			t.Errorf("cleanup after the sessions' expiry = %d, %v, %d tombstones left; want none deleted", n, err, tombstones())
		}
		clk.Advance(endedSessionGrace)
		if _, err := s.DeleteExpiredSessions(ctx); err != nil || tombstones() != 0 {
			t.Errorf("cleanup after the grace: %v, %d tombstones left", err, tombstones())
		}

		// A new password ends the sessions too, in its transaction.
		tk := newSessionToken()
		if err := ws.CommitCtx(ctx, tk, sessionData(t, bob, "n", 2), clk.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPasswordHash(ctx, bob, fakePasswordHash("bob")); err != nil {
			t.Fatal(err)
		}
		if _, ok := find(tk); ok {
			t.Error("a session outlived a new password")
		}

		// Bad input is refused before the database, naming the field.
		before := countRows(t, s)
		big := make([]byte, MaxWebSessionBytes+1)
		notString, _ := scs.GobCodec{}.Encode(farExpiry, map[string]any{sessionPersonKey: 42})
		notID, _ := scs.GobCodec{}.Encode(farExpiry, map[string]any{sessionPersonKey: "ann"})
		for _, c := range []struct {
			name, field, token string
			data               []byte
			expiry             time.Time
		}{
			{"short token", "token", "abc", anon, hour},
			{"token with a space", "token", strings.Repeat("a", 30) + " b", anon, hour},
			{"no data", "data", newSessionToken(), nil, hour},
			{"too much data", "data", newSessionToken(), big, hour},
			{"not gob", "data", newSessionToken(), []byte("{}"), hour},
			{"person not a string", "data", newSessionToken(), notString, hour},
			{"person not an id", "data", newSessionToken(), notID, hour},
			{"no expiry", "expiry", newSessionToken(), anon, time.Time{}},
		} {
			err := ws.CommitCtx(ctx, c.token, c.data, c.expiry)
			var be *backcoach.Error
			if code(err) != backcoach.EINVALID || !asError(err, &be) || be.Field != c.field {
				t.Errorf("%s: got %v, want EINVALID about %s", c.name, err, c.field)
			}
		}
		if after := countRows(t, s); !reflect.DeepEqual(after, before) {
			t.Errorf("rows changed by refused sessions:\nbefore %v\n after %v", before, after)
		}
		// A session naming a person who is not stored is refused by the
		// database.
		if err := ws.CommitCtx(ctx, newSessionToken(), sessionData(t, newID(), "n", 1), hour); code(err) != backcoach.ENOTFOUND {
			t.Errorf("a session of nobody: got %v, want ENOTFOUND", err)
		}
	})
}

// TestSessionManager drives a real scs session manager over the store, as
// the web app does: sign in with a renewed token, read the person back on
// the next request, end the person's sessions.
func TestSessionManager(t *testing.T) {
	t.Parallel()
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		sm := scs.New()
		sm.Store = s.SessionStore(sessionPersonKey)
		sm.HashTokenInStore = true
		sm.IdleTimeout = time.Hour
		mux := http.NewServeMux()
		mux.HandleFunc("/signin", func(w http.ResponseWriter, r *http.Request) {
			if err := sm.RenewToken(r.Context()); err != nil {
				t.Error(err)
			}
			sm.Put(r.Context(), sessionPersonKey, ann)
		})
		mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(sm.GetString(r.Context(), sessionPersonKey)))
		})
		h := sm.LoadAndSave(mux)
		var cookie *http.Cookie
		get := func(path string) string {
			t.Helper()
			req := httptest.NewRequest("GET", path, nil)
			if cookie != nil {
				req.AddCookie(cookie)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
			}
			for _, c := range rec.Result().Cookies() {
				cookie = c
			}
			return rec.Body.String()
		}
		if who := get("/who"); who != "" {
			t.Fatalf("signed in before signing in: %q", who)
		}
		get("/signin")
		if who := get("/who"); who != ann {
			t.Fatalf("after signing in: %q, want ann", who)
		}
		var stored string
		if err := s.db.QueryRow(`SELECT token FROM web_sessions WHERE person_id = $1`, ann).Scan(&stored); err != nil {
			t.Fatalf("the session is not bound to ann: %v", err)
		}
		if stored == cookie.Value {
			t.Error("the store holds the cookie's token, not its hash")
		}
		if n, err := s.EndSessions(ctx, ann); err != nil || n != 1 {
			t.Fatalf("EndSessions = %d, %v; want 1", n, err)
		}
		if who := get("/who"); who != "" {
			t.Errorf("still signed in as %q after the sessions were ended", who)
		}
		// Signing in again works, and an idle session expires.
		get("/signin")
		if who := get("/who"); who != ann {
			t.Fatalf("after signing in again: %q", who)
		}
		// scs sets the idle deadline by the real clock, which runs ahead
		// of the store's (started at the whole second before, and the
		// requests take time): a minute past the hour is past it.
		clk.Advance(time.Hour + time.Minute)
		if who := get("/who"); who != "" {
			t.Errorf("an idle session survived its idle timeout: %q", who)
		}
	})
}

// TestSessionCleanupRuns checks that RunSessionCleanup deletes expired
// sessions on its timer and returns when its context ends.
func TestSessionCleanupRuns(t *testing.T) {
	t.Parallel()
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		ws := s.SessionStore(sessionPersonKey)
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			if err := ws.CommitCtx(ctx, newSessionToken(), sessionData(t, "", "n", i), clk.Now().Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		count := func() int {
			var n int
			if err := s.db.QueryRow(`SELECT count(*) FROM web_sessions`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		clk.Advance(90 * time.Second)
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { s.RunSessionCleanup(runCtx, 5*time.Millisecond); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for count() != 1 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("RunSessionCleanup did not return after its context ended")
		}
		if n := count(); n != 1 {
			t.Errorf("%d sessions after the cleanup ran, want the 1 live one", n)
		}
	})
}

// TestSignInsAreNotExported checks that an export holds no password or
// token hash, and that an imported account has no password and no tokens,
// also when it replaces one that had them.
func TestSignInsAreNotExported(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		fill(t, s, id, day0)
		hash, err := s.PasswordHash(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		tokens, err := s.accessTokens(ctx, s.db, id, true)
		if err != nil || len(tokens) != 2 {
			t.Fatalf("tokens: %v, %v", tokens, err)
		}
		x, err := s.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{hash, tokens[0].Hash, tokens[1].Hash} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("the export holds the hash %s", secret)
			}
		}
		// Replacing the account removes its password, tokens and sessions.
		if _, err := s.Import(ctx, x, backcoach.ImportOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PasswordHash(ctx, id); code(err) != backcoach.ENOTFOUND {
			t.Errorf("password after an import: got %v, want ENOTFOUND", err)
		}
		if l, err := s.AccessTokens(ctx, id); err != nil || len(l) != 0 {
			t.Errorf("tokens after an import: %v, %v", l, err)
		}
		if _, _, err := s.PersonByTokenHash(ctx, tokens[0].Hash); code(err) != backcoach.ENOTFOUND {
			t.Errorf("an old token after an import: got %v, want ENOTFOUND", err)
		}
		if all, err := s.SessionStore(sessionPersonKey).All(); err != nil || len(all) != 0 {
			t.Errorf("sessions after an import: %d, %v", len(all), err)
		}
		// The person can be given a password again.
		if err := s.SetPasswordHash(ctx, id, fakePasswordHash("new")); err != nil {
			t.Fatal(err)
		}
	})
}
