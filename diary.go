package backcoach

import "time"

// DiaryEntry is one daily check-in (docs/clinical.md §6): the pain now, a note,
// the answer to "any of these warning signs?" and, once a week, the PEG-3.
type DiaryEntry struct {
	ID       string    `json:"id"`
	PersonID string    `json:"person_id"`
	At       time.Time `json:"at"`
	Pain     int       `json:"pain"`
	Note     string    `json:"note"`
	// FlagsAsked records that the warning-sign question was asked; Flags
	// are the red-flag ids (docs/clinical.md §3) the person answered yes to.
	FlagsAsked bool     `json:"flags_asked"`
	Flags      []string `json:"flags"`
	// PEG is the weekly PEG-3; nil on the other days.
	PEG *PEG `json:"peg,omitempty"`
}

// MaxNoteRunes is the longest diary note, in characters.
const MaxNoteRunes = 2000

// Validate checks every field of the entry. The flag ids are checked for
// form here; that they name flags of the current list is the triage
// package's rule.
func (e *DiaryEntry) Validate() error {
	if err := checkTime("at", e.At); err != nil {
		return err
	}
	if err := checkScore("pain", e.Pain); err != nil {
		return err
	}
	if err := checkText("note", e.Note, MaxNoteRunes, true); err != nil {
		return err
	}
	if !e.FlagsAsked && len(e.Flags) > 0 {
		return Invalid("flags", "must be empty when the warning signs were not asked (flags_asked is false)")
	}
	seen := make(map[string]bool, len(e.Flags))
	for i, f := range e.Flags {
		name := fieldIndex("flags", i)
		if err := checkSlug(name, f); err != nil {
			return err
		}
		if seen[f] {
			return Invalid(name, "%q is listed twice", f)
		}
		seen[f] = true
	}
	if e.PEG != nil {
		return checkPEG("peg", e.PEG)
	}
	return nil
}

// checkPEG checks the three items of the scale, naming the field as
// prefix.item.
func checkPEG(prefix string, p *PEG) error {
	for _, item := range []struct {
		name  string
		value int
	}{{"pain", p.Pain}, {"enjoyment", p.Enjoyment}, {"activity", p.Activity}} {
		if err := checkScore(prefix+"."+item.name, item.value); err != nil {
			return err
		}
	}
	return nil
}

// LocalDate returns the entry's day (YYYY-MM-DD) in the given zone.
func (e *DiaryEntry) LocalDate(loc *time.Location) string {
	return e.At.In(loc).Format(DateLayout)
}
