package triage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

// calm is a person with no warning sign and no "soon" reason.
func calm() backcoach.Answers {
	return backcoach.Answers{Age: 40, PainNow: 2, Weeks: 1, Trend: backcoach.TrendBetter, ClinicianAssessed: true}
}

// The flags of docs/clinical.md §3 with their urgency: the content file must hold
// exactly these, so the list is written out here once more on purpose.
var clinicalFlags = map[string]backcoach.Urgency{
	"chest_pain": "emergency", "heart_attack_signs": "emergency", "tearing_pain": "emergency",
	"breathing_difficulty": "emergency", "major_trauma": "emergency", "both_legs": "emergency",
	"saddle_numbness": "emergency", "bladder_bowel": "emergency",
	"fever": "urgent", "weight_loss": "urgent", "lump_or_deformity": "urgent", "night_pain": "urgent",
	"cough_sneeze": "urgent", "limb_symptoms": "urgent", "cancer_history": "urgent", "infection_risk": "urgent",
	"fragility_injury": "urgent", "pain_uncontrolled": "urgent", "recent_spine_surgery": "urgent",
}

func TestFlagListMatchesClinicalBrief(t *testing.T) {
	if len(Flags()) != len(clinicalFlags) {
		t.Fatalf("content has %d flags, docs/clinical.md has %d", len(Flags()), len(clinicalFlags))
	}
	emergencyDone := false
	for _, f := range Flags() {
		want, ok := clinicalFlags[f.ID]
		if !ok || want != f.Urgency {
			t.Errorf("flag %s: urgency %s, docs/clinical.md says %s", f.ID, f.Urgency, want)
		}
		// Emergency signs are asked first.
		if f.Urgency != backcoach.UrgencyEmergency {
			emergencyDone = true
		} else if emergencyDone {
			t.Errorf("emergency flag %s is asked after an urgent one", f.ID)
		}
	}
}

func TestEveryFlag(t *testing.T) {
	for id, urgency := range clinicalFlags {
		t.Run(id, func(t *testing.T) {
			a := calm()
			a.Flags = []string{id}
			if err := Validate(&a); err != nil {
				t.Fatal(err)
			}
			r := Assess(&a)
			if r.Urgency != urgency {
				t.Errorf("urgency %s, want %s", r.Urgency, urgency)
			}
			if r.ExerciseAllowed {
				t.Error("exercise allowed with a red flag")
			}
			if !slices.Equal(r.RedFlags, []string{id}) {
				t.Errorf("red_flags %v, want [%s]", r.RedFlags, id)
			}
			f, _ := LookupFlag(id)
			if !slices.Contains(r.Advice, f.Why) {
				t.Errorf("advice does not explain the flag: %v", r.Advice)
			}
			if !slices.Contains(r.Advice, LevelOf(urgency).Advice[0]) {
				t.Errorf("advice lacks the %s advice: %v", urgency, r.Advice)
			}
			for _, s := range f.Sources {
				if !slices.Contains(r.Sources, s) {
					t.Errorf("sources %v lack %q", r.Sources, s)
				}
			}
		})
	}
}

func TestHighestUrgencyWins(t *testing.T) {
	a := calm()
	a.Flags = []string{"fever", "chest_pain"}
	r := Assess(&a)
	if r.Urgency != backcoach.UrgencyEmergency || !slices.Equal(r.RedFlags, []string{"chest_pain", "fever"}) {
		t.Fatalf("got %s %v", r.Urgency, r.RedFlags)
	}
	if !strings.Contains(r.Advice[0], "999") {
		t.Errorf("first advice line should say to call the emergency number: %q", r.Advice[0])
	}
}

func TestCancerCombination(t *testing.T) {
	cases := []struct {
		flags []string
		want  backcoach.Urgency
	}{
		{[]string{"cancer_history"}, backcoach.UrgencyUrgent},
		{[]string{"limb_symptoms"}, backcoach.UrgencyUrgent},
		{[]string{"cancer_history", "limb_symptoms"}, backcoach.UrgencyEmergency},
		{[]string{"cancer_history", "both_legs"}, backcoach.UrgencyEmergency},
		{[]string{"cancer_history", "fever"}, backcoach.UrgencyUrgent},
	}
	for _, tc := range cases {
		a := calm()
		a.Flags = tc.flags
		if got := Assess(&a).Urgency; got != tc.want {
			t.Errorf("%v: %s, want %s", tc.flags, got, tc.want)
		}
	}
}

func TestStages(t *testing.T) {
	cases := []struct {
		pain int
		desc backcoach.Stage
		want backcoach.Stage
	}{
		{0, "", backcoach.StageNone},
		{1, "", backcoach.StageMild},
		{3, "", backcoach.StageMild},
		{4, "", backcoach.StageModerate},
		{6, "", backcoach.StageModerate},
		{7, "", backcoach.StageHigh},
		{10, "", backcoach.StageHigh},
		{0, backcoach.StageMild, backcoach.StageMild},
		{2, backcoach.StageHigh, backcoach.StageHigh},
		{8, backcoach.StageMild, backcoach.StageHigh},
		{5, backcoach.StageMild, backcoach.StageModerate},
	}
	for _, tc := range cases {
		a := calm()
		a.PainNow, a.StageDescription = tc.pain, tc.desc
		if got := Assess(&a).Stage; got != tc.want {
			t.Errorf("pain %d described %q: stage %s, want %s", tc.pain, tc.desc, got, tc.want)
		}
	}
}

func TestSoonReasons(t *testing.T) {
	cases := []struct {
		name   string
		change func(*backcoach.Answers)
		want   []string
	}{
		{"none", func(*backcoach.Answers) {}, nil},
		{"not assessed", func(a *backcoach.Answers) { a.ClinicianAssessed = false }, []string{"not_assessed"}},
		// Age and duration count only before a clinician has examined the
		// pain (docs/clinical.md §3).
		{"age 19", func(a *backcoach.Answers) { a.Age, a.ClinicianAssessed = 19, false }, []string{"age", "not_assessed"}},
		{"age 20", func(a *backcoach.Answers) { a.Age, a.ClinicianAssessed = 20, false }, []string{"not_assessed"}},
		{"age 55", func(a *backcoach.Answers) { a.Age, a.ClinicianAssessed = 55, false }, []string{"not_assessed"}},
		{"age 56", func(a *backcoach.Answers) { a.Age, a.ClinicianAssessed = 56, false }, []string{"age", "not_assessed"}},
		{"age 19 examined", func(a *backcoach.Answers) { a.Age = 19 }, nil},
		{"age 56 examined", func(a *backcoach.Answers) { a.Age = 56 }, nil},
		{"age 90 examined", func(a *backcoach.Answers) { a.Age = 90 }, nil},
		{"1.9 weeks same", func(a *backcoach.Answers) { a.Weeks, a.Trend, a.ClinicianAssessed = 1.9, backcoach.TrendSame, false }, []string{"not_assessed"}},
		{"2 weeks same", func(a *backcoach.Answers) { a.Weeks, a.Trend, a.ClinicianAssessed = 2, backcoach.TrendSame, false }, []string{"not_assessed", "not_improving"}},
		{"2 weeks better", func(a *backcoach.Answers) { a.Weeks, a.Trend, a.ClinicianAssessed = 2, backcoach.TrendBetter, false }, []string{"not_assessed"}},
		{"2 weeks same examined", func(a *backcoach.Answers) { a.Weeks, a.Trend = 2, backcoach.TrendSame }, nil},
		{"52 weeks same examined", func(a *backcoach.Answers) { a.Weeks, a.Trend = 52, backcoach.TrendSame }, nil},
		{"1 week worse", func(a *backcoach.Answers) { a.Weeks, a.Trend = 1, backcoach.TrendWorse }, []string{"worsening"}},
		{"3 weeks worse", func(a *backcoach.Answers) { a.Weeks, a.Trend, a.ClinicianAssessed = 3, backcoach.TrendWorse, false }, []string{"not_assessed", "not_improving", "worsening"}},
		{"3 weeks worse examined", func(a *backcoach.Answers) { a.Weeks, a.Trend = 3, backcoach.TrendWorse }, []string{"worsening"}},
		{"pain 6", func(a *backcoach.Answers) { a.PainNow = 6 }, nil},
		{"pain 7", func(a *backcoach.Answers) { a.PainNow = 7 }, []string{"high_stage"}},
		{"described high", func(a *backcoach.Answers) { a.StageDescription = backcoach.StageHigh }, []string{"high_stage"}},
		{"all", func(a *backcoach.Answers) {
			a.ClinicianAssessed, a.Age, a.Weeks, a.Trend, a.PainNow = false, 70, 4, backcoach.TrendWorse, 8
		}, []string{"age", "high_stage", "not_assessed", "not_improving", "worsening"}},
		{"all examined", func(a *backcoach.Answers) {
			a.Age, a.Weeks, a.Trend, a.PainNow = 70, 4, backcoach.TrendWorse, 8
		}, []string{"high_stage", "worsening"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := calm()
			tc.change(&a)
			r := Assess(&a)
			if r.Reasons == nil || !slices.Equal(r.Reasons, tc.want) && !(len(r.Reasons) == 0 && len(tc.want) == 0) {
				t.Fatalf("reasons %v, want %v", r.Reasons, tc.want)
			}
			wantUrgency := backcoach.UrgencySelfCare
			if len(tc.want) > 0 {
				wantUrgency = backcoach.UrgencySoon
			}
			if r.Urgency != wantUrgency || !r.ExerciseAllowed {
				t.Errorf("urgency %s allowed %v, want %s and allowed", r.Urgency, r.ExerciseAllowed, wantUrgency)
			}
			for _, id := range tc.want {
				reason, _ := content.reason(id)
				if !slices.Contains(r.Advice, reason.Text) {
					t.Errorf("advice lacks the %s text", id)
				}
			}
		})
	}
}

func TestPEGScore(t *testing.T) {
	cases := []struct {
		peg  backcoach.PEG
		want float64
	}{
		{backcoach.PEG{Pain: 4, Enjoyment: 3, Activity: 4}, 3.7},
		{backcoach.PEG{Pain: 0, Enjoyment: 0, Activity: 1}, 0.3},
		{backcoach.PEG{Pain: 10, Enjoyment: 10, Activity: 10}, 10},
		{backcoach.PEG{Pain: 1, Enjoyment: 1, Activity: 0}, 0.7},
	}
	for _, tc := range cases {
		a := calm()
		a.PEG = &tc.peg
		r := Assess(&a)
		if r.PEGScore == nil || *r.PEGScore != tc.want {
			t.Errorf("%+v: score %v, want %v", tc.peg, r.PEGScore, tc.want)
		}
	}
	a := calm()
	if Assess(&a).PEGScore != nil {
		t.Error("a score without PEG answers")
	}
}

// Every source the content cites is in the catalog's source list, so the
// product can show it in full.
func TestSourcesAreKnown(t *testing.T) {
	cat := catalog.MustLoad()
	var names []string
	for _, f := range content.Flags {
		names = append(names, f.Sources...)
	}
	for _, k := range content.Combinations {
		names = append(names, k.Sources...)
	}
	for _, r := range content.Rules {
		names = append(names, r.Sources...)
	}
	for _, r := range content.Reasons {
		names = append(names, r.Sources...)
	}
	for _, l := range content.Urgency {
		names = append(names, l.Sources...)
	}
	names = append(names, "Krebs 2009 (PEG)")
	for _, n := range names {
		if _, ok := cat.Source(n); !ok {
			t.Errorf("source %q is not in catalog/sources.json", n)
		}
	}
}

func TestParseAnswersExample(t *testing.T) {
	doc := `{
  "age": 42, "pain_now": 5, "stage_description": "moderate",
  "peg": {"pain": 4, "enjoyment": 3, "activity": 4},
  "weeks": 3, "trend": "same", "clinician_assessed": true,
  "flags": ["fever"], "conditions": ["osteoporosis"], "causes": ["desk_work", "stress"],
  "context": {"minutes": 10, "places": ["desk", "standing", "floor"], "equipment": ["wall", "foam_roller", "chair"]}
}`
	a, err := ParseAnswers([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if a.Age != 42 || a.PainNow != 5 || a.PEG.Enjoyment != 3 || a.Weeks != 3 || a.Trend != "same" ||
		!a.ClinicianAssessed || a.Flags[0] != "fever" || a.Conditions[0] != "osteoporosis" ||
		len(a.Causes) != 2 || a.Context.Minutes != 10 || len(a.Context.Equipment) != 3 {
		t.Fatalf("parsed %+v", a)
	}
	r := Assess(&a)
	out, _ := json.Marshal(r)
	for _, want := range []string{`"urgency":"urgent"`, `"stage":"moderate"`, `"red_flags":["fever"]`, `"exercise_allowed":false`, `"peg_score":3.7`, `"reasons":[]`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("result %s lacks %s", out, want)
		}
	}
}

func TestParseAnswersErrors(t *testing.T) {
	base := `"age": 40, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true`
	cases := []struct {
		name, doc, field, allowed string
	}{
		{"not json", `{`, "answers", "JSON object"},
		{"array", `[]`, "answers", "JSON object"},
		{"trailing", `{` + base + `} {}`, "answers", "more follows"},
		{"unknown field", `{` + base + `, "mood": 3}`, "mood", "allowed: age, pain_now"},
		{"unknown peg field", `{` + base + `, "peg": {"pain": 1, "enjoyment": 1, "activity": 1, "sleep": 2}}`, "peg.sleep", "allowed: pain, enjoyment, activity"},
		{"unknown context field", `{` + base + `, "context": {"mins": 5}}`, "context.mins", "allowed: minutes"},
		{"missing age", `{"pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "age", "required"},
		{"null pain", `{"age": 40, "pain_now": null, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "pain_now", "required"},
		{"missing trend", `{"age": 40, "pain_now": 3, "weeks": 1, "clinician_assessed": true}`, "trend", "required"},
		{"missing weeks", `{"age": 40, "pain_now": 3, "trend": "same", "clinician_assessed": true}`, "weeks", "required"},
		{"missing flags", `{"age": 40, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "flags", "is required: list the warning-sign ids answered yes, or [] for none"},
		{"missing assessed", `{"age": 40, "pain_now": 3, "weeks": 1, "trend": "same"}`, "clinician_assessed", "required"},
		{"age too low", `{"age": 11, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "age", "12 to 120"},
		{"age too high", `{"age": 121, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "age", "12 to 120"},
		{"age string", `{"age": "40", "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "age", "number"},
		{"age fraction", `{"age": 40.5, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "age", "whole number"},
		{"pain 11", `{"age": 40, "pain_now": 11, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "pain_now", "0 to 10"},
		{"pain -1", `{"age": 40, "pain_now": -1, "weeks": 1, "trend": "same", "clinician_assessed": true}`, "pain_now", "0 to 10"},
		{"weeks negative", `{"age": 40, "pain_now": 3, "weeks": -1, "trend": "same", "clinician_assessed": true}`, "weeks", "from 0"},
		{"trend unknown", `{"age": 40, "pain_now": 3, "weeks": 1, "trend": "up", "clinician_assessed": true}`, "trend", "better, same, worse"},
		{"assessed string", `{"age": 40, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": "yes"}`, "clinician_assessed", "true or false"},
		{"stage none", `{` + base + `, "stage_description": "none"}`, "stage_description", "mild, moderate, high"},
		{"stage unknown", `{` + base + `, "stage_description": "awful"}`, "stage_description", "mild, moderate, high"},
		{"flag unknown", `{` + base + `, "flags": ["headache"]}`, "flags[0]", "chest_pain"},
		{"flag twice", `{` + base + `, "flags": ["fever", "fever"]}`, "flags[1]", "twice"},
		{"flags not array", `{` + base + `, "flags": "fever"}`, "flags", "array"},
		{"flag number", `{` + base + `, "flags": [3]}`, "flags[0]", "string"},
		{"condition unknown", `{` + base + `, "conditions": ["gout"]}`, "conditions[0]", "osteoporosis, pregnant"},
		{"cause unknown", `{` + base + `, "causes": ["weather"]}`, "causes[0]", "overuse, desk_work"},
		{"peg item missing", `{` + base + `, "peg": {"pain": 1, "enjoyment": 1}}`, "peg.activity", "required"},
		{"peg item range", `{` + base + `, "peg": {"pain": 1, "enjoyment": 12, "activity": 1}}`, "peg.enjoyment", "0 to 10"},
		{"peg not object", `{` + base + `, "peg": 5}`, "peg", "JSON object"},
		{"minutes 0", `{` + base + `, "context": {"minutes": 0}}`, "context.minutes", "1 to 60"},
		{"minutes 61", `{` + base + `, "context": {"minutes": 61}}`, "context.minutes", "1 to 60"},
		{"no places", `{` + base + `, "context": {"places": []}}`, "context.places", "desk"},
		{"place unknown", `{` + base + `, "context": {"places": ["car"]}}`, "context.places[0]", "standing, desk, floor"},
		{"equipment unknown", `{` + base + `, "context": {"equipment": ["band"]}}`, "context.equipment[0]", "wall, foam_roller, chair, mat"},
		{"too big", `{` + base + `, "causes": [` + strings.Repeat(`"stress",`, 10000) + `"stress"]}`, "answers", "bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAnswers([]byte(tc.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			e, ok := err.(*backcoach.Error)
			if !ok || e.Code != backcoach.EINVALID {
				t.Fatalf("error %T %v, want an EINVALID *backcoach.Error", err, err)
			}
			if e.Field != tc.field {
				t.Errorf("field %q, want %q (%v)", e.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.allowed) {
				t.Errorf("message %q does not say %q", err, tc.allowed)
			}
		})
	}
}

// Optional parts may be left out; the context then takes its defaults.
func TestParseAnswersMinimal(t *testing.T) {
	a, err := ParseAnswers([]byte(`{"age": 30, "pain_now": 0, "weeks": 0, "trend": "better", "clinician_assessed": false, "flags": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if c := a.Routine(); c.Minutes != backcoach.DefaultMinutes || len(c.Places) != 3 {
		t.Errorf("default context %+v", c)
	}
	if r := Assess(&a); r.Stage != backcoach.StageNone || r.Urgency != backcoach.UrgencySoon {
		t.Errorf("result %+v", r)
	}
}

func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte(`{"age": 42, "pain_now": 5, "weeks": 3, "trend": "same", "clinician_assessed": true, "flags": ["fever"], "peg": {"pain": 1, "enjoyment": 2, "activity": 3}, "context": {"minutes": 10, "places": ["desk"]}}`))
	f.Add([]byte(`{"age": 1e400}`))
	f.Add([]byte(`{"age": 40, "pain_now": 3, "weeks": 1, "trend": "same", "clinician_assessed": true, "context": null}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"age": 70, "pain_now": 8, "weeks": 1, "trend": "worse", "clinician_assessed": true, "flags": ["infection_risk", "limb_symptoms"], "conditions": ["osteoporosis"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAnswers(data)
		if err != nil {
			if backcoach.ErrorCode(err) != backcoach.EINVALID {
				t.Fatalf("error of code %s: %v", backcoach.ErrorCode(err), err)
			}
			return
		}
		// Whatever parses is valid, and assessing it never panics and keeps
		// the contract's invariants.
		if err := Validate(&a); err != nil {
			t.Fatalf("parsed answers do not validate: %v", err)
		}
		r := Assess(&a)
		if r.ExerciseAllowed != (r.Urgency != backcoach.UrgencyEmergency && r.Urgency != backcoach.UrgencyUrgent) {
			t.Fatalf("exercise_allowed %v with urgency %s", r.ExerciseAllowed, r.Urgency)
		}
		// The red flags are the flags answered yes and the rules that
		// fired, sorted.
		want := slices.Clone(a.Flags)
		for _, rule := range Rules() {
			if ruleConditions[rule.ID](&a) {
				want = append(want, rule.ID)
			}
		}
		slices.Sort(want)
		if !slices.Equal(r.RedFlags, want) {
			t.Fatal(fmt.Sprint("red flags ", r.RedFlags, " for ", a.Flags))
		}
	})
}
