package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeSingleUserRefusesOtherAddresses(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.20:8080", ":8080", "[::]:8080", "example.org:80"} {
		r := runCLI(t, "", "serve", "--single-user", "--addr", addr)
		if r.status != exitBadInput || !strings.Contains(r.stderr, "loopback") {
			t.Errorf("serve --single-user --addr %s: status %d, stderr %q; want 2 and a word about loopback", addr, r.status, r.stderr)
		}
	}
	for _, addr := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:8080", "127.0.0.2:9000"} {
		if err := checkLoopback(addr); err != nil {
			t.Errorf("checkLoopback(%s) = %v", addr, err)
		}
	}
}

func TestServeRefusesABadTimeScale(t *testing.T) {
	t.Parallel()
	r := runCLI(t, "", "serve", "--time-scale", "0")
	if r.status != exitBadInput || !strings.Contains(r.stderr, "--time-scale") {
		t.Errorf("status %d, stderr %q", r.status, r.stderr)
	}
}

// TestServeFinishesRequestsInFlight starts the real command, holds a
// request open (its body still arriving), stops the server the way
// SIGTERM does, and checks that the request still gets its answer and
// that new connections are refused meanwhile.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	logs, logw := io.Pipe()
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: io.Discard, stderr: logw, now: time.Now}
	done := make(chan int, 1)
	go func() {
		done <- run(a, []string{"--db", filepath.Join(t.TempDir(), "serve.db"), "serve", "--addr", "127.0.0.1:0", "--metrics-token", testMetricsToken})
		logw.Close()
	}()
	addr := waitForAddr(t, logs)
	go io.Copy(io.Discard, logs)
	base := "http://" + addr

	body, bodyw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/signin", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	answered := make(chan *http.Response, 1)
	failed := make(chan error, 1)
	go func() {
		res, err := client.Do(req)
		if err != nil {
			failed <- err
			return
		}
		answered <- res
	}()
	bodyw.Write([]byte("handle=nobody&pass"))
	waitInFlight(t, base, 2) // the slow request and the metrics request itself

	stop() // as SIGTERM does
	refused := false
	for i := 0; i < 2000 && !refused; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
	}
	if !refused {
		t.Error("new connections are still accepted after the stop")
	}
	select {
	case <-done:
		t.Fatal("the server stopped before the request in flight was answered")
	default:
	}
	bodyw.Write([]byte("word=wrong+password"))
	bodyw.Close()
	select {
	case res := <-answered:
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the request in flight got status %d, want 401", res.StatusCode)
		}
	case err := <-failed:
		t.Fatalf("the request in flight failed: %v", err)
	}
	if status := <-done; status != exitOK {
		t.Errorf("serve exited with status %d", status)
	}
}

// waitForAddr reads the JSON log until the server says where it listens.
func waitForAddr(t *testing.T, logs io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(logs)
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
			return strings.TrimPrefix(line.Addr, "http://")
		}
	}
	t.Fatal("the server never said it was serving")
	return ""
}

// testMetricsToken reads the metrics of a server under test.
const testMetricsToken = "the-metrics-token-of-the-tests"

// waitInFlight asks /metrics until n requests are in flight.
func waitInFlight(t *testing.T, base string, n int) {
	t.Helper()
	want := "http_requests_in_flight " + string(rune('0'+n)) + "\n"
	for i := 0; i < 500; i++ {
		req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+testMetricsToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), want) {
			return
		}
	}
	t.Fatalf("never saw %q in the metrics", strings.TrimSpace(want))
}

// TestServeEndsEventStreamsOnShutdown holds a break-reminder event stream
// open and stops the server the way SIGTERM does: the stream must end at
// once and the server stop well before its shutdown timeout, instead of
// waiting on a connection that never goes idle.
func TestServeEndsEventStreamsOnShutdown(t *testing.T) {
	t.Parallel()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	logs, logw := io.Pipe()
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: io.Discard, stderr: logw, now: time.Now}
	done := make(chan int, 1)
	go func() {
		done <- run(a, []string{"--db", filepath.Join(t.TempDir(), "serve.db"), "serve", "--single-user", "--addr", "127.0.0.1:0"})
		logw.Close()
	}()
	addr := waitForAddr(t, logs)
	go io.Copy(io.Discard, logs)
	base := "http://" + addr

	settings := `{"enabled": true, "movement_every_minutes": 30, "movement_for_minutes": 1, "stretch_every_minutes": 90,
		"stretch_for_minutes": 5, "daily_limit_minutes": 0, "reset_hour": 4, "snooze_minutes": 5}`
	req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/breaks/settings", strings.NewReader(settings))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("turning the reminders on: %d", res.StatusCode)
	}
	res, err = http.Get(base + "/api/v1/breaks/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body := bufio.NewReader(res.Body)
	if line, err := body.ReadString('\n'); err != nil || line != "event: status\n" {
		t.Fatalf("the stream began with %q, %v", line, err)
	}

	stopped := time.Now()
	stop() // as SIGTERM does
	rest, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("the stream broke instead of ending: %v", err)
	}
	if strings.Contains(string(rest), "event: offer") {
		t.Errorf("the stream sent an offer at shutdown: %s", rest)
	}
	select {
	case status := <-done:
		if status != exitOK {
			t.Errorf("serve exited with status %d", status)
		}
	case <-time.After(shutdownTimeout / 2):
		t.Fatal("the server is still shutting down: an open event stream holds it")
	}
	if took := time.Since(stopped); took > shutdownTimeout/4 {
		t.Errorf("the shutdown took %s with an event stream open", took)
	}
}
