package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestWizardKeyboard signs up and takes the whole assessment with the
// keyboard alone: Tab and Shift-Tab to move, Enter and Space to press,
// digits to type the numbers. Every place the focus stops must show it
// plainly, and each key must take the focus to the control a person
// expects.
func TestWizardKeyboard(t *testing.T) {
	t.Parallel()
	browser(t)
	srv := startServer(t)
	b := newTab(t, srv, laptop)
	k := &keyboard{b: b}

	// The sign-up form, field after field.
	b.open("sign-up", "/signup")
	k.tabTo("#handle")
	k.typeText("kim.keys")
	k.tab("#name")
	k.typeText("Kim")
	k.tab("#password")
	k.typeText(testPassword)
	k.tab("#confirm")
	k.typeText(testPassword)
	k.pressLoads("the introduction", kb.Enter)
	k.tabTo("main a.skip-intro")
	k.pressLoads("the first question", kb.Enter)
	if b.path() != "/assess" {
		t.Fatalf("after signing up by keyboard the browser is at %s; the page says %q", b.path(), b.text("main"))
	}

	// Each screen puts the focus on its first answer; every question is
	// answered in at most three Tab presses (checklists are one Tab stop,
	// the arrow keys move inside them, as in a group of radio buttons).
	for _, list := range []struct{ level, first, second string }{
		{"emergency", "chest_pain", "heart_attack_signs"}, {"other", "fever", "weight_loss"},
	} {
		level := list.level
		k.focused(fmt.Sprintf(`input[name=flags][value=%s]`, list.first))
		k.press(kb.ArrowDown)
		k.landed(fmt.Sprintf(`input[name=flags][value=%s]`, list.second), "ArrowDown")
		k.press(kb.End)
		k.landed(`input[name=none]`, "End")
		k.press(" ")
		if !eval[bool](b, `document.querySelector("input[name=none]").checked`) {
			t.Fatalf("Space did not tick \"none of these\" among the %s signs", level)
		}
		k.tab(`main form button.primary[type=submit]`)
		k.pressLoads("the "+level+" signs answered none", kb.Enter)
	}

	// The pain today: arrows choose on the scale, Tab goes from question
	// to question.
	k.focused(`input[name=pain_now][value="0"]`)
	for v := 1; v <= 4; v++ {
		k.press(kb.ArrowRight)
		k.landed(fmt.Sprintf(`input[name=pain_now][value="%d"]`, v), "ArrowRight")
	}
	k.tab(`input[name=stage_description][value=""]`)
	k.press(kb.ArrowUp)
	k.landed(`input[name=stage_description][value=high]`, "ArrowUp")
	k.press(kb.ArrowUp)
	k.landed(`input[name=stage_description][value=moderate]`, "ArrowUp (mild is hidden at pain 4)")
	k.tab("#weeks")
	k.typeText("3")
	k.tab(`input[name=trend][value=better]`)
	k.press(kb.ArrowRight)
	k.landed(`input[name=trend][value=same]`, "ArrowRight")
	k.tab(`main form button.primary[type=submit]`)
	k.pressLoads("about you", kb.Enter)

	k.focused("#age")
	k.typeText("45")
	k.tab(`input[name=clinician_assessed][value=yes]`)
	k.press(" ")
	k.tab(`input[name=conditions]`)
	k.tab(`main form button.primary[type=submit]`)
	k.pressLoads("the causes", kb.Enter)

	k.focused(`input[name=causes][value=overuse]`)
	k.press(kb.ArrowDown)
	k.landed(`input[name=causes][value=desk_work]`, "ArrowDown")
	k.press(" ")
	if !eval[bool](b, `document.querySelector("input[name=causes][value=desk_work]").checked`) {
		t.Error("Space did not tick the check box")
	}
	k.tab(`main form button.primary[type=submit]`)
	k.pressLoads("the routine", kb.Enter)

	k.focused("#minutes")
	k.tab(`input[name=places]`)
	k.tab(`input[name=equipment]`)
	k.tab(`main form button.primary[type=submit]`)
	k.pressLoads("the result", kb.Enter)
	if !strings.HasPrefix(b.path(), "/assessments/") {
		t.Fatalf("after the last screen the browser is at %s; the page says %q", b.path(), b.text("main"))
	}
	// From the result to the plan.
	k.tabTo(`main a.primary[href="/plan"]`)
	k.pressLoads("the plan", kb.Enter)
	if n := eval[int](b, `document.querySelectorAll("main .exercise-card").length`); n == 0 {
		t.Errorf("the plan reached by keyboard shows no exercises: %q", b.text("main"))
	}
}

// keyboard drives a tab with keys alone.
type keyboard struct {
	b *tab
}

// focusInfo describes the element that has the focus.
type focusInfo struct {
	Desc      string `json:"desc"`
	Matches   bool   `json:"matches"`
	Visible   bool   `json:"visible"`   // :focus-visible
	Indicator string `json:"indicator"` // the outline or shadow that shows it; "" for none
	InView    bool   `json:"inView"`
}

// focusScript describes document.activeElement against a selector.
const focusScript = `((sel) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {desc: "nothing (the page itself)", matches: false, visible: false, indicator: "", inView: false};
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  let indicator = "";
  if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) indicator = "outline " + cs.outlineWidth + " " + cs.outlineStyle + " " + cs.outlineColor;
  else if (cs.boxShadow && cs.boxShadow !== "none") indicator = "box-shadow " + cs.boxShadow;
  const label = (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 50);
  let desc = el.tagName.toLowerCase();
  if (el.id) desc += "#" + el.id;
  if (el.name) desc += "[name=" + el.name + "]";
  if (el.value && (el.tagName === "BUTTON" || el.type === "checkbox")) desc += "[value=" + el.value + "]";
  desc += " " + JSON.stringify(label);
  return {desc: desc, matches: el.matches(sel), visible: el.matches(":focus-visible"), indicator: indicator,
    inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth};
})(%q)`

// focus returns what has the focus.
func (k *keyboard) focus(sel string) focusInfo {
	k.b.t.Helper()
	return eval[focusInfo](k.b, fmt.Sprintf(focusScript, sel))
}

// seen fails unless the focused element shows that it has the focus and
// is on the screen.
func (k *keyboard) seen(f focusInfo, after string) {
	k.b.t.Helper()
	if !f.Visible || f.Indicator == "" || !f.InView {
		k.b.t.Errorf("on %s, after %s the focus on %s cannot be seen (focus-visible %v, indicator %q, on screen %v)",
			k.b.path(), after, f.Desc, f.Visible, f.Indicator, f.InView)
	}
}

// focused fails unless the focus is on the element sel, plainly shown.
func (k *keyboard) focused(sel string) {
	k.b.t.Helper()
	// The browser applies autofocus on a frame after the load: wait for
	// the focus to settle (or for the time to run out) before judging.
	ctx, cancel := k.b.step()
	chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%q)`, sel),
		chromedp.WithPollingTimeout(2*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	cancel()
	f := k.focus(sel)
	if !f.Matches {
		k.b.t.Fatalf("on %s the focus is on %s, want %s", k.b.path(), f.Desc, sel)
	}
	k.seen(f, "loading the page")
}

// press sends one key to the focused element.
func (k *keyboard) press(key string, opts ...chromedp.KeyOption) {
	k.b.t.Helper()
	k.b.do(fmt.Sprintf("pressing %q", key), chromedp.KeyEvent(key, opts...))
}

// pressLoads presses a key that loads the next page.
func (k *keyboard) pressLoads(name, key string) {
	k.b.t.Helper()
	k.b.follow(name, chromedp.KeyEvent(key))
}

// typeText types text into the focused field.
func (k *keyboard) typeText(s string) {
	k.b.t.Helper()
	k.b.do("typing", chromedp.KeyEvent(s))
}

// tab presses Tab once; the focus must land on sel, plainly shown.
func (k *keyboard) tab(sel string) {
	k.b.t.Helper()
	k.press(kb.Tab)
	k.landed(sel, "Tab")
}

// shiftTab presses Shift-Tab once; the focus must land on sel.
func (k *keyboard) shiftTab(sel string) {
	k.b.t.Helper()
	k.press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	k.landed(sel, "Shift-Tab")
}

func (k *keyboard) landed(sel, key string) {
	k.b.t.Helper()
	f := k.focus(sel)
	if !f.Matches {
		k.b.t.Fatalf("on %s, %s took the focus to %s, want %s", k.b.path(), key, f.Desc, sel)
	}
	k.seen(f, key)
}

// tabTo presses Tab until the focus is on sel, checking that every stop
// on the way shows the focus.
func (k *keyboard) tabTo(sel string) {
	k.b.t.Helper()
	var path []string
	for range 40 {
		k.press(kb.Tab)
		f := k.focus(sel)
		k.seen(f, "Tab")
		if f.Matches {
			return
		}
		path = append(path, f.Desc)
	}
	k.b.t.Fatalf("on %s, Tab never reached %s; it went through %s", k.b.path(), sel, strings.Join(path, ", "))
}

// skipToContent takes the page's first Tab stop, the skip link, past the
// header to the content.
func (k *keyboard) skipToContent() {
	k.b.t.Helper()
	k.tab(`a.skip[href="#main"]`)
	k.press(kb.Enter)
	if id := eval[string](k.b, `document.activeElement ? document.activeElement.id : ""`); id != "main" {
		k.b.t.Fatalf("on %s the skip link took the focus to %q, want the content (main)", k.b.path(), id)
	}
}

// TestWizardEmergency answers yes to the first warning sign, on a phone:
// the wizard stops at once and says what to do now, with a number to tap
// to call on the first screen, and no exercise is offered afterwards.
func TestWizardEmergency(t *testing.T) {
	t.Parallel()
	browser(t)
	srv := startServer(t)
	b := newTab(t, srv, phone)
	b.open("sign-up", "/signup")
	signUp(b, "sam.emergency")
	if kicker := b.text("main .kicker"); !strings.Contains(kicker, "help now") {
		t.Fatalf("the first question is not an emergency sign: %q", kicker)
	}
	question := b.text(`label:has(input[name=flags][value=chest_pain])`)
	b.do("ticking the first sign", b.press(`input[name=flags][value=chest_pain]`))
	b.next("what to do now")

	if b.has(`input[name=flags]`) || b.has(`input[name=pain_now]`) {
		t.Fatalf("after yes to %q the wizard asks more questions: %q", question, b.text("main"))
	}
	b.expect(`main [role=alert]`, "the emergency advice as an alert")
	if txt := b.text("main"); !strings.Contains(txt, "No exercises today") {
		t.Errorf("the emergency page does not say that exercise is off: %q", txt)
	}
	type link struct {
		Href   string  `json:"href"`
		Text   string  `json:"text"`
		Top    float64 `json:"top"`
		Bottom float64 `json:"bottom"`
		Width  float64 `json:"width"`
		Height float64 `json:"height"`
		Screen float64 `json:"screen"`
	}
	calls := eval[[]link](b, `Array.from(document.querySelectorAll('main a[href^="tel:"]'), a => {
		const r = a.getBoundingClientRect();
		return {href: a.getAttribute("href"), text: a.textContent.trim(), top: r.top, bottom: r.bottom, width: r.width, height: r.height, screen: innerHeight};
	})`)
	if len(calls) == 0 {
		t.Fatalf("the emergency page has no number to tap to call: %q", b.text("main"))
	}
	tel := regexp.MustCompile(`^tel:\+?[0-9]+$`)
	for _, c := range calls {
		if !tel.MatchString(c.Href) || c.Text == "" {
			t.Errorf("the call link %q (%q) is not a tel: link with a label", c.Href, c.Text)
		}
	}
	first := calls[0]
	if first.Top < 0 || first.Bottom > first.Screen {
		t.Errorf("the first number to call (%s) is not on the first screen of a phone: it spans %.0f–%.0f px of %.0f", first.Text, first.Top, first.Bottom, first.Screen)
	}
	if first.Width < 44 || first.Height < 44 {
		t.Errorf("the first number to call (%s) is %.0f×%.0f px, smaller than the 44×44 px a finger needs", first.Text, first.Width, first.Height)
	}
	b.axe("emergency-stop")
	b.shot("emergency-stop")

	// No routine is offered after an emergency answer.
	b.open("the plan after an emergency answer", "/plan")
	if txt := b.text("main"); !strings.Contains(txt, "No exercises today") || b.has(`main a[href$="/session"]`) {
		t.Errorf("the plan is offered after an emergency answer: %q", txt)
	}
	if !b.has(`main a[href^="tel:"]`) {
		t.Error("the plan page after an emergency answer has no number to call")
	}
	b.shot("emergency-plan")
	b.open("the session after an emergency answer", "/session")
	if b.has("#player") {
		t.Error("the guided session starts after an emergency answer")
	}
}
