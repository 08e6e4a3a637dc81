package learn

import (
	"fmt"
	"maps"
	"slices"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// derivers build a topic's lists from data that lives elsewhere, so that
// no clinical sentence is written twice (docs/clinical.md §2–§4). Each
// fills groups that topics.json names by id.
var derivers = map[string]func(*Topic) error{
	"stages":     deriveStages,
	"causes":     deriveCauses,
	"prevention": derivePrevention,
	"doctor":     deriveDoctor,
}

func deriveNames() []string { return slices.Sorted(maps.Keys(derivers)) }

// group returns the topic's group with the id.
func (t *Topic) group(id string) (*Group, error) {
	for i := range t.Groups {
		if t.Groups[i].ID == id {
			return &t.Groups[i], nil
		}
	}
	return nil, fmt.Errorf("needs a group %q for the derived list", id)
}

// reason returns the text and sources of a reason for the "soon" urgency.
func reason(id string) (triage.Reason, error) {
	for _, r := range triage.Texts().Reasons {
		if r.ID == id {
			return r, nil
		}
	}
	return triage.Reason{}, fmt.Errorf("reason %q is not in the triage content", id)
}

// deriveStages heads each stage's group with the stage's words from the
// assessment's questions (docs/clinical.md §2), and adds to the high
// stage the advice the assessment gives for it.
func deriveStages(t *Topic) error {
	q := triage.Ask("stage_description")
	want := q.ChoiceIDs()
	var got []string
	for _, g := range t.Groups {
		got = append(got, g.ID)
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("groups must be the stages %v in order, got %v", want, got)
	}
	for i := range t.Groups {
		g := &t.Groups[i]
		o, _ := q.Option(g.ID)
		g.Heading, g.Lead = o.Label, o.Help
	}
	high, err := t.group(string(backcoach.StageHigh))
	if err != nil {
		return err
	}
	r, err := reason(backcoach.ReasonHighStage)
	if err != nil {
		return err
	}
	high.Items = append(high.Items, Item{Label: "Also", Text: r.Text})
	t.Sources = append(t.Sources, r.Sources...)
	return nil
}

// deriveCauses lists every cause the assessment offers with its advice
// (docs/clinical.md §4).
func deriveCauses(t *Topic) error {
	g, err := t.group("all")
	if err != nil {
		return err
	}
	g.Items = causeItems(backcoach.Causes)
	if len(g.Items) != len(backcoach.Causes) {
		return fmt.Errorf("every cause needs advice in the triage content")
	}
	if t.Yours == nil {
		return fmt.Errorf("needs yours: the words around the person's own causes")
	}
	return nil
}

// derivePrevention lists the general prevention advice of the triage
// content (docs/clinical.md §4).
func derivePrevention(t *Topic) error {
	g, err := t.group("in-short")
	if err != nil {
		return err
	}
	for _, p := range triage.Texts().Prevention {
		g.Items = append(g.Items, Item{Text: p})
	}
	if len(g.Items) == 0 {
		return fmt.Errorf("the triage content has no prevention advice")
	}
	return nil
}

// soonReasons are the reasons for the "soon" urgency that say when to
// book a GP (docs/clinical.md §3.5); clinician_cleared is left out, as it
// follows a clinician's check rather than calling for one.
var soonReasons = []string{
	backcoach.ReasonNotAssessed, backcoach.ReasonAge, backcoach.ReasonNotImproving,
	backcoach.ReasonWorsening, backcoach.ReasonHighStage,
}

// deriveDoctor lists the warning signs under what their urgency says to
// do, and the reasons to book a GP (docs/clinical.md §3): the headings
// are the urgency levels' titles, the leads their first advice, and the
// items the signs' and rules' own explanations.
func deriveDoctor(t *Topic) error {
	for _, u := range []backcoach.Urgency{backcoach.UrgencyEmergency, backcoach.UrgencyUrgent, backcoach.UrgencySoon} {
		g, err := t.group(string(u))
		if err != nil {
			return err
		}
		lvl := triage.LevelOf(u)
		if lvl.Title == "" || len(lvl.Advice) == 0 {
			return fmt.Errorf("the triage content has no words for the urgency %q", u)
		}
		g.Heading, g.Lead = lvl.Title, lvl.Advice[0]
		t.Sources = append(t.Sources, lvl.Sources...)
		for _, f := range triage.FlagsAt(u) {
			g.Items = append(g.Items, Item{Text: f.Why})
			t.Sources = append(t.Sources, f.Sources...)
		}
		for _, c := range triage.Texts().Combinations {
			if c.Urgency == u {
				g.Items = append(g.Items, Item{Text: c.Why})
				t.Sources = append(t.Sources, c.Sources...)
			}
		}
		for _, r := range triage.Rules() {
			if r.Urgency == u {
				g.Items = append(g.Items, Item{Text: r.Why})
				t.Sources = append(t.Sources, r.Sources...)
			}
		}
	}
	soon, _ := t.group(string(backcoach.UrgencySoon))
	for _, id := range soonReasons {
		r, err := reason(id)
		if err != nil {
			return err
		}
		soon.Items = append(soon.Items, Item{Text: r.Text})
		t.Sources = append(t.Sources, r.Sources...)
	}
	return nil
}
