// Package triage turns a person's Answers into a Result: the pain stage, the
// red flags that fired, the urgency with its advice and sources, and whether
// exercise is allowed (docs/clinical.md §2–§3). It is pure: no I/O, no clock.
package triage

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

//go:embed content.json
var contentJSON []byte

// Flag is one warning sign the assessment asks about.
type Flag struct {
	ID      string            `json:"id"`
	Urgency backcoach.Urgency `json:"urgency"`
	// History marks a sign from the person's history that cannot go
	// away (cancer, a weakened immune system, recent spine surgery):
	// asked at the assessment and kept, not asked at every check-in, and
	// once a clinician has cleared it no longer a bar to exercise
	// (docs/clinical.md §3).
	History bool `json:"history,omitempty"`
	// Topic names a history sign inside the check-in's question "has
	// anything changed about …?" (docs/clinical.md §6); history signs only.
	Topic    string   `json:"topic,omitempty"`
	Question string   `json:"question"`
	Why      string   `json:"why"`
	Sources  []string `json:"sources"`
}

// Combination raises the urgency when several answers come together.
type Combination struct {
	ID      string            `json:"id"`
	All     []string          `json:"all"`
	Any     []string          `json:"any"`
	Urgency backcoach.Urgency `json:"urgency"`
	Why     string            `json:"why"`
	Sources []string          `json:"sources"`
}

// Rule is a warning sign that no question asks: it fires on the other
// answers (docs/clinical.md §3). Its texts are data; the condition is the
// Go function of the same id in ruleConditions. Its id stands in the
// result's red flags, like a flag answered yes.
type Rule struct {
	ID      string            `json:"id"`
	Urgency backcoach.Urgency `json:"urgency"`
	// Words says what the rule found, for the person and a clinician.
	Words   string   `json:"words"`
	Why     string   `json:"why"`
	Sources []string `json:"sources"`
}

// CheckIn holds the texts of the daily check-in (docs/clinical.md §6).
type CheckIn struct {
	// HistoryChange asks whether the history signs a person has changed;
	// "{topics}" stands for their topics.
	HistoryChange string `json:"history_change"`
	// Changed is the sign a "yes" to that question records: it stands
	// like a new warning sign until a clinician checks the person again.
	Changed Rule `json:"changed"`
}

// Reason explains one of the reasons for a "soon" urgency.
type Reason struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Sources []string `json:"sources"`
}

// Level is what is said for an urgency level.
type Level struct {
	Title string `json:"title"`
	// Disclaimer says whether a screen of this level carries the
	// disclaimer line. The emergency screen does not: it ends with what
	// to do now (docs/clinical.md §3).
	Disclaimer bool `json:"disclaimer"`
	// Advice comes first, before the reasons for the level.
	Advice []string `json:"advice"`
	// Last is said after everything else, so that the screen ends with
	// what to do now.
	Last    []string `json:"last,omitempty"`
	Sources []string `json:"sources"`
}

// Lines returns what the level says without reasons: its advice, then its
// last lines.
func (l Level) Lines() []string { return append(slices.Clone(l.Advice), l.Last...) }

// Content is the text of the assessment: questions, advice and sources.
// It is data (content.json), read once; every interface asks from it.
type Content struct {
	Disclaimer   string                      `json:"disclaimer"`
	Flags        []Flag                      `json:"flags"`
	Combinations []Combination               `json:"combinations"`
	Rules        []Rule                      `json:"rules"`
	CheckIn      CheckIn                     `json:"check_in"`
	Reasons      []Reason                    `json:"reasons"`
	Urgency      map[backcoach.Urgency]Level `json:"urgency"`
	Causes       map[backcoach.Cause]string  `json:"causes"`
	Prevention   []string                    `json:"prevention"`
}

var content = mustParseContent(contentJSON)

func mustParseContent(data []byte) *Content {
	c, err := parseContent(data)
	if err != nil {
		panic("triage: content.json: " + err.Error())
	}
	return c
}

// stopRuleLine stands, as a whole advice line, for the usual rule of when
// to stop an exercise, which lives once in the catalog's pain rules
// (docs/clinical.md §5).
const stopRuleLine = "{stop_rule}"

// fillStopRule puts the usual stop rule in place of its stand-in.
func (c *Content) fillStopRule() error {
	rule, err := catalog.UsualStopRule()
	if err != nil {
		return err
	}
	for u, l := range c.Urgency {
		for i, a := range l.Advice {
			if a == stopRuleLine {
				l.Advice[i] = rule.Summary
			}
		}
		c.Urgency[u] = l
	}
	return nil
}

// parseContent reads and checks the content file.
func parseContent(data []byte) (*Content, error) {
	var c Content
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	histories := 0
	for _, f := range c.Flags {
		if f.ID == "" {
			return nil, fmt.Errorf("a flag has no id")
		}
		if seen[f.ID] {
			return nil, fmt.Errorf("flag %q listed twice", f.ID)
		}
		seen[f.ID] = true
		if !blocking(f.Urgency) {
			return nil, fmt.Errorf("flag %q: urgency must be emergency or urgent", f.ID)
		}
		if f.Question == "" || f.Why == "" || len(f.Sources) == 0 {
			return nil, fmt.Errorf("flag %q: question, why and sources are required", f.ID)
		}
		if f.History != (f.Topic != "") {
			return nil, fmt.Errorf("flag %q: a topic is required for a history sign, and only for one", f.ID)
		}
		if f.History {
			histories++
		}
	}
	combos := map[string]bool{}
	for _, k := range c.Combinations {
		if k.ID == "" || combos[k.ID] {
			return nil, fmt.Errorf("combination %q: the id is missing or listed twice", k.ID)
		}
		combos[k.ID] = true
		if len(k.All) == 0 || len(k.All)+len(k.Any) < 2 {
			return nil, fmt.Errorf("combination %q: needs a flag in all and at least two flags in all and any together", k.ID)
		}
		for _, id := range append(slices.Clone(k.All), k.Any...) {
			if !seen[id] {
				return nil, fmt.Errorf("combination %q: unknown flag %q", k.ID, id)
			}
		}
		if !blocking(k.Urgency) {
			return nil, fmt.Errorf("combination %q: urgency must be emergency or urgent", k.ID)
		}
		if k.Why == "" || len(k.Sources) == 0 {
			return nil, fmt.Errorf("combination %q: why and sources are required", k.ID)
		}
	}
	for _, r := range c.Rules {
		if seen[r.ID] {
			return nil, fmt.Errorf("rule %q: the id is listed twice or is a flag's", r.ID)
		}
		seen[r.ID] = true
		if ruleConditions[r.ID] == nil {
			return nil, fmt.Errorf("rule %q: unknown rule; known: %s", r.ID, strings.Join(slices.Sorted(maps.Keys(ruleConditions)), ", "))
		}
		if !blocking(r.Urgency) {
			return nil, fmt.Errorf("rule %q: urgency must be emergency or urgent", r.ID)
		}
		if r.Words == "" || r.Why == "" || len(r.Sources) == 0 {
			return nil, fmt.Errorf("rule %q: words, why and sources are required", r.ID)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(ruleConditions)) {
		if !slices.ContainsFunc(c.Rules, func(r Rule) bool { return r.ID == id }) {
			return nil, fmt.Errorf("rule %q has no texts", id)
		}
	}
	if histories > 0 && strings.Count(c.CheckIn.HistoryChange, topicsMark) != 1 {
		return nil, fmt.Errorf("check_in.history_change must hold %s once, got %q", topicsMark, c.CheckIn.HistoryChange)
	}
	if ch := c.CheckIn.Changed; histories > 0 && (ch.ID == "" || seen[ch.ID] || !blocking(ch.Urgency) || ch.Words == "" || ch.Why == "" || len(ch.Sources) == 0) {
		return nil, fmt.Errorf("check_in.changed must be a sign of its own (id, urgency emergency or urgent, words, why, sources), got %+v", ch)
	}
	for _, u := range backcoach.Urgencies {
		if l, ok := c.Urgency[u]; !ok || l.Title == "" || len(l.Advice) == 0 || slices.Contains(l.Last, "") {
			return nil, fmt.Errorf("urgency %q has no title or advice, or an empty line", u)
		}
	}
	if err := c.fillStopRule(); err != nil {
		return nil, err
	}
	for _, id := range []string{backcoach.ReasonNotAssessed, backcoach.ReasonAge, backcoach.ReasonNotImproving, backcoach.ReasonWorsening, backcoach.ReasonHighStage, backcoach.ReasonClinicianCleared} {
		if _, ok := c.reason(id); !ok {
			return nil, fmt.Errorf("reason %q has no text", id)
		}
	}
	for _, cause := range backcoach.Causes {
		if c.Causes[cause] == "" {
			return nil, fmt.Errorf("cause %q has no advice", cause)
		}
	}
	return &c, nil
}

// blocking reports whether an urgency rules exercise out: the urgencies a
// warning sign may have.
func blocking(u backcoach.Urgency) bool {
	return u == backcoach.UrgencyEmergency || u == backcoach.UrgencyUrgent
}

func (c *Content) reason(id string) (Reason, bool) {
	for _, r := range c.Reasons {
		if r.ID == id {
			return r, true
		}
	}
	return Reason{}, false
}

// Texts returns the assessment's content: the questions in the order they
// are asked (emergency signs first), the advice and the sources cited.
func Texts() *Content { return content }

// Disclaimer is the line every screen that gives advice carries.
func Disclaimer() string { return content.Disclaimer }

// Flags returns the warning signs, emergency ones first, in asking order.
func Flags() []Flag { return slices.Clone(content.Flags) }

// FlagsAt returns the warning signs of one urgency level.
func FlagsAt(u backcoach.Urgency) []Flag {
	var out []Flag
	for _, f := range content.Flags {
		if f.Urgency == u {
			out = append(out, f)
		}
	}
	return out
}

// LookupFlag returns the flag with the id.
func LookupFlag(id string) (Flag, bool) {
	for _, f := range content.Flags {
		if f.ID == id {
			return f, true
		}
	}
	return Flag{}, false
}

// FlagIDs returns every flag id, in asking order.
func FlagIDs() []string {
	ids := make([]string, len(content.Flags))
	for i, f := range content.Flags {
		ids[i] = f.ID
	}
	return ids
}

// LevelOf returns what is said for an urgency.
func LevelOf(u backcoach.Urgency) Level { return content.Urgency[u] }

// ShowDisclaimer reports whether a screen of the urgency carries the
// disclaimer line: every one but the emergency screen, which ends with
// what to do now (docs/clinical.md §3).
func ShowDisclaimer(u backcoach.Urgency) bool { return content.Urgency[u].Disclaimer }

// NRSStage is the stage of a 0–10 pain rating: 0 none, 1–3 mild, 4–6
// moderate, 7–10 high (Gerbershagen 2011, Jensen 2003).
func NRSStage(pain int) backcoach.Stage {
	switch {
	case pain <= 0:
		return backcoach.StageNone
	case pain <= 3:
		return backcoach.StageMild
	case pain <= 6:
		return backcoach.StageModerate
	default:
		return backcoach.StageHigh
	}
}

// StageOf combines the rating and the person's own description: the higher
// stage wins.
func StageOf(a *backcoach.Answers) backcoach.Stage {
	s := NRSStage(a.PainNow)
	if a.StageDescription.Rank() > s.Rank() {
		s = a.StageDescription
	}
	return s
}

// Age limits of the "soon" age reason: onset before 20 or after 55.
const (
	youngestWithoutReason = 20
	oldestWithoutReason   = 55
)

// notImprovingWeeks is how long pain may last without improving before a
// GP should see it (NHS).
const notImprovingWeeks = 2

// Reasons returns the ids of the "soon" reasons that apply, sorted.
func Reasons(a *backcoach.Answers, stage backcoach.Stage) []string {
	r := []string{}
	// Age and duration only make the first check by a GP or physiotherapist
	// more pressing: once a clinician has examined this pain they no longer
	// hold the person at "soon" (docs/clinical.md §3).
	if !a.ClinicianAssessed {
		r = append(r, backcoach.ReasonNotAssessed)
		if a.Age < youngestWithoutReason || a.Age > oldestWithoutReason {
			r = append(r, backcoach.ReasonAge)
		}
		if a.Weeks >= notImprovingWeeks && a.Trend != backcoach.TrendBetter {
			r = append(r, backcoach.ReasonNotImproving)
		}
	}
	if a.Trend == backcoach.TrendWorse {
		r = append(r, backcoach.ReasonWorsening)
	}
	if stage == backcoach.StageHigh {
		r = append(r, backcoach.ReasonHighStage)
	}
	sort.Strings(r)
	return r
}

// Assess turns valid Answers into a Result. The answers must have passed
// Validate; Assess itself never fails.
func Assess(a *backcoach.Answers) backcoach.Result { return AssessCleared(a, nil) }

// AssessCleared is Assess for a person whose safety record holds
// clearances: the history signs in cleared (a clinician checked them and
// said the person may exercise) no longer bar exercise on their own. They
// are listed in the result's ClearedFlags, not its RedFlags, and hold the
// urgency at "soon" at least, with the clinician_cleared reason; they
// still count in the combinations, so a cleared cancer history with new
// limb symptoms is still an emergency (docs/clinical.md §3). Signs that
// are not history signs are never cleared by this.
func AssessCleared(a *backcoach.Answers, cleared []string) backcoach.Result {
	stage := StageOf(a)
	res := backcoach.Result{
		Urgency:  backcoach.UrgencySelfCare,
		Stage:    stage,
		RedFlags: []string{},
		Reasons:  Reasons(a, stage),
		Advice:   []string{},
	}
	var sources []string
	raise := func(u backcoach.Urgency, srcs []string) {
		if u.Rank() > res.Urgency.Rank() {
			res.Urgency = u
		}
		sources = append(sources, srcs...)
	}
	var why []string
	for _, f := range content.Flags {
		if a.HasFlag(f.ID) && f.History && slices.Contains(cleared, f.ID) {
			res.ClearedFlags = append(res.ClearedFlags, f.ID)
			if !slices.Contains(res.Reasons, backcoach.ReasonClinicianCleared) {
				res.Reasons = append(res.Reasons, backcoach.ReasonClinicianCleared)
				sort.Strings(res.Reasons)
			}
			continue
		}
		if a.HasFlag(f.ID) {
			res.RedFlags = append(res.RedFlags, f.ID)
			raise(f.Urgency, f.Sources)
			why = append(why, f.Why)
		}
	}
	for _, rule := range content.Rules {
		if ruleConditions[rule.ID](a) {
			res.RedFlags = append(res.RedFlags, rule.ID)
			raise(rule.Urgency, rule.Sources)
			why = append(why, rule.Why)
		}
	}
	for _, k := range content.Combinations {
		if k.matches(a) {
			raise(k.Urgency, k.Sources)
			why = append(why, k.Why)
		}
	}
	sort.Strings(res.RedFlags)
	if res.Urgency == backcoach.UrgencySelfCare && len(res.Reasons) > 0 {
		res.Urgency = backcoach.UrgencySoon
	}
	res.ExerciseAllowed = res.Urgency.ExerciseAllowed()
	level := content.Urgency[res.Urgency]
	res.Advice = append(res.Advice, level.Advice...)
	sources = append(sources, level.Sources...)
	res.Advice = append(res.Advice, why...)
	if res.Urgency == backcoach.UrgencySoon {
		for _, id := range res.Reasons {
			r, _ := content.reason(id)
			res.Advice = append(res.Advice, r.Text)
			sources = append(sources, r.Sources...)
		}
	}
	if res.ExerciseAllowed {
		for _, c := range a.Causes {
			res.Advice = append(res.Advice, content.Causes[c])
		}
	}
	// What to do now comes last as well as first (the emergency screen
	// ends with it, docs/clinical.md §3).
	res.Advice = append(res.Advice, level.Last...)
	if a.PEG != nil {
		score := a.PEG.Score()
		res.PEGScore = &score
		sources = append(sources, "Krebs 2009 (PEG)")
	}
	res.Sources = dedupeSorted(sources)
	return res
}

func (k Combination) matches(a *backcoach.Answers) bool {
	for _, id := range k.All {
		if !a.HasFlag(id) {
			return false
		}
	}
	if len(k.Any) == 0 {
		return true
	}
	return slices.ContainsFunc(k.Any, a.HasFlag)
}

func dedupeSorted(list []string) []string {
	out := slices.Clone(list)
	sort.Strings(out)
	return slices.Compact(out)
}
