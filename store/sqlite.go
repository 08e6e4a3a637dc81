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
	"syscall"
	"time"

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
//     holds the lock, wait for it instead of failing at once. SQLite does
//     not always call its busy handler (it returns SQLITE_BUSY at once
//     when waiting could deadlock, and around WAL recovery), so the store
//     also retries a busy transaction with backoff, up to Options.BusyWait
//     (see retryBusy).
//   - _txlock=immediate (writer only): a write transaction takes the write
//     lock when it begins, so it can never fail half-way with SQLITE_BUSY
//     when upgrading from a read, the case busy_timeout cannot help with.
const (
	sqliteCommon       = "_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	sqliteWriterParams = sqliteCommon + "&_pragma=journal_mode(WAL)&_txlock=immediate"
	sqliteReaderParams = sqliteCommon + "&_pragma=query_only(1)"
	sqliteCheckParams  = "_pragma=query_only(1)"
	sqliteReaders      = 4
	// sqliteBusyTimeout is SQLite's own wait for a lock, at most.
	sqliteBusyTimeout = 15 * time.Second
)

// busyParam is the busy_timeout pragma of every connection: SQLite's wait
// for a lock, no longer than the store's whole bound.
func (s *Store) busyParam() string {
	return fmt.Sprintf("_pragma=busy_timeout(%d)&", min(sqliteBusyTimeout, s.busyWait).Milliseconds())
}

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
	s.db, err = sql.Open("sqlite", abs+"?"+s.busyParam()+sqliteWriterParams)
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
		return openError(abs, err)
	}
	s.rdb, err = sql.Open("sqlite", abs+"?"+s.busyParam()+sqliteReaderParams)
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
		return notADatabase(path)
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
	db, err := sql.Open("sqlite", s.path+"?"+s.busyParam()+sqliteCheckParams)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := checkIntegrity(ctx, db, s.path, "quick_check"); err != nil {
		return err
	}
	_, err = s.checkSchema(ctx, db)
	return err
}

// checkIntegrity runs PRAGMA quick_check or integrity_check and turns any
// complaint into a clear error.
func checkIntegrity(ctx context.Context, db *sql.DB, path, pragma string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return openError(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return openError(path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return openError(path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 3 {
			problems = append(problems[:3], fmt.Sprintf("and %d more", len(problems)-3))
		}
		return damaged(path, errors.New(strings.Join(problems, "; ")))
	}
	return nil
}

// damaged is the error for a database file whose content SQLite found
// unsound: the one case where bringing back a backup is the advice.
func damaged(path string, err error) error {
	return backcoach.Errorf(backcoach.EINTERNAL, "the database file %s is damaged (SQLite says: %v); backcoach will not change it. Move it aside and keep it (sqlite3's .recover may rescue its data), then bring back a backup with `backcoach restore FILE`", path, err)
}

// notADatabase is the error for a file that is not a SQLite database.
func notADatabase(path string) error {
	return backcoach.Errorf(backcoach.EINVALID, "%s is not a SQLite database; backcoach will not open or change it: move it away or name another file with --db", path)
}

// openError names the cause of a failure to open or check the database
// file. SQLite's codes say little about the surroundings ("unable to open
// database file" is the same for a read-only folder and a missing one),
// so when the code is not about the file's content, the folder and the
// file are probed to find which it is. Only a file whose content is
// unsound is called damaged; a busy file is returned as it is, for
// retryBusy.
func openError(path string, err error) error {
	if err == nil || isBusy(err) {
		return err
	}
	var be *backcoach.Error
	if errors.As(err, &be) {
		return err
	}
	code := -1
	var se interface{ Code() int }
	if errors.As(err, &se) {
		code = se.Code() & 0xff
	}
	switch code {
	case sqliteNotADB:
		return notADatabase(path)
	case sqliteCorrupt:
		return damaged(path, err)
	}
	if cause := probeSurroundings(path); cause != nil {
		return cause
	}
	switch code {
	case sqliteFull:
		return diskFull(path)
	case sqliteIOErr:
		return backcoach.Errorf(backcoach.EINTERNAL, "reading or writing %s failed with an input/output error (SQLite says: %v); the disk may be failing or gone: check it (and its free space) before anything else. backcoach did not change the file", path, err)
	}
	return backcoach.Errorf(backcoach.EINTERNAL, "cannot open the database file %s (SQLite says: %v); backcoach did not change it", path, err)
}

func diskFull(path string) error {
	return backcoach.Errorf(backcoach.EINTERNAL, "the disk holding %s is full: SQLite needs room beside the file for %s-wal and %s-shm. The database is not damaged: free some space and try again", path, filepath.Base(path), filepath.Base(path))
}

// probeSurroundings finds what stops SQLite from using the file: a
// read-only file system, a folder or file this user may not write, or a
// full disk. It writes a small probe file (the size of SQLite's shared
// memory file) in the folder and removes it. nil means none was found.
func probeSurroundings(path string) error {
	dir, base := filepath.Dir(path), filepath.Base(path)
	cause := func(err error, what string) error {
		switch {
		case errors.Is(err, syscall.EROFS):
			return backcoach.Errorf(backcoach.EINVALID, "%s is on a read-only file system, and SQLite must write beside the database (%s-wal, %s-shm) even to read it. The database is not damaged: use it where it can be written, or name another file with --db", path, base, base)
		case errors.Is(err, fs.ErrPermission):
			return backcoach.Errorf(backcoach.EINVALID, "%s cannot be written by this user (permission denied), and SQLite must write beside the database (%s-wal, %s-shm) even to read it. The database is not damaged: give this user write permission on %s, or name another file with --db", what, base, base, what)
		case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
			return diskFull(path)
		}
		return nil
	}
	probe, err := os.CreateTemp(dir, "."+base+"-probe-*")
	if err != nil {
		return cause(err, "the folder "+dir)
	}
	defer os.Remove(probe.Name())
	_, err = probe.Write(make([]byte, 32<<10))
	if err == nil {
		err = probe.Sync()
	}
	probe.Close()
	if c := cause(err, "the folder "+dir); c != nil {
		return c
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return cause(err, "the file "+name)
		}
		f.Close()
	}
	return nil
}

// IntegrityCheck runs SQLite's full integrity check on the store's file;
// it does nothing for PostgreSQL.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	return checkIntegrity(ctx, s.rdb, s.path, "integrity_check")
}
