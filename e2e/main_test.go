package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/store"
)

// timeScale speeds up the guided session's clock: session seconds per
// real second (the most `backcoach serve --time-scale` allows).
const timeScale = 1000

// Time limits. They bound waits on conditions; nothing sleeps.
const (
	readyTimeout = 60 * time.Second // the server answering /readyz
	stopTimeout  = 30 * time.Second // the server stopping after SIGTERM
)

func TestMain(m *testing.M) {
	code := testenv.Main(m)
	stopBrowser()
	if bin.dir != "" {
		os.RemoveAll(bin.dir)
	}
	os.Exit(code)
}

// bin is the backcoach binary, built once for the package.
var bin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// backcoachBinary builds the real program once (without cgo, as it is
// shipped) and returns its path.
func backcoachBinary(t testing.TB) string {
	t.Helper()
	bin.once.Do(buildBinary)
	if bin.err != nil {
		t.Fatalf("building backcoach: %v", bin.err)
	}
	return bin.path
}

func buildBinary() {
	gotool, err := goTool()
	if err != nil {
		bin.err = err
		return
	}
	bin.dir, bin.err = os.MkdirTemp("", "backcoach-e2e-bin-")
	if bin.err != nil {
		return
	}
	bin.path = filepath.Join(bin.dir, "backcoach")
	cmd := exec.Command(gotool, "build", "-o", bin.path, "github.com/backcoach/backcoach/cmd/backcoach")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		bin.err = fmt.Errorf("go build: %v\n%s", err, out)
	}
}

// goTool finds the go command: on the PATH, or else in the toolchain that
// built this test.
func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		return "", errors.New("the go command is neither on the PATH nor in GOROOT/bin; it is needed to build backcoach")
	}
	return p, nil
}

// server is a `backcoach serve` child process with its own database.
type server struct {
	URL string // http://127.0.0.1:PORT
	DB  string // the SQLite file, or the PostgreSQL address

	cmd     *exec.Cmd
	logs    *lockedBuffer
	exited  chan struct{}
	waitErr error
	stopped bool
}

// startServer starts `backcoach serve` on a free loopback port with a new
// SQLite file and the fast session clock (and any extra flags), waits
// until /readyz answers, and stops it when the test ends.
func startServer(t *testing.T, extra ...string) *server {
	t.Helper()
	return startServerOn(t, "", extra...)
}

// startServerOn is startServer on the database db: a PostgreSQL address
// that other servers may share; empty for a new SQLite file.
func startServerOn(t *testing.T, db string, extra ...string) *server {
	t.Helper()
	path := backcoachBinary(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	if db == "" {
		db = filepath.Join(dir, "backcoach.db")
	}
	s := &server{
		URL:    "http://" + addr,
		DB:     db,
		logs:   &lockedBuffer{},
		exited: make(chan struct{}),
	}
	s.cmd = exec.Command(path, append([]string{"--db", s.DB, "serve", "--addr", addr, "--time-scale", strconv.Itoa(timeScale)}, extra...)...)
	s.cmd.Env = childEnv(dir)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	dieWithTest(s.cmd)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting backcoach serve: %v", err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.Stop(t)
		if t.Failed() {
			t.Logf("the server's log (last lines):\n%s", s.logs.tail(30))
		}
	})
	s.waitReady(t)
	return s
}

// waitReady polls /readyz until it answers 200, the process exits, or the
// time is up.
func (s *server) waitReady(t *testing.T) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer client.CloseIdleConnections()
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(s.URL + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.exited:
			s.stopped = true
			t.Fatalf("backcoach serve exited before it was ready (%v):\n%s", s.waitErr, s.logs.tail(30))
		case <-deadline.C:
			t.Fatalf("backcoach serve did not answer %s/readyz with 200 within %v (last: %v):\n%s", s.URL, readyTimeout, describe(resp, err), s.logs.tail(30))
		case <-tick.C:
		}
	}
}

func describe(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

// Stop ends the server as a service manager would, with SIGTERM, and
// fails the test unless it stops cleanly in time. It does nothing the
// second time.
func (s *server) Stop(t testing.TB) {
	t.Helper()
	if s.stopped {
		return
	}
	s.stopped = true
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("signalling the server: %v", err)
	}
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-s.exited:
		if s.waitErr != nil {
			t.Errorf("backcoach serve did not stop cleanly on SIGTERM: %v\n%s", s.waitErr, s.logs.tail(30))
		}
	case <-timer.C:
		s.cmd.Process.Kill()
		<-s.exited
		t.Errorf("backcoach serve did not stop within %v of SIGTERM; it was killed", stopTimeout)
	}
}

// openStore opens, once the server has stopped, a copy of its database
// with the store package, so that nothing the test does can change the
// file the server wrote.
func (s *server) openStore(t *testing.T) *store.Store {
	t.Helper()
	if !s.stopped {
		t.Fatal("openStore: stop the server first")
	}
	dir := t.TempDir()
	dst := filepath.Join(dir, filepath.Base(s.DB))
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(s.DB + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatalf("reading the server's database: %v", err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(context.Background(), dst, store.Options{})
	if err != nil {
		t.Fatalf("opening a copy of the server's database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// freeAddr finds a free loopback port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// childEnv is the environment of the server: this one without any
// BACKCOACH_ or XDG_ setting, with home and data folders of its own.
func childEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "BACKCOACH_") || strings.HasPrefix(name, "XDG_") || name == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+dir, "XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_STATE_HOME="+filepath.Join(dir, "state"))
}

// lockedBuffer collects a child's output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail returns the last n lines.
func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
