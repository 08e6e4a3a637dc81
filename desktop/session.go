// Package desktop connects the break engine to a Linux desktop: it reads
// idle time (GNOME's Mutter idle monitor, the freedesktop screen saver, or
// the X11 screen-saver extension, whichever the session has), notices a
// locked screen or a sleeping machine (logind, the screen saver, X11) and
// quiet mode (a full-screen window, the notification daemon's
// do-not-disturb), shows reminders through org.freedesktop.Notifications,
// and runs the daemon with its control socket. It also writes the systemd
// user unit or XDG autostart entry that starts the daemon.
package desktop

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/godbus/dbus/v5"
	"github.com/jezek/xgb"
)

// Session holds the connections to the desktop: the session bus, the system
// bus and the X display. Any of them may be missing (nil), with the reason
// kept for the doctor.
type Session struct {
	Bus    *dbus.Conn
	System *dbus.Conn
	X      *xgb.Conn

	BusErr, SystemErr, XErr error

	xOnce    sync.Once
	xInit    *x11
	xInitErr error
}

// Connect opens whatever connections the environment offers. It never
// fails: what is missing is recorded.
func Connect(log *slog.Logger) *Session {
	s := &Session{}
	s.Bus, s.BusErr = connectSessionBus()
	s.System, s.SystemErr = dbus.ConnectSystemBus()
	s.X, s.XErr = connectX(log)
	for _, c := range []struct {
		name string
		err  error
	}{{"session bus", s.BusErr}, {"system bus", s.SystemErr}, {"X display", s.XErr}} {
		if c.err != nil && log != nil {
			log.Debug("not connected", "to", c.name, "err", c.err)
		}
	}
	return s
}

// connectSessionBus connects to $DBUS_SESSION_BUS_ADDRESS (or the user's
// bus in $XDG_RUNTIME_DIR, as the library finds it).
func connectSessionBus() (*dbus.Conn, error) {
	c, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, fmt.Errorf("no session bus (DBUS_SESSION_BUS_ADDRESS=%q): %w", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), err)
	}
	return c, nil
}

// connectX connects to $DISPLAY. The X library's own messages go to the
// debug log.
func connectX(log *slog.Logger) (*xgb.Conn, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	xgb.Logger = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	if os.Getenv("DISPLAY") == "" {
		return nil, errors.New("no X display: DISPLAY is not set")
	}
	c, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("cannot open the X display %q: %w", os.Getenv("DISPLAY"), err)
	}
	return c, nil
}

// Close closes every connection.
func (s *Session) Close() {
	if s.Bus != nil {
		s.Bus.Close()
	}
	if s.System != nil {
		s.System.Close()
	}
	if s.X != nil {
		s.X.Close()
	}
}
