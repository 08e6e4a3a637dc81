package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// TestEmergencyScreenSaysWhatToDo checks the screen an emergency answer
// shows: its heading says what to do, and the number of the person's
// region is the first, primary button.
func TestEmergencyScreenSaysWhatToDo(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	title := triage.LevelOf(backcoach.UrgencyEmergency).Title
	firstCall := regexp.MustCompile(`<div class="calls">\s*<a class="button call primary" href="tel:([0-9]+)">`)
	for _, c := range []struct{ zone, number string }{
		{"Europe/London", "999"}, {"Europe/Berlin", "112"}, {"America/Chicago", "911"},
	} {
		b := app.signup(t, "p"+strings.ToLower(strings.NewReplacer("/", "", "_", "").Replace(c.zone)))
		wantStatus(t, b.post("/settings/profile", url.Values{"time_zone": {c.zone}}), http.StatusSeeOther)
		r := answer(b, b.get("/assess").body, url.Values{"flags": {"chest_pain"}})
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, `<h1 id="refusal-title">`+title+`</h1>`) {
			t.Errorf("%s: the emergency screen's heading is not %q", c.zone, title)
		}
		if n := strings.Count(r.body, "<h1"); n != 1 {
			t.Errorf("%s: the emergency screen has %d main headings", c.zone, n)
		}
		if m := firstCall.FindStringSubmatch(r.body); m == nil || m[1] != c.number {
			t.Errorf("%s: the first number to call is %v; want %s", c.zone, m, c.number)
		}
	}
}
