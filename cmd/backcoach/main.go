// Command backcoach is the upper-back pain coach: it checks that exercise is
// safe, builds a short routine and keeps the person's history. This file
// parses the command line and maps errors to exit codes; each command lives
// in a file of its own.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/alecthomas/kong"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit statuses: 0 success, 2 bad input, 1 an internal fault.
const (
	exitOK       = 0
	exitInternal = 1
	exitBadInput = 2
)

// Globals are the flags every command shares.
type Globals struct {
	DB      string           `name:"db" env:"BACKCOACH_DB" placeholder:"DSN" help:"Where data is kept: a SQLite file path, or postgres://... for a clinic server. Default: $$XDG_DATA_HOME/backcoach/backcoach.db."`
	Version kong.VersionFlag `help:"Print the version and exit."`
}

// cli is the whole command line.
type cli struct {
	Globals

	Exercises exercisesCmd `cmd:"" help:"List the exercises, optionally filtered by place, equipment or gentleness."`
	Exercise  exerciseCmd  `cmd:"" help:"Show one exercise: steps, dose, cautions, sources and a picture."`
	Assess    assessCmd    `cmd:"" help:"Check that exercise is safe: warning signs first, then how the pain is."`
	Plan      planCmd      `cmd:"" help:"Build today's routine from an assessment's answers."`
	Sources   sourcesCmd   `cmd:"" help:"List the publications the advice is based on."`
	Learn     learnCmd     `cmd:"" help:"Read about your upper back: the spine, the stages of pain, causes, prevention, when to see a doctor."`
	Serve     serveCmd     `cmd:"" help:"Run the web app and the JSON API (http://127.0.0.1:8080 by default)."`
	Clinic    clinicCmd    `cmd:"" help:"Make clinics and add their clinicians, on a clinic server's database."`
	Calendar  calendarCmd  `cmd:"" help:"Your planned sessions and check-ins in a calendar app: a feed's secret address, or a file."`

	dataCmds     `embed:""`
	terminalCmds `embed:""`
	breakCmds    `embed:""`
}

// app is what every command runs with: the streams, the clock and the
// catalog, so that tests can run commands in-process.
type app struct {
	ctx     context.Context
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	now     func() time.Time
	catalog *catalog.Catalog
	globals *Globals
	// interactive reports whether stdin is a terminal a person types into.
	interactive bool
	// color reports whether output may use ANSI colours: stdout is a
	// terminal and NO_COLOR is not set.
	color bool
	log   *slog.Logger
}

func main() {
	a := &app{
		ctx:         context.Background(),
		stdin:       os.Stdin,
		stdout:      os.Stdout,
		stderr:      os.Stderr,
		now:         time.Now,
		interactive: isTerminal(os.Stdin),
		color:       isTerminal(os.Stdout) && os.Getenv("NO_COLOR") == "",
	}
	os.Exit(run(a, os.Args[1:]))
}

// run parses args, runs the command and returns the exit status.
func run(a *app, args []string) (status int) {
	c, globals := model(args)
	exited := false
	parser, err := kong.New(c,
		kong.Name("backcoach"),
		kong.Description("A self-care coach for upper back pain. It checks first that exercise is safe, then builds a short routine that fits your pain, body and day.\n\nThis is not a diagnosis. If you are worried, contact a doctor."),
		kong.UsageOnError(),
		kong.Writers(a.stdout, a.stderr),
		kong.Vars{"version": version},
		kong.Exit(func(code int) { exited = true; status = code }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintln(a.stderr, "backcoach:", err)
		return exitInternal
	}
	if len(args) == 0 {
		writeOverview(a.stdout)
		return exitOK
	}
	kctx, err := parser.Parse(args)
	if exited {
		return status
	}
	if err != nil {
		fmt.Fprintln(a.stderr, "backcoach:", err)
		return exitBadInput
	}
	a.globals = globals
	a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cat, err := catalog.Load()
	if err != nil {
		fmt.Fprintln(a.stderr, "backcoach: the built-in exercise catalog is broken:", err)
		return exitInternal
	}
	a.catalog = cat
	if err := kctx.Run(a); err != nil {
		return a.fail(err)
	}
	return exitOK
}

// model returns what kong parses args into, and where the global flags
// land. Kong builds its model by walking every command's flags and tags,
// which costs more than a short command itself (see the cold-start
// benchmark in bench/). So when args name a top-level command, the model
// is a struct of the global flags and that one command's field, made with
// reflect.StructOf, and kong walks only that; its flags, help and errors
// are the same. Anything else (no command, a help flag, a misspelt
// command) gets the whole command line, so that help and suggestions
// list every command.
func model(args []string) (any, *Globals) {
	name := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "-h" || arg == "--help" || arg == "--version" || arg == "--":
			i = len(args)
		case arg == "--db":
			i++ // its value follows
		case strings.HasPrefix(arg, "-"):
		default:
			name = arg
			i = len(args)
		}
	}
	if field, ok := commandFields()[name]; ok && !slices.Contains(args, "-h") && !slices.Contains(args, "--help") {
		t := reflect.StructOf([]reflect.StructField{
			{Name: "Globals", Type: reflect.TypeFor[Globals](), Anonymous: true},
			{Name: field.Name, Type: field.Type, Tag: field.Tag},
		})
		v := reflect.New(t)
		return v.Interface(), v.Elem().Field(0).Addr().Interface().(*Globals)
	}
	c := &cli{}
	return c, &c.Globals
}

// commandFields returns the fields of cli that are top-level commands, by
// the name kong gives them: the name tag, or the field's name in lower
// case with hyphens between words.
func commandFields() map[string]reflect.StructField {
	fields := map[string]reflect.StructField{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for f := range t.Fields() {
			if _, ok := f.Tag.Lookup("embed"); ok && f.Anonymous {
				walk(f.Type)
				continue
			}
			if _, ok := f.Tag.Lookup("cmd"); !ok {
				continue
			}
			name := f.Tag.Get("name")
			if name == "" {
				var b strings.Builder
				for i, r := range f.Name {
					if unicode.IsUpper(r) && i > 0 {
						b.WriteByte('-')
					}
					b.WriteRune(unicode.ToLower(r))
				}
				name = b.String()
			}
			fields[name] = f
		}
	}
	walk(reflect.TypeFor[cli]())
	return fields
}

// errSilent is returned by a command that has already told the person what
// went wrong and only needs a non-zero exit.
type errSilent struct{ status int }

func (e errSilent) Error() string { return fmt.Sprintf("exit status %d", e.status) }

// fail prints err for the person and returns the exit status for it. This is
// the one place that maps error codes to exit statuses.
func (a *app) fail(err error) int {
	var silent errSilent
	if errors.As(err, &silent) {
		return silent.status
	}
	switch backcoach.ErrorCode(err) {
	case backcoach.EINVALID, backcoach.ENOTFOUND, backcoach.ECONFLICT:
		fmt.Fprintln(a.stderr, "backcoach:", backcoach.ErrorMessage(err))
		return exitBadInput
	default:
		a.log.Error("internal error", "err", err)
		fmt.Fprintln(a.stderr, "backcoach:", backcoach.ErrorMessage(err))
		return exitInternal
	}
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
