package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// hiddenFields reads the hidden fields of a page's form.
func hiddenFields(body string) url.Values {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// answer posts one step of the wizard with what the page carried.
func answer(b *browser, page string, answers url.Values) response {
	b.t.Helper()
	form := hiddenFields(page)
	for k, v := range answers {
		form[k] = v
	}
	return b.post("/assess", form)
}

// wizardAnswers are the answers to the screens after the warning signs,
// by screen.
type wizardAnswers map[string]url.Values

var mildDesk = wizardAnswers{
	"today":   {"pain_now": {"3"}, "stage_description": {"mild"}, "weeks": {"1"}, "trend": {"same"}},
	"about":   {"age": {"34"}, "clinician_assessed": {"yes"}},
	"causes":  {"causes": {"desk_work"}},
	"routine": {"minutes": {"10"}, "places": {"desk", "standing", "floor"}, "equipment": {"wall", "chair"}},
}

// noSigns answers "none of these" to a checklist of warning signs.
var noSigns = url.Values{"none": {"1"}}

// isSigns reports whether a wizard step is a checklist of warning signs.
func isSigns(step string) bool { return strings.HasPrefix(step, "signs:") }

// takeAssessment answers "none of these" to the warning signs and the
// given answers to the rest, and returns the result page's response (a
// redirect). A repeat assessment asks only the screens it does not reuse.
func takeAssessment(t testing.TB, b *browser, ans wizardAnswers) response {
	t.Helper()
	page := b.get("/assess")
	wantStatus(t, page, http.StatusOK)
	for i := 0; i < 10; i++ {
		step := hiddenFields(page.body).Get("step")
		var r response
		if isSigns(step) {
			r = answer(b, page.body, noSigns)
		} else {
			r = answer(b, page.body, ans[step])
		}
		if r.StatusCode == http.StatusSeeOther {
			return r
		}
		wantStatus(t, r, http.StatusOK)
		page = r
	}
	t.Fatal("the wizard did not end")
	return response{}
}

func TestAssessmentPlanSessionDiary(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "sam")

	r := takeAssessment(t, b, mildDesk)
	if !strings.HasPrefix(r.Header.Get("Location"), "/assessments/") {
		t.Fatalf("the wizard ended at %q, want /assessments/ID", r.Header.Get("Location"))
	}
	result := b.follow(r)
	wantStatus(t, result, http.StatusOK)
	mustContain(t, "the result page", result.body, triage.LevelOf(backcoach.UrgencySelfCare).Title, "Mild", triage.Disclaimer(), "Sources", "NHS: Back pain")

	plan := b.get("/plan")
	wantStatus(t, plan, http.StatusOK)
	mustContain(t, "the plan page", plan.body, "Today&#39;s plan", "<svg", "Left out today", "Start the guided session", "Change today's routine", triage.Disclaimer())
	// The plan is kept once, however often the page is seen.
	b.get("/plan")
	me := app.person(t, "sam")
	plans, err := app.st.Plans(context.Background(), me.ID, backcoach.Filter{})
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans kept = %d, %v; want 1", len(plans), err)
	}

	// Fewer minutes and only the desk: the plan changes and remembers.
	r = b.post("/plan", url.Values{"minutes": {"5"}, "places": {"desk"}})
	wantStatus(t, r, http.StatusSeeOther)
	plan = b.follow(r)
	mustContain(t, "the changed plan", plan.body, "of 5 min")
	// A wrong value is shown with the message and what was typed.
	r = b.post("/plan", url.Values{"minutes": {"90"}, "places": {"desk"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused routine", r.body, "from 1 to 60", `value="90"`)

	// The session: /session leads to the player of today's plan.
	r = b.get("/session")
	wantStatus(t, r, http.StatusSeeOther)
	player := b.follow(r)
	wantStatus(t, player, http.StatusOK)
	mustContain(t, "the player", player.body, `id="player-data"`, "player.js", `role="timer"`)
	planID := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), "/plans/"), "/session")
	sp, err := app.st.Plan(context.Background(), me.ID, planID)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []backcoach.ExerciseOutcome
	for _, x := range sp.Plan.Exercises {
		outcomes = append(outcomes, backcoach.ExerciseOutcome{ExerciseID: x.ID, Outcome: backcoach.OutcomeDone, Seconds: x.Seconds})
	}
	body, _ := json.Marshal(map[string]any{
		"plan_id": planID, "started_at": app.clock.Now().Add(-5 * time.Minute), "duration_seconds": 280,
		"pain_before": 4, "pain_after": 2, "exercises": outcomes, "flags": []string{},
	})
	r = b.postJSON("/sessions", string(body))
	wantStatus(t, r, http.StatusCreated)
	var saved struct{ ID, URL string }
	json.Unmarshal([]byte(r.body), &saved)
	page := b.get(saved.URL)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, "the session page", page.body, "a meaningful improvement", "Done")

	// A session for someone else's plan, or broken, is refused.
	r = b.postJSON("/sessions", `{"plan_id": "`+planID+`", "pain_before": 12, "exercises": []}`)
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused session", r.body, "pain_before", "from 0 to 10")

	// Today shows the streak and the routine.
	today := b.get("/")
	wantStatus(t, today, http.StatusOK)
	mustContain(t, "Today", today.body, "1</span> day in a row", "Do it again", "Your last pains")

	// The diary: a check-in that asks the warning signs once a day.
	diaryPage := b.get("/diary")
	wantStatus(t, diaryPage, http.StatusOK)
	mustContain(t, "the diary", diaryPage.body, "Since yesterday, any of these warning signs?", "How the diary reads your pain", `class="chart"`)
	r = b.post("/diary", url.Values{"pain": {"3"}, "ask_flags": {"1"}, "note": {"stiff after work"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused check-in", r.body, "none of these", "stiff after work", `value="3" checked`)
	r = b.post("/diary", url.Values{"pain": {"3"}, "ask_flags": {"1"}, "none": {"1"}, "note": {"stiff after work"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the saved check-in", r.body, "Saved: pain 3", "stiff after work")
	if strings.Contains(r.body, "Since yesterday, any of these warning signs?") {
		t.Error("the warning signs were asked twice on one day")
	}
	// Other periods come as a part for htmx.
	req, _ := http.NewRequest(http.MethodGet, app.ts.URL+"/diary?days=7", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "report")
	part := b.do(req)
	wantStatus(t, part, http.StatusOK)
	if strings.Contains(part.body, "<html") || !strings.Contains(part.body, "Your pain over 7 days") {
		t.Errorf("the htmx part is not the report alone:\n%.300s", part.body)
	}
	wantStatus(t, b.get("/diary?days=14"), http.StatusBadRequest)

	// The quick log of Today, through htmx.
	req, _ = http.NewRequest(http.MethodPost, app.ts.URL+"/diary", strings.NewReader("quick=1&pain=9"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	quick := b.do(req)
	wantStatus(t, quick, http.StatusOK)
	mustContain(t, "the quick log", quick.body, "Saved: pain 9", "GP or physiotherapist")
}

func TestEmergencyAnswerStopsEverything(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "ana")
	takeAssessment(t, b, mildDesk) // a routine exists
	page := b.get("/assess")
	r := answer(b, page.body, url.Values{"flags": {"chest_pain"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the emergency page", r.body, triage.LevelOf(backcoach.UrgencyEmergency).Title, `href="tel:999"`, "Call 999", triage.Disclaimer())

	// For the rest of the day, no exercise is offered.
	plan := b.get("/plan")
	mustContain(t, "the plan after an emergency answer", plan.body, "No exercises today", `href="tel:999"`)
	if strings.Contains(plan.body, "Start the guided session") {
		t.Error("the plan still offers the session after an emergency answer")
	}
	r = b.get("/session")
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(r.body, "player-data") {
		t.Error("the player starts after an emergency answer")
	}
	// The emergency screen ends with what to do now, not the disclaimer.
	last := triage.LevelOf(backcoach.UrgencyEmergency).Advice
	if strings.LastIndex(r.body, triage.Disclaimer()) > strings.LastIndex(r.body, last[len(last)-1]) {
		t.Error("the emergency screen ends with the disclaimer, not with what to do now")
	}
	// The next day a new, clean check alone does not bring it back.
	app.clock.Advance(24 * time.Hour)
	takeAssessment(t, b, mildDesk)
	mustContain(t, "the plan the next day", b.get("/plan").body, "No exercises today", "Record a clinician")
	// A clearance in the future, or one with nobody named, is refused and
	// nothing is kept.
	bad := b.post("/safety", url.Values{"by": {"gp"}, "checked_on": {app.clock.Now().AddDate(0, 0, 2).Format("2006-01-02")}})
	wantStatus(t, bad, http.StatusBadRequest)
	mustContain(t, "a clearance dated in the future", bad.body, "The day of the check")
	bad = b.post("/safety", url.Values{"checked_on": {app.clock.Now().Format("2006-01-02")}})
	wantStatus(t, bad, http.StatusBadRequest)
	mustContain(t, "a clearance by nobody", bad.body, "Choose who checked you")
	app.clock.Advance(time.Minute)
	// The emergency team checked her; then a fresh check without signs
	// brings the routine back.
	app.clock.Advance(time.Minute) // the check is recorded after that day's screen
	ok := b.post("/safety", url.Values{"by": {"emergency_team"}, "checked_on": {app.clock.Now().Format("2006-01-02")}, "name": {"St Mary's A&E"}})
	wantStatus(t, ok, http.StatusSeeOther)
	rec := b.follow(ok)
	mustContain(t, "the record after the clearance", rec.body, "The check is recorded", "St Mary&#39;s A&amp;E")
	mustContain(t, "the plan before the fresh check", b.get("/plan").body, "No exercises today")
	app.clock.Advance(time.Minute)
	takeAssessment(t, b, mildDesk)
	mustContain(t, "the plan after the fresh check", b.get("/plan").body, "Start the guided session")
}

func TestUrgentAnswersAskAllThenStop(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "lee")
	page := b.get("/assess")
	r := answer(b, page.body, noSigns)
	wantStatus(t, r, http.StatusOK)
	if step := hiddenFields(r.body).Get("step"); step != "signs:urgent" {
		t.Fatalf("after no emergency sign the wizard is at %q, want the other signs", step)
	}
	r = answer(b, r.body, url.Values{"flags": {"fever"}})
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(r.body, `name="step"`) {
		t.Fatalf("the urgent warning sign did not stop the questions:\n%.500s", r.body)
	}
	mustContain(t, "the urgent page", r.body, triage.LevelOf(backcoach.UrgencyUrgent).Title, "Do not start exercises until a doctor has assessed you", "spine")
}

// TestWizardSignsChecklist: each checklist of warning signs needs the
// signs ticked or "none of these", never both and never neither, and
// says so in plain words, keeping what was ticked.
func TestWizardSignsChecklist(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "noor")
	page := b.get("/assess")
	mustContain(t, "the first screen", page.body, "Screen 1 of 6", "6 short screens", `name="none"`, "Do you have any of these right now?")
	if strings.Contains(page.body, `value="yes"`) {
		t.Error("the warning signs are still asked yes or no")
	}
	for _, f := range triage.FlagsAt(backcoach.UrgencyEmergency) {
		mustContain(t, "the emergency checklist", page.body, `value="`+f.ID+`"`)
	}
	if strings.Contains(page.body, `value="fever"`) {
		t.Error("the emergency checklist lists an urgent sign")
	}
	r := answer(b, page.body, url.Values{})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "nothing ticked", r.body, "tick each warning sign you have, or &#34;none of these&#34;", `role="alert"`)
	r = answer(b, page.body, url.Values{"flags": {"chest_pain"}, "none": {"1"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "a sign and none", r.body, "you ticked warning signs and &#34;none of these&#34;: untick one or the other", `value="chest_pain" checked`)
	r = answer(b, page.body, url.Values{"flags": {"no_such_sign"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "an unknown sign", r.body, "choose among the warning signs listed")
	// Nothing was kept by the refused answers.
	rec, err := app.st.SafetyRecord(context.Background(), app.person(t, "noor").ID)
	if err != nil || len(rec.Screens) != 0 {
		t.Errorf("refused answers kept %d screens (%v)", len(rec.Screens), err)
	}
	// None, then back: "none of these" is shown again as answered.
	r = answer(b, page.body, noSigns)
	wantStatus(t, r, http.StatusOK)
	back := answer(b, r.body, url.Values{"back": {"1"}})
	mustContain(t, "the emergency signs again", back.body, `name="none" value="1" data-none checked`)
}

// TestWizardStageSkipped: the description of the pain is dropped when
// the score already decides the stage (docs/clinical.md §2), and kept
// when it can raise it.
func TestWizardStageSkipped(t *testing.T) {
	app := newApp(t, options{})
	for _, c := range []struct {
		pain, stage, want string
	}{{"8", "mild", ""}, {"5", "high", "high"}, {"2", "moderate", "moderate"}} {
		b := app.signup(t, "stage"+c.pain)
		ans := wizardAnswers{
			"today":   {"pain_now": {c.pain}, "stage_description": {c.stage}, "weeks": {"1"}, "trend": {"same"}},
			"about":   {"age": {"40"}, "clinician_assessed": {"yes"}},
			"routine": {"minutes": {"10"}, "places": {"desk"}},
		}
		wantStatus(t, takeAssessment(t, b, ans), http.StatusSeeOther)
		list, err := app.st.Assessments(context.Background(), app.person(t, "stage"+c.pain).ID, backcoach.Filter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("assessments: %d, %v", len(list), err)
		}
		if got := string(list[0].Answers.StageDescription); got != c.want {
			t.Errorf("pain %s described as %s: kept description %q, want %q", c.pain, c.stage, got, c.want)
		}
	}
}

// TestWizardRepeat: after a first assessment, the next one asks the
// warning signs and the pain today, and reuses the rest, which it shows
// and lets the person change.
func TestWizardRepeat(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "rae")
	takeAssessment(t, b, mildDesk)
	app.clock.Advance(15 * 24 * time.Hour)
	page := b.get("/assess")
	mustContain(t, "the repeat's first screen", page.body, "Screen 1 of 3", "3 short screens", `href="/assess?full=1"`)
	steps := []string{hiddenFields(page.body).Get("step")}
	r := answer(b, page.body, noSigns)
	steps = append(steps, hiddenFields(r.body).Get("step"))
	r = answer(b, r.body, noSigns)
	steps = append(steps, hiddenFields(r.body).Get("step"))
	if strings.Join(steps, " ") != "signs:emergency signs:urgent today" {
		t.Fatalf("the repeat asks %v", steps)
	}
	mustContain(t, "what is reused", r.body, "Used again from", "34", "Desk work", "Change these answers", `name="weeks" type="number" inputmode="numeric" min="0" max="5200" value="3"`)
	done := answer(b, r.body, url.Values{"pain_now": {"2"}, "weeks": {"3"}, "trend": {"better"}})
	wantStatus(t, done, http.StatusSeeOther)
	list, err := app.st.Assessments(context.Background(), app.person(t, "rae").ID, backcoach.Filter{NewestFirst: true})
	if err != nil || len(list) != 2 {
		t.Fatalf("assessments: %d, %v", len(list), err)
	}
	a := list[0].Answers
	if a.Age != 34 || !a.ClinicianAssessed || len(a.Causes) != 1 || a.PainNow != 2 || a.Trend != backcoach.TrendBetter || a.Context == nil || a.Context.Minutes != 10 {
		t.Errorf("the repeat kept %+v", a)
	}

	// "Change these answers" goes on to the screens of a whole assessment.
	page = b.get("/assess")
	r = answer(b, answer(b, page.body, noSigns).body, noSigns)
	r = answer(b, r.body, url.Values{"pain_now": {"2"}, "weeks": {"3"}, "trend": {"better"}, "edit": {"1"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the profile to change", r.body, "About you", `value="34"`, "Screen 4 of 6")
}

func TestWizardKeepsAnswersOnError(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "kim")
	page := b.get("/assess")
	for isSigns(hiddenFields(page.body).Get("step")) {
		page = answer(b, page.body, noSigns)
	}
	// Every wrong answer of a screen is shown at once.
	r := answer(b, page.body, url.Values{"pain_now": {"11"}, "weeks": {"x"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused answers", r.body, "3 answers need a change", "from 0 to 10", "the number of weeks", "choose how the pain has changed", `value="x"`, `aria-invalid="true"`)
	r = answer(b, r.body, url.Values{"pain_now": {"4"}, "weeks": {"2"}, "trend": {"same"}})
	wantStatus(t, r, http.StatusOK)
	r2 := answer(b, r.body, url.Values{"age": {"7"}, "clinician_assessed": {"no"}})
	wantStatus(t, r2, http.StatusBadRequest)
	mustContain(t, "the refused age", r2.body, "from 12 to 120", `value="7"`, `aria-invalid="true"`)
	r = answer(b, r2.body, url.Values{"age": {"40"}, "clinician_assessed": {"no"}})
	wantStatus(t, r, http.StatusOK)
	back := answer(b, r.body, url.Values{"back": {"1"}})
	mustContain(t, "the previous screen", back.body, "How old are you?", `value="40"`)
}

func TestSettingsTokensExportDelete(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "jo")
	takeAssessment(t, b, mildDesk)

	// Profile: a wrong time zone is shown next to the field, with the
	// values typed kept.
	r := b.post("/settings/profile", url.Values{"name": {"Jo B"}, "time_zone": {"Mars/Olympus"}, "places": {"desk"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused profile", r.body, "IANA time zone", `value="Mars/Olympus"`, `value="Jo B"`)
	r = b.post("/settings/profile", url.Values{"name": {"Jo B"}, "time_zone": {"America/New_York"}, "places": {"desk"}, "conditions": {"osteoporosis"}, "minutes": {"15"}})
	wantStatus(t, r, http.StatusSeeOther)
	prof, _ := app.st.Profile(context.Background(), app.person(t, "jo").ID)
	if prof.TimeZone != "America/New_York" || prof.Minutes != 15 || len(prof.Conditions) != 1 {
		t.Errorf("profile = %+v", prof)
	}

	// A token is shown once and opens the API as its owner.
	r = b.post("/settings/tokens", url.Values{"name": {"shortcut"}, "scope": {"read_write"}, "lifetime_days": {"30"}, "password": {testPassword}})
	wantStatus(t, r, http.StatusCreated)
	secret := regexp.MustCompile(`value="(bc_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.body)
	if secret == nil {
		t.Fatal("the new token is not shown")
	}
	if r.Header.Get("Content-Encoding") != "" || !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("the token page is compressed (%q) or cached (%q)", r.Header.Get("Content-Encoding"), r.Header.Get("Cache-Control"))
	}
	if strings.Contains(b.get("/settings").body, secret[1]) {
		t.Error("the token is shown again")
	}
	req := bearerRequest(t, app, secret[1])
	p, err := app.srv.Authenticate(req)
	if err != nil || p.Handle != "jo" {
		t.Fatalf("Authenticate with the token = %v, %v", p, err)
	}
	toks, _ := app.st.AccessTokens(context.Background(), p.ID)
	wantStatus(t, b.post("/settings/tokens/"+toks[0].ID+"/revoke", nil), http.StatusSeeOther)
	if _, err := app.srv.Authenticate(bearerRequest(t, app, secret[1])); backcoach.ErrorCode(err) != backcoach.EUNAUTHORIZED {
		t.Errorf("a revoked token still authenticates: %v", err)
	}

	// Password: the current one must be right; the cookie changes.
	r = b.post("/settings/password", url.Values{"current": {"wrong password!"}, "password": {"a new long password"}, "confirm": {"a new long password"}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused password change", r.body, "is not your current password")
	before := b.cookie()
	wantStatus(t, b.post("/settings/password", url.Values{"current": {testPassword}, "password": {"a new long password"}, "confirm": {"a new long password"}}), http.StatusSeeOther)
	if b.cookie() == before {
		t.Error("the session token did not change with the password")
	}
	wantStatus(t, b.get("/settings"), http.StatusOK)

	// Export: the storage's document, as a download.
	r = b.get("/settings/export")
	wantStatus(t, r, http.StatusOK)
	var doc backcoach.Export
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil || doc.Format != backcoach.ExportFormat || len(doc.Assessments) != 1 {
		t.Fatalf("export: %v, format %q, %d assessments", err, doc.Format, len(doc.Assessments))
	}
	mustContain(t, "the export's disposition", r.Header.Get("Content-Disposition"), "attachment", "backcoach-export-")

	// Delete: the password is asked; then everything goes.
	r = b.post("/settings/delete", url.Values{"password": {"nope nope nope"}})
	wantStatus(t, r, http.StatusBadRequest)
	r = b.post("/settings/delete", url.Values{"password": {"a new long password"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the deleted page", r.body, "Your account is deleted", `data-signed-out="1"`)
	if _, err := app.st.PersonByHandle(context.Background(), "jo"); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Errorf("the account is still there: %v", err)
	}
	wantStatus(t, b.get("/plan"), http.StatusUnauthorized)
}

// bearerRequest is an API request with a bearer token.
func bearerRequest(t testing.TB, app *testApp, token string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, app.ts.URL+"/api/v1/profile", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func TestLibrary(t *testing.T) {
	app := newApp(t, options{})
	b := app.browser(t)
	r := b.get("/exercises")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the library", r.body, fmt.Sprintf("%d exercises.", len(app.cat.All())), "Cat-cow")
	r = b.get("/exercises?filter=1&place=desk&gentle=1")
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(r.body, ">Cat-cow<") || !strings.Contains(r.body, "Shoulder rolls") {
		t.Error("the desk and gentle filter is wrong")
	}
	r = b.get("/exercises/cat-cow")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "an exercise page", r.body, "How to do it", "Stop if", "Osteoporosis", "ACSM", triage.Disclaimer())
	wantStatus(t, b.get("/exercises/no-such"), http.StatusNotFound)
	wantStatus(t, b.get("/exercises?place=moon"), http.StatusBadRequest)
	pic := b.get("/exercises/cat-cow/picture")
	wantStatus(t, pic, http.StatusOK)
	if !strings.HasPrefix(pic.Header.Get("Content-Type"), "image/svg+xml") {
		t.Errorf("picture type %q", pic.Header.Get("Content-Type"))
	}
}

func TestStaleAssessmentIsAskedAgain(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "old")
	takeAssessment(t, b, mildDesk)
	wantStatus(t, b.get("/session"), http.StatusSeeOther)
	app.clock.Advance(8 * 24 * time.Hour)
	r := b.get("/session")
	wantStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != "/assess" {
		t.Errorf("a week-old assessment leads to %q, want /assess", r.Header.Get("Location"))
	}
	mustContain(t, "Today after a week", b.get("/").body, "more than a week old")
}

func TestStaticFilesNeedNoSession(t *testing.T) {
	app := newApp(t, options{})
	b := app.browser(t)
	r := b.get(app.srv.assets.url("app.css"))
	if r.Header.Get("Set-Cookie") != "" || strings.Contains(r.Header.Get("Vary"), "Cookie") {
		t.Errorf("a static file went through the session: %v", r.Header)
	}
}

// TestWizardClearedHistory: a history sign a clinician has cleared is
// marked so on the checklist, and ticking it again does not stop the
// check (docs/clinical.md §3).
func TestWizardClearedHistory(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "cleo")
	page := b.get("/assess")
	r := answer(b, answer(b, page.body, noSigns).body, url.Values{"flags": {"cancer_history"}})
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(r.body, `name="step"`) {
		t.Fatal("a history of cancer did not stop the first check")
	}
	if strings.Contains(r.body, "Already checked by your clinician") {
		t.Error("the sign is shown as checked before any clearance")
	}
	app.clock.Advance(time.Hour)
	ok := b.post("/safety", url.Values{"by": {"gp"}, "checked_on": {app.clock.Now().Format("2006-01-02")}, "signs": {"cancer_history"}})
	wantStatus(t, ok, http.StatusSeeOther)
	app.clock.Advance(time.Minute)

	page = b.get("/assess")
	r = answer(b, page.body, noSigns)
	mustContain(t, "the other signs after the clearance", r.body, `value="cancer_history" aria-describedby="cleared-cancer_history"`, "Already checked by your clinician: ticking it does not stop the check.")
	if strings.Count(r.body, "Already checked by your clinician") != 1 {
		t.Error("signs that were not cleared are marked as checked")
	}
	r = answer(b, r.body, url.Values{"flags": {"cancer_history"}})
	wantStatus(t, r, http.StatusOK)
	if step := hiddenFields(r.body).Get("step"); step != "today" {
		t.Fatalf("a cleared history sign stopped the check at %q:\n%.400s", step, r.body)
	}
}
