package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

func TestOpenCreatesPrivateFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data", "backcoach")
	path := filepath.Join(dir, "backcoach.db")
	s := openTest(t, path)
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{{dir, 0o700}, {path, 0o600}} {
		st, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != c.mode {
			t.Errorf("%s has mode %v, want %v", c.path, st.Mode().Perm(), c.mode)
		}
	}
	for _, pragma := range []struct{ name, want string }{
		{"journal_mode", "wal"}, {"synchronous", "2"}, {"foreign_keys", "1"}, {"busy_timeout", "15000"},
	} {
		for _, db := range []*sql.DB{s.db, s.rdb} {
			var got string
			if err := db.QueryRow("PRAGMA " + pragma.name).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != pragma.want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma.name, got, pragma.want)
			}
		}
	}
	if v, err := s.SchemaVersion(context.Background()); err != nil || v != LatestVersion() {
		t.Errorf("schema version %d, %v; want %d", v, err, LatestVersion())
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/xdg")
	if p, err := DefaultPath(); err != nil || p != "/srv/xdg/backcoach/backcoach.db" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ann")
	if p, err := DefaultPath(); err != nil || p != "/home/ann/.local/share/backcoach/backcoach.db" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}

// TestOpenRefusesBadFiles checks that a file that is not a database, is
// damaged, belongs to another program or to a newer backcoach gives a clear
// error, and is left byte for byte as it was.
func TestOpenRefusesBadFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A good database with some data, to spoil in different ways.
	good := filepath.Join(t.TempDir(), "good.db")
	s := openTest(t, good)
	id := newPerson(t, s, "ann")
	fill(t, s, id, day0)
	for i := 0; i < 200; i++ {
		if err := s.AddDiaryEntry(ctx, id, &backcoach.DiaryEntry{Pain: i % 11, Note: strings.Repeat("n", 500)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name     string
		make     func(path string)
		code     string
		contains string
	}{
		{"text file", func(p string) { write(t, p, []byte("these are my notes, not a database\n")) }, backcoach.EINVALID, "is not a SQLite database"},
		{"short file", func(p string) { write(t, p, []byte("SQLite")) }, backcoach.EINVALID, "is not a SQLite database"},
		{"header only", func(p string) { write(t, p, append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 84)...)) }, "", "backcoach will not"},
		{"damaged pages", func(p string) {
			b := bytes.Clone(goodBytes)
			// Overwrite the middle of the file (table and index pages)
			// with garbage, keeping the header intact.
			for i := len(b) / 4; i < len(b)*3/4; i += 7 {
				b[i] ^= 0x5a
			}
			write(t, p, b)
		}, backcoach.EINTERNAL, "is damaged"},
		{"truncated", func(p string) { write(t, p, goodBytes[:len(goodBytes)/2]) }, backcoach.EINTERNAL, "is damaged"},
		{"another program's", func(p string) {
			db, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')"); err != nil {
				t.Fatal(err)
			}
		}, backcoach.EINVALID, "another program"},
		{"newer backcoach", func(p string) {
			write(t, p, goodBytes)
			db, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, 1)"); err != nil {
				t.Fatal(err)
			}
		}, backcoach.EINVALID, "newer backcoach"},
		{"folder", func(p string) { os.Mkdir(p, 0o700) }, backcoach.EINVALID, "is not a database file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "backcoach.db")
			c.make(path)
			before := snapshot(t, path)
			_, err := Open(ctx, path, Options{})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if c.code != "" && code(err) != c.code {
				t.Errorf("code %s, want %s (%v)", code(err), c.code, err)
			}
			msg := backcoach.ErrorMessage(err)
			t.Logf("%s: %s", code(err), msg)
			if !strings.Contains(msg, c.contains) || !strings.Contains(msg, path) {
				t.Errorf("message %q should name the file and say %q", msg, c.contains)
			}
			if after := snapshot(t, path); !bytes.Equal(before, after) {
				t.Errorf("the file changed")
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Errorf("a -wal file was created next to it")
			}
		})
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// snapshot returns a file's bytes; nil for a folder.
func snapshot(t *testing.T, path string) []byte {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsDir() {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenRefusesNewerPostgres(t *testing.T) {
	t.Parallel()
	dsn := databases[1].dsn(t)
	s := openTest(t, dsn)
	if _, err := s.db.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, true)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(context.Background(), dsn, Options{})
	if code(err) != backcoach.EINVALID || !strings.Contains(err.Error(), "newer backcoach") {
		t.Fatalf("Open of a newer schema: got %v, want EINVALID about a newer backcoach", err)
	}
}
