package coach_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// reportFixture is a person with two weeks of check-ins (pain falling
// from 6 to 2, a note, a PEG), sessions on most days, and a fever answered
// and cleared on the way.
func reportFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	f.assess(clean())
	p := f.allowed()
	for day := range 14 {
		pain := 6 - day*4/13
		e := &backcoach.DiaryEntry{Pain: pain, FlagsAsked: true, Flags: []string{}}
		if day == 3 {
			e.Note = "Stiff after a long drive"
		}
		if day == 7 {
			e.PEG = &backcoach.PEG{Pain: 4, Enjoyment: 3, Activity: 3}
		}
		if day == 5 {
			e.Flags = []string{"fever"}
		}
		if _, err := f.coach.CheckIn(ctx, f.person, e, backcoach.ViaWeb); err != nil {
			t.Fatal(err)
		}
		if day == 5 {
			f.clock.add(time.Hour)
			if _, _, err := f.coach.RecordClearance(ctx, f.person, coach.ClearanceRequest{By: backcoach.ClearedByGP, Name: "Dr Ash", CheckedOn: f.clock.now().Format(backcoach.DateLayout)}); err != nil {
				t.Fatal(err)
			}
			f.clock.add(time.Hour)
			if _, err := f.coach.CheckIn(ctx, f.person, &backcoach.DiaryEntry{Pain: pain, FlagsAsked: true, Flags: []string{}}, backcoach.ViaWeb); err != nil {
				t.Fatal(err)
			}
		} else if day%3 != 2 {
			rec := &coach.SessionRecord{Session: backcoach.Session{PlanID: p.Plan.ID, PainBefore: pain, DurationSeconds: 300,
				Exercises: []backcoach.ExerciseOutcome{{ExerciseID: p.Plan.Plan.Exercises[0].ID, Outcome: backcoach.OutcomeDone, Seconds: 60}}}}
			if _, err := f.coach.RecordSession(ctx, f.person, rec, backcoach.ViaWeb); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.add(24*time.Hour - 2*time.Hour*time.Duration(btoi(day == 5)))
	}
	return f
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestReportData(t *testing.T) {
	t.Parallel()
	f := reportFixture(t)
	ctx := context.Background()
	r, err := f.coach.ReportData(ctx, f.person, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Person.Name != "Ann" || r.To != "2026-12-17" || r.From != "2026-11-18" || len(r.Series.Days) != coach.DefaultReportDays {
		t.Fatalf("report of %q from %s to %s, %d days", r.Person.Name, r.From, r.To, len(r.Series.Days))
	}
	if r.Stage != "Mild" || r.Urgency == "" || r.Latest == nil {
		t.Errorf("stage %q, urgency %q", r.Stage, r.Urgency)
	}
	if r.Refusal != nil || r.Programme == nil || len(r.Programme.Plan.Plan.Exercises) == 0 || r.Programme.Plan.ID != "" {
		t.Fatalf("programme %+v, refusal %+v: want an unsaved plan", r.Programme, r.Refusal)
	}
	if len(r.Signs) != 1 || r.Signs[0].ID != "fever" || r.Signs[0].Standing || !strings.Contains(r.Signs[0].Status, "a GP (Dr Ash)") {
		t.Errorf("signs %+v, want fever cleared by Dr Ash", r.Signs)
	}
	if len(r.Clearances) != 1 {
		t.Errorf("clearances %+v", r.Clearances)
	}
	if r.Series.LoggedDays != 14 || r.Series.Sessions != 10 || len(r.Sessions) != 10 {
		t.Errorf("%d days logged, %d sessions", r.Series.LoggedDays, r.Series.Sessions)
	}
	if len(r.Notes) != 1 || r.Notes[0].Text != "Stiff after a long drive" || r.Notes[0].Date != "2026-12-06" {
		t.Errorf("notes %+v", r.Notes)
	}
	if len(r.PEG.Points) != 1 {
		t.Errorf("PEG %+v", r.PEG)
	}
	names := map[string]bool{}
	for _, s := range r.Sources {
		names[s.Name] = true
	}
	if !names["Farrar 2001"] || !names["Krebs 2009 (PEG)"] || !names["ACSM Guidelines, 11th ed."] {
		t.Errorf("sources %v", names)
	}
	// Two weeks: the first 7 days against the last 7.
	week, err := f.coach.ReportData(ctx, f.person, "2026-12-04", "2026-12-17")
	if err != nil {
		t.Fatal(err)
	}
	if week.Change == nil || !week.Change.Meaningful || week.Change.Direction != "better" {
		t.Errorf("change %+v, want a meaningful improvement", week.Change)
	}
	// A standing sign: no programme, the refusal instead.
	if _, err := f.coach.RecordSigns(ctx, f.person, []string{"fever"}, backcoach.ScreenBreak, backcoach.ViaDesktop, false); err != nil {
		t.Fatal(err)
	}
	r, err = f.coach.ReportData(ctx, f.person, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Refusal == nil || r.Programme != nil || !r.Signs[0].Standing || r.Signs[0].Status != "stands" {
		t.Errorf("with fever standing: refusal %+v, programme %v, signs %+v", r.Refusal, r.Programme != nil, r.Signs)
	}
	for _, tt := range []struct{ from, to, field string }{
		{"2026-12-10", "2026-12-01", "to"}, {"12/01/2026", "", "from"}, {"", "tomorrow", "to"}, {"2024-01-01", "2026-12-01", "to"},
	} {
		_, err := f.coach.ReportData(ctx, f.person, tt.from, tt.to)
		if backcoach.ErrorCode(err) != backcoach.EINVALID || !strings.HasPrefix(err.Error(), tt.field+":") {
			t.Errorf("from %q to %q: %v, want EINVALID naming %s", tt.from, tt.to, err, tt.field)
		}
	}
	// Nothing was kept: the plans are the ones kept by the sessions' day.
	plans, _ := f.store.Plans(ctx, f.person, backcoach.Filter{})
	if len(plans) != 1 {
		t.Errorf("%d plans kept, want 1 (the report keeps none)", len(plans))
	}
}
