package testenv

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestRequired(t *testing.T) {
	for env, want := range map[string]bool{
		"":                      false,
		"postgres":              true,
		"chromium, Postgres ,x": true,
		"postgresql,chromium":   false,
		"tmux,chromium":         false,
	} {
		t.Setenv(RequireEnv, env)
		if got := Required("postgres"); got != want {
			t.Errorf("%s=%q: Required(postgres) = %v, want %v", RequireEnv, env, got, want)
		}
	}
}

// TestPostgresDB gets two databases and checks that they are separate and
// usable.
func TestPostgresDB(t *testing.T) {
	ctx := context.Background()
	var dbs []*sql.DB
	for i := 0; i < 2; i++ {
		db, err := sql.Open("pgx", PostgresDB(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.ExecContext(ctx, "CREATE TABLE t (n int)"); err != nil {
			t.Fatalf("database %d: %v", i, err)
		}
		dbs = append(dbs, db)
	}
	if _, err := dbs[0].ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := dbs[1].QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the second database sees %d rows (%v): the databases are not separate", n, err)
	}
}
