// Package backcoach holds the domain of the upper-back pain coach: the plain
// types every interface shares (exercises, assessments, plans), the error type
// every edge maps to its own form, and the interfaces of the services that
// the storage package implements. It imports nothing but the standard library.
package backcoach

import (
	"errors"
	"fmt"
)

// Error codes. Each edge maps them to its own form (HTTP status, exit code)
// in exactly one place.
const (
	EINVALID      = "invalid"      // the input broke a rule; the message says which
	ENOTFOUND     = "not_found"    // no such record, or not the caller's
	ECONFLICT     = "conflict"     // the record exists already, or changed meanwhile
	EUNAUTHORIZED = "unauthorized" // nobody is signed in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed to do this
	EINTERNAL     = "internal"     // a fault of the program or its environment
	EUNAVAILABLE  = "unavailable"  // the database does not answer for now; try again in a moment
)

// Error is the one error type of the domain. It carries a code for the edges,
// the field the problem is about (when there is one) and a message written
// for the person who sent the input.
type Error struct {
	Code    string
	Field   string
	Message string
}

// Error returns the message, prefixed by the field it is about.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns what may be shown to the person: the message of an
// *Error, or a generic line for internal faults, whose details stay in logs.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "an internal error occurred"
}
