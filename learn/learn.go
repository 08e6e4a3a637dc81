// Package learn is the "Your upper back" section: short pages about the
// upper back, the stages of pain, its causes, prevention and when to see a
// doctor (docs/clinical.md §1–§4). Its own words are data (topics.json,
// with the spine's picture in svg/); everything the assessment already
// says — the stage words, the advice for each cause, the prevention
// advice, the warning signs and what each urgency means — is read from
// the triage package's data, never written again here. The package is
// pure: every interface (web, terminal) shows the same topics.
package learn

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

//go:embed topics.json svg/*.svg
var files embed.FS

// Section is the whole "Your upper back" section.
type Section struct {
	Title  string  `json:"title"`
	Intro  string  `json:"intro"`
	Topics []Topic `json:"topics"`
}

// Topic is one page of the section.
type Topic struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Picture is the file name of the topic's illustration in svg/, if
	// it has one.
	Picture string   `json:"picture,omitempty"`
	Body    []string `json:"body"`
	// Derive names the data the topic's lists are built from: "stages",
	// "causes", "prevention" or "doctor" (see derivers).
	Derive string  `json:"derive,omitempty"`
	Groups []Group `json:"groups,omitempty"`
	// Yours holds the words around the person's own answers (the causes
	// topic).
	Yours *Yours `json:"yours,omitempty"`
	// Sources are the names of the sources behind the topic, as
	// catalog.Source knows them; a derived topic adds the sources of the
	// data it shows.
	Sources []string `json:"sources"`
}

// Group is a headed list of a topic.
type Group struct {
	ID      string `json:"id"`
	Heading string `json:"heading,omitempty"`
	// Lead is a sentence under the heading, before the items.
	Lead  string `json:"lead,omitempty"`
	Items []Item `json:"items"`
}

// Item is one entry of a group. In topics.json an item either has its
// own text, or names a cause whose advice (triage's content) it shows.
type Item struct {
	Label string `json:"label,omitempty"`
	Text  string `json:"text,omitempty"`
	// Cause names a cause; the item's text is that cause's advice.
	Cause backcoach.Cause `json:"cause,omitempty"`
}

// Yours holds what the causes topic says about the person's own causes.
type Yours struct {
	Heading string `json:"heading"`
	Lead    string `json:"lead"`
	// None is said when the latest assessment named no cause.
	None string `json:"none"`
	// Unknown is said when there is no assessment to read.
	Unknown string `json:"unknown"`
}

// section is read from topics.json the first time it is asked for, not at
// start-up: most commands never show it.
var section = sync.OnceValue(mustLoad)

func mustLoad() *Section {
	data, err := files.ReadFile("topics.json")
	if err != nil {
		panic("learn: " + err.Error())
	}
	s, err := Parse(data)
	if err != nil {
		panic("learn: " + err.Error())
	}
	return s
}

// Parse reads topics.json, checks it and builds the derived lists.
func Parse(data []byte) (*Section, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Section
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("topics.json: %w", err)
	}
	if s.Title == "" || s.Intro == "" {
		return nil, fmt.Errorf("topics.json: title and intro are required")
	}
	seen := map[string]bool{}
	for i := range s.Topics {
		t := &s.Topics[i]
		if err := t.check(); err != nil {
			return nil, fmt.Errorf("topics.json: topic %q: %w", t.ID, err)
		}
		if seen[t.ID] {
			return nil, fmt.Errorf("topics.json: topic id %q is used twice", t.ID)
		}
		seen[t.ID] = true
		if err := t.fillCauses(); err != nil {
			return nil, fmt.Errorf("topics.json: topic %q: %w", t.ID, err)
		}
		if t.Derive != "" {
			derive, ok := derivers[t.Derive]
			if !ok {
				return nil, fmt.Errorf("topics.json: topic %q: derive %q is not known; allowed: %s", t.ID, t.Derive, strings.Join(deriveNames(), ", "))
			}
			if err := derive(t); err != nil {
				return nil, fmt.Errorf("topics.json: topic %q: %w", t.ID, err)
			}
		}
		t.Sources = dedupe(t.Sources)
	}
	if len(s.Topics) == 0 {
		return nil, fmt.Errorf("topics.json: no topics")
	}
	return &s, nil
}

// idPattern: a topic's id is part of a web address and a command's
// argument.
func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

func (t *Topic) check() error {
	switch {
	case !validID(t.ID):
		return fmt.Errorf("id must be lower-case letters and hyphens")
	case t.Title == "" || t.Summary == "":
		return fmt.Errorf("title and summary are required")
	case len(t.Body) == 0:
		return fmt.Errorf("body needs at least one paragraph")
	}
	if t.Picture != "" {
		if _, err := files.ReadFile("svg/" + t.Picture); err != nil {
			return fmt.Errorf("picture %q is not in svg/", t.Picture)
		}
	}
	for _, g := range t.Groups {
		for j, it := range g.Items {
			if (it.Text == "") == (it.Cause == "") {
				return fmt.Errorf("group %q item %d: give either text or cause", g.ID, j)
			}
		}
	}
	if t.Yours != nil && (t.Yours.Heading == "" || t.Yours.Lead == "" || t.Yours.None == "" || t.Yours.Unknown == "") {
		return fmt.Errorf("yours needs heading, lead, none and unknown")
	}
	return nil
}

// fillCauses gives items that name a cause that cause's advice.
func (t *Topic) fillCauses() error {
	for gi := range t.Groups {
		for ii := range t.Groups[gi].Items {
			it := &t.Groups[gi].Items[ii]
			if it.Cause == "" {
				continue
			}
			advice, ok := triage.Texts().Causes[it.Cause]
			if !ok {
				return fmt.Errorf("group %q: cause %q has no advice in the triage content", t.Groups[gi].ID, it.Cause)
			}
			it.Text = advice
		}
	}
	return nil
}

// Get returns the topic with the id.
func Get(id string) (Topic, error) {
	for _, t := range section().Topics {
		if t.ID == id {
			return t, nil
		}
	}
	return Topic{}, backcoach.Errorf(backcoach.ENOTFOUND, "there is no topic %q; the topics are: %s", id, strings.Join(IDs(), ", "))
}

// All returns the section with every topic.
func All() Section {
	s := *section()
	s.Topics = slices.Clone(section().Topics)
	return s
}

// IDs lists the topics' ids in order.
func IDs() []string {
	ids := make([]string, len(section().Topics))
	for i, t := range section().Topics {
		ids[i] = t.ID
	}
	return ids
}

// Picture returns an illustration's SVG by its file name.
func Picture(name string) ([]byte, error) {
	if !strings.HasSuffix(name, ".svg") || strings.ContainsAny(name, "/\\") {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "there is no picture %q", name)
	}
	b, err := files.ReadFile("svg/" + name)
	if err != nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "there is no picture %q", name)
	}
	return b, nil
}

// Mine is what the causes topic says about one person's own causes, from
// their latest answers.
type Mine struct {
	Heading string
	// Lead introduces the items, or says why there are none.
	Lead  string
	Items []Item
}

// YoursFor returns what the topic says about the causes of the person's
// latest answers: nil when the topic has no such part. answers is nil
// when there is no assessment to read.
func (t Topic) YoursFor(answers *backcoach.Answers) *Mine {
	if t.Yours == nil {
		return nil
	}
	m := &Mine{Heading: t.Yours.Heading}
	switch {
	case answers == nil:
		m.Lead = t.Yours.Unknown
	case len(answers.Causes) == 0:
		m.Lead = t.Yours.None
	default:
		m.Lead = t.Yours.Lead
		m.Items = causeItems(answers.Causes)
	}
	return m
}

// causeItems lists causes with their words and advice, in the domain's
// order.
func causeItems(causes []backcoach.Cause) []Item {
	q := triage.Ask("causes")
	var out []Item
	for _, c := range backcoach.Causes {
		if !slices.Contains(causes, c) {
			continue
		}
		out = append(out, Item{Label: q.Label(string(c)), Text: triage.Texts().Causes[c], Cause: c})
	}
	return out
}

func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
