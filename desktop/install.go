package desktop

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/backcoach/backcoach"
)

// How the daemon is started with the session.
const (
	StartAuto      = "auto"      // systemd when the user has a systemd session, else autostart
	StartSystemd   = "systemd"   // a systemd user unit
	StartAutostart = "autostart" // an XDG autostart entry
)

// UnitName is the systemd user unit's name.
const UnitName = "backcoach-breaks.service"

// autostartName is the XDG autostart entry's file name.
const autostartName = "backcoach-breaks.desktop"

// Install says how to install or remove the daemon's start-up file.
type Install struct {
	// How is StartAuto, StartSystemd or StartAutostart.
	How string
	// Command is the daemon's command line: the program's absolute path
	// and its arguments.
	Command []string
	// ConfigHome is $XDG_CONFIG_HOME (default ~/.config); RuntimeDir is
	// $XDG_RUNTIME_DIR, where a systemd user session has its socket.
	ConfigHome string
	RuntimeDir string
	// Enable runs systemctl --user to enable and start the unit.
	Enable bool
}

// Installed says what Install or Uninstall did.
type Installed struct {
	How  string `json:"how"`
	Path string `json:"path"`
	// Enabled is true when systemctl enabled (or disabled) the unit.
	Enabled bool `json:"enabled"`
}

// NewInstall returns the defaults from the environment.
func NewInstall() (*Install, error) {
	home := os.Getenv("XDG_CONFIG_HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil, backcoach.Errorf(backcoach.EINVALID, "neither XDG_CONFIG_HOME nor HOME is set, so there is no place for the start-up file")
		}
		home = filepath.Join(h, ".config")
	}
	return &Install{How: StartAuto, ConfigHome: home, RuntimeDir: os.Getenv("XDG_RUNTIME_DIR"), Enable: true}, nil
}

// resolve decides between systemd and autostart.
func (in *Install) resolve() (string, error) {
	switch in.How {
	case StartSystemd, StartAutostart:
		return in.How, nil
	case StartAuto, "":
		if in.hasSystemdSession() {
			return StartSystemd, nil
		}
		return StartAutostart, nil
	}
	return "", backcoach.Invalid("how", "must be auto, systemd or autostart, got %q", in.How)
}

// hasSystemdSession reports whether the user runs a systemd user manager.
func (in *Install) hasSystemdSession() bool {
	if in.RuntimeDir == "" {
		return false
	}
	if _, err := os.Stat(filepath.Join(in.RuntimeDir, "systemd", "private")); err != nil {
		return false
	}
	_, err := exec.LookPath("systemctl")
	return err == nil
}

// Install writes the start-up file and, for systemd, enables and starts the
// unit.
func (in *Install) Install() (*Installed, error) {
	how, err := in.resolve()
	if err != nil {
		return nil, err
	}
	if len(in.Command) == 0 || !filepath.IsAbs(in.Command[0]) {
		return nil, backcoach.Invalid("command", "must start with the program's absolute path, got %q", in.Command)
	}
	done := &Installed{How: how, Path: in.path(how)}
	content := AutostartEntry(in.Command)
	if how == StartSystemd {
		content = Unit(in.Command)
	}
	if err := writeFile(done.Path, content); err != nil {
		return nil, err
	}
	if how == StartSystemd && in.Enable {
		if err := systemctl("daemon-reload"); err != nil {
			return done, err
		}
		if err := systemctl("enable", "--now", UnitName); err != nil {
			return done, err
		}
		done.Enabled = true
	}
	return done, nil
}

// Uninstall stops and disables the unit and removes whichever start-up
// files exist.
func (in *Install) Uninstall() ([]Installed, error) {
	var removed []Installed
	unit := in.path(StartSystemd)
	if _, err := os.Stat(unit); err == nil {
		r := Installed{How: StartSystemd, Path: unit}
		if in.Enable && in.hasSystemdSession() {
			if err := systemctl("disable", "--now", UnitName); err != nil {
				return removed, err
			}
			r.Enabled = true
		}
		if err := os.Remove(unit); err != nil {
			return removed, fmt.Errorf("cannot remove %s: %w", unit, err)
		}
		if r.Enabled {
			_ = systemctl("daemon-reload")
		}
		removed = append(removed, r)
	}
	entry := in.path(StartAutostart)
	if err := os.Remove(entry); err == nil {
		removed = append(removed, Installed{How: StartAutostart, Path: entry})
	} else if !errors.Is(err, os.ErrNotExist) {
		return removed, fmt.Errorf("cannot remove %s: %w", entry, err)
	}
	return removed, nil
}

// path returns where a kind of start-up file goes.
func (in *Install) path(how string) string {
	if how == StartSystemd {
		return filepath.Join(in.ConfigHome, "systemd", "user", UnitName)
	}
	return filepath.Join(in.ConfigHome, "autostart", autostartName)
}

// Unit returns the systemd user unit that runs the command with the
// graphical session.
func Unit(command []string) string {
	return `[Unit]
Description=backcoach movement-break reminders
PartOf=graphical-session.target
After=graphical-session.target

[Service]
ExecStart=` + execLine(command, systemdEscapes) + `
Restart=on-failure
RestartSec=10
# Light by design: no need for more.
MemoryMax=64M
Nice=5

[Install]
WantedBy=graphical-session.target
`
}

// AutostartEntry returns the XDG autostart entry that runs the command at
// log-in.
func AutostartEntry(command []string) string {
	return `[Desktop Entry]
Type=Application
Name=backcoach break reminders
Comment=Movement-break reminders for upper back pain
Exec=` + execLine(command, desktopEscapes) + `
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
`
}

// The escapes inside double quotes: systemd's ExecStart= expands $ and %
// specifiers (doubled to escape), a desktop entry's Exec= wants \$ and \`
// and doubles %.
var (
	systemdEscapes = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `$$`, `%`, `%%`)
	desktopEscapes = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`", `%`, `%%`)
)

// execLine quotes a command line: plain words stay as they are, others go
// in double quotes with the format's escapes.
func execLine(command []string, escapes *strings.Replacer) string {
	parts := make([]string, len(command))
	for i, a := range command {
		if a != "" && !strings.ContainsAny(a, " \t\"'\\$%;`") {
			parts[i] = a
			continue
		}
		parts[i] = `"` + escapes.Replace(a) + `"`
	}
	return strings.Join(parts, " ")
}

// writeFile writes a start-up file, making its directory.
func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cannot make %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// systemctl runs systemctl --user.
func systemctl(args ...string) error {
	out, err := exec.Command("systemctl", append([]string{"--user"}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("systemctl --user %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
