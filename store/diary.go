package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/backcoach/backcoach"
)

// AddDiaryEntry keeps a check-in in the acting person's diary.
func (s *Store) AddDiaryEntry(ctx context.Context, actor string, e *backcoach.DiaryEntry) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := s.prepareDiary(actor, e); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertDiary(ctx, tx, e); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindDiary, e.ID)
	})
}

// prepareDiary fills in what the store decides and checks the entry.
func (s *Store) prepareDiary(actor string, e *backcoach.DiaryEntry) error {
	e.ID, e.PersonID = newID(), actor
	if e.At.IsZero() {
		e.At = s.now()
	}
	e.At = stamp(e.At)
	if e.Flags == nil {
		e.Flags = []string{}
	}
	return e.Validate()
}

// diaryValues returns the stored form of the entry's flags and PEG.
func diaryValues(e *backcoach.DiaryEntry) (flags string, pegPain, pegEnjoyment, pegActivity any) {
	b, _ := json.Marshal(e.Flags)
	if e.PEG != nil {
		pegPain, pegEnjoyment, pegActivity = e.PEG.Pain, e.PEG.Enjoyment, e.PEG.Activity
	}
	return string(b), pegPain, pegEnjoyment, pegActivity
}

const insertDiarySQL = `INSERT INTO diary_entries (id, person_id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

func (s *Store) insertDiary(ctx context.Context, q queryer, e *backcoach.DiaryEntry) error {
	flags, pp, pe, pa := diaryValues(e)
	_, err := s.exec(ctx, q, insertDiarySQL, e.ID, e.PersonID, s.t(e.At), e.Pain, e.Note, e.FlagsAsked, flags, pp, pe, pa)
	return s.dbError(err, "save the diary entry")
}

const diaryColumns = `id, at, pain, note, flags_asked, flags, peg_pain, peg_enjoyment, peg_activity`

// scanDiary reads an entry of the person's (the query asked for their
// rows only).
func scanDiary(row interface{ Scan(...any) error }, person string) (*backcoach.DiaryEntry, error) {
	e := backcoach.DiaryEntry{PersonID: person}
	var at dbTime
	var flags string
	var pp, pe, pa sql.NullInt64
	if err := row.Scan(&e.ID, &at, (*dbInt)(&e.Pain), &e.Note, &e.FlagsAsked, &flags, &pp, &pe, &pa); err != nil {
		return nil, err
	}
	e.At = at.T
	if pp.Valid {
		e.PEG = &backcoach.PEG{Pain: int(pp.Int64), Enjoyment: int(pe.Int64), Activity: int(pa.Int64)}
	}
	if flags == "[]" {
		e.Flags = []string{}
	} else if err := unmarshalAll([]string{flags}, &e.Flags); err != nil {
		return nil, err
	}
	return &e, nil
}

// DiaryEntry returns one of the acting person's diary entries.
func (s *Store) DiaryEntry(ctx context.Context, actor, id string) (*backcoach.DiaryEntry, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	e, err := scanDiary(s.rdb.QueryRowContext(ctx,
		`SELECT `+diaryColumns+` FROM diary_entries WHERE id = $1 AND person_id = $2`, id, actor), actor)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("diary entry", id)
	}
	return e, s.dbError(err, "read the diary entry")
}

// DiaryEntries lists the acting person's diary entries.
func (s *Store) DiaryEntries(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.DiaryEntry, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	return s.diary(ctx, s.rdb, actor, f)
}

func (s *Store) diary(ctx context.Context, q queryer, actor string, f backcoach.Filter) ([]backcoach.DiaryEntry, error) {
	where, args := s.filterClause("at", f, []any{actor})
	rows, err := q.QueryContext(ctx, `SELECT `+diaryColumns+` FROM diary_entries WHERE person_id = $1`+where, args...)
	if err != nil {
		return nil, s.dbError(err, "read the diary")
	}
	defer rows.Close()
	out := []backcoach.DiaryEntry{}
	for rows.Next() {
		e, err := scanDiary(rows, actor)
		if err != nil {
			return nil, s.dbError(err, "read the diary")
		}
		out = append(out, *e)
	}
	return out, s.dbError(rows.Err(), "read the diary")
}

// UpdateDiaryEntry replaces one of the acting person's entries: its time,
// pain, note, flags and PEG.
func (s *Store) UpdateDiaryEntry(ctx context.Context, actor string, e *backcoach.DiaryEntry) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	e.PersonID = actor
	e.At = stamp(e.At)
	if e.Flags == nil {
		e.Flags = []string{}
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		flags, pp, pe, pa := diaryValues(e)
		res, err := tx.ExecContext(ctx,
			`UPDATE diary_entries SET at = $1, pain = $2, note = $3, flags_asked = $4, flags = $5,
				peg_pain = $6, peg_enjoyment = $7, peg_activity = $8
			WHERE id = $9 AND person_id = $10`,
			s.t(e.At), e.Pain, e.Note, e.FlagsAsked, flags, pp, pe, pa, e.ID, actor)
		if err != nil {
			return s.dbError(err, "save the diary entry")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound("diary entry", e.ID)
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditUpdate, backcoach.KindDiary, e.ID)
	})
}

// DeleteDiaryEntry removes one of the acting person's entries.
func (s *Store) DeleteDiaryEntry(ctx context.Context, actor, id string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM diary_entries WHERE id = $1 AND person_id = $2`, id, actor)
		if err != nil {
			return s.dbError(err, "delete the diary entry")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound("diary entry", id)
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditDelete, backcoach.KindDiary, id)
	})
}
