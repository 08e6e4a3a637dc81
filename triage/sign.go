package triage

import "github.com/backcoach/backcoach"

// Sign is anything that can stand in a person's safety record
// (docs/clinical.md §3): a warning sign answered yes, or a rule that fired
// on the answers. It says how urgent it is and why, in the content's own
// words.
type Sign struct {
	ID      string
	Urgency backcoach.Urgency
	// History marks a sign from the person's history (see Flag.History).
	History bool
	// Words is what the person was asked, or what the rule found.
	Words   string
	Why     string
	Sources []string
}

// LookupSign returns the sign with the id: a flag, or a rule that fires on
// the answers.
func LookupSign(id string) (Sign, bool) {
	if f, ok := LookupFlag(id); ok {
		return Sign{ID: f.ID, Urgency: f.Urgency, History: f.History, Words: f.Question, Why: f.Why, Sources: f.Sources}, true
	}
	if r, ok := LookupRule(id); ok {
		return Sign{ID: r.ID, Urgency: r.Urgency, Words: r.Words, Why: r.Why, Sources: r.Sources}, true
	}
	if c := content.CheckIn.Changed; c.ID == id {
		return Sign{ID: c.ID, Urgency: c.Urgency, Words: c.Words, Why: c.Why, Sources: c.Sources}, true
	}
	return Sign{}, false
}
