package main

import (
	"bytes"
	"slices"
	"testing"

	"github.com/alecthomas/kong"
)

// TestCommandModel: the one-command model that run builds for a named
// command parses, refuses and explains exactly as the whole command line
// does.
func TestCommandModel(t *testing.T) {
	t.Parallel()
	parse := func(model any, args []string) (string, string) {
		var out bytes.Buffer
		p, err := kong.New(model, kong.Name("backcoach"), kong.UsageOnError(), kong.Writers(&out, &out),
			kong.Exit(func(int) {}), kong.ConfigureHelp(kong.HelpOptions{Compact: true}), kong.Vars{"version": version})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Parse(args)
		return out.String(), errString(err)
	}
	names := []string{}
	for name := range commandFields() {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) < 15 || !slices.Contains(names, "plan") || !slices.Contains(names, "delete-account") {
		t.Fatalf("commands found: %v", names)
	}
	for _, name := range names {
		for _, args := range [][]string{{name, "--no-such-flag"}, {"--db", "x.db", name, "extra", "words"}, {name, "--db"}} {
			m, g := model(args)
			if _, whole := m.(*cli); whole || g == nil {
				t.Fatalf("%v: the whole command line, not the command's own model", args)
			}
			out1, err1 := parse(m, args)
			out2, err2 := parse(&cli{}, args)
			if out1 != out2 || err1 != err2 {
				t.Errorf("%v: the command's model says\n%s%s\nthe whole command line says\n%s%s", args, out1, err1, out2, err2)
			}
		}
	}
	for _, args := range [][]string{{}, {"--help"}, {"plan", "--help"}, {"pla"}, {"--version"}} {
		if m, _ := model(args); m == nil {
			t.Fatal("no model")
		} else if _, whole := m.(*cli); !whole {
			t.Errorf("%v: not the whole command line", args)
		}
	}
	// The global flags land where the commands read them.
	m, g := model([]string{"--db", "here.db", "history"})
	p, err := kong.New(m, kong.Name("backcoach"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse([]string{"--db", "here.db", "history"}); err != nil || g.DB != "here.db" {
		t.Errorf("--db: %v, %q", err, g.DB)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
