package store

import (
	"context"
	"database/sql"

	"github.com/backcoach/backcoach"
)

// Export returns everything about the acting person as one document. The
// export is audited first, so the document carries its own audit line, and
// then read in one snapshot. What signs the person in (the password hash,
// access tokens, web sessions) is not part of it.
func (s *Store) Export(ctx context.Context, actor string) (*backcoach.Export, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditExport, backcoach.KindAccount, "")
	})
	if err != nil {
		return nil, err
	}
	var doc *backcoach.Export
	err = s.read(ctx, func(tx *sql.Tx) error {
		var err error
		doc, err = s.export(ctx, tx, actor)
		return err
	})
	return doc, err
}

// export reads the whole of one person's data.
func (s *Store) export(ctx context.Context, q queryer, id string) (*backcoach.Export, error) {
	p, err := s.person(ctx, q, id)
	if err != nil {
		return nil, err
	}
	doc := &backcoach.Export{
		Format:     backcoach.ExportFormat,
		Version:    backcoach.ExportVersion,
		ExportedAt: s.nowStamp(),
		Person:     *p,
	}
	all := backcoach.Filter{}
	if doc.Profile, err = s.profile(ctx, q, id); err != nil {
		return nil, err
	}
	if doc.Assessments, err = s.assessments(ctx, q, id, all); err != nil {
		return nil, err
	}
	if doc.Plans, err = s.plans(ctx, q, id, all); err != nil {
		return nil, err
	}
	if doc.Sessions, err = s.sessions(ctx, q, id, all); err != nil {
		return nil, err
	}
	if doc.Diary, err = s.diary(ctx, q, id, all); err != nil {
		return nil, err
	}
	if doc.BreakDays, err = s.breakDays(ctx, q, id, "", ""); err != nil {
		return nil, err
	}
	if doc.BreakSettings, err = s.breakSettings(ctx, q, id); err != nil {
		return nil, err
	}
	safety, err := s.safetyRecord(ctx, q, id)
	if err != nil {
		return nil, err
	}
	doc.Safety = *safety
	if err := s.exportClinic(ctx, q, id, doc); err != nil {
		return nil, err
	}
	if doc.Audit, err = s.auditTrail(ctx, q, id, all); err != nil {
		return nil, err
	}
	return doc, nil
}

// Import restores an export document exactly, ids and times included, in
// one transaction, and adds an audit line for the import. A person already
// stored with the document's id or handle is ECONFLICT unless opts.Replace
// asks for that person's data to be removed first, password, access tokens
// and web sessions included. The imported account has no password and no
// access tokens: on a server the person sets a new password (by a reset)
// before they can sign in.
func (s *Store) Import(ctx context.Context, doc *backcoach.Export, opts backcoach.ImportOptions) (*backcoach.Person, error) {
	if err := normalizeExport(doc); err != nil {
		return nil, err
	}
	if err := doc.Validate(); err != nil {
		return nil, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.importDoc(ctx, tx, doc, opts); err != nil {
			return err
		}
		if err := s.importClinic(ctx, tx, doc); err != nil {
			return err
		}
		return s.audit(ctx, tx, doc.Person.ID, doc.Person.ID, backcoach.AuditImport, backcoach.KindAccount, "")
	})
	if err != nil {
		return nil, err
	}
	p := doc.Person
	return &p, nil
}

// normalizeExport brings a decoded document to the stored form: times in
// UTC to the microsecond, absent lists empty.
func normalizeExport(doc *backcoach.Export) error {
	if doc == nil {
		return backcoach.Invalid("document", "is empty")
	}
	doc.Person.CreatedAt = stamp(doc.Person.CreatedAt)
	if doc.Profile != nil {
		doc.Profile.UpdatedAt = stamp(doc.Profile.UpdatedAt)
		normalizeProfile(doc.Profile)
	}
	for i := range doc.Assessments {
		doc.Assessments[i].TakenAt = stamp(doc.Assessments[i].TakenAt)
	}
	for i := range doc.Plans {
		doc.Plans[i].CreatedAt = stamp(doc.Plans[i].CreatedAt)
	}
	for i := range doc.Sessions {
		doc.Sessions[i].StartedAt = stamp(doc.Sessions[i].StartedAt)
		if doc.Sessions[i].Exercises == nil {
			doc.Sessions[i].Exercises = []backcoach.ExerciseOutcome{}
		}
	}
	for i := range doc.Diary {
		doc.Diary[i].At = stamp(doc.Diary[i].At)
		if doc.Diary[i].Flags == nil {
			doc.Diary[i].Flags = []string{}
		}
	}
	if b := doc.BreakSettings; b != nil && b.UpdatedAt != nil {
		t := stamp(*b.UpdatedAt)
		b.UpdatedAt = &t
	}
	if len(doc.Safety.Screens) == 0 && len(doc.Safety.Clearances) == 0 {
		carrySafety(doc)
	}
	if doc.Safety.Screens == nil {
		doc.Safety.Screens = []backcoach.Screen{}
	}
	for i := range doc.Safety.Screens {
		sc := &doc.Safety.Screens[i]
		sc.At = stamp(sc.At)
		if sc.Signs == nil {
			sc.Signs = []string{}
		}
	}
	if doc.Safety.Clearances == nil {
		doc.Safety.Clearances = []backcoach.Clearance{}
	}
	for i := range doc.Safety.Clearances {
		doc.Safety.Clearances[i].RecordedAt = stamp(doc.Safety.Clearances[i].RecordedAt)
	}
	normalizeClinic(doc)
	for i := range doc.Audit {
		doc.Audit[i].At = stamp(doc.Audit[i].At)
	}
	return nil
}

// carrySafety fills the safety record of a document written before it was
// kept (or without it) from the warning signs its assessments and
// check-ins hold, as migration 5 does for stored data: a sign answered
// then still stands until a clinician clears it.
func carrySafety(doc *backcoach.Export) {
	for _, a := range doc.Assessments {
		if len(a.Result.RedFlags) > 0 {
			doc.Safety.Screens = append(doc.Safety.Screens, backcoach.Screen{ID: carriedID(a.ID), PersonID: a.PersonID, At: a.TakenAt,
				Kind: backcoach.ScreenAssessment, Via: backcoach.ViaUnknown, Complete: true, Signs: append([]string{}, a.Result.RedFlags...)})
		}
	}
	for _, e := range doc.Diary {
		if len(e.Flags) > 0 {
			doc.Safety.Screens = append(doc.Safety.Screens, backcoach.Screen{ID: carriedID(e.ID), PersonID: e.PersonID, At: e.At,
				Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaUnknown, Complete: true, Signs: append([]string{}, e.Flags...)})
		}
	}
}

// carriedID is the id of a screen carried over from a record: the record's
// id with its first letter changed, as migration 5 makes them.
func carriedID(id string) string {
	if id == "" {
		return id
	}
	if id[0] == 's' {
		return "t" + id[1:]
	}
	return "s" + id[1:]
}

func (s *Store) importDoc(ctx context.Context, tx *sql.Tx, doc *backcoach.Export, opts backcoach.ImportOptions) error {
	id := doc.Person.ID
	existing, err := s.clashingPersons(ctx, tx, id, doc.Person.Handle)
	if err != nil {
		return err
	}
	if len(existing) > 0 && !opts.Replace {
		return backcoach.Errorf(backcoach.ECONFLICT,
			"an account with the id %q or the handle %q is already stored here; nothing was imported (replace it on purpose, or delete that account first)",
			id, doc.Person.Handle)
	}
	for _, old := range existing {
		if _, err := s.deleteAll(ctx, tx, old); err != nil {
			return err
		}
	}
	if err := s.insertPerson(ctx, tx, &doc.Person); err != nil {
		return err
	}
	if doc.Profile != nil {
		if err := s.upsertProfile(ctx, tx, doc.Profile); err != nil {
			return err
		}
	}
	for i := range doc.Assessments {
		if err := s.insertAssessment(ctx, tx, &doc.Assessments[i]); err != nil {
			return err
		}
	}
	for i := range doc.Plans {
		if err := s.insertPlan(ctx, tx, &doc.Plans[i]); err != nil {
			return err
		}
	}
	for i := range doc.Sessions {
		if err := s.insertSession(ctx, tx, &doc.Sessions[i]); err != nil {
			return err
		}
	}
	for i := range doc.Diary {
		if err := s.insertDiary(ctx, tx, &doc.Diary[i]); err != nil {
			return err
		}
	}
	for i := range doc.BreakDays {
		if err := s.upsertBreakDay(ctx, tx, &doc.BreakDays[i]); err != nil {
			return err
		}
	}
	if doc.BreakSettings != nil {
		if err := s.upsertBreakSettings(ctx, tx, doc.BreakSettings); err != nil {
			return err
		}
	}
	for i := range doc.Safety.Screens {
		if err := s.insertScreen(ctx, tx, &doc.Safety.Screens[i]); err != nil {
			return err
		}
	}
	for i := range doc.Safety.Clearances {
		if err := s.insertClearance(ctx, tx, &doc.Safety.Clearances[i]); err != nil {
			return err
		}
	}
	for i := range doc.Audit {
		if err := s.insertAudit(ctx, tx, &doc.Audit[i]); err != nil {
			return err
		}
	}
	return nil
}

// clashingPersons returns the ids of stored persons with the id or handle.
func (s *Store) clashingPersons(ctx context.Context, q queryer, id, handle string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM persons WHERE id = $1 OR handle = $2`, id, handle)
	if err != nil {
		return nil, s.dbError(err, "look for the account")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, s.dbError(err, "look for the account")
		}
		ids = append(ids, v)
	}
	return ids, s.dbError(rows.Err(), "look for the account")
}

// DeleteAccount removes every row of the acting person, in one transaction,
// and says how many of each kind went.
func (s *Store) DeleteAccount(ctx context.Context, actor string) (*backcoach.DeleteReport, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	var report *backcoach.DeleteReport
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		var err error
		report, err = s.deleteAll(ctx, tx, actor)
		return err
	})
	if err == nil {
		s.log.Info("account deleted", "rows", report.Total())
	}
	return report, err
}

// deletions remove a person's rows, children before the rows they refer
// to; each names the kind of row it removes. The person's web sessions are
// deleted outright (not left as tombstones): a request under way cannot
// write one back, since its person no longer exists. The order of the
// kinds is what reports show; new kinds go before "accounts", which must
// stay last.
var deletions = []struct{ kind, table, where string }{
	{"session exercises", "session_exercises", "session_id IN (SELECT id FROM sessions WHERE person_id = $1)"},
	{"sessions", "sessions", "person_id = $1"},
	{"plans", "plans", "person_id = $1"},
	{"assessments", "assessments", "person_id = $1"},
	{"diary entries", "diary_entries", "person_id = $1"},
	{"break days", "break_days", "person_id = $1"},
	{"break settings", "break_settings", "person_id = $1"},
	{"warning-sign screens", "safety_screens", "person_id = $1"},
	{"clearances", "clearances", "person_id = $1"},
	{"profiles", "profiles", "person_id = $1"},
	{"audit entries", "audit_log", "person_id = $1"},
	{"passwords", "credentials", "person_id = $1"},
	{"access tokens", "access_tokens", "person_id = $1"},
	{"web sessions", "web_sessions", "person_id = $1"},
	{"calendar feeds", "calendar_feeds", "person_id = $1"},
	{"form keys", "form_keys", "person_id = $1"},
	{"programmes", "programmes", "patient_id = $1"},
	{"consents", "consents", "patient_id = $1"},
	{"clinic invitations", "clinic_invitations", "clinician_id = $1"},
	{"clinic memberships", "clinic_members", "person_id = $1"},
	{"accounts", "persons", "id = $1"},
}

// clinicianGone is what becomes of a clinician's part in other people's
// records when the clinician's account goes: the consents given to them
// end, and the programmes they assigned end; both stay in the patients'
// records with the clinician left blank (NULL). A consent that names no
// clinician is otherwise one to the whole clinic, but an ended consent
// lets nobody read anything. The patients' audit trails keep the lines of
// the clinician's reads: they are the patients' data.
var clinicianGone = []struct {
	what, sql string
	now       bool // $2 is the time now
}{
	{"end the consents given to the clinician", `UPDATE consents SET revoked_at = $2 WHERE clinician_id = $1 AND revoked_at IS NULL`, true},
	{"end the consents given to the clinician", `UPDATE consents SET clinician_id = NULL WHERE clinician_id = $1`, false},
	{"end the programmes the clinician assigned", `UPDATE programmes SET active = (1 = 0), clinician_id = NULL WHERE clinician_id = $1 AND patient_id <> $1`, false},
}

// goneRecord is a patient's consent or programme that a clinician's
// leaving ends.
type goneRecord struct{ patient, kind, record string }

// clinicianGoneRecords lists what clinicianGone is about to end: the
// standing consents given to the clinician and the active programmes they
// assigned to others.
func (s *Store) clinicianGoneRecords(ctx context.Context, q queryer, id string) ([]goneRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT patient_id, '`+backcoach.KindConsent+`', id FROM consents WHERE clinician_id = $1 AND revoked_at IS NULL
		UNION ALL SELECT patient_id, '`+backcoach.KindProgramme+`', id FROM programmes WHERE clinician_id = $1 AND patient_id <> $1 AND active`, id)
	if err != nil {
		return nil, s.dbError(err, "read what the clinician's leaving ends")
	}
	defer rows.Close()
	var out []goneRecord
	for rows.Next() {
		var g goneRecord
		if err := rows.Scan(&g.patient, &g.kind, &g.record); err != nil {
			return nil, s.dbError(err, "read what the clinician's leaving ends")
		}
		out = append(out, g)
	}
	return out, s.dbError(rows.Err(), "read what the clinician's leaving ends")
}

// deleteAll removes every row of one person.
func (s *Store) deleteAll(ctx context.Context, q queryer, id string) (*backcoach.DeleteReport, error) {
	report := &backcoach.DeleteReport{PersonID: id}
	now := s.t(s.nowStamp())
	ended, err := s.clinicianGoneRecords(ctx, q, id)
	if err != nil {
		return nil, err
	}
	for _, g := range clinicianGone {
		args := []any{id}
		if g.now {
			args = append(args, now)
		}
		if _, err := q.ExecContext(ctx, g.sql, args...); err != nil {
			return nil, s.dbError(err, g.what)
		}
	}
	// Each patient's trail says that the consent or programme ended, and
	// by whose leaving: the line is the patient's, so it stays.
	for _, e := range ended {
		if err := s.audit(ctx, q, id, e.patient, backcoach.AuditUpdate, e.kind, e.record); err != nil {
			return nil, err
		}
	}
	for _, d := range deletions {
		res, err := q.ExecContext(ctx, `DELETE FROM `+d.table+` WHERE `+d.where, id)
		if err != nil {
			return nil, s.dbError(err, "delete "+d.kind)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, s.dbError(err, "delete "+d.kind)
		}
		report.Removed = append(report.Removed, backcoach.RemovedRows{Kind: d.kind, Rows: n})
	}
	if report.Removed[len(report.Removed)-1].Rows != 1 {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such person")
	}
	return report, nil
}
