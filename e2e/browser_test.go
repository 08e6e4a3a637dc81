package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach/internal/testenv"
)

// chromiumPath is Debian's Chromium.
const chromiumPath = "/usr/bin/chromium"

// screenshotsEnv names a folder to keep screenshots of the main pages in;
// without it none are taken.
const screenshotsEnv = "BACKCOACH_SCREENSHOTS"

// maxPageBytes is the most a page may weigh on the wire, compressed,
// with its style sheets, scripts and pictures, and the cache disabled.
const maxPageBytes = 100_000

// Time limits of the browser steps: each bounds a wait on a condition.
const (
	stepTimeout = 30 * time.Second // one action, a page load included
	pollTimeout = 20 * time.Second // a condition in the page
)

// cspBinding is the function the page calls to report a
// Content-Security-Policy violation to the test.
const cspBinding = "__backcoachCSPViolation"

// cspWatch runs in every document before its own scripts and reports
// each securitypolicyviolation event through the binding.
const cspWatch = `document.addEventListener("securitypolicyviolation", function (e) {
  try {
    window.` + cspBinding + `(JSON.stringify({directive: e.violatedDirective, blocked: e.blockedURI,
      source: e.sourceFile + ":" + e.lineNumber, sample: e.sample, page: location.pathname}));
  } catch (err) {}
}, true);`

// viewport is a screen the tests use.
type viewport struct {
	name          string
	width, height int64
	mobile        bool // mobile emulation, touch and taps instead of clicks
}

var (
	laptop = viewport{name: "laptop", width: 1280, height: 800}
	phone  = viewport{name: "phone", width: 390, height: 844, mobile: true}
)

// chrome is the browser, started once for the package; each test opens
// tabs in browser contexts of their own (cookies and storage apart).
var chrome struct {
	once   sync.Once
	ctx    context.Context
	cancel []context.CancelFunc
	dir    string
	err    error
}

// findChromium returns the browser to drive.
func findChromium() (string, error) {
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no browser at %s or on the PATH (apt-get install chromium)", chromiumPath)
}

// browser returns the context of the package's Chromium, starting it the
// first time. Without Chromium the test skips, or fails when
// BACKCOACH_REQUIRE names chromium.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := findChromium()
	if err != nil {
		testenv.Unavailable(t, "chromium", err.Error())
	}
	chrome.once.Do(func() { startBrowser(path) })
	if chrome.err != nil {
		testenv.Unavailable(t, "chromium", "it did not start: "+chrome.err.Error())
	}
	return chrome.ctx
}

func startBrowser(path string) {
	chrome.dir, chrome.err = os.MkdirTemp("", "backcoach-e2e-chromium-")
	if chrome.err != nil {
		return
	}
	// Root needs no sandbox; this machine has no network beyond
	// loopback, so nothing may call home; a fresh profile every run.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(chrome.dir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(int(laptop.width), int(laptop.height)),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	chrome.cancel = []context.CancelFunc{cancelBrowser, cancelAlloc}
	if err := chromedp.Do(ctx); err != nil {
		chrome.err = err
		return
	}
	chrome.ctx = ctx
}

// stopBrowser ends Chromium and removes its profile.
func stopBrowser() {
	for _, cancel := range chrome.cancel {
		cancel()
	}
	if chrome.dir != "" {
		os.RemoveAll(chrome.dir)
	}
}

// tab is a browser tab a test drives, on one server and one screen. It
// watches the network, the console and the page's security events, and
// checks every page it loads: its status, its Content-Security-Policy
// header, its weight, and that no script failed and nothing broke the
// policy.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	vp    viewport
	shots string // the folder for screenshots; "" for none

	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every event recorded
	reqs    map[network.RequestID]*resource
	order   []network.RequestID
	csp     []string // violations not yet reported
	errs    []string // script errors not yet reported
}

// resource is one request of a page load.
type resource struct {
	url    string
	typ    network.ResourceType
	status int64
	bytes  float64 // on the wire: headers and the compressed body
	done   bool
	failed string
}

// pageLoad is what one page cost to load.
type pageLoad struct {
	name     string
	path     string
	status   int64
	bytes    float64
	requests []resource
}

// newTab opens a tab on the server's site, on the screen given: a phone
// screen is emulated as a mobile device with touch. The network cache is
// off and service workers are bypassed, so that every load is measured
// as a first visit.
func newTab(t *testing.T, srv *server, vp viewport) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	b := &tab{t: t, ctx: ctx, base: srv.URL, vp: vp, changed: make(chan struct{}), reqs: map[network.RequestID]*resource{}}
	if dir := os.Getenv(screenshotsEnv); dir != "" {
		b.shots = filepath.Join(dir, "e2e")
		if err := os.MkdirAll(b.shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Listen(ctx, b.event); err != nil {
		t.Fatal(err)
	}
	go b.acceptDialogs(chromedp.Events(ctx, page.JavascriptDialogOpening))

	emulate := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if vp.mobile {
		emulate = []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch}
	}
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, cdpruntime.AddBinding, cdpruntime.AddBindingParams{Name: cspBinding}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch})
			return err
		}),
		chromedp.EmulateViewport(vp.width, vp.height, emulate...),
	)
	if err != nil {
		t.Fatalf("preparing the tab: %v", err)
	}
	screen := fmt.Sprintf(`matchMedia("(pointer: coarse)").matches === %v`, vp.mobile)
	if vp.mobile {
		screen += fmt.Sprintf(` && screen.width === %d && screen.height === %d`, vp.width, vp.height)
	}
	if !eval[bool](b, screen) {
		t.Fatalf("the tab does not emulate the %s screen (%s): %s", vp.name, screen,
			eval[string](b, `screen.width + "×" + screen.height + ", coarse pointer: " + matchMedia("(pointer: coarse)").matches`))
	}
	t.Cleanup(func() { b.checkEvents("the end of the test") })
	return b
}

// acceptDialogs answers the dialogs pages open, such as the player's
// "leave the session?" when a test moves on in the middle of one.
func (b *tab) acceptDialogs(dialogs iter.Seq2[page.EventJavascriptDialogOpening, error]) {
	for ev, err := range dialogs {
		if err != nil {
			return
		}
		if ev.Type != page.DialogTypeBeforeunload {
			b.mu.Lock()
			b.errs = append(b.errs, fmt.Sprintf("unexpected %s dialog: %q", ev.Type, ev.Message))
			b.mu.Unlock()
		}
		chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
	}
}

// event keeps account of the network, the console and the page's reports.
// It runs on the tab's reading goroutine, so it only records.
func (b *tab) event(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r := b.reqs[ev.RequestID]
		if r == nil {
			r = &resource{}
			b.reqs[ev.RequestID] = r
			b.order = append(b.order, ev.RequestID)
		}
		if ev.RedirectResponse != nil {
			r.bytes += ev.RedirectResponse.EncodedDataLength
		}
		r.url, r.typ, r.done = ev.Request.URL, ev.Type, false
	case *network.EventResponseReceived:
		if r := b.reqs[ev.RequestID]; r != nil {
			r.status = ev.Response.Status
		}
	case *network.EventLoadingFinished:
		if r := b.reqs[ev.RequestID]; r != nil {
			r.bytes += ev.EncodedDataLength
			r.done = true
		}
	case *network.EventLoadingFailed:
		if r := b.reqs[ev.RequestID]; r != nil {
			r.done, r.failed = true, ev.ErrorText
		}
	case *cdpruntime.EventBindingCalled:
		if ev.Name == cspBinding {
			b.csp = append(b.csp, "securitypolicyviolation "+ev.Payload)
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry != nil && isCSPMessage(ev.Entry.Text) {
			b.csp = append(b.csp, fmt.Sprintf("console (%s): %s", ev.Entry.Source, ev.Entry.Text))
		}
	case *cdpruntime.EventConsoleAPICalled:
		for _, arg := range ev.Args {
			if isCSPMessage(string(arg.Value)) || isCSPMessage(arg.Description) {
				b.csp = append(b.csp, fmt.Sprintf("console.%s: %s%s", ev.Type, arg.Value, arg.Description))
			}
		}
	case *cdpruntime.EventExceptionThrown:
		msg := ev.ExceptionDetails.Text
		if ex := ev.ExceptionDetails.Exception; ex != nil {
			msg += " " + ex.Description
		}
		b.errs = append(b.errs, fmt.Sprintf("%s (%s:%d)", msg, ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber))
	default:
		return
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

var cspMessage = regexp.MustCompile(`(?i)content[ -]security[ -]policy`)

func isCSPMessage(s string) bool { return cspMessage.MatchString(s) }

// step returns a context for one step, bounded in time.
func (b *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// open loads a path of the site and checks the page, which must answer
// 200.
func (b *tab) open(name, path string) *pageLoad {
	b.t.Helper()
	return b.openStatus(name, path, 200)
}

// openStatus loads a path and checks the page, which must answer status.
func (b *tab) openStatus(name, path string, status int64) *pageLoad {
	b.t.Helper()
	return b.load(name, status, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.Navigate, page.NavigateParams{URL: b.base + path})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
		return err
	}))
}

// follow runs an action that loads a new page, such as a click on a link
// or a form's button, and checks the page, which must answer 200.
func (b *tab) follow(name string, action chromedp.Action[chromedp.Void]) *pageLoad {
	b.t.Helper()
	return b.load(name, 200, action)
}

// load runs the trigger, waits until the page and everything it asked
// for have arrived, and checks the page.
func (b *tab) load(name string, status int64, trigger chromedp.Action[chromedp.Void]) *pageLoad {
	b.t.Helper()
	b.mu.Lock()
	b.reqs, b.order = map[network.RequestID]*resource{}, nil
	b.mu.Unlock()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, trigger)
	if err != nil {
		b.t.Fatalf("%s: loading the page: %v", name, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: the page loaded without a response", name)
	}
	if err := b.settle(ctx); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	pl := b.account(name, resp)
	b.checkLoad(pl, resp, status)
	b.checkFit(name)
	b.checkEvents(name)
	return pl
}

// settle waits until every request the page made has finished. The
// browser's own requests for the page, such as its icon for the tab
// (type Other), are counted when they finish but not waited for: the
// browser does not always report their end.
func (b *tab) settle(ctx context.Context) error {
	for {
		b.mu.Lock()
		var pending []string
		for _, id := range b.order {
			if r := b.reqs[id]; !r.done && r.typ != network.ResourceTypeOther {
				pending = append(pending, string(r.typ)+" "+r.url)
			}
		}
		changed := b.changed
		b.mu.Unlock()
		if len(pending) == 0 {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("requests still loading: %v", pending)
		}
	}
}

// account sums up the page load.
func (b *tab) account(name string, resp *network.Response) *pageLoad {
	b.mu.Lock()
	defer b.mu.Unlock()
	pl := &pageLoad{name: name, path: strings.TrimPrefix(resp.URL, b.base), status: resp.Status}
	for _, id := range b.order {
		r := b.reqs[id]
		pl.bytes += r.bytes
		pl.requests = append(pl.requests, *r)
	}
	return pl
}

// checkLoad checks the status, the security headers and the weight of a
// page load.
func (b *tab) checkLoad(pl *pageLoad, resp *network.Response, status int64) {
	b.t.Helper()
	if pl.status != status {
		b.t.Errorf("%s: %s answered %d, want %d", pl.name, pl.path, pl.status, status)
	}
	csp := header(resp.Headers, "Content-Security-Policy")
	switch {
	case csp == "":
		b.t.Errorf("%s: %s has no Content-Security-Policy header", pl.name, pl.path)
	case !strings.Contains(csp, "script-src") && !strings.Contains(csp, "default-src"):
		b.t.Errorf("%s: the Content-Security-Policy of %s does not limit scripts: %q", pl.name, pl.path, csp)
	case strings.Contains(csp, "'unsafe-inline'") || strings.Contains(csp, "'unsafe-eval'"):
		b.t.Errorf("%s: the Content-Security-Policy of %s allows inline scripts or eval: %q", pl.name, pl.path, csp)
	}
	if pl.bytes > maxPageBytes {
		b.t.Errorf("%s: %s weighs %s on the wire, more than %s:\n%s", pl.name, pl.path, kbytes(pl.bytes), kbytes(maxPageBytes), pl.breakdown())
	}
	for _, r := range pl.requests {
		if r.failed != "" {
			b.t.Errorf("%s: %s could not load %s: %s", pl.name, pl.path, r.url, r.failed)
		} else if r.status >= 400 && r.typ != network.ResourceTypeDocument {
			b.t.Errorf("%s: %s asked for %s, which answered %d", pl.name, pl.path, r.url, r.status)
		}
	}
}

// checkFit fails when the page does not fit the width of the screen:
// on a phone, a page without a viewport for the device is laid out for a
// desktop and shrunk, and a page wider than the screen scrolls sideways.
func (b *tab) checkFit(name string) {
	b.t.Helper()
	width := eval[[]int64](b, `[document.documentElement.clientWidth, document.documentElement.scrollWidth]`)
	if width[0] != b.vp.width {
		b.t.Errorf("%s: %s is laid out %d px wide on a %d px screen (no viewport meta tag?)", name, b.path(), width[0], b.vp.width)
	} else if width[1] > width[0] {
		b.t.Errorf("%s: %s is %d px wide, wider than the %d px screen: it scrolls sideways", name, b.path(), width[1], width[0])
	}
}

// checkEvents fails the test on the script errors and the
// Content-Security-Policy violations seen since the last check.
func (b *tab) checkEvents(where string) {
	b.t.Helper()
	b.mu.Lock()
	csp, errs := b.csp, b.errs
	b.csp, b.errs = nil, nil
	b.mu.Unlock()
	for _, v := range csp {
		b.t.Errorf("%s: Content-Security-Policy violation: %s", where, v)
	}
	for _, e := range errs {
		b.t.Errorf("%s: script error: %s", where, e)
	}
}

// header returns a response header, whatever the case of its name.
func header(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// breakdown lists the requests of a page load, heaviest first.
func (pl *pageLoad) breakdown() string {
	reqs := append([]resource(nil), pl.requests...)
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].bytes > reqs[j].bytes })
	var sb strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&sb, "  %9s  %3d  %-10s %s\n", kbytes(r.bytes), r.status, r.typ, r.url)
	}
	return sb.String()
}

func kbytes(n float64) string { return fmt.Sprintf("%.1f KB", n/1000) }

// do runs actions that do not load a new page.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// press is what a person does to a button or a link: a tap on a phone,
// a click elsewhere.
func (b *tab) press(sel string) chromedp.Action[chromedp.Void] {
	if b.vp.mobile {
		return chromedp.Tap(chromedp.CSS(sel))
	}
	return chromedp.Click(chromedp.CSS(sel))
}

// typeInto types text into a field.
func (b *tab) typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), text)
}

// text returns the text of the first element matching sel, as shown.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("reading the text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// poll waits until the expression is truthy, and returns its value.
func poll[T any](b *tab, what, expr string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(pollTimeout), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
	return v
}

// path returns the path of the page shown.
func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// shot saves a screenshot of the whole page when BACKCOACH_SCREENSHOTS
// names a folder.
func (b *tab) shot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot of %s: %v", name, err)
		return
	}
	path := filepath.Join(b.shots, b.vp.name+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Error(err)
	}
}

// axe.min.js, read once.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	return string(b), err
})

// axeViolation is one rule axe-core found broken, and where.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"url"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  string `json:"target"`
	Summary string `json:"summary"`
}

// axeRun runs every rule of axe-core on the page and returns the
// violations.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  return r.violations.map(function (v) {
    return {id: v.id, impact: v.impact || "", help: v.help, url: v.helpUrl,
      nodes: v.nodes.map(function (n) { return {target: n.target.map(String).join(" "), summary: n.failureSummary || ""}; })};
  });
})`

// axe checks the page as shown with axe-core: every violation is logged,
// and the serious and critical ones fail the test.
func (b *tab) axe(name string) []axeViolation {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		b.t.Fatalf("axe-core is missing (run e2e/testdata/update-axe.sh): %v", err)
	}
	ctx, cancel := b.step()
	defer cancel()
	if !eval[bool](b, `typeof window.axe === "object"`) {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			b.t.Fatalf("%s: injecting axe-core: %v", name, err)
		}
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: running axe-core: %v", name, err)
	}
	for _, v := range vs {
		report := b.t.Logf
		if v.Impact == "serious" || v.Impact == "critical" {
			report = b.t.Errorf
		}
		report("%s (%s, %s): axe %s [%s]: %s (%s)%s", name, b.vp.name, b.path(), v.ID, v.Impact, v.Help, v.URL, v.targets())
	}
	b.checkEvents(name + " (axe-core)")
	return vs
}

func (v axeViolation) targets() string {
	var sb strings.Builder
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "\n    %s", n.Target)
		if n.Summary != "" {
			fmt.Fprintf(&sb, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return sb.String()
}

// mustJSON is for messages.
func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
