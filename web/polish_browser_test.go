package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
)

// TestBrowserPolishPhone looks at a phone (390×844) in Chromium: the
// time-zone picker takes the phone's own zone with the script and works
// without it; the diary's chart keeps every label inside the drawing at a
// readable size and marks the highest pain; a long unbroken word in a
// note wraps; the numbers to call never wrap. It keeps the screenshots
// of the settings page and of the chart.
func TestBrowserPolishPhone(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "pho")
	takeAssessment(t, bb, mildDesk)
	me := app.person(t, "pho")
	// A profile still at the default zone, as after a sign-up without
	// script.
	wantStatus(t, bb.post("/settings/profile", url.Values{"name": {"Sam"}, "time_zone": {"UTC"}, "places": {"desk"}}), http.StatusSeeOther)
	// A fortnight of check-ins, one with a long unbroken word in its note,
	// and at the end a warning sign that needs an ambulance.
	co := coach.New(app.st, catalog.MustLoad(), app.clock.Now)
	for d := 0; d < 14; d++ {
		app.clock.Advance(24 * time.Hour)
		e := backcoach.DiaryEntry{Pain: 2 + d%5}
		if d == 9 {
			e.Pain, e.Note = 8, "https://example.org/"+strings.Repeat("averyveryverylongwordwithoutanybreak", 3)
		}
		if _, err := co.CheckIn(context.Background(), me.ID, &e, backcoach.ViaAPI); err != nil {
			t.Fatal(err)
		}
	}

	b := newTab(t, app.ts.URL, 390, 844)
	if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Chicago"}); err != nil {
		t.Fatal(err)
	}
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "pho"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")

	// Settings: the phone's zone is chosen, and said so.
	b.open("/settings")
	if got := eval[string](b, `document.getElementById("time_zone").value`); got != "America/Chicago" {
		t.Errorf("the picker chose %q; want the phone's America/Chicago", got)
	}
	if eval[bool](b, `document.querySelector("[data-zone-note]").hidden`) {
		t.Error("the picker does not say it chose the phone's zone")
	}
	b.shot("settings")
	b.submit(`form[action="/settings/profile"] button[type=submit]`)
	if zone := app.mustProfile(t, "pho").TimeZone; zone != "America/Chicago" {
		t.Errorf("saved zone %q", zone)
	}
	b.open("/settings/advanced")
	if n := eval[int](b, `document.querySelectorAll("form[action='/settings/tokens']").length`); n != 1 {
		t.Errorf("the advanced page has %d token forms", n)
	}

	// The diary's chart on the phone.
	b.open("/diary?days=30")
	labels := eval[[]map[string]float64](b, `(() => {
		const svg = document.querySelector(".chart-box.wide svg"), box = svg.getBoundingClientRect();
		return [...svg.querySelectorAll("text.chart-label")].map(t => { const r = t.getBoundingClientRect();
			return {left: r.left - box.left, right: box.right - r.right, size: parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width, height: r.height}; });
	})()`)
	if len(labels) < 5 {
		t.Fatalf("%d labels on the chart", len(labels))
	}
	for i, l := range labels {
		if l["left"] < 0 || l["right"] < 0 {
			t.Errorf("label %d sticks out of the chart: %v", i, l)
		}
		if l["size"] < 11.5 {
			t.Errorf("label %d is drawn at %.1f px on a phone; want at least 11.5", i, l["size"])
		}
	}
	if !strings.Contains(eval[string](b, `document.querySelector(".chart-box.wide .chart-highest").textContent`), "highest 8") {
		t.Error("the chart does not mark the highest pain")
	}
	if w := eval[float64](b, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("the diary is %.0f px wider than the phone: a long word does not wrap", w)
	}
	b.do("scroll to the chart", chromedp.ScrollIntoView(chromedp.CSS(".chart-box.wide")))
	b.elementShot(".chart-box.wide", "chart")

	// An emergency sign: the numbers to call, each on one line.
	e := backcoach.DiaryEntry{Pain: 6, FlagsAsked: true, Flags: []string{"chest_pain"}}
	if _, err := co.CheckIn(context.Background(), me.ID, &e, backcoach.ViaAPI); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{390, 320} {
		b.do("a phone's width", chromedp.EmulateViewport(width, 700, chromedp.EmulateScale(1)))
		b.open("/plan")
		calls := eval[[]map[string]float64](b, `[...document.querySelectorAll(".button.call")].map(c => { const r = document.createRange(); r.selectNodeContents(c);
			const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
			return {over: c.scrollWidth - c.clientWidth, lines: lines, right: window.innerWidth - c.getBoundingClientRect().right}; })`)
		if len(calls) == 0 {
			t.Fatal("no number to call after an emergency sign")
		}
		for i, c := range calls {
			if c["over"] > 0 || c["lines"] != 1 || c["right"] < 0 {
				t.Errorf("%d px wide: call button %d wraps or overflows: %v", width, i, c)
			}
		}
	}
	if first := eval[string](b, `document.querySelector(".button.call").getAttribute("href")`); first != "tel:911" {
		t.Errorf("the first number in Chicago is %s", first)
	}
}

// TestBrowserZonePickerWithoutScript checks that the time-zone picker
// works with scripts off: the saved zone stays chosen and another can be
// picked and saved.
func TestBrowserZonePickerWithoutScript(t *testing.T) {
	app := newApp(t, options{})
	app.signup(t, "noj")
	b := newTab(t, app.ts.URL, 390, 844)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "noj"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	b.open("/settings")
	if got := b.value("#time_zone"); got != "Europe/London" {
		t.Errorf("without script the picker shows %q; want the saved Europe/London", got)
	}
	b.do("pick a zone", chromedp.SetValue(chromedp.ID("time_zone"), "Asia/Tokyo"))
	b.submit(`form[action="/settings/profile"] button[type=submit]`)
	if zone := app.mustProfile(t, "noj").TimeZone; zone != "Asia/Tokyo" {
		t.Errorf("saved zone %q", zone)
	}
}

// value returns the value of a form field.
func (b *tab) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// elementShot saves a screenshot of one element.
func (b *tab) elementShot(sel, name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, b.size+"-"+name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
