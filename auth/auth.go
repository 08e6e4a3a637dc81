// Package auth holds the credentials logic of the web app and API: argon2id
// password hashes in the PHC string format, the password policy, and random
// tokens (session and personal access tokens) of which only a hash is kept.
// It is pure apart from reading the system's random source.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/backcoach/backcoach"
)

// Params are the argon2id cost parameters. Default follows OWASP's
// recommendation (m=19 MiB, t=2, p=1).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// Default is used for every new hash.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Password length limits (NIST SP 800-63B: at least 8; a long upper bound
// so pass-phrases fit, short enough to bound the hashing cost).
const (
	MinPasswordRunes = 10
	MaxPasswordBytes = 256
)

// CheckPassword applies the password policy: the length limits, and no
// password an attacker would try first (see guessable). context holds
// the person's own words, such as the handle and name, which a password
// must not merely repeat.
func CheckPassword(field, pw string, context ...string) error {
	switch {
	case !utf8.ValidString(pw):
		return backcoach.Invalid(field, "must be valid text")
	case utf8.RuneCountInString(pw) < MinPasswordRunes:
		return backcoach.Invalid(field, "must be at least %d characters long", MinPasswordRunes)
	case len(pw) > MaxPasswordBytes:
		return backcoach.Invalid(field, "must be at most %d bytes long", MaxPasswordBytes)
	case strings.TrimSpace(pw) == "":
		return backcoach.Invalid(field, "must not be only spaces")
	}
	if why := guessable(pw, context...); why != "" {
		return backcoach.Invalid(field, "%s: choose another (three or four unrelated words make a strong one that is easy to remember)", why)
	}
	return nil
}

// Hash returns the argon2id hash of a password in PHC string format:
// $argon2id$v=19$m=...,t=...,p=...$salt$key.
func Hash(pw string) (string, error) {
	return HashWith(pw, Default)
}

// HashWith hashes with explicit parameters (tests use cheap ones).
func HashWith(pw string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, in constant time for
// a given hash. A malformed hash never matches.
func Verify(pw, encoded string) bool {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// NeedsRehash reports whether a hash was made with weaker parameters than
// Default, so that it can be replaced at the next successful sign-in.
func NeedsRehash(encoded string) bool {
	p, _, _, err := decode(encoded)
	return err != nil || p.Memory < Default.Memory || p.Time < Default.Time
}

// Upper bounds on parameters read from a stored hash, so that a tampered
// hash cannot make verification take minutes or gigabytes.
const (
	maxMemory = 256 * 1024
	maxTime   = 10
)

func decode(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("bad parameters")
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("parameters out of range")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("bad salt")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, fmt.Errorf("bad key")
	}
	return p, salt, key, nil
}

// TokenPrefix marks personal access tokens so that they are recognisable
// in a leaked file.
const TokenPrefix = "bc_"

// NewToken returns a new random token (256 bits, URL-safe) with the given
// prefix, and the hash under which it is stored.
func NewToken(prefix string) (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token), nil
}

// TokenHash is the stored form of a token: its SHA-256 in hex. Tokens are
// random and long, so a fast hash is enough.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
