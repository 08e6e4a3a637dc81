// Package triage turns a person's Answers into a Result: the pain stage, the
// red flags that fired, the urgency with its advice and sources, and whether
// exercise is allowed (clinical.md §2–3). It is pure: no I/O, no clock.
package triage

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
)

//go:embed content.json
var contentJSON []byte

// Flag is one warning sign the assessment asks about.
type Flag struct {
	ID       string            `json:"id"`
	Urgency  backcoach.Urgency `json:"urgency"`
	Question string            `json:"question"`
	Why      string            `json:"why"`
	Sources  []string          `json:"sources"`
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

// Reason explains one of the reasons for a "soon" urgency.
type Reason struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Sources []string `json:"sources"`
}

// Level is what is said for an urgency level.
type Level struct {
	Title   string   `json:"title"`
	Advice  []string `json:"advice"`
	Sources []string `json:"sources"`
}

// Content is the text of the assessment: questions, advice and sources.
// It is data (content.json), read once; every interface asks from it.
type Content struct {
	Disclaimer   string                      `json:"disclaimer"`
	Flags        []Flag                      `json:"flags"`
	Combinations []Combination               `json:"combinations"`
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
	for _, f := range c.Flags {
		if seen[f.ID] {
			return nil, fmt.Errorf("flag %q listed twice", f.ID)
		}
		seen[f.ID] = true
		if f.Urgency != backcoach.UrgencyEmergency && f.Urgency != backcoach.UrgencyUrgent {
			return nil, fmt.Errorf("flag %q: urgency must be emergency or urgent", f.ID)
		}
		if f.Question == "" || f.Why == "" || len(f.Sources) == 0 {
			return nil, fmt.Errorf("flag %q: question, why and sources are required", f.ID)
		}
	}
	for _, k := range c.Combinations {
		for _, id := range append(slices.Clone(k.All), k.Any...) {
			if !seen[id] {
				return nil, fmt.Errorf("combination %q: unknown flag %q", k.ID, id)
			}
		}
	}
	for _, u := range backcoach.Urgencies {
		if l, ok := c.Urgency[u]; !ok || l.Title == "" || len(l.Advice) == 0 {
			return nil, fmt.Errorf("urgency %q has no title or advice", u)
		}
	}
	if err := c.fillStopRule(); err != nil {
		return nil, err
	}
	for _, id := range []string{backcoach.ReasonNotAssessed, backcoach.ReasonAge, backcoach.ReasonNotImproving, backcoach.ReasonWorsening, backcoach.ReasonHighStage} {
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

// Level returns what is said for an urgency.
func LevelOf(u backcoach.Urgency) Level { return content.Urgency[u] }

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
	if !a.ClinicianAssessed {
		r = append(r, backcoach.ReasonNotAssessed)
	}
	if a.Age < youngestWithoutReason || a.Age > oldestWithoutReason {
		r = append(r, backcoach.ReasonAge)
	}
	if a.Weeks >= notImprovingWeeks && a.Trend != backcoach.TrendBetter {
		r = append(r, backcoach.ReasonNotImproving)
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
func Assess(a *backcoach.Answers) backcoach.Result {
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
		if a.HasFlag(f.ID) {
			res.RedFlags = append(res.RedFlags, f.ID)
			raise(f.Urgency, f.Sources)
			why = append(why, f.Why)
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
