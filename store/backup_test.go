package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// TestBackupRestore backs up, changes everything, restores, and expects
// every person's data back exactly; in both formats, on both databases,
// and across them.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		from, to int // indexes into databases
		format   BackupFormat
	}{
		{"sqlite file", 0, 0, BackupSQLite},
		{"sqlite json", 0, 0, BackupJSON},
		{"postgres json", 1, 1, BackupJSON},
		{"sqlite file into postgres", 0, 1, BackupSQLite},
		{"postgres json into sqlite", 1, 0, BackupJSON},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			src := openTest(t, databases[c.from].dsn(t))
			dst := src
			if c.to != c.from {
				dst = openTest(t, databases[c.to].dsn(t))
			}
			ann, bob := newPerson(t, src, "ann"), newPerson(t, src, "bob")
			fill(t, src, ann, day0)
			fill(t, src, bob, day0.AddDate(0, 1, 0))
			signIns := signInRows(t, src)
			want := map[string]*backcoach.Export{}
			for _, id := range []string{ann, bob} {
				x, err := src.Export(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				want[id] = x
			}
			file := filepath.Join(t.TempDir(), "backup")
			if err := src.Backup(ctx, file, c.format); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("backup file: %v, %v; want mode 0600", st.Mode(), err)
			}
			if err := src.Backup(ctx, file, c.format); code(err) != backcoach.ECONFLICT {
				t.Fatalf("backup over an existing file: got %v, want ECONFLICT", err)
			}
			// Change everything in the target: someone leaves, someone
			// else arrives, entries come and go.
			if dst == src {
				if _, err := dst.DeleteAccount(ctx, bob); err != nil {
					t.Fatal(err)
				}
				if err := dst.AddDiaryEntry(ctx, ann, &backcoach.DiaryEntry{Pain: 9}); err != nil {
					t.Fatal(err)
				}
			}
			carl := newPerson(t, dst, "carl")
			fill(t, dst, carl, day0)

			report, err := dst.Restore(ctx, file)
			if err != nil {
				t.Fatal(err)
			}
			if report.People != 2 {
				t.Errorf("restored %d people, want 2", report.People)
			}
			for id, x := range want {
				got, err := dst.Export(ctx, id)
				if err != nil {
					t.Fatalf("after restore: %v", err)
				}
				sameExport(t, got, x)
			}
			if _, err := dst.Person(ctx, carl); code(err) != backcoach.ENOTFOUND {
				t.Errorf("a person added after the backup survived the restore: %v", err)
			}
			// Passwords and tokens come back exactly; sessions do not.
			if got := signInRows(t, dst); !reflect.DeepEqual(got, signIns) {
				t.Errorf("sign-ins after the restore\n got %+v\nwant %+v", got, signIns)
			}
			if all, err := dst.SessionStore(sessionPersonKey).All(); err != nil || len(all) != 0 {
				t.Errorf("%d web sessions after the restore (%v), want none", len(all), err)
			}
		})
	}
}

// signInRows reads every password and token, hashes included.
func signInRows(t *testing.T, s *Store) *BackupDoc {
	t.Helper()
	creds, err := s.allCredentials(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := s.allAccessTokens(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) == 0 || len(tokens) == 0 {
		t.Fatalf("no sign-ins to compare: %d passwords, %d tokens", len(creds), len(tokens))
	}
	return &BackupDoc{Credentials: creds, AccessTokens: tokens}
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		fill(t, s, id, day0)
		before := countRows(t, s)
		dir := t.TempDir()
		bad := map[string][]byte{
			"text":          []byte("hello"),
			"json":          []byte(`{"format": "something", "version": 1}`),
			"newer":         []byte(`{"format": "backcoach-backup", "version": 99}`),
			"invalid":       []byte(`{"format": "backcoach-backup", "version": 1, "people": [{"format": "backcoach-export", "version": 1, "person": {"id": "x"}}]}`),
			"broken sqlite": append([]byte("SQLite format 3\x00"), make([]byte, 200)...),
		}
		for name, content := range bad {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Restore(ctx, path); err == nil {
				t.Errorf("%s: restore succeeded", name)
			} else {
				t.Logf("%s: %v", name, err)
			}
			if got, _ := os.ReadFile(path); string(got) != string(content) {
				t.Errorf("%s: the backup file changed", name)
			}
		}
		if _, err := s.Restore(ctx, filepath.Join(dir, "missing")); code(err) != backcoach.EINVALID {
			t.Errorf("missing file: got %v, want EINVALID", err)
		}
		if after := countRows(t, s); len(after) != len(before) || after["diary_entries"] != before["diary_entries"] {
			t.Errorf("a refused restore changed the data: %v -> %v", before, after)
		}
	})
}

// TestBackupWhileWriting takes a backup while writers keep saving sessions,
// and checks that the copy is one consistent moment: every session has all
// its exercises and its audit line, and nothing else has an audit line
// without its record.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		var stop atomic.Bool
		var wg sync.WaitGroup
		var written atomic.Int64
		underway := make(chan struct{})
		var once sync.Once
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() || written.Load() < 50 {
					err := s.SaveSession(ctx, id, &backcoach.Session{PainBefore: 4, Exercises: []backcoach.ExerciseOutcome{
						{ExerciseID: "a", Outcome: backcoach.OutcomeDone}, {ExerciseID: "b", Outcome: backcoach.OutcomeDone},
						{ExerciseID: "c", Outcome: backcoach.OutcomeSkipped}}})
					if err != nil {
						t.Error(err)
						return
					}
					if written.Add(1) == 20 {
						once.Do(func() { close(underway) })
					}
				}
			}()
		}
		// Back up once writes are under way; the writers go on meanwhile.
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		select {
		case <-underway:
		case <-finished: // the writers failed; their errors are reported
		}
		file := filepath.Join(t.TempDir(), "backup")
		err := s.Backup(ctx, file, s.DefaultBackupFormat())
		stop.Store(true)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		// Restore the copy into a fresh database and look at it there.
		fresh := openTest(t, databases[map[Dialect]int{SQLite: 0, Postgres: 1}[s.dialect]].dsn(t))
		if _, err := fresh.Restore(ctx, file); err != nil {
			t.Fatal(err)
		}
		x, err := fresh.Export(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		audited := map[string]bool{}
		for _, a := range x.Audit {
			if a.Kind == backcoach.KindSession {
				audited[a.RecordID] = true
			}
		}
		for _, ss := range x.Sessions {
			if len(ss.Exercises) != 3 || !audited[ss.ID] {
				t.Fatalf("session %s in the backup has %d exercises, audit line %v", ss.ID, len(ss.Exercises), audited[ss.ID])
			}
		}
		if len(audited) != len(x.Sessions) || len(x.Sessions) < 20 || int64(len(x.Sessions)) > written.Load() {
			t.Fatalf("backup holds %d sessions and %d audit lines for sessions; %d were written", len(x.Sessions), len(audited), written.Load())
		}
		t.Logf("backup caught %d of %d sessions", len(x.Sessions), written.Load())
	})
}

// TestRestoreRefusesBadSignIns spoils the sign-in data of a JSON backup in
// different ways and expects each restore refused, naming the field, with
// the database unchanged.
func TestRestoreRefusesBadSignIns(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id := newPerson(t, s, "ann")
		fill(t, s, id, day0)
		file := filepath.Join(t.TempDir(), "backup.json")
		if err := s.Backup(ctx, file, BackupJSON); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		before := countRows(t, s)
		for _, c := range []struct {
			name, field string
			spoil       func(d *BackupDoc)
		}{
			{"password", "credentials[0].hash", func(d *BackupDoc) { d.Credentials[0].Hash = "hunter2hunter2" }},
			{"password of a stranger", "credentials[0].person_id", func(d *BackupDoc) { d.Credentials[0].PersonID = newID() }},
			{"two passwords", "credentials[1].person_id", func(d *BackupDoc) { d.Credentials = append(d.Credentials, d.Credentials[0]) }},
			{"no time", "credentials[0].updated_at", func(d *BackupDoc) { d.Credentials[0].UpdatedAt = time.Time{} }},
			{"token of a stranger", "access_tokens[1].person_id", func(d *BackupDoc) { d.AccessTokens[1].PersonID = newID() }},
			{"token id twice", "access_tokens[1].id", func(d *BackupDoc) { d.AccessTokens[1].ID = d.AccessTokens[0].ID }},
			{"token hash twice", "access_tokens[1].hash", func(d *BackupDoc) { d.AccessTokens[1].Hash = d.AccessTokens[0].Hash }},
			{"token hash uppercase", "access_tokens[0].hash", func(d *BackupDoc) { d.AccessTokens[0].Hash = strings.ToUpper(d.AccessTokens[0].Hash) }},
			{"token name", "access_tokens[0].name", func(d *BackupDoc) { d.AccessTokens[0].Name = strings.Repeat("n", 101) }},
		} {
			var doc BackupDoc
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Credentials) != 1 || len(doc.AccessTokens) != 2 {
				t.Fatalf("the backup holds %d passwords and %d tokens, want 1 and 2", len(doc.Credentials), len(doc.AccessTokens))
			}
			c.spoil(&doc)
			b, _ := json.Marshal(doc)
			path := filepath.Join(t.TempDir(), "spoiled.json")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Restore(ctx, path)
			if code(err) != backcoach.EINVALID || !strings.Contains(err.Error(), c.field+":") {
				t.Errorf("%s: got %v, want EINVALID about %s", c.name, err, c.field)
			}
			if strings.Contains(fmt.Sprint(err), "hunter2") {
				t.Errorf("%s: the error repeats the password: %v", c.name, err)
			}
		}
		if after := countRows(t, s); !reflect.DeepEqual(after, before) {
			t.Errorf("refused restores changed the data:\nbefore %v\n after %v", before, after)
		}
	})
}
