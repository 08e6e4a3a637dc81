package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/internal/testenv"
)

// chromiumPath is Debian's Chromium.
const chromiumPath = "/usr/bin/chromium"

// screenshotsEnv names a folder to keep the screenshots the browser tests
// take; without it they go to a temporary folder.
const screenshotsEnv = "BACKCOACH_SCREENSHOTS"

// watchScript runs in every page before its own scripts and collects
// Content-Security-Policy violations.
const watchScript = `window.__csp = []; document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`

// tab is a Chromium tab the test drives.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	size  string
	mu    sync.Mutex
	errs  []string
}

// newTab starts Chromium, or skips (fails when BACKCOACH_REQUIRE names
// chromium) when it is missing.
func newTab(t *testing.T, base string, width, height int64) *tab {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testenv.Unavailable(t, "chromium", "no browser at "+chromiumPath+" (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(int(width), int(height)),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, base: base, size: fmt.Sprintf("%dx%d", width, height)}
	tb.shots = os.Getenv(screenshotsEnv)
	if tb.shots == "" {
		tb.shots = t.TempDir()
	}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, chromedp.EmulateScale(1))); err != nil {
		testenv.Unavailable(t, "chromium", "it does not start: "+err.Error())
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.errs = append(tb.errs, ev.ExceptionDetails.Text+" "+describeException(ev))
			tb.mu.Unlock()
		}
	}()
	return tb
}

func describeException(ev runtime.EventExceptionThrown) string {
	if ev.ExceptionDetails.Exception != nil {
		return ev.ExceptionDetails.Exception.Description
	}
	return ""
}

// do runs actions, failing the test on an error.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page and waits for it.
func (b *tab) open(path string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.checkPage(path)
}

// submit clicks something that loads a new page and waits for it.
func (b *tab) submit(sel string) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	if res.Status >= 400 {
		html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		b.t.Fatalf("click %s: status %d\n%.2000s", sel, res.Status, html)
	}
	b.checkPage(sel)
}

// text returns the text of the element.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval evaluates an expression.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// poll waits until the expression is true.
func (b *tab) poll(expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		b.t.Fatalf("waiting for %s: %v", expr, err)
	}
}

// checkPage fails on script errors and Content-Security-Policy
// violations so far.
func (b *tab) checkPage(where string) {
	b.t.Helper()
	csp := eval[[]string](b, `window.__csp || []`)
	if len(csp) > 0 {
		b.t.Errorf("after %s: Content-Security-Policy violations: %v", where, csp)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errs) > 0 {
		b.t.Errorf("after %s: script errors: %v", where, b.errs)
		b.errs = nil
	}
}

// shot saves a screenshot of the viewport.
func (b *tab) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.shots, b.size+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// fullShot saves a screenshot of the whole page.
func (b *tab) fullShot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(90))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.shots, b.size+"-"+name+"-full.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserJourney goes through the whole app in Chromium on a phone
// screen: sign up, the assessment, the plan, a guided session (timers
// sped up), the diary with its charts, the library, settings, a stop for
// symptoms, and the offline copies kept by the service worker.
func TestBrowserJourney(t *testing.T) {
	app := newApp(t, options{timeScale: 400})
	b := newTab(t, app.ts.URL, 390, 844)

	b.open("/")
	b.shot("welcome")
	b.open("/signup")
	b.do("sign up",
		chromedp.SendKeys(chromedp.ID("handle"), "robin"),
		chromedp.SendKeys(chromedp.ID("name"), "Robin"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.SendKeys(chromedp.ID("confirm"), testPassword),
	)
	b.shot("signup")
	b.submit("form button[type=submit]")
	b.shot("start")
	b.submit("main a.skip-intro")
	if zone := app.mustProfile(t, "robin").TimeZone; zone == "" {
		t.Error("no time zone was taken from the browser")
	}

	// The safety check: "none of these" on both lists of warning signs.
	b.shot("assess-first")
	for i := 0; i < 2; i++ {
		b.do("none of these", chromedp.Click(chromedp.CSS(`input[name=none]`)))
		b.submit("form button.primary[type=submit]")
	}
	b.do("pain", chromedp.Click(chromedp.CSS(`input[name=pain_now][value="4"]`)))
	b.do("stage", chromedp.Click(chromedp.CSS(`input[name=stage_description][value=moderate]`)))
	b.do("weeks", chromedp.SendKeys(chromedp.ID("weeks"), "1"))
	b.do("trend", chromedp.Click(chromedp.CSS(`input[name=trend][value=same]`)))
	b.shot("assess-today")
	b.submit("form button.primary[type=submit]")
	b.do("age", chromedp.SendKeys(chromedp.ID("age"), "45"))
	b.do("assessed", chromedp.Click(chromedp.CSS(`input[name=clinician_assessed][value=yes]`)))
	b.shot("assess-about")
	b.submit("form button.primary[type=submit]")
	b.do("causes", chromedp.Click(chromedp.CSS(`input[value=desk_work]`)))
	b.submit("form button.primary[type=submit]")
	b.do("minutes", chromedp.SetValue(chromedp.ID("minutes"), "4"))
	b.shot("assess-routine")
	b.submit("form button.primary[type=submit]")
	if !strings.Contains(b.text("h1"), "exercise programme") && !strings.Contains(b.text("main"), "Urgency") {
		t.Fatalf("the result page says %q", b.text("main"))
	}
	b.shot("result")
	b.fullShot("result")

	b.submit(`a[href="/plan"]`)
	b.shot("plan")
	b.fullShot("plan")
	cards := eval[int](b, `document.querySelectorAll(".exercise-card svg").length`)
	if cards == 0 {
		t.Fatal("the plan shows no exercise pictures")
	}

	// The guided session, sped up.
	b.submit(`a[href$="/session"].primary`)
	b.shot("player-before")
	b.do("pain before", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="3"]`)))
	b.poll(`window.__player.phase === "ready"`)
	b.shot("player-ready")
	// Start and pause in one go: the sped-up clock would otherwise end
	// the exercise before a second click.
	b.do("start and pause", chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-action=start]").click(); document.querySelector("[data-action=pause]").click();`))
	if !eval[bool](b, `window.__player.paused`) {
		t.Error("the pause button does not pause")
	}
	b.shot("player-paused")
	b.do("resume", chromedp.Click(chromedp.CSS(`[data-action=pause]`)))
	for i := 0; i < cards+2; i++ {
		b.poll(`["ready", "after"].includes(window.__player.phase)`)
		if eval[string](b, `window.__player.phase`) == "after" {
			break
		}
		b.do("start", chromedp.Click(chromedp.CSS(`[data-action=start]`)))
	}
	b.poll(`window.__player.phase === "after"`)
	b.shot("player-after")
	b.do("pain after", chromedp.Click(chromedp.CSS(`[data-scale=after] [data-pain="2"]`)))
	b.poll(`window.__player.phase === "done" && document.querySelector('[data-bind="done-title"]').textContent === "Well done"`)
	b.shot("player-done")
	b.submit(`[data-session-link]`)
	if !strings.Contains(b.text("main"), "Done") {
		t.Errorf("the session page says %q", b.text("main"))
	}
	b.shot("session")
	me := app.person(t, "robin")
	sessions, _ := app.st.Sessions(context.Background(), me.ID, filterAll)
	if len(sessions) != 1 || sessions[0].PainAfter == nil || *sessions[0].PainAfter != 2 || sessions[0].Completion() != 1 {
		t.Fatalf("sessions kept: %+v", sessions)
	}

	// The diary: a check-in, then another period through htmx.
	b.open("/diary")
	b.do("check in",
		chromedp.Click(chromedp.CSS(`.scale-item input[name=pain][value="3"]`)),
		chromedp.Click(chromedp.CSS(`input[name=none]`)),
		chromedp.SendKeys(chromedp.ID("note"), "better after the walk"),
	)
	b.submit(`#checkin-title ~ form button[type=submit]`)
	if !strings.Contains(b.text("main"), "Saved: pain 3") {
		t.Errorf("the diary after a check-in says %q", b.text("main"))
	}
	b.do("7 days", chromedp.Click(chromedp.CSS(`#report .tabs a[href="/diary?days=7"]`)))
	b.poll(`document.querySelector("#report-title").textContent.includes("7 days")`)
	b.checkPage("the diary's period")
	b.shot("diary")
	b.fullShot("diary")

	// Today, with the streak and the quick log through htmx.
	b.open("/")
	b.do("quick log", chromedp.Click(chromedp.CSS(`#quick-log .scale-item input[value="2"]`)), chromedp.Click(chromedp.CSS(`#quick-log button[type=submit]`)))
	b.poll(`document.querySelector("#quick-log").textContent.includes("Saved: pain 2")`)
	b.checkPage("the quick log")
	b.shot("today")
	b.fullShot("today")

	// The library and its filters.
	b.open("/exercises")
	all := eval[int](b, `document.querySelectorAll(".library li").length`)
	b.do("filter", chromedp.SetValue(chromedp.ID("place"), "desk"), chromedp.Evaluate[chromedp.Void](`document.getElementById("place").dispatchEvent(new Event("change", {bubbles: true}))`))
	b.poll(fmt.Sprintf(`document.querySelectorAll(".library li").length < %d`, all))
	b.checkPage("the library filter")
	b.shot("library")
	b.open("/exercises/cat-cow")
	b.shot("exercise")
	b.open("/settings")
	b.shot("settings")
	b.fullShot("settings")

	// The service worker keeps the shell, the pictures and the pages.
	b.waitForServiceWorker("/plan")
	names, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`(async () => { const out = []; for (const k of await caches.keys()) { for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname); } return out; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/static/app.css", "/static/player.js", "/exercises/cat-cow/picture", "/offline", "/plan"} {
		if !containsString(names, want) {
			t.Errorf("the service worker did not keep %s (it keeps %v)", want, names)
		}
	}

	// A stop for symptoms: an emergency answer ends the session with
	// what to do now.
	b.open("/session")
	b.do("pain before", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="3"]`)))
	b.poll(`window.__player.phase === "ready"`)
	b.do("start, then stop for symptoms", chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-action=start]").click(); document.querySelector("[data-action=symptoms]").click();`))
	b.poll(`window.__player.phase === "signs-now"`)
	b.shot("player-symptoms")
	b.do("chest pain", chromedp.Click(chromedp.CSS(`#screen-signs-now input[value=chest_pain]`)), chromedp.Click(chromedp.CSS(`[data-action=signs-next]`)))
	b.poll(`window.__player.phase === "stop"`)
	b.poll(`document.querySelector('[data-bind="stop-saved"]').textContent.length > 0`)
	b.shot("player-stop")
	if eval[bool](b, `document.querySelector("#screen-stop [data-calls]").hidden`) {
		t.Error("the emergency stop shows no number to call")
	}
	sessions, _ = app.st.Sessions(context.Background(), me.ID, filterAll)
	stopped := 0
	for _, ss := range sessions {
		if len(ss.Exercises) > 0 && strings.HasPrefix(ss.Exercises[0].Reason, "warning sign: chest_pain") && ss.PainAfter == nil {
			stopped++
		}
	}
	if len(sessions) != 2 || stopped != 1 {
		t.Errorf("the stopped session is not kept as stopped by a warning sign: %+v", sessions)
	}
	b.open("/plan")
	if !strings.Contains(b.text("main"), "No exercises today") {
		t.Error("the plan is offered after an emergency answer in the player")
	}
	b.shot("plan-refused")
}

// TestBrowserLaptop takes the laptop-sized screenshots of the main pages
// and checks them for script errors.
func TestBrowserLaptop(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "lap")
	takeAssessment(t, bb, mildDesk)
	b := newTab(t, app.ts.URL, 1280, 860)
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "lap"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	for _, p := range []struct{ path, name string }{
		{"/", "today"}, {"/plan", "plan"}, {"/session", "player"}, {"/diary", "diary"}, {"/exercises", "library"},
		{"/exercises/wall-stretch", "exercise"}, {"/settings", "settings"}, {"/assess", "assess"},
	} {
		b.open(p.path)
		b.shot(p.name)
	}
	b.open("/plan")
	b.fullShot("plan")

	// Dark mode, from the system's preference.
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	b.open("/plan")
	b.shot("plan-dark")
	b.open("/diary")
	b.shot("diary-dark")
	bg := eval[string](b, `getComputedStyle(document.body).backgroundColor`)
	if bg != "rgb(17, 20, 23)" {
		t.Errorf("the dark background is %s", bg)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestBrowserOffline loads the plan and the player once, takes the
// server away, and does the whole session offline: the pages come from
// the service worker, the record waits on the device, and it is sent
// when the server is back.
func TestBrowserOffline(t *testing.T) {
	app := newApp(t, options{timeScale: 400})
	bb := app.signup(t, "off")
	takeAssessment(t, bb, wizardAnswers{
		"today": {"pain_now": {"2"}, "weeks": {"0"}, "trend": {"better"}},
		"about": {"age": {"30"}, "clinician_assessed": {"yes"}}, "causes": {},
		"routine": {"minutes": {"2"}, "places": {"standing"}},
	})
	b := newTab(t, app.ts.URL, 390, 844)
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "off"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	b.waitForServiceWorker("/plan")
	b.submit(`a[href$="/session"].primary`)
	player, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	b.poll(`caches.keys().then(ks => ks.includes("backcoach-pages"))`)

	addr := app.ts.Listener.Addr().String()
	app.ts.Close() // offline
	b.open(strings.TrimPrefix(player, app.ts.URL))
	b.do("pain before", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="2"]`)))
	for i := 0; i < 20; i++ {
		b.poll(`["ready", "after"].includes(window.__player.phase)`)
		if eval[string](b, `window.__player.phase`) == "after" {
			break
		}
		b.do("start", chromedp.Click(chromedp.CSS(`[data-action=start]`)))
	}
	b.do("pain after", chromedp.Click(chromedp.CSS(`[data-scale=after] [data-pain="1"]`)))
	b.poll(`window.__player.phase === "done" && document.querySelector('[data-bind="done-text"]').textContent.includes("on this device")`)
	if title := b.text(`[data-bind="done-title"]`); title != "Well done" {
		t.Errorf("offline, the end of a session done in full says %q", title)
	}
	b.shot("player-offline")
	if n := eval[int](b, `JSON.parse(localStorage.getItem("backcoach-pending-sessions") || "[]").length`); n != 1 {
		t.Fatalf("%d sessions wait on the device, want 1", n)
	}

	// Back online: the next page sends it.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	server := &http.Server{Handler: app.srv.Handler()}
	go server.Serve(ln)
	t.Cleanup(func() { server.Close() })
	b.open("/diary")
	b.poll(`JSON.parse(localStorage.getItem("backcoach-pending-sessions") || "[]").length === 0`)
	sessions, _ := app.st.Sessions(context.Background(), app.person(t, "off").ID, filterAll)
	if len(sessions) != 1 || sessions[0].PainAfter == nil || *sessions[0].PainAfter != 1 {
		t.Errorf("the offline session was not kept: %+v", sessions)
	}
}

// waitForServiceWorker waits until the service worker is active, then
// opens path, which it then controls.
func (b *tab) waitForServiceWorker(path string) {
	b.t.Helper()
	b.poll(`navigator.serviceWorker.getRegistration().then(r => !!r && !!r.active && r.active.state === "activated")`)
	b.open(path)
	b.poll(`!!navigator.serviceWorker.controller`)
}

// TestBrowserBreakReminder turns the break reminder on, keeps a page
// open while the server's reminder sees half an hour of activity on its
// clock, and checks that the in-page prompt appears with the focus on
// Start, and that Start leads to the break's exercise.
func TestBrowserBreakReminder(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "mover")
	takeAssessment(t, bb, mildDesk)
	me := app.person(t, "mover")
	turnOn(t, app, me.ID, nil)
	b := newTab(t, app.ts.URL, 1280, 860)
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "mover"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	b.poll(`!!window.__breaks && window.__breaks.listening`)
	if !eval[bool](b, `document.getElementById("break-prompt").hidden`) {
		t.Fatal("the prompt shows before any break is due")
	}

	ctx := context.Background()
	for i := 0; i < 60; i++ {
		app.breakClock.Advance(30 * time.Second)
		if _, err := app.hub.Report(ctx, me.ID, live.Activity{Visible: true}); err != nil {
			t.Fatal(err)
		}
	}
	b.poll(`!document.getElementById("break-prompt").hidden`)
	b.checkPage("the break's prompt")
	b.shot("break-prompt")
	if title := b.text("#break-prompt-title"); !strings.Contains(title, "Time for a movement break") {
		t.Errorf("the prompt's title is %q", title)
	}
	if n := eval[int](b, `document.querySelectorAll("#break-prompt [data-break-lines] li").length`); n != 1 {
		t.Errorf("the prompt lists %d exercises, want 1", n)
	}
	if focus := eval[string](b, `document.activeElement.dataset.breakAction || ""`); focus != "start" {
		t.Errorf("the focus is on %q, not on Start", focus)
	}

	b.submit(`#break-prompt [data-break-action="start"]`)
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/break?kind=movement&seq=1") {
		t.Fatalf("Start led to %s", loc)
	}
	if n := eval[int](b, `document.querySelectorAll(".exercise-card svg").length`); n != 1 {
		t.Errorf("the break's page shows %d exercise pictures, want 1", n)
	}
	b.shot("break-page")
	st, err := app.hub.Status(ctx, me.ID)
	if err != nil || st.Running == nil || st.Today.Taken != 1 || st.Today.Due != 1 {
		t.Fatalf("after Start: %+v, %v", st, err)
	}
	// The break's end, on the server's clock, reaches the page.
	b.poll(`!!window.__breaks && window.__breaks.listening`)
	app.breakClock.Advance(time.Minute)
	b.poll(`!document.querySelector("[data-break-over]").hidden`)
	b.checkPage("the end of the break")
}

// TestBrowserPainGate: the pain asked before a session decides what it
// holds (docs/clinical.md §5). At 6 only the plan's gentle exercises are
// offered, under the stricter stop rule; at 8 there is no session, only
// the kind advice and the breathing exercise.
func TestBrowserPainGate(t *testing.T) {
	app := newApp(t, options{timeScale: 400})
	bb := app.signup(t, "gate")
	takeAssessment(t, bb, wizardAnswers{
		"today": {"pain_now": {"2"}, "weeks": {"1"}, "trend": {"better"}},
		"about": {"age": {"40"}, "clinician_assessed": {"yes"}}, "causes": {},
		"routine": {"minutes": {"15"}, "places": {"desk", "standing", "floor"}},
	})
	b := newTab(t, app.ts.URL, 390, 844)
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "gate"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	b.open("/session")
	player, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	player = strings.TrimPrefix(player, app.ts.URL)
	planned := eval[[]string](b, `JSON.parse(document.getElementById("player-data").textContent).items.map(i => i.id)`)
	var gentle, other int
	for _, id := range planned {
		if e, _ := app.cat.Get(id); e.Gentle {
			gentle++
		} else {
			other++
		}
	}
	if gentle == 0 || other == 0 {
		t.Fatalf("the plan %v needs gentle and other exercises for this test", planned)
	}

	b.do("pain 6", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="6"]`)))
	b.poll(`window.__player.phase === "gate"`)
	b.shot("player-gate-gentle")
	names := eval[[]string](b, `[...document.querySelectorAll('[data-list="gate-items"] li')].map(li => li.textContent)`)
	if len(names) != gentle {
		t.Errorf("pain 6 offers %q, want the %d gentle exercises of %v", names, gentle, planned)
	}
	for _, n := range names {
		if !gentleName(app, n) {
			t.Errorf("pain 6 offers %q, which is not a gentle exercise", n)
		}
	}
	b.do("accept", chromedp.Click(chromedp.CSS(`[data-action=accept]`)))
	b.poll(`window.__player.phase === "ready"`)
	if name := b.text(`[data-bind="name"]`); !gentleName(app, name) {
		t.Errorf("the first exercise at pain 6 is %q", name)
	}
	if stop := b.text(`[data-bind="stop-if"]`); !strings.Contains(stop, "above where it was when you started") || strings.Contains(stop, "5 out of 10") {
		t.Errorf("the stop rule at pain 6 is %q", stop)
	}

	// Leave the session under way without the "leave the page?" question.
	b.do("forget the session", chromedp.Evaluate[chromedp.Void](`window.__player.started = null`))
	b.open(player)
	b.do("pain 8", chromedp.Click(chromedp.CSS(`[data-scale=before] [data-pain="8"]`)))
	b.poll(`window.__player.phase === "gate"`)
	b.shot("player-gate-none")
	main := b.text("#screen-gate")
	for _, want := range []string{"No exercise session today", "pharmacist", "NHS 111", "tomorrow", "Rib-expanding breathing"} {
		if !strings.Contains(main, want) {
			t.Errorf("the screen at pain 8 lacks %q: %q", want, main)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('[data-list="gate-items"] li').length`); n != 1 {
		t.Errorf("pain 8 offers %d exercises, want only the breathing one", n)
	}
	if eval[bool](b, `!document.getElementById("screen-exercise").hidden`) {
		t.Error("an exercise is shown at pain 8")
	}
	b.do("accept", chromedp.Click(chromedp.CSS(`[data-action=accept]`)))
	b.poll(`window.__player.phase === "ready"`)
	if name := b.text(`[data-bind="name"]`); name != "Rib-expanding breathing" {
		t.Errorf("pain 8 goes on to %q", name)
	}
}

// gentleName reports whether a line starts with the name of a gentle
// exercise of the catalog.
func gentleName(app *testApp, line string) bool {
	for _, e := range app.cat.All() {
		if e.Gentle && strings.HasPrefix(line, e.Name) {
			return true
		}
	}
	return false
}
