package api

import (
	"net/http"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
)

// BearerAuthenticator returns an Authenticate function that signs requests
// in by a personal access token sent as "Authorization: Bearer <token>",
// the way scripts sign in. An expired token is refused (401), and a
// read-only one for anything but GET and HEAD (403). A server that also has browsers signed in by a
// session cookie supplies its own Authenticate, which accepts both.
func BearerAuthenticator(accounts backcoach.AccountService) func(*http.Request) (*backcoach.Person, error) {
	return func(r *http.Request) (*backcoach.Person, error) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			return nil, backcoach.Errorf(backcoach.EUNAUTHORIZED, "sign in: send a personal access token as Authorization: Bearer <token>")
		}
		p, tok, err := accounts.PersonByTokenHash(r.Context(), auth.TokenHash(strings.TrimSpace(secret)))
		if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			return nil, backcoach.Errorf(backcoach.EUNAUTHORIZED, "the bearer token is not valid: it was revoked, or mistyped")
		}
		if err != nil {
			return nil, err
		}
		if err := tok.Allows(r.Method); err != nil {
			return nil, err
		}
		return p, nil
	}
}
