package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/backcoach/backcoach"
)

// defaultPostgresConns caps a clinic server's connections well below
// PostgreSQL's default max_connections of 100.
const defaultPostgresConns = 10

// openPostgres connects to the server and checks that it answers.
func (s *Store) openPostgres(ctx context.Context, dsn string, maxConns int) error {
	s.dialect = Postgres
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return backcoach.Invalid("db", "is not a usable PostgreSQL address (%s): %v", redact(dsn), err)
	}
	if maxConns <= 0 {
		maxConns = defaultPostgresConns
	}
	// The migration lock holds a connection while goose uses another.
	maxConns = max(maxConns, 2)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot reach PostgreSQL at %s: %v", redact(dsn), err)
	}
	s.db, s.rdb = db, db
	return nil
}

// redact hides the password of a connection address.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(an address that cannot be parsed)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return fmt.Sprint(u)
}
