package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// testPassword is the password of every account the tests make.
const testPassword = "a quiet walk by the river"

// The pains a person gives in the journey.
const (
	painBefore = 3
	painAfter  = 1
)

// TestJourneyLaptop goes through the app as a person would on a laptop:
// sign up, the assessment, the plan, a whole guided session, the diary,
// and then checks what the server kept.
func TestJourneyLaptop(t *testing.T) { journey(t, laptop) }

// TestJourneyPhone is the same journey on a phone, with taps.
func TestJourneyPhone(t *testing.T) { journey(t, phone) }

func journey(t *testing.T, vp viewport) {
	t.Parallel() // each journey has its own server, database and browser context
	browser(t)   // skips without Chromium, before building anything
	srv := startServer(t)
	b := newTab(t, srv, vp)
	handle := "robin." + vp.name

	// The landing page leads to the sign-up form.
	b.open("landing", "/")
	b.expect(`a.button[href="/signup"]`, "a button to create an account on the landing page")
	b.follow("sign-up", b.press(`a.button[href="/signup"]`))
	signUp(b, handle)

	// The assessment: warning signs first, then the pain, one question a
	// screen, and the result.
	takeAssessment(b)
	result := b.text("main h1")
	if result == "" || !strings.Contains(b.text("main"), "Urgency") {
		t.Fatalf("the result page shows no urgency: %q", b.text("main"))
	}
	b.expect(`main a.primary[href="/plan"]`, "a link from the result to today's plan")

	// The plan.
	b.follow("plan", b.press(`main a.primary[href="/plan"]`))
	cards := eval[int](b, `document.querySelectorAll("main .exercise-card").length`)
	if cards == 0 {
		t.Fatalf("the plan shows no exercises: %q", b.text("main"))
	}
	b.expect(`main a.primary[href$="/session"]`, "a button to start the guided session on the plan")

	// The whole guided session, sped up: pain before, every exercise to
	// its end, pain after.
	b.follow("session player", b.press(`main a.primary[href$="/session"]`))
	planPath := b.path()
	planID := regexp.MustCompile(`^/plans/([^/]+)/session$`).FindStringSubmatch(planPath)
	if planID == nil {
		t.Fatalf("the player is at %s, want /plans/ID/session", planPath)
	}
	n := runSession(b, cards)

	// Saved: the session's page, then the diary.
	// The end screen, then the session's page it links to.
	b.do("the pain after", b.press(fmt.Sprintf(`[data-scale=after] [data-pain="%d"]`, painAfter)))
	poll[bool](b, "the end screen", `!document.querySelector("#screen-done").hidden && document.querySelector("[data-session-link]").getAttribute("href").startsWith("/sessions/")`)
	b.shot("journey-player-end")
	b.follow("session saved", b.press(`[data-session-link]`))
	if !strings.HasPrefix(b.path(), "/sessions/") {
		t.Fatalf("after the session the browser is at %s, want the session's page", b.path())
	}
	if want := fmt.Sprintf("pain %d before, %d after", painBefore, painAfter); !strings.Contains(b.text("main"), want) {
		t.Errorf("the session's page does not say %q: %q", want, b.text("main"))
	}
	outcomes := eval[[]string](b, `Array.from(document.querySelectorAll("main table tbody tr td:nth-child(2)"), td => td.textContent.trim())`)
	if len(outcomes) != n {
		t.Errorf("the session's page lists %d exercises, want %d", len(outcomes), n)
	}
	for i, o := range outcomes {
		if o != "Done" {
			t.Errorf("exercise %d of the session is %q, want Done", i+1, o)
		}
	}
	b.shot("journey-session-saved")

	b.follow("diary", b.press(`header nav a[href="/diary"]`))
	want := fmt.Sprintf("%d of %d exercises, pain %d → %d", n, n, painBefore, painAfter)
	if diary := b.text("#report"); !strings.Contains(diary, want) {
		t.Errorf("the diary does not show the session (%q): %q", want, diary)
	}
	b.shot("journey-diary")

	// What the server kept, read after it stopped.
	srv.Stop(t)
	st := srv.openStore(t)
	ctx := context.Background()
	me, err := st.PersonByHandle(ctx, handle)
	if err != nil {
		t.Fatalf("the account %s was not kept: %v", handle, err)
	}
	assessments, err := st.Assessments(ctx, me.ID, backcoach.Filter{})
	if err != nil || len(assessments) != 1 {
		t.Fatalf("assessments kept: %d (%v), want 1", len(assessments), err)
	}
	if a := assessments[0].Answers; a.Age != 45 || a.PainNow != 4 || a.Weeks != 3 || len(a.Flags) != 0 || !a.ClinicianAssessed {
		t.Errorf("the assessment kept is not the one answered: %s", mustJSON(a))
	}
	plan, err := st.Plan(ctx, me.ID, planID[1])
	if err != nil {
		t.Fatalf("the plan of the session was not kept: %v", err)
	}
	sessions, err := st.Sessions(ctx, me.ID, backcoach.Filter{})
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions kept: %d (%v), want 1", len(sessions), err)
	}
	s := sessions[0]
	if s.PlanID != plan.ID || s.PainBefore != painBefore || s.PainAfter == nil || *s.PainAfter != painAfter {
		t.Errorf("the session kept is not the one done: %s", mustJSON(s))
	}
	if len(s.Exercises) != len(plan.Plan.Exercises) || len(s.Exercises) != n {
		t.Fatalf("the session kept has %d exercises; the plan has %d and the player showed %d", len(s.Exercises), len(plan.Plan.Exercises), n)
	}
	for i, e := range s.Exercises {
		if e.ExerciseID != plan.Plan.Exercises[i].ID || e.Outcome != backcoach.OutcomeDone {
			t.Errorf("exercise %d kept as %s, want %s done", i+1, mustJSON(e), plan.Plan.Exercises[i].ID)
		}
	}
}

// expect fails the test at once unless the page has an element matching
// sel.
func (b *tab) expect(sel, what string) {
	b.t.Helper()
	if !b.has(sel) {
		b.t.Fatalf("%s at %s: there is no %s; the page says %q", what, b.path(), sel, b.text("main"))
	}
}

// has reports whether the page has an element matching sel.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`!!document.querySelector(%q)`, sel))
}

// signUp fills in the sign-up form shown and sends it; the new account
// starts with a short introduction, skipped here, then the assessment.
func signUp(b *tab, handle string) {
	b.t.Helper()
	b.expect(`form[action="/signup"]`, "the sign-up form")
	b.do("filling in the sign-up form",
		b.typeInto("#handle", handle),
		b.typeInto("#name", "Robin"),
		b.typeInto("#password", testPassword),
		b.typeInto("#confirm", testPassword),
	)
	b.follow("the introduction", b.press(`form[action="/signup"] button[type=submit]`))
	b.follow("the first question", b.press(`main a.skip-intro`))
	if p := b.path(); p != "/assess" {
		b.t.Fatalf("after signing up the browser is at %s, want /assess; the page says %q", p, b.text("main"))
	}
}

// progress reads "Screen i of n" on a wizard screen.
func progress(b *tab) (int, int) {
	b.t.Helper()
	var i, n int
	txt := b.text(".progress-text")
	if _, err := fmt.Sscanf(txt, "Screen %d of %d", &i, &n); err != nil {
		b.t.Fatalf("the wizard's progress reads %q, want \"Screen i of n\"", txt)
	}
	return i, n
}

// onScreen checks that the wizard shows the screen expected next, with
// one heading.
func onScreen(b *tab, want int) {
	b.t.Helper()
	if i, _ := progress(b); i != want {
		b.t.Fatalf("the wizard shows screen %d, want %d: %q", i, want, b.text("main h1"))
	}
	if h := eval[int](b, `document.querySelectorAll("main h1").length`); h != 1 {
		b.t.Errorf("screen %d has %d headings, want one", want, h)
	}
}

// noneOfThese answers "none of these" to a checklist of warning signs.
func noneOfThese(b *tab, name string) {
	b.t.Helper()
	b.expect(`input[name=none]`, "the checklist's \"none of these\"")
	b.do("ticking none of these", b.press(`input[name=none]`))
	b.next(name)
}

// takeAssessment answers the wizard from its first screen to the result,
// as a person would: no warning sign, pain 4 (moderate) for 3 weeks,
// about the same, age 45, seen by a physiotherapist, desk work.
func takeAssessment(b *tab) {
	b.t.Helper()
	if !strings.Contains(b.text("main .kicker"), "Warning sign") || !b.has(`input[name=flags]`) {
		b.t.Fatalf("the assessment does not start with the warning signs: %q", b.text("main"))
	}
	steps := []struct {
		name   string
		sel    string // what the screen must show
		answer func()
	}{
		{"emergency signs", `input[name=flags][value=chest_pain]`, func() { noneOfThese(b, "the other signs") }},
		{"other signs", `input[name=flags][value=fever]`, func() { noneOfThese(b, "the pain today") }},
		{"today", `input[name=pain_now][value="4"]`, func() {
			b.do("the pain today",
				b.press(`input[name=pain_now][value="4"]`),
				b.press(`input[name=stage_description][value=moderate]`),
				b.typeInto("#weeks", "3"),
				b.press(`input[name=trend][value=same]`))
			b.next("about you")
		}},
		{"about", "#age", func() {
			b.do("about you", b.typeInto("#age", "45"), b.press(`input[name=clinician_assessed][value=yes]`))
			b.next("causes")
		}},
		{"causes", `input[name=causes][value=desk_work]`, func() {
			b.do("ticking desk work", b.press(`input[name=causes][value=desk_work]`))
			b.next("routine")
		}},
		{"routine", "#minutes", func() { b.next("result") }},
	}
	for i, s := range steps {
		onScreen(b, i+1)
		b.expect(s.sel, "the "+s.name+" screen")
		s.answer()
	}
	if !strings.HasPrefix(b.path(), "/assessments/") {
		b.t.Fatalf("after the last screen the browser is at %s, want the result; the page says %q", b.path(), b.text("main"))
	}
}

// next presses the wizard's main button.
func (b *tab) next(name string) {
	b.t.Helper()
	b.follow(name, b.press(`main form button.primary[type=submit]`))
}

// runSession gives the pain before, starts every exercise and lets the
// sped-up clock run each to its end, until the player asks for the pain
// after. It returns the number of exercises.
func runSession(b *tab, cards int) int {
	b.t.Helper()
	b.expect(`#screen-before:not([hidden]) [data-scale=before] [data-pain="3"]`, "the pain question before the session")
	b.shot("journey-player-before")
	b.do("the pain before", b.press(fmt.Sprintf(`[data-scale=before] [data-pain="%d"]`, painBefore)))
	n := 0
	for k := 1; ; k++ {
		state := poll[string](b, "the next exercise or the end of the session", `(() => {
			if (!document.querySelector("#screen-after").hidden) return "after";
			const s = document.querySelector("#screen-exercise");
			if (!s.hidden && !document.querySelector(".player-bar [data-action=start]").hidden) return document.querySelector("[data-bind=position]").textContent;
			return "";
		})()`)
		if state == "after" {
			break
		}
		var i int
		if _, err := fmt.Sscanf(state, "Exercise %d of %d", &i, &n); err != nil || i != k {
			b.t.Fatalf("the player shows %q, want exercise %d", state, k)
		}
		if k > cards+1 {
			b.t.Fatalf("the player shows more exercises than the plan's %d", cards)
		}
		if k == 1 {
			b.shot("journey-player-exercise")
		}
		b.do(fmt.Sprintf("starting exercise %d", k), b.press(`.player-bar [data-action=start]`))
	}
	if n != cards {
		b.t.Errorf("the player ran %d exercises; the plan shows %d", n, cards)
	}
	b.shot("journey-player-after")
	return n
}
