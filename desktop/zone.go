package desktop

import (
	"os"
	"strings"
	"time"
)

// SystemZone returns the machine's time zone as it is now. Go reads the
// zone once at start; a laptop that travels changes /etc/localtime (or TZ
// for a new session) while the daemon runs.
func SystemZone() (*time.Location, bool) {
	if tz := os.Getenv("TZ"); tz != "" {
		loc, err := time.LoadLocation(strings.TrimPrefix(tz, ":"))
		return loc, err == nil
	}
	target, err := os.Readlink("/etc/localtime")
	if err != nil {
		return nil, false
	}
	_, name, found := strings.Cut(target, "zoneinfo/")
	if !found {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}
