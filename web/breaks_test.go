package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks/live"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
)

// breakForm is the settings section as a browser sends it.
func breakFormValues(change func(v url.Values)) url.Values {
	v := url.Values{"enabled": {"1"}, "movement_every_minutes": {"30"}, "movement_for_minutes": {"1"}, "stretch_every_minutes": {"90"},
		"stretch_for_minutes": {"5"}, "daily_limit_minutes": {""}, "reset_hour": {"4"}, "snooze_minutes": {"5"}}
	if change != nil {
		change(v)
	}
	return v
}

func TestBreakSettingsSection(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "jo")
	jo := app.person(t, "jo")
	r := b.get("/settings")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the settings page", r.body, `id="breaks-title">Break reminders`, `name="movement_every_minutes"`, `value="30"`, `value="90"`)
	if strings.Contains(r.body, `data-breaks="on"`) || strings.Contains(r.body, `id="break-prompt"`) {
		t.Error("the page carries the reminder before it was turned on")
	}

	// A break as long as its interval is refused next to its field, and
	// everything typed stays.
	r = b.post("/settings/breaks", breakFormValues(func(v url.Values) {
		v.Set("movement_every_minutes", "20")
		v.Set("movement_for_minutes", "20")
		v.Set("daily_limit_minutes", "480")
	}))
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "the refused settings", r.body, `id="movement_for_minutes-error"`, "The length of a movement break must be shorter than the minutes before a movement break (20 minutes), got 20.",
		`id="movement_for_minutes" name="movement_for_minutes" type="number" inputmode="numeric" step="1" value="20" aria-describedby="movement_for_minutes-hint movement_for_minutes-error" aria-invalid="true"`,
		`value="480"`)
	if s, _ := app.st.BreakSettings(context.Background(), jo.ID); s.Saved() {
		t.Fatalf("refused settings were stored: %+v", s)
	}
	r = b.post("/settings/breaks", breakFormValues(func(v url.Values) { v.Set("snooze_minutes", "ten") }))
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, "a word for a number", r.body, `The minutes a snoozed break waits must be a whole number of minutes, got &#34;ten&#34;.`, `value="ten"`)

	// Saved: the pages now carry the reminder.
	r = b.post("/settings/breaks", breakFormValues(func(v url.Values) { v.Set("movement_every_minutes", "45") }))
	wantStatus(t, r, http.StatusSeeOther)
	s, err := app.st.BreakSettings(context.Background(), jo.ID)
	if err != nil || !s.Enabled || s.MovementEveryMinutes != 45 || s.DailyLimitMinutes != 0 {
		t.Fatalf("stored settings %+v, %v", s, err)
	}
	r = b.follow(r)
	mustContain(t, "the saved settings", r.body, "Your break reminder settings are saved.", `value="45"`, `data-breaks="on"`, `id="break-prompt"`, `role="alertdialog"`)

	// A reminder running for jo picks the new timing up at once.
	if _, err := app.hub.Subscribe(context.Background(), jo.ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, b.post("/settings/breaks", breakFormValues(func(v url.Values) { v.Set("movement_every_minutes", "15") })), http.StatusSeeOther)
	st, err := app.hub.Status(context.Background(), jo.ID)
	if err != nil || st.Next[0].DueInSeconds != 15*60 {
		t.Fatalf("the running reminder after the change: %+v, %v", st.Next, err)
	}
	// Turned off: the reminder stops and the pages no longer carry it.
	wantStatus(t, b.post("/settings/breaks", breakFormValues(func(v url.Values) { v.Del("enabled") })), http.StatusSeeOther)
	if app.hub.People() != 0 {
		t.Error("the reminder still runs after it was turned off")
	}
	if strings.Contains(b.get("/").body, `data-breaks="on"`) {
		t.Error("the pages still carry the reminder")
	}
}

// turnOn stores break settings for the person, reminders on.
func turnOn(t *testing.T, app *testApp, id string, change func(s *backcoach.BreakSettings)) {
	t.Helper()
	s := backcoach.DefaultBreakSettings()
	s.Enabled = true
	if change != nil {
		change(&s)
	}
	if err := app.st.SaveBreakSettings(context.Background(), id, &s); err != nil {
		t.Fatal(err)
	}
}

func TestBreakPage(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "jo")
	takeAssessment(t, b, mildDesk)
	jo := app.person(t, "jo")
	turnOn(t, app, jo.ID, nil)

	r := b.get("/break?kind=movement&seq=1")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the movement break", r.body, "Movement break", "1 min", `class="card exercise-card"`, `<ol class="steps">`, "<svg", "data-break-over")
	first := exerciseOf(r.body)
	if next := exerciseOf(b.get("/break?kind=movement&seq=2").body); next == first {
		t.Errorf("the first two breaks both offer %s", first)
	}
	r = b.get("/break?kind=stretch&seq=1")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the stretch break", r.body, "Stretch break", "5 min")
	if n := strings.Count(r.body, `class="card exercise-card"`); n < 2 {
		t.Errorf("a stretch break offers %d exercises", n)
	}
	for _, bad := range []string{"/break?kind=nap", "/break?kind=movement&seq=0", "/break?kind=movement&seq=x"} {
		wantStatus(t, b.get(bad), http.StatusBadRequest)
	}

	// A warning sign at a check-in after the assessment: rest and the
	// advice, no exercise.
	app.clock.Advance(time.Hour)
	e := backcoach.DiaryEntry{Pain: 5, FlagsAsked: true, Flags: []string{"fever"}}
	if _, err := coach.New(app.st, catalog.MustLoad(), app.clock.Now).CheckIn(context.Background(), jo.ID, &e, backcoach.ViaAPI); err != nil {
		t.Fatal(err)
	}
	r = b.get("/break?kind=movement&seq=1")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "a break on a warning-sign day", r.body, "A break: rest today", "No exercises today", "This is not a diagnosis.")
	if strings.Contains(r.body, `class="card exercise-card"`) {
		t.Error("a warning-sign day offers exercise in a break")
	}
}

// TestBreakPageHeedsTheSafetyRecord: a warning sign answered in another
// interface (here the terminal's session stop) makes the break rest, with
// what was answered and how it is lifted.
func TestBreakPageHeedsTheSafetyRecord(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "jo")
	takeAssessment(t, b, mildDesk)
	jo := app.person(t, "jo")
	turnOn(t, app, jo.ID, nil)
	if _, err := coach.New(app.st, catalog.MustLoad(), app.clock.Now).RecordSigns(context.Background(), jo.ID, []string{"night_pain"},
		backcoach.ScreenSession, backcoach.ViaTerminal, false); err != nil {
		t.Fatal(err)
	}
	r := b.get("/break?kind=movement&seq=1")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "a break after a sign in the terminal", r.body, "A break: rest today", "No exercises today", "a stop during a session in the terminal", `href="/safety"`)
	if strings.Contains(r.body, `class="card exercise-card"`) {
		t.Error("a day with a standing sign offers exercise in a break")
	}
}

// exerciseOf returns the first exercise a break page links to.
func exerciseOf(body string) string {
	i := strings.Index(body, `<h2 id="ex-`)
	if i < 0 {
		return ""
	}
	rest := body[i+len(`<h2 id="ex-`):]
	return rest[:strings.IndexByte(rest, '"')]
}

func TestDiaryShowsBreakFigures(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "jo")
	jo := app.person(t, "jo")
	day := app.clock.Now().AddDate(0, 0, -3).Format(backcoach.DateLayout)
	if err := app.st.SaveBreakDay(context.Background(), jo.ID, &backcoach.BreakDay{Date: day, Due: 9, Taken: 6, Natural: 3, Snoozed: 2, Skipped: 1, ActiveSeconds: 5*3600 + 1200}); err != nil {
		t.Fatal(err)
	}
	r := b.get("/diary?days=7")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, "the diary", r.body, "Movement breaks over the last 7 days: 9 breaks due, 6 taken after a reminder, 3 taken before one, 2 snoozed, 1 skipped; 5 h 20 min at the computer on 1 day.",
		"<td>"+day+"</td><td>9</td><td>6</td><td>3</td><td>2</td><td>1</td><td>5 h 20 min</td>")
	other := app.signup(t, "al")
	if r := other.get("/diary?days=7"); strings.Contains(r.body, "9 breaks due") || !strings.Contains(r.body, "No break reminder figures") {
		t.Error("another person's diary shows jo's break figures")
	}
}

func TestDeletingTheAccountStopsItsReminder(t *testing.T) {
	app := newApp(t, options{})
	b := app.signup(t, "jo")
	jo := app.person(t, "jo")
	turnOn(t, app, jo.ID, nil)
	if _, err := app.hub.Report(context.Background(), jo.ID, live.Activity{Visible: true}); err != nil {
		t.Fatal(err)
	}
	app.breakClock.Advance(10 * time.Minute)
	wantStatus(t, b.post("/settings/delete", url.Values{"password": {testPassword}}), http.StatusOK)
	if app.hub.People() != 0 {
		t.Fatal("the reminder of a deleted account still runs")
	}
	if days, err := app.st.BreakDays(context.Background(), jo.ID, "", ""); err == nil && len(days) > 0 {
		t.Errorf("figures saved for a deleted account: %+v", days)
	}
}
