package web

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/backcoach/backcoach"
)

// The domain's errors name their field the way the data does
// ("time_zone: must be an IANA time zone name…"), which suits a script
// but not a person. A form shows each problem next to its field, in
// words, and shows every problem of the form at once.

// fieldWords names the fields of the web's forms the way a person
// would, to start a message about them.
var fieldWords = map[string]string{
	"name":                   "The name",
	"handle":                 "The handle",
	"password":               "The password",
	"current":                "That password",
	"confirm":                "The password typed again",
	"time_zone":              "The time zone",
	"minutes":                "The minutes for the routine",
	"places":                 "The places",
	"equipment":              "The equipment",
	"conditions":             "The conditions",
	"scope":                  "What the token may do",
	"lifetime_days":          "How long the token lasts",
	"movement_every_minutes": "The minutes before a movement break",
	"movement_for_minutes":   "The length of a movement break",
	"stretch_every_minutes":  "The minutes before a stretch break",
	"stretch_for_minutes":    "The length of a stretch break",
	"snooze_minutes":         "The minutes a snoozed break waits",
	"daily_limit_minutes":    "The most minutes in a day",
	"reset_hour":             "The hour a new day begins",
	"pain":                   "The pain score",
	"note":                   "The note",
	"peg_pain":               "The pain of the week",
	"peg_enjoyment":          "How pain got in the way of enjoying life",
	"peg_activity":           "How pain got in the way of activity",
	"checked_on":             "The day of the check",
	"session_time":           "The time of the session",
	"check_in_time":          "The time of the check-in",
}

// fieldIDPattern finds field names written inside a message, such as
// "shorter than movement_every_minutes (45 minutes)".
var fieldIDPattern = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)

// formErrors are the problems of one form by field, each said in words;
// "form" holds a problem that belongs to no field.
type formErrors map[string]string

// add files a domain error under its field, keeping the first problem
// of each field; it reports whether err was nil.
func (fe formErrors) add(err error) bool {
	if err == nil {
		return true
	}
	if err == errFormProblems {
		return false // its problems are in the map already
	}
	var all formProblems
	if errors.As(err, &all) {
		for field, msg := range all {
			if _, ok := fe[field]; !ok {
				fe[field] = msg
			}
		}
		return false
	}
	field, msg := plainError(err)
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
	return false
}

// formProblems carries every problem of a form as one error; its code
// is EINVALID.
type formProblems formErrors

func (p formProblems) Error() string {
	var b strings.Builder
	for field, msg := range p {
		fmt.Fprintf(&b, "%s: %s ", field, msg)
	}
	return strings.TrimSpace(b.String())
}

func (p formProblems) Unwrap() error { return errFormProblems }

// plainError names the form field of a domain error and says the error
// in words for the person: no field names of the data, a capital at the
// start and a full stop at the end.
func plainError(err error) (field, msg string) {
	var e *backcoach.Error
	if !errors.As(err, &e) {
		return "form", sentence(backcoach.ErrorMessage(err))
	}
	field = fieldOf(e)
	if e.Field == "" {
		field = "form"
	}
	return field, plainMessage(field, e.Message)
}

// plainMessage writes a message about a field as a sentence that starts
// with the field's words when it starts with a verb ("must…", "is…").
func plainMessage(field, msg string) string {
	msg = fieldIDPattern.ReplaceAllStringFunc(msg, func(id string) string {
		if w, ok := fieldWords[id]; ok {
			return lowerFirst(w)
		}
		return id
	})
	first, _, _ := strings.Cut(msg, " ")
	switch first {
	case "must", "is", "was", "cannot", "and", "has", "needs":
		if w, ok := fieldWords[field]; ok {
			msg = w + " " + msg
		}
	}
	return sentence(msg)
}

// messageOf says any error in words, for a form with one message.
func messageOf(err error) string {
	_, msg := plainError(err)
	return msg
}

// sentence starts s with a capital letter and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// everyError checks a form until no new problem is found: after each
// problem, repair puts a valid value into its field so that the check
// can go on to the next field. So a form shows all its problems at once,
// though the domain's checks stop at the first.
func everyError(fe formErrors, check func() error, repair func(field string)) {
	for range 32 {
		err := check()
		if err == nil || backcoach.ErrorCode(err) != backcoach.EINVALID {
			fe.add(err)
			return
		}
		field, _ := plainError(err)
		if _, seen := fe[field]; seen || field == "form" {
			fe.add(err)
			return
		}
		fe.add(err)
		repair(field)
	}
}
