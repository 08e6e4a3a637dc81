package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/backcoach/backcoach"
)

// TestUnavailableDatabase checks that the errors of a PostgreSQL server
// that is down, restarting or unreachable are EUNAVAILABLE (503 with
// Retry-After at the edges), and that other faults are not.
func TestUnavailableDatabase(t *testing.T) {
	t.Parallel()
	s := &Store{dialect: Postgres}
	for _, err := range []error{
		&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"},
		&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"},
		&pgconn.PgError{Code: "08006"},
		driver.ErrBadConn,
		fmt.Errorf("dial: %w", syscall.ECONNREFUSED),
	} {
		if got := s.dbError(err, "read the diary"); backcoach.ErrorCode(got) != backcoach.EUNAVAILABLE {
			t.Errorf("%v: code %q, want %q", err, backcoach.ErrorCode(got), backcoach.EUNAVAILABLE)
		}
	}
	for _, err := range []error{errors.New("a bug"), &pgconn.PgError{Code: "42P01"}} {
		if got := s.dbError(err, "read the diary"); backcoach.ErrorCode(got) == backcoach.EUNAVAILABLE {
			t.Errorf("%v is called unavailable", err)
		}
	}
}
