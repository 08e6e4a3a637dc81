package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/backcoach/backcoach"
)

// BackupFormat is the kind of file a backup is written as.
type BackupFormat string

// The backup formats.
const (
	// BackupSQLite is a SQLite database file, made with VACUUM INTO: a
	// consistent copy taken while others keep reading and writing, that
	// SQLite itself (or backcoach with --db FILE) can open. SQLite only.
	BackupSQLite BackupFormat = "sqlite"
	// BackupJSON is one JSON document holding every person's export,
	// read in one snapshot (a REPEATABLE READ transaction on PostgreSQL).
	// It works for both databases and moves data between them.
	BackupJSON BackupFormat = "json"
)

// The JSON backup document's identity.
const (
	BackupDocFormat  = "backcoach-backup"
	BackupDocVersion = 1
)

// BackupDoc is a JSON backup: every person's export document.
type BackupDoc struct {
	Format        string             `json:"format"`
	Version       int                `json:"version"`
	CreatedAt     time.Time          `json:"created_at"`
	SchemaVersion int64              `json:"schema_version"`
	People        []backcoach.Export `json:"people"`
}

// DefaultBackupFormat is SQLite's own file for SQLite and JSON for
// PostgreSQL.
func (s *Store) DefaultBackupFormat() BackupFormat {
	if s.dialect == SQLite {
		return BackupSQLite
	}
	return BackupJSON
}

// Backup writes a consistent copy of the whole database to path while the
// database stays in use. It never overwrites: a path that exists is
// ECONFLICT. The file appears whole or not at all (it is written under a
// temporary name, synced, then linked into place).
func (s *Store) Backup(ctx context.Context, path string, format BackupFormat) error {
	if format == "" {
		format = s.DefaultBackupFormat()
	}
	if format != BackupSQLite && format != BackupJSON {
		return backcoach.Invalid("format", "must be sqlite or json, got %q", format)
	}
	if format == BackupSQLite && s.dialect != SQLite {
		return backcoach.Invalid("format", "sqlite backups need a SQLite database; use json for PostgreSQL")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return backcoach.Invalid("file", "cannot use the path %q: %v", path, err)
	}
	if abs == s.path {
		return backcoach.Invalid("file", "must not be the database itself")
	}
	if _, err := os.Lstat(abs); err == nil {
		return backcoach.Errorf(backcoach.ECONFLICT, "%s exists already; backcoach will not overwrite it: choose a new name", abs)
	}
	dir := filepath.Dir(abs)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return backcoach.Invalid("file", "must be in an existing folder; %s is not one", dir)
	}
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.%s.tmp", filepath.Base(abs), newID()[:8]))
	defer os.Remove(tmp)
	if format == BackupSQLite {
		err = s.vacuumInto(ctx, tmp)
	} else {
		err = s.writeJSONBackup(ctx, tmp)
	}
	if err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Link(tmp, abs); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return backcoach.Errorf(backcoach.ECONFLICT, "%s exists already; backcoach will not overwrite it: choose a new name", abs)
		}
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot write the backup %s: %v", abs, err)
	}
	return syncDir(dir)
}

// vacuumInto copies the database into a new file in one read transaction,
// on a reading connection, so the writers go on meanwhile. VACUUM INTO
// writes only the new file, but SQLite refuses it under query_only, which
// is lifted for the copy and put back after; a connection that cannot be
// put back is thrown away.
func (s *Store) vacuumInto(ctx context.Context, path string) error {
	conn, err := s.rdb.Conn(ctx)
	if err != nil {
		return s.dbError(err, "back up the database")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return s.dbError(err, "back up the database")
	}
	_, err = conn.ExecContext(ctx, `VACUUM INTO $1`, path)
	if _, rerr := conn.ExecContext(context.Background(), `PRAGMA query_only = 1`); rerr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	if err != nil {
		return s.dbError(err, "back up the database")
	}
	return os.Chmod(path, 0o600)
}

// writeJSONBackup writes every person's export, read in one snapshot.
func (s *Store) writeJSONBackup(ctx context.Context, path string) error {
	doc := BackupDoc{Format: BackupDocFormat, Version: BackupDocVersion, CreatedAt: s.nowStamp()}
	err := s.read(ctx, func(tx *sql.Tx) error {
		v, err := s.schemaVersionTx(ctx, tx)
		if err != nil {
			return err
		}
		doc.SchemaVersion = v
		ids, err := s.personIDs(ctx, tx)
		if err != nil {
			return err
		}
		doc.People = make([]backcoach.Export, 0, len(ids))
		for _, id := range ids {
			x, err := s.export(ctx, tx, id)
			if err != nil {
				return err
			}
			doc.People = append(doc.People, *x)
		}
		return nil
	})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot write the backup: %v", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		f.Close()
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot write the backup: %v", err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot write the backup: %v", err)
	}
	if err := f.Close(); err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot write the backup: %v", err)
	}
	return nil
}

func (s *Store) schemaVersionTx(ctx context.Context, q queryer) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM "+versionTable+" WHERE is_applied").Scan(&v)
	return v, s.dbError(err, "read the schema version")
}

// personIDs lists every stored person, oldest first.
func (s *Store) personIDs(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM persons ORDER BY created_at, id`)
	if err != nil {
		return nil, s.dbError(err, "list the accounts")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.dbError(err, "list the accounts")
		}
		ids = append(ids, id)
	}
	return ids, s.dbError(rows.Err(), "list the accounts")
}

// syncFile makes a file's content durable.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot sync %s: %v", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot sync %s: %v", path, err)
	}
	return nil
}

// RestoreReport says what a restore brought back.
type RestoreReport struct {
	People int
	Rows   int64
}

// Restore replaces everything in the database with the backup at path, a
// SQLite backup or a JSON one, from this database or the other kind. The
// backup file is only read (a SQLite backup is upgraded in a temporary
// copy). The whole replacement is one transaction: other users of the
// database see the old data or the restored data, never a mix, and a
// failure leaves the old data in place.
func (s *Store) Restore(ctx context.Context, path string) (*RestoreReport, error) {
	docs, err := s.readBackup(ctx, path)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		if err := normalizeExport(&docs[i]); err != nil {
			return nil, err
		}
		if err := docs[i].Validate(); err != nil {
			return nil, backcoach.Errorf(backcoach.EINVALID, "the backup's person %d is not valid: %v", i+1, err)
		}
	}
	report := &RestoreReport{People: len(docs)}
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, d := range deletions {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+d.table); err != nil {
				return s.dbError(err, "clear "+d.kind)
			}
		}
		for i := range docs {
			if err := s.importDoc(ctx, tx, &docs[i], backcoach.ImportOptions{}); err != nil {
				return err
			}
			report.Rows += docRows(&docs[i])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// docRows counts the rows a document fills.
func docRows(x *backcoach.Export) int64 {
	n := int64(1 + len(x.Assessments) + len(x.Plans) + len(x.Sessions) + len(x.Diary) + len(x.BreakDays) + len(x.Audit))
	if x.Profile != nil {
		n++
	}
	for _, s := range x.Sessions {
		n += int64(len(s.Exercises))
	}
	return n
}

// readBackup reads the people of a backup file of either format.
func (s *Store) readBackup(ctx context.Context, path string) ([]backcoach.Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, backcoach.Errorf(backcoach.EINVALID, "cannot read the backup %s: %v", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	if n == len(sqliteMagic) && bytes.Equal(head, sqliteMagic) {
		f.Close()
		return s.readSQLiteBackup(ctx, path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, backcoach.Errorf(backcoach.EINVALID, "cannot read the backup %s: %v", path, err)
	}
	var doc BackupDoc
	dec := json.NewDecoder(bufio.NewReader(f))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, backcoach.Errorf(backcoach.EINVALID, "%s is neither a SQLite backup nor a JSON backup of backcoach: %v", path, err)
	}
	if doc.Format != BackupDocFormat {
		return nil, backcoach.Errorf(backcoach.EINVALID, "%s is not a backcoach backup (its format is %q, not %q)", path, doc.Format, BackupDocFormat)
	}
	if doc.Version < 1 || doc.Version > BackupDocVersion {
		return nil, backcoach.Errorf(backcoach.EINVALID, "%s is a backup of version %d; this backcoach reads versions 1 to %d", path, doc.Version, BackupDocVersion)
	}
	return doc.People, nil
}

// readSQLiteBackup opens a copy of a SQLite backup (so that upgrading its
// schema never touches the backup itself) and exports everyone in it.
func (s *Store) readSQLiteBackup(ctx context.Context, path string) ([]backcoach.Export, error) {
	dir, err := os.MkdirTemp("", "backcoach-restore-")
	if err != nil {
		return nil, backcoach.Errorf(backcoach.EINTERNAL, "cannot make a working copy of the backup: %v", err)
	}
	defer os.RemoveAll(dir)
	cp := filepath.Join(dir, "backup.db")
	if err := copyFile(path, cp); err != nil {
		return nil, err
	}
	src, err := Open(ctx, cp, Options{Now: s.now, Logger: s.log})
	if err != nil {
		return nil, backcoach.Errorf(backcoach.ErrorCode(err), "the backup %s cannot be used: %s", path, backcoach.ErrorMessage(err))
	}
	defer src.Close()
	var docs []backcoach.Export
	err = src.read(ctx, func(tx *sql.Tx) error {
		ids, err := src.personIDs(ctx, tx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			x, err := src.export(ctx, tx, id)
			if err != nil {
				return err
			}
			docs = append(docs, *x)
		}
		return nil
	})
	return docs, err
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return backcoach.Errorf(backcoach.EINVALID, "cannot read %s: %v", from, err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot copy %s: %v", from, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot copy %s: %v", from, err)
	}
	return out.Close()
}
