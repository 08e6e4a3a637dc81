package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/backcoach/backcoach"
)

// CreatePerson stores a new account; the store sets its ID and creation
// time.
func (s *Store) CreatePerson(ctx context.Context, p *backcoach.Person) error {
	p.ID = newID()
	p.CreatedAt = s.nowStamp()
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertPerson(ctx, tx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, p.ID, p.ID, backcoach.AuditCreate, backcoach.KindPerson, p.ID)
	})
}

func (s *Store) insertPerson(ctx context.Context, q queryer, p *backcoach.Person) error {
	var handle any
	if p.Handle != "" {
		handle = p.Handle
	}
	_, err := q.ExecContext(ctx,
		`INSERT INTO persons (id, handle, name, role, created_at) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, handle, p.Name, string(p.Role), s.t(p.CreatedAt))
	if backcoach.ErrorCode(s.dbError(err, "")) == backcoach.ECONFLICT {
		return backcoach.Errorf(backcoach.ECONFLICT, "an account with the id %q or the handle %q exists already", p.ID, p.Handle)
	}
	return s.dbError(err, "save the account")
}

const personColumns = `id, COALESCE(handle, ''), name, role, created_at`

func scanPerson(row interface{ Scan(...any) error }) (*backcoach.Person, error) {
	var p backcoach.Person
	var created dbTime
	if err := row.Scan(&p.ID, &p.Handle, &p.Name, (*string)(&p.Role), &created); err != nil {
		return nil, err
	}
	p.CreatedAt = created.T
	return &p, nil
}

// PersonByHandle finds an account by its handle.
func (s *Store) PersonByHandle(ctx context.Context, handle string) (*backcoach.Person, error) {
	p, err := scanPerson(s.rdb.QueryRowContext(ctx, `SELECT `+personColumns+` FROM persons WHERE handle = $1`, handle))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no account with the handle %q", handle)
	}
	return p, s.dbError(err, "read the account")
}

// Person returns the acting person's account.
func (s *Store) Person(ctx context.Context, actor string) (*backcoach.Person, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	return s.person(ctx, s.rdb, actor)
}

func (s *Store) person(ctx context.Context, q queryer, id string) (*backcoach.Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM persons WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such person")
	}
	return p, s.dbError(err, "read the account")
}

// UpdatePerson changes the acting person's name; the id, handle, role and
// creation time stay as they are.
func (s *Store) UpdatePerson(ctx context.Context, actor string, p *backcoach.Person) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		cur, err := s.person(ctx, tx, actor)
		if err != nil {
			return err
		}
		cur.Name = p.Name
		if err := cur.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET name = $1 WHERE id = $2`, cur.Name, actor); err != nil {
			return s.dbError(err, "save the account")
		}
		*p = *cur
		return s.audit(ctx, tx, actor, actor, backcoach.AuditUpdate, backcoach.KindPerson, actor)
	})
}

// Profile returns the acting person's profile, or a profile with defaults
// when none was saved.
func (s *Store) Profile(ctx context.Context, actor string) (*backcoach.Profile, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	var p *backcoach.Profile
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.profile(ctx, tx, actor)
		if err != nil || p != nil {
			return err
		}
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		p = defaultProfile(actor)
		return nil
	})
	return p, err
}

// profile reads the stored profile, or nil when there is none.
func (s *Store) profile(ctx context.Context, q queryer, actor string) (*backcoach.Profile, error) {
	p, err := scanProfile(q.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE person_id = $1`, actor))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.dbError(err, "read the profile")
	}
	return p, nil
}

const profileColumns = `person_id, time_zone, conditions, places, equipment, minutes, clinician_assessed, updated_at`

func scanProfile(row interface{ Scan(...any) error }) (*backcoach.Profile, error) {
	var p backcoach.Profile
	var conditions, places, equipment string
	var updated dbTime
	if err := row.Scan(&p.PersonID, &p.TimeZone, &conditions, &places, &equipment, (*dbInt)(&p.Minutes), &p.ClinicianAssessed, &updated); err != nil {
		return nil, err
	}
	p.UpdatedAt = updated.T
	if err := unmarshalAll([]string{conditions, places, equipment}, &p.Conditions, &p.Places, &p.Equipment); err != nil {
		return nil, err
	}
	return &p, nil
}

// defaultProfile is the profile of a person who saved none.
func defaultProfile(person string) *backcoach.Profile {
	return &backcoach.Profile{PersonID: person, TimeZone: backcoach.DefaultTimeZone,
		Conditions: []backcoach.Condition{}, Places: []backcoach.Place{}, Equipment: []backcoach.Equipment{}}
}

// SaveProfile stores the acting person's profile, replacing the last one.
func (s *Store) SaveProfile(ctx context.Context, actor string, p *backcoach.Profile) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := s.prepareProfile(actor, p); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.upsertProfile(ctx, tx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditUpdate, backcoach.KindProfile, actor)
	})
}

// prepareProfile fills in what the store decides and checks the profile.
func (s *Store) prepareProfile(actor string, p *backcoach.Profile) error {
	p.PersonID = actor
	p.UpdatedAt = s.nowStamp()
	normalizeProfile(p)
	return p.Validate()
}

// normalizeProfile stores "nothing known" as empty lists, never null.
func normalizeProfile(p *backcoach.Profile) {
	if p.Conditions == nil {
		p.Conditions = []backcoach.Condition{}
	}
	if p.Places == nil {
		p.Places = []backcoach.Place{}
	}
	if p.Equipment == nil {
		p.Equipment = []backcoach.Equipment{}
	}
}

func (s *Store) upsertProfile(ctx context.Context, q queryer, p *backcoach.Profile) error {
	conditions, _ := json.Marshal(p.Conditions)
	places, _ := json.Marshal(p.Places)
	equipment, _ := json.Marshal(p.Equipment)
	_, err := q.ExecContext(ctx,
		`INSERT INTO profiles (person_id, time_zone, conditions, places, equipment, minutes, clinician_assessed, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (person_id) DO UPDATE SET time_zone = excluded.time_zone, conditions = excluded.conditions,
			places = excluded.places, equipment = excluded.equipment, minutes = excluded.minutes,
			clinician_assessed = excluded.clinician_assessed, updated_at = excluded.updated_at`,
		p.PersonID, p.TimeZone, string(conditions), string(places), string(equipment), p.Minutes, p.ClinicianAssessed, s.t(p.UpdatedAt))
	return s.dbError(err, "save the profile")
}

// unmarshalAll decodes stored JSON texts into their destinations.
func unmarshalAll(texts []string, dst ...any) error {
	for i, t := range texts {
		if err := json.Unmarshal([]byte(t), dst[i]); err != nil {
			return backcoach.Errorf(backcoach.EINTERNAL, "a stored list cannot be read: %v", err)
		}
	}
	return nil
}
