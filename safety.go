package backcoach

import (
	"context"
	"time"
)

// The safety record (docs/clinical.md §3): every time the warning signs
// are asked, in any interface, what was answered is kept with when and
// where; a sign answered yes bars exercise everywhere until a clinician
// has checked the person and a fresh screen finds no new sign. The triage
// package decides from the record what stands today.

// ScreenKind says which part of the product asked the warning signs.
type ScreenKind string

// The kinds of screen.
const (
	// ScreenAssessment is the assessment: every sign, history signs too.
	ScreenAssessment ScreenKind = "assessment"
	// ScreenCheckIn is a daily check-in: the signs that can newly appear.
	ScreenCheckIn ScreenKind = "check_in"
	// ScreenSession is the questions after "stop, I feel unwell" inside a
	// guided session.
	ScreenSession ScreenKind = "session"
	// ScreenBreak is the questions asked from a break reminder.
	ScreenBreak ScreenKind = "break"
)

// ScreenKinds lists every kind of screen.
var ScreenKinds = []ScreenKind{ScreenAssessment, ScreenCheckIn, ScreenSession, ScreenBreak}

// Via is the interface a person used.
type Via string

// The interfaces.
const (
	ViaWeb      Via = "web"
	ViaAPI      Via = "api"
	ViaTerminal Via = "terminal"
	ViaDesktop  Via = "desktop"
	// ViaUnknown marks signs carried over from before the safety record
	// was kept, whose interface was not recorded.
	ViaUnknown Via = "unknown"
)

// Vias lists every interface.
var Vias = []Via{ViaWeb, ViaAPI, ViaTerminal, ViaDesktop, ViaUnknown}

// Screen is one time the warning signs were asked, with the signs answered
// yes (flag ids of docs/clinical.md §3, and the ids of the rules that
// fired on the answers).
type Screen struct {
	ID       string     `json:"id"`
	PersonID string     `json:"person_id"`
	At       time.Time  `json:"at"`
	Kind     ScreenKind `json:"kind"`
	Via      Via        `json:"via"`
	// Complete is true when every sign that can newly appear was asked
	// (an assessment or a check-in); only a complete screen without new
	// signs lifts signs a clinician has cleared.
	Complete bool     `json:"complete"`
	Signs    []string `json:"signs"`
}

// MaxScreenSigns bounds the signs of one screen.
const MaxScreenSigns = 64

// Validate checks every field of the screen.
func (s *Screen) Validate() error {
	if err := checkTime("at", s.At); err != nil {
		return err
	}
	if err := checkOneOf("kind", s.Kind, ScreenKinds); err != nil {
		return err
	}
	if err := checkOneOf("via", s.Via, Vias); err != nil {
		return err
	}
	return checkSlugList("signs", s.Signs, MaxScreenSigns)
}

// ClearedBy is who checked the person and said they may exercise.
type ClearedBy string

// Who may clear a warning sign.
const (
	ClearedByGP              ClearedBy = "gp"
	ClearedByPhysiotherapist ClearedBy = "physiotherapist"
	ClearedByEmergencyTeam   ClearedBy = "emergency_team"
)

// ClearedByAll lists who may clear a warning sign.
var ClearedByAll = []ClearedBy{ClearedByGP, ClearedByPhysiotherapist, ClearedByEmergencyTeam}

// Words names who cleared, for a sentence: "a GP".
func (c ClearedBy) Words() string {
	switch c {
	case ClearedByGP:
		return "a GP"
	case ClearedByPhysiotherapist:
		return "a physiotherapist"
	case ClearedByEmergencyTeam:
		return "an emergency team"
	}
	return string(c)
}

// Clearance records that a clinician checked the person and said they may
// exercise: who, on which day, and the signs it covers. It lifts those
// signs once a fresh screen finds no new one (docs/clinical.md §3).
type Clearance struct {
	ID         string    `json:"id"`
	PersonID   string    `json:"person_id"`
	RecordedAt time.Time `json:"recorded_at"`
	By         ClearedBy `json:"by"`
	// Name is the clinician or the practice, as the person gives it;
	// optional.
	Name string `json:"name"`
	// CheckedOn is the day of the check (YYYY-MM-DD).
	CheckedOn string   `json:"checked_on"`
	Signs     []string `json:"signs"`
	Note      string   `json:"note"`
}

// Limits of a clearance.
const (
	MaxClearanceNameRunes = 100
	MaxClearanceNoteRunes = 500
)

// Validate checks every field of the clearance.
func (c *Clearance) Validate() error {
	if err := checkTime("recorded_at", c.RecordedAt); err != nil {
		return err
	}
	if err := checkOneOf("by", c.By, ClearedByAll); err != nil {
		return err
	}
	if err := checkText("name", c.Name, MaxClearanceNameRunes, false); err != nil {
		return err
	}
	if err := checkDate("checked_on", c.CheckedOn); err != nil {
		return err
	}
	if c.CheckedOn > c.RecordedAt.Format(DateLayout) {
		return Invalid("checked_on", "must be on or before the day it is recorded (%s), got %s", c.RecordedAt.Format(DateLayout), c.CheckedOn)
	}
	if len(c.Signs) == 0 {
		return Invalid("signs", "must name at least one warning sign the check covers")
	}
	if err := checkSlugList("signs", c.Signs, MaxScreenSigns); err != nil {
		return err
	}
	return checkText("note", c.Note, MaxClearanceNoteRunes, true)
}

// checkSlugList checks a list of ids: each an id, none twice, at most max.
func checkSlugList(field string, ids []string, max int) error {
	if len(ids) > max {
		return Invalid(field, "must list at most %d ids, got %d", max, len(ids))
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		name := fieldIndex(field, i)
		if err := checkSlug(name, id); err != nil {
			return err
		}
		if seen[id] {
			return Invalid(name, "%q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// SafetyRecord is a person's whole safety record, oldest first.
type SafetyRecord struct {
	Screens    []Screen    `json:"screens"`
	Clearances []Clearance `json:"clearances"`
}

// SafetyService keeps the safety record. Like every service, each method
// reaches only the acting person's own records.
type SafetyService interface {
	// AddScreen keeps one screen; the store sets ID and PersonID, and At
	// when zero.
	AddScreen(ctx context.Context, actor string, s *Screen) error
	// AddClearance keeps one clearance; the store sets ID and PersonID,
	// and RecordedAt when zero.
	AddClearance(ctx context.Context, actor string, c *Clearance) error
	// SafetyRecord returns the acting person's record, oldest first.
	SafetyRecord(ctx context.Context, actor string) (*SafetyRecord, error)
}
