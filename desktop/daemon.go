package desktop

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/host"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/catalog"
)

// Daemon is the break reminder on a desktop: a host.Host read from the
// desktop's sensor, its reminders as notifications, and a control socket
// for the command line.
type Daemon struct {
	Config  breaks.Config
	Session *Session
	Sensor  *Sensor
	Catalog *catalog.Catalog
	// Offers decides what a break offers; nil offers the gentle desk
	// exercises.
	Offers host.Offers
	// Stats keeps the day's figures for Person; nil keeps them nowhere.
	Stats  backcoach.BreakStatsService
	Person string
	// Launch opens a started break's exercises (the web app, a terminal).
	// A break it cannot open is not started: it stays on offer, and the
	// person is told.
	Launch func(offer.Offer) error
	// FollowZone makes the days follow the machine's time zone when it
	// changes (the person set no zone of their own).
	FollowZone bool
	// Socket is the control socket's path.
	Socket string
	// Clock is the time the daemon runs on; the computer's when nil.
	Clock host.Clock
	Log   *slog.Logger

	host     atomic.Pointer[host.Host]
	notifier *Notifier
	// zone is the machine's time zone the engine follows.
	zone string
}

// Run runs the daemon until ctx ends. At the end the day's figures are
// saved and the reminder on the screen is closed.
func (d *Daemon) Run(ctx context.Context) error {
	if d.Sensor == nil {
		return ErrNoIdleSource
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	ln, err := listenControl(d.Socket)
	if err != nil {
		return err
	}
	srv := &controlServer{ln: ln, path: d.Socket, handle: d.control, log: d.Log}
	defer srv.close()

	nt, err := NewNotifier(d.Session.Bus, d.answer, d.Log)
	if err != nil {
		return err
	}
	d.notifier = nt
	defer nt.Shutdown()
	if info, err := nt.Server(); err != nil {
		d.Log.Warn("no notification daemon yet: reminders cannot be shown until one runs", "err", err)
	} else {
		d.Log.Info("notifications", "server", info.Name, "version", info.Version, "actions", info.Actions)
	}

	cfg := d.Config
	if loc, ok := SystemZone(); ok && d.FollowZone {
		d.zone, cfg.Location = loc.String(), loc
	}
	h, err := host.New(ctx, host.Config{
		Engine: cfg, Clock: d.Clock, Sensor: d.Sensor, Offers: d.offers(), Open: d.Launch,
		Stats: d.Stats, Person: d.Person, Emit: d.handle, OnWait: BeforeWait, Log: d.Log,
	})
	if err != nil {
		return err
	}
	d.host.Store(h)
	go srv.serve(ctx)
	d.Sensor.Watch(d.Session, h.Poke)
	TrimMemory()
	d.Log.Info("break reminders running", "idle_source", d.Sensor.Idle.Name(), "socket", d.Socket,
		"movement_every", d.Config.Movement.Every, "stretch_every", d.Config.Stretch.Every)
	<-ctx.Done()
	h.Close(true)
	return nil
}

// offers returns where the breaks get their content: Offers, or the gentle
// desk exercises.
func (d *Daemon) offers() host.Offers {
	if d.Offers != nil {
		return d.Offers
	}
	return func(_ context.Context, b breaks.Break, date string) (offer.Offer, error) {
		return offer.Choose(d.Catalog, b, d.Config.Rule(b.Kind).Exercises, offer.Input{Date: date}), nil
	}
}

// handle shows one of the host's events; the host calls it under its lock.
func (d *Daemon) handle(ev host.Event) {
	var err error
	switch ev.Type {
	case breaks.EventOffer:
		err = d.notifier.Show(Message{Summary: ev.Offer.Summary(), Body: ev.Offer.Body(d.Catalog), Actions: BreakActions(ev.Break.CanSnooze, d.Config.SnoozeFor)})
	case breaks.EventWithdraw:
		if ev.Reason != breaks.ReasonStarted {
			d.notifier.Close()
		}
	case breaks.EventBreakStarted:
		err = d.notifier.Show(Message{
			Summary: fmt.Sprintf("%s: %s", capitalised(ev.Break.Kind.Words()), durationLabel(ev.Break.For)),
			Body:    ev.Offer.Body(d.Catalog),
			Expire:  ev.Break.For,
		})
	case breaks.EventBreakEnded:
		err = d.notifier.Show(Message{Summary: "Break over", Body: "Well done. Back to it, and sit tall.", Expire: 10 * time.Second})
	case breaks.EventLimit:
		err = d.notifier.Show(Message{
			Summary: "Today's computer time is up",
			Body:    offer.LimitWords(ev.Day.ActiveSeconds),
		})
	case breaks.EventDay:
		d.followZone()
	}
	if err != nil {
		d.Log.Warn("break event", "event", ev.Type, "err", err)
	}
	switch ev.Type {
	case breaks.EventOffer, breaks.EventBreakStarted, breaks.EventDay:
		// The database and the planner ran: give their pages back
		// until the next time.
		TrimMemory()
	}
}

// followZone gives the engine the machine's time zone when it changed. The
// engine never reopens a day already closed, so this cannot bring figures
// back to yesterday. It runs under the host's lock, so the change is
// applied on a goroutine of its own.
func (d *Daemon) followZone() {
	if !d.FollowZone {
		return
	}
	loc, ok := SystemZone()
	if !ok || loc.String() == d.zone {
		return
	}
	d.Log.Info("time zone changed", "from", d.zone, "to", loc.String())
	d.zone = loc.String()
	if h := d.host.Load(); h != nil {
		go h.SetLocation(loc)
	}
}

// answer carries out the person's answer to a reminder.
func (d *Daemon) answer(a Action) {
	h := d.host.Load()
	if h == nil {
		return
	}
	var err error
	switch a {
	case ActionDefault, ActionStart:
		if _, err := h.Start(""); err != nil {
			d.notStarted(h, err)
		}
		return
	case ActionSnooze:
		_, err = h.Snooze()
	case ActionSkip:
		_, err = h.Skip()
	case ActionDismiss:
		_, err = h.Dismiss()
	default:
		d.Log.Debug("unknown action", "action", a)
	}
	if err != nil {
		d.Log.Info("reminder answer not applied", "action", a, "err", err)
	}
}

// notStarted tells the person a break they started did not start (most
// often: nothing could open it), with the reminder's buttons while the
// break is still on offer.
func (d *Daemon) notStarted(h *host.Host, err error) {
	d.Log.Warn("break not started", "err", err)
	msg := Message{Summary: "The break did not start", Body: capitalised(backcoach.ErrorMessage(err)) + "."}
	if st, serr := h.Status(); serr == nil && st.Offered != nil && st.Shown {
		msg.Body += " The break is still on offer: start it again, or snooze or skip it."
		msg.Actions = BreakActions(st.Offered.CanSnooze, d.Config.SnoozeFor)
	}
	if err := d.notifier.Show(msg); err != nil {
		d.Log.Warn("cannot say the break did not start", "err", err)
	}
}

// control answers a request on the control socket.
func (d *Daemon) control(ctx context.Context, req Request) Response {
	h := d.host.Load()
	if h == nil {
		return failure(host.ErrClosed)
	}
	err := d.apply(h, req)
	if err != nil {
		return failure(err)
	}
	st, err := h.Status()
	if err != nil {
		return failure(err)
	}
	r := NewStatusReport(st.Status, d.Sensor.Idle.Name())
	return Response{OK: true, Status: &r}
}

// apply carries out a request other than status.
func (d *Daemon) apply(h *host.Host, req Request) error {
	var err error
	switch req.Op {
	case OpStatus:
	case OpPause:
		err = d.pause(h, req)
	case OpResume:
		_, err = h.Resume()
	case OpStart:
		var k breaks.Kind
		if req.Kind != "" {
			if k, err = breaks.ParseKind(req.Kind); err != nil {
				return err
			}
		}
		_, err = h.Start(k)
	case OpSnooze:
		_, err = h.Snooze()
	case OpSkip:
		_, err = h.Skip()
	default:
		err = backcoach.Invalid("op", "must be one of status, pause, resume, start, snooze, skip; got %q", req.Op)
	}
	return err
}

// pause applies a pause request: for a duration, or until tomorrow.
func (d *Daemon) pause(h *host.Host, req Request) error {
	if req.Until != "" {
		if req.Until != "tomorrow" {
			return backcoach.Invalid("until", "must be \"tomorrow\", got %q", req.Until)
		}
		_, err := h.PauseUntilTomorrow()
		return err
	}
	dur, err := time.ParseDuration(req.For)
	if err != nil {
		return backcoach.Invalid("for", "must be a duration such as 1h or 30m, got %q", req.For)
	}
	_, err = h.Pause(dur)
	return err
}

// capitalised returns s with its first letter in upper case (ASCII).
func capitalised(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
