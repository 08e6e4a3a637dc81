package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPages visits every page of the web app, signed out and signed in,
// on a laptop and on a phone. Each page load is weighed on the wire (at
// most 100 KB with its style sheets and scripts, cache disabled), must
// carry a Content-Security-Policy header and report no violation of it,
// and is checked with axe-core: no serious or critical violation. The
// weights are logged, heaviest first. With BACKCOACH_SCREENSHOTS set, a
// screenshot of each page is kept.
func TestPages(t *testing.T) {
	t.Parallel()
	browser(t)
	srv := startServer(t)
	for _, vp := range []viewport{laptop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel() // the two screens sign up accounts of their own, in tabs of their own
			checkPages(t, srv, vp)
		})
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
	a.check(b.openStatus("sign-in-needed", "/diary", 401))
	a.check(b.open("offline-signed-out", "/offline"))

	// Signed in: the wizard, one screen of each kind.
	b.open("sign-up", "/signup")
	b.do("filling in the sign-up form",
		b.typeInto("#handle", "audit."+vp.name),
		b.typeInto("#password", testPassword),
		b.typeInto("#confirm", testPassword),
	)
	a.check(b.follow("introduction", b.press(`form[action="/signup"] button[type=submit]`)))
	a.check(b.follow("wizard-emergency-signs", b.press(`main a.skip-intro`)))
	a.check(b.load("wizard-signs-error", 400, b.press(`main form button.primary[type=submit]`)))
	b.expect(`fieldset.checklist.invalid`, "the checklist marked as unanswered")
	b.do("none of these", b.press(`input[name=none]`))
	a.check(b.follow("wizard-other-signs", b.press(`main form button.primary[type=submit]`)))
	b.do("none of these", b.press(`input[name=none]`))
	a.check(b.follow("wizard-today", b.press(`main form button.primary[type=submit]`)))
	a.check(b.load("wizard-today-errors", 400, b.press(`main form button.primary[type=submit]`)))
	b.expect(`#weeks[aria-invalid="true"]`, "the weeks marked as wrong when left empty")
	b.do("the pain today",
		b.press(`input[name=pain_now][value="5"]`),
		b.press(`input[name=stage_description][value=moderate]`),
		b.typeInto("#weeks", "2"),
		b.press(`input[name=trend][value=better]`))
	a.shown("wizard-today-answered")
	a.check(b.follow("wizard-about", b.press(`main form button.primary[type=submit]`)))
	b.do("about you", b.typeInto("#age", "52"), b.press(`input[name=clinician_assessed][value=no]`))
	a.check(b.follow("wizard-causes", b.press(`main form button.primary[type=submit]`)))
	a.check(b.follow("wizard-routine", b.press(`main form button.primary[type=submit]`)))
	a.check(b.follow("result", b.press(`main form button.primary[type=submit]`)))

	// The coach.
	a.check(b.follow("plan", b.press(`main a.primary[href="/plan"]`)))
	a.check(b.follow("player", b.press(`main a.primary[href$="/session"]`)))
	b.do("the pain before", b.press(`[data-scale=before] [data-pain="4"]`))
	poll[bool](b, "the first exercise", `!document.querySelector("#screen-exercise").hidden`)
	a.shown("player-exercise")
	// The player's other screens: running, the stop's two checklists,
	// going on, and the end.
	// Start and pause in one go: the fast clock would end the exercise
	// before a second press.
	b.do("start and pause", chromedp.Evaluate[chromedp.Void](`document.querySelector(".player-bar [data-action=start]").click(); document.querySelector(".player-bar [data-action=pause]").click();`))
	a.shown("player-paused")
	b.do("stop", b.press(`.player-bar [data-action=symptoms]`))
	poll[bool](b, "the stop's first checklist", `!document.querySelector("#screen-signs-now").hidden`)
	a.shown("player-signs-now")
	b.do("none of these", b.press(`#screen-signs-now [data-none]`), b.press(`[data-action=signs-next]`))
	poll[bool](b, "the stop's second checklist", `!document.querySelector("#screen-signs-more").hidden`)
	a.shown("player-signs-more")
	b.do("none of these either", b.press(`#screen-signs-more [data-none]`), b.press(`[data-action=signs-done]`))
	poll[bool](b, "going on", `!document.querySelector("#screen-goon").hidden`)
	a.shown("player-go-on")
	b.do("end", b.press(`#screen-goon [data-action=end]`))
	poll[bool](b, "the pain after", `!document.querySelector("#screen-after").hidden`)
	a.shown("player-after")
	b.do("the pain after", b.press(`[data-scale=after] [data-pain="3"]`))
	poll[bool](b, "the end screen", `!document.querySelector("#screen-done").hidden && document.querySelector('[data-bind="done-title"]').textContent !== "Saving…"`)
	a.shown("player-end")
	a.check(b.open("today", "/"))
	b.do("a quick log", b.press(`#quick-log .scale-item input[value="2"] + span`), b.press(`#quick-log button[type=submit]`))
	poll[bool](b, "the quick log saved", `document.querySelector("#quick-log").textContent.includes("Saved: pain 2")`)
	b.checkEvents("the quick log")
	a.check(b.open("diary", "/diary"))
	b.do("the 7 days' report", b.press(`#report .tabs a[href="/diary?days=7"]`))
	poll[bool](b, "the 7 days' report", `document.querySelector("#report-title").textContent.includes("7 days")`)
	b.checkEvents("the diary's period")
	a.check(b.open("settings", "/settings"))
	// The pages the walk above does not reach.
	a.check(b.open("settings-advanced", "/settings/advanced"))
	a.check(b.open("sharing", "/settings/sharing"))
	a.check(b.open("assessments", "/assessments"))
	a.check(b.follow("assessment", b.press(`main a[href^="/assessments/"]`)))
	a.check(b.open("safety", "/safety"))
	a.check(b.open("break", "/break"))
	b.open("diary", "/diary")
	a.check(b.follow("diary-entry", b.press(`#report .pains a[href^="/diary/"]`)))
	b.open("diary", "/diary")
	a.check(b.follow("session", b.press(`#report .pains a[href^="/sessions/"]`)))
	a.check(b.open("offline", "/offline"))
	a.check(b.open("library-signed-in", "/exercises"))
	a.check(b.openStatus("not-found-signed-in", "/no-such-page", 404))
	a.check(b.open("calendar-feed", "/settings/calendar"))

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
