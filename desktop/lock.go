package desktop

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/godbus/dbus/v5"
)

// LockSource tells whether the person is certainly away: the screen is
// locked, the screen saver runs or the machine is going to sleep.
type LockSource interface {
	Name() string
	Locked() (bool, error)
	// watch calls changed whenever the answer may have changed.
	watch(changed func()) error
}

// The names of the lock sources.
const (
	LockLogind      = "org.freedesktop.login1"
	LockScreenSaver = "screensaver"
	LockX11         = "x11-screensaver"
)

// FindLockSources tries every lock source and returns what it found and
// the ones that work; all of them are asked, and any one saying "locked"
// is enough.
func FindLockSources(s *Session) ([]Finding, []LockSource) {
	return findSources(s, []func(*Session) (LockSource, error){newLogindLock, newScreenSaverLock, newX11Lock})
}

// findSources tries each maker in turn and returns a finding for every
// source and the sources that work. A maker returns its source (for the
// name) even when it fails.
func findSources[T interface{ Name() string }](s *Session, makers []func(*Session) (T, error)) ([]Finding, []T) {
	var found []Finding
	var works []T
	for _, newSource := range makers {
		src, err := newSource(s)
		f := Finding{Name: src.Name(), OK: err == nil, Detail: "works"}
		if err != nil {
			f.Detail = err.Error()
		} else {
			works = append(works, src)
		}
		found = append(found, f)
	}
	return found, works
}

// logindLock is the session's LockedHint and the manager's PrepareForSleep
// signal, on the system bus.
type logindLock struct {
	conn     *dbus.Conn
	session  dbus.BusObject
	sleeping atomic.Bool
}

const logindName = "org.freedesktop.login1"

func newLogindLock(s *Session) (LockSource, error) {
	l := &logindLock{conn: s.System}
	if s.System == nil {
		return l, fmt.Errorf("no system bus: %w", s.SystemErr)
	}
	path, err := l.sessionPath()
	if err != nil {
		return l, err
	}
	l.session = s.System.Object(logindName, path)
	_, err = l.Locked()
	return l, err
}

// sessionPath finds the person's graphical session: the one named by
// XDG_SESSION_ID, else the user's display session (a systemd user service
// is not inside the session).
func (l *logindLock) sessionPath() (dbus.ObjectPath, error) {
	mgr := l.conn.Object(logindName, "/org/freedesktop/login1")
	var path dbus.ObjectPath
	if id := os.Getenv("XDG_SESSION_ID"); id != "" {
		if err := mgr.Call(logindName+".Manager.GetSession", 0, id).Store(&path); err == nil {
			return path, nil
		}
	}
	user := l.conn.Object(logindName, "/org/freedesktop/login1/user/self")
	v, err := user.GetProperty(logindName + ".User.Display")
	if err != nil {
		return "", fmt.Errorf("logind knows no session of this user: %w", shortDBusError(err))
	}
	var display struct {
		ID   string
		Path dbus.ObjectPath
	}
	if err := dbus.Store([]any{v.Value()}, &display); err != nil || display.Path == "/" || display.Path == "" {
		return "", errors.New("logind knows no graphical session of this user")
	}
	return display.Path, nil
}

func (l *logindLock) Name() string { return LockLogind }

func (l *logindLock) Locked() (bool, error) {
	if l.sleeping.Load() {
		return true, nil
	}
	v, err := l.session.GetProperty(logindName + ".Session.LockedHint")
	if err != nil {
		return false, fmt.Errorf("LockedHint: %w", shortDBusError(err))
	}
	locked, _ := v.Value().(bool)
	return locked, nil
}

func (l *logindLock) watch(changed func()) error {
	rules := [][]dbus.MatchOption{
		{dbus.WithMatchObjectPath(l.session.Path()), dbus.WithMatchInterface(logindName + ".Session")},
		{dbus.WithMatchObjectPath(l.session.Path()), dbus.WithMatchInterface("org.freedesktop.DBus.Properties")},
		{dbus.WithMatchObjectPath("/org/freedesktop/login1"), dbus.WithMatchMember("PrepareForSleep")},
	}
	return onSignals(l.conn, rules, func(sig *dbus.Signal) {
		if sig.Name == logindName+".Manager.PrepareForSleep" && len(sig.Body) == 1 {
			going, _ := sig.Body[0].(bool)
			l.sleeping.Store(going)
		}
		changed()
	})
}

// screenSaverLock is the screen saver's Active state, on the session bus:
// the freedesktop name, or GNOME's.
type screenSaverLock struct {
	conn  *dbus.Conn
	obj   dbus.BusObject
	iface string
}

func newScreenSaverLock(s *Session) (LockSource, error) {
	l := &screenSaverLock{conn: s.Bus}
	if s.Bus == nil {
		return l, errNoBus(s)
	}
	var err error
	for _, c := range []struct {
		name string
		path dbus.ObjectPath
	}{{"org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"}, {"org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"}} {
		l.obj, l.iface = s.Bus.Object(c.name, c.path), c.name
		if _, err = l.Locked(); err == nil {
			return l, nil
		}
	}
	return l, err
}

func (l *screenSaverLock) Name() string { return LockScreenSaver }

func (l *screenSaverLock) Locked() (bool, error) {
	var active bool
	if err := l.obj.Call(l.iface+".GetActive", dbus.FlagNoAutoStart).Store(&active); err != nil {
		return false, fmt.Errorf("GetActive: %w", shortDBusError(err))
	}
	return active, nil
}

func (l *screenSaverLock) watch(changed func()) error {
	rules := [][]dbus.MatchOption{{dbus.WithMatchInterface(l.iface), dbus.WithMatchMember("ActiveChanged")}}
	return onSignals(l.conn, rules, func(sig *dbus.Signal) {
		if sig.Name == l.iface+".ActiveChanged" {
			changed()
		}
	})
}

// x11Lock is the X11 screen saver running (blanked, or an X11 locker).
type x11Lock struct{ x *x11 }

func newX11Lock(s *Session) (LockSource, error) {
	l := &x11Lock{}
	x, err := s.x11()
	if err != nil {
		return l, err
	}
	l.x = x
	_, err = l.Locked()
	return l, err
}

func (l *x11Lock) Name() string { return LockX11 }

func (l *x11Lock) Locked() (bool, error) { return l.x.saverOn() }

// watch relies on the X11 event loop, which the sensor starts once for
// all X11 sources.
func (l *x11Lock) watch(func()) error { return nil }

// onSignals adds the match rules and calls fn with each signal the
// connection receives, until it closes. Every channel on a connection
// receives every signal, so fn filters.
func onSignals(conn *dbus.Conn, rules [][]dbus.MatchOption, fn func(*dbus.Signal)) error {
	for _, r := range rules {
		if err := conn.AddMatchSignal(r...); err != nil {
			return fmt.Errorf("cannot listen to D-Bus signals: %w", err)
		}
	}
	ch := make(chan *dbus.Signal, 16)
	conn.Signal(ch)
	go func() {
		for sig := range ch {
			fn(sig)
		}
	}()
	return nil
}
