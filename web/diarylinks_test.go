package web

import (
	"strings"
	"testing"
)

// TestDiaryLinksToItsParts: the diary's first lines link to the chart and
// to how it is read (on a phone the check-in's warning signs fill the
// first screens), and every link lands on a part of the page.
func TestDiaryLinksToItsParts(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "dia")
	r := b.get("/diary")
	wantStatus(t, r, 200)
	links := r.body[strings.Index(r.body, `class="page-links"`):]
	links = links[:strings.Index(links, "</p>")]
	for _, id := range []string{"report", "rules"} {
		if !strings.Contains(links, `href="#`+id+`"`) {
			t.Errorf("the diary's first lines do not link to #%s: %s", id, links)
		}
		if !strings.Contains(r.body, `id="`+id+`"`) {
			t.Errorf("the diary has no part #%s", id)
		}
	}
	if strings.Index(r.body, `class="page-links"`) > strings.Index(r.body, `id="checkin-title"`) {
		t.Error("the links come after the check-in")
	}
}
