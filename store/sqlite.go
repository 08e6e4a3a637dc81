package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/backcoach/backcoach"
)

// The SQLite settings of every connection (docs/storage.md says why):
//
//   - journal_mode=WAL: readers and the writer do not block each other, and
//     a crash in the middle of a write leaves the last committed state.
//   - synchronous=FULL: every commit waits until the write-ahead log is on
//     the disk (fsync). With WAL, NORMAL would only sync at checkpoints, so
//     a power cut could lose the last commits even though the caller was
//     told they were saved; FULL makes "saved" mean saved.
//   - foreign_keys=ON: SQLite leaves references unchecked unless asked.
//   - busy_timeout: when another process (a backup, a second command)
//     holds the lock, wait for it instead of failing at once.
//   - _txlock=immediate (writer only): a write transaction takes the write
//     lock when it begins, so it can never fail half-way with SQLITE_BUSY
//     when upgrading from a read, the case busy_timeout cannot help with.
const (
	sqliteCommon       = "_pragma=busy_timeout(15000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	sqliteWriterParams = sqliteCommon + "&_pragma=journal_mode(WAL)&_txlock=immediate"
	sqliteReaderParams = sqliteCommon + "&_pragma=query_only(1)"
	sqliteCheckParams  = "_pragma=busy_timeout(15000)&_pragma=query_only(1)"
	sqliteReaders      = 4
)

// sqliteMagic is how every SQLite database file begins.
var sqliteMagic = []byte("SQLite format 3\x00")

// DefaultPath returns where the SQLite database lives when none is named:
// $XDG_DATA_HOME/backcoach/backcoach.db, with XDG_DATA_HOME defaulting to
// ~/.local/share.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", backcoach.Errorf(backcoach.EINVALID, "cannot tell where to keep data: neither XDG_DATA_HOME nor HOME is set; name a file with --db")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "backcoach", "backcoach.db"), nil
}

// openSQLite checks the file at path and opens the two pools.
func (s *Store) openSQLite(ctx context.Context, path string) error {
	path = strings.TrimPrefix(path, "sqlite:")
	if path == "" {
		return backcoach.Invalid("db", "must name a SQLite file or a postgres:// address")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return backcoach.Invalid("db", "cannot use the path %q: %v", path, err)
	}
	if strings.ContainsAny(abs, "?#") {
		return backcoach.Invalid("db", "the file name must not contain '?' or '#', got %q", abs)
	}
	s.dialect, s.path = SQLite, abs
	if err := prepareSQLiteFile(abs); err != nil {
		return err
	}
	if err := s.checkSQLiteFile(ctx); err != nil {
		return err
	}
	s.db, err = sql.Open("sqlite", abs+"?"+sqliteWriterParams)
	if err != nil {
		return fmt.Errorf("open %s: %w", abs, err)
	}
	s.db.SetMaxOpenConns(1)
	s.db.SetMaxIdleConns(1)
	s.db.SetConnMaxLifetime(0)
	s.db.SetConnMaxIdleTime(0)
	// The first connection switches the file to WAL before any reader
	// opens it.
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return s.dbError(err, "open "+abs)
	}
	s.rdb, err = sql.Open("sqlite", abs+"?"+sqliteReaderParams)
	if err != nil {
		s.db.Close()
		return fmt.Errorf("open %s: %w", abs, err)
	}
	s.rdb.SetMaxOpenConns(sqliteReaders)
	s.rdb.SetMaxIdleConns(sqliteReaders)
	s.rdb.SetConnMaxLifetime(0)
	s.rdb.SetConnMaxIdleTime(0)
	return nil
}

// prepareSQLiteFile creates the file (and its folder, private to the
// person) when it is missing, and otherwise checks that it is a regular
// file that begins like a SQLite database. A file that does not is left
// untouched.
func prepareSQLiteFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return createSQLiteFile(path)
	case err != nil:
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot use the database file %s: %v", path, err)
	case !st.Mode().IsRegular():
		return backcoach.Errorf(backcoach.EINVALID, "%s is not a database file (it is a %s); name a file with --db", path, kindOf(st.Mode()))
	case st.Size() == 0:
		return nil // SQLite treats an empty file as a new database
	}
	f, err := os.Open(path)
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot read the database file %s: %v", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return backcoach.Errorf(backcoach.EINVALID, "%s is not a SQLite database; backcoach will not open or change it: move it away or name another file with --db", path)
	}
	return nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "folder"
	case m&fs.ModeSymlink != 0:
		return "link"
	case m&fs.ModeNamedPipe != 0:
		return "pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// createSQLiteFile makes the folder (0700) and an empty file (0600), and
// syncs the folder so that the new name survives a crash.
func createSQLiteFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot create the folder %s for the database: %v", dir, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return prepareSQLiteFile(path) // another process created it meanwhile
	}
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot create the database file %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot create the database file %s: %v", path, err)
	}
	return syncDir(dir)
}

// syncDir makes a folder's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot sync the folder %s: %v", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot sync the folder %s: %v", dir, err)
	}
	return nil
}

// checkSQLiteFile looks inside the file through a read-only connection, so
// that nothing is written before the file is known to be sound: SQLite's
// quick_check must pass, and the schema must be backcoach's and not newer
// than this program.
func (s *Store) checkSQLiteFile(ctx context.Context) error {
	db, err := sql.Open("sqlite", s.path+"?"+sqliteCheckParams)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := checkIntegrity(ctx, db, s.path, "quick_check"); err != nil {
		return err
	}
	return s.checkSchema(ctx, db)
}

// checkIntegrity runs PRAGMA quick_check or integrity_check and turns any
// complaint into a clear error.
func checkIntegrity(ctx context.Context, db *sql.DB, path, pragma string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return damaged(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return damaged(path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return damaged(path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 3 {
			problems = append(problems[:3], fmt.Sprintf("and %d more", len(problems)-3))
		}
		return damaged(path, errors.New(strings.Join(problems, "; ")))
	}
	return nil
}

// damaged is the error for a database file SQLite cannot read soundly.
func damaged(path string, err error) error {
	var se interface{ Code() int }
	if errors.As(err, &se) && se.Code()&0xff == sqliteNotADB {
		return backcoach.Errorf(backcoach.EINVALID, "%s is not a SQLite database; backcoach will not open or change it: move it away or name another file with --db", path)
	}
	return backcoach.Errorf(backcoach.EINTERNAL, "the database file %s is damaged (SQLite says: %v); backcoach will not change it. Move it aside and keep it (sqlite3's .recover may rescue its data), then bring back a backup with `backcoach restore FILE`", path, err)
}

// IntegrityCheck runs SQLite's full integrity check on the store's file;
// it does nothing for PostgreSQL.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	return checkIntegrity(ctx, s.rdb, s.path, "integrity_check")
}
