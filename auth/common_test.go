package auth

import (
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// TestGuessablePasswordsAreRefused checks the policy against the kinds of
// password an attacker tries first, and that ordinary pass-phrases and
// strong random ones still pass.
func TestGuessablePasswordsAreRefused(t *testing.T) {
	t.Parallel()
	refused := map[string]string{
		"password123":        "used most often",
		"Password123":        "used most often",
		"QWERTYUIOP":         "used most often",
		"1q2w3e4r5t":         "used most often",
		"basketball":         "used most often",
		"Sunshine2026!":      "digits or symbols added",
		"!!football!!":       "digits or symbols added",
		"aaaaaaaaaaaa":       "repeats",
		"abababababab":       "repeats",
		"123123123123":       "repeats",
		"abcdefghijkl":       "run of letters",
		"9876543210":         "run of letters",
		"backcoach2026":      "name this account",
		"MaryPoppins!!":      "name this account",
		"mary-poppins-99":    "name this account",
		"BackCoach123456789": "name this account",
	}
	for pw, why := range refused {
		err := CheckPassword("password", pw, "marypoppins", "Mary Poppins", "mary")
		if err == nil || !strings.Contains(err.Error(), why) || backcoach.ErrorCode(err) != backcoach.EINVALID {
			t.Errorf("%q: %v, want a refusal that says %q", pw, err, why)
		}
		if err != nil && strings.Contains(err.Error(), pw) {
			t.Errorf("%q: the message repeats the password: %v", pw, err)
		}
	}
	for _, pw := range []string{
		"correct horse battery",
		"a quiet walk by the river",
		"mary walks the river path daily",
		"t7#Qz!m2Lp9x",
		"kettle lantern orbit",
	} {
		if err := CheckPassword("password", pw, "marypoppins", "Mary Poppins", "mary"); err != nil {
			t.Errorf("%q: %v, want it accepted", pw, err)
		}
	}
}

// TestCommonListLoads guards the embedded list: its size, that it is
// lower case with one password a line, and that it holds the most common
// passwords.
func TestCommonListLoads(t *testing.T) {
	t.Parallel()
	set := commonSet()
	if len(set) < 29000 {
		t.Fatalf("the list has %d passwords, want about 30,000", len(set))
	}
	for w := range set {
		if w != strings.ToLower(w) || strings.ContainsAny(w, " \t\r") {
			t.Fatalf("entry %q is not one lower-case password", w)
		}
	}
	for _, w := range []string{"123456", "password", "qwerty", "letmein"} {
		if _, ok := set[w]; !ok {
			t.Errorf("%q is missing", w)
		}
	}
}
