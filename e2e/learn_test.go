package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach/learn"
)

// docsScreenshots saves the README's screenshots of the landing page, the
// introduction and the learn pages into docs/screenshots:
// go test ./e2e -run TestLearnAndLanding -docs-screenshots
var docsScreenshots = flag.Bool("docs-screenshots", false, "save the README's screenshots into docs/screenshots")

// TestLearnAndLanding visits, signed out, the landing page and the "Your
// upper back" section, then signs up and reads the three screens of the
// introduction into the safety check, on a phone and a laptop. Every page
// is weighed and checked with axe-core (no serious or critical
// violation); the landing page must show pictures and a sample plan card,
// not only text.
func TestLearnAndLanding(t *testing.T) {
	browser(t)
	srv := startServer(t)
	for _, vp := range []viewport{phone, wideLaptop} {
		t.Run(vp.name, func(t *testing.T) { learnAndLanding(t, srv, vp) })
	}
}

func learnAndLanding(t *testing.T, srv *server, vp viewport) {
	b := newTab(t, srv, vp)

	// The landing page: pictures, not only text.
	landing := b.open("landing", "/")
	b.axe("landing")
	pictures := eval[int](b, `document.querySelectorAll("main svg[role=img] title").length`)
	samples := eval[int](b, `document.querySelectorAll("main .how-sample .exercise-card svg").length`)
	if pictures < 3 || samples == 0 {
		t.Errorf("the landing page shows %d named pictures and %d sample plan cards with a picture, want at least 3 and 1", pictures, samples)
	}
	if !b.has(`main a[href="/learn"]`) || !b.has(`header nav a[href="/learn"]`) {
		t.Error("the landing page does not lead to the learn section")
	}
	docShot(b, "landing-"+vp.name)
	t.Logf("landing page: %s on the wire", kbytes(landing.bytes))

	// The learn section: the topics, then each one.
	b.follow("learn", b.press(`header nav a[href="/learn"]`))
	b.axe("learn")
	if got := eval[string](b, `document.querySelector("header nav a[aria-current=page]").getAttribute("href")`); got != "/learn" {
		t.Errorf("the navigation marks %q as the current page on /learn", got)
	}
	if vp.name == "laptop" {
		docShot(b, "learn-laptop")
	}
	for i, id := range learn.IDs() {
		tp, _ := learn.Get(id)
		var pl *pageLoad
		if i == 0 {
			pl = b.follow("learn "+id, b.press(`main a[href="/learn/`+id+`"]`))
		} else {
			// Read on, as a person would, from the previous topic.
			pl = b.follow("learn "+id, b.press(`main a[rel=next]`))
		}
		if p := b.path(); p != "/learn/"+id {
			t.Fatalf("at %s, want /learn/%s", p, id)
		}
		b.axe("learn " + id)
		if h := b.text("main h1"); h != tp.Title {
			t.Errorf("/learn/%s is headed %q, want %q", id, h, tp.Title)
		}
		t.Logf("/learn/%s: %s on the wire", id, kbytes(pl.bytes))
		if id == "spine" && vp.mobile {
			docShot(b, "learn-spine-phone")
		}
	}

	// A new account: three screens that say what will happen, then the
	// safety check.
	b.open("sign-up", "/signup")
	b.do("filling in the sign-up form",
		b.typeInto("#handle", "learner."+vp.name),
		b.typeInto("#password", testPassword),
		b.typeInto("#confirm", testPassword),
	)
	b.follow("introduction 1", b.press(`form[action="/signup"] button[type=submit]`))
	for step := 1; step <= 3; step++ {
		if p := b.path(); !strings.HasPrefix(p, "/start") {
			t.Fatalf("introduction screen %d is at %s", step, p)
		}
		if k := b.text("main .kicker"); !strings.Contains(k, fmt.Sprintf("%d of 3", step)) {
			t.Errorf("introduction screen %d says %q", step, k)
		}
		b.axe(fmt.Sprintf("introduction %d", step))
		if step == 1 && vp.mobile {
			docShot(b, "start-phone")
		}
		if step < 3 {
			b.expect(`main a.skip-intro[href="/assess"]`, "a way to skip the introduction")
			b.follow(fmt.Sprintf("introduction %d", step+1), b.press(`main a.primary[href^="/start?step="]`))
		}
	}
	b.follow("the safety check", b.press(`main a.primary[href="/assess"]`))
	if p := b.path(); p != "/assess" {
		t.Errorf("the introduction ends at %s, want /assess", p)
	}
}

// docShot saves a screenshot of the viewport into docs/screenshots when
// -docs-screenshots is given.
func docShot(b *tab, name string) {
	b.t.Helper()
	if !*docsScreenshots {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
