// Package testenv gives integration tests the services they need, and
// decides what happens when one is missing: the test is skipped with a
// message saying what to install, or it fails when the BACKCOACH_REQUIRE
// environment variable (a comma list such as "postgres,chromium,tmux")
// names the service, as CI sets it, so that a missing service can never
// turn a CI run green by skipping.
package testenv

import (
	"os"
	"strings"
	"testing"
)

// RequireEnv is the environment variable listing the services that must be
// present.
const RequireEnv = "BACKCOACH_REQUIRE"

// Required reports whether BACKCOACH_REQUIRE names the service.
func Required(name string) bool {
	for _, s := range strings.Split(os.Getenv(RequireEnv), ",") {
		if strings.EqualFold(strings.TrimSpace(s), name) {
			return true
		}
	}
	return false
}

// Unavailable ends the test because the service is missing: it fails when
// the service is required, and skips otherwise. why says what is missing
// and how to get it.
func Unavailable(t testing.TB, name, why string) {
	t.Helper()
	if Required(name) {
		t.Fatalf("%s is required (%s=%s) but unavailable: %s", name, RequireEnv, os.Getenv(RequireEnv), why)
	}
	t.Skipf("skipping: %s is unavailable (%s); set %s=%s to make this a failure", name, why, RequireEnv, name)
}

// Require skips or fails the test unless ok; a convenience for services
// that are checked by a simple look-up.
func Require(t testing.TB, name string, ok bool, why string) {
	t.Helper()
	if !ok {
		Unavailable(t, name, why)
	}
}

// Main runs a package's tests and then stops the services testenv started
// for them, such as the throw-away PostgreSQL cluster, which starts once
// for the whole package. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
func Main(m *testing.M) int {
	mainRunning.Store(true)
	code := m.Run()
	stopPostgres()
	return code
}
