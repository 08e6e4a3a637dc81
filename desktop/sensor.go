package desktop

import (
	"context"
	"errors"
	"log/slog"

	"github.com/backcoach/backcoach/breaks"
)

// Sensor reads the desktop for the break engine: idle time from the chosen
// source, locked when any lock source says so, quiet when any quiet source
// does. It implements breaks.Sensor.
type Sensor struct {
	Idle  IdleSource
	Locks []LockSource
	Quiet []QuietSource
	Log   *slog.Logger
}

// Probe is everything found on the desktop: what the doctor reports and
// what the daemon uses.
type Probe struct {
	Idle, Locks, Quiet []Finding
	Sensor             *Sensor
	// Warning is a doubt about the chosen idle source, or "".
	Warning string
}

// ErrNoIdleSource is returned when the session offers no idle time.
var ErrNoIdleSource = errors.New("no idle-time source: none of org.gnome.Mutter.IdleMonitor, org.freedesktop.ScreenSaver or the X11 screen-saver extension answered; run 'backcoach breaks doctor' for the reasons")

// Find probes the session. The sensor is nil when there is no idle source.
func Find(s *Session, log *slog.Logger) *Probe {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Probe{}
	var idle IdleSource
	p.Idle, idle = FindIdleSources(s)
	var locks []LockSource
	p.Locks, locks = FindLockSources(s)
	var quiet []QuietSource
	p.Quiet, quiet = FindQuietSources(s)
	p.Warning = waylandWarning(idle)
	if idle != nil {
		p.Sensor = &Sensor{Idle: idle, Locks: locks, Quiet: quiet, Log: log}
	}
	return p
}

// Sense reads the idle time, the lock and quiet mode.
func (s *Sensor) Sense(ctx context.Context) (breaks.Reading, error) {
	idle, err := s.Idle.Idle()
	if err != nil {
		return breaks.Reading{}, err
	}
	return breaks.Reading{Idle: idle, Locked: s.locked(), Quiet: s.quiet()}, nil
}

func (s *Sensor) locked() bool {
	for _, l := range s.Locks {
		on, err := l.Locked()
		if err != nil {
			s.Log.Debug("lock source failed", "source", l.Name(), "err", err)
			continue
		}
		if on {
			return true
		}
	}
	return false
}

func (s *Sensor) quiet() bool {
	for _, q := range s.Quiet {
		on, err := q.Quiet()
		if err != nil {
			s.Log.Debug("quiet source failed", "source", q.Name(), "err", err)
			continue
		}
		if on {
			return true
		}
	}
	return false
}

// Watch calls changed whenever a lock or quiet source signals a change, so
// that the engine hears of it at once rather than at its next reading.
func (s *Sensor) Watch(sess *Session, changed func()) {
	for _, l := range s.Locks {
		if err := l.watch(changed); err != nil {
			s.Log.Warn("cannot watch for lock changes", "source", l.Name(), "err", err)
		}
	}
	for _, q := range s.Quiet {
		if err := q.watch(changed); err != nil {
			s.Log.Warn("cannot watch for quiet mode", "source", q.Name(), "err", err)
		}
	}
	if x, err := sess.x11(); err == nil {
		if err := x.selectEvents(); err != nil {
			s.Log.Warn("cannot watch the X display", "err", err)
			return
		}
		go x.watch(changed)
	}
}
