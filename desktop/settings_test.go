package desktop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
)

func TestExampleConfigIsTheDefaults(t *testing.T) {
	s, err := ParseConfig([]byte(ExampleConfig))
	if err != nil {
		t.Fatal(err)
	}
	c := breaks.DefaultConfig()
	if err := ApplySettings(&c, s); err != nil {
		t.Fatal(err)
	}
	d := breaks.DefaultConfig()
	if c.Movement != d.Movement || c.Stretch != d.Stretch || c.ResetHour != d.ResetHour || c.SnoozeFor != d.SnoozeFor || c.MaxSnoozes != d.MaxSnoozes || c.DailyLimit != 0 {
		t.Fatalf("example config %+v differs from the defaults %+v", c, d)
	}
	if s[SetWebURL] != DefaultWebURL {
		t.Errorf("web-url %q", s[SetWebURL])
	}
}

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, err string
	}{
		{"values and comments", "movement-every = 45s # short\n\n# all of it\nstretch-for=2m\n", "movement-every=45s stretch-for=2m", ""},
		{"a command keeps its #", "start-command = notify#1 \"$X\"\n", `start-command=notify#1 "$X"`, ""},
		{"unknown", "movment-every = 1m\n", "", `line 1: unknown setting "movment-every"`},
		{"no equals", "movement-every 1m\n", "", "line 1: must be name = value"},
		{"twice", "terminal = true\nterminal = false\n", "", "line 2: terminal is set twice"},
		{"too long", strings.Repeat("#", MaxConfigBytes+1), "", "must be at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConfig([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, n := range SettingNames {
				if v, ok := got[n]; ok {
					parts = append(parts, n+"="+v)
				}
			}
			if strings.Join(parts, " ") != tc.want {
				t.Fatalf("got %q, want %q", strings.Join(parts, " "), tc.want)
			}
		})
	}
}

func TestApplySettings(t *testing.T) {
	for _, tc := range []struct {
		set   map[string]string
		field string
		check func(breaks.Config) bool
	}{
		{map[string]string{SetMovementEvery: "20m", SetMovementFor: "45s"}, "", func(c breaks.Config) bool {
			return c.Movement.Every == 20*time.Minute && c.Movement.For == 45*time.Second
		}},
		{map[string]string{SetStretchEvery: "0"}, "", func(c breaks.Config) bool { return !c.Stretch.Enabled() }},
		{map[string]string{SetResetHour: "0", SetMaxSnoozes: "0", SetDailyLimit: "8h"}, "", func(c breaks.Config) bool {
			return c.ResetHour == 0 && c.MaxSnoozes == 0 && c.DailyLimit == 8*time.Hour
		}},
		{map[string]string{SetMovementEvery: "half an hour"}, SetMovementEvery, nil},
		{map[string]string{SetStretchFor: "-1m"}, SetStretchFor, nil},
		{map[string]string{SetResetHour: "four"}, SetResetHour, nil},
		{map[string]string{SetMovementFor: "40m"}, SetMovementFor, nil},
	} {
		c := breaks.DefaultConfig()
		err := ApplySettings(&c, tc.set)
		if tc.field != "" {
			if e, ok := err.(*backcoach.Error); !ok || e.Field != tc.field {
				t.Errorf("%v: error %v, want one about %s", tc.set, err, tc.field)
			}
			continue
		}
		if err != nil || !tc.check(c) {
			t.Errorf("%v: %v, config %+v", tc.set, err, c)
		}
	}
	if _, err := Bool(map[string]string{SetTerminal: "maybe"}, SetTerminal); err == nil {
		t.Error("terminal = maybe accepted")
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(ExampleConfig))
	f.Add([]byte("movement-every = 1m # x\nterminal=true"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseConfig(data)
		if err != nil {
			return
		}
		for name := range s {
			found := false
			for _, n := range SettingNames {
				found = found || n == name
			}
			if !found {
				t.Fatalf("unknown setting %q accepted", name)
			}
		}
		c := breaks.DefaultConfig()
		if err := ApplySettings(&c, s); err == nil {
			if err := c.Validate(); err != nil {
				t.Fatalf("applied settings do not validate: %v", err)
			}
		}
	})
}

func TestUnitAndAutostartEntry(t *testing.T) {
	cmd := []string{"/opt/back coach/backcoach", "--db", "/home/a/100% $HOME.db", "breaks", "run"}
	unit := Unit(cmd)
	for _, want := range []string{
		`ExecStart="/opt/back coach/backcoach" --db "/home/a/100%% $$HOME.db" breaks run`,
		"WantedBy=graphical-session.target", "PartOf=graphical-session.target", "Restart=on-failure",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q:\n%s", want, unit)
		}
	}
	entry := AutostartEntry(cmd)
	if !strings.Contains(entry, `Exec="/opt/back coach/backcoach" --db "/home/a/100%% \$HOME.db" breaks run`) || !strings.Contains(entry, "Type=Application") {
		t.Errorf("autostart entry:\n%s", entry)
	}
}

func TestInstallAutostartWithoutSystemd(t *testing.T) {
	dir := t.TempDir()
	in := &Install{How: StartAuto, ConfigHome: dir, RuntimeDir: filepath.Join(dir, "run"), Enable: true, Command: []string{"/usr/bin/backcoach", "breaks", "run"}}
	done, err := in.Install()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "autostart", "backcoach-breaks.desktop")
	if done.How != StartAutostart || done.Path != want || done.Enabled {
		t.Fatalf("installed %+v", done)
	}
	if b, err := os.ReadFile(want); err != nil || !strings.Contains(string(b), "Exec=/usr/bin/backcoach breaks run") {
		t.Fatalf("entry %q, %v", b, err)
	}
	// The unit can be written without enabling it, then both go.
	in.How, in.Enable = StartSystemd, false
	if done, err := in.Install(); err != nil || done.Path != filepath.Join(dir, "systemd", "user", UnitName) {
		t.Fatalf("systemd install: %+v, %v", done, err)
	}
	removed, err := in.Uninstall()
	if err != nil || len(removed) != 2 {
		t.Fatalf("removed %+v, %v", removed, err)
	}
	if removed, _ := in.Uninstall(); len(removed) != 0 {
		t.Fatalf("second uninstall removed %+v", removed)
	}
	in.Command = []string{"backcoach"}
	if _, err := in.Install(); err == nil {
		t.Fatal("a relative program path accepted")
	}
	in.How = "cron"
	if _, err := in.Install(); err == nil {
		t.Fatal("install --how cron accepted")
	}
}

func TestLauncherEnvironment(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	l := &Launcher{
		Command: `printf '%s|%s|%s|%s|%s|%s' "$BACKCOACH_BREAK_KIND" "$BACKCOACH_BREAK_SEQ" "$BACKCOACH_BREAK_EXERCISES" "$BACKCOACH_BREAK_REST" "$BACKCOACH_BREAK_URL" "$BACKCOACH_DB" > ` + out,
		WebURL:  "http://localhost:9000/",
		Env:     []string{"BACKCOACH_DB=/tmp/x.db"},
	}
	o := offer.Offer{Break: breaks.Break{Kind: breaks.Stretch, Seq: 2, For: 5 * time.Minute},
		Exercises: []backcoach.PlannedExercise{{ID: "shoulder-rolls"}, {ID: "chin-tuck"}}}
	if err := l.Launch(o); err != nil {
		t.Fatal(err)
	}
	want := "stretch|2|shoulder-rolls,chin-tuck|0|http://localhost:9000/break?kind=stretch&seq=2|/tmp/x.db"
	var got []byte
	for i := 0; i < 200 && string(got) != want; i++ {
		got, _ = os.ReadFile(out)
		time.Sleep(10 * time.Millisecond)
	}
	if string(got) != want {
		t.Fatalf("launched with\n%s\nwant\n%s", got, want)
	}
	rest := offer.Offer{Break: breaks.Break{Kind: breaks.Movement, Seq: 4}, Rest: true}
	if u := BreakURL("http://localhost:9000", rest); u != "http://localhost:9000/break?kind=movement&seq=4" {
		t.Errorf("rest URL %q", u)
	}
}
