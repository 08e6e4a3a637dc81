package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/backcoach/backcoach"
)

// migrations holds the schema, one folder per dialect with the same
// version numbers; goose records the applied versions in versionTable.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

const versionTable = "goose_db_version"

// migrationsFS returns the dialect's migrations.
func (s *Store) migrationsFS() fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		panic(err) // the folders are embedded; this cannot fail
	}
	return sub
}

// LatestVersion is the newest schema version this program knows.
func LatestVersion() int64 {
	entries, err := fs.ReadDir(migrations, "migrations/sqlite")
	if err != nil {
		panic(err)
	}
	var latest int64
	for _, e := range entries {
		n, err := strconv.ParseInt(strings.SplitN(e.Name(), "_", 2)[0], 10, 64)
		if err == nil && n > latest {
			latest = n
		}
	}
	return latest
}

// provider returns goose for the store's database.
func (s *Store) provider() (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, s.db, s.migrationsFS(), goose.WithDisableGlobalRegistry(true))
}

// migrateLockID is the key of the PostgreSQL advisory lock under which a
// server checks and upgrades the schema ("backcoach" in ASCII).
const migrateLockID int64 = 0x6261636b636f6163

// migrate brings the schema up to version target (0: the newest). On
// PostgreSQL it holds a session advisory lock throughout, so that servers
// starting together on one database check and upgrade the schema one
// after the other: the first migrates, the others wait for it and then
// find nothing left to do.
//
// A database already at the newest version, the usual case, costs one
// read of the version table: goose is not started.
func (s *Store) migrate(ctx context.Context, target int64) error {
	if s.dialect == Postgres {
		unlock, err := s.lockMigrations(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	v, err := s.checkSchema(ctx, s.db)
	if err != nil {
		return err
	}
	if target == 0 && v == LatestVersion() || target != 0 && v == target {
		return nil
	}
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	if target == 0 {
		_, err = p.Up(ctx)
	} else {
		_, err = p.UpTo(ctx, target)
	}
	if err != nil {
		// Another process may have migrated the same file meanwhile; what
		// matters is that the schema is now where it should be.
		if v, verr := s.SchemaVersion(ctx); verr == nil && (v == target || target == 0 && v == LatestVersion()) {
			return nil
		}
		if isBusy(err) {
			return err // retried by open
		}
		return backcoach.Errorf(backcoach.EINTERNAL, "upgrading the database schema failed, and nothing of the failed step was kept: %v", err)
	}
	return nil
}

// lockMigrations waits for the migration lock on a connection of its own
// and returns what releases it. pg_advisory_lock waits in the server
// (no polling); the context ends the wait.
func (s *Store) lockMigrations(ctx context.Context) (func(), error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.dbError(err, "take a connection for the migration lock")
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockID); err != nil {
		conn.Close()
		return nil, s.dbError(err, "wait for the migration lock (another server may be upgrading the schema)")
	}
	return func() {
		// A lock not released here goes with the connection.
		if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrateLockID); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}

// SchemaVersion returns the schema version of the database.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	return schemaVersion(ctx, s.db, s.dialect)
}

func schemaVersion(ctx context.Context, db *sql.DB, d Dialect) (int64, error) {
	ok, err := tableExists(ctx, db, d, versionTable)
	if err != nil || !ok {
		return 0, err
	}
	var v int64
	err = db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM "+versionTable+" WHERE is_applied").Scan(&v)
	return v, err
}

// checkSchema refuses a database that is not backcoach's (it has tables
// but no schema version) or that a newer backcoach has upgraded: this
// program would misread it, and must not change it. It returns the
// version (0 for a new database).
func (s *Store) checkSchema(ctx context.Context, db *sql.DB) (int64, error) {
	where := s.path
	if s.dialect == Postgres {
		where = "the PostgreSQL database"
	}
	hasVersion, err := tableExists(ctx, db, s.dialect, versionTable)
	if err != nil {
		if s.dialect == SQLite {
			return 0, openError(s.path, err)
		}
		return 0, s.dbError(err, "read the schema of "+where)
	}
	if !hasVersion {
		n, err := countTables(ctx, db, s.dialect)
		if err != nil {
			return 0, s.dbError(err, "read the schema of "+where)
		}
		if n > 0 {
			return 0, backcoach.Errorf(backcoach.EINVALID, "%s holds tables of another program (%d) and no backcoach schema; backcoach will not change it: name another database with --db", where, n)
		}
		return 0, nil
	}
	v, err := schemaVersion(ctx, db, s.dialect)
	if err != nil {
		return 0, s.dbError(err, "read the schema version of "+where)
	}
	if latest := LatestVersion(); v > latest {
		return 0, backcoach.Errorf(backcoach.EINVALID, "%s has schema version %d, from a newer backcoach; this one knows versions up to %d and will not change it: install the newer backcoach", where, v, latest)
	}
	return v, nil
}

func tableExists(ctx context.Context, db *sql.DB, d Dialect, name string) (bool, error) {
	q := "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1"
	if d == Postgres {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	}
	var n int
	err := db.QueryRowContext(ctx, q, name).Scan(&n)
	return n > 0, err
}

func countTables(ctx context.Context, db *sql.DB, d Dialect) (int, error) {
	q := "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	if d == Postgres {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	var n int
	err := db.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}
