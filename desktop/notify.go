package desktop

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/esiqveland/notify"
	"github.com/godbus/dbus/v5"
)

// AppName is the application name every reminder is sent with.
const AppName = "backcoach"

// Action is what the person chose on a reminder.
type Action string

// The reminder's actions. "default" is what a click on the reminder itself
// does; desktops that hide it show the Start button instead.
const (
	ActionDefault Action = "default"
	ActionStart   Action = "start"
	ActionSnooze  Action = "snooze"
	ActionSkip    Action = "skip"
	// ActionDismiss is the reminder closed without a choice.
	ActionDismiss Action = "dismiss"
)

// Message is one notification.
type Message struct {
	Summary string
	Body    string
	// Actions are the buttons; none for a plain message.
	Actions []notify.Action
	// Expire is how long the message stays; zero keeps it until answered.
	Expire time.Duration
}

// Notifier shows the reminder through org.freedesktop.Notifications. Each
// message replaces the one before, so reminders never stack, and only the
// answers to the message on the screen are passed on.
type Notifier struct {
	conn *dbus.Conn
	n    notify.Notifier
	log  *slog.Logger
	// on is called, on a goroutine of its own, with each answer.
	on func(Action)

	mu sync.Mutex
	// id is the notification on the screen (0 when none); answered marks
	// one whose action was chosen, whose closing is then no dismissal.
	id       uint32
	answered bool
	// closing holds the ids of answered messages whose closing signal has
	// not arrived yet. A message shown right after an answer replaces the
	// answered one under the same id, and that late signal is about the
	// old message, not the new one on the screen.
	closing map[uint32]bool
}

// ServerInfo names the notification daemon.
type ServerInfo struct {
	Name, Vendor, Version string
	Actions               bool
}

// NewNotifier connects to the notification daemon on the session bus.
func NewNotifier(conn *dbus.Conn, on func(Action), log *slog.Logger) (*Notifier, error) {
	if conn == nil {
		return nil, fmt.Errorf("no session bus, so no notifications")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	nt := &Notifier{conn: conn, log: log, on: on, closing: map[uint32]bool{}}
	n, err := notify.New(conn,
		notify.WithOnAction(nt.actionInvoked),
		notify.WithOnClosed(nt.closed),
		notify.WithLogger(debugLogger{log}),
	)
	if err != nil {
		return nil, fmt.Errorf("cannot listen to the notification daemon: %w", err)
	}
	nt.n = n
	return nt, nil
}

// Server asks which notification daemon runs and whether it shows actions.
func (nt *Notifier) Server() (ServerInfo, error) {
	info, err := nt.n.GetServerInformation()
	if err != nil {
		return ServerInfo{}, fmt.Errorf("no notification daemon answers on org.freedesktop.Notifications: %w", shortDBusError(err))
	}
	caps, _ := nt.n.GetCapabilities()
	s := ServerInfo{Name: info.Name, Vendor: info.Vendor, Version: info.Version}
	for _, c := range caps {
		if c == "actions" {
			s.Actions = true
		}
	}
	return s, nil
}

// BreakActions are the buttons of a break reminder; Snooze only while the
// break may still be snoozed.
func BreakActions(canSnooze bool, snoozeFor time.Duration) []notify.Action {
	a := []notify.Action{{Key: string(ActionDefault), Label: "Start"}, {Key: string(ActionStart), Label: "Start"}}
	if canSnooze {
		a = append(a, notify.Action{Key: string(ActionSnooze), Label: "Snooze " + durationLabel(snoozeFor)})
	}
	return append(a, notify.Action{Key: string(ActionSkip), Label: "Skip"})
}

// Show puts a message on the screen in place of the last one.
func (nt *Notifier) Show(m Message) error {
	nt.mu.Lock()
	defer nt.mu.Unlock()
	note := notify.Notification{
		AppName:       AppName,
		ReplacesID:    nt.id,
		AppIcon:       "preferences-desktop-accessibility",
		Summary:       m.Summary,
		Body:          m.Body,
		Actions:       m.Actions,
		ExpireTimeout: m.Expire,
		Hints:         map[string]dbus.Variant{},
	}
	note.AddHint(notify.HintUrgency(notify.UrgencyNormal))
	note.AddHint(notify.Hint{ID: "desktop-entry", Variant: dbus.MakeVariant(AppName)})
	note.AddHint(notify.Hint{ID: "category", Variant: dbus.MakeVariant("x-backcoach.break")})
	id, err := nt.n.SendNotification(note)
	if err != nil {
		return fmt.Errorf("cannot show the reminder: %w", shortDBusError(err))
	}
	nt.id, nt.answered = id, false
	return nil
}

// Close takes the message off the screen.
func (nt *Notifier) Close() {
	nt.mu.Lock()
	id := nt.id
	nt.id = 0
	nt.mu.Unlock()
	if id == 0 {
		return
	}
	if _, err := nt.n.CloseNotification(id); err != nil {
		nt.log.Debug("closing the reminder", "id", id, "err", err)
	}
}

// Shutdown takes the message off the screen and stops listening.
func (nt *Notifier) Shutdown() {
	nt.Close()
	nt.n.Close()
}

// actionInvoked passes on the answer to the message on the screen.
func (nt *Notifier) actionInvoked(s *notify.ActionInvokedSignal) {
	nt.mu.Lock()
	mine := s.ID != 0 && s.ID == nt.id
	if mine {
		nt.answered = true
		nt.closing[s.ID] = true
	}
	nt.mu.Unlock()
	if mine {
		go nt.on(Action(s.ActionKey))
	}
}

// closed passes on a dismissal of the message on the screen. Closing after
// an answer, expiry and closing by this program are not dismissals.
func (nt *Notifier) closed(s *notify.NotificationClosedSignal) {
	nt.mu.Lock()
	late := nt.closing[s.ID]
	delete(nt.closing, s.ID)
	mine := s.ID != 0 && s.ID == nt.id
	if late && mine && !nt.answered {
		// The answered message closed after its replacement was shown.
		nt.mu.Unlock()
		return
	}
	dismissed := mine && !nt.answered && s.Reason == notify.ReasonDismissedByUser
	if mine {
		nt.id = 0
	}
	nt.mu.Unlock()
	if dismissed {
		go nt.on(ActionDismiss)
	}
}

// durationLabel says a duration for a button: "5 min", "45 s".
func durationLabel(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
}

// debugLogger sends the notification library's messages to the debug log.
type debugLogger struct{ log *slog.Logger }

func (l debugLogger) Printf(format string, v ...any) {
	l.log.Debug(fmt.Sprintf(format, v...))
}
