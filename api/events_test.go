package api

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks/live"
)

// sseEvent is one event read off the wire: its name and its data, or a
// comment.
type sseEvent struct {
	name, data, comment string
}

// sseReader reads events from a real connection, one at a time.
type sseReader struct {
	t  *testing.T
	sc *bufio.Scanner
	ch chan sseEvent
}

func newSSEReader(t *testing.T, body io.Reader) *sseReader {
	r := &sseReader{t: t, sc: bufio.NewScanner(body), ch: make(chan sseEvent, 64)}
	go r.loop()
	return r
}

// loop parses the stream into events until it ends, then closes ch.
func (r *sseReader) loop() {
	defer close(r.ch)
	var ev sseEvent
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case line == "":
			if ev != (sseEvent{}) {
				r.ch <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, ":"):
			ev.comment = strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "event: "):
			ev.name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[len("data: "):]
		}
	}
}

// next returns the next event, skipping keep-alive comments.
func (r *sseReader) next() sseEvent {
	r.t.Helper()
	for {
		if ev := r.any(); ev.comment == "" {
			return ev
		}
	}
}

// any returns the next event or comment; a stream silent for long fails
// the test (the bound only catches a hang: everything here is caused by
// the test itself, on the break clock).
func (r *sseReader) any() sseEvent {
	r.t.Helper()
	select {
	case ev, ok := <-r.ch:
		if !ok {
			r.t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		r.t.Fatal("nothing came")
	}
	return sseEvent{}
}

// ended reports whether the stream ends (rather than sending more).
func (r *sseReader) ended() bool {
	r.t.Helper()
	select {
	case _, ok := <-r.ch:
		return !ok
	case <-time.After(10 * time.Second):
		return false
	}
}

// TestBreakEventsOverHTTP reads real events from a real server, its break
// clock moved by the test: the status first, an offer after half an hour
// of reported activity, its withdrawal on snooze, a keep-alive comment,
// and the end of the stream when the hub closes, as at shutdown.
func TestBreakEventsOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	send := func(method, path, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.alice.secret)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	res := send("GET", "/api/v1/breaks/events", "")
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("events: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	events := newSSEReader(t, res.Body)
	registry := e.api.OpenAPI().Components.Schemas
	documented := func(ev sseEvent, sample any) {
		t.Helper()
		schema := registry.Schema(reflect.TypeOf(sample), true, "")
		for _, msg := range schemaErrors(registry, schema, []byte(ev.data)) {
			t.Errorf("the %s event does not match its documented schema: %s\n%s", ev.name, msg, ev.data)
		}
	}
	first := events.next()
	documented(first, live.Status{})
	var status live.Status
	if first.name != "status" || json.Unmarshal([]byte(first.data), &status) != nil || len(status.Next) != 2 || status.Today.PersonID != e.alice.id {
		t.Fatalf("first event %+v", first)
	}

	for i := 0; i < 60; i++ {
		e.breakClock.Advance(30 * time.Second)
		r := send("POST", "/api/v1/breaks/activity", `{"idle_seconds": 2, "visible": true}`)
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Fatalf("activity: %d", r.StatusCode)
		}
	}
	ev := events.next()
	documented(ev, live.Offer{})
	var offer live.Offer
	if ev.name != "offer" || json.Unmarshal([]byte(ev.data), &offer) != nil || offer.Kind != "movement" || len(offer.Exercises) != 1 || offer.URL != "/break?kind=movement&seq=1" {
		t.Fatalf("after 30 minutes of activity: %+v", ev)
	}

	r := send("POST", "/api/v1/breaks/snooze", "")
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("snooze: %d", r.StatusCode)
	}
	ev = events.next()
	if ev.name != "withdraw" || !strings.Contains(ev.data, `"reason":"snoozed"`) {
		t.Fatalf("after snoozing: %+v", ev)
	}
	documented(ev, live.Withdrawn{})

	e.breakClock.Advance(live.DefaultKeepAlive)
	if ev := events.any(); ev.comment != "keep-alive" {
		t.Fatalf("after a quiet interval: %+v, want a keep-alive comment", ev)
	}

	e.api.Breaks().Close()
	if !events.ended() {
		t.Fatal("the stream did not end when the hub closed")
	}
}

// TestBreakEventsRefusals checks who may not listen: nobody, and a person
// whose reminders are off, each with a problem document.
func TestBreakEventsRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	if res := e.do(t, nobody, "GET", "/api/v1/breaks/events", nil); res.status != http.StatusUnauthorized {
		t.Fatalf("nobody: %d", res.status)
	}
	off := backcoach.DefaultBreakSettings()
	if err := e.store.SaveBreakSettings(context.Background(), e.bob.id, &off); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, e.bob, "GET", "/api/v1/breaks/events", nil)
	if res.status != http.StatusConflict || !strings.Contains(problemOf(t, res).Detail, "turn them on in Settings") {
		t.Fatalf("with reminders off: %d %s", res.status, res.body)
	}
	res = e.do(t, e.bob, "POST", "/api/v1/breaks/activity", map[string]any{"idle_seconds": 1})
	if res.status != http.StatusConflict {
		t.Fatalf("activity with reminders off: %d %s", res.status, res.body)
	}
	// Alice's stream hears nothing of bob's settings, and bob's PUT
	// turning reminders on lets him listen.
	on := map[string]any{}
	for k, v := range breakSettingsUpdate {
		on[k] = v
	}
	if res := e.do(t, e.bob, "PUT", "/api/v1/breaks/settings", on); res.status != 200 {
		t.Fatalf("turning on: %d %s", res.status, res.body)
	}
	if res := e.do(t, e.bob, "GET", "/api/v1/breaks/events", nil); res.status != 200 || !strings.Contains(string(res.body), "event: status") {
		t.Fatalf("after turning on: %d %s", res.status, res.body)
	}
}

func TestBreakRequestsAreChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	for _, c := range []struct {
		path  string
		body  any
		field string
	}{
		{"/api/v1/breaks/pause", map[string]any{"minutes": 30, "until": "tomorrow"}, "body.until"},
		{"/api/v1/breaks/pause", map[string]any{"until": "monday"}, "body.until"},
		{"/api/v1/breaks/pause", map[string]any{}, "body.minutes"},
		{"/api/v1/breaks/start", map[string]any{"kind": "nap"}, "body.kind"},
		{"/api/v1/breaks/activity", map[string]any{"idle_seconds": 1.5}, "body.idle_seconds"},
	} {
		res := e.do(t, e.alice, "POST", c.path, c.body)
		p := problemOf(t, res)
		if res.status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Location != c.field {
			t.Errorf("POST %s %v: %d %s, want 400 about %s", c.path, c.body, res.status, res.body, c.field)
		}
	}
	for _, q := range []string{"?from=2026-03-05&to=2026-03-01", "?from=2024-01-01&to=2026-03-01", "?to=yesterday"} {
		if res := e.do(t, e.alice, "GET", "/api/v1/breaks/days"+q, nil); res.status != http.StatusBadRequest {
			t.Errorf("days%s: %d %s", q, res.status, res.body)
		}
	}
	day := backcoach.BreakDay{Date: "2026-02-20", Due: 3, Taken: 2}
	if err := e.store.SaveBreakDay(context.Background(), e.alice.id, &day); err != nil {
		t.Fatal(err)
	}
	var page Page[backcoach.BreakDay]
	e.do(t, e.alice, "GET", "/api/v1/breaks/days", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0] != day {
		t.Errorf("the last 30 days: %+v, want %+v", page.Items, day)
	}
	e.do(t, e.bob, "GET", "/api/v1/breaks/days", nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("bob sees alice's days: %+v", page.Items)
	}
}

// TestBreakEventsEndWhenSignedOut checks that a stream does not outlive
// its credential: once the token it was opened with is revoked, the next
// keep-alive ends the stream instead of sending more.
func TestBreakEventsEndWhenSignedOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/breaks/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.alice.secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	events := newSSEReader(t, res.Body)
	if ev := events.next(); ev.name != "status" {
		t.Fatalf("first event %+v", ev)
	}
	e.breakClock.Advance(live.DefaultKeepAlive)
	if ev := events.any(); ev.comment != "keep-alive" {
		t.Fatalf("while signed in: %+v, want a keep-alive comment", ev)
	}
	ctx := context.Background()
	tokens, err := e.store.AccessTokens(ctx, e.alice.id)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v %v", tokens, err)
	}
	if err := e.store.RevokeAccessToken(ctx, e.alice.id, tokens[0].ID); err != nil {
		t.Fatal(err)
	}
	e.breakClock.Advance(live.DefaultKeepAlive)
	if !events.ended() {
		t.Fatal("the stream went on after its token was revoked")
	}
}
