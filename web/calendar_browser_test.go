package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCalendarFeed makes a calendar feed in Settings in Chromium:
// the address shows once with a working copy button and a webcal link,
// a calendar app can read it, and Revoke ends it.
func TestBrowserCalendarFeed(t *testing.T) {
	app := newApp(t, options{})
	app.signup(t, "cal")
	b := newTab(t, app.ts.URL, 390, 844)
	b.open("/signin")
	b.do("sign in", chromedp.SendKeys(chromedp.ID("handle"), "cal"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")

	b.open("/settings")
	b.submit(`a[href="/settings/calendar"]`)
	b.do("type the password", chromedp.SendKeys(chromedp.ID("feed-password"), testPassword))
	b.submit(`form[action="/settings/calendar"] button[type=submit]`)
	address := eval[string](b, `document.getElementById("feed-url").value`)
	if !strings.HasPrefix(address, app.ts.URL+"/calendar/bcf_") || !strings.HasSuffix(address, ".ics") {
		t.Fatalf("the address shown is %q", address)
	}
	if webcal := eval[string](b, `document.querySelector("a[href^='webcal:']").getAttribute("href")`); webcal != "webcal://"+strings.TrimPrefix(address, "http://") {
		t.Errorf("the webcal link is %q", webcal)
	}
	if eval[bool](b, `document.querySelector("button[data-copy]").hidden`) {
		t.Fatal("the copy button stays hidden")
	}
	b.do("copy", chromedp.Click(chromedp.CSS("button[data-copy]")))
	b.poll(`document.querySelector("[data-copy-status]").textContent !== ""`)
	b.shot("calendar-feed")
	b.checkPage("copy")

	if status, h, _ := fetchFeed(t, address); status != http.StatusOK || h.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("the feed answers %d %s", status, h.Get("Content-Type"))
	}
	b.open("/settings/calendar")
	if got := b.text("main"); !strings.Contains(got, "last read by a calendar app") || strings.Contains(got, "bcf_") {
		t.Errorf("the page after a read shows %q", got)
	}
	b.submit(`form[action="/settings/calendar/revoke"] button[type=submit]`)
	if got := b.text("main"); !strings.Contains(got, "The calendar feed is revoked") {
		t.Errorf("after revoking the page shows %q", got)
	}
	if status, _, _ := fetchFeed(t, address); status != http.StatusNotFound {
		t.Errorf("the revoked feed answers %d", status)
	}
}
