package desktop

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks/offer"
)

// WebCommand is the default command that opens a started break's page in
// the web app. It reads the break from the environment the Launcher sets.
const WebCommand = `xdg-open "$BACKCOACH_BREAK_URL"`

// TerminalShow is what a terminal runs to show a started break: this
// program's 'breaks show', the same exercises the reminder announced.
const TerminalShow = `"$BACKCOACH_SELF" breaks show --kind "$BACKCOACH_BREAK_KIND" --seq "$BACKCOACH_BREAK_SEQ"`

// DefaultWebURL is where the web app listens by default.
const DefaultWebURL = "http://127.0.0.1:8080"

// DefaultGrace is how long a Launcher waits for its command to fail: a
// command still running then (a terminal) or gone without an error (the
// browser took the page) opened the break.
const DefaultGrace = 3 * time.Second

// Launcher opens a started break by running a shell command with the
// break in its environment:
//
//	BACKCOACH_BREAK_KIND       movement or stretch
//	BACKCOACH_BREAK_SEQ        the break's number today (it picks the exercise)
//	BACKCOACH_BREAK_SECONDS    the break's length
//	BACKCOACH_BREAK_EXERCISES  the exercise ids, comma separated (empty for rest)
//	BACKCOACH_BREAK_REST       1 when the break offers rest instead of exercise
//	BACKCOACH_BREAK_URL        the break's page in the web app (see BreakURL)
//	BACKCOACH_SELF             this program
type Launcher struct {
	Command string
	// WebURL is the web app's base address.
	WebURL string
	// Self is this program's path; Env is added to the command's
	// environment (such as BACKCOACH_DB).
	Self string
	Env  []string
	// Grace is how long to wait for the command to fail; DefaultGrace
	// when zero.
	Grace time.Duration
}

// Launch runs the command and waits up to Grace for it to fail: a command
// that cannot start, or that ends with an error meanwhile, opened nothing.
// One still running after Grace is left to run.
func (l *Launcher) Launch(o offer.Offer) error {
	cmd := exec.Command("/bin/sh", "-c", l.Command)
	cmd.Env = append(append(os.Environ(), l.Env...), l.vars(o)...)
	out := &tail{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot run %q: %w", l.Command, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	grace := l.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%q failed (%v)%s", l.Command, err, out.said())
		}
		return nil
	case <-timer.C:
		return nil
	}
}

// vars returns the break's environment variables.
func (l *Launcher) vars(o offer.Offer) []string {
	rest := "0"
	if o.Rest {
		rest = "1"
	}
	return []string{
		"BACKCOACH_BREAK_KIND=" + string(o.Break.Kind),
		"BACKCOACH_BREAK_SEQ=" + strconv.Itoa(o.Break.Seq),
		"BACKCOACH_BREAK_SECONDS=" + strconv.Itoa(int(o.Break.For.Seconds())),
		"BACKCOACH_BREAK_EXERCISES=" + strings.Join(o.IDs(), ","),
		"BACKCOACH_BREAK_REST=" + rest,
		"BACKCOACH_BREAK_URL=" + BreakURL(l.WebURL, o),
		"BACKCOACH_SELF=" + l.Self,
	}
}

// tail keeps the last bytes a command wrote, to say why it failed.
type tail struct {
	mu sync.Mutex
	b  []byte
}

// tailBytes is how much of a command's output is kept.
const tailBytes = 300

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > tailBytes {
		t.b = t.b[len(t.b)-tailBytes:]
	}
	return len(p), nil
}

// said returns what the command wrote, as ": …", or "".
func (t *tail) said() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.Join(strings.Fields(string(bytes.ToValidUTF8(t.b, nil))), " ")
	if s == "" {
		return ""
	}
	return ": " + s
}

// BreakURL is the web app's page for a break (offer.Offer.Path): the
// break's exercises, or the rest and advice it offers, worked out by the
// web app from the same data as the daemon's.
func BreakURL(base string, o offer.Offer) string {
	return strings.TrimRight(base, "/") + o.Path()
}

// Opener opens a started break with the first way that works: the
// person's own command alone when they set one; else the web app's page
// when the web app answers at its address, and a terminal showing the
// break when it does not (or when no browser opened the page).
type Opener struct {
	// Command is the person's own start command; when set, nothing else
	// is tried.
	Command *Launcher
	// Web opens the page at Web.WebURL; nil tries no web app (--terminal).
	Web *Launcher
	// Terminal shows the break in a terminal; nil when none was found, and
	// NoTerminal then says why.
	Terminal   *Launcher
	NoTerminal string
	// Client asks the web app's /healthz; a short timeout keeps a
	// reminder's Start quick.
	Client *http.Client
}

// HealthTimeout bounds the check that the web app answers.
const HealthTimeout = time.Second

// Open opens the break, or says why nothing opened.
func (o *Opener) Open(of offer.Offer) error {
	if o.Command != nil {
		if err := o.Command.Launch(of); err != nil {
			return notOpened([]string{err.Error()})
		}
		return nil
	}
	var why []string
	if o.Web != nil {
		err := o.WebAnswers()
		if err == nil {
			if err = o.Web.Launch(of); err == nil {
				return nil
			}
		}
		why = append(why, err.Error())
	}
	if o.Terminal == nil {
		if o.NoTerminal != "" {
			why = append(why, o.NoTerminal)
		}
		return notOpened(why)
	}
	if err := o.Terminal.Launch(of); err != nil {
		return notOpened(append(why, err.Error()))
	}
	return nil
}

// notOpened is the error of a break nothing could open.
func notOpened(why []string) error {
	return backcoach.Errorf(backcoach.EINTERNAL, "could not open the break: %s", strings.Join(why, "; "))
}

// WebAnswers checks that the web app answers at its address: its /healthz
// says 200 OK within HealthTimeout.
func (o *Opener) WebAnswers() error {
	c := o.Client
	if c == nil {
		c = &http.Client{Timeout: HealthTimeout}
	}
	base := strings.TrimRight(o.Web.WebURL, "/")
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		return fmt.Errorf("no web app answers at %s", base)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answers %s to /healthz: it is not the backcoach web app", base, resp.Status)
	}
	return nil
}

// Terminal is a terminal emulator that can run a command.
type Terminal struct {
	// Name is how the doctor names it; Path the program.
	Name, Path string
	// Run are the arguments before the command to run ("-e", "--").
	Run []string
}

// Command returns a shell command that opens the terminal running cmd, a
// shell command line of its own.
func (t Terminal) Command(cmd string) string {
	parts := []string{shellQuote(t.Path)}
	for _, a := range t.Run {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(append(parts, "/bin/sh", "-c", shellQuote(cmd)), " ")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// terminals are the terminal emulators tried after $TERMINAL, in order,
// with the arguments that make each run a command.
var terminals = []Terminal{
	{Name: "x-terminal-emulator", Run: []string{"-e"}},
	{Name: "gnome-terminal", Run: []string{"--"}},
	{Name: "konsole", Run: []string{"-e"}},
	{Name: "xfce4-terminal", Run: []string{"-x"}},
	{Name: "alacritty", Run: []string{"-e"}},
	{Name: "kitty"},
	{Name: "foot"},
	{Name: "xterm", Run: []string{"-e"}},
}

// FindTerminals looks for a terminal emulator: the one $TERMINAL names
// (run with -e), then the usual ones on PATH. It returns what it found, as
// the doctor shows it, and the one to use (nil when there is none).
func FindTerminals(getenv func(string) string) ([]Finding, *Terminal) {
	candidates := terminals
	if env := getenv("TERMINAL"); env != "" {
		candidates = append([]Terminal{{Name: "$TERMINAL (" + env + ")", Path: env, Run: []string{"-e"}}}, terminals...)
	}
	var found []Finding
	var chosen *Terminal
	for _, t := range candidates {
		prog := t.Path
		if prog == "" {
			prog = t.Name
		}
		path, err := exec.LookPath(prog)
		f := Finding{Name: t.Name, OK: err == nil}
		if err != nil {
			f.Detail = "not installed"
			found = append(found, f)
			continue
		}
		f.Detail = path
		found = append(found, f)
		if chosen == nil {
			t.Path = path
			chosen = &t
		}
	}
	return found, chosen
}

// NoTerminalFound says that no terminal emulator was found.
const NoTerminalFound = "no terminal emulator was found (set $TERMINAL to one, or install xterm)"
