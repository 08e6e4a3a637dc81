package web

import (
	"testing"
)

// navFit is what a page's main navigation looks like in the browser.
type navFit struct {
	ScrollWidth, ClientWidth, PageWidth, Viewport float64
	Items                                         []navItem
}

type navItem struct {
	Label            string
	Left, Right, Top float64
	Bottom, FontSize float64
	Hit              bool // the link is what a tap on its middle reaches
}

const navFitJS = `(() => {
	const nav = document.querySelector('header nav[aria-label="Main"]');
	const items = Array.from(nav.querySelectorAll("a"), a => {
		const r = a.getBoundingClientRect();
		const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return {Label: a.textContent.trim(), Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom,
			FontSize: parseFloat(getComputedStyle(a.querySelector("span") || a).fontSize), Hit: !!at && a.contains(at)};
	});
	return {ScrollWidth: nav.scrollWidth, ClientWidth: nav.clientWidth, PageWidth: document.documentElement.scrollWidth,
		Viewport: window.innerWidth, Items: items};
})()`

// TestBrowserNavFitsAPhone: at 390×844 the main navigation, signed in
// (six items) and signed out, fits the screen without scrolling
// sideways: every item is inside the viewport, tappable, with its label
// at 11 CSS px or more; on a laptop it is one row.
func TestBrowserNavFitsAPhone(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "navi")
	takeAssessment(t, bb, mildDesk)
	for _, vp := range []struct{ w, h int64 }{{390, 844}, {1366, 768}} {
		b := newTab(t, app.ts.URL, vp.w, vp.h)
		check := func(who string, want int) {
			t.Helper()
			f := eval[navFit](b, navFitJS)
			if f.ScrollWidth > f.ClientWidth || f.PageWidth > f.Viewport {
				t.Errorf("%s at %s: the navigation scrolls sideways (nav %v of %v, page %v of %v)", who, b.size, f.ScrollWidth, f.ClientWidth, f.PageWidth, f.Viewport)
			}
			if len(f.Items) != want {
				t.Errorf("%s at %s: %d items, want %d", who, b.size, len(f.Items), want)
			}
			for _, it := range f.Items {
				if it.Left < 0 || it.Right > f.Viewport+0.5 || it.Top < 0 || !it.Hit {
					t.Errorf("%s at %s: %q is not reachable: %+v", who, b.size, it.Label, it)
				}
				if it.Bottom-it.Top < 44 {
					t.Errorf("%s at %s: %q is %.0f px tall, under a finger's 44", who, b.size, it.Label, it.Bottom-it.Top)
				}
				if it.FontSize < 11 {
					t.Errorf("%s at %s: %q's label is %.1f px", who, b.size, it.Label, it.FontSize)
				}
				if vp.w > 1000 && it.Top != f.Items[0].Top {
					t.Errorf("%s at %s: %q is not on the row of the first item", who, b.size, it.Label)
				}
			}
		}
		b.open("/learn")
		check("signed out", 4)
		b.signIn("navi")
		b.open("/diary")
		check("signed in", 6)
		b.shot("nav")
	}
}
