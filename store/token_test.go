package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// TestTokenScopeAndExpiry checks a token's chosen scope and lifetime, that
// an expired token signs nobody in and says why, and that bad choices are
// refused naming the field.
func TestTokenScopeAndExpiry(t *testing.T) {
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		t.Parallel()
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		_, hash := newTokenHash()
		tok := backcoach.AccessToken{Name: "reader", Hash: hash, Scope: backcoach.ScopeRead, LifetimeDays: 7}
		if err := s.CreateAccessToken(ctx, ann, &tok); err != nil {
			t.Fatal(err)
		}
		made := clk.Now()
		if !tok.ExpiresAt.Equal(made.AddDate(0, 0, 7)) || tok.Scope != backcoach.ScopeRead || tok.LifetimeDays != 0 {
			t.Fatalf("made %+v; want read only, expiring 7 days after %v", tok, made)
		}
		list, err := s.AccessTokens(ctx, ann)
		if err != nil || len(list) != 1 || list[0].Scope != backcoach.ScopeRead || !list[0].ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("listed %+v, %v", list, err)
		}
		clk.Set(made.AddDate(0, 0, 7).Add(-time.Second))
		if _, found, err := s.PersonByTokenHash(ctx, hash); err != nil || found.Scope != backcoach.ScopeRead {
			t.Fatalf("a second before it expires: %+v, %v", found, err)
		}
		clk.Set(made.AddDate(0, 0, 7))
		p, found, err := s.PersonByTokenHash(ctx, hash)
		if code(err) != backcoach.EUNAUTHORIZED || p != nil || found != nil || !strings.Contains(err.Error(), "expired") {
			t.Errorf("an expired token: %v, %v, %v; want EUNAUTHORIZED saying it expired", p, found, err)
		}
		if list, _ := s.AccessTokens(ctx, ann); len(list) != 1 || !list[0].Expired(clk.Now()) {
			t.Errorf("the expired token is listed as %+v", list)
		}

		for _, c := range []struct {
			tok   backcoach.AccessToken
			field string
		}{
			{backcoach.AccessToken{Name: "x", Scope: "admin"}, "scope"},
			{backcoach.AccessToken{Name: "x", Scope: backcoach.ScopeRead, LifetimeDays: 10}, "lifetime_days"},
			{backcoach.AccessToken{Name: "x", Scope: backcoach.ScopeRead, LifetimeDays: -7}, "lifetime_days"},
			{backcoach.AccessToken{Name: "x", Scope: backcoach.ScopeRead, LifetimeDays: 3650}, "lifetime_days"},
		} {
			_, c.tok.Hash = newTokenHash()
			err := s.CreateAccessToken(ctx, ann, &c.tok)
			var be *backcoach.Error
			if code(err) != backcoach.EINVALID || !errors.As(err, &be) || be.Field != c.field {
				t.Errorf("%+v: got %v, want EINVALID on %s", c.tok, err, c.field)
			}
		}
		for _, days := range backcoach.TokenLifetimeDays {
			_, hash := newTokenHash()
			tok := backcoach.AccessToken{Name: "t", Hash: hash, Scope: backcoach.ScopeReadWrite, LifetimeDays: days}
			if err := s.CreateAccessToken(ctx, ann, &tok); err != nil || !tok.ExpiresAt.Equal(clk.Now().AddDate(0, 0, days)) {
				t.Errorf("%d days: %v, expires %v", days, err, tok.ExpiresAt)
			}
		}
	})
}

// TestPasswordChangeRevokesTokens checks that a new password ends every
// access token of the person, and only theirs, each with its audit line.
func TestPasswordChangeRevokesTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		if err := s.SetPasswordHash(ctx, ann, fakePasswordHash("first")); err != nil {
			t.Fatal(err)
		}
		var hashes []string
		for _, id := range []string{ann, ann, bob} {
			_, hash := newTokenHash()
			if err := s.CreateAccessToken(ctx, id, &backcoach.AccessToken{Name: "t", Hash: hash}); err != nil {
				t.Fatal(err)
			}
			hashes = append(hashes, hash)
		}
		if err := s.SetPasswordHash(ctx, ann, fakePasswordHash("second")); err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes[:2] {
			if _, _, err := s.PersonByTokenHash(ctx, h); code(err) != backcoach.ENOTFOUND {
				t.Errorf("ann's token after her password changed: got %v, want ENOTFOUND", err)
			}
		}
		if l, err := s.AccessTokens(ctx, ann); err != nil || len(l) != 0 {
			t.Errorf("ann's tokens after her password changed: %v, %v", l, err)
		}
		if p, _, err := s.PersonByTokenHash(ctx, hashes[2]); err != nil || p.ID != bob {
			t.Errorf("bob's token after ann's password changed: %v, %v", p, err)
		}
		want := []string{"create person", "create password", "create access_token", "create access_token",
			"delete access_token", "delete access_token", "update password"}
		if got := auditLines(t, s, ann); !reflect.DeepEqual(got, want) {
			t.Errorf("ann's audit trail\n got %q\nwant %q", got, want)
		}
	})
}

// TestRecordSignIn checks the security events of the audit trail: who is
// named as the actor, that they are exported, that lock-outs are written
// once a minute, and what is refused.
func TestRecordSignIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		for _, a := range []backcoach.AuditAction{backcoach.AuditSignInFailure, backcoach.AuditLockOut, backcoach.AuditLockOut, backcoach.AuditSignIn} {
			if err := s.RecordSignIn(ctx, ann, a); err != nil {
				t.Fatalf("%s: %v", a, err)
			}
		}
		if err := s.RecordSignIn(ctx, ann, backcoach.AuditDelete); code(err) != backcoach.EINVALID {
			t.Errorf("a delete recorded as a sign-in: got %v, want EINVALID", err)
		}
		for _, id := range []string{newID(), "", "x'; --"} {
			if err := s.RecordSignIn(ctx, id, backcoach.AuditSignInFailure); err != nil {
				t.Errorf("a failure for nobody (%q): %v; want it dropped", id, err)
			}
		}
		x, err := s.Export(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range x.Audit {
			if e.Kind == backcoach.KindPassword {
				got = append(got, string(e.Action)+" by "+map[bool]string{true: "ann", false: e.ActorID}[e.ActorID == ann])
			}
		}
		want := []string{"sign_in_failure by " + backcoach.AnonymousActor, "lock_out by " + backcoach.AnonymousActor, "sign_in by ann"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the exported sign-in events\n got %q\nwant %q", got, want)
		}
		if err := x.Validate(); err != nil {
			t.Errorf("the export with sign-in events does not validate: %v", err)
		}
	})
}

// TestTokenMigration builds the schema before version 6 with tokens and
// audit lines in it, upgrades it, and checks that every token is kept,
// read and write, expiring 90 days after the upgrade, and that the new
// audit actions are taken.
func TestTokenMigration(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := db.dsn(t)
			old, err := open(ctx, dsn, Options{}, 5)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := old.SchemaVersion(ctx); v >= 6 {
				t.Fatalf("built schema version %d, want one before 6", v)
			}
			id := newID()
			at := day0
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := old.db.ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(`INSERT INTO persons (id, handle, name, role, created_at) VALUES ($1, 'ann', 'Ann', 'person', $2)`, id, old.t(at))
			secret, hash := newTokenHash()
			tokID := newID()
			exec(`INSERT INTO access_tokens (id, person_id, name, hash, created_at, last_used_at) VALUES ($1, $2, 'old', $3, $4, NULL)`,
				tokID, id, hash, old.t(at))
			exec(`INSERT INTO audit_log (id, at, actor_id, person_id, action, kind, record_id) VALUES ($1, $2, $3, $3, 'create', 'access_token', $4)`,
				newID(), old.t(at), id, tokID)
			old.Close()

			before := time.Now().UTC().Truncate(time.Second)
			clk := &manualClock{t: before}
			s, err := Open(ctx, dsn, Options{Now: clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			after := time.Now().UTC()
			list, err := s.AccessTokens(ctx, id)
			if err != nil || len(list) != 1 {
				t.Fatalf("tokens after the upgrade: %+v, %v", list, err)
			}
			tok := list[0]
			if tok.ID != tokID || tok.Name != "old" || tok.Scope != backcoach.ScopeReadWrite || !tok.CreatedAt.Equal(stamp(at)) {
				t.Errorf("the token after the upgrade: %+v", tok)
			}
			if tok.ExpiresAt.Before(before.AddDate(0, 0, 90).Add(-time.Second)) || tok.ExpiresAt.After(after.AddDate(0, 0, 90)) {
				t.Errorf("the token expires at %v; want 90 days after the upgrade (%v–%v)", tok.ExpiresAt, before, after)
			}
			if p, _, err := s.PersonByTokenHash(ctx, hash); err != nil || p.ID != id {
				t.Errorf("the old token %s.. signs in as %v, %v", secret[:5], p, err)
			}
			clk.Advance(time.Minute)
			clk.Advance(time.Minute)
			if err := s.RecordSignIn(ctx, id, backcoach.AuditSignInFailure); err != nil {
				t.Errorf("a security event after the upgrade: %v", err)
			}
			want := []string{"create access_token", "use access_token", "sign_in_failure password"}
			if got := auditLines(t, s, id); !reflect.DeepEqual(got, want) {
				t.Errorf("the audit trail after the upgrade\n got %q\nwant %q", got, want)
			}
		})
	}
}
