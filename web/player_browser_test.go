package web

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// docsShots is where the player's screenshots for the README go, when
// the tests run with -docs-screenshots (otherwise they are taken and
// checked, and left in a temporary folder).
const docsShots = "../docs/screenshots"

var docsScreenshots = flag.Bool("docs-screenshots", false, "save the README's screenshots into docs/screenshots")

// rect is an element's place on the screen.
type rect struct {
	Name                     string
	Top, Bottom, Left, Right float64
	Visible                  bool
	W, H                     float64
}

// rects returns where the elements are, with the viewport's size.
func rects(b *tab, sel string) []rect {
	b.t.Helper()
	return eval[[]rect](b, fmt.Sprintf(`Array.from(document.querySelectorAll(%q), el => {
		const r = el.getBoundingClientRect();
		return {Name: el.textContent.trim() || el.className.baseVal || el.className, Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right,
			Visible: r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden", W: innerWidth, H: innerHeight};
	})`, sel))
}

// inView fails unless every element matched is shown whole in the
// viewport.
func inView(b *tab, what, sel string) {
	b.t.Helper()
	rs := rects(b, sel)
	if len(rs) == 0 {
		b.t.Errorf("%s: nothing matches %s", what, sel)
	}
	for _, r := range rs {
		if !r.Visible || r.Top < 0 || r.Left < 0 || r.Bottom > r.H+0.5 || r.Right > r.W+0.5 {
			b.t.Errorf("%s on a %s screen: %q spans %.0f–%.0f × %.0f–%.0f px of %.0f×%.0f (visible %v)", what, b.size, r.Name, r.Left, r.Right, r.Top, r.Bottom, r.W, r.H, r.Visible)
		}
	}
}

// docShot keeps a screenshot for the README.
func (b *tab) docShot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := b.t.TempDir()
	if *docsScreenshots {
		dir = docsShots
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// signIn signs a tab in.
func (b *tab) signIn(handle string) {
	b.t.Helper()
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), handle), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
}

// TestBrowserPlayerScreens goes through the player on a phone and on a
// laptop: while exercising the site's navigation hides and Pause, Back,
// Skip and Stop stay inside the viewport, the focus is on the new
// screen's heading, the picture moves; a stop asks the emergency signs on
// one checklist and the others on a second, and after a stop with no
// sign ending the session is the first choice; the end screen says the
// pain rose instead of congratulating.
func TestBrowserPlayerScreens(t *testing.T) {
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"laptop", 1366, 768}} {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			app := newApp(t, options{timeScale: 1})
			bb := app.signup(t, "play")
			takeAssessment(t, bb, mildDesk)
			b := newTab(t, app.ts.URL, vp.w, vp.h)
			b.signIn("play")
			b.open("/")
			b.submit(`main a.primary[href$="/session"]`)
			loc, _ := chromedp.Run(b.ctx, chromedp.Location())
			if !strings.Contains(loc, "/plans/") {
				t.Errorf("Today's Start goes to %s, not the plan's player", loc)
			}
			b.do("pain before", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="2"]`)))
			b.poll(`window.__player.phase === "ready"`)
			if focus := eval[string](b, `document.activeElement.closest(".screen") ? document.activeElement.closest(".screen").id + " " + document.activeElement.tagName : document.activeElement.tagName`); focus != "screen-exercise H2" {
				t.Errorf("the focus is on %q, not on the exercise's heading", focus)
			}
			b.do("start", chromedp.Click(chromedp.CSS(`.player-bar [data-action=start]`)))
			b.poll(`window.__player.phase === "run"`)
			if eval[bool](b, `getComputedStyle(document.querySelector("body > .top")).display !== "none"`) {
				t.Error("the site's navigation shows while exercising")
			}
			inView(b, "the controls while exercising", `.player-bar [data-action=pause], .player-bar [data-action=back], .player-bar [data-action=skip], .player-bar [data-action=symptoms]`)
			inView(b, "the countdown", `#screen-exercise .countdown`)
			inView(b, "the picture", `#screen-exercise .player-picture:not([hidden]) svg.picture-moving`)
			if focus := eval[string](b, `document.activeElement.dataset.action || document.activeElement.tagName`); focus != "pause" {
				t.Errorf("after Start the focus is on %q, not on Pause", focus)
			}
			if n := eval[int](b, `document.querySelectorAll("#screen-exercise .player-picture:not([hidden]) svg.picture-moving animate").length`); n == 0 {
				t.Error("the exercise's picture does not move")
			}
			if eval[string](b, `document.querySelector('.player-bar [data-action=symptoms]').textContent.trim()`) != "Stop" {
				t.Error("no Stop button in the bar")
			}
			b.checkPage("exercising")
			b.docShot("player-" + vp.name)

			// Less motion: the still picture instead.
			if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
			}); err != nil {
				t.Fatal(err)
			}
			if eval[bool](b, `getComputedStyle(document.querySelector("#screen-exercise .player-picture:not([hidden]) svg.picture-moving")).display !== "none"`) {
				t.Error("the moving picture shows to someone who asked for less motion")
			}

			// Pause, then Stop: two checklists.
			b.do("pause", chromedp.Click(chromedp.CSS(`.player-bar [data-action=pause]`)))
			if !eval[bool](b, `window.__player.paused`) {
				t.Error("Pause does not pause")
			}
			b.do("stop", chromedp.Click(chromedp.CSS(`.player-bar [data-action=symptoms]`)))
			b.poll(`window.__player.phase === "signs-now"`)
			emergency := eval[int](b, `document.querySelectorAll("#screen-signs-now input[value]").length`)
			other := eval[int](b, `document.querySelectorAll("#screen-signs-more input[value]").length`)
			if emergency == 0 || other == 0 || eval[int](b, `document.querySelectorAll("#screen-signs-now [data-none]").length`) != 1 {
				t.Errorf("the stop's checklists hold %d and %d signs", emergency, other)
			}
			b.do("continue with nothing ticked", chromedp.Click(chromedp.CSS(`[data-action=signs-next]`)))
			if msg := b.text(`#signs-now-error`); !strings.Contains(msg, "None of these") || eval[string](b, `window.__player.phase`) != "signs-now" {
				t.Errorf("nothing ticked: %q", msg)
			}
			b.do("none of these", chromedp.Click(chromedp.CSS(`#screen-signs-now [data-none]`)))
			if vp.name == "phone" {
				b.docShot("player-stop-phone")
			}
			b.do("continue", chromedp.Click(chromedp.CSS(`[data-action=signs-next]`)))
			b.poll(`window.__player.phase === "signs-more"`)
			b.do("none of these either", chromedp.Click(chromedp.CSS(`#screen-signs-more [data-none]`)), chromedp.Click(chromedp.CSS(`[data-action=signs-done]`)))
			b.poll(`window.__player.phase === "goon"`)
			if primary := b.text(`#screen-goon .primary`); primary != "End the session" {
				t.Errorf("after a stop with no sign the first choice is %q", primary)
			}
			b.do("end", chromedp.Click(chromedp.CSS(`#screen-goon [data-action=end]`)))
			b.poll(`window.__player.phase === "after"`)
			b.do("pain after", chromedp.Click(chromedp.CSS(`[data-scale=after] [data-pain="6"]`)))
			b.poll(`window.__player.phase === "done" && document.querySelector('[data-bind="done-title"]').textContent !== "Saving…"`)
			if title := b.text(`[data-bind="done-title"]`); title == "Well done" || !strings.Contains(b.text("#screen-done"), "from 2 to 6") {
				t.Errorf("the end after the pain rose says %q: %q", title, b.text("#screen-done"))
			}
			if !eval[bool](b, `document.querySelector("[data-congratulate]").hidden`) {
				t.Error("the end screen celebrates a session in which the pain rose")
			}
			if eval[bool](b, `getComputedStyle(document.querySelector("body > .top")).display === "none"`) {
				t.Error("the site's navigation stays hidden at the end")
			}
			b.checkPage("the end screen")
			if vp.name == "phone" {
				b.docShot("player-end-phone")
			}
		})
	}
}

// TestBrowserPlayerOfflineFromToday: Today is opened once online; then,
// without a network, its Start opens the player (kept by the service
// worker ahead of time) and the session runs.
func TestBrowserPlayerOfflineFromToday(t *testing.T) {
	app := newApp(t, options{timeScale: 400})
	bb := app.signup(t, "away")
	takeAssessment(t, bb, mildDesk)
	b := newTab(t, app.ts.URL, 390, 844)
	b.signIn("away")
	b.waitForServiceWorker("/")
	b.open("/") // controlled now: Today asks the worker to keep the player
	start := eval[string](b, `document.querySelector('main a.primary[href$="/session"]').getAttribute("href")`)
	if !strings.HasPrefix(start, "/plans/") {
		t.Fatalf("Today's Start goes to %s", start)
	}
	b.poll(fmt.Sprintf(`caches.open("backcoach-pages").then(c => c.match(%q)).then(r => !!r)`, start))

	app.ts.Close() // offline
	b.open("/")
	b.submit(`main a.primary[href$="/session"]`)
	if !eval[bool](b, `!!document.getElementById("player")`) {
		t.Fatalf("offline, Today's Start shows %q", b.text("main"))
	}
	b.do("pain before", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="2"]`)))
	b.poll(`window.__player.phase === "ready"`)
	b.do("leave without the question", chromedp.Evaluate[chromedp.Void](`window.__player.started = null`))
	b.open("/offline")
	for _, href := range eval[[]string](b, `Array.from(document.querySelectorAll("main a.button"), a => a.getAttribute("href"))`) {
		if href == "/session" {
			t.Error("the offline page's button goes to /session, which is never kept")
		}
	}
}

// TestBrowserPlayerExpiredSignIn: a session finished after the sign-in
// expired is kept on the device; the end screen links to the sign-in,
// which comes back to the player, and the session is sent then.
func TestBrowserPlayerExpiredSignIn(t *testing.T) {
	app := newApp(t, options{timeScale: 400})
	bb := app.signup(t, "late")
	takeAssessment(t, bb, mildDesk)
	b := newTab(t, app.ts.URL, 1366, 768)
	b.signIn("late")
	b.open("/plan")
	b.submit(`main a.primary[href$="/session"]`)
	player, _ := chromedp.Run(b.ctx, chromedp.Location())
	player = strings.TrimPrefix(player, app.ts.URL)
	b.do("pain before", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="3"]`)))
	b.poll(`window.__player.phase === "ready"`)
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err) // the sign-in expires
	}
	b.do("end", chromedp.Click(chromedp.CSS(`[data-action=quit]`)), chromedp.Click(chromedp.CSS(`[data-action=quit-yes]`)))
	b.poll(`window.__player.phase === "after"`)
	b.do("pain after", chromedp.Click(chromedp.CSS(`[data-scale=after] [data-pain="2"]`)))
	b.poll(`window.__player.phase === "done" && !document.querySelector("[data-signin]").hidden`)
	if n := eval[int](b, `JSON.parse(localStorage.getItem("backcoach-pending-sessions") || "[]").length`); n != 1 {
		t.Fatalf("%d sessions kept on the device, want 1", n)
	}
	b.shot("player-signin-expired")
	href := eval[string](b, `document.querySelector("[data-signin]").getAttribute("href")`)
	if href != "/signin?next="+strings.ReplaceAll(player, "/", "%2F") {
		t.Errorf("the sign-in link is %s", href)
	}
	b.submit(`[data-signin]`)
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "late"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	if loc, _ := chromedp.Run(b.ctx, chromedp.Location()); !strings.HasSuffix(loc, player) {
		t.Errorf("the sign-in came back to %s, not %s", loc, player)
	}
	b.poll(`JSON.parse(localStorage.getItem("backcoach-pending-sessions") || "[]").length === 0`)
	sessions, _ := app.st.Sessions(context.Background(), app.person(t, "late").ID, filterAll)
	if len(sessions) != 1 || sessions[0].PainAfter == nil || *sessions[0].PainAfter != 2 {
		t.Errorf("the session kept across the sign-in: %+v", sessions)
	}
}

// TestBrowserDoubleTap: the check-in's form sent twice at once (two quick
// taps) keeps one entry.
func TestBrowserDoubleTap(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "tap")
	takeAssessment(t, bb, mildDesk)
	b := newTab(t, app.ts.URL, 390, 844)
	b.signIn("tap")
	b.open("/diary")
	b.do("check in", chromedp.Click(chromedp.CSS(`.scale-item input[name=pain][value="3"]`)))
	if eval[bool](b, `!!document.querySelector("input[name=none]")`) {
		b.do("none", chromedp.Click(chromedp.CSS(`input[name=none]`)))
	}
	statuses, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]int](`(async () => {
		const form = document.querySelector('#checkin-title ~ form');
		const send = () => fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin"}).then(r => r.status);
		return await Promise.all([send(), send()]);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := app.st.DiaryEntries(context.Background(), app.person(t, "tap").ID, filterAll)
	if len(entries) != 1 {
		t.Errorf("two taps kept %d entries, want 1 (statuses %v)", len(entries), statuses)
	}
}
