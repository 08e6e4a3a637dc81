package desktop

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"github.com/backcoach/backcoach/desktop/desktoptest"
)

// connect starts a throw-away desktop and connects to it.
func connect(t *testing.T, opts desktoptest.Options) (*desktoptest.Desktop, *Session) {
	t.Helper()
	d := desktoptest.Start(t, opts)
	d.Setenv(t)
	s := Connect(nil)
	t.Cleanup(s.Close)
	if s.Bus == nil || s.X == nil {
		t.Fatalf("not connected: bus %v, X %v", s.BusErr, s.XErr)
	}
	return d, s
}

func TestIdleSourceFollowsInput(t *testing.T) {
	d, s := connect(t, desktoptest.Options{NoDunst: true})
	found, src := FindIdleSources(s)
	if src == nil || src.Name() != SourceX11 {
		t.Fatalf("chosen idle source %v; found %+v", src, found)
	}
	for _, f := range found {
		if f.Name != SourceX11 && (f.OK || f.Detail == "") {
			t.Errorf("%s on a bare Xvfb: %+v", f.Name, f)
		}
	}
	d.Input(t)
	first, err := src.Idle()
	if err != nil {
		t.Fatal(err)
	}
	desktoptest.WaitUntil(t, 5*time.Second, "the idle time to grow by a second", func() bool {
		later, err := src.Idle()
		return err == nil && later >= first+time.Second
	})
	d.Input(t)
	if after, err := src.Idle(); err != nil || after > 500*time.Millisecond {
		t.Fatalf("idle %s (%v) right after input", after, err)
	}
}

func TestScreenSaverCountsAsLocked(t *testing.T) {
	_, s := connect(t, desktoptest.Options{NoDunst: true})
	found, locks := FindLockSources(s)
	var x LockSource
	for _, l := range locks {
		if l.Name() == LockX11 {
			x = l
		}
	}
	if x == nil {
		t.Fatalf("no X11 lock source: %+v", found)
	}
	if on, err := x.Locked(); err != nil || on {
		t.Fatalf("locked %v (%v) before the screen saver ran", on, err)
	}
	changed := make(chan struct{}, 8)
	sensor := &Sensor{Idle: &x11Idle{x: x.(*x11Lock).x}, Locks: locks, Log: discard()}
	sensor.Watch(s, func() { changed <- struct{}{} })
	xproto.ForceScreenSaver(s.X, xproto.ScreenSaverActive)
	waitSignal(t, changed, "a screen-saver event")
	r, err := sensor.Sense(t.Context())
	if err != nil || !r.Locked {
		t.Fatalf("reading with the screen saver on: %+v, %v", r, err)
	}
	xproto.ForceScreenSaver(s.X, xproto.ScreenSaverReset)
	waitSignal(t, changed, "the screen saver's end")
	if r, _ := sensor.Sense(t.Context()); r.Locked {
		t.Fatal("still locked after the screen saver ended")
	}
}

func TestDoNotDisturbIsQuiet(t *testing.T) {
	d, s := connect(t, desktoptest.Options{})
	_, quiet := FindQuietSources(s)
	var dunst QuietSource
	for _, q := range quiet {
		if q.Name() == QuietDunst {
			dunst = q
		}
	}
	if dunst == nil {
		t.Fatal("dunst's pause not found")
	}
	changed := make(chan struct{}, 8)
	if err := dunst.watch(func() { changed <- struct{}{} }); err != nil {
		t.Fatal(err)
	}
	d.Run(t, "dunstctl", "set-paused", "true")
	waitSignal(t, changed, "dunst's property change")
	if on, err := dunst.Quiet(); err != nil || !on {
		t.Fatalf("quiet %v (%v) with dunst paused", on, err)
	}
	d.Run(t, "dunstctl", "set-paused", "false")
	if on, _ := dunst.Quiet(); on {
		t.Fatal("quiet after dunst resumed")
	}
}

func TestFullScreenWindowIsQuiet(t *testing.T) {
	_, s := connect(t, desktoptest.Options{NoDunst: true})
	q, err := newFullScreenQuiet(s)
	if err != nil {
		t.Fatal(err)
	}
	if on, err := q.Quiet(); on || err != nil {
		t.Fatalf("quiet %v (%v) with no window manager", on, err)
	}
	// Play the window manager: an active window, then full-screen.
	x := q.(*fullScreenQuiet).x
	w := makeWindow(t, x)
	setAtoms(t, x, x.root, "_NET_ACTIVE_WINDOW", "WINDOW", uint32(w))
	if on, _ := q.Quiet(); on {
		t.Fatal("an ordinary window counted as full-screen")
	}
	full, _ := x.atom("_NET_WM_STATE_FULLSCREEN")
	setAtoms(t, x, w, "_NET_WM_STATE", "ATOM", uint32(full))
	if on, err := q.Quiet(); !on || err != nil {
		t.Fatalf("quiet %v (%v) with a full-screen window", on, err)
	}
}

func TestNoIdleSourceIsAnError(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	s := Connect(nil)
	defer s.Close()
	p := Find(s, nil)
	if p.Sensor != nil {
		t.Fatalf("a sensor without any source: %+v", p.Idle)
	}
	for _, f := range p.Idle {
		if f.OK || f.Detail == "" {
			t.Errorf("finding without a reason: %+v", f)
		}
	}
	if !strings.Contains(p.Idle[2].Detail, "DISPLAY") {
		t.Errorf("X11 finding does not say DISPLAY is missing: %q", p.Idle[2].Detail)
	}
}

// makeWindow creates and maps a window.
func makeWindow(t *testing.T, x *x11) xproto.Window {
	t.Helper()
	w, err := xproto.NewWindowId(x.conn)
	if err != nil {
		t.Fatal(err)
	}
	screen := xproto.Setup(x.conn).DefaultScreen(x.conn)
	if err := xproto.CreateWindowChecked(x.conn, screen.RootDepth, w, x.root, 0, 0, 200, 100, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, 0, nil).Check(); err != nil {
		t.Fatal(err)
	}
	xproto.MapWindow(x.conn, w)
	return w
}

// setAtoms sets a property of 32-bit values.
func setAtoms(t *testing.T, x *x11, w xproto.Window, name, typ string, vals ...uint32) {
	t.Helper()
	prop, err := x.atom(name)
	if err != nil {
		t.Fatal(err)
	}
	ty, err := x.atom(typ)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 4*len(vals))
	for i, v := range vals {
		xgbPut32(data[4*i:], v)
	}
	if err := xproto.ChangePropertyChecked(x.conn, xproto.PropModeReplace, w, prop, ty, 32, uint32(len(vals)), data).Check(); err != nil {
		t.Fatal(err)
	}
}

// xgbPut32 writes v in the X server's (little-endian) byte order.
func xgbPut32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

func waitSignal(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("no signal: %s", what)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestSensorLogsEachSource reads a real desktop and checks the debug log:
// each source's reading, a change at once, the same reading again not.
func TestSensorLogsEachSource(t *testing.T) {
	d, s := connect(t, desktoptest.Options{})
	var buf desktoptest.Buffer
	probe := Find(s, slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if probe.Sensor == nil {
		t.Fatalf("no sensor: %+v", probe.Idle)
	}
	d.Input(t)
	read := func() {
		t.Helper()
		if _, err := probe.Sensor.Sense(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	read()
	read() // the same idle stretch, lock and quiet mode: nothing new
	log := buf.String()
	for _, want := range []string{
		`msg="idle reading" source=x11-screensaver idle_seconds=`,
		`msg="lock reading" source=x11-screensaver locked=false`,
		`msg="quiet reading" source=dunst-paused quiet=false`,
	} {
		if strings.Count(log, want) != 1 {
			t.Errorf("the log has %q %d times, want once:\n%s", want, strings.Count(log, want), log)
		}
	}
	d.Run(t, "dunstctl", "set-paused", "true")
	read()
	if log := buf.String(); !strings.Contains(log, `msg="quiet reading" source=dunst-paused quiet=true`) {
		t.Errorf("quiet mode's start is not logged:\n%s", log)
	}
}
