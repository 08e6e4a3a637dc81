package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/backcoach/backcoach"
)

// AddScreen keeps one time the warning signs were asked, with the signs
// answered yes (docs/clinical.md §3).
func (s *Store) AddScreen(ctx context.Context, actor string, sc *backcoach.Screen) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := s.prepareScreen(actor, sc); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertScreen(ctx, tx, sc); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindSafetyScreen, sc.ID)
	})
}

// prepareScreen fills in what the store decides and checks the screen.
func (s *Store) prepareScreen(actor string, sc *backcoach.Screen) error {
	sc.ID, sc.PersonID = newID(), actor
	if sc.At.IsZero() {
		sc.At = s.now()
	}
	sc.At = stamp(sc.At)
	if sc.Signs == nil {
		sc.Signs = []string{}
	}
	return sc.Validate()
}

func (s *Store) insertScreen(ctx context.Context, q queryer, sc *backcoach.Screen) error {
	signs, _ := json.Marshal(sc.Signs)
	_, err := s.exec(ctx, q, `INSERT INTO safety_screens (id, person_id, at, kind, via, complete, signs) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		sc.ID, sc.PersonID, s.t(sc.At), string(sc.Kind), string(sc.Via), sc.Complete, string(signs))
	return s.dbError(err, "save the warning signs")
}

// AddClearance keeps that a clinician checked the person and said they may
// exercise.
func (s *Store) AddClearance(ctx context.Context, actor string, c *backcoach.Clearance) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	c.ID, c.PersonID = newID(), actor
	if c.RecordedAt.IsZero() {
		c.RecordedAt = s.now()
	}
	c.RecordedAt = stamp(c.RecordedAt)
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertClearance(ctx, tx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindClearance, c.ID)
	})
}

func (s *Store) insertClearance(ctx context.Context, q queryer, c *backcoach.Clearance) error {
	signs, _ := json.Marshal(c.Signs)
	_, err := s.exec(ctx, q, `INSERT INTO clearances (id, person_id, recorded_at, cleared_by, name, checked_on, signs, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		c.ID, c.PersonID, s.t(c.RecordedAt), string(c.By), c.Name, c.CheckedOn, string(signs), c.Note)
	return s.dbError(err, "save the clearance")
}

// SafetyRecord returns the acting person's whole safety record, oldest
// first, read in one snapshot.
func (s *Store) SafetyRecord(ctx context.Context, actor string) (*backcoach.SafetyRecord, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	var rec *backcoach.SafetyRecord
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		rec, err = s.safetyRecord(ctx, tx, actor)
		return err
	})
	return rec, err
}

func (s *Store) safetyRecord(ctx context.Context, q queryer, actor string) (*backcoach.SafetyRecord, error) {
	rec := &backcoach.SafetyRecord{Screens: []backcoach.Screen{}, Clearances: []backcoach.Clearance{}}
	rows, err := q.QueryContext(ctx, `SELECT `+screenColumns+` FROM safety_screens WHERE person_id = $1 ORDER BY at, id`, actor)
	if err != nil {
		return nil, s.dbError(err, "read the safety record")
	}
	defer rows.Close()
	for rows.Next() {
		sc, err := scanScreen(rows, actor)
		if err != nil {
			return nil, s.dbError(err, "read the safety record")
		}
		rec.Screens = append(rec.Screens, *sc)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(err, "read the safety record")
	}
	rows.Close()
	crows, err := q.QueryContext(ctx, `SELECT `+clearanceColumns+` FROM clearances WHERE person_id = $1 ORDER BY recorded_at, id`, actor)
	if err != nil {
		return nil, s.dbError(err, "read the safety record")
	}
	defer crows.Close()
	for crows.Next() {
		c, err := scanClearance(crows, actor)
		if err != nil {
			return nil, s.dbError(err, "read the safety record")
		}
		rec.Clearances = append(rec.Clearances, *c)
	}
	return rec, s.dbError(crows.Err(), "read the safety record")
}

const screenColumns = `id, at, kind, via, complete, signs`

// scanScreen reads screenColumns of one of the person's screens.
func scanScreen(row interface{ Scan(...any) error }, person string) (*backcoach.Screen, error) {
	sc := backcoach.Screen{PersonID: person}
	var at dbTime
	var signs string
	if err := row.Scan(&sc.ID, &at, (*string)(&sc.Kind), (*string)(&sc.Via), &sc.Complete, &signs); err != nil {
		return nil, err
	}
	sc.At = at.T
	return &sc, unmarshalAll([]string{signs}, &sc.Signs)
}

const clearanceColumns = `id, recorded_at, cleared_by, name, checked_on, signs, note`

// scanClearance reads clearanceColumns of one of the person's clearances.
func scanClearance(row interface{ Scan(...any) error }, person string) (*backcoach.Clearance, error) {
	c := backcoach.Clearance{PersonID: person}
	var at dbTime
	var signs string
	if err := row.Scan(&c.ID, &at, (*string)(&c.By), &c.Name, &c.CheckedOn, &signs, &c.Note); err != nil {
		return nil, err
	}
	c.RecordedAt = at.T
	return &c, unmarshalAll([]string{signs}, &c.Signs)
}
