package triage

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// vignette is a whole person: answers in, the result's main parts out.
type vignette struct {
	name      string
	answers   backcoach.Answers
	cleared   []string
	urgency   backcoach.Urgency
	redFlags  []string
	reasons   []string
	clearedTo []string
}

func (v vignette) check(t *testing.T) backcoach.Result {
	t.Helper()
	a := v.answers
	if err := Validate(&a); err != nil {
		t.Fatalf("answers do not validate: %v", err)
	}
	r := AssessCleared(&a, v.cleared)
	if r.Urgency != v.urgency {
		t.Errorf("urgency %s, want %s (reasons %v, red flags %v)", r.Urgency, v.urgency, r.Reasons, r.RedFlags)
	}
	if r.ExerciseAllowed != v.urgency.ExerciseAllowed() {
		t.Errorf("exercise_allowed %v with urgency %s", r.ExerciseAllowed, v.urgency)
	}
	if !slices.Equal(r.RedFlags, orEmpty(v.redFlags)) {
		t.Errorf("red_flags %v, want %v", r.RedFlags, v.redFlags)
	}
	if v.reasons != nil && !slices.Equal(r.Reasons, v.reasons) {
		t.Errorf("reasons %v, want %v", r.Reasons, v.reasons)
	}
	if !slices.Equal(r.ClearedFlags, v.clearedTo) {
		t.Errorf("cleared_flags %v, want %v", r.ClearedFlags, v.clearedTo)
	}
	return r
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func reasonText(t *testing.T, id string) string {
	t.Helper()
	r, ok := content.reason(id)
	if !ok {
		t.Fatalf("no reason %q", id)
	}
	return r.Text
}

// A person examined by a GP or physiotherapist is no longer held at
// "soon" by age or duration alone; worsening and high pain still count
// (docs/clinical.md §3).
func TestExaminedVignettes(t *testing.T) {
	person := func(age, pain int, weeks float64, trend backcoach.Trend, examined bool) backcoach.Answers {
		return backcoach.Answers{Age: age, PainNow: pain, Weeks: weeks, Trend: trend, ClinicianAssessed: examined, Flags: []string{}}
	}
	none := []string{}
	cases := []vignette{
		{name: "60, 10 weeks, same, examined", answers: person(60, 4, 10, backcoach.TrendSame, true), urgency: backcoach.UrgencySelfCare, reasons: none},
		{name: "60, 10 weeks, same, not examined", answers: person(60, 4, 10, backcoach.TrendSame, false), urgency: backcoach.UrgencySoon, reasons: []string{"age", "not_assessed", "not_improving"}},
		{name: "17, 1 week, examined", answers: person(17, 3, 1, backcoach.TrendSame, true), urgency: backcoach.UrgencySelfCare, reasons: none},
		{name: "17, 1 week, not examined", answers: person(17, 3, 1, backcoach.TrendSame, false), urgency: backcoach.UrgencySoon, reasons: []string{"age", "not_assessed"}},
		{name: "40, 2 weeks exactly, same, examined", answers: person(40, 5, 2, backcoach.TrendSame, true), urgency: backcoach.UrgencySelfCare, reasons: none},
		{name: "40, 2 weeks exactly, same, not examined", answers: person(40, 5, 2, backcoach.TrendSame, false), urgency: backcoach.UrgencySoon, reasons: []string{"not_assessed", "not_improving"}},
		{name: "40, 1.9 weeks, same, not examined", answers: person(40, 5, 1.9, backcoach.TrendSame, false), urgency: backcoach.UrgencySoon, reasons: []string{"not_assessed"}},
		{name: "70, a year, worse, examined", answers: person(70, 5, 52, backcoach.TrendWorse, true), urgency: backcoach.UrgencySoon, reasons: []string{"worsening"}},
		{name: "70, a year, pain 7, examined", answers: person(70, 7, 52, backcoach.TrendSame, true), urgency: backcoach.UrgencySoon, reasons: []string{"high_stage"}},
		{name: "70, a year, pain 6, examined", answers: person(70, 6, 52, backcoach.TrendSame, true), urgency: backcoach.UrgencySelfCare, reasons: none},
		{name: "examined, described high", answers: func() backcoach.Answers {
			a := person(30, 2, 0, backcoach.TrendBetter, true)
			a.StageDescription = backcoach.StageHigh
			return a
		}(), urgency: backcoach.UrgencySoon, reasons: []string{"high_stage"}},
		{name: "examined with a warning sign", answers: func() backcoach.Answers {
			a := person(60, 4, 10, backcoach.TrendSame, true)
			a.Flags = []string{"night_pain"}
			return a
		}(), urgency: backcoach.UrgencyUrgent, redFlags: []string{"night_pain"}, reasons: none},
	}
	for _, v := range cases {
		t.Run(v.name, func(t *testing.T) {
			r := v.check(t)
			for _, id := range r.Reasons {
				if !slices.Contains(r.Advice, reasonText(t, id)) && r.Urgency == backcoach.UrgencySoon {
					t.Errorf("advice lacks the %s text", id)
				}
			}
			if v.answers.ClinicianAssessed {
				for _, id := range []string{backcoach.ReasonNotAssessed, backcoach.ReasonAge, backcoach.ReasonNotImproving} {
					if slices.Contains(r.Advice, reasonText(t, id)) {
						t.Errorf("an examined person is given the %s text", id)
					}
				}
			}
		})
	}
}

// asksForACheckFirst finds advice that sends a person to be checked
// before anything else: never for someone who said they were examined.
func asksForACheckFirst(line string) bool {
	return checkWords.MatchString(line) && firstWords.MatchString(line)
}

var (
	checkWords = regexp.MustCompile(`(?i)\b(checked|check|examined|examine|assessed|assess|see a|GP|physiotherapist|doctor)\b`)
	firstWords = regexp.MustCompile(`(?i)\bfirst\b|at least once|\bbefore (you|starting|exercis)`)
)

// Every advice text Assess can put together for an examined person —
// every urgency, reason, flag, rule, combination, cause and clearance —
// never tells them to get checked first (docs/clinical.md §3).
func TestExaminedAdviceNeverAsksForACheckFirst(t *testing.T) {
	var flagSets [][]string
	flagSets = append(flagSets, []string{})
	for _, f := range Flags() {
		flagSets = append(flagSets, []string{f.ID})
	}
	for _, k := range content.Combinations {
		for _, id := range k.Any {
			flagSets = append(flagSets, append(slices.Clone(k.All), id))
		}
	}
	seen := map[string]bool{}
	results := 0
	for _, flags := range flagSets {
		for _, age := range []int{15, 40, 80} {
			for _, weeks := range []float64{0, 1.9, 2, 30} {
				for _, trend := range backcoach.Trends {
					for _, pain := range []int{0, 4, 7, 10} {
						for _, cleared := range [][]string{nil, {"cancer_history", "infection_risk", "recent_spine_surgery"}} {
							a := backcoach.Answers{Age: age, PainNow: pain, Weeks: weeks, Trend: trend, ClinicianAssessed: true,
								Flags: flags, Conditions: []backcoach.Condition{backcoach.ConditionOsteoporosis}, Causes: backcoach.Causes}
							r := AssessCleared(&a, cleared)
							results++
							for _, line := range r.Advice {
								seen[line] = true
								if asksForACheckFirst(line) {
									t.Fatalf("examined person (age %d, %v weeks, %s, pain %d, flags %v) is told %q", age, weeks, trend, pain, flags, line)
								}
							}
						}
					}
				}
			}
		}
	}
	// The grid reaches every urgency's advice, so a text added to a level
	// is checked too.
	for _, u := range backcoach.Urgencies {
		for _, line := range LevelOf(u).Lines() {
			if !seen[line] {
				t.Errorf("the grid never reached the %s line %q", u, line)
			}
		}
	}
	// And the not_assessed text, which examined people never see, is what
	// the pattern is for.
	if !asksForACheckFirst(reasonText(t, backcoach.ReasonNotAssessed)) {
		t.Error("the pattern does not catch the not_assessed text")
	}
	t.Logf("%d results, %d distinct advice lines", results, len(seen))
}

// osteoporotic_fracture: osteoporosis, pain that began less than 2 weeks
// ago and is 7 or more, with or without a fall (docs/clinical.md §3).
func TestOsteoporoticFractureRule(t *testing.T) {
	osteo := []backcoach.Condition{backcoach.ConditionOsteoporosis}
	person := func(conditions []backcoach.Condition, weeks float64, pain int, flags ...string) backcoach.Answers {
		return backcoach.Answers{Age: 68, PainNow: pain, Weeks: weeks, Trend: backcoach.TrendSame, ClinicianAssessed: true,
			Flags: orEmpty(flags), Conditions: conditions}
	}
	const rule = "osteoporotic_fracture"
	cases := []vignette{
		{name: "1 week, pain 8", answers: person(osteo, 1, 8), urgency: backcoach.UrgencyUrgent, redFlags: []string{rule}},
		{name: "today, pain 10", answers: person(osteo, 0, 10), urgency: backcoach.UrgencyUrgent, redFlags: []string{rule}},
		{name: "1.9 weeks, pain 7", answers: person(osteo, 1.9, 7), urgency: backcoach.UrgencyUrgent, redFlags: []string{rule}},
		{name: "2 weeks, pain 7", answers: person(osteo, 2, 7), urgency: backcoach.UrgencySoon, reasons: []string{"high_stage"}},
		{name: "1.9 weeks, pain 6", answers: person(osteo, 1.9, 6), urgency: backcoach.UrgencySelfCare, reasons: []string{}},
		{name: "no osteoporosis", answers: person(nil, 1, 9), urgency: backcoach.UrgencySoon, reasons: []string{"high_stage"}},
		{name: "other condition", answers: person([]backcoach.Condition{backcoach.ConditionPregnant}, 1, 9), urgency: backcoach.UrgencySoon},
		{name: "with a fall", answers: person(osteo, 1, 8, "fragility_injury"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"fragility_injury", rule}},
		{name: "with a fever, sorted", answers: person(osteo, 1, 8, "fever"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"fever", rule}},
		{name: "with chest pain", answers: person(osteo, 1, 8, "chest_pain"), urgency: backcoach.UrgencyEmergency, redFlags: []string{"chest_pain", rule}},
		{name: "not examined", answers: func() backcoach.Answers {
			a := person(osteo, 0.5, 7)
			a.ClinicianAssessed = false
			return a
		}(), urgency: backcoach.UrgencyUrgent, redFlags: []string{rule}},
		// A clearance covers history signs only, never a rule.
		{name: "rule id in cleared", answers: person(osteo, 1, 8), cleared: []string{rule}, urgency: backcoach.UrgencyUrgent, redFlags: []string{rule}},
	}
	r, ok := LookupRule(rule)
	if !ok {
		t.Fatal("no osteoporotic_fracture rule in the content")
	}
	for _, v := range cases {
		t.Run(v.name, func(t *testing.T) {
			res := v.check(t)
			fired := slices.Contains(res.RedFlags, rule)
			if fired != slices.Contains(res.Advice, r.Why) {
				t.Errorf("fired %v, but the advice explains it: %v", fired, !fired)
			}
			if fired && !slices.Contains(res.Sources, "Greenhalgh 2020") {
				t.Errorf("sources %v lack Greenhalgh 2020", res.Sources)
			}
			if fired && len(res.Advice) > 0 && strings.Contains(strings.Join(res.Advice, " "), LevelOf(backcoach.UrgencySelfCare).Advice[0]) {
				t.Error("self-care advice given with the rule fired")
			}
		})
	}
	// The result's JSON carries the rule id in red_flags, as the contract says.
	a := person(osteo, 1, 8)
	out, _ := json.Marshal(Assess(&a))
	if !strings.Contains(string(out), `"red_flags":["osteoporotic_fracture"]`) {
		t.Errorf("result %s", out)
	}
}

func TestLookupSign(t *testing.T) {
	s, ok := LookupSign("osteoporotic_fracture")
	r, _ := LookupRule("osteoporotic_fracture")
	if !ok || s.Urgency != backcoach.UrgencyUrgent || s.History || s.Words != r.Words || s.Why != r.Why || !slices.Equal(s.Sources, []string{"Greenhalgh 2020"}) {
		t.Errorf("rule sign %+v", s)
	}
	s, ok = LookupSign("infection_risk")
	if !ok || !s.History || s.Urgency != backcoach.UrgencyUrgent || !strings.Contains(s.Words, "immune") {
		t.Errorf("flag sign %+v", s)
	}
	for _, id := range []string{"", "headache", "infection_with_nerve_symptoms", "not_assessed"} {
		if _, ok := LookupSign(id); ok {
			t.Errorf("%q found as a sign", id)
		}
	}
}

// Fever or a raised infection risk with symptoms in one limb is an
// emergency (possible spinal infection pressing on nerves), and a
// clinician's clearance of the history sign does not undo that
// (docs/clinical.md §3).
func TestInfectionWithNerveSymptoms(t *testing.T) {
	person := func(flags ...string) backcoach.Answers {
		return backcoach.Answers{Age: 45, PainNow: 4, Weeks: 1, Trend: backcoach.TrendSame, ClinicianAssessed: true, Flags: orEmpty(flags)}
	}
	all := []string{"cancer_history", "infection_risk", "recent_spine_surgery"}
	cases := []vignette{
		{name: "fever and one limb", answers: person("fever", "limb_symptoms"), urgency: backcoach.UrgencyEmergency, redFlags: []string{"fever", "limb_symptoms"}},
		{name: "infection risk and one limb", answers: person("infection_risk", "limb_symptoms"), urgency: backcoach.UrgencyEmergency, redFlags: []string{"infection_risk", "limb_symptoms"}},
		{name: "fever, infection risk and one limb", answers: person("fever", "infection_risk", "limb_symptoms"), urgency: backcoach.UrgencyEmergency, redFlags: []string{"fever", "infection_risk", "limb_symptoms"}},
		{name: "fever alone", answers: person("fever"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"fever"}},
		{name: "infection risk alone", answers: person("infection_risk"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"infection_risk"}},
		{name: "one limb alone", answers: person("limb_symptoms"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"limb_symptoms"}},
		{name: "fever and infection risk", answers: person("fever", "infection_risk"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"fever", "infection_risk"}},
		{name: "fever and night pain", answers: person("fever", "night_pain"), urgency: backcoach.UrgencyUrgent, redFlags: []string{"fever", "night_pain"}},
		{name: "cleared infection risk alone", answers: person("infection_risk"), cleared: all, urgency: backcoach.UrgencySoon,
			reasons: []string{"clinician_cleared"}, clearedTo: []string{"infection_risk"}},
		{name: "cleared infection risk and one limb", answers: person("infection_risk", "limb_symptoms"), cleared: []string{"infection_risk"},
			urgency: backcoach.UrgencyEmergency, redFlags: []string{"limb_symptoms"}, clearedTo: []string{"infection_risk"}},
		{name: "cleared cancer and one limb", answers: person("cancer_history", "limb_symptoms"), cleared: []string{"cancer_history"},
			urgency: backcoach.UrgencyEmergency, redFlags: []string{"limb_symptoms"}, clearedTo: []string{"cancer_history"}},
		{name: "cleared cancer and both legs", answers: person("cancer_history", "both_legs"), cleared: all,
			urgency: backcoach.UrgencyEmergency, redFlags: []string{"both_legs"}, clearedTo: []string{"cancer_history"}},
		{name: "cleared cancer and fever", answers: person("cancer_history", "fever"), cleared: all,
			urgency: backcoach.UrgencyUrgent, redFlags: []string{"fever"}, clearedTo: []string{"cancer_history"}},
		// Clearing a sign that is not from the history changes nothing.
		{name: "limb symptoms in cleared", answers: person("fever", "limb_symptoms"), cleared: []string{"limb_symptoms", "fever"},
			urgency: backcoach.UrgencyEmergency, redFlags: []string{"fever", "limb_symptoms"}},
	}
	var combo Combination
	for _, k := range content.Combinations {
		if k.ID == "infection_with_nerve_symptoms" {
			combo = k
		}
	}
	if combo.ID == "" {
		t.Fatal("no infection_with_nerve_symptoms combination")
	}
	for _, v := range cases {
		t.Run(v.name, func(t *testing.T) {
			r := v.check(t)
			wantWhy := combo.matches(&v.answers)
			if slices.Contains(r.Advice, combo.Why) != wantWhy {
				t.Errorf("advice explains the combination: %v, want %v", !wantWhy, wantWhy)
			}
			if wantWhy && !slices.Contains(r.Sources, "Greenhalgh 2020") {
				t.Errorf("sources %v", r.Sources)
			}
		})
	}
}

// The emergency screen ends with what to do now, not with the disclaimer;
// every other level keeps the disclaimer (docs/clinical.md §3).
func TestEmergencyEndsWithWhatToDo(t *testing.T) {
	level := LevelOf(backcoach.UrgencyEmergency)
	if ShowDisclaimer(backcoach.UrgencyEmergency) || level.Disclaimer {
		t.Error("the emergency screen shows the disclaimer")
	}
	for _, u := range []backcoach.Urgency{backcoach.UrgencyUrgent, backcoach.UrgencySoon, backcoach.UrgencySelfCare} {
		if !ShowDisclaimer(u) {
			t.Errorf("the %s screen lacks the disclaimer", u)
		}
	}
	if len(level.Last) == 0 {
		t.Fatal("the emergency level has no last line")
	}
	last := level.Last[len(level.Last)-1]
	if !strings.Contains(strings.ToLower(last), "call") {
		t.Errorf("the last line %q does not say to call", last)
	}
	if lines := level.Lines(); lines[len(lines)-1] != last || lines[0] != level.Advice[0] {
		t.Errorf("Lines %v", lines)
	}
	for _, flags := range [][]string{{"chest_pain"}, {"both_legs", "fever", "night_pain"}, {"cancer_history", "limb_symptoms"}, {"fever", "limb_symptoms"}} {
		a := calm()
		a.Flags = flags
		a.Causes = backcoach.Causes
		r := Assess(&a)
		if r.Urgency != backcoach.UrgencyEmergency {
			t.Fatalf("%v: urgency %s", flags, r.Urgency)
		}
		if r.Advice[0] != level.Advice[0] || r.Advice[len(r.Advice)-1] != last {
			t.Errorf("%v: advice runs %q … %q, want %q … %q", flags, r.Advice[0], r.Advice[len(r.Advice)-1], level.Advice[0], last)
		}
		if slices.Contains(r.Advice, Disclaimer()) {
			t.Errorf("%v: the disclaimer is part of the advice", flags)
		}
	}
	// Other levels do not end with the emergency's line.
	a := calm()
	a.Flags = []string{"fever"}
	if r := Assess(&a); slices.Contains(r.Advice, last) {
		t.Errorf("urgent advice says %q", last)
	}
}

// A check-in asks the emergency and urgent signs that can newly appear, in
// asking order, and never a history sign (docs/clinical.md §6).
func TestCheckInFlags(t *testing.T) {
	got := CheckInFlags()
	var want []string
	for _, f := range Flags() {
		if !slices.Contains([]string{"cancer_history", "infection_risk", "recent_spine_surgery"}, f.ID) {
			want = append(want, f.ID)
		}
	}
	var ids []string
	for _, f := range got {
		ids = append(ids, f.ID)
		if f.History {
			t.Errorf("history sign %s asked at a check-in", f.ID)
		}
	}
	if !slices.Equal(ids, want) {
		t.Errorf("check-in flags %v, want %v", ids, want)
	}
	if len(ids) != len(clinicalFlags)-3 {
		t.Errorf("%d check-in flags, want %d", len(ids), len(clinicalFlags)-3)
	}
	for _, id := range []string{"fever", "night_pain", "limb_symptoms", "bladder_bowel", "chest_pain"} {
		if !slices.Contains(ids, id) {
			t.Errorf("%s is not asked at a check-in", id)
		}
	}
	// The list is a copy.
	got[0].ID = "changed"
	if CheckInFlags()[0].ID == "changed" {
		t.Error("CheckInFlags hands out the content itself")
	}
}

func TestHistoryChangeQuestion(t *testing.T) {
	topic := func(id string) string { f, _ := LookupFlag(id); return f.Topic }
	cases := []struct {
		ids  []string
		want string
	}{
		{nil, ""},
		{[]string{}, ""},
		{[]string{"fever", "limb_symptoms", "headache"}, ""},
		{[]string{"cancer_history"}, "Has anything changed about " + topic("cancer_history") + " since your assessment?"},
		{[]string{"fever", "recent_spine_surgery"}, "Has anything changed about " + topic("recent_spine_surgery") + " since your assessment?"},
		{[]string{"recent_spine_surgery", "cancer_history"}, "Has anything changed about " + topic("cancer_history") + " or " + topic("recent_spine_surgery") + " since your assessment?"},
		{[]string{"recent_spine_surgery", "infection_risk", "cancer_history"}, "Has anything changed about " + topic("cancer_history") + ", " + topic("infection_risk") + " or " + topic("recent_spine_surgery") + " since your assessment?"},
	}
	for _, tc := range cases {
		if got := HistoryChangeQuestion(tc.ids); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.ids, got, tc.want)
		}
	}
	for _, f := range Flags() {
		if f.History && (f.Topic == "" || strings.Contains(f.Topic, "{")) {
			t.Errorf("history sign %s has topic %q", f.ID, f.Topic)
		}
	}
}

// The content check rejects each kind of broken content.
func TestParseContentRejects(t *testing.T) {
	if _, err := parseContent(contentJSON); err != nil {
		t.Fatalf("the content itself: %v", err)
	}
	type doc = map[string]any
	list := func(d doc, key string) []any { return d[key].([]any) }
	item := func(d doc, key, id string) doc {
		for _, v := range list(d, key) {
			if v.(doc)["id"] == id {
				return v.(doc)
			}
		}
		t.Fatalf("no %s %q", key, id)
		return nil
	}
	cases := []struct {
		name   string
		change func(d doc)
		want   string
	}{
		{"unknown flag in a combination", func(d doc) {
			item(d, "combinations", "infection_with_nerve_symptoms")["any"] = []any{"fever", "sweats"}
		}, `unknown flag "sweats"`},
		{"combination of one flag", func(d doc) {
			k := item(d, "combinations", "infection_with_nerve_symptoms")
			k["any"] = []any{}
		}, "at least two flags"},
		{"combination with only any", func(d doc) {
			k := item(d, "combinations", "infection_with_nerve_symptoms")
			k["all"] = []any{}
		}, "needs a flag in all"},
		{"combination without why", func(d doc) { item(d, "combinations", "infection_with_nerve_symptoms")["why"] = "" }, "why and sources"},
		{"combination without sources", func(d doc) { item(d, "combinations", "cancer_with_nerve_symptoms")["sources"] = []any{} }, "why and sources"},
		{"combination of urgency soon", func(d doc) { item(d, "combinations", "infection_with_nerve_symptoms")["urgency"] = "soon" }, "emergency or urgent"},
		{"combination twice", func(d doc) {
			d["combinations"] = append(list(d, "combinations"), item(d, "combinations", "cancer_with_nerve_symptoms"))
		}, "listed twice"},
		{"unknown rule", func(d doc) { item(d, "rules", "osteoporotic_fracture")["id"] = "broken_wrist" }, `unknown rule; known: osteoporotic_fracture`},
		{"rule without texts", func(d doc) { d["rules"] = []any{} }, `rule "osteoporotic_fracture" has no texts`},
		{"rule named as a flag", func(d doc) {
			d["rules"] = append(list(d, "rules"), doc{"id": "fever", "urgency": "urgent", "words": "x", "why": "y", "sources": []any{"NHS: Back pain"}})
		}, "a flag's"},
		{"rule twice", func(d doc) {
			d["rules"] = append(list(d, "rules"), item(d, "rules", "osteoporotic_fracture"))
		}, "listed twice"},
		{"rule without words", func(d doc) { item(d, "rules", "osteoporotic_fracture")["words"] = "" }, "words, why and sources"},
		{"rule without why", func(d doc) { delete(item(d, "rules", "osteoporotic_fracture"), "why") }, "words, why and sources"},
		{"rule without sources", func(d doc) { item(d, "rules", "osteoporotic_fracture")["sources"] = []any{} }, "words, why and sources"},
		{"rule of urgency soon", func(d doc) { item(d, "rules", "osteoporotic_fracture")["urgency"] = "soon" }, "emergency or urgent"},
		{"unknown rule field", func(d doc) { item(d, "rules", "osteoporotic_fracture")["when"] = "weeks < 2" }, "unknown field"},
		{"history sign without topic", func(d doc) { delete(item(d, "flags", "infection_risk"), "topic") }, `flag "infection_risk": a topic`},
		{"topic on a sign that can newly appear", func(d doc) { item(d, "flags", "fever")["topic"] = "your fever" }, `flag "fever": a topic`},
		{"flag without why", func(d doc) { item(d, "flags", "fever")["why"] = "" }, "question, why and sources"},
		{"history question without topics", func(d doc) {
			d["check_in"] = doc{"history_change": "Has anything changed?"}
		}, "check_in.history_change"},
		{"no check-in texts", func(d doc) { delete(d, "check_in") }, "check_in.history_change"},
		{"empty last line", func(d doc) {
			d["urgency"].(doc)["emergency"].(doc)["last"] = []any{""}
		}, `urgency "emergency"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			if err := json.Unmarshal(contentJSON, &d); err != nil {
				t.Fatal(err)
			}
			tc.change(d)
			data, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			_, err = parseContent(data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
