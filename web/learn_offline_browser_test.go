package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach/learn"
)

// TestBrowserLearnOffline: the pages about the back, opened once online,
// read offline, every topic included (the index asks the service worker
// to keep them); every link of the offline page goes to a page kept on
// the device, and its button opens Today.
func TestBrowserLearnOffline(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "reader")
	takeAssessment(t, bb, mildDesk)
	b := newTab(t, app.ts.URL, 390, 844)
	b.signIn("reader")
	b.waitForServiceWorker("/")
	b.open("/") // controlled now: Today asks the worker to keep the plan
	b.open("/learn")
	topics := learn.All().Topics
	if len(topics) == 0 {
		t.Fatal("no topics to read")
	}
	for _, tp := range topics {
		b.poll(fmt.Sprintf(`caches.open("backcoach-pages").then(c => c.match(%q)).then(r => !!r)`, "/learn/"+tp.ID))
	}
	b.poll(`caches.open("backcoach-pages").then(c => c.match("/plan")).then(r => !!r)`)

	app.ts.Close() // offline
	b.open("/learn")
	if h := b.text("h1"); h == "You are offline" {
		t.Fatal("offline, the learn index is not kept")
	}
	for _, tp := range topics {
		b.open("/learn/" + tp.ID)
		if h := b.text("h1"); h != tp.Title {
			t.Errorf("offline, /learn/%s shows %q, want %q", tp.ID, h, tp.Title)
		}
	}
	b.open("/settings") // never kept: the offline page
	if h := b.text("h1"); h != "You are offline" {
		t.Fatalf("offline, an unkept page shows %q", h)
	}
	for _, href := range eval[[]string](b, `Array.from(document.querySelectorAll("main a"), a => a.getAttribute("href"))`) {
		kept, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`caches.open("backcoach-pages").then(c => c.match(%q)).then(r => !!r)`, href), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if !kept {
			t.Errorf("the offline page links to %s, which is not kept on the device", href)
		}
	}
	b.submit(`main a.button.primary`)
	if h := b.text("h1"); !strings.HasPrefix(h, "Today") {
		t.Errorf("the offline page's button opens %q, not Today", h)
	}
}
