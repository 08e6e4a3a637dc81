package desktop

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/desktop/desktoptest"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/triage"
)

// typist keeps moving the mouse while on, as a person at work does.
type typist struct {
	mu sync.Mutex
	on bool
}

func (p *typist) set(on bool) {
	p.mu.Lock()
	p.on = on
	p.mu.Unlock()
}

func (p *typist) run(ctx context.Context, d *desktoptest.Desktop) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			p.mu.Lock()
			on := p.on
			p.mu.Unlock()
			if on {
				_ = d.Command("xdotool", "mousemove_relative", "--", "1", "0").Run()
			}
		}
	}
}

// fastConfig is a reminder in seconds: a movement break after 4 s of
// activity, lasting 2 s.
func fastConfig() breaks.Config {
	c := breaks.DefaultConfig()
	c.Movement = breaks.Rule{Every: 5 * time.Second, For: 2 * time.Second, Exercises: 1}
	c.Stretch = breaks.Rule{}
	c.SnoozeFor = 3 * time.Second
	c.OfferIdle = time.Second
	c.AwayPoll = 500 * time.Millisecond
	c.QuietPoll = 500 * time.Millisecond
	c.MaxLate = 3 * time.Second
	return c
}

// daemonUnderTest is a running daemon and what the test watches it with.
type daemonUnderTest struct {
	d       *desktoptest.Desktop
	watch   *desktoptest.Watcher
	socket  string
	started string // the file the start command writes
	person  *typist
	store   *store.Store
	who     string
	stop    context.CancelFunc
	done    chan error
}

// startDaemon starts a daemon whose Start runs command, or, when it is "",
// writes the break's kind and exercises to the file u.started.
func startDaemon(t *testing.T, command string) *daemonUnderTest {
	t.Helper()
	// dunst's context menu (dunstctl context) picks with this "dmenu":
	// the Snooze action.
	conf := desktoptest.DefaultDunstConfig + "[global]\n    dmenu = /bin/grep -m1 Snooze\n"
	d, sess := connect(t, desktoptest.Options{DunstConfig: conf})
	probe := Find(sess, discard())
	if probe.Sensor == nil {
		t.Fatalf("no sensor: %+v", probe.Idle)
	}
	db, err := store.Open(t.Context(), filepath.Join(d.Dir, "backcoach.db"), store.Options{Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := &backcoach.Person{Handle: backcoach.LocalHandle, Name: "Local", Role: backcoach.RolePerson}
	if err := db.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	u := &daemonUnderTest{
		d:       d,
		watch:   d.WatchNotifications(t),
		socket:  filepath.Join(d.RuntimeDir, "backcoach", "breaks.sock"),
		started: filepath.Join(d.Dir, "started"),
		person:  &typist{},
		store:   db,
		who:     p.ID,
		done:    make(chan error, 1),
	}
	daemon := &Daemon{
		Config:  fastConfig(),
		Session: sess,
		Sensor:  probe.Sensor,
		Catalog: catalog.MustLoad(),
		Stats:   db,
		Person:  p.ID,
		Launch:  (&Launcher{Command: `echo "$BACKCOACH_BREAK_KIND $BACKCOACH_BREAK_EXERCISES" >> ` + u.started}).Launch,
		Socket:  u.socket,
		Log:     discard(),
	}
	if command != "" {
		daemon.Launch = (&Opener{Command: &Launcher{Command: command}}).Open
	}
	ctx, cancel := context.WithCancel(context.Background())
	u.stop = cancel
	go u.person.run(ctx, d)
	go func() { u.done <- daemon.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-u.done
	})
	desktoptest.WaitUntil(t, 5*time.Second, "the control socket", func() bool {
		_, err := os.Stat(u.socket)
		return err == nil
	})
	return u
}

// status asks the daemon through its socket.
func (u *daemonUnderTest) status(t *testing.T) *StatusReport {
	t.Helper()
	return u.call(t, Request{Op: OpStatus})
}

func (u *daemonUnderTest) call(t *testing.T, req Request) *StatusReport {
	t.Helper()
	resp, err := Call(t.Context(), u.socket, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Err(); err != nil {
		t.Fatalf("%s: %v", req.Op, err)
	}
	return resp.Status
}

// reminder waits for a break reminder after the first `after`
// notifications.
func (u *daemonUnderTest) reminder(t *testing.T, after int, within time.Duration) desktoptest.Notification {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), within)
	defer cancel()
	n, err := u.watch.WaitFor(ctx, after, func(n desktoptest.Notification) bool {
		return strings.HasPrefix(n.Summary, "Time for a movement break")
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// displayed returns how many notifications dunst shows.
func (u *daemonUnderTest) displayed(t *testing.T) string {
	return strings.TrimSpace(u.d.Run(t, "dunstctl", "count", "displayed"))
}

func TestDaemonRemindsAndHandlesAnswers(t *testing.T) {
	u := startDaemon(t, "")

	// A natural break: 1.5 s of work, then 3 s away (the break is 2 s).
	u.person.set(true)
	time.Sleep(1500 * time.Millisecond)
	u.person.set(false)
	desktoptest.WaitUntil(t, 6*time.Second, "a natural break", func() bool {
		return u.status(t).Today.Natural == 1
	})
	if s := u.status(t); s.Next[0].DueInSeconds != 5 || s.IdleSource != SourceX11 {
		t.Fatalf("after a natural break: %+v", s)
	}
	if n := len(u.watch.All()); n != 0 {
		t.Fatalf("%d notifications before any break was due", n)
	}

	// Work until the break is due: the reminder comes.
	u.person.set(true)
	first := u.reminder(t, 0, 10*time.Second)
	if first.AppName != "backcoach" || first.ReplacesID != 0 || first.Expire != 0 {
		t.Fatalf("first reminder: %+v", first)
	}
	for _, key := range []string{"default", "start", "snooze", "skip"} {
		if !slices.Contains(first.Actions, key) {
			t.Errorf("reminder actions %q lack %q", first.Actions, key)
		}
	}
	if !strings.Contains(first.Body, triage.Disclaimer()) {
		t.Errorf("reminder body lacks the disclaimer:\n%s", first.Body)
	}

	// Clicking it (dunst's default action) starts the break and opens it.
	u.d.Run(t, "dunstctl", "action", "0")
	desktoptest.WaitUntil(t, 5*time.Second, "the start command", func() bool {
		b, err := os.ReadFile(u.started)
		return err == nil && strings.HasPrefix(string(b), "movement ")
	})
	if s := u.status(t); s.Today.Taken != 1 || s.Today.Due != 1 {
		t.Fatalf("after Start: %+v", s.Today)
	}
	all := u.watch.All()
	if last := all[len(all)-1]; !strings.HasPrefix(last.Summary, "Movement break") {
		t.Fatalf("no break notification after Start: %+v", last)
	}

	// The next reminder replaces what is on the screen; snoozed through
	// the socket, it comes back; then skipped.
	seen := len(u.watch.All())
	second := u.reminder(t, seen, 15*time.Second)
	if second.ReplacesID == 0 && u.displayed(t) != "1" {
		t.Fatalf("reminders stack: %s displayed", u.displayed(t))
	}
	seen = len(u.watch.All())
	u.d.Run(t, "dunstctl", "context") // the person picks Snooze from the menu
	desktoptest.WaitUntil(t, 5*time.Second, "the snooze", func() bool { return u.status(t).Today.Snoozed == 1 })
	third := u.reminder(t, seen, 10*time.Second)
	if !slices.Contains(third.Actions, "snooze") {
		t.Fatalf("snoozed once, the snooze is gone: %q", third.Actions)
	}
	s := u.call(t, Request{Op: OpSkip})
	if s.Today.Snoozed != 1 || s.Today.Skipped != 1 || s.Today.Due != 2 {
		t.Fatalf("after snooze and skip: %+v", s.Today)
	}

	// Do-not-disturb holds the next reminder; it comes when it ends.
	u.d.Run(t, "dunstctl", "set-paused", "true")
	seen = len(u.watch.All())
	desktoptest.WaitUntil(t, 15*time.Second, "a break held by do-not-disturb", func() bool {
		return u.status(t).Next[0].DueInSeconds == 0
	})
	time.Sleep(time.Second)
	if n := len(u.watch.All()); n != seen {
		t.Fatalf("%d reminders during do-not-disturb", n-seen)
	}
	u.d.Run(t, "dunstctl", "set-paused", "false")
	u.reminder(t, seen, 5*time.Second)

	// Pause and resume through the socket.
	s = u.call(t, Request{Op: OpPause, For: "1h"})
	if s.PausedUntil == nil || time.Until(*s.PausedUntil) < 59*time.Minute {
		t.Fatalf("paused until %v", s.PausedUntil)
	}
	if s := u.call(t, Request{Op: OpResume}); s.PausedUntil != nil {
		t.Fatalf("still paused: %+v", s)
	}
	resp, err := Call(t.Context(), u.socket, Request{Op: OpPause, For: "1s"})
	if err != nil || resp.OK || resp.Error.Code != backcoach.EINVALID {
		t.Fatalf("a 1 s pause: %+v, %v", resp, err)
	}

	// At shutdown the day's figures are saved.
	u.person.set(false)
	want := u.status(t).Today
	u.stop()
	if err := <-u.done; err != nil {
		t.Fatal(err)
	}
	u.done <- nil
	days, err := u.store.BreakDays(t.Context(), u.who, "", "")
	if err != nil || len(days) != 1 {
		t.Fatalf("saved days: %+v, %v", days, err)
	}
	got := days[0]
	if got.Due != want.Due || got.Taken != want.Taken || got.Natural != want.Natural || got.Snoozed != want.Snoozed || got.Skipped != want.Skipped || got.ActiveSeconds < want.ActiveSeconds {
		t.Fatalf("saved %+v, the daemon said %+v", got, want)
	}
	// Each save is an audit line: the figures are saved when a count
	// changes and at the end, not at every reading.
	trail, err := u.store.AuditTrail(t.Context(), u.who, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	saves := 0
	for _, line := range trail {
		if line.Kind == backcoach.KindBreakDay {
			saves++
		}
	}
	if counts := got.Due + got.Taken + got.Natural + got.Snoozed + got.Skipped; saves > counts+2 {
		t.Errorf("the day's figures were saved %d times for %d counted breaks", saves, counts)
	}
	if _, err := os.Stat(u.socket); !os.IsNotExist(err) {
		t.Fatalf("socket left behind: %v", err)
	}
	if _, err := Call(t.Context(), u.socket, Request{Op: OpStatus}); err == nil || !strings.Contains(err.Error(), ErrNoDaemon.Error()) {
		t.Fatalf("status with no daemon: %v", err)
	}
}

// TestDaemonKeepsABreakItCannotOpen checks that Start on a reminder counts
// nothing when nothing opened: the person is told why, with the reminder's
// buttons, and the break stays on offer.
func TestDaemonKeepsABreakItCannotOpen(t *testing.T) {
	u := startDaemon(t, "echo no browser here >&2; exit 4")
	u.person.set(true)
	u.reminder(t, 0, 10*time.Second)
	seen := len(u.watch.All())
	u.d.Run(t, "dunstctl", "action", "0") // the person clicks Start
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	n, err := u.watch.WaitFor(ctx, seen, func(n desktoptest.Notification) bool { return n.Summary == "The break did not start" })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(n.Body, "Could not open the break") || !strings.Contains(n.Body, "no browser here") ||
		!slices.Contains(n.Actions, "start") || !slices.Contains(n.Actions, "skip") {
		t.Fatalf("the failure said %+v", n)
	}
	s := u.status(t)
	if s.Today.Taken != 0 || s.Today.Due != 1 || s.Next[0].DueInSeconds != 0 {
		t.Fatalf("a break nothing opened: %+v", s)
	}
	resp, err := Call(t.Context(), u.socket, Request{Op: OpStart})
	if err != nil || resp.OK || !strings.Contains(resp.Error.Message, "could not open the break") {
		t.Fatalf("breaks start with nothing to open: %+v, %v", resp, err)
	}
	if s := u.status(t); s.Today.Taken != 0 {
		t.Fatalf("counted as taken: %+v", s.Today)
	}
}
