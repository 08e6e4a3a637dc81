package auth

import (
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the OWASP parameters", h)
	}
	if !Verify("correct horse battery", h) {
		t.Error("the right password does not verify")
	}
	if Verify("correct horse batterx", h) {
		t.Error("a wrong password verifies")
	}
	h2, _ := Hash("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerifyRejectsMalformedAndCostlyHashes(t *testing.T) {
	good, _ := HashWith("secret password", cheap)
	parts := strings.Split(good, "$")
	cases := map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"wrong algo":   strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=1,p=1", parts[4], parts[5]}, "$"),
		"huge time":    strings.Join([]string{"", parts[1], parts[2], "m=64,t=1000,p=1", parts[4], parts[5]}, "$"),
		"zero threads": strings.Join([]string{"", parts[1], parts[2], "m=64,t=1,p=0", parts[4], parts[5]}, "$"),
		"bad salt":     strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
	}
	if !Verify("secret password", good) {
		t.Fatal("the cheap hash does not verify")
	}
	for name, h := range cases {
		if Verify("secret password", h) {
			t.Errorf("%s: a malformed hash verified", name)
		}
	}
	if !NeedsRehash(good) {
		t.Error("a cheap hash does not need a rehash")
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		pw, want string
	}{
		{"short", "at least 10"},
		{strings.Repeat("a", 257), "at most 256"},
		{"          ", "only spaces"},
		{"\xff\xfe invalid utf8", "valid text"},
		{"a good long pass phrase", ""},
	}
	for _, tc := range cases {
		err := CheckPassword("password", tc.pw)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.pw, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || backcoach.ErrorCode(err) != backcoach.EINVALID {
			t.Errorf("%q: got %v, want %q", tc.pw, err, tc.want)
		}
	}
}

func TestTokens(t *testing.T) {
	a, ha, err := NewToken(TokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewToken(TokenPrefix)
	if a == b || !strings.HasPrefix(a, TokenPrefix) || len(a) < 40 {
		t.Errorf("tokens %q %q", a, b)
	}
	if TokenHash(a) != ha || strings.Contains(ha, a) {
		t.Error("the stored hash does not match or holds the token")
	}
}

func BenchmarkHash(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Hash("a good long pass phrase"); err != nil {
			b.Fatal(err)
		}
	}
}
