package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/backcoach/backcoach"
)

// SQLite result codes (https://sqlite.org/rescode.html) the store tells
// apart: the primary code is the low byte of the extended one.
const (
	sqliteBusy          = 5
	sqliteLocked        = 6
	sqliteReadOnly      = 8
	sqliteIOErr         = 10
	sqliteCorrupt       = 11
	sqliteFull          = 13
	sqliteCantOpen      = 14
	sqliteConstraint    = 19
	sqliteNotADB        = 26
	sqliteConstraintFK  = 787
	sqliteConstraintPK  = 1555
	sqliteConstraintUnq = 2067
)

// dbError turns a driver error into the domain's error, saying what the
// store was doing. Constraint violations should not happen, since the domain
// validates first; when one does, it is still reported as bad input or a
// conflict, never as a crash.
func (s *Store) dbError(err error, doing string) error {
	if err == nil {
		return nil
	}
	var be *backcoach.Error
	if errors.As(err, &be) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return backcoach.Errorf(backcoach.ENOTFOUND, "%s: not found", doing)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		switch {
		case code == sqliteConstraintUnq || code == sqliteConstraintPK:
			return &backcoach.Error{Code: backcoach.ECONFLICT, Message: fmt.Sprintf("%s: the record exists already (%s)", doing, se.Error())}
		case code == sqliteConstraintFK:
			return &backcoach.Error{Code: backcoach.ENOTFOUND, Message: fmt.Sprintf("%s: a record it refers to does not exist", doing)}
		case code&0xff == sqliteConstraint:
			return &backcoach.Error{Code: backcoach.EINVALID, Message: fmt.Sprintf("%s: the database refused the values (%s)", doing, se.Error())}
		case code&0xff == sqliteCorrupt || code&0xff == sqliteNotADB:
			return &backcoach.Error{Code: backcoach.EINTERNAL, Message: fmt.Sprintf("the database file %s is damaged (%s); move it aside and bring back a backup with `backcoach restore FILE`", s.path, se.Error())}
		case code&0xff == sqliteFull:
			return &backcoach.Error{Code: backcoach.EINTERNAL, Message: fmt.Sprintf("%s: the disk holding %s is full", doing, s.path)}
		case code&0xff == sqliteReadOnly:
			return &backcoach.Error{Code: backcoach.EINTERNAL, Message: fmt.Sprintf("%s: %s cannot be written (check its permissions)", doing, s.path)}
		}
		return fmt.Errorf("%s: %w", doing, err)
	}
	if isUnavailable(err) {
		return &backcoach.Error{Code: backcoach.EUNAVAILABLE, Message: fmt.Sprintf("%s: the database does not answer; try again in a moment (%v)", doing, err)}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &backcoach.Error{Code: backcoach.ECONFLICT, Message: fmt.Sprintf("%s: the record exists already (%s)", doing, pe.ConstraintName)}
		case "23503":
			return &backcoach.Error{Code: backcoach.ENOTFOUND, Message: fmt.Sprintf("%s: a record it refers to does not exist", doing)}
		case "23514", "23502", "22P02", "22003", "22007", "22008":
			return &backcoach.Error{Code: backcoach.EINVALID, Message: fmt.Sprintf("%s: the database refused the values (%s)", doing, pe.Message)}
		}
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// isUnavailable reports whether a PostgreSQL error says the server cannot
// be reached or is going away (a restart, a fail-over): the request may
// succeed in a moment, so it is answered 503, not 500.
func isUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08 is a connection exception; 57P01-57P03 an
		// administrator's shutdown, a crash shutdown, and "cannot connect
		// now" while the server starts.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.As(err, &ce) || pgconn.Timeout(err) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}
