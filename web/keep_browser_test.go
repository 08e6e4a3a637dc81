package web

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach"
)

// TestBrowserCheckInExpiredSignIn: a check-in typed after the sign-in
// ended in the database is kept on the device; the sign-in asked for
// comes back to the same page, and the check-in is saved then, once, with
// what was typed. Today's quick log does the same through htmx, with a
// sign-in link back to Today.
func TestBrowserCheckInExpiredSignIn(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "kept")
	takeAssessment(t, bb, mildDesk)
	me := app.person(t, "kept")
	ctx := context.Background()
	entries := func() []backcoach.DiaryEntry {
		list, err := app.st.DiaryEntries(ctx, me.ID, filterAll)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	b := newTab(t, app.ts.URL, 390, 844)
	b.signIn("kept")

	// The diary's check-in.
	b.open("/diary")
	b.do("type a check-in",
		chromedp.Click(chromedp.CSS(`#checkin-title ~ form .scale-item input[name=pain][value="4"]`)),
		chromedp.SendKeys(chromedp.ID("note"), "typed while signed out"),
	)
	if eval[bool](b, `!!document.querySelector("#checkin-title ~ form input[name=none]")`) {
		b.do("none of these", chromedp.Click(chromedp.CSS(`#checkin-title ~ form input[name=none]`)))
	}
	if _, err := app.st.EndSessions(ctx, me.ID); err != nil {
		t.Fatal(err) // the sign-in ends in the database
	}
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`#checkin-title ~ form button[type=submit]`)))
	if err != nil || res.Status != 401 {
		t.Fatalf("the check-in after the sign-in ended: %v, status %v; want the sign-in page (401)", err, res)
	}
	b.checkPage("the check-in after the sign-in ended")
	if n := eval[int](b, `JSON.parse(localStorage.getItem("backcoach-pending-checkins") || "[]").length`); n != 1 {
		t.Fatalf("%d check-ins kept on the device, want 1", n)
	}
	if !strings.Contains(b.text("main"), "kept on this device") {
		t.Errorf("the sign-in page does not say the check-in is kept: %q", b.text("main"))
	}
	if next := eval[string](b, `document.querySelector("form[data-sign-in-again] input[name=next]").value`); next != "/diary" {
		t.Errorf("the sign-in goes back to %q, want /diary", next)
	}
	if n := len(entries()); n != 0 {
		t.Fatalf("%d entries kept while signed out", n)
	}
	b.shot("checkin-signin-expired")
	b.do("sign in again", chromedp.SendKeys(chromedp.ID("handle"), "kept"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form[data-sign-in-again] button[type=submit]")
	if loc, _ := chromedp.Run(b.ctx, chromedp.Location()); !strings.HasSuffix(loc, "/diary") {
		t.Errorf("the sign-in came back to %s, not /diary", loc)
	}
	b.waitSent()
	if !strings.Contains(b.text("main"), "typed while signed out") {
		t.Errorf("the diary does not show the kept check-in: %q", b.text("main"))
	}
	list := entries()
	if len(list) != 1 || list[0].Pain != 4 || list[0].Note != "typed while signed out" {
		t.Fatalf("the check-in kept across the sign-in: %+v, want one with pain 4 and the note", list)
	}
	b.open("/diary")
	if n := len(entries()); n != 1 {
		t.Errorf("%d entries after opening the diary again, want 1", n)
	}

	// Today's quick log, through htmx.
	b.open("/")
	if _, err := app.st.EndSessions(ctx, me.ID); err != nil {
		t.Fatal(err)
	}
	b.do("quick log", chromedp.Click(chromedp.CSS(`#quick-log .scale-item input[value="2"]`)), chromedp.Click(chromedp.CSS(`#quick-log button[type=submit]`)))
	b.poll(`!!document.querySelector("#quick-log [data-kept-checkin] a")`)
	if href := eval[string](b, `document.querySelector("#quick-log [data-kept-checkin] a").getAttribute("href")`); href != "/signin?next=%2F" {
		t.Errorf("the quick log's sign-in link is %q, want /signin?next=%%2F", href)
	}
	b.submit(`#quick-log [data-kept-checkin] a`)
	b.do("sign in again", chromedp.SendKeys(chromedp.ID("handle"), "kept"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.submit("form button[type=submit]")
	b.waitSent()
	list = entries()
	if len(list) != 2 || list[0].Pain+list[1].Pain != 6 {
		t.Errorf("after the quick log kept across the sign-in: %+v, want a second entry with pain 2", list)
	}
}

// waitSent waits for the kept check-ins to be sent: the page, reloaded
// after sending, says so, and the device keeps none.
func (b *tab) waitSent() {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.WaitVisible(`main > [data-kept-checkin]`)); err != nil {
		b.t.Fatalf("waiting for the kept check-in to be sent: %v", err)
	}
	if kept := eval[bool](b, `localStorage.getItem("backcoach-pending-checkins") !== null`); kept {
		b.t.Errorf("the device still keeps check-ins after sending them")
	}
	b.checkPage("the kept check-in sent")
}

// TestBrowserCheckInOffline: a check-in sent without a network gets the
// offline page from the service worker, which says it is kept on the
// device; back online, the next visit sends it, once.
func TestBrowserCheckInOffline(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "away")
	takeAssessment(t, bb, mildDesk)
	me := app.person(t, "away")
	b := newTab(t, app.ts.URL, 390, 844)
	b.signIn("away")
	b.waitForServiceWorker("/diary")
	b.do("type a check-in",
		chromedp.Click(chromedp.CSS(`#checkin-title ~ form .scale-item input[name=pain][value="5"]`)),
		chromedp.SendKeys(chromedp.ID("note"), "typed on the train"),
	)
	if eval[bool](b, `!!document.querySelector("#checkin-title ~ form input[name=none]")`) {
		b.do("none of these", chromedp.Click(chromedp.CSS(`#checkin-title ~ form input[name=none]`)))
	}
	addr := app.ts.Listener.Addr().String()
	app.ts.Close() // offline
	b.submit(`#checkin-title ~ form button[type=submit]`)
	if h := b.text("h1"); h != "You are offline" || !strings.Contains(b.text("main"), "kept on this device") {
		t.Fatalf("offline, the check-in shows %q: %q", h, b.text("main"))
	}
	if n := eval[int](b, `JSON.parse(localStorage.getItem("backcoach-pending-checkins") || "[]").length`); n != 1 {
		t.Fatalf("%d check-ins kept on the device, want 1", n)
	}

	// Back online, at the same address.
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the address %s could not be taken again: %v", addr, err)
	}
	ts := httptest.NewUnstartedServer(app.ts.Config.Handler)
	ts.Listener.Close()
	ts.Listener = l
	ts.Start()
	t.Cleanup(ts.Close)
	b.open("/diary")
	b.waitSent()
	list, err := app.st.DiaryEntries(context.Background(), me.ID, filterAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Note != "typed on the train" || list[0].Pain != 5 {
		t.Errorf("the check-in kept offline: %+v, want one with pain 5 and the note", list)
	}
}
