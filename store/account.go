package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/backcoach/backcoach"
)

var _ backcoach.AccountService = (*Store)(nil)

// MaxPasswordHashBytes bounds a stored password hash. An argon2id hash in
// PHC string format is about 100 bytes.
const MaxPasswordHashBytes = 512

// tokenUseResolution is how often, at most, a token's last use is
// written: a script calling the API many times a minute costs one write a
// minute, not one per call.
const tokenUseResolution = time.Minute

// checkPasswordHash refuses what cannot be a password hash. The message
// never repeats the value: it may be a password sent by mistake.
func checkPasswordHash(field, hash string) error {
	if hash == "" {
		return backcoach.Invalid(field, "must be a password hash, got nothing")
	}
	if len(hash) > MaxPasswordHashBytes {
		return backcoach.Invalid(field, "must be at most %d bytes, got %d", MaxPasswordHashBytes, len(hash))
	}
	if len(hash) < 2 || hash[0] != '$' {
		return backcoach.Invalid(field, "must be a hash in PHC string format, starting with '$' (auth.Hash makes one), never the password itself")
	}
	for i := 0; i < len(hash); i++ {
		if c := hash[i]; c <= ' ' || c >= 0x7f {
			return backcoach.Invalid(field, "must be printable ASCII without spaces, as a PHC string is")
		}
	}
	return nil
}

// checkTokenHash refuses what cannot be a token's hash: the SHA-256 of the
// secret in lowercase hex (auth.TokenHash).
func checkTokenHash(field, hash string) error {
	if !isTokenHash(hash) {
		return backcoach.Invalid(field, "must be a SHA-256 hash in lowercase hex (64 characters 0-9, a-f), as auth.TokenHash makes")
	}
	return nil
}

func isTokenHash(hash string) bool {
	if len(hash) != 64 {
		return false
	}
	for i := 0; i < len(hash); i++ {
		if c := hash[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// SetPasswordHash stores or replaces the acting person's password hash and,
// in the same transaction, ends all of the person's web sessions and
// revokes their access tokens and calendar feed.
func (s *Store) SetPasswordHash(ctx context.Context, actor, hash string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := checkPasswordHash("hash", hash); err != nil {
		return err
	}
	now := s.nowStamp()
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM credentials WHERE person_id = $1`, actor).Scan(&n); err != nil {
			return s.dbError(err, "read the password")
		}
		if err := s.upsertCredential(ctx, tx, actor, hash, now); err != nil {
			return err
		}
		if _, err := s.endSessions(ctx, tx, actor, now); err != nil {
			return err
		}
		if err := s.revokeAllTokens(ctx, tx, actor); err != nil {
			return err
		}
		if err := s.revokeFeedOnPassword(ctx, tx, actor); err != nil {
			return err
		}
		action := backcoach.AuditUpdate
		if n == 0 {
			action = backcoach.AuditCreate
		}
		return s.audit(ctx, tx, actor, actor, action, backcoach.KindPassword, actor)
	})
}

// revokeAllTokens deletes every access token of the person, with an
// audit line for each: a new password ends what the old one made.
func (s *Store) revokeAllTokens(ctx context.Context, tx *sql.Tx, person string) error {
	rows, err := tx.QueryContext(ctx, `DELETE FROM access_tokens WHERE person_id = $1 RETURNING id`, person)
	if err != nil {
		return s.dbError(err, "revoke the access tokens")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return s.dbError(err, "revoke the access tokens")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.dbError(err, "revoke the access tokens")
	}
	for _, id := range ids {
		if err := s.audit(ctx, tx, person, person, backcoach.AuditDelete, backcoach.KindAccessToken, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) upsertCredential(ctx context.Context, q queryer, person, hash string, at time.Time) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO credentials (person_id, hash, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (person_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
		person, hash, s.t(at))
	return s.dbError(err, "save the password")
}

// PasswordHash returns a person's password hash, for signing in.
func (s *Store) PasswordHash(ctx context.Context, personID string) (string, error) {
	none := backcoach.Errorf(backcoach.ENOTFOUND, "the account has no password")
	if backcoach.CheckID("person_id", personID) != nil {
		return "", none
	}
	var hash string
	err := s.rdb.QueryRowContext(ctx, `SELECT hash FROM credentials WHERE person_id = $1`, personID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", none
	}
	if err != nil {
		return "", s.dbError(err, "read the password")
	}
	return hash, nil
}

// CreateAccessToken stores a new personal access token of the acting
// person; the store sets its ID, PersonID and CreatedAt.
func (s *Store) CreateAccessToken(ctx context.Context, actor string, t *backcoach.AccessToken) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if t == nil {
		return backcoach.Invalid("token", "is missing")
	}
	t.ID, t.PersonID, t.CreatedAt, t.LastUsedAt = newID(), actor, s.nowStamp(), nil
	if t.Scope == "" {
		t.Scope = backcoach.ScopeReadWrite // as every token was before scopes
	}
	if err := t.Validate(); err != nil {
		return err
	}
	days := t.LifetimeDays
	if days == 0 {
		days = backcoach.DefaultTokenLifetimeDays
	}
	t.ExpiresAt, t.LifetimeDays = t.CreatedAt.AddDate(0, 0, days), 0
	if err := checkTokenHash("hash", t.Hash); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		if err := s.insertAccessToken(ctx, tx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindAccessToken, t.ID)
	})
}

func (s *Store) insertAccessToken(ctx context.Context, q queryer, t *backcoach.AccessToken) error {
	var used any
	if t.LastUsedAt != nil {
		used = s.t(*t.LastUsedAt)
	}
	_, err := q.ExecContext(ctx,
		`INSERT INTO access_tokens (id, person_id, name, hash, created_at, last_used_at, scope, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.PersonID, t.Name, t.Hash, s.t(t.CreatedAt), used, string(t.Scope), s.t(t.ExpiresAt))
	if backcoach.ErrorCode(s.dbError(err, "")) == backcoach.ECONFLICT {
		return backcoach.Errorf(backcoach.ECONFLICT, "an access token with the id %q or the same secret is stored already; make a new token", t.ID)
	}
	return s.dbError(err, "save the access token")
}

// AccessTokens lists the acting person's tokens, newest first, without
// their hashes.
func (s *Store) AccessTokens(ctx context.Context, actor string) ([]backcoach.AccessToken, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	var out []backcoach.AccessToken
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		out, err = s.accessTokens(ctx, tx, actor, false)
		return err
	})
	return out, err
}

// accessTokens reads a person's tokens, newest first; with their hashes
// only when withHash (for backups).
func (s *Store) accessTokens(ctx context.Context, q queryer, person string, withHash bool) ([]backcoach.AccessToken, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT id, person_id, name, hash, created_at, last_used_at, scope, expires_at FROM access_tokens
		WHERE person_id = $1 ORDER BY created_at DESC, id DESC`, person)
	if err != nil {
		return nil, s.dbError(err, "read the access tokens")
	}
	defer rows.Close()
	out := []backcoach.AccessToken{}
	for rows.Next() {
		var t backcoach.AccessToken
		var created, expires dbTime
		var used sql.Null[dbTime]
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.Hash, &created, &used, (*string)(&t.Scope), &expires); err != nil {
			return nil, s.dbError(err, "read the access tokens")
		}
		t.CreatedAt, t.ExpiresAt = created.T, expires.T
		if used.Valid {
			u := used.V.T
			t.LastUsedAt = &u
		}
		if !withHash {
			t.Hash = ""
		}
		out = append(out, t)
	}
	return out, s.dbError(rows.Err(), "read the access tokens")
}

// RevokeAccessToken deletes one of the acting person's tokens.
func (s *Store) RevokeAccessToken(ctx context.Context, actor, id string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if backcoach.CheckID("id", id) != nil {
		return notFound("access token", id)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM access_tokens WHERE id = $1 AND person_id = $2`, id, actor)
		if err != nil {
			return s.dbError(err, "revoke the access token")
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return s.dbError(err, "revoke the access token")
			}
			return notFound("access token", id)
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditDelete, backcoach.KindAccessToken, id)
	})
}

// RecordSignIn writes a sign-in event of the person's account to the
// audit trail. A person that does not exist (any more) has no trail: the
// event is dropped. Lock-outs are written at most once a minute.
func (s *Store) RecordSignIn(ctx context.Context, personID string, action backcoach.AuditAction) error {
	actor := backcoach.AnonymousActor
	switch action {
	case backcoach.AuditSignIn:
		actor = personID
	case backcoach.AuditSignInFailure, backcoach.AuditLockOut:
	default:
		return backcoach.Invalid("action", "must be one of %q, %q or %q, got %q", backcoach.AuditSignIn, backcoach.AuditSignInFailure, backcoach.AuditLockOut, action)
	}
	if backcoach.CheckID("person_id", personID) != nil {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, personID); backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if action == backcoach.AuditLockOut {
			// One lock-out line a minute is enough: a spray of refused
			// attempts costs reads, not a write each.
			var n int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE person_id = $1 AND at > $2 AND action = $3`,
				personID, s.t(s.nowStamp().Add(-time.Minute)), string(action)).Scan(&n)
			if err != nil {
				return s.dbError(err, "read the audit trail")
			}
			if n > 0 {
				return nil
			}
		}
		return s.audit(ctx, tx, actor, personID, action, backcoach.KindPassword, personID)
	})
}

// PersonByTokenHash finds the owner of the token with the hash, and the
// token, and records the token's use, at most once a minute: a use within
// a minute of the recorded one is a read only. The recorded use also goes
// to the audit trail (AuditUse), so that the person sees when each token
// was at work. An expired token is EUNAUTHORIZED, saying so.
func (s *Store) PersonByTokenHash(ctx context.Context, hash string) (*backcoach.Person, *backcoach.AccessToken, error) {
	none := backcoach.Errorf(backcoach.ENOTFOUND, "no access token has that secret")
	if !isTokenHash(hash) {
		return nil, nil, none
	}
	var used sql.Null[dbTime]
	var created, tokCreated, expires dbTime
	p := backcoach.Person{}
	t := backcoach.AccessToken{}
	err := s.rdb.QueryRowContext(ctx,
		`SELECT t.id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at,
			p.id, COALESCE(p.handle, ''), p.name, p.role, p.created_at
		FROM access_tokens t JOIN persons p ON p.id = t.person_id WHERE t.hash = $1`, hash).
		Scan(&t.ID, &t.Name, (*string)(&t.Scope), &tokCreated, &expires, &used,
			&p.ID, &p.Handle, &p.Name, (*string)(&p.Role), &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, none
	}
	if err != nil {
		return nil, nil, s.dbError(err, "look up the access token")
	}
	p.CreatedAt = created.T
	t.PersonID, t.CreatedAt, t.ExpiresAt = p.ID, tokCreated.T, expires.T
	if used.Valid {
		u := used.V.T
		t.LastUsedAt = &u
	}
	now := s.nowStamp()
	if t.Expired(now) {
		return nil, nil, backcoach.Errorf(backcoach.EUNAUTHORIZED, "the access token %q expired on %s; make a new one in Settings",
			t.Name, t.ExpiresAt.UTC().Format(backcoach.DateLayout))
	}
	if used.Valid && now.Sub(used.V.T) < tokenUseResolution {
		return &p, &t, nil
	}
	// Record the use. The token may have been revoked since the read; then
	// it no longer signs anyone in.
	err = s.write(ctx, func(tx *sql.Tx) error {
		var last sql.Null[dbTime]
		err := tx.QueryRowContext(ctx, `SELECT last_used_at FROM access_tokens WHERE id = $1`, t.ID).Scan(&last)
		if errors.Is(err, sql.ErrNoRows) {
			return none
		}
		if err != nil {
			return s.dbError(err, "record the access token's use")
		}
		if last.Valid && now.Sub(last.V.T) < tokenUseResolution {
			return nil // another request recorded it meanwhile
		}
		if _, err = tx.ExecContext(ctx, `UPDATE access_tokens SET last_used_at = $1 WHERE id = $2`, s.t(now), t.ID); err != nil {
			return s.dbError(err, "record the access token's use")
		}
		return s.audit(ctx, tx, p.ID, p.ID, backcoach.AuditUse, backcoach.KindAccessToken, t.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	t.LastUsedAt = &now
	return &p, &t, nil
}
