// Package store keeps people and their history in SQLite (the default, one
// file) or PostgreSQL (for clinics), behind the service interfaces of the
// domain package. The SQL is written out plainly and is the same for both
// databases wherever the two agree; the schema lives in embedded migrations
// that run when a store is opened.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backcoach/backcoach"
)

// Every service of the domain is implemented here.
var (
	_ backcoach.PersonService        = (*Store)(nil)
	_ backcoach.AssessmentService    = (*Store)(nil)
	_ backcoach.PlanService          = (*Store)(nil)
	_ backcoach.SessionService       = (*Store)(nil)
	_ backcoach.DiaryService         = (*Store)(nil)
	_ backcoach.BreakStatsService    = (*Store)(nil)
	_ backcoach.BreakSettingsService = (*Store)(nil)
	_ backcoach.AuditService         = (*Store)(nil)
	_ backcoach.ExportService        = (*Store)(nil)
)

// Dialect names the database behind a store.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options tune a store. The zero value is fine.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives the store's few log lines; slog.Default when nil.
	Logger *slog.Logger
	// MaxConns caps PostgreSQL connections (default 10). SQLite always has
	// one writing connection and a few reading ones.
	MaxConns int
	// BusyWait bounds how long a SQLite write, or opening the file, waits
	// for other programs that hold the database, retrying with backoff,
	// before it fails saying the database is busy (default 30 s).
	BusyWait time.Duration
}

// DefaultBusyWait is how long the store waits for a busy SQLite file.
const DefaultBusyWait = 30 * time.Second

// Store is an open database holding everything the coach keeps. It is safe
// for concurrent use.
type Store struct {
	dialect Dialect
	// db takes the writes. For SQLite it has a single connection whose
	// transactions begin IMMEDIATE: writers queue in Go instead of racing
	// for SQLite's lock, so no caller ever sees "database is locked".
	db *sql.DB
	// rdb serves reads: for SQLite a pool of read-only connections, which
	// WAL lets run beside the writer; for PostgreSQL the same pool as db.
	rdb  *sql.DB
	path string // the SQLite file; empty for PostgreSQL
	now  func() time.Time
	log  *slog.Logger
	// stmts holds the writer's prepared statements for the frequent
	// inserts, by query (SQLite only: pgx caches statements itself).
	stmts sync.Map
	// busyWait bounds the retries of a busy SQLite file.
	busyWait time.Duration
	// writes takes SQLite writes to the group committer (see commitGroups);
	// stop ends it and committed is closed when it has.
	writes    chan *pendingWrite
	stop      chan struct{}
	committed chan struct{}
	closeOnce sync.Once
	// limitTakes counts TakeLimits, which purges the spent limits now
	// and then.
	limitTakes atomic.Uint64
	// formKeyClaims counts ClaimFormKey, which prunes the old keys now
	// and then.
	formKeyClaims atomic.Uint64
}

// Open opens the database named by dsn, checks that it is a backcoach
// database this program can use and brings its schema up to date. A dsn
// that starts with postgres:// or postgresql:// is a PostgreSQL server;
// anything else is the path of a SQLite file, created (with its folder)
// when missing. A file that is not a SQLite database, is damaged, belongs
// to another program or was written by a newer backcoach is refused with a
// clear error and left exactly as it was.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	return open(ctx, dsn, opts, 0)
}

// open is Open that migrates only up to version target (0: the newest);
// tests use it to build a database at an older schema.
func open(ctx context.Context, dsn string, opts Options, target int64) (*Store, error) {
	s := &Store{now: opts.Now, log: opts.Logger, busyWait: opts.BusyWait}
	if s.busyWait <= 0 {
		s.busyWait = DefaultBusyWait
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if IsPostgres(dsn) {
		if err := s.openPostgres(ctx, dsn, opts.MaxConns); err != nil {
			return nil, err
		}
		if err := s.migrate(ctx, target); err != nil {
			s.Close()
			return nil, err
		}
	} else {
		// Another process may hold the file (or be recovering its WAL)
		// at any step of opening it: the whole of it is tried again.
		s.dialect = SQLite
		err := s.retryBusy(ctx, func() error {
			if err := s.openSQLite(ctx, dsn); err != nil {
				return err
			}
			if err := s.migrate(ctx, target); err != nil {
				s.Close()
				s.db, s.rdb = nil, nil
				return err
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if target == 0 {
		if err := s.prepareWrites(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if s.dialect == SQLite {
		s.writes, s.stop, s.committed = make(chan *pendingWrite), make(chan struct{}), make(chan struct{})
		go s.commitGroups()
	}
	return s, nil
}

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Dialect returns the kind of database behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// Path returns the SQLite file, or "" for PostgreSQL.
func (s *Store) Path() string { return s.path }

// Close closes the database. Writes under way finish first; later ones
// fail.
func (s *Store) Close() error {
	if s.stop != nil {
		s.closeOnce.Do(func() { close(s.stop) })
		<-s.committed
	}
	var errs []error
	s.stmts.Range(func(_, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		return true
	})
	if s.rdb != nil && s.rdb != s.db {
		errs = append(errs, s.rdb.Close())
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// write runs fn in a transaction on the writing pool and commits it. On
// SQLite the group committer runs it (see commitGroups); PostgreSQL has a
// pool of connections and commits each write on its own.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.writes == nil {
		return s.writeAlone(ctx, fn)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &pendingWrite{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.writes <- w:
	case <-s.stop:
		return backcoach.Errorf(backcoach.EINTERNAL, "the database %s is closed", s.path)
	}
	// Once taken, a write is always answered, and only when it is known
	// whether it is on the disk: waiting is bounded by BusyWait.
	return <-w.done
}

// writeAlone runs fn in a transaction of its own, retrying a busy SQLite
// file (the migrations and PostgreSQL use it).
func (s *Store) writeAlone(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.retryBusy(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return s.dbError(err, "begin a write")
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return s.dbError(err, "commit")
		}
		return nil
	})
}

// read runs fn in a read-only transaction: one consistent snapshot.
// Beginning it is retried while the file is busy (WAL recovery by
// another process); fn runs once.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	var tx *sql.Tx
	err := s.retryBusy(ctx, func() (err error) {
		tx, err = s.rdb.BeginTx(ctx, opts)
		return err
	})
	if err != nil {
		return s.dbError(err, "begin a read")
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.busyOr(err)
	}
	return tx.Commit()
}

// exec runs a frequent write. On SQLite it reuses a statement prepared
// when the store was opened (see prepareWrites), which saves parsing the
// SQL on every diary entry or audit line; elsewhere it is q.ExecContext.
func (s *Store) exec(ctx context.Context, q queryer, query string, args ...any) (sql.Result, error) {
	if tx, ok := q.(*sql.Tx); ok {
		if st, ok := s.stmts.Load(query); ok {
			return tx.StmtContext(ctx, st.(*sql.Stmt)).ExecContext(ctx, args...)
		}
	}
	return q.ExecContext(ctx, query, args...)
}

// prepareWrites prepares the frequent inserts on SQLite's writing
// connection. It must run outside any transaction: the writing pool has a
// single connection, which a transaction holds.
func (s *Store) prepareWrites(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	for _, q := range []string{insertDiarySQL, insertAuditSQL, insertSessionSQL, insertSessionExerciseSQL} {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return s.dbError(err, "prepare the store's statements")
		}
		s.stmts.Store(q, st)
	}
	return nil
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// newID returns a fresh record identifier: 128 random bits as 26 characters
// of lowercase base32, safe in URLs and impossible to guess.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToLower(idEncoding.EncodeToString(b[:]))
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// stamp returns t as it is stored: UTC, to the microsecond (PostgreSQL's
// precision), so that what is saved reads back equal.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nowStamp returns the store's clock as stored.
func (s *Store) nowStamp() time.Time { return stamp(s.now()) }

// sqliteTimeLayout writes times in fixed width, so that SQLite's text order
// is time order.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// t converts a time to the database's form: text for SQLite, timestamptz
// for PostgreSQL.
func (s *Store) t(t time.Time) any {
	t = stamp(t)
	if s.dialect == SQLite {
		return t.Format(sqliteTimeLayout)
	}
	return t
}

// dbTime scans a stored time from either database.
type dbTime struct{ T time.Time }

// Scan implements sql.Scanner.
func (d *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		d.T = stamp(v)
		return nil
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	}
	return fmt.Errorf("cannot read a time from %T", src)
}

func (d *dbTime) parse(s string) error {
	if t, ok := parseSQLiteTime(s); ok {
		d.T = t
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", s, err)
	}
	d.T = stamp(t)
	return nil
}

// parseSQLiteTime reads the fixed layout the store writes to SQLite,
// 2006-01-02T15:04:05.000000Z, an order of magnitude faster than
// time.Parse, which matters when a year of records is read.
func parseSQLiteTime(s string) (time.Time, bool) {
	if len(s) != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	var v [7]int
	for i, r := range [7][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}, {20, 26}} {
		n, ok := num(r[0], r[1])
		if !ok {
			return time.Time{}, false
		}
		v[i] = n
	}
	t := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], v[6]*1000, time.UTC)
	if t.Month() != time.Month(v[1]) || t.Day() != v[2] || t.Hour() != v[3] || t.Minute() != v[4] || t.Second() != v[5] {
		return time.Time{}, false // out of range, such as February 30
	}
	return t, true
}

// dbInt scans a whole number straight from the driver's int64; scanning
// into a plain *int goes through text in database/sql, which is slow when
// a year of records is read. Use it as (*dbInt)(&field).
type dbInt int

// Scan implements sql.Scanner.
func (n *dbInt) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*n = dbInt(v)
	case int32:
		*n = dbInt(v)
	default:
		return fmt.Errorf("cannot read a whole number from %T", src)
	}
	return nil
}

// dbDate scans a calendar date (YYYY-MM-DD) from either database.
type dbDate struct{ S string }

// Scan implements sql.Scanner.
func (d *dbDate) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		d.S = v.Format(backcoach.DateLayout)
	case string:
		d.S = v
	case []byte:
		d.S = string(v)
	default:
		return fmt.Errorf("cannot read a date from %T", src)
	}
	return nil
}

// filterClause returns the WHERE additions, ORDER BY and LIMIT for f on
// the time column col, numbering parameters after args.
func (s *Store) filterClause(col string, f backcoach.Filter, args []any) (string, []any) {
	where, args := s.rangeClause(col, f, args)
	dir := "ASC"
	if f.NewestFirst {
		dir = "DESC"
	}
	where += fmt.Sprintf(" ORDER BY %s %s, id %s", col, dir, dir)
	if f.Limit > 0 {
		args = append(args, f.Limit)
		where += fmt.Sprintf(" LIMIT $%d", len(args))
	}
	return where, args
}

// rangeClause returns the WHERE additions for f's time range on col.
func (s *Store) rangeClause(col string, f backcoach.Filter, args []any) (string, []any) {
	var b strings.Builder
	if !f.From.IsZero() {
		args = append(args, s.t(f.From))
		fmt.Fprintf(&b, " AND %s >= $%d", col, len(args))
	}
	if !f.To.IsZero() {
		args = append(args, s.t(f.To))
		fmt.Fprintf(&b, " AND %s < $%d", col, len(args))
	}
	return b.String(), args
}

// checkFilter rejects a filter that makes no sense.
func checkFilter(f backcoach.Filter) error {
	if f.Limit < 0 {
		return backcoach.Invalid("limit", "must be 0 (no limit) or more, got %d", f.Limit)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return backcoach.Invalid("to", "must not be before from")
	}
	return nil
}

// checkActor rejects an acting person id that cannot be one.
func checkActor(actor string) error {
	if backcoach.CheckID("actor", actor) != nil {
		return backcoach.Errorf(backcoach.ENOTFOUND, "no such person")
	}
	return nil
}

// notFound is the error for a record that does not exist or is not the
// acting person's: the two are not told apart.
func notFound(kind, id string) error {
	return backcoach.Errorf(backcoach.ENOTFOUND, "no %s with id %q", kind, id)
}
