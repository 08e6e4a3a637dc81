package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/backcoach/backcoach"
)

func sampleAnswers() backcoach.Answers {
	peg := backcoach.PEG{Pain: 4, Enjoyment: 3, Activity: 5}
	return backcoach.Answers{
		Age: 42, PainNow: 5, StageDescription: backcoach.StageModerate, PEG: &peg, Weeks: 3.5,
		Trend: backcoach.TrendSame, ClinicianAssessed: true, Flags: []string{},
		Conditions: []backcoach.Condition{backcoach.ConditionKneeProblems},
		Causes:     []backcoach.Cause{backcoach.CauseDeskWork, backcoach.CauseStress},
		Context: &backcoach.Context{Minutes: 10, Places: []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding},
			Equipment: []backcoach.Equipment{backcoach.EquipmentWall}},
	}
}

func sampleResult() backcoach.Result {
	score := 4.0
	return backcoach.Result{Urgency: backcoach.UrgencySoon, Stage: backcoach.StageModerate, RedFlags: []string{},
		Reasons: []string{backcoach.ReasonNotImproving}, ExerciseAllowed: true, PEGScore: &score,
		Advice: []string{"Keep moving."}, Sources: []string{"NHS: Back pain"}}
}

func samplePlan() backcoach.Plan {
	return backcoach.Plan{Urgency: backcoach.UrgencySoon, Stage: backcoach.StageModerate, Minutes: 10, Date: "2026-03-02",
		TotalSeconds: 540, Level: 0,
		Exercises: []backcoach.PlannedExercise{{ID: "cat-cow", Name: "Cat-cow", Sets: 1, Reps: 10, Sides: backcoach.SidesNone,
			Tempo: "slow", Seconds: 60, Warmup: true, Why: "warms up", Changes: []string{}}},
		Excluded: []backcoach.Exclusion{{ID: "childs-pose", Reason: "knee_problems"}}, Notes: []string{"Go gently."}}
}

func intp(v int) *int { return &v }

// fill stores some of every kind of record for the person, with times
// spread over days, and returns how many rows of each kind it made.
func fill(t testing.TB, s *Store, id string, base time.Time) map[string]int {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SaveProfile(ctx, id, &backcoach.Profile{TimeZone: "Europe/London",
		Conditions: []backcoach.Condition{backcoach.ConditionKneeProblems}, Places: []backcoach.Place{backcoach.PlaceDesk},
		Equipment: []backcoach.Equipment{backcoach.EquipmentWall, backcoach.EquipmentChair}, Minutes: 15, ClinicianAssessed: true}))
	counts := map[string]int{"profiles": 1, "accounts": 1}
	for day := 0; day < 3; day++ {
		at := base.AddDate(0, 0, day)
		a := backcoach.SavedAssessment{TakenAt: at, Answers: sampleAnswers(), Result: sampleResult()}
		must(s.SaveAssessment(ctx, id, &a))
		p := backcoach.SavedPlan{AssessmentID: a.ID, CreatedAt: at.Add(time.Minute), Plan: samplePlan()}
		must(s.SavePlan(ctx, id, &p))
		ss := backcoach.Session{PlanID: p.ID, StartedAt: at.Add(2 * time.Minute), DurationSeconds: 600, Level: day - 1,
			PainBefore: 5, PainAfter: intp(4), Exercises: []backcoach.ExerciseOutcome{
				{ExerciseID: "cat-cow", Outcome: backcoach.OutcomeDone, Seconds: 60},
				{ExerciseID: "wall-angel", Outcome: backcoach.OutcomeSkipped, Reason: "no wall here"},
				{ExerciseID: "thread-the-needle", Outcome: backcoach.OutcomeStopped, Reason: "pain", Seconds: 12},
			}}
		if day == 2 {
			ss.PainAfter = nil
		}
		must(s.SaveSession(ctx, id, &ss))
		e := backcoach.DiaryEntry{At: at.Add(3 * time.Hour), Pain: 3 + day, Note: "day ünïcode ✓\nsecond line", FlagsAsked: day != 1}
		if day == 0 {
			e.PEG = &backcoach.PEG{Pain: 4, Enjoyment: 2, Activity: 3}
		}
		must(s.AddDiaryEntry(ctx, id, &e))
		must(s.SaveBreakDay(ctx, id, &backcoach.BreakDay{Date: at.Format(backcoach.DateLayout), Due: 8, Taken: 5, Natural: 2,
			Snoozed: 1, Skipped: 1, ActiveSeconds: 25000}))
	}
	counts["assessments"], counts["plans"], counts["sessions"], counts["session exercises"] = 3, 3, 3, 9
	counts["diary entries"], counts["break days"] = 3, 3
	bs := backcoach.BreakSettings{Enabled: true, MovementEveryMinutes: 40, MovementForMinutes: 2, StretchEveryMinutes: 0,
		StretchForMinutes: 5, DailyLimitMinutes: 480, ResetHour: 3, SnoozeMinutes: 10}
	must(s.SaveBreakSettings(ctx, id, &bs))
	counts["break settings"] = 1
	// The safety record: a check-in that found fever, a clearance by a
	// GP, and the fresh screen after it.
	must(s.AddScreen(ctx, id, &backcoach.Screen{At: base.Add(4 * time.Hour), Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaWeb,
		Complete: true, Signs: []string{"fever"}}))
	must(s.AddClearance(ctx, id, &backcoach.Clearance{RecordedAt: base.AddDate(0, 0, 1), By: backcoach.ClearedByGP, Name: "Dr Ash",
		CheckedOn: base.AddDate(0, 0, 1).Format(backcoach.DateLayout), Signs: []string{"fever"}, Note: "no infection found"}))
	must(s.AddScreen(ctx, id, &backcoach.Screen{At: base.AddDate(0, 0, 1).Add(time.Hour), Kind: backcoach.ScreenAssessment,
		Via: backcoach.ViaTerminal, Complete: true, Signs: []string{}}))
	counts["warning-sign screens"], counts["clearances"] = 2, 1
	// What the person signs in with: a password, two access tokens, and
	// two web sessions signed in as them.
	must(s.SetPasswordHash(ctx, id, fakePasswordHash(id)))
	for _, name := range []string{"phone", "laptop script"} {
		_, hash := newTokenHash()
		must(s.CreateAccessToken(ctx, id, &backcoach.AccessToken{Name: name, Hash: hash}))
	}
	ws := s.SessionStore(sessionPersonKey)
	for i := 0; i < 2; i++ {
		must(ws.CommitCtx(ctx, newSessionToken(), sessionData(t, id, "n", i), farExpiry))
	}
	counts["passwords"], counts["access tokens"], counts["web sessions"] = 1, 2, 2
	// A calendar feed, and the key of a form sent once.
	_, feedHash := newTokenHash()
	must(s.MakeCalendarFeed(ctx, id, &backcoach.CalendarFeed{Hash: feedHash}))
	if claimed, _, err := s.ClaimFormKey(ctx, id, "fk-"+id, base); err != nil || !claimed {
		t.Fatalf("claiming a form key: %v %v", claimed, err)
	}
	must(s.SettleFormKey(ctx, id, "fk-"+id, "diary:1"))
	counts["calendar feeds"], counts["form keys"] = 1, 1
	// Clinic mode's rows are filled by TestClinicSharing.
	counts["programmes"], counts["consents"], counts["clinic invitations"], counts["clinic memberships"] = 0, 0, 0, 0
	// One line for the account, one for the profile, five per day, one
	// for the break settings, three for the safety record, one for the
	// password, one per token and one for the calendar feed.
	counts["audit entries"] = 2 + 3*5 + 1 + 3 + 1 + 2 + 1
	return counts
}

// sessionPersonKey is the session value the tests sign a person in with,
// as the web app does.
const sessionPersonKey = "person_id"

// farExpiry is an expiry no test clock reaches.
var farExpiry = time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC)

// fakePasswordHash returns a distinct string of the form of an argon2id
// hash: the store keeps hashes and never makes or checks them.
func fakePasswordHash(seed string) string {
	return "$argon2id$v=19$m=19456,t=2,p=1$" + seed + "$" + newID() + newID()
}

// newTokenHash returns a random token and its stored hash, as auth.NewToken
// makes them.
func newTokenHash() (token, hash string) {
	token = "bc_" + newID() + newID()
	sum := sha256.Sum256([]byte(token))
	return token, hex.EncodeToString(sum[:])
}

// newSessionToken returns a token as scs makes them: 32 random bytes in
// URL-safe base64.
func newSessionToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionData encodes session values as scs does, with the person signed
// in (none when person is empty) and one more value.
func sessionData(t testing.TB, person, key string, value any) []byte {
	t.Helper()
	values := map[string]any{key: value}
	if person != "" {
		values[sessionPersonKey] = person
	}
	b, err := scs.GobCodec{}.Encode(farExpiry, values)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
