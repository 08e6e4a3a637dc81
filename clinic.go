package backcoach

import (
	"context"
	"slices"
	"time"
)

// Clinic mode: a clinic has clinician accounts; a clinician invites a
// person, who sees what will be shared and agrees (a consent); while the
// consent stands, the clinician may read what it shares and assign a
// programme. Every read by a clinician is written to the person's audit
// trail. The rules of who may see what are the coach's (coach.Dashboard,
// coach.ClinicianView, coach.AssignProgramme); the store checks the
// consent in the same transaction as every read it serves.

// Clinic is a practice whose clinicians follow people who share with it.
type Clinic struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxClinicNameRunes bounds a clinic's name.
const MaxClinicNameRunes = 100

// Validate checks the clinic's fields.
func (c *Clinic) Validate() error {
	if err := checkText("name", c.Name, MaxClinicNameRunes, false); err != nil {
		return err
	}
	if c.Name == "" {
		return Invalid("name", "must name the clinic, 1 to %d characters", MaxClinicNameRunes)
	}
	return nil
}

// ClinicRole is what a member of a clinic may do there.
type ClinicRole string

// The clinic roles. Every member is a clinician; an admin also adds
// clinicians to the clinic.
const (
	ClinicRoleClinician ClinicRole = "clinician"
	ClinicRoleAdmin     ClinicRole = "admin"
)

// ClinicRoles lists every clinic role.
var ClinicRoles = []ClinicRole{ClinicRoleClinician, ClinicRoleAdmin}

// ClinicMember is a clinician of a clinic.
type ClinicMember struct {
	ClinicID   string     `json:"clinic_id"`
	ClinicName string     `json:"clinic_name"`
	PersonID   string     `json:"person_id"`
	Handle     string     `json:"handle"`
	Name       string     `json:"name"`
	Role       ClinicRole `json:"role"`
	AddedAt    time.Time  `json:"added_at"`
}

// Share is one part of a person's record that a consent lets a clinician
// read.
type Share string

// The parts of a record that can be shared.
const (
	ShareDiary       Share = "diary"
	ShareSessions    Share = "sessions"
	ShareAssessments Share = "assessments"
	ShareSafety      Share = "safety"
	SharePlan        Share = "plan"
)

// Shares lists every part, in the order they are shown.
var Shares = []Share{ShareDiary, ShareSessions, ShareAssessments, ShareSafety, SharePlan}

// CheckShares checks a list of shared parts: at least one, each known,
// none twice.
func CheckShares(field string, list []Share) error {
	if len(list) == 0 {
		return Invalid(field, "must name at least one of %v", Shares)
	}
	return checkList(field, list, Shares)
}

// InvitationLifetime is how long an invitation can be used.
const InvitationLifetime = 14 * 24 * time.Hour

// Invitation is a clinician's offer to follow a person: a secret code,
// given to the person as a code or a link, that they can use once before
// it expires. Only the code's hash is stored.
type Invitation struct {
	ID            string `json:"id"`
	ClinicID      string `json:"clinic_id"`
	ClinicName    string `json:"clinic_name"`
	ClinicianID   string `json:"clinician_id"`
	ClinicianName string `json:"clinician_name"`
	// Hash is the SHA-256 of the code in hex (auth.TokenHash); the code
	// itself is shown once, when the invitation is made.
	Hash string `json:"-"`
	// Shares is what the person is asked to share.
	Shares    []Share    `json:"shares"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
}

// Usable reports whether the invitation can still be accepted at now.
func (i *Invitation) Usable(now time.Time) bool { return i.UsedAt == nil && now.Before(i.ExpiresAt) }

// Validate checks an invitation about to be stored.
func (i *Invitation) Validate() error {
	if err := CheckID("clinic_id", i.ClinicID); err != nil {
		return err
	}
	if len(i.Hash) != 64 {
		return Invalid("hash", "must be a SHA-256 hash in hex")
	}
	return CheckShares("shares", i.Shares)
}

// Consent is a person's agreement that a clinician (or every clinician of
// a clinic, when ClinicianID is empty) may read the parts of their record
// it names, from GrantedAt until it is revoked.
type Consent struct {
	ID            string     `json:"id"`
	PatientID     string     `json:"patient_id"`
	ClinicID      string     `json:"clinic_id"`
	ClinicName    string     `json:"clinic_name"`
	ClinicianID   string     `json:"clinician_id,omitempty"`
	ClinicianName string     `json:"clinician_name,omitempty"`
	Shares        []Share    `json:"shares"`
	GrantedAt     time.Time  `json:"granted_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
}

// Shared reports whether the consent shares a part of the record.
func (c *Consent) Shared(p Share) bool { return slices.Contains(c.Shares, p) }

// Access is one person (the actor) reading another's records (the
// subject): a clinician reading a patient's.
type Access struct {
	Actor   string `json:"actor"`
	Subject string `json:"subject"`
}

// Patient is a person who shares their record with a clinician, as the
// clinician's list shows them.
type Patient struct {
	Person  Person  `json:"person"`
	Consent Consent `json:"consent"`
}

// SharedRecord is what a clinician may read of a patient at one moment,
// read in one transaction with the check of the consent. The parts the
// consent does not share are empty.
type SharedRecord struct {
	Patient Person   `json:"patient"`
	Profile *Profile `json:"profile"`
	Consent Consent  `json:"consent"`
	// Assessments, Diary and Sessions are the records in the filter's
	// range, oldest first.
	Assessments []SavedAssessment `json:"assessments"`
	Diary       []DiaryEntry      `json:"diary"`
	Sessions    []Session         `json:"sessions"`
	// Baseline is, when the range starts after the current plan began,
	// the diary entries of the plan's first week, which the worsening
	// rule compares with (docs/clinical.md §6).
	Baseline []DiaryEntry `json:"baseline,omitempty"`
	// Safety is the whole safety record when it is shared, else nil.
	Safety *SafetyRecord `json:"safety"`
	// Programme is the active assigned programme, when the plan is
	// shared and there is one.
	Programme *Programme `json:"programme"`
}

// Weekday names a day of the week in a programme.
type Weekday string

// The days of the week, Monday first.
var Weekdays = []Weekday{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// WeekdayOf names t's day of the week.
func WeekdayOf(t time.Time) Weekday { return Weekdays[(int(t.Weekday())+6)%7] }

// Programme is a plan a clinician assigns to a patient: exercises with
// their doses, notes, and the days of the week it is for. While it is
// active it replaces the planner's choice for that patient; the safety
// record still applies to it.
type Programme struct {
	ID          string              `json:"id"`
	PatientID   string              `json:"patient_id"`
	ClinicianID string              `json:"clinician_id"`
	Exercises   []ProgrammeExercise `json:"exercises"`
	Notes       string              `json:"notes"`
	Days        []Weekday           `json:"days"`
	CreatedAt   time.Time           `json:"created_at"`
	Active      bool                `json:"active"`
}

// ProgrammeExercise is one exercise of a programme with its dose.
type ProgrammeExercise struct {
	ID          string `json:"id"`
	Sets        int    `json:"sets"`
	Reps        int    `json:"reps"`
	HoldSeconds int    `json:"hold_seconds"`
}

// Limits of a programme.
const (
	MaxProgrammeExercises  = 20
	MaxProgrammeNotesRunes = 2000
)

// Validate checks the programme's fields (the catalog's ids are the
// coach's to check).
func (p *Programme) Validate() error {
	if len(p.Exercises) == 0 || len(p.Exercises) > MaxProgrammeExercises {
		return Invalid("exercises", "must list 1 to %d exercises, got %d", MaxProgrammeExercises, len(p.Exercises))
	}
	for i, x := range p.Exercises {
		f := fieldIndex("exercises", i)
		if err := checkSlug(f+".id", x.ID); err != nil {
			return err
		}
		if err := checkRange(f+".sets", x.Sets, 1, 10); err != nil {
			return err
		}
		if err := checkRange(f+".reps", x.Reps, 0, 50); err != nil {
			return err
		}
		if err := checkRange(f+".hold_seconds", x.HoldSeconds, 0, 300); err != nil {
			return err
		}
		if x.Reps == 0 && x.HoldSeconds == 0 {
			return Invalid(f, "must have repetitions or a hold (reps or hold_seconds above 0)")
		}
	}
	if err := checkText("notes", p.Notes, MaxProgrammeNotesRunes, true); err != nil {
		return err
	}
	if len(p.Days) == 0 {
		return Invalid("days", "must name at least one day of %v", Weekdays)
	}
	return checkList("days", p.Days, Weekdays)
}

// SharingService keeps clinics, their clinicians, invitations, consents
// and assigned programmes, and serves a clinician's reads of a patient's
// record. Every read of a patient's data by a clinician checks, in the
// same transaction, that a consent between the two stands (not revoked)
// and shares that part, and writes an audit line (AuditRead, actor the
// clinician, person the patient); without such a consent the patient is
// ENOTFOUND, exactly like one who does not exist.
type SharingService interface {
	// CreateClinic stores a new clinic; a name taken is ECONFLICT. It is
	// an administrative operation (the command line on the server's
	// database).
	CreateClinic(ctx context.Context, c *Clinic) error
	// Clinics lists every clinic, by name (administrative).
	Clinics(ctx context.Context) ([]Clinic, error)
	// AddClinician makes an account a clinician of the clinic: its role
	// becomes clinician, and the clinic's first clinician is its admin
	// (administrative: the command line).
	AddClinician(ctx context.Context, clinicID, personID string) (*ClinicMember, error)
	// AddClinicianAs is AddClinician by an admin of the clinic, the
	// actor; anyone else gets ENOTFOUND.
	AddClinicianAs(ctx context.Context, actor, clinicID, personID string) (*ClinicMember, error)
	// Memberships lists the clinics the actor is a clinician of.
	Memberships(ctx context.Context, actor string) ([]ClinicMember, error)
	// ClinicMembers lists the clinicians of a clinic the actor belongs
	// to; ENOTFOUND otherwise.
	ClinicMembers(ctx context.Context, actor, clinicID string) ([]ClinicMember, error)
	// CreateInvitation stores an invitation by the actor, a clinician of
	// inv.ClinicID; the store sets ID, ClinicianID, CreatedAt, ExpiresAt.
	CreateInvitation(ctx context.Context, actor string, inv *Invitation) error
	// InvitationByHash finds an invitation by its code's hash, with its
	// clinic's and clinician's names, whether or not it is still usable.
	InvitationByHash(ctx context.Context, hash string) (*Invitation, error)
	// AcceptInvitation uses the invitation for the actor, the patient,
	// and stores their consent, in one transaction; a used or expired
	// invitation is EINVALID, the clinician's own is EINVALID.
	AcceptInvitation(ctx context.Context, actor, hash string) (*Consent, error)
	// Consents lists the actor's consents, standing and revoked, newest
	// first.
	Consents(ctx context.Context, actor string) ([]Consent, error)
	// RevokeConsent ends one of the actor's consents at once.
	RevokeConsent(ctx context.Context, actor, id string) error
	// Patients lists the people whose standing consent lets the actor
	// read their record, by name.
	Patients(ctx context.Context, actor string) ([]Patient, error)
	// SharedRecord reads what the consent shares of the subject's record
	// for the actor, with the records in f's time range (Limit and
	// NewestFirst are ignored), and audits the read.
	SharedRecord(ctx context.Context, a Access, f Filter) (*SharedRecord, error)
	// DashboardRecords reads, for every person whose standing consent
	// lets the actor read their record, what SharedRecord reads with f,
	// less what the dashboard does not need (diary entries with their
	// time and pain only, sessions with their start only, assessments
	// with their time, whether they allowed exercise and their warning
	// signs only), in the order
	// of Patients, in one transaction, auditing each person's read as
	// SharedRecord does: the clinician's dashboard in a few queries over
	// all of them.
	DashboardRecords(ctx context.Context, actor string, f Filter) ([]SharedRecord, error)
	// AssignProgramme stores a programme for the subject by the actor, who
	// needs a standing consent that shares the plan; it replaces (makes
	// inactive) the subject's earlier programmes.
	AssignProgramme(ctx context.Context, a Access, p *Programme) error
	// EndProgramme makes the subject's active programme inactive.
	EndProgramme(ctx context.Context, a Access) error
	// ActiveProgramme returns the actor's own active programme, or
	// ENOTFOUND when there is none.
	ActiveProgramme(ctx context.Context, actor string) (*Programme, error)
}
