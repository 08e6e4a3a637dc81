package triage

import (
	"slices"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

func TestStandingOf(t *testing.T) {
	t.Parallel()
	day0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return day0.AddDate(0, 0, days) }
	screen := func(days int, kind backcoach.ScreenKind, complete bool, signs ...string) backcoach.Screen {
		return backcoach.Screen{At: at(days), Kind: kind, Via: backcoach.ViaWeb, Complete: complete, Signs: signs}
	}
	clean := func(days int) backcoach.Screen { return screen(days, backcoach.ScreenAssessment, true) }
	clearance := func(days int, signs ...string) backcoach.Clearance {
		return backcoach.Clearance{RecordedAt: at(days), By: backcoach.ClearedByGP, CheckedOn: at(days).Format(backcoach.DateLayout), Signs: signs}
	}
	tests := []struct {
		name       string
		screens    []backcoach.Screen
		clearances []backcoach.Clearance
		now        time.Time
		blocked    bool
		urgency    backcoach.Urgency
		standing   []string
		cleared    []string
		awaiting   bool
	}{
		{name: "empty record", urgency: backcoach.UrgencySelfCare},
		{name: "clean screens only", screens: []backcoach.Screen{clean(0), clean(1)}, urgency: backcoach.UrgencySelfCare},
		{name: "fever at a check-in stands", screens: []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever")},
			blocked: true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}},
		{name: "a clean assessment alone does not lift it",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"), clean(1), clean(2)},
			blocked: true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}},
		{name: "clearance then a clean complete screen lifts it",
			screens:    []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"), clean(3)},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			urgency:    backcoach.UrgencySelfCare},
		{name: "clearance without the fresh screen still blocks",
			screens:    []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever")},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			blocked:    true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}, awaiting: true},
		{name: "an incomplete screen (a stop in a session) does not lift it",
			screens:    []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"), screen(3, backcoach.ScreenSession, false)},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			blocked:    true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}, awaiting: true},
		{name: "a clean screen before the clearance does not count",
			screens:    []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"), clean(1)},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			blocked:    true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}, awaiting: true},
		{name: "a fresh screen with a new sign lifts nothing; the next clean one lifts the cleared sign only",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"),
				screen(3, backcoach.ScreenCheckIn, true, "night_pain"), clean(4)},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			blocked:    true, urgency: backcoach.UrgencyUrgent, standing: []string{"night_pain"}},
		{name: "a clearance covers only the signs that stood when it was given",
			screens:    []backcoach.Screen{screen(3, backcoach.ScreenCheckIn, true, "fever"), clean(4)},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			blocked:    true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}},
		{name: "a sign that can newly appear blocks again after it was lifted",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"), clean(3),
				screen(10, backcoach.ScreenCheckIn, true, "fever")},
			clearances: []backcoach.Clearance{clearance(2, "fever")},
			blocked:    true, urgency: backcoach.UrgencyUrgent, standing: []string{"fever"}},
		{name: "a cleared history sign stays cleared when answered again",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenAssessment, true, "cancer_history"), clean(3),
				screen(10, backcoach.ScreenAssessment, true, "cancer_history")},
			clearances: []backcoach.Clearance{clearance(2, "cancer_history")},
			urgency:    backcoach.UrgencySelfCare, cleared: []string{"cancer_history"}},
		{name: "a cleared history sign still makes the emergency combination",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenAssessment, true, "cancer_history"), clean(3),
				screen(10, backcoach.ScreenCheckIn, true, "limb_symptoms")},
			clearances: []backcoach.Clearance{clearance(2, "cancer_history")},
			blocked:    true, urgency: backcoach.UrgencyEmergency, standing: []string{"limb_symptoms"}, cleared: []string{"cancer_history"}},
		{name: "an emergency sign stands above an urgent one",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "fever"), screen(1, backcoach.ScreenSession, false, "tearing_pain")},
			blocked: true, urgency: backcoach.UrgencyEmergency, standing: []string{"tearing_pain", "fever"}},
		{name: "recent spine surgery runs out after three months",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenAssessment, true, "recent_spine_surgery")},
			now:     at(RecentSurgeryDays + 1), urgency: backcoach.UrgencySelfCare},
		{name: "recent spine surgery stands within three months",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenAssessment, true, "recent_spine_surgery")},
			now:     at(RecentSurgeryDays - 1), blocked: true, urgency: backcoach.UrgencyUrgent, standing: []string{"recent_spine_surgery"}},
		{name: "an unknown sign stands as urgent",
			screens: []backcoach.Screen{screen(0, backcoach.ScreenCheckIn, true, "no_longer_known")},
			blocked: true, urgency: backcoach.UrgencyUrgent, standing: []string{"no_longer_known"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = at(20)
			}
			got := StandingOf(&backcoach.SafetyRecord{Screens: tc.screens, Clearances: tc.clearances}, now)
			if got.Blocked != tc.blocked || got.Urgency != tc.urgency {
				t.Errorf("blocked %v urgency %s, want %v %s", got.Blocked, got.Urgency, tc.blocked, tc.urgency)
			}
			if ids := got.IDs(); !slices.Equal(ids, tc.standing) && !(len(ids) == 0 && len(tc.standing) == 0) {
				t.Errorf("standing %v, want %v", ids, tc.standing)
			}
			if !slices.Equal(got.Cleared, tc.cleared) && !(len(got.Cleared) == 0 && len(tc.cleared) == 0) {
				t.Errorf("cleared %v, want %v", got.Cleared, tc.cleared)
			}
			if got.AwaitingScreen != tc.awaiting {
				t.Errorf("awaiting screen %v, want %v", got.AwaitingScreen, tc.awaiting)
			}
			if got.Blocked && len(got.Advice()) == 0 {
				t.Error("a blocked record gives no advice")
			}
		})
	}
}

func TestAssessClearedKeepsHistoryGentle(t *testing.T) {
	t.Parallel()
	a := backcoach.Answers{Age: 40, PainNow: 2, Trend: backcoach.TrendBetter, ClinicianAssessed: true, Flags: []string{"cancer_history"}}
	if res := Assess(&a); res.ExerciseAllowed {
		t.Fatalf("cancer history without clearance allows exercise: %+v", res)
	}
	res := AssessCleared(&a, []string{"cancer_history"})
	if !res.ExerciseAllowed || res.Urgency != backcoach.UrgencySoon {
		t.Fatalf("cleared cancer history: urgency %s allowed %v, want soon and allowed", res.Urgency, res.ExerciseAllowed)
	}
	if len(res.RedFlags) != 0 || !slices.Equal(res.ClearedFlags, []string{"cancer_history"}) || !slices.Contains(res.Reasons, backcoach.ReasonClinicianCleared) {
		t.Errorf("cleared cancer history: red flags %v cleared %v reasons %v", res.RedFlags, res.ClearedFlags, res.Reasons)
	}
	a.Flags = []string{"cancer_history", "limb_symptoms"}
	if res := AssessCleared(&a, []string{"cancer_history"}); res.Urgency != backcoach.UrgencyEmergency {
		t.Errorf("cleared cancer history with limb symptoms: urgency %s, want emergency", res.Urgency)
	}
	a.Flags = []string{"fever"}
	if res := AssessCleared(&a, []string{"fever"}); res.ExerciseAllowed {
		t.Error("a sign that is not a history sign was cleared by AssessCleared")
	}
}

func TestHistorySignToldAgainOnTheFreshScreen(t *testing.T) {
	t.Parallel()
	day0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	rec := &backcoach.SafetyRecord{
		Screens: []backcoach.Screen{
			{At: day0, Kind: backcoach.ScreenAssessment, Via: backcoach.ViaWeb, Complete: true, Signs: []string{"cancer_history"}},
			{At: day0.Add(2 * time.Hour), Kind: backcoach.ScreenAssessment, Via: backcoach.ViaWeb, Complete: true, Signs: []string{"cancer_history"}},
		},
		Clearances: []backcoach.Clearance{{RecordedAt: day0.Add(time.Hour), By: backcoach.ClearedByGP, CheckedOn: "2026-11-02", Signs: []string{"cancer_history"}}},
	}
	before := StandingOf(&backcoach.SafetyRecord{Screens: rec.Screens[:1], Clearances: rec.Clearances}, day0.Add(90*time.Minute))
	if !slices.Equal(before.ClearedHistory(), []string{"cancer_history"}) || !before.Blocked {
		t.Errorf("after the clearance, before the fresh screen: cleared history %v blocked %v", before.ClearedHistory(), before.Blocked)
	}
	got := StandingOf(rec, day0.Add(3*time.Hour))
	if got.Blocked || !slices.Equal(got.Cleared, []string{"cancer_history"}) {
		t.Errorf("cancer history told again on the fresh screen: %+v", got)
	}
	// At one instant: the sign, then the clearance that names it, then
	// the clean screen after it.
	same := &backcoach.SafetyRecord{
		Screens: []backcoach.Screen{
			{At: day0, Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaWeb, Complete: true, Signs: []string{}},
			{At: day0, Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaWeb, Complete: true, Signs: []string{"fever"}},
		},
		Clearances: []backcoach.Clearance{{RecordedAt: day0, By: backcoach.ClearedByGP, CheckedOn: "2026-11-02", Signs: []string{"fever"}}},
	}
	if got := StandingOf(same, day0.Add(time.Hour)); got.Blocked {
		t.Errorf("sign, clearance and clean screen at one instant: %+v", got)
	}
	same.Clearances = nil
	if got := StandingOf(same, day0.Add(time.Hour)); !got.Blocked {
		t.Errorf("a clean screen at the instant of a sign lifted it: %+v", got)
	}
}

func TestWithStanding(t *testing.T) {
	t.Parallel()
	a := backcoach.Answers{Age: 40, PainNow: 2, Trend: backcoach.TrendBetter, ClinicianAssessed: true, Flags: []string{}}
	res := Assess(&a)
	if got := WithStanding(res, Standing{Urgency: backcoach.UrgencySelfCare}); got.Urgency != res.Urgency || !got.ExerciseAllowed {
		t.Fatalf("nothing standing changed the result: %+v", got)
	}
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	s := StandingOf(&backcoach.SafetyRecord{Screens: []backcoach.Screen{{At: day, Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaAPI, Complete: true, Signs: []string{"fever"}}}}, day)
	got := WithStanding(res, s)
	if got.ExerciseAllowed || got.Urgency != backcoach.UrgencyUrgent || !slices.Equal(got.RedFlags, []string{"fever"}) {
		t.Fatalf("with fever standing: %+v", got)
	}
	for _, line := range res.Advice {
		if slices.Contains(got.Advice, line) && !slices.Contains(LevelOf(backcoach.UrgencyUrgent).Advice, line) {
			t.Errorf("advice for answers that allowed exercise kept while a sign stands: %q", line)
		}
	}
	if got.Advice[0] != LevelOf(backcoach.UrgencyUrgent).Advice[0] {
		t.Errorf("the advice does not start with what to do: %q", got.Advice)
	}
}
