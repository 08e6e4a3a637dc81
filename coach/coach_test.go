package coach_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/store"
)

var cat = catalog.MustLoad()

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a coach over a fresh SQLite file with one person.
type fixture struct {
	t      *testing.T
	clock  *clock
	store  *store.Store
	coach  *coach.Coach
	person string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ck := &clock{t: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "coach.db"), store.Options{Now: ck.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := &backcoach.Person{Handle: "ann", Name: "Ann", Role: backcoach.RolePerson}
	if err := st.CreatePerson(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, clock: ck, store: st, coach: coach.New(st, cat, ck.now), person: p.ID}
}

func clean() *backcoach.Answers {
	return &backcoach.Answers{Age: 40, PainNow: 3, Weeks: 1, Trend: backcoach.TrendBetter, ClinicianAssessed: true,
		Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{}}
}

func with(flags ...string) *backcoach.Answers {
	a := clean()
	a.Flags = flags
	return a
}

func (f *fixture) assess(a *backcoach.Answers) *coach.Assessed {
	f.t.Helper()
	out, err := f.coach.Assess(context.Background(), f.person, a, backcoach.ViaWeb)
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// refused checks that every use case refuses exercise naming the signs.
func (f *fixture) refused(signs ...string) *coach.Refusal {
	f.t.Helper()
	ctx := context.Background()
	_, v, err := f.coach.MayExercise(ctx, f.person)
	if err != nil {
		f.t.Fatal(err)
	}
	if v.Allowed || v.Refusal == nil || !slices.Equal(v.Refusal.IDs(), signs) {
		f.t.Fatalf("verdict %+v, want a refusal naming %v", v, signs)
	}
	_, err = f.coach.Plan(ctx, f.person, coach.PlanRequest{})
	var re *coach.RefusalError
	if !errors.As(err, &re) || backcoach.ErrorCode(err) != backcoach.EFORBIDDEN {
		f.t.Fatalf("plan while refused: %v, want a refusal", err)
	}
	for _, id := range signs {
		if !strings.Contains(backcoach.ErrorMessage(err), id) {
			f.t.Errorf("the refusal %q does not name %s", backcoach.ErrorMessage(err), id)
		}
	}
	o, err := f.coach.BreakOffer(ctx, f.person, breaks.Break{Kind: breaks.Stretch, For: 5 * time.Minute, Seq: 1}, 3, "")
	if err != nil {
		f.t.Fatal(err)
	}
	if !o.Rest || len(o.Exercises) != 0 {
		f.t.Fatalf("a break while refused offers %+v", o)
	}
	return v.Refusal
}

// allowed checks that every use case allows exercise, and returns the plan.
func (f *fixture) allowed() *coach.Planned {
	f.t.Helper()
	ctx := context.Background()
	_, v, err := f.coach.MayExercise(ctx, f.person)
	if err != nil {
		f.t.Fatal(err)
	}
	if !v.Allowed {
		f.t.Fatalf("verdict %+v, want allowed", v)
	}
	p, err := f.coach.Plan(ctx, f.person, coach.PlanRequest{})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(p.Plan.Plan.Exercises) == 0 {
		f.t.Fatalf("an allowed plan has no exercises: %+v", p.Plan.Plan)
	}
	o, err := f.coach.BreakOffer(ctx, f.person, breaks.Break{Kind: breaks.Movement, For: time.Minute, Seq: 1}, 1, "")
	if err != nil {
		f.t.Fatal(err)
	}
	if o.Rest || len(o.Exercises) == 0 {
		f.t.Fatalf("a break while allowed offers %+v", o)
	}
	return p
}

func TestFirstVisitNeedsAnAssessment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, v, err := f.coach.MayExercise(context.Background(), f.person)
	if err != nil || v.Allowed || !v.NeedsAssessment {
		t.Fatalf("first visit: %+v, %v", v, err)
	}
	if _, err := f.coach.Plan(context.Background(), f.person, coach.PlanRequest{}); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Fatalf("plan before an assessment: %v, want ENOTFOUND", err)
	}
	f.assess(clean())
	first := f.allowed()
	again := f.allowed()
	if first.Plan.ID != again.Plan.ID {
		t.Errorf("the same plan was kept twice on one day: %s and %s", first.Plan.ID, again.Plan.ID)
	}
	f.clock.add(8 * 24 * time.Hour)
	if _, v, _ := f.coach.MayExercise(context.Background(), f.person); !v.NeedsAssessment {
		t.Errorf("an assessment 8 days old does not ask again: %+v", v)
	}
}

func TestBadAnswersKeepNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := clean()
	a.PainNow = 12
	_, err := f.coach.Assess(context.Background(), f.person, a, backcoach.ViaAPI)
	var be *backcoach.Error
	if !errors.As(err, &be) || be.Code != backcoach.EINVALID || be.Field != "pain_now" {
		t.Fatalf("pain 12: %v, want EINVALID about pain_now", err)
	}
	a = with("not_a_sign")
	if _, err := f.coach.Assess(context.Background(), f.person, a, backcoach.ViaAPI); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("an unknown sign: %v, want EINVALID", err)
	}
	x, err := f.store.Export(context.Background(), f.person)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Assessments) != 0 || len(x.Safety.Screens) != 0 {
		t.Errorf("refused answers left %d assessments and %d screens", len(x.Assessments), len(x.Safety.Screens))
	}
}

func TestWarningSignStandsUntilClearedAndScreened(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.assess(clean())
	f.allowed()
	// Fever at a check-in made through the API.
	in, err := f.coach.CheckIn(ctx, f.person, &backcoach.DiaryEntry{Pain: 4, FlagsAsked: true, Flags: []string{"fever"}}, backcoach.ViaAPI)
	if err != nil {
		t.Fatal(err)
	}
	if in.Refusal == nil || !in.SignsNow {
		t.Fatalf("check-in with fever: %+v", in)
	}
	r := f.refused("fever")
	if r.Signs[0].Where != "a check-in through the API" || r.Urgency != backcoach.UrgencyUrgent {
		t.Errorf("refusal sign %+v", r.Signs[0])
	}
	// The next day a clean assessment alone does not lift it.
	f.clock.add(24 * time.Hour)
	f.assess(clean())
	f.refused("fever")
	// A clearance with a check day before the sign is refused.
	if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: "2026-12-01"}); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("a clearance dated before the sign: %v", err)
	}
	if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: "2026-12-09"}); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Fatalf("a clearance dated in the future: %v", err)
	}
	f.clock.add(time.Minute)
	cl, day, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, Name: "Dr Ash", CheckedOn: "2026-12-04"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cl.Signs, []string{"fever"}) || !day.Refusal().AwaitingScreen {
		t.Fatalf("clearance %+v, awaiting screen %v", cl, day.Refusal().AwaitingScreen)
	}
	f.refused("fever")
	f.clock.add(time.Minute)
	// A stop in a session is no fresh screen.
	if _, err := f.coach.RecordSigns(ctx, f.person, []string{}, backcoach.ScreenSession, backcoach.ViaTerminal, false); err != nil {
		t.Fatal(err)
	}
	f.refused("fever")
	f.clock.add(time.Minute)
	// A fresh, clean check-in lifts it.
	if _, err := f.coach.CheckIn(ctx, f.person, &backcoach.DiaryEntry{Pain: 2, FlagsAsked: true, Flags: []string{}}, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	f.allowed()
	// Fever again blocks again.
	f.clock.add(time.Hour)
	if _, err := f.coach.RecordSigns(ctx, f.person, []string{"fever"}, backcoach.ScreenBreak, backcoach.ViaDesktop, false); err != nil {
		t.Fatal(err)
	}
	f.refused("fever")
	if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: "friend", CheckedOn: "2026-12-04"}); backcoach.ErrorCode(err) != backcoach.EINVALID {
		t.Errorf("a clearance by a friend: %v", err)
	}
}

func TestEmergencyStopInSessionRefusesEverywhere(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.assess(clean())
	p := f.allowed()
	rec := &coach.SessionRecord{Session: backcoach.Session{PlanID: p.Plan.ID, PainBefore: 3, DurationSeconds: 60,
		Exercises: []backcoach.ExerciseOutcome{{ExerciseID: p.Plan.Plan.Exercises[0].ID, Outcome: backcoach.OutcomeStopped, Reason: "warning sign: tearing_pain"}}},
		StopSigns: []string{"tearing_pain"}}
	saved, err := f.coach.RecordSession(ctx, f.person, rec, backcoach.ViaTerminal)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Level != p.Plan.Plan.Level {
		t.Errorf("session level %d, plan level %d", saved.Level, p.Plan.Plan.Level)
	}
	r := f.refused("tearing_pain")
	if r.Urgency != backcoach.UrgencyEmergency || r.Title == "" {
		t.Errorf("refusal after tearing pain: %+v", r)
	}
	// A session that names another person's plan is refused.
	other := &backcoach.Person{Handle: "bob", Name: "Bob", Role: backcoach.RolePerson}
	if err := f.store.CreatePerson(ctx, other); err != nil {
		t.Fatal(err)
	}
	_, err = f.coach.RecordSession(ctx, other.ID, &coach.SessionRecord{Session: backcoach.Session{PlanID: p.Plan.ID, PainBefore: 2}}, backcoach.ViaWeb)
	if backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Errorf("bob keeping a session on ann's plan: %v", err)
	}
}

func TestClearedHistorySignKeepsThePlanGentle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.assess(with("cancer_history"))
	f.refused("cancer_history")
	if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByPhysiotherapist, CheckedOn: "2026-12-03"}); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour)
	out := f.assess(with("cancer_history"))
	if !out.Assessment.Result.ExerciseAllowed || !slices.Contains(out.Assessment.Result.ClearedFlags, "cancer_history") {
		t.Fatalf("assessment after the clearance: %+v", out.Assessment.Result)
	}
	p := f.allowed()
	if p.Result.Urgency != backcoach.UrgencySoon || !slices.Contains(p.Result.Reasons, backcoach.ReasonClinicianCleared) {
		t.Errorf("plan after a cleared history sign: urgency %s reasons %v, want soon with clinician_cleared", p.Result.Urgency, p.Result.Reasons)
	}
	for _, x := range p.Plan.Plan.Exercises {
		if e, _ := cat.Get(x.ID); !e.Gentle {
			t.Errorf("%s is not gentle", x.ID)
		}
	}
	// New limb symptoms with the cleared cancer history: an emergency.
	if _, err := f.coach.CheckIn(ctx, f.person, &backcoach.DiaryEntry{Pain: 5, FlagsAsked: true, Flags: []string{"limb_symptoms"}}, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	if r := f.refused("limb_symptoms"); r.Urgency != backcoach.UrgencyEmergency {
		t.Errorf("limb symptoms after cancer: urgency %s, want emergency", r.Urgency)
	}
}

func TestNothingToClear(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, _, err := f.coach.RecordClearance(context.Background(), f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: "2026-12-03"})
	var be *backcoach.Error
	if !errors.As(err, &be) || be.Field != "signs" {
		t.Fatalf("a clearance with nothing standing: %v", err)
	}
}

func TestProfileRoutineWins(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a := clean()
	a.Context = &backcoach.Context{Minutes: 10, Places: []backcoach.Place{backcoach.PlaceDesk}, Equipment: []backcoach.Equipment{}}
	f.assess(a)
	prof, err := f.store.Profile(ctx, f.person)
	if err != nil {
		t.Fatal(err)
	}
	prof.Places = []backcoach.Place{backcoach.PlaceFloor}
	prof.Equipment = []backcoach.Equipment{backcoach.EquipmentMat}
	if err := f.store.SaveProfile(ctx, f.person, prof); err != nil {
		t.Fatal(err)
	}
	p := f.allowed()
	for _, x := range p.Plan.Plan.Exercises {
		if e, _ := cat.Get(x.ID); !e.HasPlace(backcoach.PlaceFloor) {
			t.Errorf("%s is not done on the floor, the routine the person chose last", x.ID)
		}
	}
}

func TestCheckInAsksWhetherTheHistoryChanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if q, err := f.coach.CheckInQuestions(ctx, f.person); err != nil || q.History != "" {
		t.Fatalf("without history signs the check-in asks %q (%v)", q.History, err)
	}
	f.assess(with("infection_risk"))
	f.clock.add(time.Minute)
	if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: "2026-12-03"}); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Minute)
	f.assess(with("infection_risk"))
	f.allowed()
	q, err := f.coach.CheckInQuestions(ctx, f.person)
	if err != nil || !strings.Contains(q.History, "infection") {
		t.Fatalf("after a cleared infection risk the check-in asks %q (%v)", q.History, err)
	}
	r, err := f.coach.HistoryChanged(ctx, f.person, backcoach.ViaWeb)
	if err != nil || r == nil {
		t.Fatalf("a change in the history: refusal %+v (%v)", r, err)
	}
	f.refused("history_changed")
	f.clock.add(time.Minute)
	if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: "2026-12-03"}); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Minute)
	if _, err := f.coach.CheckIn(ctx, f.person, &backcoach.DiaryEntry{Pain: 2, FlagsAsked: true, Flags: []string{}}, backcoach.ViaWeb); err != nil {
		t.Fatal(err)
	}
	f.allowed()
}
