package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
)

var _ backcoach.SharingService = (*Store)(nil)

// CreateClinic stores a new clinic.
func (s *Store) CreateClinic(ctx context.Context, c *backcoach.Clinic) error {
	c.Name = strings.TrimSpace(c.Name)
	if err := c.Validate(); err != nil {
		return err
	}
	c.ID, c.CreatedAt = newID(), s.nowStamp()
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO clinics (id, name, created_at) VALUES ($1, $2, $3)`, c.ID, c.Name, s.t(c.CreatedAt))
		if backcoach.ErrorCode(s.dbError(err, "")) == backcoach.ECONFLICT {
			return &backcoach.Error{Code: backcoach.ECONFLICT, Field: "name", Message: "a clinic named " + quote(c.Name) + " exists already"}
		}
		return s.dbError(err, "save the clinic")
	})
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// Clinics lists every clinic by name.
func (s *Store) Clinics(ctx context.Context) ([]backcoach.Clinic, error) {
	return s.queryClinics(ctx, s.rdb, `SELECT id, name, created_at FROM clinics ORDER BY name, id`)
}

// queryClinics runs a query of clinics' id, name and created_at.
func (s *Store) queryClinics(ctx context.Context, q queryer, query string, args ...any) ([]backcoach.Clinic, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.dbError(err, "read the clinics")
	}
	defer rows.Close()
	out := []backcoach.Clinic{}
	for rows.Next() {
		var c backcoach.Clinic
		var at dbTime
		if err := rows.Scan(&c.ID, &c.Name, &at); err != nil {
			return nil, s.dbError(err, "read the clinics")
		}
		c.CreatedAt = at.T
		out = append(out, c)
	}
	return out, s.dbError(rows.Err(), "read the clinics")
}

// AddClinician makes an account a clinician of a clinic (administrative).
func (s *Store) AddClinician(ctx context.Context, clinicID, personID string) (*backcoach.ClinicMember, error) {
	return s.addClinician(ctx, "", clinicID, personID)
}

// AddClinicianAs is AddClinician by an admin of the clinic.
func (s *Store) AddClinicianAs(ctx context.Context, actor, clinicID, personID string) (*backcoach.ClinicMember, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	return s.addClinician(ctx, actor, clinicID, personID)
}

func (s *Store) addClinician(ctx context.Context, actor, clinicID, personID string) (*backcoach.ClinicMember, error) {
	if err := backcoach.CheckID("clinic_id", clinicID); err != nil {
		return nil, notFound("clinic", clinicID)
	}
	if err := backcoach.CheckID("person_id", personID); err != nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such person")
	}
	var m *backcoach.ClinicMember
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clinics WHERE id = $1`, clinicID).Scan(&n); err != nil {
			return s.dbError(err, "read the clinic")
		}
		if n == 0 {
			return notFound("clinic", clinicID)
		}
		auditor := backcoach.AnonymousActor // the server's administrator, not an account
		if actor != "" {
			role, err := s.memberRole(ctx, tx, clinicID, actor)
			if err != nil || role != backcoach.ClinicRoleAdmin {
				return notFound("clinic", clinicID)
			}
			auditor = actor
		}
		if _, err := s.person(ctx, tx, personID); err != nil {
			return err
		}
		if _, err := s.memberRole(ctx, tx, clinicID, personID); err == nil {
			return backcoach.Errorf(backcoach.ECONFLICT, "this account is a clinician of the clinic already")
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clinic_members WHERE clinic_id = $1`, clinicID).Scan(&n); err != nil {
			return s.dbError(err, "read the clinic")
		}
		role := backcoach.ClinicRoleClinician
		if n == 0 {
			role = backcoach.ClinicRoleAdmin // the clinic's first clinician adds the others
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinic_members (clinic_id, person_id, role, added_at) VALUES ($1, $2, $3, $4)`,
			clinicID, personID, string(role), s.t(s.nowStamp())); err != nil {
			return s.dbError(err, "add the clinician")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET role = $1 WHERE id = $2`, string(backcoach.RoleClinician), personID); err != nil {
			return s.dbError(err, "add the clinician")
		}
		if err := s.audit(ctx, tx, auditor, personID, backcoach.AuditUpdate, backcoach.KindPerson, personID); err != nil {
			return err
		}
		list, err := s.members(ctx, tx, `m.clinic_id = $1 AND m.person_id = $2`, clinicID, personID)
		if err != nil {
			return err
		}
		m = &list[0]
		return nil
	})
	return m, err
}

// memberRole returns a person's role in a clinic, or ENOTFOUND.
func (s *Store) memberRole(ctx context.Context, q queryer, clinicID, personID string) (backcoach.ClinicRole, error) {
	var role string
	err := q.QueryRowContext(ctx, `SELECT role FROM clinic_members WHERE clinic_id = $1 AND person_id = $2`, clinicID, personID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("clinic", clinicID)
	}
	return backcoach.ClinicRole(role), s.dbError(err, "read the clinic")
}

func (s *Store) members(ctx context.Context, q queryer, where string, args ...any) ([]backcoach.ClinicMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.clinic_id, c.name, m.person_id, COALESCE(p.handle, ''), p.name, m.role, m.added_at
		FROM clinic_members m JOIN clinics c ON c.id = m.clinic_id JOIN persons p ON p.id = m.person_id
		WHERE `+where+` ORDER BY c.name, p.name, p.id`, args...)
	if err != nil {
		return nil, s.dbError(err, "read the clinicians")
	}
	defer rows.Close()
	out := []backcoach.ClinicMember{}
	for rows.Next() {
		var m backcoach.ClinicMember
		var at dbTime
		if err := rows.Scan(&m.ClinicID, &m.ClinicName, &m.PersonID, &m.Handle, &m.Name, (*string)(&m.Role), &at); err != nil {
			return nil, s.dbError(err, "read the clinicians")
		}
		m.AddedAt = at.T
		out = append(out, m)
	}
	return out, s.dbError(rows.Err(), "read the clinicians")
}

// Memberships lists the clinics the actor is a clinician of.
func (s *Store) Memberships(ctx context.Context, actor string) ([]backcoach.ClinicMember, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	return s.members(ctx, s.rdb, `m.person_id = $1`, actor)
}

// ClinicMembers lists the clinicians of one of the actor's clinics.
func (s *Store) ClinicMembers(ctx context.Context, actor, clinicID string) ([]backcoach.ClinicMember, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if backcoach.CheckID("clinic_id", clinicID) != nil {
		return nil, notFound("clinic", clinicID)
	}
	var out []backcoach.ClinicMember
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := s.memberRole(ctx, tx, clinicID, actor); err != nil {
			return err
		}
		var err error
		out, err = s.members(ctx, tx, `m.clinic_id = $1`, clinicID)
		return err
	})
	return out, err
}

// CreateInvitation stores an invitation by a clinician of the clinic.
func (s *Store) CreateInvitation(ctx context.Context, actor string, inv *backcoach.Invitation) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := inv.Validate(); err != nil {
		return err
	}
	if !isTokenHash(inv.Hash) {
		return backcoach.Invalid("hash", "must be a SHA-256 hash in hex")
	}
	inv.ID, inv.ClinicianID, inv.CreatedAt, inv.UsedAt = newID(), actor, s.nowStamp(), nil
	inv.ExpiresAt = inv.CreatedAt.Add(backcoach.InvitationLifetime)
	shares, _ := json.Marshal(inv.Shares)
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.memberRole(ctx, tx, inv.ClinicID, actor); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO clinic_invitations (id, clinic_id, clinician_id, hash, shares, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, inv.ID, inv.ClinicID, actor, inv.Hash, string(shares), s.t(inv.CreatedAt), s.t(inv.ExpiresAt))
		if err != nil {
			return s.dbError(err, "save the invitation")
		}
		return s.fillInvitation(ctx, tx, inv)
	})
}

func (s *Store) fillInvitation(ctx context.Context, q queryer, inv *backcoach.Invitation) error {
	err := q.QueryRowContext(ctx, `SELECT c.name, `+clinicianName("p")+` FROM clinics c, persons p WHERE c.id = $1 AND p.id = $2`, inv.ClinicID, inv.ClinicianID).
		Scan(&inv.ClinicName, &inv.ClinicianName)
	return s.dbError(err, "read the invitation")
}

// InvitationByHash finds an invitation by its code's hash.
func (s *Store) InvitationByHash(ctx context.Context, hash string) (*backcoach.Invitation, error) {
	if !isTokenHash(hash) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such invitation")
	}
	return s.invitation(ctx, s.rdb, hash)
}

func (s *Store) invitation(ctx context.Context, q queryer, hash string) (*backcoach.Invitation, error) {
	inv := &backcoach.Invitation{Hash: hash}
	var shares string
	var created, expires dbTime
	var used sql.Null[dbTime]
	err := q.QueryRowContext(ctx, `SELECT i.id, i.clinic_id, c.name, i.clinician_id, `+clinicianName("p")+`, i.shares, i.created_at, i.expires_at, i.used_at
		FROM clinic_invitations i JOIN clinics c ON c.id = i.clinic_id JOIN persons p ON p.id = i.clinician_id WHERE i.hash = $1`, hash).
		Scan(&inv.ID, &inv.ClinicID, &inv.ClinicName, &inv.ClinicianID, &inv.ClinicianName, &shares, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such invitation: check the code, or ask your clinician for a new one")
	}
	if err != nil {
		return nil, s.dbError(err, "read the invitation")
	}
	inv.CreatedAt, inv.ExpiresAt = created.T, expires.T
	if used.Valid {
		t := used.V.T
		inv.UsedAt = &t
	}
	return inv, s.dbError(unmarshalAll([]string{shares}, &inv.Shares), "read the invitation")
}

// AcceptInvitation uses an invitation and stores the actor's consent.
func (s *Store) AcceptInvitation(ctx context.Context, actor, hash string) (*backcoach.Consent, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if !isTokenHash(hash) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such invitation")
	}
	var c *backcoach.Consent
	err := s.write(ctx, func(tx *sql.Tx) error {
		inv, err := s.invitation(ctx, tx, hash)
		if err != nil {
			return err
		}
		now := s.nowStamp()
		switch {
		case inv.UsedAt != nil:
			return backcoach.Invalid("code", "this invitation has been used already; ask your clinician for a new one")
		case !inv.Usable(now):
			return backcoach.Invalid("code", "this invitation has expired; ask your clinician for a new one")
		case inv.ClinicianID == actor:
			return backcoach.Invalid("code", "this is your own invitation: give it to the person you want to follow")
		}
		if _, err := s.memberRole(ctx, tx, inv.ClinicID, inv.ClinicianID); err != nil {
			return backcoach.Invalid("code", "the clinician who made this invitation no longer works with the clinic")
		}
		res, err := tx.ExecContext(ctx, `UPDATE clinic_invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, s.t(now), inv.ID)
		if err != nil {
			return s.dbError(err, "use the invitation")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return backcoach.Invalid("code", "this invitation has been used already; ask your clinician for a new one")
		}
		// A new consent to the same clinician replaces the last.
		if _, err := tx.ExecContext(ctx, `UPDATE consents SET revoked_at = $1 WHERE patient_id = $2 AND clinic_id = $3 AND clinician_id = $4 AND revoked_at IS NULL`,
			s.t(now), actor, inv.ClinicID, inv.ClinicianID); err != nil {
			return s.dbError(err, "save the consent")
		}
		c = &backcoach.Consent{ID: newID(), PatientID: actor, ClinicID: inv.ClinicID, ClinicName: inv.ClinicName,
			ClinicianID: inv.ClinicianID, ClinicianName: inv.ClinicianName, Shares: inv.Shares, GrantedAt: now}
		shares, _ := json.Marshal(c.Shares)
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (id, patient_id, clinic_id, clinician_id, shares, granted_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, actor, c.ClinicID, c.ClinicianID, string(shares), s.t(now)); err != nil {
			return s.dbError(err, "save the consent")
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindConsent, c.ID)
	})
	return c, err
}

var consentColumns = `c.id, c.patient_id, c.clinic_id, cl.name, COALESCE(c.clinician_id, ''), COALESCE(` + clinicianName("cp") + `, ''), c.shares, c.granted_at, c.revoked_at`

// clinicianName is the SQL of the name a clinician is shown by to a
// patient: their name, or their handle when they gave no name.
func clinicianName(p string) string {
	return "COALESCE(NULLIF(" + p + ".name, ''), " + p + ".handle, '')"
}

const consentJoins = ` FROM consents c JOIN clinics cl ON cl.id = c.clinic_id LEFT JOIN persons cp ON cp.id = c.clinician_id`

func scanConsent(row interface{ Scan(...any) error }, more ...any) (*backcoach.Consent, error) {
	var c backcoach.Consent
	var shares string
	var granted dbTime
	var revoked sql.Null[dbTime]
	dst := append([]any{&c.ID, &c.PatientID, &c.ClinicID, &c.ClinicName, &c.ClinicianID, &c.ClinicianName, &shares, &granted, &revoked}, more...)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	c.GrantedAt = granted.T
	if revoked.Valid {
		t := revoked.V.T
		c.RevokedAt = &t
	}
	return &c, unmarshalAll([]string{shares}, &c.Shares)
}

// Consents lists the actor's consents, newest first.
func (s *Store) Consents(ctx context.Context, actor string) ([]backcoach.Consent, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	return s.patientConsents(ctx, s.rdb, actor, "DESC")
}

// patientConsents lists a patient's consents by the time they were
// given, in order (ASC or DESC).
func (s *Store) patientConsents(ctx context.Context, q queryer, patient, order string) ([]backcoach.Consent, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+consentColumns+consentJoins+` WHERE c.patient_id = $1 ORDER BY c.granted_at `+order+`, c.id`, patient)
	if err != nil {
		return nil, s.dbError(err, "read the consents")
	}
	defer rows.Close()
	out := []backcoach.Consent{}
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, s.dbError(err, "read the consents")
		}
		out = append(out, *c)
	}
	return out, s.dbError(rows.Err(), "read the consents")
}

// RevokeConsent ends one of the actor's consents, and the programme its
// clinician assigned.
func (s *Store) RevokeConsent(ctx context.Context, actor, id string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if backcoach.CheckID("id", id) != nil {
		return notFound("consent", id)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var clinician sql.NullString
		var revoked sql.Null[dbTime]
		err := tx.QueryRowContext(ctx, `SELECT clinician_id, revoked_at FROM consents WHERE id = $1 AND patient_id = $2`, id, actor).Scan(&clinician, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("consent", id)
		}
		if err != nil {
			return s.dbError(err, "read the consent")
		}
		if revoked.Valid {
			return nil // ended already
		}
		now := s.t(s.nowStamp())
		if _, err := tx.ExecContext(ctx, `UPDATE consents SET revoked_at = $1 WHERE id = $2`, now, id); err != nil {
			return s.dbError(err, "end the consent")
		}
		if clinician.Valid {
			if _, err := tx.ExecContext(ctx, `UPDATE programmes SET active = $1 WHERE patient_id = $2 AND clinician_id = $3 AND active = $4`,
				false, actor, clinician.String, true); err != nil {
				return s.dbError(err, "end the programme")
			}
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditUpdate, backcoach.KindConsent, id)
	})
}

// standingConsent is the consent that lets actor read subject's record
// now: every consent of the subject that is not revoked, given to the
// actor or to the whole of a clinic the actor is a clinician of, merged.
// Without one the subject is ENOTFOUND.
const standingConsentWhere = ` WHERE c.patient_id = $1 AND c.revoked_at IS NULL
	AND EXISTS (SELECT 1 FROM clinic_members m WHERE m.clinic_id = c.clinic_id AND m.person_id = $2)
	AND (c.clinician_id = $2 OR c.clinician_id IS NULL)`

func (s *Store) standingConsent(ctx context.Context, q queryer, a backcoach.Access) (*backcoach.Consent, error) {
	if checkActor(a.Actor) != nil || backcoach.CheckID("subject", a.Subject) != nil || a.Actor == a.Subject {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such person")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+consentColumns+consentJoins+standingConsentWhere+` ORDER BY c.granted_at DESC, c.id`, a.Subject, a.Actor)
	if err != nil {
		return nil, s.dbError(err, "read the consent")
	}
	defer rows.Close()
	var out *backcoach.Consent
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, s.dbError(err, "read the consent")
		}
		if out == nil {
			out = c
			continue
		}
		mergeConsent(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(err, "read the consent")
	}
	if out == nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such person")
	}
	sortShares(out.Shares)
	return out, nil
}

// mergeConsent adds to the newest consent the parts an older one shares.
func mergeConsent(newest, older *backcoach.Consent) {
	for _, p := range older.Shares {
		if !newest.Shared(p) {
			newest.Shares = append(newest.Shares, p)
		}
	}
}

// sortShares puts shared parts in the order of backcoach.Shares.
func sortShares(list []backcoach.Share) {
	slices.SortFunc(list, func(x, y backcoach.Share) int {
		return slices.Index(backcoach.Shares, x) - slices.Index(backcoach.Shares, y)
	})
}

// Patients lists the people whose standing consent lets the actor read
// their record.
func (s *Store) Patients(ctx context.Context, actor string) ([]backcoach.Patient, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+consentColumns+`, p.id, COALESCE(p.handle, ''), p.name, p.role, p.created_at`+consentJoins+` JOIN persons p ON p.id = c.patient_id
		WHERE c.revoked_at IS NULL AND c.patient_id <> $1
		AND EXISTS (SELECT 1 FROM clinic_members m WHERE m.clinic_id = c.clinic_id AND m.person_id = $1)
		AND (c.clinician_id = $1 OR c.clinician_id IS NULL)
		ORDER BY p.name, p.id, c.granted_at DESC`, actor)
	if err != nil {
		return nil, s.dbError(err, "read the patients")
	}
	defer rows.Close()
	out := []backcoach.Patient{}
	for rows.Next() {
		var p backcoach.Person
		var created dbTime
		c, err := scanConsent(rows, &p.ID, &p.Handle, &p.Name, (*string)(&p.Role), &created)
		if err != nil {
			return nil, s.dbError(err, "read the patients")
		}
		p.CreatedAt = created.T
		if n := len(out); n > 0 && out[n-1].Person.ID == p.ID {
			continue // the newest consent stands for the others
		}
		out = append(out, backcoach.Patient{Person: p, Consent: *c})
	}
	return out, s.dbError(rows.Err(), "read the patients")
}

// SharedRecord reads what a standing consent shares of the subject's
// record for the actor, and audits the read, in one transaction: a
// consent revoked before it began is never read past.
func (s *Store) SharedRecord(ctx context.Context, a backcoach.Access, f backcoach.Filter) (*backcoach.SharedRecord, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	f.Limit, f.NewestFirst = 0, false
	var out *backcoach.SharedRecord
	err := s.write(ctx, func(tx *sql.Tx) error {
		c, err := s.standingConsent(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := s.person(ctx, tx, a.Subject)
		if err != nil {
			return err
		}
		prof, err := s.profile(ctx, tx, a.Subject)
		if err != nil {
			return err
		}
		if prof == nil {
			prof = defaultProfile(a.Subject)
		}
		r := &backcoach.SharedRecord{Patient: *p, Profile: prof, Consent: *c,
			Assessments: []backcoach.SavedAssessment{}, Diary: []backcoach.DiaryEntry{}, Sessions: []backcoach.Session{}}
		if c.Shared(backcoach.ShareAssessments) {
			// Every assessment: the latest and the plan's start matter
			// whatever the range.
			if r.Assessments, err = s.assessments(ctx, tx, a.Subject, backcoach.Filter{}); err != nil {
				return err
			}
		}
		if c.Shared(backcoach.ShareDiary) {
			if r.Diary, err = s.diary(ctx, tx, a.Subject, f); err != nil {
				return err
			}
			// The worsening rule compares with the plan's first week
			// (docs/clinical.md §6), which may lie before the range.
			if start, ok := diary.PlanStart(r.Assessments); ok && !f.From.IsZero() && start.Before(f.From) {
				week := backcoach.Filter{From: start, To: start.AddDate(0, 0, diary.WindowDays+1)}
				if week.To.After(f.From) {
					week.To = f.From
				}
				if r.Baseline, err = s.diary(ctx, tx, a.Subject, week); err != nil {
					return err
				}
			}
		}
		if c.Shared(backcoach.ShareSessions) {
			if r.Sessions, err = s.sessions(ctx, tx, a.Subject, f); err != nil {
				return err
			}
		}
		if c.Shared(backcoach.ShareSafety) {
			if r.Safety, err = s.safetyRecord(ctx, tx, a.Subject); err != nil {
				return err
			}
		}
		if c.Shared(backcoach.SharePlan) {
			r.Programme, err = s.activeProgramme(ctx, tx, a.Subject)
			if err != nil && backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
				return err
			}
		}
		out = r
		return s.audit(ctx, tx, a.Actor, a.Subject, backcoach.AuditRead, backcoach.KindShared, c.ID)
	})
	return out, err
}

// AssignProgramme stores a programme for the subject by a clinician whose
// standing consent shares the plan; earlier programmes end.
func (s *Store) AssignProgramme(ctx context.Context, a backcoach.Access, p *backcoach.Programme) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.ID, p.PatientID, p.ClinicianID, p.CreatedAt, p.Active = newID(), a.Subject, a.Actor, s.nowStamp(), true
	exercises, _ := json.Marshal(p.Exercises)
	days, _ := json.Marshal(p.Days)
	return s.write(ctx, func(tx *sql.Tx) error {
		c, err := s.standingConsent(ctx, tx, a)
		if err != nil {
			return err
		}
		if !c.Shared(backcoach.SharePlan) {
			return backcoach.Errorf(backcoach.EFORBIDDEN, "this person does not share their plan with you, so a programme cannot be assigned")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE programmes SET active = $1 WHERE patient_id = $2 AND active = $3`, false, a.Subject, true); err != nil {
			return s.dbError(err, "end the last programme")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO programmes (id, patient_id, clinician_id, exercises, notes, days, created_at, active)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, a.Subject, a.Actor, string(exercises), p.Notes, string(days), s.t(p.CreatedAt), true); err != nil {
			return s.dbError(err, "save the programme")
		}
		return s.audit(ctx, tx, a.Actor, a.Subject, backcoach.AuditCreate, backcoach.KindProgramme, p.ID)
	})
}

// EndProgramme ends the subject's active programme, by a clinician whose
// standing consent shares the plan.
func (s *Store) EndProgramme(ctx context.Context, a backcoach.Access) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		c, err := s.standingConsent(ctx, tx, a)
		if err != nil {
			return err
		}
		if !c.Shared(backcoach.SharePlan) {
			return backcoach.Errorf(backcoach.EFORBIDDEN, "this person does not share their plan with you")
		}
		p, err := s.activeProgramme(ctx, tx, a.Subject)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE programmes SET active = $1 WHERE id = $2`, false, p.ID); err != nil {
			return s.dbError(err, "end the programme")
		}
		return s.audit(ctx, tx, a.Actor, a.Subject, backcoach.AuditUpdate, backcoach.KindProgramme, p.ID)
	})
}

// ActiveProgramme returns the actor's own active programme.
func (s *Store) ActiveProgramme(ctx context.Context, actor string) (*backcoach.Programme, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	return s.activeProgramme(ctx, s.rdb, actor)
}

func (s *Store) activeProgramme(ctx context.Context, q queryer, person string) (*backcoach.Programme, error) {
	p, err := scanProgramme(q.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE patient_id = $1 AND active = $2`, person, true), person)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no programme assigned")
	}
	if err != nil {
		return nil, s.dbError(err, "read the programme")
	}
	return p, nil
}

const programmeColumns = `id, COALESCE(clinician_id, ''), exercises, notes, days, created_at, active`

// scanProgramme reads programmeColumns of one of the person's programmes.
func scanProgramme(row interface{ Scan(...any) error }, person string) (*backcoach.Programme, error) {
	p := &backcoach.Programme{PatientID: person}
	var exercises, days string
	var at dbTime
	if err := row.Scan(&p.ID, &p.ClinicianID, &exercises, &p.Notes, &days, &at, &p.Active); err != nil {
		return nil, err
	}
	p.CreatedAt = at.T
	return p, unmarshalAll([]string{exercises, days}, &p.Exercises, &p.Days)
}
