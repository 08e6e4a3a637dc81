package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/desktop"
)

// breakCmds are the movement-break reminder's commands.
type breakCmds struct {
	Breaks breaksCmd `cmd:"" help:"Movement-break reminders for desk work: the desktop daemon and its controls."`
}

// breaksCmd groups the break reminder's sub-commands.
type breaksCmd struct {
	Run       breaksRunCmd       `cmd:"" help:"Run the break reminder in the foreground (what the service runs)."`
	Status    breaksStatusCmd    `cmd:"" help:"Show the time to each next break and today's figures, from the running daemon."`
	Doctor    breaksDoctorCmd    `cmd:"" help:"Say which idle-time, screen-lock, quiet-mode and notification sources this desktop has, and which are used."`
	Pause     breaksPauseCmd     `cmd:"" help:"Pause reminders for a while (default an hour) or until tomorrow."`
	Resume    breaksResumeCmd    `cmd:"" help:"End a pause."`
	Start     breaksStartCmd     `cmd:"" help:"Take a break now (or the one on offer)."`
	Snooze    breaksSnoozeCmd    `cmd:"" help:"Snooze the break on offer."`
	Skip      breaksSkipCmd      `cmd:"" help:"Skip the break on offer."`
	Install   breaksInstallCmd   `cmd:"" help:"Start the reminder with the desktop: a systemd user unit, or an XDG autostart entry where there is no systemd user session."`
	Uninstall breaksUninstallCmd `cmd:"" help:"Stop the reminder starting with the desktop and remove its unit or entry."`
	Config    breaksConfigCmd    `cmd:"" help:"Print a settings file with the defaults, and where 'breaks run' looks for it."`
	Show      breaksShowCmd      `cmd:"" hidden:"" help:"Show a break's exercises in the terminal (what Start opens with --terminal)."`
}

// breaksConfigCmd prints the example settings file.
type breaksConfigCmd struct{}

func (c *breaksConfigCmd) Run(a *app) error {
	path := "$XDG_CONFIG_HOME/backcoach/breaks.conf"
	if dir, err := os.UserConfigDir(); err == nil {
		path = filepath.Join(dir, "backcoach", "breaks.conf")
	}
	fmt.Fprintf(a.stdout, "# Save as %s (or pass --config FILE).\n%s%s", path, desktop.SettingsOrder, desktop.ExampleConfig)
	return nil
}

// breaksRunCmd runs the daemon. Its settings have no defaults here: unset,
// they come from the config file, then from the engine's defaults.
type breaksRunCmd struct {
	MovementEvery string `name:"movement-every" env:"BACKCOACH_MOVEMENT_EVERY" placeholder:"30m" help:"Active time before a movement break (a Go duration; 0 turns them off)."`
	MovementFor   string `name:"movement-for" env:"BACKCOACH_MOVEMENT_FOR" placeholder:"1m" help:"Length of a movement break."`
	StretchEvery  string `name:"stretch-every" env:"BACKCOACH_STRETCH_EVERY" placeholder:"90m" help:"Active time before a stretch break (0 turns them off)."`
	StretchFor    string `name:"stretch-for" env:"BACKCOACH_STRETCH_FOR" placeholder:"5m" help:"Length of a stretch break."`
	DailyLimit    string `name:"daily-limit" env:"BACKCOACH_DAILY_LIMIT" placeholder:"0" help:"The most computer time wanted a day (0: no limit)."`
	ResetHour     string `name:"reset-hour" env:"BACKCOACH_RESET_HOUR" placeholder:"4" help:"The local hour at which a new day's figures begin."`
	SnoozeFor     string `name:"snooze-for" env:"BACKCOACH_SNOOZE_FOR" placeholder:"5m" help:"How long Snooze puts a break off."`
	MaxSnoozes    string `name:"max-snoozes" env:"BACKCOACH_MAX_SNOOZES" placeholder:"3" help:"How often one break may be snoozed."`
	Terminal      bool   `name:"terminal" env:"BACKCOACH_TERMINAL" help:"Start opens the exercise in a terminal instead of the web app."`
	WebURL        string `name:"web-url" env:"BACKCOACH_WEB_URL" placeholder:"URL" help:"The web app's address (default http://127.0.0.1:8080)."`
	StartCommand  string `name:"start-command" env:"BACKCOACH_START_COMMAND" placeholder:"CMD" help:"Shell command that opens a started break; it gets BACKCOACH_BREAK_KIND, _SEQ, _EXERCISES, _URL... in its environment."`
	Config        string `name:"config" env:"BACKCOACH_BREAKS_CONFIG" placeholder:"FILE" help:"Settings file, one 'name = value' a line with the flags' names (default $$XDG_CONFIG_HOME/backcoach/breaks.conf)."`
	Verbose       bool   `short:"v" help:"Log every reading and decision."`
}

func (c *breaksRunCmd) Run(a *app) error {
	settings, err := c.settings()
	if err != nil {
		return err
	}
	log := breaksLog(a, c.Verbose)
	data, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer data.st.Close()
	cfg, err := savedConfig(a, data)
	if err != nil {
		return err
	}
	if err := desktop.ApplySettings(&cfg, settings); err != nil {
		return err
	}
	opener, err := c.opener(a, settings)
	if err != nil {
		return err
	}
	socket, err := desktop.SocketPath()
	if err != nil {
		return err
	}
	sess := desktop.Connect(log)
	defer sess.Close()
	probe := desktop.Find(sess, log)
	if probe.Sensor == nil {
		return backcoach.Errorf(backcoach.EINVALID, "%v", desktop.ErrNoIdleSource)
	}
	if probe.Warning != "" {
		log.Warn(probe.Warning)
	}
	offers := data.coach.BreakOffers(data.person, map[breaks.Kind]int{breaks.Movement: cfg.Movement.Exercises, breaks.Stretch: cfg.Stretch.Exercises})
	d := &desktop.Daemon{
		Config: cfg, Session: sess, Sensor: probe.Sensor, Catalog: a.catalog,
		Offers: offers, Stats: data.st, Person: data.person,
		Launch: opener.Open, Socket: socket, Log: log,
		FollowZone: data.profile.TimeZone == backcoach.DefaultTimeZone,
	}
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return d.Run(ctx)
}

// savedConfig is the reminder's configuration before the settings file
// and the flags: the break settings the person saved (in the web app's
// Settings or through the API), or the defaults when they saved none.
func savedConfig(a *app, data *terminalData) (breaks.Config, error) {
	saved, err := data.st.BreakSettings(a.ctx, data.person)
	if err != nil {
		return breaks.Config{}, err
	}
	if !saved.Saved() {
		cfg := breaks.DefaultConfig()
		cfg.Location = data.loc
		return cfg, nil
	}
	return breaks.ConfigFrom(*saved, data.loc), nil
}

// settings merges the flags (and their environment variables) over the
// config file.
func (c *breaksRunCmd) settings() (map[string]string, error) {
	s, err := readBreaksConfig(c.Config)
	if err != nil {
		return nil, err
	}
	for name, v := range map[string]string{
		desktop.SetMovementEvery: c.MovementEvery, desktop.SetMovementFor: c.MovementFor,
		desktop.SetStretchEvery: c.StretchEvery, desktop.SetStretchFor: c.StretchFor,
		desktop.SetDailyLimit: c.DailyLimit, desktop.SetResetHour: c.ResetHour,
		desktop.SetSnoozeFor: c.SnoozeFor, desktop.SetMaxSnoozes: c.MaxSnoozes,
		desktop.SetWebURL: c.WebURL, desktop.SetStartCommand: c.StartCommand,
	} {
		if v != "" {
			s[name] = v
		}
	}
	if c.Terminal {
		s[desktop.SetTerminal] = "true"
	}
	return s, nil
}

// readBreaksConfig reads the settings file; a missing default file is no
// settings, a missing named one an error.
func readBreaksConfig(path string) (map[string]string, error) {
	named := path != ""
	if !named {
		dir, err := os.UserConfigDir()
		if err != nil {
			return map[string]string{}, nil
		}
		path = filepath.Join(dir, "backcoach", "breaks.conf")
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
	case errors.Is(err, os.ErrNotExist) && !named:
		return map[string]string{}, nil
	default:
		return nil, backcoach.Invalid("--config", "cannot read %s: %v", path, err)
	}
	s, err := desktop.ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// opener returns what opens a started break: the person's own command;
// else the web app when it answers, and a terminal when it does not; or,
// with --terminal, a terminal only.
func (c *breaksRunCmd) opener(a *app, s map[string]string) (*desktop.Opener, error) {
	terminal, err := desktop.Bool(s, desktop.SetTerminal)
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find this program's path: %w", err)
	}
	base := desktop.Launcher{WebURL: desktop.DefaultWebURL, Self: self}
	if v := s[desktop.SetWebURL]; v != "" {
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			return nil, backcoach.Invalid("--web-url", "must start with http:// or https://, got %q", v)
		}
		base.WebURL = v
	}
	if a.globals.DB != "" {
		base.Env = append(base.Env, "BACKCOACH_DB="+a.globals.DB)
	}
	launcher := func(command string) *desktop.Launcher {
		l := base
		l.Command = command
		return &l
	}
	o := &desktop.Opener{}
	if v := s[desktop.SetStartCommand]; v != "" {
		o.Command = launcher(v)
		return o, nil
	}
	if !terminal {
		o.Web = launcher(desktop.WebCommand)
	}
	if _, t := desktop.FindTerminals(os.Getenv); t != nil {
		o.Terminal = launcher(t.Command(desktop.TerminalShow))
	} else {
		o.NoTerminal = desktop.NoTerminalFound
	}
	return o, nil
}

// breaksLog is the daemon's log: info and up on stderr, or everything with
// --verbose.
func breaksLog(a *app, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
}

// breaksStatusCmd shows the daemon's state.
type breaksStatusCmd struct {
	JSON bool `name:"json" help:"Print the state as JSON."`
}

func (c *breaksStatusCmd) Run(a *app) error {
	st, err := callDaemon(a, desktop.Request{Op: desktop.OpStatus})
	if err != nil {
		return err
	}
	if c.JSON {
		return writeJSON(a.stdout, st)
	}
	printBreaksStatus(a, st)
	return nil
}

// callDaemon sends a request to the running daemon. With none running it
// says so and fails.
func callDaemon(a *app, req desktop.Request) (*desktop.StatusReport, error) {
	socket, err := desktop.SocketPath()
	if err != nil {
		return nil, err
	}
	resp, err := desktop.Call(a.ctx, socket, req)
	if errors.Is(err, desktop.ErrNoDaemon) {
		fmt.Fprintln(a.stderr, "backcoach: no break reminder is running. Start it with 'backcoach breaks run', or with the desktop: 'backcoach breaks install'.")
		return nil, errSilent{exitInternal}
	}
	if err != nil {
		return nil, err
	}
	if err := resp.Err(); err != nil {
		return nil, err
	}
	return resp.Status, nil
}

// printBreaksStatus writes the state for a person to read.
func printBreaksStatus(a *app, s *desktop.StatusReport) {
	w := a.stdout
	for _, n := range s.Next {
		if n.DueInSeconds == 0 {
			fmt.Fprintf(w, "A %s is due now.\n", n.Kind.Words())
			continue
		}
		fmt.Fprintf(w, "Next %s in %s of computer time.\n", n.Kind.Words(), minutesWords(n.DueInSeconds))
	}
	if s.PausedUntil != nil {
		fmt.Fprintf(w, "Reminders are paused until %s.\n", s.PausedUntil.In(a.now().Location()).Format("Mon 15:04"))
	}
	t := s.Today
	fmt.Fprintf(w, "Today: %d due, %d taken, %d taken naturally, %d snoozed, %d skipped; %s at the computer.\n",
		t.Due, t.Taken, t.Natural, t.Snoozed, t.Skipped, minutesWords(t.ActiveSeconds))
	fmt.Fprintf(w, "Idle time from %s.\n", s.IdleSource)
}

// breaksPauseCmd pauses reminders.
type breaksPauseCmd struct {
	For      time.Duration `name:"for" default:"1h" help:"How long to pause (a Go duration, 1m to 12h)."`
	Tomorrow bool          `help:"Pause until tomorrow (the reset hour) instead."`
}

func (c *breaksPauseCmd) Run(a *app) error {
	req := desktop.Request{Op: desktop.OpPause, For: c.For.String()}
	if c.Tomorrow {
		req = desktop.Request{Op: desktop.OpPause, Until: "tomorrow"}
	}
	st, err := callDaemon(a, req)
	if err != nil {
		return err
	}
	if st.PausedUntil != nil {
		fmt.Fprintf(a.stdout, "Reminders are paused until %s.\n", st.PausedUntil.In(a.now().Location()).Format("Mon 15:04"))
	}
	return nil
}

// breaksResumeCmd ends a pause.
type breaksResumeCmd struct{}

func (c *breaksResumeCmd) Run(a *app) error {
	if _, err := callDaemon(a, desktop.Request{Op: desktop.OpResume}); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "Reminders are on.")
	return nil
}

// breaksStartCmd starts a break.
type breaksStartCmd struct {
	Kind string `arg:"" optional:"" help:"movement or stretch (default: the break on offer, else movement)."`
}

func (c *breaksStartCmd) Run(a *app) error {
	if _, err := callDaemon(a, desktop.Request{Op: desktop.OpStart, Kind: c.Kind}); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "Break started.")
	return nil
}

// breaksSnoozeCmd snoozes the break on offer.
type breaksSnoozeCmd struct{}

func (c *breaksSnoozeCmd) Run(a *app) error {
	return putOff(a, desktop.OpSnooze)
}

// breaksSkipCmd skips the break on offer.
type breaksSkipCmd struct{}

func (c *breaksSkipCmd) Run(a *app) error {
	return putOff(a, desktop.OpSkip)
}

// putOff snoozes or skips the break on offer and says what was done.
func putOff(a *app, op string) error {
	before, err := callDaemon(a, desktop.Request{Op: desktop.OpStatus})
	if err != nil {
		return err
	}
	after, err := callDaemon(a, desktop.Request{Op: op})
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, putOffWords(op, before, after))
	return nil
}

// putOffWords says what a snooze or a skip did: which break, and when it
// or the next one comes.
func putOffWords(op string, before, after *desktop.StatusReport) string {
	var kind breaks.Kind
	for _, n := range before.Next {
		if n.DueInSeconds == 0 {
			kind = n.Kind
			break
		}
	}
	if kind == "" && len(before.Next) > 0 {
		kind = before.Next[0].Kind
	}
	due := -1
	for _, n := range after.Next {
		if n.Kind == kind {
			due = n.DueInSeconds
		}
	}
	name := "the break"
	if kind != "" {
		name = "the " + kind.Words()
	}
	switch {
	case op == desktop.OpSnooze && due > 0:
		return fmt.Sprintf("Snoozed %s: it comes back in %s.", name, minutesWords(due))
	case op == desktop.OpSnooze:
		return fmt.Sprintf("Snoozed %s.", name)
	case due > 0:
		return fmt.Sprintf("Skipped %s: the next one is in %s of computer time. %s", name, minutesWords(due), countedWords(after.Today.Skipped, "skipped"))
	default:
		return fmt.Sprintf("Skipped %s. %s", name, countedWords(after.Today.Skipped, "skipped"))
	}
}

// countedWords says how many breaks were put off one way today.
func countedWords(n int, how string) string {
	if n == 1 {
		return "1 break " + how + " today."
	}
	return fmt.Sprintf("%d breaks %s today.", n, how)
}

// breaksDoctorCmd reports what the desktop offers.
type breaksDoctorCmd struct {
	JSON bool `name:"json" help:"Print the findings as JSON."`
}

// doctorReport is what the doctor found.
type doctorReport struct {
	Idle          []desktop.Finding `json:"idle"`
	IdleSource    string            `json:"idle_source"`
	Warning       string            `json:"warning,omitempty"`
	Locks         []desktop.Finding `json:"locks"`
	Quiet         []desktop.Finding `json:"quiet"`
	Notifications desktop.Finding   `json:"notifications"`
	Daemon        desktop.Finding   `json:"daemon"`
}

func (c *breaksDoctorCmd) Run(a *app) error {
	sess := desktop.Connect(nil)
	defer sess.Close()
	probe := desktop.Find(sess, nil)
	r := doctorReport{Idle: probe.Idle, Locks: probe.Locks, Quiet: probe.Quiet, Warning: probe.Warning,
		Notifications: notificationFinding(sess), Daemon: daemonFinding(a.ctx)}
	if probe.Sensor != nil {
		r.IdleSource = probe.Sensor.Idle.Name()
	}
	if c.JSON {
		if err := writeJSON(a.stdout, r); err != nil {
			return err
		}
	} else {
		printDoctor(a, r)
	}
	if probe.Sensor == nil {
		return errSilent{exitInternal}
	}
	return nil
}

// notificationFinding says which notification daemon answers.
func notificationFinding(sess *desktop.Session) desktop.Finding {
	f := desktop.Finding{Name: "org.freedesktop.Notifications"}
	nt, err := desktop.NewNotifier(sess.Bus, func(desktop.Action) {}, nil)
	if err != nil {
		f.Detail = err.Error()
		return f
	}
	defer nt.Shutdown()
	info, err := nt.Server()
	if err != nil {
		f.Detail = err.Error()
		return f
	}
	f.OK = true
	f.Detail = fmt.Sprintf("%s %s (%s)", info.Name, info.Version, info.Vendor)
	if !info.Actions {
		f.Detail += "; it shows no buttons: use 'backcoach breaks start/snooze/skip'"
	}
	return f
}

// daemonFinding says whether a daemon runs.
func daemonFinding(ctx context.Context) desktop.Finding {
	f := desktop.Finding{Name: "daemon"}
	socket, err := desktop.SocketPath()
	if err != nil {
		f.Detail = backcoach.ErrorMessage(err)
		return f
	}
	resp, err := desktop.Call(ctx, socket, desktop.Request{Op: desktop.OpStatus})
	if err != nil {
		f.Detail = err.Error()
		return f
	}
	f.OK = resp.OK
	f.Detail = "running, answering on " + socket
	return f
}

// printDoctor writes the findings for a person to read.
func printDoctor(a *app, r doctorReport) {
	w := a.stdout
	section := func(title string, fs []desktop.Finding, used string) {
		fmt.Fprintln(w, title)
		for _, f := range fs {
			mark := "no "
			if f.OK {
				mark = "yes"
			}
			note := ""
			if used != "" && f.Name == used {
				note = "  <- used"
			}
			fmt.Fprintf(w, "  %s  %-30s %s%s\n", mark, f.Name, f.Detail, note)
		}
	}
	section("Idle time (the first that works is used):", r.Idle, r.IdleSource)
	if r.Warning != "" {
		fmt.Fprintf(w, "  warning: %s\n", r.Warning)
	}
	section("Screen lock and sleep (any that works is used):", r.Locks, "")
	section("Quiet mode (any that works is used):", r.Quiet, "")
	section("Notifications:", []desktop.Finding{r.Notifications}, "")
	section("Break reminder:", []desktop.Finding{r.Daemon}, "")
	if r.IdleSource == "" {
		fmt.Fprintln(w, "\nNo idle-time source: the break reminder cannot run in this session.")
		return
	}
	fmt.Fprintf(w, "\nThe break reminder uses %s for idle time.\n", r.IdleSource)
}

// breaksInstallCmd installs the start-up file.
type breaksInstallCmd struct {
	How      string `name:"how" enum:"auto,systemd,autostart" default:"auto" help:"auto (systemd when there is a systemd user session), systemd, or autostart."`
	NoEnable bool   `help:"Write the systemd unit without enabling and starting it."`
}

func (c *breaksInstallCmd) Run(a *app) error {
	in, err := breaksInstall(a, c.How, !c.NoEnable)
	if err != nil {
		return err
	}
	done, err := in.Install()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Wrote %s.\n", done.Path)
	switch {
	case done.Enabled:
		fmt.Fprintf(a.stdout, "Enabled and started %s; 'backcoach breaks status' shows it working.\n", desktop.UnitName)
	case done.How == desktop.StartSystemd:
		fmt.Fprintf(a.stdout, "Enable it with: systemctl --user enable --now %s\n", desktop.UnitName)
	default:
		fmt.Fprintln(a.stdout, "No systemd user session here: the reminder starts at your next log-in (or run 'backcoach breaks run' now).")
	}
	return nil
}

// breaksInstall returns the install settings with this program's command
// line.
func breaksInstall(a *app, how string, enable bool) (*desktop.Install, error) {
	in, err := desktop.NewInstall()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find this program's path: %w", err)
	}
	in.How, in.Enable = how, enable
	in.Command = []string{self}
	if a.globals.DB != "" {
		dsn := a.globals.DB
		if !strings.Contains(dsn, "://") {
			if dsn, err = filepath.Abs(dsn); err != nil {
				return nil, err
			}
		}
		in.Command = append(in.Command, "--db", dsn)
	}
	in.Command = append(in.Command, "breaks", "run")
	return in, nil
}

// breaksUninstallCmd removes the start-up file.
type breaksUninstallCmd struct{}

func (c *breaksUninstallCmd) Run(a *app) error {
	in, err := breaksInstall(a, desktop.StartAuto, true)
	if err != nil {
		return err
	}
	removed, err := in.Uninstall()
	for _, r := range removed {
		fmt.Fprintf(a.stdout, "Removed %s.\n", r.Path)
	}
	if err != nil {
		return err
	}
	if len(removed) == 0 {
		fmt.Fprintln(a.stdout, "Nothing to remove: the break reminder was not installed.")
	}
	return nil
}

// breaksShowCmd shows a break's exercises, or its advice, in the terminal.
type breaksShowCmd struct {
	Kind string `name:"kind" enum:"movement,stretch" default:"movement" help:"The kind of break."`
	Seq  int    `name:"seq" default:"1" help:"The break's number today; it picks the exercise."`
}

func (c *breaksShowCmd) Run(a *app) error {
	data, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer data.st.Close()
	cfg := breaks.DefaultConfig()
	k := breaks.Kind(c.Kind)
	b := breaks.Break{Kind: k, For: cfg.Rule(k).For, Seq: c.Seq}
	o, err := data.coach.BreakOffer(a.ctx, data.person, b, max(cfg.Rule(k).Exercises, 1), a.now().In(data.loc).Format(backcoach.DateLayout))
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, o.Summary())
	fmt.Fprintln(a.stdout)
	if o.Rest {
		fmt.Fprintln(a.stdout, o.Body(a.catalog))
	}
	for _, x := range o.Exercises {
		if err := (&exerciseCmd{ID: x.ID, Picture: true}).Run(a); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
	}
	if a.interactive {
		fmt.Fprint(a.stdout, "Press Enter to close.")
		_, _ = bufio.NewReader(a.stdin).ReadString('\n')
	}
	return nil
}
