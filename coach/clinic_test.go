package coach_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// clinic adds a clinic with one clinician to the fixture, and has the
// fixture's person accept the clinician's invitation.
func (f *fixture) clinic() (clinician, consent string) {
	f.t.Helper()
	ctx := context.Background()
	c := &backcoach.Clinic{Name: "Harbour Physio"}
	if err := f.store.CreateClinic(ctx, c); err != nil {
		f.t.Fatal(err)
	}
	doc := &backcoach.Person{Handle: "doc", Name: "Dr Doe", Role: backcoach.RolePerson}
	if err := f.store.CreatePerson(ctx, doc); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.store.AddClinician(ctx, c.ID, doc.ID); err != nil {
		f.t.Fatal(err)
	}
	code, inv, err := f.coach.Invite(ctx, doc.ID, "", nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if !slices.Equal(inv.Shares, backcoach.Shares) {
		f.t.Fatalf("an invitation asks for %v, want every part", inv.Shares)
	}
	seen, err := f.coach.Invitation(ctx, code)
	if err != nil || seen.ClinicianName != "Dr Doe" || seen.ClinicName != "Harbour Physio" {
		f.t.Fatalf("the invitation the person reads = %+v, %v", seen, err)
	}
	cons, err := f.coach.AcceptInvitation(ctx, f.person, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return doc.ID, cons.ID
}

func (f *fixture) checkIn(pain int) {
	f.t.Helper()
	if _, err := f.coach.CheckIn(context.Background(), f.person, &backcoach.DiaryEntry{Pain: pain, Flags: []string{}}, backcoach.ViaWeb); err != nil {
		f.t.Fatal(err)
	}
}

func kinds(alerts []coach.Alert) []coach.AlertKind {
	out := []coach.AlertKind{}
	for _, a := range alerts {
		out = append(out, a.Kind)
	}
	return out
}

func TestDashboardAlertsInOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	doc, _ := f.clinic()
	f.assess(clean())

	// Nothing for 8 days: the inactivity alert only.
	f.clock.add(8 * 24 * time.Hour)
	list, err := f.coach.Dashboard(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || !slices.Equal(kinds(list[0].Alerts), []coach.AlertKind{coach.AlertInactive}) || list[0].LastPain != nil {
		t.Fatalf("dashboard = %+v, want one quiet patient", list)
	}

	// A pain of 9, then a warning sign: the sign comes first.
	f.checkIn(9)
	if _, err := f.coach.RecordSigns(ctx, f.person, []string{"fever"}, backcoach.ScreenCheckIn, backcoach.ViaWeb, false); err != nil {
		t.Fatal(err)
	}
	list, err = f.coach.Dashboard(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	got := list[0]
	if !slices.Equal(kinds(got.Alerts), []coach.AlertKind{coach.AlertWarningSign, coach.AlertHighPain}) {
		t.Fatalf("alerts %+v, want the warning sign, then the high pain", got.Alerts)
	}
	if got.LastPain == nil || *got.LastPain != 9 || got.Patient.ID != f.person {
		t.Fatalf("summary %+v", got)
	}

	// Every read is in the patient's audit trail, by the clinician.
	trail, err := f.store.AuditTrail(ctx, f.person, backcoach.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range trail {
		if e.Action == backcoach.AuditRead {
			if e.ActorID != doc || e.Kind != backcoach.KindShared {
				t.Fatalf("a read line %+v", e)
			}
			reads++
		}
	}
	if reads != 2 {
		t.Fatalf("%d reads in the audit trail, want 2", reads)
	}
}

func TestWorseningAlert(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	doc, _ := f.clinic()
	f.assess(clean())
	// A first week at 2, two weeks later a week at 3, then a week at 5:
	// the mean rule against the plan's first week, read beyond the
	// dashboard's 14 days, with no rating of 8.
	for range 7 {
		f.checkIn(2)
		f.clock.add(24 * time.Hour)
	}
	f.clock.add(14 * 24 * time.Hour)
	for range 7 {
		f.checkIn(3)
		f.clock.add(24 * time.Hour)
	}
	for range 7 {
		f.checkIn(5)
		f.clock.add(24 * time.Hour)
	}
	f.clock.add(-time.Hour)
	list, err := f.coach.Dashboard(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kinds(list[0].Alerts), []coach.AlertKind{coach.AlertWorsening}) {
		t.Fatalf("alerts %+v, want the worsening rule", list[0].Alerts)
	}
	if list[0].Trend == nil || list[0].Trend.Direction != "worse" {
		t.Fatalf("trend %+v, want worse", list[0].Trend)
	}
	// The patient's page shows the same diary the patient sees.
	v, err := f.coach.ClinicianView(ctx, doc, f.person)
	if err != nil {
		t.Fatal(err)
	}
	own, _, err := f.coach.DiaryReports(ctx, f.person)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(v.Reports[30].Summary, "|") != strings.Join(own[30].Summary, "|") || !v.Reports[30].Worsening.Alert {
		t.Fatalf("the clinician's diary %v differs from the patient's %v", v.Reports[30].Summary, own[30].Summary)
	}
}

func TestAssignedProgrammeReplacesThePlan(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	doc, consent := f.clinic()
	a := clean()
	a.Conditions = []backcoach.Condition{backcoach.ConditionKneeProblems}
	f.assess(a)
	days := []backcoach.Weekday{backcoach.WeekdayOf(f.clock.now())}
	got, err := f.coach.AssignProgramme(ctx, doc, f.person, &backcoach.Programme{
		Exercises: []backcoach.ProgrammeExercise{{ID: "chin-tuck", Sets: 3, Reps: 10, HoldSeconds: 3}, {ID: "cat-cow", Sets: 1, Reps: 8}},
		Notes:     "Little and often.", Days: days,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Warnings) != 1 || got.Warnings[0].ID != "cat-cow" || got.Warnings[0].Reason != string(backcoach.ConditionKneeProblems) {
		t.Fatalf("warnings %+v, want cat-cow ruled out by the knees", got.Warnings)
	}
	if _, err := f.coach.AssignProgramme(ctx, doc, f.person, &backcoach.Programme{
		Exercises: []backcoach.ProgrammeExercise{{ID: "no-such", Sets: 1, Reps: 1}}, Days: days}); backcoach.ErrorCode(err) != backcoach.EINVALID ||
		!strings.Contains(backcoach.ErrorMessage(err), "exercises[0].id") {
		t.Fatalf("an unknown exercise: %v", err)
	}
	p := f.allowed()
	ex := p.Plan.Plan.Exercises
	if len(ex) != 1 || ex[0].ID != "chin-tuck" || ex[0].Sets != 3 || ex[0].Reps != 10 {
		t.Fatalf("plan %+v, want the programme's chin tuck at its dose", ex)
	}
	if !slices.ContainsFunc(p.Plan.Plan.Excluded, func(e backcoach.Exclusion) bool { return e.ID == "cat-cow" }) {
		t.Fatalf("cat-cow is not listed as left out: %+v", p.Plan.Plan.Excluded)
	}
	// The safety record still wins.
	if _, err := f.coach.RecordSigns(ctx, f.person, []string{"fever"}, backcoach.ScreenCheckIn, backcoach.ViaWeb, false); err != nil {
		t.Fatal(err)
	}
	f.refused("fever")

	// Stopping sharing ends the clinician's access and the programme.
	if err := f.store.RevokeConsent(ctx, f.person, consent); err != nil {
		t.Fatal(err)
	}
	if _, err := f.coach.ClinicianView(ctx, doc, f.person); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Fatalf("the clinician's view after revocation: %v", err)
	}
	if list, err := f.coach.Dashboard(ctx, doc); err != nil || len(list) != 0 {
		t.Fatalf("dashboard after revocation: %+v, %v", list, err)
	}
	var re *coach.RefusalError
	if _, err := f.coach.Plan(ctx, f.person, coach.PlanRequest{}); !errors.As(err, &re) {
		t.Fatalf("plan: %v", err)
	}
}
