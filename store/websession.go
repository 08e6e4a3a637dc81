package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/backcoach/backcoach"
)

// The web app's sessions: the store keeps them for scs
// (github.com/alexedwards/scs/v2) in the web_sessions table.

// MaxWebSessionBytes bounds one web session's encoded data.
const MaxWebSessionBytes = 64 << 10

// endedSessionGrace is how long, at least, an ended session is kept as a
// tombstone, so that a request that loaded it before it was ended cannot
// write it back when it finishes.
const endedSessionGrace = time.Hour

// WebSessionStore keeps the web app's sessions for scs. Give it to the
// session manager as its Store:
//
//	sessions := scs.New()
//	sessions.Store = st.SessionStore("person_id")
//	sessions.HashTokenInStore = true
//
// It knows who is signed in with a session by reading the session's value
// under its person key (the signed-in person's id, a string) every time
// scs saves the session, and records it with the session, so that
// (*Store).EndSessions, SetPasswordHash and DeleteAccount can end all of
// a person's sessions. Nothing else is needed to bind a session to a
// person: put the id under the key after renewing the token at sign-in,
// remove it (or destroy the session) at sign-out.
//
// Find, Commit and Delete follow scs's contract: an unknown, expired,
// ended or malformed token is not found, without an error; deleting an
// unknown token does nothing. Expiry is judged by the store's clock.
// Sessions are not audited, exported or kept by backups.
type WebSessionStore struct {
	s         *Store
	personKey string
	codec     scs.Codec
}

var (
	_ scs.Store            = (*WebSessionStore)(nil)
	_ scs.CtxStore         = (*WebSessionStore)(nil)
	_ scs.IterableStore    = (*WebSessionStore)(nil)
	_ scs.IterableCtxStore = (*WebSessionStore)(nil)
)

// SessionStore returns the store of the web app's sessions. personKey is
// the session value that holds the signed-in person's id; empty keeps no
// link between sessions and persons (then nothing can end a person's
// sessions, so the web app should not use it empty). The sessions' data
// is read with scs's default codec; a session manager with another Codec
// needs SessionStoreWithCodec.
func (s *Store) SessionStore(personKey string) *WebSessionStore {
	return s.SessionStoreWithCodec(personKey, scs.GobCodec{})
}

// SessionStoreWithCodec is SessionStore for a session manager whose Codec
// is not scs's default.
func (s *Store) SessionStoreWithCodec(personKey string, codec scs.Codec) *WebSessionStore {
	return &WebSessionStore{s: s, personKey: personKey, codec: codec}
}

// isSessionToken reports whether token can be a session token, as scs
// makes them (43 characters of URL-safe base64, also when hashed).
func isSessionToken(token string) bool {
	if len(token) < 22 || len(token) > 128 {
		return false
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// FindCtx returns the data of a live session.
func (w *WebSessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if !isSessionToken(token) {
		return nil, false, nil
	}
	s := w.s
	var data []byte
	err := s.rdb.QueryRowContext(ctx,
		`SELECT data FROM web_sessions WHERE token = $1 AND NOT ended AND expiry > $2`, token, s.t(s.now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.dbError(err, "read the web session")
	}
	return data, true, nil
}

// CommitCtx saves a session's data and expiry, adding the session or
// replacing what it held. The person it is bound to follows the data's
// person key. A session that was ended stays ended.
func (w *WebSessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if !isSessionToken(token) {
		return backcoach.Invalid("token", "must be a session token of 22 to 128 characters A-Z, a-z, 0-9, '-' and '_', as scs makes")
	}
	if len(b) == 0 || len(b) > MaxWebSessionBytes {
		return backcoach.Invalid("data", "must be 1 to %d bytes of session data, got %d", MaxWebSessionBytes, len(b))
	}
	if expiry.Year() < 2000 || expiry.Year() > 2200 {
		return backcoach.Invalid("expiry", "must be a time between the years 2000 and 2200, got %s", expiry.UTC().Format(time.RFC3339))
	}
	person, err := w.person(b)
	if err != nil {
		return err
	}
	s := w.s
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO web_sessions (token, data, expiry, person_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry, person_id = excluded.person_id
			WHERE NOT web_sessions.ended`,
			token, b, s.t(expiry), person)
		if backcoach.ErrorCode(s.dbError(err, "")) == backcoach.ENOTFOUND {
			return backcoach.Errorf(backcoach.ENOTFOUND, "the web session names the person %v under %q, who does not exist (any longer)", person, w.personKey)
		}
		return s.dbError(err, "save the web session")
	})
}

// person returns the id under the person key of the session data, or nil
// when nobody is signed in with it.
func (w *WebSessionStore) person(b []byte) (any, error) {
	if w.personKey == "" {
		return nil, nil
	}
	_, values, err := w.codec.Decode(b)
	if err != nil {
		return nil, backcoach.Invalid("data", "cannot be decoded with the session store's codec (give SessionStoreWithCodec the session manager's Codec): %v", err)
	}
	v, ok := values[w.personKey]
	if !ok || v == nil || v == "" {
		return nil, nil
	}
	id, ok := v.(string)
	if !ok || backcoach.CheckID(w.personKey, id) != nil {
		return nil, backcoach.Invalid("data", "the session value %q must be the signed-in person's id (a string of %d characters), got a %T", w.personKey, backcoach.IDLength, v)
	}
	return id, nil
}

// DeleteCtx ends a session (scs calls it when the token is renewed at
// sign-in, sign-out and a password change, and when a session is
// destroyed); an unknown token is no error. The session is not removed
// but left as a tombstone, as EndSessions leaves them: a request that
// loaded it before it was ended saves it when it finishes (scs saves
// every loaded session when an idle timeout is set), and that save must
// not bring it back.
func (w *WebSessionStore) DeleteCtx(ctx context.Context, token string) error {
	if !isSessionToken(token) {
		return nil
	}
	s := w.s
	keep := s.t(s.now().Add(endedSessionGrace))
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			`UPDATE web_sessions SET ended = $1, data = $2, person_id = NULL,
				expiry = CASE WHEN expiry > $3 THEN expiry ELSE $3 END
			WHERE token = $4`,
			true, []byte{}, keep, token)
		return s.dbError(err, "end the web session")
	})
}

// AllCtx returns the data of every live session, by token.
func (w *WebSessionStore) AllCtx(ctx context.Context) (map[string][]byte, error) {
	s := w.s
	rows, err := s.rdb.QueryContext(ctx, `SELECT token, data FROM web_sessions WHERE NOT ended AND expiry > $1`, s.t(s.now()))
	if err != nil {
		return nil, s.dbError(err, "read the web sessions")
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			return nil, s.dbError(err, "read the web sessions")
		}
		out[token] = data
	}
	return out, s.dbError(rows.Err(), "read the web sessions")
}

// Find is FindCtx without a context.
func (w *WebSessionStore) Find(token string) ([]byte, bool, error) {
	return w.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (w *WebSessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return w.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (w *WebSessionStore) Delete(token string) error {
	return w.DeleteCtx(context.Background(), token)
}

// All is AllCtx without a context.
func (w *WebSessionStore) All() (map[string][]byte, error) {
	return w.AllCtx(context.Background())
}

// EndSessions ends every web session of the acting person ("sign out
// everywhere") and says how many it ended. SetPasswordHash and
// DeleteAccount do it themselves.
func (s *Store) EndSessions(ctx context.Context, actor string) (int64, error) {
	if err := checkActor(actor); err != nil {
		return 0, err
	}
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		n, err = s.endSessions(ctx, tx, actor, s.nowStamp())
		return err
	})
	return n, err
}

// endSessions turns a person's sessions into tombstones: no data, no
// person, kept until their expiry and at least endedSessionGrace.
func (s *Store) endSessions(ctx context.Context, q queryer, person string, now time.Time) (int64, error) {
	keep := s.t(now.Add(endedSessionGrace))
	res, err := q.ExecContext(ctx,
		`UPDATE web_sessions SET ended = $1, data = $2, person_id = NULL,
			expiry = CASE WHEN expiry > $3 THEN expiry ELSE $3 END
		WHERE person_id = $4`,
		true, []byte{}, keep, person)
	if err != nil {
		return 0, s.dbError(err, "end the web sessions")
	}
	n, err := res.RowsAffected()
	return n, s.dbError(err, "end the web sessions")
}

// DeleteExpiredSessions removes the web sessions (and tombstones of ended
// ones) whose expiry has passed by the store's clock, and says how many.
// RunSessionCleanup calls it on a timer; a server may call it from its own.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE expiry <= $1`, s.t(s.now()))
		if err != nil {
			return s.dbError(err, "delete the expired web sessions")
		}
		n, err = res.RowsAffected()
		return s.dbError(err, "delete the expired web sessions")
	})
	return n, err
}

// RunSessionCleanup deletes expired web sessions every interval until ctx
// is done; a server starts it with go. A failed round is logged and the
// next one tried.
func (s *Store) RunSessionCleanup(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 5 * time.Minute
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			n, err := s.DeleteExpiredSessions(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				s.log.Warn("deleting expired web sessions failed; trying again later", "err", err)
			case n > 0:
				s.log.Debug("expired web sessions deleted", "sessions", n)
			}
		}
	}
}
