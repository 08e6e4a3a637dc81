package desktop

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/catalog"
)

// Daemon is the break reminder on a desktop: the engine driven by the
// desktop's sensor, reminders as notifications, the day's figures saved,
// and a control socket for the command line.
type Daemon struct {
	Config  breaks.Config
	Session *Session
	Sensor  *Sensor
	Catalog *catalog.Catalog
	// Offers decides what a break offers; nil offers the gentle desk
	// exercises.
	Offers func(ctx context.Context, b breaks.Break, date string) (offer.Offer, error)
	// Stats keeps the day's figures for Person; nil keeps them nowhere.
	Stats  backcoach.BreakStatsService
	Person string
	// Launch opens a started break's exercises (the web app, a terminal).
	Launch func(offer.Offer) error
	// FollowZone makes the days follow the machine's time zone when it
	// changes (the person set no zone of their own).
	FollowZone bool
	// Socket is the control socket's path.
	Socket string
	Now    func() time.Time
	Log    *slog.Logger

	runner   *breaks.Runner
	engine   *breaks.Engine
	notifier *Notifier
	// shown is the content of the last break offered, to open when it is
	// started.
	shown *offer.Offer
	ctx   context.Context
	// saved is the day's figures as last saved, at savedAt.
	saved   backcoach.BreakDay
	savedAt time.Time
	// touchedStore is set when handling an event used the database or
	// the planner, whose memory is then given back.
	touchedStore bool
	// zone is the machine's time zone the engine follows.
	zone string
}

// Run runs the daemon until ctx ends. At the end the day's figures are
// saved and the reminder on the screen is closed.
func (d *Daemon) Run(ctx context.Context) error {
	if err := d.setUp(ctx); err != nil {
		return err
	}
	d.ctx = ctx
	ln, err := listenControl(d.Socket)
	if err != nil {
		return err
	}
	srv := &controlServer{ln: ln, path: d.Socket, handle: d.control, log: d.Log}
	defer srv.close()
	go srv.serve(ctx)

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

	d.runner = breaks.NewRunner(d.engine, d.Sensor, d.Now, d.handle, d.Log)
	d.runner.OnWait = BeforeWait
	d.Sensor.Watch(d.Session, d.runner.Poke)
	TrimMemory()
	d.Log.Info("break reminders running", "idle_source", d.Sensor.Idle.Name(), "socket", d.Socket,
		"movement_every", d.Config.Movement.Every, "stretch_every", d.Config.Stretch.Every)
	return d.runner.Run(ctx)
}

// setUp fills in defaults and makes the engine, carrying on with today's
// saved figures.
func (d *Daemon) setUp(ctx context.Context) error {
	if d.Sensor == nil {
		return ErrNoIdleSource
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	e, err := breaks.New(d.Config)
	if err != nil {
		return err
	}
	d.engine = e
	if d.Stats == nil {
		return nil
	}
	today := e.DayOf(d.Now())
	days, err := d.Stats.BreakDays(ctx, d.Person, today, today)
	if err != nil {
		return fmt.Errorf("reading today's break figures: %w", err)
	}
	if len(days) == 1 {
		e.Continue(days[0])
		d.saved, d.savedAt = days[0], d.Now()
	}
	return nil
}

// handle carries out one engine event; it runs on the runner's goroutine.
func (d *Daemon) handle(ev breaks.Event) {
	var err error
	switch ev.Type {
	case breaks.EventOffer:
		err = d.offer(ev)
	case breaks.EventWithdraw:
		if ev.Reason != breaks.ReasonStarted {
			d.notifier.Close()
		}
	case breaks.EventBreakStarted:
		err = d.started(ev)
	case breaks.EventBreakEnded:
		err = d.notifier.Show(Message{Summary: "Break over", Body: "Well done. Back to it, and sit tall.", Expire: 10 * time.Second})
	case breaks.EventLimit:
		err = d.notifier.Show(Message{
			Summary: "Today's computer time is up",
			Body:    fmt.Sprintf("You have been at the computer for %s today, your daily limit. Time to stop if you can.", durationLabel(time.Duration(ev.Day.ActiveSeconds)*time.Second)),
		})
	case breaks.EventDay:
		err = d.save(ev.Day)
		d.followZone()
	}
	if err != nil {
		d.Log.Warn("break event", "event", ev.Type, "err", err)
	}
	if d.touchedStore {
		// The database and the planner ran: give their pages back
		// until the next time.
		d.touchedStore = false
		TrimMemory()
	}
}

// offer shows a break's reminder.
func (d *Daemon) offer(ev breaks.Event) error {
	o, err := d.content(ev.Break)
	if err != nil {
		return err
	}
	d.shown = &o
	return d.notifier.Show(Message{Summary: o.Summary(), Body: o.Body(d.Catalog), Actions: BreakActions(ev.Break.CanSnooze, d.Config.SnoozeFor)})
}

// content returns what a break offers.
func (d *Daemon) content(b breaks.Break) (offer.Offer, error) {
	date := d.engine.Today().Date
	d.touchedStore = true
	if d.Offers == nil {
		n := d.Config.Rule(b.Kind).Exercises
		return offer.Choose(d.Catalog, b, n, offer.Input{Date: date}), nil
	}
	return d.Offers(d.ctx, b, date)
}

// started opens the break's exercises and says how long the break lasts.
func (d *Daemon) started(ev breaks.Event) error {
	o := d.shown
	if o == nil || o.Break.Kind != ev.Break.Kind || o.Break.Seq != ev.Break.Seq {
		c, err := d.content(ev.Break)
		if err != nil {
			return err
		}
		o = &c
	}
	d.shown = nil
	if d.Launch != nil {
		if err := d.Launch(*o); err != nil {
			d.Log.Warn("cannot open the break's exercises", "err", err)
		}
	}
	return d.notifier.Show(Message{
		Summary: fmt.Sprintf("%s: %s", capitalised(ev.Break.Kind.Words()), durationLabel(ev.Break.For)),
		Body:    o.Body(d.Catalog),
		Expire:  ev.Break.For,
	})
}

// activeSaveEvery is how often a change of active time alone is saved.
// Each save is a line in the audit trail, so a minute's more activity is
// not worth one; any count, a new day and the shutdown are saved at once.
const activeSaveEvery = 10 * time.Minute

// save keeps the day's figures when they are worth saving.
func (d *Daemon) save(day backcoach.BreakDay) error {
	if d.Stats == nil {
		return nil
	}
	// The saved figures carry the person's id; the engine's do not.
	day.PersonID = d.Person
	last := d.saved
	last.ActiveSeconds = day.ActiveSeconds
	final := d.ctx.Err() != nil
	if !final && last == day && d.Now().Sub(d.savedAt) < activeSaveEvery {
		return nil
	}
	if d.saved == day {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Stats.SaveBreakDay(ctx, d.Person, &day); err != nil {
		return fmt.Errorf("saving the day's break figures: %w", err)
	}
	d.saved, d.savedAt = day, d.Now()
	d.touchedStore = true
	return nil
}

// followZone gives the engine the machine's time zone when it changed. The
// engine never reopens a day already closed, so this cannot bring figures
// back to yesterday.
func (d *Daemon) followZone() {
	if !d.FollowZone {
		return
	}
	loc, ok := SystemZone()
	if !ok || loc.String() == d.zone {
		return
	}
	if d.zone != "" {
		d.Log.Info("time zone changed", "from", d.zone, "to", loc.String())
	}
	d.zone = loc.String()
	d.engine.SetLocation(loc)
}

// answer carries out the person's answer to a reminder.
func (d *Daemon) answer(a Action) {
	var err error
	switch a {
	case ActionDefault, ActionStart:
		err = d.runner.Start(d.ctx, "")
	case ActionSnooze:
		err = d.runner.Snooze(d.ctx)
	case ActionSkip:
		err = d.runner.Skip(d.ctx)
	case ActionDismiss:
		err = d.runner.Dismiss(d.ctx)
	default:
		d.Log.Debug("unknown action", "action", a)
	}
	if err != nil {
		d.Log.Info("reminder answer not applied", "action", a, "err", err)
	}
}

// control answers a request on the control socket.
func (d *Daemon) control(ctx context.Context, req Request) Response {
	err := d.apply(ctx, req)
	if err != nil {
		return failure(err)
	}
	st, err := d.runner.Status(ctx)
	if err != nil {
		return failure(err)
	}
	r := NewStatusReport(st, d.Sensor.Idle.Name())
	return Response{OK: true, Status: &r}
}

// apply carries out a request other than status.
func (d *Daemon) apply(ctx context.Context, req Request) error {
	switch req.Op {
	case OpStatus:
		return nil
	case OpPause:
		return d.pause(ctx, req)
	case OpResume:
		return d.runner.Resume(ctx)
	case OpStart:
		var k breaks.Kind
		if req.Kind != "" {
			var err error
			if k, err = breaks.ParseKind(req.Kind); err != nil {
				return err
			}
		}
		return d.runner.Start(ctx, k)
	case OpSnooze:
		return d.runner.Snooze(ctx)
	case OpSkip:
		return d.runner.Skip(ctx)
	}
	return backcoach.Invalid("op", "must be one of status, pause, resume, start, snooze, skip; got %q", req.Op)
}

// pause applies a pause request: for a duration, or until tomorrow.
func (d *Daemon) pause(ctx context.Context, req Request) error {
	if req.Until != "" {
		if req.Until != "tomorrow" {
			return backcoach.Invalid("until", "must be \"tomorrow\", got %q", req.Until)
		}
		return d.runner.PauseUntilTomorrow(ctx)
	}
	dur, err := time.ParseDuration(req.For)
	if err != nil {
		return backcoach.Invalid("for", "must be a duration such as 1h or 30m, got %q", req.For)
	}
	return d.runner.Pause(ctx, dur)
}

// capitalised returns s with its first letter in upper case (ASCII).
func capitalised(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
