package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The pain rules of a session (docs/clinical.md §5) are data, in
// pain.json: when to stop an exercise, what the pain asked before a
// session allows, and the words of a session's end. Every interface reads
// them from here, so each sentence exists once.

// StopRule is when to stop an exercise: one sentence, and the same rule as
// lines of a "Stop if" list (an exercise's own lines follow them).
type StopRule struct {
	Summary string   `json:"summary"`
	StopIf  []string `json:"stop_if"`
}

// The stop rules by name.
const (
	// StopUsual is the rule of a session at its planned dose.
	StopUsual = "usual"
	// StopGentle is the stricter rule when the pain before is high: stop
	// as soon as the pain rises above where it started.
	StopGentle = "gentle"
)

// GateMode is what the pain asked before a session allows.
type GateMode string

// The gate's modes.
const (
	GateFull   GateMode = "full"   // the planned session
	GateGentle GateMode = "gentle" // the plan's gentle exercises only, shortest dose
	GateNone   GateMode = "none"   // no session today; only the offered exercise
)

// GateBand is one band of pain before (From–To, inclusive) and what it
// allows.
type GateBand struct {
	Mode     GateMode `json:"mode"`
	From     int      `json:"from"`
	To       int      `json:"to"`
	StopRule string   `json:"stop_rule"`
	// Title and Message are what the person is told before the session;
	// empty for the planned session.
	Title   string   `json:"title"`
	Message []string `json:"message"`
	// Offer lists the exercises offered when there is no session.
	Offer []string `json:"offer"`
}

// EndingWords are the words of a session's end screen. Rose and
// NothingDone may hold {before}, {after} and {rise}.
type EndingWords struct {
	WellDone    string   `json:"well_done"`
	Finished    string   `json:"finished"`
	Rose        []string `json:"rose"`
	NothingDone []string `json:"nothing_done"`
}

// PainRules are the contents of pain.json.
type PainRules struct {
	StopRules map[string]StopRule `json:"stop_rules"`
	Gate      []GateBand          `json:"gate"`
	Ending    EndingWords         `json:"ending"`
}

// Pain returns the session's pain rules.
func (c *Catalog) Pain() *PainRules { return c.pain }

// StopRule returns a stop rule by name (StopUsual, StopGentle).
func (c *Catalog) StopRule(name string) StopRule { return c.pain.StopRules[name] }

// StopIf is the full "Stop if" list of an exercise under a stop rule: the
// rule's lines, then the exercise's own.
func (c *Catalog) StopIf(id string, rule StopRule) []string {
	return append(slices.Clone(rule.StopIf), c.ownStopIf[id]...)
}

// Band returns the gate band a pain before (0–10) falls in.
func (p *PainRules) Band(pain int) (GateBand, bool) {
	for _, b := range p.Gate {
		if pain >= b.From && pain <= b.To {
			return b, true
		}
	}
	return GateBand{}, false
}

var placeholder = regexp.MustCompile(`\{[a-z_]*\}`)

// check applies the schema's rules to the pain rules; exercise ids are
// checked against the catalog.
func (p *PainRules) check(c *Catalog) error {
	for _, name := range []string{StopUsual, StopGentle} {
		r, ok := p.StopRules[name]
		if !ok {
			return fmt.Errorf("stop_rules: %q is missing", name)
		}
		if strings.TrimSpace(r.Summary) == "" || len(r.StopIf) == 0 || slices.Contains(r.StopIf, "") {
			return fmt.Errorf("stop_rules.%s: summary and stop_if lines are required", name)
		}
	}
	next := 0
	for i, b := range p.Gate {
		where := fmt.Sprintf("gate[%d]", i)
		switch {
		case b.From != next || b.To < b.From:
			return fmt.Errorf("%s: the bands must cover pain 0 to 10 in order without gaps; got %d–%d after %d", where, b.From, b.To, next-1)
		case !slices.Contains([]GateMode{GateFull, GateGentle, GateNone}, b.Mode):
			return fmt.Errorf("%s: mode must be full, gentle or none, got %q", where, b.Mode)
		case p.StopRules[b.StopRule].Summary == "":
			return fmt.Errorf("%s: stop_rule %q is not one of stop_rules", where, b.StopRule)
		case b.Mode != GateFull && (strings.TrimSpace(b.Title) == "" || len(b.Message) == 0):
			return fmt.Errorf("%s: a %s band needs a title and a message", where, b.Mode)
		case b.Mode == GateNone && len(b.Offer) == 0:
			return fmt.Errorf("%s: a band without a session must offer an exercise", where)
		case b.Mode != GateNone && len(b.Offer) > 0:
			return fmt.Errorf("%s: only a band without a session offers exercises", where)
		}
		for _, id := range b.Offer {
			i, ok := c.byID[id]
			if !ok || !c.exercises[i].Gentle {
				return fmt.Errorf("%s: offer %q is not a gentle exercise of the catalog", where, id)
			}
		}
		next = b.To + 1
	}
	if next != 11 {
		return fmt.Errorf("gate: the bands must end at pain 10, they end at %d", next-1)
	}
	e := p.Ending
	if e.WellDone == "" || e.Finished == "" || len(e.Rose) == 0 || len(e.NothingDone) == 0 {
		return fmt.Errorf("ending: well_done, finished, rose and nothing_done are required")
	}
	for _, s := range append(slices.Clone(e.Rose), e.NothingDone...) {
		for _, m := range placeholder.FindAllString(s, -1) {
			if m != "{before}" && m != "{after}" && m != "{rise}" {
				return fmt.Errorf("ending: unknown placeholder %s in %q (allowed: {before}, {after}, {rise})", m, s)
			}
		}
	}
	return nil
}

// UsualStopRule reads the usual stop rule from pain.json alone, for a
// package that needs the sentence without loading the whole catalog.
func UsualStopRule() (StopRule, error) {
	data, err := files.ReadFile("pain.json")
	if err != nil {
		return StopRule{}, err
	}
	var p PainRules
	if err := decodeStrict(data, &p); err != nil {
		return StopRule{}, fmt.Errorf("pain.json: %w", err)
	}
	r, ok := p.StopRules[StopUsual]
	if !ok || r.Summary == "" {
		return StopRule{}, fmt.Errorf("pain.json: stop_rules.%s is missing", StopUsual)
	}
	return r, nil
}
