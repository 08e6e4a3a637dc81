package store

import (
	"context"
	"testing"

	"github.com/backcoach/backcoach"
)

// TestKeepIsAllOrNothing keeps an assessment with its screen and profile
// in one batch, and checks that a batch with one bad record keeps none of
// its records.
func TestKeepIsAllOrNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		bad := &backcoach.Batch{
			Assessment: &backcoach.SavedAssessment{Answers: sampleAnswers(), Result: sampleResult()},
			Screen:     &backcoach.Screen{Kind: backcoach.ScreenAssessment, Via: "carrier-pigeon", Signs: []string{}},
		}
		err := s.Keep(ctx, ann, bad)
		var be *backcoach.Error
		if code(err) != backcoach.EINVALID || !asError(err, &be) || be.Field != "screen.via" {
			t.Fatalf("a batch with a bad screen: %v, want EINVALID about screen.via", err)
		}
		if list, _ := s.Assessments(ctx, ann, backcoach.Filter{}); len(list) != 0 {
			t.Fatalf("the assessment of a refused batch was kept: %+v", list)
		}
		prof := &backcoach.Profile{TimeZone: "Europe/Paris", Places: []backcoach.Place{backcoach.PlaceDesk}}
		good := &backcoach.Batch{
			Assessment: &backcoach.SavedAssessment{Answers: sampleAnswers(), Result: sampleResult()},
			Profile:    prof,
			Screen:     &backcoach.Screen{Kind: backcoach.ScreenAssessment, Via: backcoach.ViaAPI, Complete: true, Signs: []string{"night_pain"}},
			Diary:      &backcoach.DiaryEntry{Pain: 4, FlagsAsked: true, Flags: []string{"night_pain"}},
		}
		if err := s.Keep(ctx, ann, good); err != nil {
			t.Fatal(err)
		}
		x, err := s.Export(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Assessments) != 1 || len(x.Diary) != 1 || len(x.Safety.Screens) != 1 || x.Profile.TimeZone != "Europe/Paris" {
			t.Errorf("after the batch: %d assessments, %d diary entries, %d screens, profile %+v", len(x.Assessments), len(x.Diary), len(x.Safety.Screens), x.Profile)
		}
		if sc := x.Safety.Screens[0]; sc.ID != good.Screen.ID || sc.Signs[0] != "night_pain" || sc.Via != backcoach.ViaAPI {
			t.Errorf("the kept screen: %+v", sc)
		}
		bob := newPerson(t, s, "bob")
		if rec, err := s.SafetyRecord(ctx, bob); err != nil || len(rec.Screens) != 0 {
			t.Errorf("bob sees ann's safety record: %+v, %v", rec, err)
		}
	})
}

// TestImportCarriesWarningSignsIntoTheRecord imports a document written
// before the safety record was kept: the warning signs of its assessments
// and check-ins must stand in the record, as the migration makes them.
func TestImportCarriesWarningSignsIntoTheRecord(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		if err := s.AddDiaryEntry(ctx, ann, &backcoach.DiaryEntry{Pain: 3, FlagsAsked: true, Flags: []string{"fever"}}); err != nil {
			t.Fatal(err)
		}
		doc, err := s.Export(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		doc.Safety = backcoach.SafetyRecord{} // as an older version wrote it
		if _, err := s.Import(ctx, doc, backcoach.ImportOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		rec, err := s.SafetyRecord(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Screens) != 1 || rec.Screens[0].Signs[0] != "fever" || rec.Screens[0].Via != backcoach.ViaUnknown {
			t.Errorf("the imported record: %+v", rec.Screens)
		}
	})
}
