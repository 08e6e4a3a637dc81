package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// PostgresEnv names a server to use instead of starting one: a URL such as
// postgres://user:password@localhost:5432/postgres whose user may create
// databases.
const PostgresEnv = "BACKCOACH_TEST_POSTGRES"

var (
	mainRunning atomic.Bool

	pg struct {
		once  sync.Once
		admin *sql.DB
		dsn   *url.URL // the server's admin address
		err   error
		stop  func()
	}
)

// PostgresDB returns the address of a new, empty database for the test, on
// the server named by BACKCOACH_TEST_POSTGRES or else on a throw-away
// cluster that testenv starts once per package (as the postgres user when
// running as root) and stops when Main returns. The database is dropped
// when the test ends. Without PostgreSQL the test is skipped, or fails if
// BACKCOACH_REQUIRE names postgres.
func PostgresDB(t testing.TB) string {
	t.Helper()
	if os.Getenv(PostgresEnv) == "" && !mainRunning.Load() {
		t.Fatal("testenv.PostgresDB needs the package's TestMain to call testenv.Main, which stops the cluster")
	}
	pg.once.Do(startPostgres)
	if pg.err != nil {
		Unavailable(t, "postgres", pg.err.Error())
	}
	name := "bc_" + randomHex(8)
	ctx := context.Background()
	if _, err := pg.admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create a test database on %s: %v", redacted(pg.dsn), err)
	}
	t.Cleanup(func() {
		if _, err := pg.admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop the test database %s: %v", name, err)
		}
	})
	u := *pg.dsn
	u.Path = "/" + name
	return u.String()
}

// startPostgres connects to the given server or starts a cluster.
func startPostgres() {
	raw := os.Getenv(PostgresEnv)
	if raw == "" {
		raw, pg.stop, pg.err = startCluster()
		if pg.err != nil {
			return
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		pg.err = fmt.Errorf("%s must be a postgres:// URL, got %q", PostgresEnv, raw)
		return
	}
	pg.dsn = u
	db, err := sql.Open("pgx", raw)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		pg.err = fmt.Errorf("cannot connect to %s: %v", redacted(u), err)
		return
	}
	pg.admin = db
}

// stopPostgres stops the cluster testenv started, if any.
func stopPostgres() {
	if pg.admin != nil {
		pg.admin.Close()
	}
	if pg.stop != nil {
		pg.stop()
	}
}

// startCluster makes a cluster in a temporary folder, listening only on a
// unix socket in that folder, and returns its address and how to stop it.
// It runs initdb and pg_ctl as the postgres user when running as root,
// since PostgreSQL refuses to run as root.
func startCluster() (dsn string, stop func(), err error) {
	bin, err := postgresBin()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp(clusterBase(), "backcoach-pg-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	run, err := runAs(dir)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	data, sock, logf := filepath.Join(dir, "data"), dir, filepath.Join(dir, "log")
	if out, err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("initdb failed: %v: %s", err, lastLines(out))
	}
	// A test cluster: no fsync (the tests of durability are SQLite's and
	// a client being killed, not the server), a socket only, no TCP.
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", sock)
	if out, err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", logf, "-w", "-t", "60", "-o", opts, "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(logf)
		cleanup()
		return "", nil, fmt.Errorf("pg_ctl start failed: %v: %s %s", err, lastLines(out), lastLines(log))
	}
	stop = func() {
		run(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop").Run()
		cleanup()
	}
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/postgres",
		RawQuery: url.Values{"host": {sock}, "sslmode": {"disable"}}.Encode()}
	return u.String(), stop, nil
}

// clusterBase is the folder for the cluster's folder: the temporary folder,
// unless running as root and the postgres user could not enter it, and
// then /tmp. Its path must stay short, since the socket lives in it.
func clusterBase() string {
	base := os.TempDir()
	if os.Geteuid() == 0 {
		if st, err := os.Stat(base); err != nil || st.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
	}
	return base
}

// postgresBin finds the folder of initdb and pg_ctl: Debian's newest
// /usr/lib/postgresql/N/bin, or else initdb on the PATH.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server found (initdb is neither in /usr/lib/postgresql/*/bin nor on the PATH); install Debian's postgresql package, or set " + PostgresEnv + " to a server's postgres:// URL")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// runAs returns how to run the server's programs: as the postgres user,
// owning dir, when running as root; as ourselves otherwise.
func runAs(dir string) (func(name string, args ...string) *exec.Cmd, error) {
	if os.Geteuid() != 0 {
		return exec.Command, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("running as root, and there is no postgres user to run the server as (Debian's postgresql package creates it)")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	runuser, err := exec.LookPath("runuser")
	if err != nil {
		return nil, errors.New("running as root, and runuser (util-linux) is missing, so the server cannot run as postgres")
	}
	return func(name string, args ...string) *exec.Cmd {
		return exec.Command(runuser, append([]string{"-u", "postgres", "--", name}, args...)...)
	}, nil
}

func lastLines(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " / ")
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// redacted shows a server address without its password.
func redacted(u *url.URL) string {
	if u == nil {
		return "(no server)"
	}
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), "xxxxx")
		}
	}
	return c.String()
}
