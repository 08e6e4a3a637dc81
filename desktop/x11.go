package desktop

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/screensaver"
	"github.com/jezek/xgb/xproto"
)

// x11 is the X display with the screen-saver extension ready, shared by
// the idle source, the lock source and the full-screen check.
type x11 struct {
	conn *xgb.Conn
	root xproto.Window

	mu    sync.Mutex
	atoms map[string]xproto.Atom
}

// x11 returns the session's display, setting it up once.
func (s *Session) x11() (*x11, error) {
	if s.X == nil {
		if s.XErr != nil {
			return nil, s.XErr
		}
		return nil, errors.New("no X display")
	}
	s.xOnce.Do(func() { s.xInit, s.xInitErr = newX11(s.X) })
	return s.xInit, s.xInitErr
}

func newX11(c *xgb.Conn) (*x11, error) {
	if err := screensaver.Init(c); err != nil {
		return nil, fmt.Errorf("the X server has no MIT-SCREEN-SAVER extension: %w", err)
	}
	return &x11{conn: c, root: xproto.Setup(c).DefaultScreen(c).Root, atoms: map[string]xproto.Atom{}}, nil
}

// info asks the screen-saver extension for its state and the idle time.
func (x *x11) info() (*screensaver.QueryInfoReply, error) {
	r, err := screensaver.QueryInfo(x.conn, xproto.Drawable(x.root)).Reply()
	if err != nil {
		return nil, fmt.Errorf("X11 screen-saver query: %w", err)
	}
	return r, nil
}

// atom returns an atom by name, from the cache once looked up.
func (x *x11) atom(name string) (xproto.Atom, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if a, ok := x.atoms[name]; ok {
		return a, nil
	}
	r, err := xproto.InternAtom(x.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("X11 atom %s: %w", name, err)
	}
	x.atoms[name] = r.Atom
	return r.Atom, nil
}

// property32 reads a property of 32-bit values (windows or atoms).
func (x *x11) property32(w xproto.Window, name string) ([]uint32, error) {
	a, err := x.atom(name)
	if err != nil {
		return nil, err
	}
	r, err := xproto.GetProperty(x.conn, false, w, a, xproto.GetPropertyTypeAny, 0, 64).Reply()
	if err != nil {
		return nil, fmt.Errorf("X11 property %s: %w", name, err)
	}
	if r.Format != 32 {
		return nil, nil
	}
	vals := make([]uint32, 0, len(r.Value)/4)
	for i := 0; i+4 <= len(r.Value); i += 4 {
		vals = append(vals, xgb.Get32(r.Value[i:]))
	}
	return vals, nil
}

// activeWindow returns the window the window manager says is active, or 0
// when there is no EWMH window manager or no active window.
func (x *x11) activeWindow() (xproto.Window, error) {
	v, err := x.property32(x.root, "_NET_ACTIVE_WINDOW")
	if err != nil || len(v) == 0 {
		return 0, err
	}
	return xproto.Window(v[0]), nil
}

// fullScreen reports whether the active window is full-screen.
func (x *x11) fullScreen() (bool, error) {
	w, err := x.activeWindow()
	if err != nil || w == 0 {
		return false, err
	}
	state, err := x.property32(w, "_NET_WM_STATE")
	if err != nil {
		// The active window may have gone away meanwhile.
		return false, nil
	}
	full, err := x.atom("_NET_WM_STATE_FULLSCREEN")
	if err != nil {
		return false, err
	}
	return slices.Contains(state, uint32(full)), nil
}

// saverOn reports whether the screen saver runs (the screen is blanked or
// locked by an X11 locker).
func (x *x11) saverOn() (bool, error) {
	info, err := x.info()
	if err != nil {
		return false, err
	}
	return info.State == screensaver.StateOn, nil
}

// selectEvents asks for the events that change the lock or quiet state:
// the screen saver starting or stopping, the active window changing.
func (x *x11) selectEvents() error {
	if err := screensaver.SelectInputChecked(x.conn, xproto.Drawable(x.root), screensaver.EventNotifyMask).Check(); err != nil {
		return fmt.Errorf("X11 screen-saver events: %w", err)
	}
	err := xproto.ChangeWindowAttributesChecked(x.conn, x.root, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check()
	if err != nil {
		return fmt.Errorf("X11 root window events: %w", err)
	}
	return nil
}

// watch calls changed for each event that may change the lock or quiet
// state, until the connection closes. selectEvents must have been called.
func (x *x11) watch(changed func()) {
	watched := xproto.Window(0)
	for {
		ev, err := x.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // the connection closed
		}
		switch e := ev.(type) {
		case screensaver.NotifyEvent:
			changed()
		case xproto.PropertyNotifyEvent:
			if x.relevant(e, &watched) {
				changed()
			}
		}
	}
}

// relevant reports whether a property change can change quiet mode: a new
// active window (which is then watched too) or a change of its state.
func (x *x11) relevant(e xproto.PropertyNotifyEvent, watched *xproto.Window) bool {
	active, _ := x.atom("_NET_ACTIVE_WINDOW")
	state, _ := x.atom("_NET_WM_STATE")
	switch {
	case e.Window == x.root && e.Atom == active:
		if w, err := x.activeWindow(); err == nil && w != 0 && w != *watched {
			xproto.ChangeWindowAttributes(x.conn, w, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
			*watched = w
		}
		return true
	case e.Window == *watched && e.Atom == state:
		return true
	}
	return false
}
