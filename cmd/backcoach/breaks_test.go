package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/desktop"
	"github.com/backcoach/backcoach/desktop/desktoptest"
	"github.com/backcoach/backcoach/store"
)

// syncBuffer is a buffer that a command running in the background writes
// while the test reads.
type syncBuffer = desktoptest.Buffer

// runCLIContext runs the command in-process until it ends or ctx does.
func runCLIContext(ctx context.Context, stdout, stderr *syncBuffer, args ...string) int {
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, now: time.Now}
	return run(a, args)
}

// breaksEnv isolates the commands' runtime and config directories.
func breaksEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", run)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	return dir
}

func TestBreaksStatusWithoutDaemon(t *testing.T) {
	breaksEnv(t)
	for _, args := range [][]string{{"breaks", "status"}, {"breaks", "status", "--json"}, {"breaks", "pause"}} {
		r := runCLI(t, "", args...)
		if r.status == 0 || !strings.Contains(r.stderr, "no break reminder is running") || r.stdout != "" {
			t.Errorf("%v without a daemon: status %d, stdout %q, stderr %q", args, r.status, r.stdout, r.stderr)
		}
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	if r := runCLI(t, "", "breaks", "status"); r.status != exitBadInput || !strings.Contains(r.stderr, "XDG_RUNTIME_DIR") {
		t.Errorf("without XDG_RUNTIME_DIR: %d %q", r.status, r.stderr)
	}
}

func TestBreaksRunRejectsBadSettings(t *testing.T) {
	dir := breaksEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--movement-every", "10x"}, "movement-every: must be a duration"},
		{[]string{"--movement-for", "31m"}, "movement-for: must be shorter than movement-every"},
		{[]string{"--reset-hour", "25"}, "reset-hour: must be an hour from 0 to 23"},
		{[]string{"--web-url", "localhost"}, "--web-url: must start with http://"},
		{[]string{"--config", filepath.Join(dir, "missing.conf")}, "--config: cannot read"},
	} {
		r := runCLI(t, "", append([]string{"breaks", "run"}, tc.args...)...)
		if r.status != exitBadInput || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: status %d, stderr %q, want %q", tc.args, r.status, r.stderr, tc.want)
		}
	}
	conf := filepath.Join(dir, "config", "backcoach", "breaks.conf")
	if err := os.MkdirAll(filepath.Dir(conf), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("movement-evry = 1m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "breaks", "run"); r.status != exitBadInput || !strings.Contains(r.stderr, `line 1: unknown setting "movement-evry"`) {
		t.Errorf("bad default config file: %d %q", r.status, r.stderr)
	}
}

func TestBreaksInstallAutostart(t *testing.T) {
	dir := breaksEnv(t)
	db := filepath.Join(dir, "my data.db")
	r := runCLI(t, "", "--db", db, "breaks", "install")
	entry := filepath.Join(dir, "config", "autostart", "backcoach-breaks.desktop")
	if r.status != 0 || !strings.Contains(r.stdout, entry) {
		t.Fatalf("install: %d %q %q", r.status, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(entry)
	self, _ := os.Executable()
	if err != nil || !strings.Contains(string(b), "Exec="+self+` --db "`+db+`" breaks run`) {
		t.Fatalf("entry %s (%v)", b, err)
	}
	r = runCLI(t, "", "breaks", "install", "--how", "systemd", "--no-enable")
	unit := filepath.Join(dir, "config", "systemd", "user", "backcoach-breaks.service")
	if r.status != 0 || !strings.Contains(r.stdout, "systemctl --user enable --now") {
		t.Fatalf("install --how systemd: %d %q %q", r.status, r.stdout, r.stderr)
	}
	if b, err := os.ReadFile(unit); err != nil || !strings.Contains(string(b), "ExecStart="+self) {
		t.Fatalf("unit %s (%v)", b, err)
	}
	r = runCLI(t, "", "breaks", "uninstall")
	if r.status != 0 || !strings.Contains(r.stdout, entry) || !strings.Contains(r.stdout, unit) {
		t.Fatalf("uninstall: %d %q %q", r.status, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "breaks", "uninstall"); !strings.Contains(r.stdout, "Nothing to remove") {
		t.Fatalf("second uninstall: %q", r.stdout)
	}
}

func TestBreaksConfigIsReadBack(t *testing.T) {
	dir := breaksEnv(t)
	r := runCLI(t, "", "breaks", "config")
	want := filepath.Join(dir, "config", "backcoach", "breaks.conf")
	if r.status != 0 || !strings.Contains(r.stdout, want) {
		t.Fatalf("config: %d %q", r.status, r.stdout)
	}
	if err := os.MkdirAll(filepath.Dir(want), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(want, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"1. a flag of 'backcoach breaks run'", "4. the Break reminders settings saved in backcoach", "# movement-every = 30m"} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("breaks config does not say %q:\n%s", line, r.stdout)
		}
	}
	c := breaksRunCmd{}
	s, err := c.settings()
	_, timed := s["movement-every"]
	if err != nil || timed || s["web-url"] != "http://127.0.0.1:8080" {
		t.Fatalf("printed config read back: %v, %v; want no timing, which the saved settings give", s, err)
	}
}

// TestBreaksRunStartsFromSavedSettings checks the order of the daemon's
// settings: the saved Break reminders settings over the defaults, the
// settings file over those, and a flag over everything.
func TestBreaksRunStartsFromSavedSettings(t *testing.T) {
	dir := breaksEnv(t)
	db := filepath.Join(dir, "b.db")
	a := &app{ctx: context.Background(), now: time.Now, globals: &Globals{DB: db}}
	data, err := a.openTerminalData()
	if err != nil {
		t.Fatal(err)
	}
	defer data.st.Close()
	cfg, err := savedConfig(a, data)
	if err != nil || cfg.Movement.Every != breaks.DefaultMovementEvery {
		t.Fatalf("without saved settings: %v, %v; want the defaults", cfg.Movement, err)
	}
	saved := backcoach.DefaultBreakSettings()
	saved.MovementEveryMinutes, saved.StretchEveryMinutes, saved.SnoozeMinutes = 45, 0, 10
	if err := data.st.SaveBreakSettings(a.ctx, data.person, &saved); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "config", "backcoach", "breaks.conf")
	if err := os.MkdirAll(filepath.Dir(conf), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("snooze-for = 3m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = savedConfig(a, data)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := (&breaksRunCmd{StretchFor: "4m"}).settings()
	if err != nil {
		t.Fatal(err)
	}
	if err := desktop.ApplySettings(&cfg, settings); err != nil {
		t.Fatal(err)
	}
	if cfg.Movement.Every != 45*time.Minute || cfg.Stretch.Enabled() || cfg.SnoozeFor != 3*time.Minute || cfg.Stretch.For != 4*time.Minute {
		t.Errorf("saved settings, file and flag give movement %v, stretch %v, snooze %v", cfg.Movement, cfg.Stretch, cfg.SnoozeFor)
	}
}

func TestBreaksShowInTheTerminal(t *testing.T) {
	breaksEnv(t)
	r := runCLI(t, "", "breaks", "show", "--kind", "stretch", "--seq", "2")
	if r.status != 0 || !strings.Contains(r.stdout, "Time for a stretch break (5 min)") || strings.Count(r.stdout, "\nSteps\n") != 3 {
		t.Fatalf("show: %d %q\n%s", r.status, r.stderr, r.stdout)
	}
}

func TestBreaksDoctor(t *testing.T) {
	breaksEnv(t)
	d := desktoptest.Start(t, desktoptest.Options{})
	d.Setenv(t)
	r := runCLI(t, "", "breaks", "doctor")
	if r.status != 0 || !strings.Contains(r.stdout, "x11-screensaver") || !strings.Contains(r.stdout, "<- used") ||
		!strings.Contains(r.stdout, "dunst") || !strings.Contains(r.stdout, "uses x11-screensaver") {
		t.Fatalf("doctor: %d %q\n%s", r.status, r.stderr, r.stdout)
	}
	r = runCLI(t, "", "breaks", "doctor", "--json")
	var rep doctorReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.IdleSource != "x11-screensaver" || !rep.Notifications.OK || rep.Daemon.OK {
		t.Fatalf("doctor --json: %v %+v\n%s", err, rep, r.stdout)
	}

	// With neither display nor bus there is no idle time: non-zero.
	t.Setenv("DISPLAY", "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(d.Dir, "nobus"))
	r = runCLI(t, "", "breaks", "doctor")
	if r.status == 0 || !strings.Contains(r.stdout, "No idle-time source") {
		t.Fatalf("doctor without sources: %d\n%s", r.status, r.stdout)
	}
	if r := runCLI(t, "", "breaks", "run"); r.status == 0 || !strings.Contains(r.stderr, "no idle-time source") {
		t.Fatalf("run without sources: %d %q", r.status, r.stderr)
	}
}

func TestBreaksRunStatusPauseResume(t *testing.T) {
	dir := breaksEnv(t)
	d := desktoptest.Start(t, desktoptest.Options{})
	d.Setenv(t)
	conf := filepath.Join(dir, "breaks.conf")
	if err := os.WriteFile(conf, []byte("movement-every = 1h\nstretch-every = 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "data.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		// The flag wins over the file.
		done <- runCLIContext(ctx, &out, &errb, "--db", db, "breaks", "run", "--config", conf,
			"--movement-every", "40s", "--movement-for", "2s", "--start-command", "true", "-v")
	}()
	socket := filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "backcoach", "breaks.sock")
	desktoptest.WaitUntil(t, 10*time.Second, "the daemon's socket", func() bool {
		_, err := os.Stat(socket)
		return err == nil
	})

	r := runCLI(t, "", "breaks", "status", "--json")
	if r.status != 0 {
		t.Fatalf("status --json: %d %q", r.status, r.stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if keys := sortedKeys(got); !reflect.DeepEqual(keys, []string{"idle_source", "next", "paused_until", "today"}) {
		t.Fatalf("status keys %v:\n%s", keys, r.stdout)
	}
	today := got["today"].(map[string]any)
	if keys := sortedKeys(today); !reflect.DeepEqual(keys, []string{"active_seconds", "due", "natural", "skipped", "snoozed", "taken"}) {
		t.Fatalf("today keys %v", keys)
	}
	next := got["next"].([]any)
	first := next[0].(map[string]any)
	if len(next) != 1 || first["kind"] != "movement" || first["due_in_seconds"].(float64) > 40 || got["paused_until"] != nil || got["idle_source"] != "x11-screensaver" {
		t.Fatalf("status:\n%s", r.stdout)
	}

	r = runCLI(t, "", "breaks", "pause", "--for", "30m")
	if r.status != 0 || !strings.Contains(r.stdout, "paused until") {
		t.Fatalf("pause: %d %q %q", r.status, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "breaks", "status"); !strings.Contains(r.stdout, "paused until") || !strings.Contains(r.stdout, "Next movement break in") {
		t.Fatalf("status while paused:\n%s", r.stdout)
	}
	if r := runCLI(t, "", "breaks", "pause", "--for", "13h"); r.status != exitBadInput || !strings.Contains(r.stderr, "from 1m0s to 12h0m0s") {
		t.Fatalf("pause 13h: %d %q", r.status, r.stderr)
	}
	if r := runCLI(t, "", "breaks", "resume"); r.status != 0 {
		t.Fatalf("resume: %d %q", r.status, r.stderr)
	}
	if r := runCLI(t, "", "breaks", "start", "nap"); r.status != exitBadInput || !strings.Contains(r.stderr, `kind: must be "movement" or "stretch"`) {
		t.Fatalf("start nap: %d %q", r.status, r.stderr)
	}
	if r := runCLI(t, "", "breaks", "start"); r.status != 0 {
		t.Fatalf("start: %d %q", r.status, r.stderr)
	}
	// A second daemon is refused.
	var out2, err2 syncBuffer
	if st := runCLIContext(ctx, &out2, &err2, "--db", db, "breaks", "run"); st != exitBadInput || !strings.Contains(err2.String(), "running already") {
		t.Fatalf("second daemon: %d %q", st, err2.String())
	}

	cancel()
	select {
	case st := <-done:
		if st != 0 {
			t.Fatalf("daemon exited %d: %s", st, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	// -v logged the readings and the decisions.
	log := errb.String()
	for _, want := range []string{
		`msg="idle reading" source=x11-screensaver idle_seconds=`, `msg="lock reading" source=x11-screensaver locked=false`,
		`msg="quiet reading" source=dunst-paused quiet=false`, "msg=reading locked=false", "msg=reading quiet=false",
		`decision="break started" kind=movement seq=1`, "decision=taken today=1",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("breaks run -v did not log %q:\n%s", want, log)
		}
	}
	if n := strings.Count(log, `msg="idle reading"`); n > 3 {
		t.Errorf("%d idle readings logged in a few seconds without input:\n%s", n, log)
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := localPerson(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	days, err := st.BreakDays(context.Background(), p.ID, "", "")
	if err != nil || len(days) != 1 || days[0].Taken != 1 {
		t.Fatalf("saved days %+v, %v", days, err)
	}
}

func sortedKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
