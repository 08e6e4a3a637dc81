package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// commonPasswords is the list of the 30,000 passwords seen most often in
// leaked password collections, lower-cased, one a line: the frequency list
// "passwords" of zxcvbn 4.4.2 (MIT licence, Dropbox; as packaged by
// github.com/trustelem/zxcvbn), cut to entries of four or more characters.
// NIST SP 800-63B §5.1.1.2 asks a verifier to refuse passwords from such
// lists, repetitive or sequential ones, and ones made of the service's or
// the person's own name.
//
//go:embed common-passwords.txt
var commonPasswords string

// commonSet is commonPasswords as a set, built the first time a password
// is checked rather than at start-up.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 30000)
	for line := range strings.Lines(commonPasswords) {
		if w := strings.TrimSpace(line); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
})

// guessable says why a password would be among the first an attacker
// tries, or "" when it is not: one of the common passwords, a common one
// with digits or symbols around it ("Sunshine2026!"), a character
// repeated, a run such as "abcdefghij" or "9876543210", or the product's
// or the person's own name with little else. context holds the person's
// own words (handle, name).
func guessable(pw string, context ...string) string {
	lower := strings.ToLower(pw)
	set := commonSet()
	if _, ok := set[lower]; ok {
		return "is one of the passwords used most often, which are guessed first"
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if utf8.RuneCountInString(core) >= 4 {
		if _, ok := set[core]; ok {
			return "is a common password with digits or symbols added, which is guessed early"
		}
	}
	if repeated(lower) {
		return "repeats one character or a short pattern"
	}
	if run(lower) {
		return "is a run of letters or digits in order"
	}
	squashed := letters(lower, true)
	for _, w := range append([]string{"backcoach"}, context...) {
		w = letters(strings.ToLower(w), true)
		if utf8.RuneCountInString(w) < 3 || !strings.Contains(squashed, w) {
			continue
		}
		// What is left besides the name must be a password of its own.
		if rest := strings.Replace(squashed, w, "", 1); utf8.RuneCountInString(letters(rest, false)) < 6 {
			return "is mostly a name this account already shows"
		}
	}
	return ""
}

// repeated reports whether pw is one short pattern (up to 3 characters)
// over and over: "aaaaaaaaaa", "abababababab", "123123123123".
func repeated(pw string) bool {
	r := []rune(pw)
	for size := 1; size <= 3 && size < len(r); size++ {
		same := true
		for i := size; i < len(r) && same; i++ {
			same = r[i] == r[i-size]
		}
		if same {
			return true
		}
	}
	return false
}

// run reports whether every character of pw follows the one before it by
// the same step of 1 or -1: "abcdefghij", "0123456789", "9876543210".
func run(pw string) bool {
	r := []rune(pw)
	if len(r) < 2 {
		return false
	}
	step := r[1] - r[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if r[i]-r[i-1] != step {
			return false
		}
	}
	return true
}

// letters keeps the letters of s, and its digits too when digits is true:
// "Mary-Poppins 99" is "MaryPoppins99" with digits, "MaryPoppins" without.
func letters(s string, digits bool) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || digits && unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
