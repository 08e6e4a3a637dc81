package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestPages visits every page of the web app, signed out and signed in,
// on a laptop and on a phone. Each page load is weighed on the wire (at
// most 100 KB with its style sheets and scripts, cache disabled), must
// carry a Content-Security-Policy header and report no violation of it,
// and is checked with axe-core: no serious or critical violation. The
// weights are logged, heaviest first. With BACKCOACH_SCREENSHOTS set, a
// screenshot of each page is kept.
func TestPages(t *testing.T) {
	browser(t)
	srv := startServer(t)
	for _, vp := range []viewport{laptop, phone} {
		t.Run(vp.name, func(t *testing.T) { checkPages(t, srv, vp) })
	}
}

// audit is the page checks of one screen.
type audit struct {
	b     *tab
	loads []*pageLoad
	pages int // pages checked, to number the screenshots
}

// check keeps the weight of a page load, runs axe-core on the page and
// keeps its screenshot.
func (a *audit) check(pl *pageLoad) {
	a.b.t.Helper()
	a.loads = append(a.loads, pl)
	a.shown(pl.name)
}

// shown runs axe-core on the page as it is now and keeps its screenshot.
func (a *audit) shown(name string) {
	a.b.t.Helper()
	a.pages++
	a.b.axe(name)
	a.b.shot(fmt.Sprintf("%02d-%s", a.pages, name))
}

func checkPages(t *testing.T, srv *server, vp viewport) {
	b := newTab(t, srv, vp)
	a := &audit{b: b}

	// Signed out.
	a.check(b.open("landing", "/"))
	a.check(b.open("sign-up", "/signup"))
	a.check(b.open("sign-in", "/signin"))
	a.check(b.open("library", "/exercises"))
	exercise := eval[string](b, `(document.querySelector("main .library a[href^='/exercises/']") || {getAttribute: () => ""}).getAttribute("href")`)
	if exercise == "" {
		t.Fatalf("the exercise library links to no exercise: %q", b.text("main"))
	}
	a.check(b.open("exercise", exercise))
	a.check(b.openStatus("not-found", "/no-such-page", 404))

	// Signed in: the wizard, one screen of each kind.
	b.open("sign-up", "/signup")
	b.do("filling in the sign-up form",
		b.typeInto("#handle", "audit."+vp.name),
		b.typeInto("#password", testPassword),
		b.typeInto("#confirm", testPassword),
	)
	a.check(b.follow("introduction", b.press(`form[action="/signup"] button[type=submit]`)))
	a.check(b.follow("wizard-emergency-sign", b.press(`main a.skip-intro`)))
	urgent := false
	for q := 1; b.has(`button[name=answer][value=no]`); q++ {
		if q > 60 {
			t.Fatal("the warning signs never end")
		}
		pl := b.follow(fmt.Sprintf("warning sign %d", q+1), b.press(`button[name=answer][value=no]`))
		if !urgent && strings.Contains(b.text("main .kicker"), "need a doctor") {
			urgent = true
			pl.name = "wizard-urgent-sign"
			a.check(pl)
		}
	}
	if !urgent {
		t.Error("no warning sign that needs a doctor was asked")
	}
	b.expect("#age", "the age question")
	a.shown("wizard-age")
	a.check(b.load("wizard-age-error", 400, b.press(`main form button.primary[type=submit]`)))
	b.expect(`#age[aria-invalid="true"]`, "the age marked as wrong when left empty")
	b.do("typing the age", b.typeInto("#age", "52"))
	a.check(b.follow("wizard-pain", b.press(`main form button.primary[type=submit]`)))
	a.check(b.follow("wizard-stage", b.press(`button[name=pain_now][value="5"]`)))
	a.check(b.follow("wizard-weeks", b.press(`button[name=stage_description][value=moderate]`)))
	b.do("typing the weeks", b.typeInto("#weeks", "2"))
	a.check(b.follow("wizard-trend", b.press(`main form button.primary[type=submit]`)))
	a.check(b.follow("wizard-assessed", b.press(`button[name=trend][value=better]`)))
	a.check(b.follow("wizard-conditions", b.press(`button[name=clinician_assessed][value=no]`)))
	a.check(b.follow("wizard-causes", b.press(`main form button.primary[type=submit]`)))
	a.check(b.follow("wizard-routine", b.press(`main form button.primary[type=submit]`)))
	a.check(b.follow("result", b.press(`main form button.primary[type=submit]`)))

	// The coach.
	a.check(b.follow("plan", b.press(`main a.primary[href="/plan"]`)))
	a.check(b.follow("player", b.press(`main a.primary[href$="/session"]`)))
	b.do("the pain before", b.press(`[data-scale=before] [data-pain="4"]`))
	poll[bool](b, "the first exercise", `!document.querySelector("#screen-exercise").hidden`)
	a.shown("player-exercise")
	a.check(b.open("today", "/"))
	b.do("a quick log", b.press(`#quick-log .scale-item input[value="2"] + span`), b.press(`#quick-log button[type=submit]`))
	poll[bool](b, "the quick log saved", `document.querySelector("#quick-log").textContent.includes("Saved: pain 2")`)
	b.checkEvents("the quick log")
	a.check(b.open("diary", "/diary"))
	b.do("the 7 days' report", b.press(`#report .tabs a[href="/diary?days=7"]`))
	poll[bool](b, "the 7 days' report", `document.querySelector("#report-title").textContent.includes("7 days")`)
	b.checkEvents("the diary's period")
	a.check(b.open("settings", "/settings"))
	a.check(b.open("library-signed-in", "/exercises"))
	a.check(b.openStatus("not-found-signed-in", "/no-such-page", 404))

	// The weights, heaviest first.
	sort.Slice(a.loads, func(i, j int) bool { return a.loads[i].bytes > a.loads[j].bytes })
	var sb strings.Builder
	for _, pl := range a.loads {
		fmt.Fprintf(&sb, "\n  %9s  %2d requests  %-22s %s", kbytes(pl.bytes), len(pl.requests), pl.name, pl.path)
	}
	heaviest := a.loads[0]
	t.Logf("page weights on a %s (limit %s); the heaviest is %s (%s) at %s:%s\n%s", vp.name, kbytes(maxPageBytes),
		heaviest.name, heaviest.path, kbytes(heaviest.bytes), sb.String(), heaviest.breakdown())
}
