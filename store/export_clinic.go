package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/backcoach/backcoach"
)

// exportClinic reads the person's clinic records into the document: their
// memberships, the consents they gave, the invitations they made, the
// programmes assigned to them, and the clinics these name.
func (s *Store) exportClinic(ctx context.Context, q queryer, id string, doc *backcoach.Export) error {
	var err error
	if doc.Clinics, err = s.exportClinics(ctx, q, id); err != nil {
		return err
	}
	if doc.ClinicMemberships, err = s.members(ctx, q, `m.person_id = $1`, id); err != nil {
		return err
	}
	if doc.Consents, err = s.exportConsents(ctx, q, id); err != nil {
		return err
	}
	if doc.Invitations, err = s.exportInvitations(ctx, q, id); err != nil {
		return err
	}
	doc.Programmes, err = s.exportProgrammes(ctx, q, id)
	return err
}

func (s *Store) exportClinics(ctx context.Context, q queryer, id string) ([]backcoach.Clinic, error) {
	return s.queryClinics(ctx, q, `SELECT id, name, created_at FROM clinics WHERE id IN (
		SELECT clinic_id FROM clinic_members WHERE person_id = $1
		UNION SELECT clinic_id FROM consents WHERE patient_id = $1
		UNION SELECT clinic_id FROM clinic_invitations WHERE clinician_id = $1) ORDER BY created_at, id`, id)
}

func (s *Store) exportConsents(ctx context.Context, q queryer, id string) ([]backcoach.Consent, error) {
	return s.patientConsents(ctx, q, id, "ASC")
}

func (s *Store) exportInvitations(ctx context.Context, q queryer, id string) ([]backcoach.Invitation, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.clinic_id, c.name, i.clinician_id, p.name, i.shares, i.created_at, i.expires_at, i.used_at
		FROM clinic_invitations i JOIN clinics c ON c.id = i.clinic_id JOIN persons p ON p.id = i.clinician_id
		WHERE i.clinician_id = $1 ORDER BY i.created_at, i.id`, id)
	if err != nil {
		return nil, s.dbError(err, "read the invitations")
	}
	defer rows.Close()
	out := []backcoach.Invitation{}
	for rows.Next() {
		var inv backcoach.Invitation
		var shares string
		var created, expires dbTime
		var used sql.Null[dbTime]
		if err := rows.Scan(&inv.ID, &inv.ClinicID, &inv.ClinicName, &inv.ClinicianID, &inv.ClinicianName, &shares, &created, &expires, &used); err != nil {
			return nil, s.dbError(err, "read the invitations")
		}
		inv.CreatedAt, inv.ExpiresAt = created.T, expires.T
		if used.Valid {
			t := used.V.T
			inv.UsedAt = &t
		}
		if err := unmarshalAll([]string{shares}, &inv.Shares); err != nil {
			return nil, s.dbError(err, "read the invitations")
		}
		out = append(out, inv)
	}
	return out, s.dbError(rows.Err(), "read the invitations")
}

func (s *Store) exportProgrammes(ctx context.Context, q queryer, id string) ([]backcoach.Programme, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+programmeColumns+` FROM programmes WHERE patient_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return nil, s.dbError(err, "read the programmes")
	}
	defer rows.Close()
	out := []backcoach.Programme{}
	for rows.Next() {
		p, err := scanProgramme(rows, id)
		if err != nil {
			return nil, s.dbError(err, "read the programmes")
		}
		out = append(out, *p)
	}
	return out, s.dbError(rows.Err(), "read the programmes")
}

// normalizeClinic brings the document's clinic records to the stored
// form: times in UTC to the microsecond, absent lists empty.
func normalizeClinic(doc *backcoach.Export) {
	if doc.Clinics == nil {
		doc.Clinics = []backcoach.Clinic{}
	}
	for i := range doc.Clinics {
		doc.Clinics[i].CreatedAt = stamp(doc.Clinics[i].CreatedAt)
	}
	if doc.ClinicMemberships == nil {
		doc.ClinicMemberships = []backcoach.ClinicMember{}
	}
	for i := range doc.ClinicMemberships {
		doc.ClinicMemberships[i].AddedAt = stamp(doc.ClinicMemberships[i].AddedAt)
	}
	if doc.Consents == nil {
		doc.Consents = []backcoach.Consent{}
	}
	for i := range doc.Consents {
		c := &doc.Consents[i]
		c.GrantedAt = stamp(c.GrantedAt)
		if c.RevokedAt != nil {
			t := stamp(*c.RevokedAt)
			c.RevokedAt = &t
		}
	}
	if doc.Invitations == nil {
		doc.Invitations = []backcoach.Invitation{}
	}
	for i := range doc.Invitations {
		inv := &doc.Invitations[i]
		inv.CreatedAt, inv.ExpiresAt = stamp(inv.CreatedAt), stamp(inv.ExpiresAt)
		if inv.UsedAt != nil {
			t := stamp(*inv.UsedAt)
			inv.UsedAt = &t
		}
	}
	if doc.Programmes == nil {
		doc.Programmes = []backcoach.Programme{}
	}
	for i := range doc.Programmes {
		doc.Programmes[i].CreatedAt = stamp(doc.Programmes[i].CreatedAt)
	}
}

// importClinic restores the document's clinic records, after its person:
//   - a clinic not stored here is made, with its id and name (a name taken
//     by another clinic here is ECONFLICT); one stored here is kept as it is;
//   - memberships are restored as they were;
//   - a consent or programme whose clinician has no account here is kept
//     with the clinician left blank, as when a clinician deletes their
//     account: the consent ended (at the import, if it was standing), the
//     programme inactive;
//   - invitations are kept with a new, unknown code: the codes handed out
//     do not work after an import.
func (s *Store) importClinic(ctx context.Context, tx *sql.Tx, doc *backcoach.Export) error {
	for i, c := range doc.Clinics {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM clinics WHERE id = $1`, c.ID).Scan(&name)
		if err == nil {
			continue
		}
		if err != sql.ErrNoRows {
			return s.dbError(err, "read the clinic")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO clinics (id, name, created_at) VALUES ($1, $2, $3)`, c.ID, c.Name, s.t(c.CreatedAt))
		if backcoach.ErrorCode(s.dbError(err, "")) == backcoach.ECONFLICT {
			return &backcoach.Error{Code: backcoach.ECONFLICT, Field: fmt.Sprintf("clinics[%d].name", i),
				Message: "another clinic named " + quote(c.Name) + " is stored here; nothing was imported"}
		}
		if err != nil {
			return s.dbError(err, "save the clinic")
		}
	}
	for _, m := range doc.ClinicMemberships {
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinic_members (clinic_id, person_id, role, added_at) VALUES ($1, $2, $3, $4)`,
			m.ClinicID, m.PersonID, string(m.Role), s.t(m.AddedAt)); err != nil {
			return s.dbError(err, "save the clinic membership")
		}
	}
	known := map[string]bool{}
	present := func(id string) (bool, error) {
		if id == "" {
			return false, nil
		}
		if ok, seen := known[id]; seen {
			return ok, nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM persons WHERE id = $1`, id).Scan(&n); err != nil {
			return false, s.dbError(err, "look for the clinician")
		}
		known[id] = n == 1
		return n == 1, nil
	}
	now := s.nowStamp()
	for i := range doc.Consents {
		c := &doc.Consents[i]
		ok, err := present(c.ClinicianID)
		if err != nil {
			return err
		}
		var clinician, revoked any
		if ok {
			clinician = c.ClinicianID
		} else {
			c.ClinicianID, c.ClinicianName = "", ""
			if c.RevokedAt == nil {
				c.RevokedAt = &now
			}
		}
		if c.RevokedAt != nil {
			revoked = s.t(*c.RevokedAt)
		}
		shares, _ := json.Marshal(c.Shares)
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (id, patient_id, clinic_id, clinician_id, shares, granted_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.ID, c.PatientID, c.ClinicID, clinician, string(shares), s.t(c.GrantedAt), revoked); err != nil {
			return s.dbError(err, "save the consent")
		}
	}
	for _, inv := range doc.Invitations {
		var secret [32]byte
		rand.Read(secret[:])
		hash := sha256.Sum256(secret[:])
		var used any
		if inv.UsedAt != nil {
			used = s.t(*inv.UsedAt)
		}
		shares, _ := json.Marshal(inv.Shares)
		if _, err := tx.ExecContext(ctx, `INSERT INTO clinic_invitations (id, clinic_id, clinician_id, hash, shares, created_at, expires_at, used_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, inv.ID, inv.ClinicID, inv.ClinicianID, hex.EncodeToString(hash[:]), string(shares),
			s.t(inv.CreatedAt), s.t(inv.ExpiresAt), used); err != nil {
			return s.dbError(err, "save the invitation")
		}
	}
	for i := range doc.Programmes {
		p := &doc.Programmes[i]
		ok, err := present(p.ClinicianID)
		if err != nil {
			return err
		}
		var clinician any
		if ok {
			clinician = p.ClinicianID
		} else {
			p.ClinicianID, p.Active = "", false
		}
		exercises, _ := json.Marshal(p.Exercises)
		days, _ := json.Marshal(p.Days)
		if _, err := tx.ExecContext(ctx, `INSERT INTO programmes (id, patient_id, clinician_id, exercises, notes, days, created_at, active)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, p.PatientID, clinician, string(exercises), p.Notes, string(days), s.t(p.CreatedAt), p.Active); err != nil {
			return s.dbError(err, "save the programme")
		}
	}
	return nil
}
