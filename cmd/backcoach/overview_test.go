package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/desktop"
)

// TestOverviewNamesEveryCommand checks that 'backcoach' alone prints the
// short overview, in one 80×24 screen, naming every command there is and
// none that is not.
func TestOverviewNamesEveryCommand(t *testing.T) {
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	if st := run(a, nil); st != exitOK || errb.Len() > 0 {
		t.Fatalf("backcoach alone: status %d, stderr %q", st, errb.String())
	}
	text := out.String()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > 23 {
		t.Errorf("the overview has %d lines; a 24-line terminal shows 23 above the prompt", len(lines))
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("a line of %d columns: %q", n, l)
		}
	}
	if strings.Contains(text, "Flags:") || strings.Contains(text, "--db") {
		t.Error("the overview prints kong's full help")
	}
	parser, err := kong.New(&cli{}, kong.Name("backcoach"))
	if err != nil {
		t.Fatal(err)
	}
	top, named := topCommands(parser.Model), overviewCommands()
	for _, c := range top {
		if !slices.Contains(named, c) {
			t.Errorf("the overview does not name %q", c)
		}
	}
	for _, c := range named {
		if !slices.Contains(top, c) {
			t.Errorf("the overview names %q, which is no command", c)
		}
	}
}

// TestExercisesFit80Columns checks the exercise table at every filter.
func TestExercisesFit80Columns(t *testing.T) {
	for _, args := range [][]string{{"exercises"}, {"exercises", "--place", "desk"}, {"exercises", "--place", "floor"}, {"exercises", "--gentle"}} {
		r := runCLI(t, "", args...)
		if r.status != 0 {
			t.Fatalf("%v: %d %s", args, r.status, r.stderr)
		}
		for _, l := range strings.Split(r.stdout, "\n") {
			if n := len([]rune(l)); n > 80 {
				t.Errorf("%v: a line of %d columns: %q", args, n, l)
			}
		}
		for _, want := range []string{"ID", "NAME", "PLACES", "NEEDS", "* gentle"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: no %q", args, want)
			}
		}
	}
	r := runCLI(t, "", "exercises")
	if !strings.Contains(r.stdout, "foam-roller-extension     Thoracic extension") || !strings.Contains(r.stdout, "cat-cow                   Cat-cow *") {
		t.Errorf("the table:\n%s", r.stdout)
	}
}

// TestPutOffWords checks what 'breaks snooze' and 'breaks skip' say.
func TestPutOffWords(t *testing.T) {
	due := &desktop.StatusReport{Next: []desktop.NextReport{{Kind: breaks.Movement, DueInSeconds: 0}, {Kind: breaks.Stretch, DueInSeconds: 1200}}}
	snoozed := &desktop.StatusReport{Next: []desktop.NextReport{{Kind: breaks.Movement, DueInSeconds: 300}, {Kind: breaks.Stretch, DueInSeconds: 1200}}}
	skipped := &desktop.StatusReport{Next: []desktop.NextReport{{Kind: breaks.Movement, DueInSeconds: 1800}, {Kind: breaks.Stretch, DueInSeconds: 1200}}, Today: desktop.TodayReport{Skipped: 1}}
	for _, c := range []struct {
		op            string
		before, after *desktop.StatusReport
		want          string
	}{
		{desktop.OpSnooze, due, snoozed, "Snoozed the movement break: it comes back in 5 min."},
		{desktop.OpSkip, due, skipped, "Skipped the movement break: the next one is in 30 min of computer time. 1 break skipped today."},
	} {
		if got := putOffWords(c.op, c.before, c.after); got != c.want {
			t.Errorf("%s: %q; want %q", c.op, got, c.want)
		}
	}
}
