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
	"strings"
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

// BackupDoc is a JSON backup: every person's export document, and what
// they sign in with, which exports leave out, so that a restored server
// keeps its sign-ins. Web sessions are not kept: a restore signs everyone
// out. Backups made before schema version 3 have no sign-in data.
type BackupDoc struct {
	Format        string              `json:"format"`
	Version       int                 `json:"version"`
	CreatedAt     time.Time           `json:"created_at"`
	SchemaVersion int64               `json:"schema_version"`
	People        []backcoach.Export  `json:"people"`
	Credentials   []BackupCredential  `json:"credentials"`
	AccessTokens  []BackupAccessToken `json:"access_tokens"`
}

// BackupCredential is a person's password hash, in a backup.
type BackupCredential struct {
	PersonID  string    `json:"person_id"`
	Hash      string    `json:"hash"`
	UpdatedAt time.Time `json:"updated_at"`
}

// BackupAccessToken is a personal access token, in a backup: unlike
// backcoach.AccessToken, its JSON carries the hash.
type BackupAccessToken struct {
	ID         string     `json:"id"`
	PersonID   string     `json:"person_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"hash"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// Scope and ExpiresAt are in backups of schema version 6 and later.
	// A token of an older backup comes back read and write, expiring 90
	// days after the restore, as an upgrade treats it.
	Scope     backcoach.TokenScope `json:"scope,omitempty"`
	ExpiresAt *time.Time           `json:"expires_at,omitempty"`
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

// writeJSONBackup writes every person's export and sign-in data, read in
// one snapshot.
func (s *Store) writeJSONBackup(ctx context.Context, path string) error {
	var doc *BackupDoc
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		doc, err = s.backupDoc(ctx, tx)
		return err
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

// backupDoc reads the whole database as a backup document; q should be
// one snapshot.
func (s *Store) backupDoc(ctx context.Context, q queryer) (*BackupDoc, error) {
	doc := &BackupDoc{Format: BackupDocFormat, Version: BackupDocVersion, CreatedAt: s.nowStamp()}
	v, err := s.schemaVersionTx(ctx, q)
	if err != nil {
		return nil, err
	}
	doc.SchemaVersion = v
	ids, err := s.personIDs(ctx, q)
	if err != nil {
		return nil, err
	}
	doc.People = make([]backcoach.Export, 0, len(ids))
	for _, id := range ids {
		x, err := s.export(ctx, q, id)
		if err != nil {
			return nil, err
		}
		doc.People = append(doc.People, *x)
	}
	if doc.Credentials, err = s.allCredentials(ctx, q); err != nil {
		return nil, err
	}
	if doc.AccessTokens, err = s.allAccessTokens(ctx, q); err != nil {
		return nil, err
	}
	return doc, nil
}

// allCredentials reads every password hash, by person.
func (s *Store) allCredentials(ctx context.Context, q queryer) ([]BackupCredential, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id, hash, updated_at FROM credentials ORDER BY person_id`)
	if err != nil {
		return nil, s.dbError(err, "read the passwords")
	}
	defer rows.Close()
	out := []BackupCredential{}
	for rows.Next() {
		var c BackupCredential
		var at dbTime
		if err := rows.Scan(&c.PersonID, &c.Hash, &at); err != nil {
			return nil, s.dbError(err, "read the passwords")
		}
		c.UpdatedAt = at.T
		out = append(out, c)
	}
	return out, s.dbError(rows.Err(), "read the passwords")
}

// allAccessTokens reads every access token, hashes included, by person and
// time.
func (s *Store) allAccessTokens(ctx context.Context, q queryer) ([]BackupAccessToken, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT id, person_id, name, hash, created_at, last_used_at, scope, expires_at FROM access_tokens ORDER BY person_id, created_at, id`)
	if err != nil {
		return nil, s.dbError(err, "read the access tokens")
	}
	defer rows.Close()
	out := []BackupAccessToken{}
	for rows.Next() {
		var t BackupAccessToken
		var created, expires dbTime
		var used sql.Null[dbTime]
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.Hash, &created, &used, (*string)(&t.Scope), &expires); err != nil {
			return nil, s.dbError(err, "read the access tokens")
		}
		t.CreatedAt = created.T
		e := expires.T
		t.ExpiresAt = &e
		if used.Valid {
			u := used.V.T
			t.LastUsedAt = &u
		}
		out = append(out, t)
	}
	return out, s.dbError(rows.Err(), "read the access tokens")
}

// checkBackupSignIns validates a backup's sign-in data against its people
// and brings its times to the stored form.
func checkBackupSignIns(doc *BackupDoc) error {
	people := map[string]bool{}
	for i := range doc.People {
		people[doc.People[i].Person.ID] = true
	}
	withPassword := map[string]bool{}
	for i := range doc.Credentials {
		c := &doc.Credentials[i]
		f := fmt.Sprintf("credentials[%d]", i)
		if !people[c.PersonID] {
			return backcoach.Invalid(f+".person_id", "must be a person of the backup, got %q", clip(c.PersonID))
		}
		if withPassword[c.PersonID] {
			return backcoach.Invalid(f+".person_id", "%q has a second password", c.PersonID)
		}
		withPassword[c.PersonID] = true
		if err := checkPasswordHash(f+".hash", c.Hash); err != nil {
			return err
		}
		if err := checkStoredTime(f+".updated_at", c.UpdatedAt); err != nil {
			return err
		}
		c.UpdatedAt = stamp(c.UpdatedAt)
	}
	ids, hashes := map[string]bool{}, map[string]bool{}
	for i := range doc.AccessTokens {
		t := &doc.AccessTokens[i]
		f := fmt.Sprintf("access_tokens[%d]", i)
		if err := backcoach.CheckID(f+".id", t.ID); err != nil {
			return err
		}
		if ids[t.ID] {
			return backcoach.Invalid(f+".id", "%q is used twice", t.ID)
		}
		ids[t.ID] = true
		if !people[t.PersonID] {
			return backcoach.Invalid(f+".person_id", "must be a person of the backup, got %q", clip(t.PersonID))
		}
		if t.Scope == "" {
			t.Scope = backcoach.ScopeReadWrite // a backup made before scopes
		}
		tok := backcoach.AccessToken{Name: t.Name, Hash: t.Hash, Scope: t.Scope}
		if err := tok.Validate(); err != nil {
			var be *backcoach.Error
			if errors.As(err, &be) {
				return backcoach.Invalid(f+"."+be.Field, "%s", be.Message)
			}
			return err
		}
		if err := checkTokenHash(f+".hash", t.Hash); err != nil {
			return err
		}
		if hashes[t.Hash] {
			return backcoach.Invalid(f+".hash", "is the hash of another token of the backup")
		}
		hashes[t.Hash] = true
		if err := checkStoredTime(f+".created_at", t.CreatedAt); err != nil {
			return err
		}
		t.CreatedAt = stamp(t.CreatedAt)
		if t.LastUsedAt != nil {
			if err := checkStoredTime(f+".last_used_at", *t.LastUsedAt); err != nil {
				return err
			}
			u := stamp(*t.LastUsedAt)
			t.LastUsedAt = &u
		}
		if t.ExpiresAt != nil {
			if err := checkStoredTime(f+".expires_at", *t.ExpiresAt); err != nil {
				return err
			}
			e := stamp(*t.ExpiresAt)
			t.ExpiresAt = &e
		}
	}
	return nil
}

// checkStoredTime checks that a restored time is set and plausible.
func checkStoredTime(field string, t time.Time) error {
	if t.Year() < 2000 || t.Year() > 2200 {
		return backcoach.Invalid(field, "must be a time between the years 2000 and 2200, got %s", t.UTC().Format(time.RFC3339))
	}
	return nil
}

// clip shortens a value for an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}

// restoreSignIns stores a backup's passwords and access tokens.
func (s *Store) restoreSignIns(ctx context.Context, q queryer, doc *BackupDoc) error {
	for i := range doc.Credentials {
		c := &doc.Credentials[i]
		if err := s.upsertCredential(ctx, q, c.PersonID, c.Hash, c.UpdatedAt); err != nil {
			return err
		}
	}
	for i := range doc.AccessTokens {
		t := &doc.AccessTokens[i]
		tok := backcoach.AccessToken{ID: t.ID, PersonID: t.PersonID, Name: t.Name, Hash: t.Hash, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, Scope: t.Scope}
		if t.ExpiresAt != nil {
			tok.ExpiresAt = *t.ExpiresAt
		} else {
			tok.ExpiresAt = s.nowStamp().AddDate(0, 0, backcoach.DefaultTokenLifetimeDays)
		}
		if err := s.insertAccessToken(ctx, q, &tok); err != nil {
			return err
		}
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
// failure leaves the old data in place. Passwords and access tokens come
// back with the people; web sessions do not, so everyone signs in again.
func (s *Store) Restore(ctx context.Context, path string) (*RestoreReport, error) {
	backup, err := s.readBackup(ctx, path)
	if err != nil {
		return nil, err
	}
	docs := backup.People
	for i := range docs {
		if err := normalizeExport(&docs[i]); err != nil {
			return nil, err
		}
		if err := docs[i].Validate(); err != nil {
			return nil, backcoach.Errorf(backcoach.EINVALID, "the backup's person %d is not valid: %v", i+1, err)
		}
	}
	if err := checkBackupSignIns(backup); err != nil {
		return nil, backcoach.Errorf(backcoach.EINVALID, "the backup's sign-in data is not valid: %v", err)
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
		// The clinic records after every person: a consent names its
		// clinician, who may come later in the backup.
		for i := range docs {
			if err := s.importClinic(ctx, tx, &docs[i]); err != nil {
				return err
			}
		}
		if err := s.restoreSignIns(ctx, tx, backup); err != nil {
			return err
		}
		report.Rows += int64(len(backup.Credentials) + len(backup.AccessTokens))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// docRows counts the rows a document fills.
func docRows(x *backcoach.Export) int64 {
	n := int64(1 + len(x.Assessments) + len(x.Plans) + len(x.Sessions) + len(x.Diary) + len(x.BreakDays) + len(x.Audit) +
		len(x.Safety.Screens) + len(x.Safety.Clearances) +
		len(x.ClinicMemberships) + len(x.Consents) + len(x.Invitations) + len(x.Programmes))
	if x.Profile != nil {
		n++
	}
	if x.BreakSettings != nil {
		n++
	}
	for _, s := range x.Sessions {
		n += int64(len(s.Exercises))
	}
	return n
}

// readBackup reads a backup file of either format.
func (s *Store) readBackup(ctx context.Context, path string) (*BackupDoc, error) {
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
	return &doc, nil
}

// readSQLiteBackup opens a copy of a SQLite backup (so that upgrading its
// schema never touches the backup itself) and reads it as a backup
// document.
func (s *Store) readSQLiteBackup(ctx context.Context, path string) (*BackupDoc, error) {
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
	var doc *BackupDoc
	err = src.read(ctx, func(tx *sql.Tx) error {
		var err error
		doc, err = src.backupDoc(ctx, tx)
		return err
	})
	return doc, err
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
