// Package desktoptest starts a throw-away desktop for integration tests: an
// Xvfb display on a free display number, a private D-Bus session bus and
// the dunst notification daemon, all stopped when the test ends. It also
// watches the bus for notifications and drives input with xdotool.
//
// A test that cannot have them skips, unless BACKCOACH_REQUIRE names
// "xvfb" (Xvfb and xdotool) or "dbus" (dbus-daemon and dunst); then it
// fails. On Debian: apt-get install xvfb xdotool dbus dunst.
package desktoptest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/backcoach/backcoach/internal/testenv"
)

// The requirement names, as BACKCOACH_REQUIRE lists them.
const (
	RequireXvfb = "xvfb"
	RequireDBus = "dbus"
)

// Desktop is a running throw-away desktop.
type Desktop struct {
	// Display is the X display (":N"); BusAddress the session bus.
	Display    string
	BusAddress string
	// RuntimeDir is a private $XDG_RUNTIME_DIR; Dir a scratch directory.
	RuntimeDir string
	Dir        string
}

// Options choose what Start starts.
type Options struct {
	// NoDunst leaves out the notification daemon.
	NoDunst bool
	// DunstConfig is the dunst configuration; a minimal one by default.
	DunstConfig string
}

// RequireTools skips or fails the test unless the programs are installed.
func RequireTools(t testing.TB) {
	t.Helper()
	for _, need := range []struct{ name, bin, pkg string }{
		{RequireXvfb, "Xvfb", "xvfb"},
		{RequireXvfb, "xdotool", "xdotool"},
		{RequireDBus, "dbus-daemon", "dbus"},
		{RequireDBus, "dunst", "dunst"},
	} {
		_, err := exec.LookPath(need.bin)
		testenv.Require(t, need.name, err == nil, fmt.Sprintf("%s is not installed (Debian package %s)", need.bin, need.pkg))
	}
}

// Start starts Xvfb, a session bus and (unless told not to) dunst, and
// stops them when the test ends.
func Start(t testing.TB, opts Options) *Desktop {
	t.Helper()
	RequireTools(t)
	d := &Desktop{Dir: t.TempDir()}
	d.RuntimeDir = filepath.Join(d.Dir, "run")
	if err := os.Mkdir(d.RuntimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	d.startX(t)
	d.startBus(t)
	if !opts.NoDunst {
		d.StartDunst(t, opts.DunstConfig)
	}
	return d
}

// Env returns the environment for programs on this desktop: the current
// one with the display, bus and runtime directory replaced.
func (d *Desktop) Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "DISPLAY="+d.Display, "DBUS_SESSION_BUS_ADDRESS="+d.BusAddress, "XDG_RUNTIME_DIR="+d.RuntimeDir)
}

// Setenv points this process at the desktop for the rest of the test.
func (d *Desktop) Setenv(t testing.TB) {
	t.Helper()
	t.Setenv("DISPLAY", d.Display)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", d.BusAddress)
	t.Setenv("XDG_RUNTIME_DIR", d.RuntimeDir)
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "x11")
}

// Command returns a command that runs on the desktop.
func (d *Desktop) Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = d.Env()
	return cmd
}

// Run runs a program on the desktop and returns its output; it fails the
// test if the program fails.
func (d *Desktop) Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := d.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Input simulates the person touching the mouse.
func (d *Desktop) Input(t testing.TB) {
	t.Helper()
	d.Run(t, "xdotool", "mousemove_relative", "--", "1", "1")
}

// Background starts a program that runs until the test ends.
func (d *Desktop) Background(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = d.Env()
	}
	log, err := os.Create(filepath.Join(d.Dir, filepath.Base(cmd.Path)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Stdout == nil {
		cmd.Stdout = log
	}
	if cmd.Stderr == nil {
		cmd.Stderr = log
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		stop(cmd)
		log.Close()
	})
}

// stop asks a program to end (an X server then removes its lock file)
// and kills it if it does not within five seconds.
func stop(cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// startX starts Xvfb on the first free display number from 90.
func (d *Desktop) startX(t testing.TB) {
	t.Helper()
	for n := 90; n < 190; n++ {
		if displayTaken(n) {
			continue
		}
		disp := ":" + strconv.Itoa(n)
		cmd := exec.Command("Xvfb", disp, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset")
		cmd.Env = os.Environ()
		d.Background(t, cmd)
		if waitFor(10*time.Second, func() bool { return socketUp(n) }) {
			d.Display = disp
			return
		}
		t.Fatalf("Xvfb %s did not start; see %s", disp, filepath.Join(d.Dir, "Xvfb.log"))
	}
	t.Fatal("no free X display number from :90 to :189")
}

// displayTaken reports whether an X server has display n: its lock file
// names a live process, or its socket exists without a lock file. A stale
// lock (the server was killed) does not count: Xvfb replaces it.
func displayTaken(n int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/tmp/.X%d-lock", n))
	if err != nil {
		_, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
		return err == nil
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	return err != nil || syscall.Kill(pid, 0) == nil
}

// socketUp reports whether display n accepts connections.
func socketUp(n int) bool {
	c, err := net.Dial("unix", fmt.Sprintf("/tmp/.X11-unix/X%d", n))
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// startBus starts a private session bus.
func (d *Desktop) startBus(t testing.TB) {
	t.Helper()
	sock := filepath.Join(d.Dir, "bus")
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--address=unix:path="+sock, "--print-address=1")
	cmd.Env = d.Env()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	d.Background(t, cmd)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	d.BusAddress = strings.TrimSpace(line)
}

// DefaultDunstConfig keeps notifications until they are answered and
// shows them on the virtual screen.
const DefaultDunstConfig = `[global]
    monitor = 0
    follow = none
    sticky_history = yes
    history_length = 50
[urgency_normal]
    timeout = 0
`

// StartDunst starts the notification daemon and waits until it owns its
// bus name.
func (d *Desktop) StartDunst(t testing.TB, config string) {
	t.Helper()
	if config == "" {
		config = DefaultDunstConfig
	}
	path := filepath.Join(d.Dir, "dunstrc")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Background(t, d.Command("dunst", "-config", path))
	conn := d.Bus(t)
	ok := waitFor(10*time.Second, func() bool {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.Notifications").Store(&has)
		return err == nil && has
	})
	if !ok {
		t.Fatalf("dunst did not take org.freedesktop.Notifications; see %s", filepath.Join(d.Dir, "dunst.log"))
	}
}

// Bus returns a new connection to the session bus, closed at the end.
func (d *Desktop) Bus(t testing.TB) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(d.BusAddress)
	if err != nil {
		t.Fatalf("connecting to %s: %v", d.BusAddress, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Notification is one Notify call seen on the bus.
type Notification struct {
	AppName    string
	ReplacesID uint32
	Summary    string
	Body       string
	Actions    []string
	Expire     int32
}

// Watcher collects every Notify call on the bus.
type Watcher struct {
	mu   sync.Mutex
	seen []Notification
	more chan struct{}
}

// WatchNotifications starts watching the bus for Notify calls (as
// dbus-monitor does).
func (d *Desktop) WatchNotifications(t testing.TB) *Watcher {
	t.Helper()
	conn := d.Bus(t)
	rule := "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"
	if err := conn.BusObject().Call("org.freedesktop.DBus.Monitoring.BecomeMonitor", 0, []string{rule}, uint32(0)).Err; err != nil {
		t.Fatalf("cannot monitor the bus: %v", err)
	}
	w := &Watcher{more: make(chan struct{}, 1)}
	ch := make(chan *dbus.Message, 64)
	conn.Eavesdrop(ch)
	go func() {
		for m := range ch {
			w.add(m)
		}
	}()
	return w
}

func (w *Watcher) add(m *dbus.Message) {
	if m.Type != dbus.TypeMethodCall || len(m.Body) < 8 {
		return
	}
	n := Notification{}
	n.AppName, _ = m.Body[0].(string)
	n.ReplacesID, _ = m.Body[1].(uint32)
	n.Summary, _ = m.Body[3].(string)
	n.Body, _ = m.Body[4].(string)
	n.Actions, _ = m.Body[5].([]string)
	n.Expire, _ = m.Body[7].(int32)
	w.mu.Lock()
	w.seen = append(w.seen, n)
	w.mu.Unlock()
	select {
	case w.more <- struct{}{}:
	default:
	}
}

// All returns every notification seen so far.
func (w *Watcher) All() []Notification {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Notification(nil), w.seen...)
}

// WaitFor waits until a notification matching ok has been seen after the
// first `after` ones, and returns it.
func (w *Watcher) WaitFor(ctx context.Context, after int, ok func(Notification) bool) (Notification, error) {
	for {
		all := w.All()
		for _, n := range all[min(after, len(all)):] {
			if ok(n) {
				return n, nil
			}
		}
		select {
		case <-w.more:
		case <-ctx.Done():
			return Notification{}, fmt.Errorf("no such notification among %d seen: %+v", len(all), all)
		}
	}
}

// waitFor polls cond until it holds or the time is up.
func waitFor(limit time.Duration, cond func() bool) bool {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}

// WaitUntil polls cond for up to limit and fails the test if it never
// holds; what says what was waited for.
func WaitUntil(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	if !waitFor(limit, cond) {
		t.Fatalf("waited %s for %s", limit, what)
	}
}

// Buffer is a buffer that a program or a daemon running in the background
// writes while the test reads.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
