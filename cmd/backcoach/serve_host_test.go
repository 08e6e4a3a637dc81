package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestServeHosts(t *testing.T) {
	t.Parallel()
	lo := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	lo2 := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 9000}
	any := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}
	public := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 10), Port: 8080}
	local := []string{"127.0.0.1:8080", "localhost:8080", "[::1]:8080"}
	for _, c := range []struct {
		name string
		cmd  serveCmd
		addr net.Addr
		want []string
	}{
		{"single user", serveCmd{Addr: "127.0.0.1:8080", SingleUser: true}, lo, local},
		{"single user, another loopback address", serveCmd{Addr: "127.0.0.2:9000", SingleUser: true}, lo2,
			[]string{"127.0.0.2:9000", "localhost:9000", "127.0.0.1:9000", "[::1]:9000"}},
		{"single user with a name", serveCmd{Addr: "localhost:8080", SingleUser: true, AllowedHost: []string{"me.example"}}, lo,
			append(local, "me.example")},
		{"several people on loopback", serveCmd{Addr: "127.0.0.1:8080"}, lo, local},
		{"behind a proxy on loopback", serveCmd{Addr: "127.0.0.1:8080", TrustProxy: true}, lo, nil},
		{"behind a proxy with its name", serveCmd{Addr: "127.0.0.1:8080", TrustProxy: true, AllowedHost: []string{"coach.example"}}, lo,
			append(local, "coach.example")},
		{"on every address", serveCmd{Addr: ":8080"}, any, nil},
		{"on every address with a name", serveCmd{Addr: ":8080", AllowedHost: []string{"coach.example"}}, any, []string{"coach.example"}},
		{"on one address with a name", serveCmd{Addr: "192.0.2.10:8080", AllowedHost: []string{"coach.example"}}, public,
			[]string{"192.0.2.10:8080", "coach.example"}},
	} {
		if got := c.cmd.hosts(c.addr); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: hosts %q, want %q", c.name, got, c.want)
		}
	}
	for _, bad := range []string{"http://coach.example", "coach.example/x", "coach example", "coach.example:99999", "*.example"} {
		r := runCLI(t, "", "serve", "--addr", "127.0.0.1:0", "--allowed-host", bad)
		if r.status != exitBadInput || !strings.Contains(r.stderr, "--allowed-host") {
			t.Errorf("--allowed-host %q: status %d, stderr %q; want 2 naming the flag", bad, r.status, r.stderr)
		}
	}
}

// TestServeRefusesOtherHosts starts a personal install and sends it what
// a DNS-rebinding page would: its own name in the Host header.
func TestServeRefusesOtherHosts(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	logs, logw := io.Pipe()
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: io.Discard, stderr: logw, now: time.Now}
	done := make(chan int, 1)
	go func() {
		done <- run(a, []string{"--db", filepath.Join(t.TempDir(), "serve.db"), "serve", "--single-user", "--addr", "127.0.0.1:0", "--allowed-host", "me.example"})
		logw.Close()
	}()
	addr := waitForAddr(t, logs)
	go io.Copy(io.Discard, logs)
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{
		"rebind.example:" + port: http.StatusMisdirectedRequest,
		"127.0.0.1:" + port:      http.StatusOK,
		"localhost:" + port:      http.StatusOK,
		"me.example":             http.StatusOK,
	} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/settings/export", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("Host %s: status %d, want %d", host, res.StatusCode, want)
		}
	}
	stop()
	if status := <-done; status != exitOK {
		t.Errorf("serve exited with status %d", status)
	}
}
