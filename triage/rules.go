package triage

import "github.com/backcoach/backcoach"

// Rules that fire on the answers without a question of their own
// (docs/clinical.md §3). Each condition is keyed by its rule's id; the
// texts are in content.json under "rules", and the content check makes
// sure every condition has its texts and every rule its condition.
var ruleConditions = map[string]func(*backcoach.Answers) bool{
	"osteoporotic_fracture": osteoporoticFracture,
}

// Limits of the osteoporotic_fracture rule: pain that began less than
// recentOnsetWeeks ago and is at least severePain now.
const (
	recentOnsetWeeks = 2
	severePain       = 7
)

// osteoporoticFracture: with osteoporosis, new and severe pain may be a
// vertebral fracture, with or without a fall — it can happen with no
// injury at all (Greenhalgh 2020; docs/clinical.md §3).
func osteoporoticFracture(a *backcoach.Answers) bool {
	return a.HasCondition(backcoach.ConditionOsteoporosis) && a.Weeks < recentOnsetWeeks && a.PainNow >= severePain
}

// Rules returns every rule that fires on the answers without a question,
// in content order.
func Rules() []Rule { return append([]Rule(nil), content.Rules...) }

// LookupRule returns the rule with the id.
func LookupRule(id string) (Rule, bool) {
	for _, r := range content.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
