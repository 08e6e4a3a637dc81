package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// TestKeptCheckInLandsOnItsDay: a check-in kept on the device and sent
// later says when it was typed (typed_at), and is kept at that time, so
// that it lands on its own day; a time ahead of the server or more than a
// year back (a device's wrong clock) is kept at now; not a time is
// refused (400, nothing kept).
func TestKeptCheckInLandsOnItsDay(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "kep")
	me := app.person(t, "kep")
	now := app.clock.Now()
	lastNight := now.Add(-13 * time.Hour).Truncate(time.Second)
	post := func(typed string) response {
		return b.post("/diary", url.Values{"pain": {"4"}, "typed_at": {typed}})
	}
	for _, typed := range []string{lastNight.Format(time.RFC3339), now.Add(time.Hour).Format("2006-01-02T15:04:05.000Z07:00"), now.AddDate(-2, 0, 0).Format(time.RFC3339)} {
		r := post(typed)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, "a kept check-in", r.body, "Saved: pain 4")
	}
	for _, bad := range []string{"yesterday evening", "2026-11-19"} {
		// Only the kept check-ins' script sends typed_at: it reads the
		// status, and says the check-in could not be saved.
		wantStatus(t, post(bad), http.StatusBadRequest)
	}
	list, err := app.st.DiaryEntries(context.Background(), me.ID, backcoach.Filter{})
	if err != nil || len(list) != 3 {
		t.Fatalf("entries: %d, %v; want 3", len(list), err)
	}
	got := map[time.Time]bool{}
	for _, e := range list {
		got[e.At.UTC()] = true
	}
	if !got[lastNight.UTC()] || !got[now.UTC()] {
		t.Errorf("entries at %v; want one at %v (typed last night) and two at %v (a device's clock ahead or years behind)", got, lastNight, now)
	}
}

func TestTypedAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":                          now,
		"2026-03-01T21:05:00Z":      time.Date(2026, 3, 1, 21, 5, 0, 0, time.UTC),
		"2026-03-01T21:05:00.250Z":  time.Date(2026, 3, 1, 21, 5, 0, 250e6, time.UTC),
		"2026-03-02T10:00:00+01:00": now,
		"2026-03-03T00:00:00Z":      now,
	} {
		got, err := typedAt(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("typedAt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"tomorrow", "2026-03-01"} {
		if _, err := typedAt(in, now); backcoach.ErrorCode(err) != backcoach.EINVALID {
			t.Errorf("typedAt(%q): %v, want EINVALID", in, err)
		}
	}
}
