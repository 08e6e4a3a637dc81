package desktop

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
)

// openerEnv is a place where the launched commands leave a trace: each
// writes a line to the file opened.
type openerEnv struct {
	dir, opened string
	brk         offer.Offer
}

func newOpenerEnv(t *testing.T) *openerEnv {
	t.Helper()
	dir := t.TempDir()
	return &openerEnv{dir: dir, opened: filepath.Join(dir, "opened"),
		brk: offer.Offer{Break: breaks.Break{Kind: breaks.Movement, Seq: 3, For: time.Minute}}}
}

// launcher returns a launcher whose command writes what it opened.
func (e *openerEnv) launcher(web, what string) *Launcher {
	return &Launcher{Command: `echo "` + what + ` $BACKCOACH_BREAK_URL" >> ` + e.opened, WebURL: web, Self: "/bin/false"}
}

// lines returns what was opened.
func (e *openerEnv) lines(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(e.opened)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := strings.TrimSpace(string(b))
	_ = os.Remove(e.opened)
	return out
}

// webApp is a real HTTP server on loopback answering /healthz with code.
func webApp(t *testing.T, code int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestOpenerPrefersTheWebAppWhenItAnswers(t *testing.T) {
	t.Parallel()
	e := newOpenerEnv(t)
	web := webApp(t, http.StatusOK)
	o := &Opener{Web: e.launcher(web.URL, "web"), Terminal: e.launcher(web.URL, "terminal")}
	if err := o.Open(e.brk); err != nil {
		t.Fatal(err)
	}
	if got, want := e.lines(t), "web "+web.URL+"/break?kind=movement&seq=3"; got != want {
		t.Fatalf("opened %q, want %q", got, want)
	}
}

func TestOpenerFallsBackToTheTerminal(t *testing.T) {
	t.Parallel()
	e := newOpenerEnv(t)
	// Nothing listens: a server started and closed leaves its port free.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	// Something else answers there: not the web app.
	other := webApp(t, http.StatusNotFound)
	for _, base := range []string{gone.URL, other.URL} {
		o := &Opener{Web: e.launcher(base, "web"), Terminal: e.launcher(base, "terminal")}
		if err := o.Open(e.brk); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		if got := e.lines(t); !strings.HasPrefix(got, "terminal ") {
			t.Fatalf("with no web app at %s, opened %q", base, got)
		}
	}
	// The web app answers but no browser opens its page.
	web := webApp(t, http.StatusOK)
	o := &Opener{Web: &Launcher{Command: "echo no browser >&2; exit 3", WebURL: web.URL}, Terminal: e.launcher(web.URL, "terminal")}
	if err := o.Open(e.brk); err != nil {
		t.Fatal(err)
	}
	if got := e.lines(t); !strings.HasPrefix(got, "terminal ") {
		t.Fatalf("with no browser, opened %q", got)
	}
}

func TestOpenerSaysWhyNothingOpened(t *testing.T) {
	t.Parallel()
	e := newOpenerEnv(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	for _, tc := range []struct {
		name string
		o    *Opener
		want []string
	}{
		{"no web app, no terminal", &Opener{Web: e.launcher(gone.URL, "web"), NoTerminal: NoTerminalFound},
			[]string{"could not open the break: no web app answers at " + gone.URL, "no terminal emulator was found"}},
		{"the terminal fails", &Opener{Web: e.launcher(gone.URL, "web"), Terminal: &Launcher{Command: "echo cannot open display >&2; exit 1"}},
			[]string{"no web app answers", "cannot open display"}},
		{"the person's own command fails", &Opener{Command: &Launcher{Command: "exit 7"}, Terminal: e.launcher(gone.URL, "terminal")},
			[]string{`"exit 7" failed (exit status 7)`}},
	} {
		err := tc.o.Open(e.brk)
		if err == nil {
			t.Fatalf("%s: opened", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tc.name, err, w)
			}
		}
		if got := e.lines(t); got != "" {
			t.Errorf("%s: opened %q", tc.name, got)
		}
	}
}

func TestFindTerminals(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	found, chosen := FindTerminals(func(string) string { return "" })
	if chosen != nil || len(found) != len(terminals) || found[0].OK {
		t.Fatalf("on an empty PATH: %+v, %+v", found, chosen)
	}
	// A terminal of the person's own, named by $TERMINAL, runs the
	// break's command with -e.
	out := filepath.Join(dir, "args")
	term := filepath.Join(dir, "myterm")
	script := "#!/bin/sh\nprintf '%s|' \"$@\" > " + out + "\n"
	if err := os.WriteFile(term, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "xterm"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	found, chosen = FindTerminals(func(k string) string { return map[string]string{"TERMINAL": term}[k] })
	if chosen == nil || chosen.Path != term || !found[0].OK || !found[len(found)-1].OK {
		t.Fatalf("with $TERMINAL and xterm: %+v, %+v", found, chosen)
	}
	l := &Launcher{Command: chosen.Command(TerminalShow), Self: "/usr/bin/backcoach"}
	brk := offer.Offer{Break: breaks.Break{Kind: breaks.Stretch, Seq: 2}}
	if err := l.Launch(brk); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	want := `-e|/bin/sh|-c|"$BACKCOACH_SELF" breaks show --kind "$BACKCOACH_BREAK_KIND" --seq "$BACKCOACH_BREAK_SEQ"|`
	if err != nil || string(got) != want {
		t.Fatalf("the terminal ran %q (%v), want %q", got, err, want)
	}
}
