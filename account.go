package backcoach

import (
	"context"
	"slices"
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
	Hash string `json:"-"`
	// Scope is what the token may do: read only, or read and change.
	Scope      TokenScope `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// ExpiresAt is when the token stops working.
	ExpiresAt time.Time `json:"expires_at"`
	// LifetimeDays is, when a token is made, how many days it lasts: one
	// of TokenLifetimeDays, or 0 for DefaultTokenLifetimeDays. The store
	// sets ExpiresAt from it; it is not kept.
	LifetimeDays int `json:"-"`
}

// TokenScope is what a personal access token may do.
type TokenScope string

// The scopes of a token.
const (
	// ScopeRead lets a token read only: every request other than GET
	// and HEAD is refused.
	ScopeRead TokenScope = "read"
	// ScopeReadWrite lets a token read and change the person's data.
	ScopeReadWrite TokenScope = "read_write"
)

// TokenScopes lists every scope.
var TokenScopes = []TokenScope{ScopeRead, ScopeReadWrite}

// TokenLifetimeDays are the lifetimes a person may choose for a token, in
// days; DefaultTokenLifetimeDays is the one chosen when none is said.
var TokenLifetimeDays = []int{7, 30, 90, 365}

// DefaultTokenLifetimeDays is a new token's lifetime unless one is chosen.
const DefaultTokenLifetimeDays = 90

// MaxTokenNameRunes bounds a token's name.
const MaxTokenNameRunes = 100

// CheckTokenLifetime checks a chosen lifetime in days; 0 is the default.
func CheckTokenLifetime(field string, days int) error {
	if days != 0 && !slices.Contains(TokenLifetimeDays, days) {
		return Invalid(field, "must be one of %v days, got %d", TokenLifetimeDays, days)
	}
	return nil
}

// Expired reports whether the token no longer works at the time now.
func (t *AccessToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// Allows refuses, with EFORBIDDEN, a request method that the token's scope
// does not allow: a read-only token may only GET (and HEAD).
func (t *AccessToken) Allows(method string) error {
	if t.Scope == ScopeReadWrite || method == "GET" || method == "HEAD" {
		return nil
	}
	return Errorf(EFORBIDDEN, "this access token is read-only: it may only read (GET), not %s; make a read-and-write token in Settings to change data", clip(method, 16))
}

// Validate checks the token's fields.
func (t *AccessToken) Validate() error {
	if err := checkText("name", t.Name, MaxTokenNameRunes, false); err != nil {
		return err
	}
	if err := checkOneOf("scope", t.Scope, TokenScopes); err != nil {
		return err
	}
	if err := CheckTokenLifetime("lifetime_days", t.LifetimeDays); err != nil {
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
	// person and revokes every access token and the calendar feed
	// (signing in with the old password, a stolen session, a stolen
	// token or a leaked feed address stops working), so the web layer
	// renews the current session's token and signs it in again after a
	// change.
	SetPasswordHash(ctx context.Context, actor, hash string) error
	// PasswordHash returns a person's password hash, for signing in;
	// ENOTFOUND when the person has no password (or does not exist).
	PasswordHash(ctx context.Context, personID string) (string, error)
	// CreateAccessToken stores a new token (its Hash, Name and Scope set,
	// and LifetimeDays when not the default); the store sets its ID,
	// PersonID, CreatedAt and ExpiresAt. A hash stored already is
	// ECONFLICT. Only a person signed in with a browser who typed their
	// password again may make one (the web app's Settings): a token never
	// makes tokens.
	CreateAccessToken(ctx context.Context, actor string, t *AccessToken) error
	// AccessTokens lists the acting person's tokens, newest first, with
	// their Hash left empty.
	AccessTokens(ctx context.Context, actor string) ([]AccessToken, error)
	// RecordSignIn writes a sign-in event of the person's account to the
	// audit trail: AuditSignIn (by the person), AuditSignInFailure or
	// AuditLockOut (by AnonymousActor: whoever tried is not known). It
	// never records what was typed.
	RecordSignIn(ctx context.Context, personID string, action AuditAction) error
	// RevokeAccessToken deletes one of the acting person's tokens;
	// ENOTFOUND for a token of anyone else.
	RevokeAccessToken(ctx context.Context, actor, id string) error
	// PersonByTokenHash finds the owner of a token by the token's hash,
	// with the token (its Hash left empty), and records its use in
	// LastUsedAt and the audit trail, at most once a minute per token so
	// that a busy script costs reads only; ENOTFOUND when no token has
	// that hash, EUNAUTHORIZED when the token has expired.
	PersonByTokenHash(ctx context.Context, hash string) (*Person, *AccessToken, error)
}
