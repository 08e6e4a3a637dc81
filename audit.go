package backcoach

import "time"

// AuditAction is what was done to a record.
type AuditAction string

// The audited actions.
const (
	AuditCreate AuditAction = "create"
	AuditUpdate AuditAction = "update"
	AuditDelete AuditAction = "delete"
	AuditRead   AuditAction = "read"
	AuditExport AuditAction = "export"
	AuditImport AuditAction = "import"
	// The security events (schema version 6). AuditSignIn is a sign-in
	// with the password; AuditSignInFailure a wrong password for the
	// account; AuditLockOut a sign-in refused because of too many
	// attempts (all three of kind KindPassword); AuditUse a use of an
	// access token (KindAccessToken), recorded at most once a minute.
	AuditSignIn        AuditAction = "sign_in"
	AuditSignInFailure AuditAction = "sign_in_failure"
	AuditLockOut       AuditAction = "lock_out"
	AuditUse           AuditAction = "use"
)

// AuditActions lists every action.
var AuditActions = []AuditAction{AuditCreate, AuditUpdate, AuditDelete, AuditRead, AuditExport, AuditImport,
	AuditSignIn, AuditSignInFailure, AuditLockOut, AuditUse}

// AnonymousActor is the actor of an audit line about something done by
// someone not signed in, such as a wrong password typed for an account.
const AnonymousActor = "aaaaaaaaaaaaaaaaaaaaaaaaaa"

// The kinds of record an audit entry can be about.
const (
	KindPerson     = "person"
	KindProfile    = "profile"
	KindAssessment = "assessment"
	KindPlan       = "plan"
	KindSession    = "session"
	KindDiary      = "diary"
	KindBreakDay   = "break_day"
	KindAccount    = "account" // the whole of a person's data (export, import)
	// KindPassword is the person's password (its hash); the record id is
	// the person's id.
	KindPassword = "password"
	// KindAccessToken is one of the person's personal access tokens.
	KindAccessToken = "access_token"
	// KindBreakSettings is the person's break-reminder settings; the
	// record id is the person's id.
	KindBreakSettings = "break_settings"
	// KindSafetyScreen is one screen of the safety record; KindClearance
	// one clearance of it (docs/clinical.md §3).
	KindSafetyScreen = "safety_screen"
	KindClearance    = "clearance"
	// KindConsent is a consent to share with a clinician; KindProgramme a
	// programme a clinician assigned; KindShared a clinician's read of the
	// shared record, whose record id is the consent it was read under
	// (schema version 7).
	KindConsent   = "consent"
	KindProgramme = "programme"
	KindShared    = "shared_record"
	// KindCalendarFeed is the person's calendar feed; the record id is
	// the feed's id (schema version 10).
	KindCalendarFeed = "calendar_feed"
)

// AuditKinds lists every kind of audited record.
var AuditKinds = []string{KindPerson, KindProfile, KindAssessment, KindPlan, KindSession, KindDiary, KindBreakDay, KindAccount,
	KindPassword, KindAccessToken, KindBreakSettings, KindSafetyScreen, KindClearance, KindConsent, KindProgramme, KindShared,
	KindCalendarFeed}

// AuditEntry is one line of the audit trail: who read or changed which of
// whose records, and when. The store writes it in the same transaction as
// the change it records, so there is no change without its line.
//
// Every change is audited, and so is every export. A person reading their
// own records is not: they are the data's subject, and a line per page view
// would bury the lines that matter. Every read by a clinician is (KindShared).
type AuditEntry struct {
	ID      string    `json:"id"`
	At      time.Time `json:"at"`
	ActorID string    `json:"actor_id"`
	// PersonID is the person whose data it was.
	PersonID string      `json:"person_id"`
	Action   AuditAction `json:"action"`
	Kind     string      `json:"kind"`
	// RecordID is the record's id, or its date for a break day; empty for
	// the whole account.
	RecordID string `json:"record_id"`
}

// Validate checks every field of the entry.
func (e *AuditEntry) Validate() error {
	if err := CheckID("id", e.ID); err != nil {
		return err
	}
	if err := checkTime("at", e.At); err != nil {
		return err
	}
	if err := CheckID("actor_id", e.ActorID); err != nil {
		return err
	}
	if err := CheckID("person_id", e.PersonID); err != nil {
		return err
	}
	if err := checkOneOf("action", e.Action, AuditActions); err != nil {
		return err
	}
	if !contains(AuditKinds, e.Kind) {
		return Invalid("kind", "must be one of %v, got %q", AuditKinds, clip(e.Kind, 40))
	}
	if e.RecordID != "" && CheckID("record_id", e.RecordID) != nil && checkDate("record_id", e.RecordID) != nil {
		return Invalid("record_id", "must be a record id or a date, got %q", clip(e.RecordID, 40))
	}
	return nil
}
