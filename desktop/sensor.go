package desktop

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/backcoach/backcoach/breaks"
)

// Sensor reads the desktop for the break engine: idle time from the chosen
// source, locked when any lock source says so, quiet when any quiet source
// does. It implements host.Sensor. At debug level it logs what each source
// read (see readingLog).
type Sensor struct {
	Idle  IdleSource
	Locks []LockSource
	Quiet []QuietSource
	Log   *slog.Logger

	readings readingLog
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
	now := time.Now()
	idle, err := s.Idle.Idle()
	if err != nil {
		s.note(now, s.Idle.Name(), "idle reading", err.Error(), "err", err)
		return breaks.Reading{}, err
	}
	// The same idle stretch read again is the same reading: no input came.
	s.note(now, s.Idle.Name(), "idle reading", now.Add(-idle), "idle_seconds", int(idle/time.Second))
	return breaks.Reading{Idle: idle, Locked: s.locked(now), Quiet: s.quiet(now)}, nil
}

func (s *Sensor) locked(now time.Time) bool {
	locked := false
	for _, l := range s.Locks {
		on, err := l.Locked()
		if err != nil {
			s.note(now, l.Name(), "lock reading", err.Error(), "err", err)
			continue
		}
		s.note(now, l.Name(), "lock reading", on, "locked", on)
		locked = locked || on
	}
	return locked
}

func (s *Sensor) quiet(now time.Time) bool {
	quiet := false
	for _, q := range s.Quiet {
		on, err := q.Quiet()
		if err != nil {
			s.note(now, q.Name(), "quiet reading", err.Error(), "err", err)
			continue
		}
		s.note(now, q.Name(), "quiet reading", on, "quiet", on)
		quiet = quiet || on
	}
	return quiet
}

// note logs one source's reading through the rate limit.
func (s *Sensor) note(now time.Time, source, msg string, value any, attrs ...any) {
	if s.Log == nil || !s.Log.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	if ok, repeated := s.readings.fresh(now, msg+" "+source, value); ok {
		args := append([]any{"source", source}, attrs...)
		if repeated > 0 {
			args = append(args, "repeated", repeated)
		}
		s.Log.Debug(msg, args...)
	}
}

// sameReading says whether two readings are the same: equal, or, for the
// moments of the last input, less than a second apart (sources round, and
// readings take time).
func sameReading(a, b any) bool {
	ta, ok1 := a.(time.Time)
	tb, ok2 := b.(time.Time)
	if ok1 && ok2 {
		return ta.Sub(tb).Abs() < time.Second
	}
	return a == b
}

// readingLog keeps the log of the sources' readings short: a reading that
// differs from its source's last is logged at once, the same reading again
// at most once every repeatEvery, with how often it came meanwhile.
type readingLog struct {
	mu   sync.Mutex
	last map[string]*logged
}

// logged is a source's last logged reading.
type logged struct {
	value    any
	at       time.Time
	repeated int
}

// repeatEvery is how often the same reading is logged again.
const repeatEvery = time.Minute

// fresh says whether a source's reading (key: what and which source) is to be logged, and how often the
// same one came since it last was.
func (r *readingLog) fresh(now time.Time, key string, value any) (bool, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		r.last = map[string]*logged{}
	}
	l := r.last[key]
	same := l != nil && sameReading(l.value, value)
	if same && now.Sub(l.at) < repeatEvery {
		l.repeated++
		return false, 0
	}
	repeated := 0
	if same {
		repeated = l.repeated
	}
	r.last[key] = &logged{value: value, at: now}
	return true, repeated
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
