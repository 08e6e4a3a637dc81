package backcoach

import (
	"fmt"
	"strings"
	"time"
)

// The export document's identity. Version goes up when a field changes
// meaning or goes away; fields may be added within a version.
const (
	ExportFormat  = "backcoach-export"
	ExportVersion = 1
)

// Export is everything the coach keeps about one person, as one document
// (docs/export.md): the person takes it away, and Import restores it
// exactly. Lists are in time order, oldest first.
type Export struct {
	Format      string            `json:"format"`
	Version     int               `json:"version"`
	ExportedAt  time.Time         `json:"exported_at"`
	Person      Person            `json:"person"`
	Profile     *Profile          `json:"profile"`
	Assessments []SavedAssessment `json:"assessments"`
	Plans       []SavedPlan       `json:"plans"`
	Sessions    []Session         `json:"sessions"`
	Diary       []DiaryEntry      `json:"diary"`
	BreakDays   []BreakDay        `json:"break_days"`
	// BreakSettings is null when the person never saved any.
	BreakSettings *BreakSettings `json:"break_settings"`
	// Safety is the safety record: every screen of the warning signs and
	// every clearance (docs/clinical.md §3).
	Safety SafetyRecord `json:"safety"`
	// Clinic mode: the clinics the person's records below name; the
	// person's memberships of clinics as a clinician; the consents they
	// gave as a patient, standing and ended; the invitations they made as
	// a clinician (without their codes); the programmes clinicians
	// assigned to them. Documents without these lists have none.
	Clinics           []Clinic       `json:"clinics"`
	ClinicMemberships []ClinicMember `json:"clinic_memberships"`
	Consents          []Consent      `json:"consents"`
	Invitations       []Invitation   `json:"invitations"`
	Programmes        []Programme    `json:"programmes"`
	Audit             []AuditEntry   `json:"audit"`
}

// Validate checks the whole document before anything of it is stored:
// its format and version, every record by the domain's rules, that every
// record belongs to the document's person, that no id is used twice and
// that every reference points at a record of the document.
func (x *Export) Validate() error {
	if x.Format != ExportFormat {
		return Invalid("format", "must be %q, got %q: this is not a backcoach export", ExportFormat, clip(x.Format, 40))
	}
	if x.Version < 1 || x.Version > ExportVersion {
		return Invalid("version", "must be from 1 to %d (this program's newest), got %d", ExportVersion, x.Version)
	}
	if err := CheckID("person.id", x.Person.ID); err != nil {
		return err
	}
	if err := x.Person.Validate(); err != nil {
		return prefixField("person", err)
	}
	if err := checkTime("person.created_at", x.Person.CreatedAt); err != nil {
		return err
	}
	owner := x.Person.ID
	ids := map[string]string{owner: "person.id"}
	record := func(field, id, personID string) error {
		if err := CheckID(field+".id", id); err != nil {
			return err
		}
		if prev, ok := ids[id]; ok {
			return Invalid(field+".id", "%q is used twice (also at %s)", id, prev)
		}
		ids[id] = field + ".id"
		if personID != owner {
			return Invalid(field+".person_id", "must be the document's person %q, got %q", owner, clip(personID, 40))
		}
		return nil
	}
	if p := x.Profile; p != nil {
		if p.PersonID != owner {
			return Invalid("profile.person_id", "must be the document's person %q, got %q", owner, clip(p.PersonID, 40))
		}
		if err := p.Validate(); err != nil {
			return prefixField("profile", err)
		}
	}
	assessments := map[string]bool{}
	for i := range x.Assessments {
		a := &x.Assessments[i]
		f := fieldIndex("assessments", i)
		if err := record(f, a.ID, a.PersonID); err != nil {
			return err
		}
		if err := a.Validate(); err != nil {
			return prefixField(f, err)
		}
		assessments[a.ID] = true
	}
	plans := map[string]bool{}
	for i := range x.Plans {
		p := &x.Plans[i]
		f := fieldIndex("plans", i)
		if err := record(f, p.ID, p.PersonID); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return prefixField(f, err)
		}
		if p.AssessmentID != "" && !assessments[p.AssessmentID] {
			return Invalid(f+".assessment_id", "must name an assessment of this document, got %q", p.AssessmentID)
		}
		plans[p.ID] = true
	}
	for i := range x.Sessions {
		s := &x.Sessions[i]
		f := fieldIndex("sessions", i)
		if err := record(f, s.ID, s.PersonID); err != nil {
			return err
		}
		if err := s.Validate(); err != nil {
			return prefixField(f, err)
		}
		if s.PlanID != "" && !plans[s.PlanID] {
			return Invalid(f+".plan_id", "must name a plan of this document, got %q", s.PlanID)
		}
	}
	for i := range x.Diary {
		e := &x.Diary[i]
		f := fieldIndex("diary", i)
		if err := record(f, e.ID, e.PersonID); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return prefixField(f, err)
		}
	}
	days := map[string]bool{}
	for i := range x.BreakDays {
		d := &x.BreakDays[i]
		f := fieldIndex("break_days", i)
		if d.PersonID != owner {
			return Invalid(f+".person_id", "must be the document's person %q, got %q", owner, clip(d.PersonID, 40))
		}
		if err := d.Validate(); err != nil {
			return prefixField(f, err)
		}
		if days[d.Date] {
			return Invalid(f+".date", "%s is listed twice", d.Date)
		}
		days[d.Date] = true
	}
	if err := x.validateBreakSettings(owner); err != nil {
		return err
	}
	for i := range x.Safety.Screens {
		sc := &x.Safety.Screens[i]
		f := fieldIndex("safety.screens", i)
		if err := record(f, sc.ID, sc.PersonID); err != nil {
			return err
		}
		if err := sc.Validate(); err != nil {
			return prefixField(f, err)
		}
	}
	for i := range x.Safety.Clearances {
		c := &x.Safety.Clearances[i]
		f := fieldIndex("safety.clearances", i)
		if err := record(f, c.ID, c.PersonID); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return prefixField(f, err)
		}
	}
	if err := x.validateClinic(owner, record); err != nil {
		return err
	}
	audit := map[string]bool{}
	for i := range x.Audit {
		e := &x.Audit[i]
		f := fieldIndex("audit", i)
		if err := e.Validate(); err != nil {
			return prefixField(f, err)
		}
		if e.PersonID != owner {
			return Invalid(f+".person_id", "must be the document's person %q, got %q", owner, e.PersonID)
		}
		if audit[e.ID] {
			return Invalid(f+".id", "%q is used twice", e.ID)
		}
		audit[e.ID] = true
	}
	return nil
}

// validateClinic checks the document's clinic records: each clinic they
// name is in the document, and each is the document's person's.
func (x *Export) validateClinic(owner string, record func(field, id, personID string) error) error {
	clinics := map[string]bool{}
	for i := range x.Clinics {
		c := &x.Clinics[i]
		f := fieldIndex("clinics", i)
		if err := CheckID(f+".id", c.ID); err != nil {
			return err
		}
		if clinics[c.ID] {
			return Invalid(f+".id", "%q is listed twice", c.ID)
		}
		clinics[c.ID] = true
		if err := c.Validate(); err != nil {
			return prefixField(f, err)
		}
		if err := checkTime(f+".created_at", c.CreatedAt); err != nil {
			return err
		}
	}
	clinic := func(field, id string) error {
		if !clinics[id] {
			return Invalid(field, "must name a clinic of this document's clinics, got %q", clip(id, 40))
		}
		return nil
	}
	clinician := func(field, id string) error {
		if id == "" {
			return nil // a clinician whose account is gone
		}
		if err := CheckID(field, id); err != nil {
			return err
		}
		if id == owner {
			return Invalid(field, "must be another person than the document's, got the document's own id")
		}
		return nil
	}
	member := map[string]bool{}
	for i := range x.ClinicMemberships {
		m := &x.ClinicMemberships[i]
		f := fieldIndex("clinic_memberships", i)
		if m.PersonID != owner {
			return Invalid(f+".person_id", "must be the document's person %q, got %q", owner, clip(m.PersonID, 40))
		}
		if err := clinic(f+".clinic_id", m.ClinicID); err != nil {
			return err
		}
		if member[m.ClinicID] {
			return Invalid(f+".clinic_id", "%q is listed twice", m.ClinicID)
		}
		member[m.ClinicID] = true
		if err := checkList(f+".role", []ClinicRole{m.Role}, ClinicRoles); err != nil {
			return err
		}
		if err := checkTime(f+".added_at", m.AddedAt); err != nil {
			return err
		}
	}
	for i := range x.Consents {
		c := &x.Consents[i]
		f := fieldIndex("consents", i)
		if err := record(f, c.ID, c.PatientID); err != nil {
			return prefixPatient(err)
		}
		if err := clinic(f+".clinic_id", c.ClinicID); err != nil {
			return err
		}
		if err := clinician(f+".clinician_id", c.ClinicianID); err != nil {
			return err
		}
		if err := CheckShares(f+".shares", c.Shares); err != nil {
			return err
		}
		if err := checkTime(f+".granted_at", c.GrantedAt); err != nil {
			return err
		}
		if c.RevokedAt != nil && c.RevokedAt.Before(c.GrantedAt) {
			return Invalid(f+".revoked_at", "must not be before granted_at")
		}
		if c.ClinicianID == "" && c.RevokedAt == nil {
			return Invalid(f+".revoked_at", "must be set: a consent whose clinician's account is gone has ended")
		}
	}
	for i := range x.Invitations {
		inv := &x.Invitations[i]
		f := fieldIndex("invitations", i)
		if err := record(f, inv.ID, inv.ClinicianID); err != nil {
			return prefixClinician(err)
		}
		if err := clinic(f+".clinic_id", inv.ClinicID); err != nil {
			return err
		}
		if err := CheckShares(f+".shares", inv.Shares); err != nil {
			return err
		}
		if err := checkTime(f+".created_at", inv.CreatedAt); err != nil {
			return err
		}
		if !inv.ExpiresAt.After(inv.CreatedAt) {
			return Invalid(f+".expires_at", "must be after created_at")
		}
	}
	active := false
	for i := range x.Programmes {
		p := &x.Programmes[i]
		f := fieldIndex("programmes", i)
		if err := record(f, p.ID, p.PatientID); err != nil {
			return prefixPatient(err)
		}
		if err := clinician(f+".clinician_id", p.ClinicianID); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return prefixField(f, err)
		}
		if err := checkTime(f+".created_at", p.CreatedAt); err != nil {
			return err
		}
		if p.Active && (active || p.ClinicianID == "") {
			return Invalid(f+".active", "must be false: at most one programme is active, and only while its clinician's account exists")
		}
		active = active || p.Active
	}
	return nil
}

// prefixPatient and prefixClinician rename the person_id that record
// checks to the field of these records.
func prefixPatient(err error) error   { return renameField(err, ".person_id", ".patient_id") }
func prefixClinician(err error) error { return renameField(err, ".person_id", ".clinician_id") }

func renameField(err error, from, to string) error {
	if e, ok := err.(*Error); ok && strings.HasSuffix(e.Field, from) {
		c := *e
		c.Field = strings.TrimSuffix(e.Field, from) + to
		return &c
	}
	return err
}

// validateBreakSettings checks the document's break settings, when it has
// any.
func (x *Export) validateBreakSettings(owner string) error {
	s := x.BreakSettings
	if s == nil {
		return nil
	}
	if s.PersonID != owner {
		return Invalid("break_settings.person_id", "must be the document's person %q, got %q", owner, clip(s.PersonID, 40))
	}
	if err := s.Validate(); err != nil {
		return prefixField("break_settings", err)
	}
	if s.UpdatedAt == nil {
		return Invalid("break_settings.updated_at", "must be set")
	}
	return checkTime("break_settings.updated_at", *s.UpdatedAt)
}

// ImportOptions says how Import treats a person who is already stored.
type ImportOptions struct {
	// Replace removes the stored person with the document's id or handle,
	// and all their data, before the document is restored. Without it,
	// such a person makes Import fail with ECONFLICT and nothing changes.
	Replace bool
}

// DeleteReport says what deleting a person's data removed, kind by kind.
type DeleteReport struct {
	PersonID string        `json:"person_id"`
	Removed  []RemovedRows `json:"removed"`
}

// RemovedRows is how many rows of one kind were removed.
type RemovedRows struct {
	Kind string `json:"kind"`
	Rows int64  `json:"rows"`
}

// Total is the number of rows removed.
func (r *DeleteReport) Total() int64 {
	var n int64
	for _, k := range r.Removed {
		n += k.Rows
	}
	return n
}

// String lists the counts, for people.
func (r *DeleteReport) String() string {
	s := ""
	for i, k := range r.Removed {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%d %s", k.Rows, k.Kind)
	}
	return s
}
