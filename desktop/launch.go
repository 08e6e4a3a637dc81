package desktop

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/backcoach/backcoach/breaks/offer"
)

// The default commands that open a started break. They read the break
// from the environment the Launcher sets.
const (
	WebCommand      = `xdg-open "$BACKCOACH_BREAK_URL"`
	TerminalCommand = `x-terminal-emulator -e "$BACKCOACH_SELF" breaks show --kind "$BACKCOACH_BREAK_KIND" --seq "$BACKCOACH_BREAK_SEQ"`
)

// DefaultWebURL is where the web app listens by default.
const DefaultWebURL = "http://127.0.0.1:8080"

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
}

// Launch runs the command without waiting for it.
func (l *Launcher) Launch(o offer.Offer) error {
	cmd := exec.Command("/bin/sh", "-c", l.Command)
	cmd.Env = append(append(os.Environ(), l.Env...), l.vars(o)...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot run %q: %w", l.Command, err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
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

// BreakURL is the web app's page for a break (offer.Offer.Path): the
// break's exercises, or the rest and advice it offers, worked out by the
// web app from the same data as the daemon's.
func BreakURL(base string, o offer.Offer) string {
	return strings.TrimRight(base, "/") + o.Path()
}
