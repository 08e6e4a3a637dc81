package desktop

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// IdleSource tells how long ago the person last touched the keyboard or
// mouse.
type IdleSource interface {
	// Name is the source's name as the doctor and the status show it.
	Name() string
	Idle() (time.Duration, error)
}

// The names of the idle sources, in the order they are preferred: the
// compositor's own monitor knows best, and the X11 extension sees only X11
// input on Wayland.
const (
	SourceMutter      = "org.gnome.Mutter.IdleMonitor"
	SourceScreenSaver = "org.freedesktop.ScreenSaver"
	SourceX11         = "x11-screensaver"
)

// Finding is what the doctor says about one source: whether it works and,
// either way, why.
type Finding struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// FindIdleSources tries every idle source the session could have and
// returns what it found and the one to use (nil when none works).
func FindIdleSources(s *Session) ([]Finding, IdleSource) {
	candidates := []func(*Session) (IdleSource, error){newMutterIdle, newScreenSaverIdle, newX11Idle}
	var found []Finding
	var chosen IdleSource
	for _, c := range candidates {
		src, err := c(s)
		f := Finding{Name: src.Name(), OK: err == nil}
		if err != nil {
			f.Detail = err.Error()
		} else {
			f.Detail = "works"
			if chosen == nil {
				chosen = src
			}
		}
		found = append(found, f)
	}
	return found, chosen
}

// waylandWarning says why an X11 idle time is doubtful in a Wayland
// session, or "" when it is not.
func waylandWarning(src IdleSource) string {
	if src != nil && src.Name() == SourceX11 && os.Getenv("XDG_SESSION_TYPE") == "wayland" {
		return "this is a Wayland session: the X11 idle time sees only input to X11 windows"
	}
	return ""
}

// mutterIdle is GNOME's idle monitor (X11 and Wayland).
type mutterIdle struct{ obj dbus.BusObject }

func newMutterIdle(s *Session) (IdleSource, error) {
	m := &mutterIdle{}
	if s.Bus == nil {
		return m, errNoBus(s)
	}
	m.obj = s.Bus.Object("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core")
	_, err := m.Idle()
	return m, err
}

func (m *mutterIdle) Name() string { return SourceMutter }

func (m *mutterIdle) Idle() (time.Duration, error) {
	var ms uint64
	if err := m.obj.Call("org.gnome.Mutter.IdleMonitor.GetIdletime", dbus.FlagNoAutoStart).Store(&ms); err != nil {
		return 0, fmt.Errorf("GetIdletime: %w", shortDBusError(err))
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// screenSaverIdle is the freedesktop screen saver's idle time (KDE Plasma
// and others on X11; GNOME answers that it is not implemented).
type screenSaverIdle struct{ obj dbus.BusObject }

func newScreenSaverIdle(s *Session) (IdleSource, error) {
	src := &screenSaverIdle{}
	if s.Bus == nil {
		return src, errNoBus(s)
	}
	var err error
	for _, path := range []dbus.ObjectPath{"/org/freedesktop/ScreenSaver", "/ScreenSaver"} {
		src.obj = s.Bus.Object("org.freedesktop.ScreenSaver", path)
		if _, err = src.Idle(); err == nil {
			return src, nil
		}
	}
	return src, err
}

func (s *screenSaverIdle) Name() string { return SourceScreenSaver }

// Idle returns the session's idle time; implementations give it in
// milliseconds.
func (s *screenSaverIdle) Idle() (time.Duration, error) {
	var ms uint32
	if err := s.obj.Call("org.freedesktop.ScreenSaver.GetSessionIdleTime", dbus.FlagNoAutoStart).Store(&ms); err != nil {
		return 0, fmt.Errorf("GetSessionIdleTime: %w", shortDBusError(err))
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// x11Idle is the MIT-SCREEN-SAVER extension's time since the last input.
type x11Idle struct{ x *x11 }

func newX11Idle(s *Session) (IdleSource, error) {
	src := &x11Idle{}
	x, err := s.x11()
	if err != nil {
		return src, err
	}
	src.x = x
	_, err = src.Idle()
	return src, err
}

func (x *x11Idle) Name() string { return SourceX11 }

func (x *x11Idle) Idle() (time.Duration, error) {
	info, err := x.x.info()
	if err != nil {
		return 0, err
	}
	return time.Duration(info.MsSinceUserInput) * time.Millisecond, nil
}

// errNoBus says why a D-Bus source cannot be asked.
func errNoBus(s *Session) error {
	if s.BusErr != nil {
		return s.BusErr
	}
	return errors.New("no session bus")
}

// shortDBusError keeps the useful part of a D-Bus error: its name and
// first line.
func shortDBusError(err error) error {
	var de dbus.Error
	if errors.As(err, &de) {
		msg := de.Name
		if len(de.Body) > 0 {
			if s, ok := de.Body[0].(string); ok && s != "" {
				msg += ": " + strings.SplitN(s, "\n", 2)[0]
			}
		}
		return errors.New(msg)
	}
	return err
}
