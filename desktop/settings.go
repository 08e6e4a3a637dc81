package desktop

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
)

// The daemon's settings, named as its long flags. Each may be given as a
// flag, a BACKCOACH_* environment variable, or a line of the config file;
// in that order they win, and any of them wins over the break settings
// saved in the database (SettingsOrder).
const (
	SetMovementEvery = "movement-every"
	SetMovementFor   = "movement-for"
	SetStretchEvery  = "stretch-every"
	SetStretchFor    = "stretch-for"
	SetDailyLimit    = "daily-limit"
	SetResetHour     = "reset-hour"
	SetSnoozeFor     = "snooze-for"
	SetMaxSnoozes    = "max-snoozes"
	SetTerminal      = "terminal"
	SetWebURL        = "web-url"
	SetStartCommand  = "start-command"
)

// SettingNames lists every setting.
var SettingNames = []string{SetMovementEvery, SetMovementFor, SetStretchEvery, SetStretchFor, SetDailyLimit,
	SetResetHour, SetSnoozeFor, SetMaxSnoozes, SetTerminal, SetWebURL, SetStartCommand}

// SettingsOrder says where the daemon's settings come from, for the head
// of the example file.
const SettingsOrder = `# Where each setting comes from, the first that gives it winning:
#   1. a flag of 'backcoach breaks run' (--movement-every 45m ...)
#   2. its BACKCOACH_* environment variable (BACKCOACH_MOVEMENT_EVERY ...)
#   3. this file
#   4. the Break reminders settings saved in backcoach (web app Settings,
#      or PUT /api/v1/breaks/settings), read when the daemon starts
#   5. the defaults below
`

// MaxConfigBytes bounds the config file.
const MaxConfigBytes = 64 << 10

// ExampleConfig is a config file with the defaults, to start from.
const ExampleConfig = `# backcoach break reminders. Durations are Go durations: 30m, 45s, 1h30m.
# The timing lines are commented out, so that the Break reminders settings
# saved in backcoach apply; remove a '#' to set that one here instead.
# movement-every = 30m   # 0 turns movement breaks off
# movement-for = 1m
# stretch-every = 90m    # 0 turns stretch breaks off
# stretch-for = 5m
# daily-limit = 0        # the most computer time wanted a day; 0 is no limit
# reset-hour = 4         # the hour a new day's figures begin
# snooze-for = 5m
max-snoozes = 3
terminal = false       # Start opens the exercise in a terminal instead of the web app
web-url = http://127.0.0.1:8080
# start-command = xdg-open "$BACKCOACH_BREAK_URL"
`

// ParseConfig reads a config file: one "name = value" per line, a '#'
// after a space starting a comment, blank lines ignored. Every name must be a setting,
// and none may come twice.
func ParseConfig(data []byte) (map[string]string, error) {
	if len(data) > MaxConfigBytes {
		return nil, backcoach.Invalid("config", "must be at most %d bytes, got %d", MaxConfigBytes, len(data))
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		name, value, ok, err := configLine(sc.Text())
		if err != nil {
			return nil, backcoach.Invalid("config", "line %d: %v", n, err)
		}
		if !ok {
			continue
		}
		if _, dup := out[name]; dup {
			return nil, backcoach.Invalid("config", "line %d: %s is set twice", n, name)
		}
		out[name] = value
	}
	if err := sc.Err(); err != nil {
		return nil, backcoach.Invalid("config", "%v", err)
	}
	return out, nil
}

// configLine splits one line; ok is false for a blank or comment line.
func configLine(line string) (name, value string, ok bool, err error) {
	line = stripComment(line)
	if line == "" {
		return "", "", false, nil
	}
	name, value, found := strings.Cut(line, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	switch {
	case !found:
		return "", "", false, fmt.Errorf("must be name = value, got %q", line)
	case !slices.Contains(SettingNames, name):
		return "", "", false, fmt.Errorf("unknown setting %q; the settings are %s", name, strings.Join(SettingNames, ", "))
	}
	return name, value, true, nil
}

// stripComment removes a comment: a '#' at the start of the line or after
// a space or tab (so that a command may contain one), and trims spaces.
func stripComment(line string) string {
	for i, r := range line {
		if r == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			line = line[:i]
			break
		}
	}
	return strings.TrimSpace(line)
}

// ApplySettings sets the engine's configuration from settings, checking
// each value.
func ApplySettings(c *breaks.Config, s map[string]string) error {
	durations := []struct {
		name string
		to   *time.Duration
	}{
		{SetMovementEvery, &c.Movement.Every}, {SetMovementFor, &c.Movement.For},
		{SetStretchEvery, &c.Stretch.Every}, {SetStretchFor, &c.Stretch.For},
		{SetDailyLimit, &c.DailyLimit}, {SetSnoozeFor, &c.SnoozeFor},
	}
	for _, d := range durations {
		v, ok := s[d.name]
		if !ok || v == "" {
			continue
		}
		parsed, err := time.ParseDuration(v)
		if err != nil || parsed < 0 {
			return backcoach.Invalid(d.name, "must be a duration such as 30m, 45s or 1h30m (0 to turn off where allowed), got %q", v)
		}
		*d.to = parsed
	}
	for _, n := range []struct {
		name string
		to   *int
	}{{SetResetHour, &c.ResetHour}, {SetMaxSnoozes, &c.MaxSnoozes}} {
		v, ok := s[n.name]
		if !ok || v == "" {
			continue
		}
		parsed, err := strconv.Atoi(v)
		if err != nil {
			return backcoach.Invalid(n.name, "must be a whole number, got %q", v)
		}
		*n.to = parsed
	}
	return c.Validate()
}

// Bool reads a yes/no setting; "" is false.
func Bool(s map[string]string, name string) (bool, error) {
	v := s[name]
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, backcoach.Invalid(name, "must be true or false, got %q", v)
	}
	return b, nil
}
