package live

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/store"
)

// secondHub is another server's hub on the same database: a store of its
// own on the same file, the same clock.
func (e *env) secondHub() *Hub {
	e.t.Helper()
	st, err := store.Open(context.Background(), e.st.Path(), store.Options{Now: e.clock.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { st.Close() })
	hub, err := New(Config{Store: st, Catalog: testCatalog, Offers: coach.New(st, testCatalog, e.clock.Now).BreakOffer, Clock: e.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(hub.Close)
	return hub
}

// TestPauseSharedBetweenServers pauses through one hub and finds the
// pause through another, whose page is told; resuming through the second
// ends the pause on the first.
func TestPauseSharedBetweenServers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.secondHub()
	ann := e.person("ann", nil)
	st := e.subscribe(ann)
	otherStream, err := other.Subscribe(e.ctx, ann)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(otherStream.Close)
	events(st)
	events(otherStream)

	e.work(ann, 30*time.Minute)
	if got := names(events(st)); got != "offer" {
		t.Fatalf("after 30 minutes of work: %q, want an offer", got)
	}
	paused, err := e.hub.Pause(e.ctx, ann, time.Hour)
	if err != nil || paused.PausedUntil == nil {
		t.Fatalf("Pause: %+v, %v", paused, err)
	}
	s, err := other.Status(e.ctx, ann)
	if err != nil {
		t.Fatal(err)
	}
	if s.PausedUntil == nil || !s.PausedUntil.Equal(*paused.PausedUntil) {
		t.Fatalf("the other server's status: paused until %v, want %v", s.PausedUntil, paused.PausedUntil)
	}
	// The other server held a break on offer too (the page there saw the
	// same activity): the pause withdraws it there.
	if got := names(events(otherStream)); got != "withdraw" && got != "" {
		t.Errorf("the other server's page heard %q", got)
	}
	e.clock.Advance(10 * time.Minute)
	if _, err := other.Resume(e.ctx, ann); err != nil {
		t.Fatal(err)
	}
	s, err = e.hub.Status(e.ctx, ann)
	if err != nil || s.PausedUntil != nil {
		t.Fatalf("after resuming through the other server, the first says paused until %v (%v)", s.PausedUntil, err)
	}
	if _, err := other.PauseUntilTomorrow(e.ctx, ann); err != nil {
		t.Fatal(err)
	}
	s, err = e.hub.Status(e.ctx, ann)
	tomorrow := time.Date(2026, 3, 3, 4, 0, 0, 0, time.UTC) // London is on UTC in March
	if err != nil || s.PausedUntil == nil || !s.PausedUntil.Equal(tomorrow) {
		t.Fatalf("paused until tomorrow through the other server; the first says %v (%v), want %v", s.PausedUntil, err, tomorrow)
	}
	// A pause already taken on is not taken on again: a new pause here
	// stands until another is set.
	if _, err := e.hub.Pause(e.ctx, ann, breaks.MinPause); err != nil {
		t.Fatal(err)
	}
	if s, _ := e.hub.Status(e.ctx, ann); s.PausedUntil == nil || s.PausedUntil.Equal(tomorrow) {
		t.Fatalf("after a short pause here: paused until %v", s.PausedUntil)
	}
}

// TestFiguresFromTwoServers runs a reminder on each of two hubs, pages
// on both reporting the same work: the break on offer is snoozed through
// the first, and the second, which never heard of that, saves its copy
// last, when it closes; the day keeps the snooze.
func TestFiguresFromTwoServers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.secondHub()
	ann := e.person("ann", nil)
	e.subscribe(ann)
	otherStream, err := other.Subscribe(e.ctx, ann)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(otherStream.Close)
	work := func(d time.Duration) {
		for left := d; left > 0; left -= 30 * time.Second {
			e.clock.Advance(30 * time.Second)
			for _, h := range []*Hub{e.hub, other} {
				if _, err := h.Report(e.ctx, ann, Activity{Visible: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	work(30 * time.Minute)
	if _, err := e.hub.Snooze(e.ctx, ann); err != nil {
		t.Fatal(err)
	}
	work(time.Minute)
	e.hub.Close()
	first := e.day(ann)
	if first.Snoozed != 1 || first.Due != 1 {
		t.Fatalf("the first server's day: %+v, want a break due and snoozed", first)
	}
	other.Close()
	if d := e.day(ann); d.Snoozed != first.Snoozed || d.Due != first.Due || d.ActiveSeconds < first.ActiveSeconds {
		t.Errorf("after the second server saved its copy: %+v, lost figures of %+v", d, first)
	}
}
