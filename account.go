package backcoach

import (
	"context"
	"time"
)

// AccessToken is a personal access token: a long random secret a person
// creates for scripts that use the API. Only its hash is stored; the secret
// itself is shown once, when it is made.
type AccessToken struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// Name says what the token is for, e.g. "my phone's shortcut".
	Name string `json:"name"`
	// Hash is the stored form of the secret (auth.TokenHash); it never
	// leaves the server.
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// MaxTokenNameRunes bounds a token's name.
const MaxTokenNameRunes = 100

// Validate checks the token's fields.
func (t *AccessToken) Validate() error {
	if err := checkText("name", t.Name, MaxTokenNameRunes, false); err != nil {
		return err
	}
	if len(t.Hash) != 64 {
		return Invalid("hash", "must be a SHA-256 hash in hex")
	}
	return nil
}

// AccountService keeps what signing in needs: password hashes and personal
// access tokens. Like every service, each method reaches only the acting
// person's own records, checks its input before the database, and writes
// every change with its audit line in one transaction. Password hashes and
// token hashes are never exported (docs/export.md); a JSON backup keeps
// them, so that a restored server keeps its sign-ins.
type AccountService interface {
	// SetPasswordHash stores (or replaces) the acting person's password
	// hash, a PHC string such as auth.Hash makes; a password itself is
	// refused. In the same transaction it ends every web session of the
	// person (signing in with the old password, or a stolen session,
	// stops working), so the web layer renews the current session's token
	// and signs it in again after a change.
	SetPasswordHash(ctx context.Context, actor, hash string) error
	// PasswordHash returns a person's password hash, for signing in;
	// ENOTFOUND when the person has no password (or does not exist).
	PasswordHash(ctx context.Context, personID string) (string, error)
	// CreateAccessToken stores a new token (its Hash and Name set); the
	// store sets its ID, PersonID and CreatedAt. A hash stored already is
	// ECONFLICT.
	CreateAccessToken(ctx context.Context, actor string, t *AccessToken) error
	// AccessTokens lists the acting person's tokens, newest first, with
	// their Hash left empty.
	AccessTokens(ctx context.Context, actor string) ([]AccessToken, error)
	// RevokeAccessToken deletes one of the acting person's tokens;
	// ENOTFOUND for a token of anyone else.
	RevokeAccessToken(ctx context.Context, actor, id string) error
	// PersonByTokenHash finds the owner of a token by the token's hash and
	// records its use in LastUsedAt, at most once a minute per token so
	// that a busy script costs reads only; ENOTFOUND when no token has
	// that hash.
	PersonByTokenHash(ctx context.Context, hash string) (*Person, error)
}
