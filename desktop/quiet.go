package desktop

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

// QuietSource tells whether reminders should wait: a full-screen window (a
// presentation, a video call, a film) or the desktop's do-not-disturb.
type QuietSource interface {
	Name() string
	Quiet() (bool, error)
	watch(changed func()) error
}

// The names of the quiet sources.
const (
	QuietFullScreen = "x11-fullscreen"
	QuietDunst      = "dunst-paused"
	QuietInhibited  = "notifications-inhibited"
)

// FindQuietSources tries every quiet source and returns what it found and
// the ones that work.
func FindQuietSources(s *Session) ([]Finding, []QuietSource) {
	return findSources(s, []func(*Session) (QuietSource, error){newFullScreenQuiet, newDunstQuiet, newInhibitedQuiet})
}

// fullScreenQuiet is the active window being full-screen, as an EWMH
// window manager says.
type fullScreenQuiet struct{ x *x11 }

func newFullScreenQuiet(s *Session) (QuietSource, error) {
	q := &fullScreenQuiet{}
	x, err := s.x11()
	if err != nil {
		return q, err
	}
	q.x = x
	_, err = q.Quiet()
	return q, err
}

func (q *fullScreenQuiet) Name() string               { return QuietFullScreen }
func (q *fullScreenQuiet) Quiet() (bool, error)       { return q.x.fullScreen() }
func (q *fullScreenQuiet) watch(changed func()) error { return nil }

// notificationsPath is the object of the notification daemon.
const notificationsPath = dbus.ObjectPath("/org/freedesktop/Notifications")

// propertyQuiet is a boolean property of the notification daemon that says
// do-not-disturb: dunst's "paused", KDE Plasma's "Inhibited".
type propertyQuiet struct {
	name     string
	conn     *dbus.Conn
	obj      dbus.BusObject
	property string
}

func newDunstQuiet(s *Session) (QuietSource, error) {
	return newPropertyQuiet(s, QuietDunst, "org.dunstproject.cmd0.paused")
}

func newInhibitedQuiet(s *Session) (QuietSource, error) {
	return newPropertyQuiet(s, QuietInhibited, "org.freedesktop.Notifications.Inhibited")
}

func newPropertyQuiet(s *Session, name, property string) (QuietSource, error) {
	q := &propertyQuiet{name: name, conn: s.Bus, property: property}
	if s.Bus == nil {
		return q, errNoBus(s)
	}
	q.obj = s.Bus.Object("org.freedesktop.Notifications", notificationsPath)
	_, err := q.Quiet()
	return q, err
}

func (q *propertyQuiet) Name() string { return q.name }

func (q *propertyQuiet) Quiet() (bool, error) {
	v, err := q.obj.GetProperty(q.property)
	if err != nil {
		return false, fmt.Errorf("%s: %w", q.property, shortDBusError(err))
	}
	on, ok := v.Value().(bool)
	if !ok {
		return false, fmt.Errorf("%s is a %s, not a boolean", q.property, v.Signature())
	}
	return on, nil
}

func (q *propertyQuiet) watch(changed func()) error {
	rules := [][]dbus.MatchOption{{dbus.WithMatchObjectPath(notificationsPath), dbus.WithMatchInterface("org.freedesktop.DBus.Properties")}}
	return onSignals(q.conn, rules, func(sig *dbus.Signal) {
		if sig.Path == notificationsPath && sig.Name == "org.freedesktop.DBus.Properties.PropertiesChanged" {
			changed()
		}
	})
}
