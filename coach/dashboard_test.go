package coach_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/testenv"
	"github.com/backcoach/backcoach/store"
)

// The dashboard read for all patients at once (DashboardRecords) must give
// exactly what reading them one by one gives, on both databases.
func TestDashboardSetBasedAgreesSQLite(t *testing.T) {
	t.Parallel()
	checkDashboardAgrees(t, filepath.Join(t.TempDir(), "clinic.db"))
}

func TestDashboardSetBasedAgreesPostgres(t *testing.T) {
	t.Parallel()
	checkDashboardAgrees(t, testenv.PostgresDB(t))
}

// clinicWorld is a clinic with two clinicians over one store, and a
// clinician of another clinic.
type clinicWorld struct {
	t                  *testing.T
	ctx                context.Context
	clock              *clock
	store              *store.Store
	coach              *coach.Coach
	doc, doc2, outside string
}

func (w *clinicWorld) person(handle, name string) string {
	w.t.Helper()
	p := &backcoach.Person{Handle: handle, Name: name, Role: backcoach.RolePerson}
	if err := w.store.CreatePerson(w.ctx, p); err != nil {
		w.t.Fatal(err)
	}
	return p.ID
}

func (w *clinicWorld) clinician(clinic, handle, name string) string {
	w.t.Helper()
	id := w.person(handle, name)
	if _, err := w.store.AddClinician(w.ctx, clinic, id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// share has the patient accept the clinician's invitation for the parts.
func (w *clinicWorld) share(patient, clinician string, parts ...backcoach.Share) string {
	w.t.Helper()
	code, _, err := w.coach.Invite(w.ctx, clinician, "", parts)
	if err != nil {
		w.t.Fatal(err)
	}
	c, err := w.coach.AcceptInvitation(w.ctx, patient, code)
	if err != nil {
		w.t.Fatal(err)
	}
	return c.ID
}

func (w *clinicWorld) checkIn(patient string, pain int) {
	w.t.Helper()
	if _, err := w.coach.CheckIn(w.ctx, patient, &backcoach.DiaryEntry{Pain: pain, Flags: []string{}}, backcoach.ViaWeb); err != nil {
		w.t.Fatal(err)
	}
}

func (w *clinicWorld) session(patient string) {
	w.t.Helper()
	after := 2
	ss := &backcoach.Session{StartedAt: w.clock.now(), DurationSeconds: 600, PainBefore: 3, PainAfter: &after,
		Exercises: []backcoach.ExerciseOutcome{{ExerciseID: "chin-tuck", Outcome: backcoach.OutcomeDone, Seconds: 120}}}
	if err := w.store.SaveSession(w.ctx, patient, ss); err != nil {
		w.t.Fatal(err)
	}
}

func (w *clinicWorld) assess(patient string, a *backcoach.Answers) {
	w.t.Helper()
	if _, err := w.coach.Assess(w.ctx, patient, a, backcoach.ViaWeb); err != nil {
		w.t.Fatal(err)
	}
}

func (w *clinicWorld) reads(patient string) int {
	w.t.Helper()
	trail, err := w.store.AuditTrail(w.ctx, patient, backcoach.Filter{})
	if err != nil {
		w.t.Fatal(err)
	}
	n := 0
	for _, e := range trail {
		if e.Action == backcoach.AuditRead {
			if e.ActorID != w.doc || e.Kind != backcoach.KindShared {
				w.t.Fatalf("a read line %+v, want one by the clinician of the shared record", e)
			}
			n++
		}
	}
	return n
}

func checkDashboardAgrees(t *testing.T, dsn string) {
	ctx := context.Background()
	ck := &clock{t: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(ctx, dsn, store.Options{Now: ck.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &clinicWorld{t: t, ctx: ctx, clock: ck, store: st, coach: coach.New(st, cat, ck.now)}
	harbour := &backcoach.Clinic{Name: "Harbour Physio"}
	other := &backcoach.Clinic{Name: "Hill Clinic"}
	for _, c := range []*backcoach.Clinic{harbour, other} {
		if err := st.CreateClinic(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	w.doc = w.clinician(harbour.ID, "doc", "Dr Doe")
	w.doc2 = w.clinician(harbour.ID, "doc2", "Dr Roe")
	w.outside = w.clinician(other.ID, "far", "Dr Far")

	// Ann: a clean plan, a first week at 2, later weeks at 3 then 5 (the
	// worsening rule against a first week before the window), sessions.
	ann := w.person("ann", "Ann")
	w.share(ann, w.doc)
	w.assess(ann, clean())
	// Bea shares only her diary, in another time zone, with a pain of 9.
	bea := w.person("bea", "Bea")
	w.share(bea, w.doc, backcoach.ShareDiary)
	if err := st.SaveProfile(ctx, bea, &backcoach.Profile{TimeZone: "Pacific/Auckland", Conditions: []backcoach.Condition{},
		Places: []backcoach.Place{}, Equipment: []backcoach.Equipment{}}); err != nil {
		t.Fatal(err)
	}
	// Cal: a warning sign stands; shares everything but the plan, shared
	// twice (the newer consent adds the safety record).
	cal := w.person("cal", "Cal")
	w.share(cal, w.doc2, backcoach.ShareSafety) // to the other clinician: not doc's
	w.share(cal, w.doc, backcoach.ShareDiary, backcoach.ShareSessions, backcoach.ShareAssessments, backcoach.ShareSafety)
	w.assess(cal, clean())
	// Dan: nothing at all, no profile.
	dan := w.person("dan", "Dan")
	w.share(dan, w.doc, backcoach.ShareSessions)
	// Eve stopped sharing; Fay shares with the other clinician and the
	// other clinic only.
	eve := w.person("eve", "Eve")
	eveConsent := w.share(eve, w.doc)
	fay := w.person("fay", "Fay")
	w.share(fay, w.doc2)
	w.share(fay, w.outside)
	// Gil: a programme on two days of the week, and sessions.
	gil := w.person("gil", "Gil")
	w.share(gil, w.doc)
	w.assess(gil, clean())
	// Hal: an assessment with a warning sign, cleared by a GP, then a
	// clean complete screen (the sign no longer stands), then clean
	// assessments: the plan starts after the sign; a worsening since.
	hal := w.person("hal", "Hal")
	w.share(hal, w.doc)
	w.assess(hal, with("fever"))
	// Ivy: a sign cleared, but no fresh screen since: it still stands.
	ivy := w.person("ivy", "Ivy")
	w.share(ivy, w.doc)
	w.assess(ivy, clean())
	if _, err := w.coach.RecordSigns(ctx, ivy, []string{"fever"}, backcoach.ScreenCheckIn, backcoach.ViaWeb, true); err != nil {
		t.Fatal(err)
	}

	for day := range 40 {
		switch {
		case day < 7:
			w.checkIn(ann, 2)
		case day >= 26 && day < 33:
			w.checkIn(ann, 3)
		case day >= 33:
			w.checkIn(ann, 5)
		}
		if day%3 == 0 {
			w.session(ann)
		}
		if day == 20 {
			w.assess(ann, clean()) // the plan still began on the first
		}
		if day >= 30 {
			w.checkIn(bea, 4+day%6)
			w.checkIn(eve, 6)
			w.checkIn(fay, 7)
		}
		if day%2 == 0 {
			w.checkIn(cal, 3+day%3)
			w.session(cal)
		}
		if day >= 34 && day%2 == 1 {
			w.session(gil)
			w.checkIn(gil, 2)
		}
		switch {
		case day == 2:
			for _, p := range []string{hal, ivy} {
				if _, _, err := w.coach.RecordClearance(ctx, p, coach.ClearanceRequest{By: backcoach.ClearedByGP, CheckedOn: w.clock.now().Format(backcoach.DateLayout)}); err != nil {
					t.Fatal(err)
				}
			}
		case day == 3:
			if _, err := w.coach.RecordSigns(ctx, hal, []string{}, backcoach.ScreenCheckIn, backcoach.ViaWeb, true); err != nil {
				t.Fatal(err)
			}
		case day == 5 || day == 12:
			w.assess(hal, clean())
		case day >= 6 && day < 13:
			w.checkIn(hal, 1)
		case day >= 33:
			w.checkIn(hal, 4)
			// Clean screens after the one that lifted the sign.
			if _, err := w.coach.RecordSigns(ctx, hal, []string{}, backcoach.ScreenCheckIn, backcoach.ViaWeb, true); err != nil {
				t.Fatal(err)
			}
		}
		w.clock.add(24 * time.Hour)
	}
	if _, err := w.coach.AssignProgramme(ctx, w.doc, gil, &backcoach.Programme{
		Exercises: []backcoach.ProgrammeExercise{{ID: "chin-tuck", Sets: 2, Reps: 10}}, Days: []backcoach.Weekday{"mon", "thu"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.coach.RecordSigns(ctx, cal, []string{"fever"}, backcoach.ScreenCheckIn, backcoach.ViaWeb, false); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeConsent(ctx, eve, eveConsent); err != nil {
		t.Fatal(err)
	}

	patients := []string{ann, bea, cal, dan, gil, hal, ivy}
	before := map[string]int{}
	for _, p := range append(patients, eve, fay) {
		before[p] = w.reads(p)
	}
	set, err := w.coach.Dashboard(ctx, w.doc)
	if err != nil {
		t.Fatal(err)
	}
	each, err := w.coach.DashboardEach(ctx, w.doc)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.MarshalIndent(set, "", " ")
	b, _ := json.MarshalIndent(each, "", " ")
	if string(a) != string(b) {
		t.Fatalf("the set-based dashboard differs from the patient-by-patient one:\n%s\nwant\n%s", a, b)
	}
	var names []string
	for _, s := range set {
		names = append(names, s.Patient.Name)
	}
	// Cal's and Ivy's signs first, then Bea's pain of 9, Ann's and Hal's
	// worsening, Dan's quiet; Gil has no alert. Eve (revoked) and Fay
	// (not doc's) are not listed.
	if want := []string{"Cal", "Ivy", "Bea", "Ann", "Hal", "Dan", "Gil"}; !slices.Equal(names, want) {
		t.Fatalf("patients %v, want %v", names, want)
	}
	wantKinds := [][]coach.AlertKind{
		{coach.AlertWarningSign},
		{coach.AlertWarningSign, coach.AlertInactive},
		{coach.AlertHighPain},
		{coach.AlertWorsening},
		{coach.AlertWorsening},
		{coach.AlertInactive},
		{},
	}
	for i, s := range set {
		if !slices.Equal(kinds(s.Alerts), wantKinds[i]) {
			t.Errorf("%s: alerts %v, want %v", s.Patient.Name, kinds(s.Alerts), wantKinds[i])
		}
	}
	if cal := set[0]; cal.Consent.Shared(backcoach.SharePlan) || !cal.Consent.Shared(backcoach.ShareSafety) || cal.ActiveDays == 0 {
		t.Errorf("Cal's summary %+v", cal)
	}
	if gil := set[6]; gil.Adherence <= 0 || gil.Adherence > 1 {
		t.Errorf("Gil's adherence against the programme's days %v", gil.Adherence)
	}
	// Each read (two dashboards) is one audit line a patient; none for
	// the revoked or the other clinicians' patients.
	for _, p := range patients {
		if n := w.reads(p) - before[p]; n != 2 {
			t.Errorf("%d reads of %s in the audit trail, want 2", n, p)
		}
	}
	for _, p := range []string{eve, fay} {
		if n := w.reads(p) - before[p]; n != 0 {
			t.Errorf("%d reads of %s, who does not share with the clinician", n, p)
		}
	}
	// A clinician of the other clinic sees only Fay, a clinician of none
	// nobody.
	if list, err := w.coach.Dashboard(ctx, w.outside); err != nil || len(list) != 1 || list[0].Patient.ID != fay {
		t.Fatalf("the other clinic's dashboard: %+v, %v", list, err)
	}
	if list, err := w.coach.Dashboard(ctx, ann); err != nil || len(list) != 0 {
		t.Fatalf("a patient's dashboard: %+v, %v", list, err)
	}
}
