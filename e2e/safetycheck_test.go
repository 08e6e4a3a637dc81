package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The most screens the safety check may take: a first assessment, and a
// repeat that reuses the profile.
const (
	maxFirstScreens  = 10
	maxRepeatScreens = 3
)

// wideLaptop is the common laptop screen the safety check is measured on.
var wideLaptop = viewport{name: "laptop", width: 1366, height: 768}

// docShots is the folder of the screenshots the README shows.
const docShots = "../docs/screenshots"

// TestSafetyCheckScreens takes a first and a repeat safety check on a
// phone and a laptop, as a person would, counting the screens: at most 10
// for the first and 3 for the repeat. Every screen passes axe-core with
// nothing serious or critical; the stage question is hidden while the pain
// score decides the stage and its choices lay out label above help; the
// screenshots of the checklists and the pain today go to docs/screenshots.
func TestSafetyCheckScreens(t *testing.T) {
	browser(t)
	srv := startServer(t)
	for _, vp := range []viewport{phone, wideLaptop} {
		t.Run(vp.name, func(t *testing.T) {
			b := newTab(t, srv, vp)
			b.open("sign-up", "/signup")
			signUp(b, "check."+vp.name)

			first := b.answerCheck("first", true)
			if first > maxFirstScreens {
				t.Errorf("a first safety check takes %d screens on a %s, want at most %d", first, vp.name, maxFirstScreens)
			}
			b.open("the repeat", "/assess")
			if txt := b.text("main .intro"); !strings.Contains(txt, "3 short screens") || !strings.Contains(txt, "about a minute") {
				t.Errorf("the repeat's intro does not say how long it takes: %q", txt)
			}
			repeat := b.answerCheck("repeat", false)
			if repeat > maxRepeatScreens {
				t.Errorf("a repeat safety check takes %d screens on a %s, want at most %d", repeat, vp.name, maxRepeatScreens)
			}
			t.Logf("%s: a first safety check takes %d screens, a repeat %d", vp.name, first, repeat)
		})
	}
}

// answerCheck answers the safety check from its first screen to the
// result with no warning sign, checking each screen, and returns how many
// screens it took.
func (b *tab) answerCheck(name string, shots bool) int {
	b.t.Helper()
	n := 0
	for !strings.HasPrefix(b.path(), "/assessments/") {
		n++
		if n > 30 {
			b.t.Fatalf("the %s safety check never ends", name)
		}
		i, total := progress(b)
		if i != n {
			b.t.Errorf("screen %d of the %s check says it is screen %d of %d", n, name, i, total)
		}
		if n == 1 && !strings.Contains(b.text("main .intro"), fmt.Sprintf("%d short screens", total)) {
			b.t.Errorf("the intro does not count the %d screens: %q", total, b.text("main .intro"))
		}
		label := fmt.Sprintf("%s check, screen %d", name, n)
		b.axe(label)
		switch {
		case b.has(`input[name=none]`):
			if b.has(`button[name=answer]`) || b.has(`button[value=yes]`) {
				b.t.Errorf("%s: the warning signs are still yes-or-no questions", label)
			}
			kind := "emergency"
			if b.has(`input[name=flags][value=fever]`) {
				kind = "other"
			}
			if shots {
				b.docShot("safety-check-" + kind + "-signs")
			}
			b.do("none of these", b.press(`input[name=none]`))
			b.next(label)
		case b.has(`input[type=radio][name=pain_now]`):
			b.checkStage(label)
			b.do("the pain today", b.press(`input[name=pain_now][value="3"]`), b.press(`input[name=trend][value=same]`))
			if !b.has(`.reused`) {
				b.do("the weeks", b.typeInto("#weeks", "2"))
			}
			if shots {
				b.docShot("safety-check-today")
			}
			b.next(label)
		case b.has("#age"):
			b.do("about you", b.typeInto("#age", "45"), b.press(`input[name=clinician_assessed][value=yes]`))
			b.next(label)
		default:
			b.next(label) // causes and routine: as they are
		}
	}
	return n
}

// checkStage checks the stage question on the screen of the pain today:
// hidden at pain 8, which is high whatever the description; shown at 3,
// each choice's label above its words, inside the screen's width.
func (b *tab) checkStage(label string) {
	b.t.Helper()
	visible := `(() => { const q = document.querySelector(".stage-q"); return !!q && q.getClientRects().length > 0; })()`
	b.do("pain 8", b.press(`input[name=pain_now][value="8"]`))
	if eval[bool](b, visible) {
		b.t.Errorf("%s: the stage question is shown though pain 8 decides the stage", label)
	}
	b.do("pain 3", b.press(`input[name=pain_now][value="3"]`))
	if !eval[bool](b, visible) {
		b.t.Fatalf("%s: the stage question is hidden at pain 3", label)
	}
	type card struct {
		Label      string  `json:"label"`
		LabelRight float64 `json:"labelRight"`
		LabelLow   float64 `json:"labelLow"`
		HelpTop    float64 `json:"helpTop"`
		Right      float64 `json:"right"`
		Screen     float64 `json:"screen"`
	}
	cards := eval[[]card](b, `Array.from(document.querySelectorAll(".stage-q .card-choice"), c => {
	  const s = c.querySelector("strong"); const r = c.getBoundingClientRect();
	  if (!s) return {label: c.textContent.trim(), labelRight: 0, labelLow: 0, helpTop: 1e9, right: r.right, screen: innerWidth};
	  const range = document.createRange(); range.setStart(s.nextSibling, 0); range.setEnd(s.parentNode, s.parentNode.childNodes.length);
	  const sr = s.getBoundingClientRect();
	  return {label: s.textContent, labelRight: sr.right, labelLow: sr.bottom, helpTop: range.getClientRects()[0] ? range.getClientRects()[0].top : 1e9, right: r.right, screen: innerWidth};
	})`)
	if len(cards) < 3 {
		b.t.Errorf("%s: the stage question offers %d choices at pain 3", label, len(cards))
	}
	for _, c := range cards {
		if c.Right > c.Screen {
			b.t.Errorf("%s: the stage choice %q ends at %.0f px, past the %.0f px screen", label, c.Label, c.Right, c.Screen)
		}
		if c.HelpTop < c.LabelLow-1 {
			b.t.Errorf("%s: the stage choice %q puts its words beside the label, not under it", label, c.Label)
		}
	}
	if txt := b.text(".stage-q"); strings.Contains(txt, "out of 10") {
		b.t.Errorf("%s: the stage question repeats the 0–10 score: %q", label, txt)
	}
}

// docShot saves the viewport as the README's screenshot, at one CSS pixel
// a pixel so that it stays small.
func (b *tab) docShot(name string) {
	b.t.Helper()
	if !*docsScreenshots {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	dpr := eval[float64](b, `(scrollTo(0, 0), devicePixelRatio)`)
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng,
		Clip:   &page.Viewport{Width: float64(b.vp.width), Height: float64(b.vp.height), Scale: 1 / dpr},
	})
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(docShots, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(docShots, name+"-"+b.vp.name+".png")
	if err := os.WriteFile(path, shot.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
