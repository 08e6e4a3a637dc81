package web

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
)

// chartLook is how a chart is drawn in the browser.
type chartLook struct {
	Width  float64
	Labels []chartText
	Mark   struct{ Width, Stroke float64 }
}

type chartText struct {
	Text                     string
	Left, Right, Top, Bottom float64
	Size                     float64 // CSS px
}

const chartLookJS = `((sel) => {
	const svg = document.querySelector(sel), box = svg.getBoundingClientRect();
	const scale = box.width / svg.viewBox.baseVal.width;
	const labels = [...svg.querySelectorAll("text.chart-label")].map(t => { const r = t.getBoundingClientRect();
		return {Text: t.textContent, Left: r.left - box.left, Right: box.right - r.right, Top: r.top, Bottom: r.bottom,
			Size: parseFloat(getComputedStyle(t).fontSize) * scale}; });
	const m = svg.querySelector(".chart-highest-mark");
	const mark = m ? {Width: m.getBoundingClientRect().width, Stroke: parseFloat(getComputedStyle(m).strokeWidth) * scale} : {Width: 0, Stroke: 0};
	return {Width: box.width, Labels: labels, Mark: mark};
})`

// TestBrowserChartsOnAPhone: on phones (390 and 360 px wide) the diary's
// chart over 7, 30 and 90 days and Today's chart write every label at 11
// CSS px or more, inside the drawing, without two labels on top of each
// other, and ring the highest pain so that it shows.
func TestBrowserChartsOnAPhone(t *testing.T) {
	app := newApp(t, options{})
	bb := app.signup(t, "charts")
	takeAssessment(t, bb, mildDesk)
	me := app.person(t, "charts")
	co := coach.New(app.st, catalog.MustLoad(), app.clock.Now)
	for d := 0; d < 95; d++ {
		if d%3 == 2 {
			continue
		}
		e := backcoach.DiaryEntry{Pain: 2 + d%4, At: app.clock.Now().AddDate(0, 0, d-94)}
		if d == 60 {
			e.Pain = 8
		}
		if _, err := co.CheckIn(context.Background(), me.ID, &e, backcoach.ViaAPI); err != nil {
			t.Fatal(err)
		}
	}
	for _, width := range []int64{390, 360} {
		b := newTab(t, app.ts.URL, width, 800)
		b.signIn("charts")
		for _, page := range []struct{ path, sel string }{
			{"/diary?days=7", ".chart-box.wide svg"}, {"/diary?days=30", ".chart-box.wide svg"},
			{"/diary?days=90", ".chart-box.wide svg"}, {"/", ".chart-box svg"},
		} {
			b.open(page.path)
			if !eval[bool](b, fmt.Sprintf("!!document.querySelector(%q)", page.sel)) {
				t.Fatalf("%s: no chart: %.1500s", page.path, b.text("main"))
			}
			look := eval[chartLook](b, chartLookJS+fmt.Sprintf("(%q)", page.sel))
			where := fmt.Sprintf("%s at %d px", page.path, width)
			if len(look.Labels) < 4 {
				t.Errorf("%s: %d labels", where, len(look.Labels))
			}
			for i, l := range look.Labels {
				if l.Size < 11 {
					t.Errorf("%s: %q is written at %.1f px, under 11", where, l.Text, l.Size)
				}
				if l.Left < 0 || l.Right < 0 {
					t.Errorf("%s: %q sticks out of the chart: %+v", where, l.Text, l)
				}
				for _, o := range look.Labels[i+1:] {
					if l.Left < look.Width-o.Right && o.Left < look.Width-l.Right && l.Top < o.Bottom && o.Top < l.Bottom {
						t.Errorf("%s: %q and %q overlap", where, l.Text, o.Text)
					}
				}
			}
			if look.Mark.Width < 10 || look.Mark.Stroke < 1.5 {
				t.Errorf("%s: the highest pain's ring is %.1f px wide with a %.1f px line; want a visible ring", where, look.Mark.Width, look.Mark.Stroke)
			}
			if width == 390 && page.path == "/diary?days=90" {
				b.do("scroll to the chart", chromedp.ScrollIntoView(chromedp.CSS(page.sel)))
				b.elementShot(".chart-box.wide", "chart-90-days")
			}
		}
	}
}
