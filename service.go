package backcoach

import (
	"context"
	"time"
)

// The services below are implemented by the store package over SQLite and
// PostgreSQL. Every method that touches a person's data takes the acting
// person's id first and only ever reaches that person's own records: a
// record of anyone else is reported as ENOTFOUND, exactly like a record
// that does not exist. Every method validates its input with the domain's
// rules before anything reaches the database, and every change is written
// with its audit line in one transaction.
//
// Saving fills in what the store decides: a new record's ID (random and
// unguessable), its PersonID, and its time when left zero (now). Times are
// stored in UTC to the microsecond and come back in UTC.

// Filter narrows and orders a list of records by their time.
type Filter struct {
	// From is inclusive and To exclusive; a zero time leaves that end open.
	From, To time.Time
	// Limit is the most records returned; 0 means no limit.
	Limit int
	// NewestFirst orders the list newest first; the default is oldest first.
	NewestFirst bool
}

// PersonService keeps accounts and their profiles.
type PersonService interface {
	// CreatePerson stores a new account. A taken handle is ECONFLICT.
	CreatePerson(ctx context.Context, p *Person) error
	// PersonByHandle finds an account by its handle, for signing in and for
	// the command line's local account.
	PersonByHandle(ctx context.Context, handle string) (*Person, error)
	// Person returns the acting person's own account.
	Person(ctx context.Context, actor string) (*Person, error)
	// UpdatePerson changes the acting person's name.
	UpdatePerson(ctx context.Context, actor string, p *Person) error
	// Profile returns the acting person's profile; one with defaults (UTC,
	// nothing known) when none was saved.
	Profile(ctx context.Context, actor string) (*Profile, error)
	// SaveProfile stores the acting person's profile, replacing the last.
	SaveProfile(ctx context.Context, actor string, p *Profile) error
	// DeleteAccount removes every row of the acting person, audit trail
	// included, in one transaction, and says what was removed.
	DeleteAccount(ctx context.Context, actor string) (*DeleteReport, error)
}

// AssessmentService keeps the history of assessments.
type AssessmentService interface {
	SaveAssessment(ctx context.Context, actor string, a *SavedAssessment) error
	Assessment(ctx context.Context, actor, id string) (*SavedAssessment, error)
	Assessments(ctx context.Context, actor string, f Filter) ([]SavedAssessment, error)
}

// PlanService keeps the plans that were built.
type PlanService interface {
	// SavePlan stores a plan; its AssessmentID, if set, must name one of
	// the person's assessments.
	SavePlan(ctx context.Context, actor string, p *SavedPlan) error
	Plan(ctx context.Context, actor, id string) (*SavedPlan, error)
	Plans(ctx context.Context, actor string, f Filter) ([]SavedPlan, error)
}

// SessionService keeps guided sessions.
type SessionService interface {
	// SaveSession stores a session and its exercises; its PlanID, if set,
	// must name one of the person's plans.
	SaveSession(ctx context.Context, actor string, s *Session) error
	Session(ctx context.Context, actor, id string) (*Session, error)
	Sessions(ctx context.Context, actor string, f Filter) ([]Session, error)
	DeleteSession(ctx context.Context, actor, id string) error
}

// DiaryService keeps the daily check-ins.
type DiaryService interface {
	AddDiaryEntry(ctx context.Context, actor string, e *DiaryEntry) error
	DiaryEntry(ctx context.Context, actor, id string) (*DiaryEntry, error)
	DiaryEntries(ctx context.Context, actor string, f Filter) ([]DiaryEntry, error)
	// UpdateDiaryEntry replaces an entry's pain, note, flags and PEG.
	UpdateDiaryEntry(ctx context.Context, actor string, e *DiaryEntry) error
	DeleteDiaryEntry(ctx context.Context, actor, id string) error
}

// BreakStatsService keeps the break reminder's daily statistics.
type BreakStatsService interface {
	// SaveBreakDay stores a day's totals, merged with what was saved for
	// that day: each figure keeps the larger value, as a day's totals
	// only grow and another server may have saved a later copy.
	SaveBreakDay(ctx context.Context, actor string, d *BreakDay) error
	// BreakDays lists the days from from to to (YYYY-MM-DD, both
	// inclusive; empty leaves that end open), oldest first.
	BreakDays(ctx context.Context, actor, from, to string) ([]BreakDay, error)
}

// BreakSettingsService keeps how each person wants the break reminder to
// behave.
type BreakSettingsService interface {
	// BreakSettings returns the acting person's settings, or the defaults
	// (UpdatedAt nil) when they never saved any.
	BreakSettings(ctx context.Context, actor string) (*BreakSettings, error)
	// SaveBreakSettings stores the acting person's settings, replacing the
	// last; the store sets PersonID and UpdatedAt.
	SaveBreakSettings(ctx context.Context, actor string, s *BreakSettings) error
}

// AuditService reads the audit trail of the acting person's data.
type AuditService interface {
	AuditTrail(ctx context.Context, actor string, f Filter) ([]AuditEntry, error)
}

// ExportService moves a person's data out and back in.
type ExportService interface {
	// Export returns everything about the acting person; the export is
	// itself audited.
	Export(ctx context.Context, actor string) (*Export, error)
	// Import restores a document exactly, ids and times included, in one
	// transaction, and returns the restored account. It is an
	// administrative operation: the edge that offers it decides who may.
	Import(ctx context.Context, doc *Export, opts ImportOptions) (*Person, error)
}

// Batch is records that belong together, kept in one transaction with
// their audit lines: an assessment with its screen of the warning signs
// and what the profile learns from it; a check-in with its screen; a
// session with the screen of the signs answered when it was stopped.
// Nil fields are left out; the store fills in each record as its own
// Save method would.
type Batch struct {
	Assessment *SavedAssessment
	Profile    *Profile
	Screen     *Screen
	Diary      *DiaryEntry
	Session    *Session
}

// BatchService keeps a batch.
type BatchService interface {
	// Keep validates every record of the batch, then writes them all in
	// one transaction, or none.
	Keep(ctx context.Context, actor string, b *Batch) error
}
