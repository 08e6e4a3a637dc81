package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/backcoach/backcoach"
)

// SaveBreakDay stores a day's break statistics, merged with that day's
// kept already: each figure keeps the larger value (see upsertBreakDay).
func (s *Store) SaveBreakDay(ctx context.Context, actor string, d *backcoach.BreakDay) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	d.PersonID = actor
	if err := d.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.upsertBreakDay(ctx, tx, d); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditUpdate, backcoach.KindBreakDay, d.Date)
	})
}

// upsertBreakDay keeps a day's figures, merged with those kept already by
// taking the larger of each: a day's figures only grow, and two servers
// may each run a reminder for the person (a page open on each), so a copy
// saved late by one must not take back what the other counted meanwhile.
func (s *Store) upsertBreakDay(ctx context.Context, q queryer, d *backcoach.BreakDay) error {
	greatest := "GREATEST"
	if s.dialect == SQLite {
		greatest = "max" // SQLite's max of several arguments
	}
	_, err := q.ExecContext(ctx,
		`INSERT INTO break_days (person_id, day, due, taken, natural_breaks, snoozed, skipped, active_seconds)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (person_id, day) DO UPDATE SET due = `+greatest+`(break_days.due, excluded.due),
			taken = `+greatest+`(break_days.taken, excluded.taken),
			natural_breaks = `+greatest+`(break_days.natural_breaks, excluded.natural_breaks),
			snoozed = `+greatest+`(break_days.snoozed, excluded.snoozed),
			skipped = `+greatest+`(break_days.skipped, excluded.skipped),
			active_seconds = `+greatest+`(break_days.active_seconds, excluded.active_seconds)`,
		d.PersonID, d.Date, d.Due, d.Taken, d.Natural, d.Snoozed, d.Skipped, d.ActiveSeconds)
	return s.dbError(err, "save the break statistics")
}

// BreakDays lists the acting person's days from from to to, both inclusive.
func (s *Store) BreakDays(ctx context.Context, actor, from, to string) ([]backcoach.BreakDay, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	for _, d := range []struct{ name, value string }{{"from", from}, {"to", to}} {
		if d.value != "" {
			if err := (&backcoach.BreakDay{Date: d.value}).Validate(); err != nil {
				return nil, backcoach.Invalid(d.name, "must be a date written YYYY-MM-DD, got %q", d.value)
			}
		}
	}
	return s.breakDays(ctx, s.rdb, actor, from, to)
}

func (s *Store) breakDays(ctx context.Context, q queryer, actor, from, to string) ([]backcoach.BreakDay, error) {
	query := `SELECT person_id, day, due, taken, natural_breaks, snoozed, skipped, active_seconds FROM break_days WHERE person_id = $1`
	args := []any{actor}
	if from != "" {
		args = append(args, from)
		query += " AND day >= $2"
	}
	if to != "" {
		args = append(args, to)
		query += " AND day <= $" + string(rune('0'+len(args)))
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY day", args...)
	if err != nil {
		return nil, s.dbError(err, "read the break statistics")
	}
	defer rows.Close()
	out := []backcoach.BreakDay{}
	for rows.Next() {
		var d backcoach.BreakDay
		var day dbDate
		if err := rows.Scan(&d.PersonID, &day, (*dbInt)(&d.Due), (*dbInt)(&d.Taken), (*dbInt)(&d.Natural), (*dbInt)(&d.Snoozed), (*dbInt)(&d.Skipped), (*dbInt)(&d.ActiveSeconds)); err != nil {
			return nil, s.dbError(err, "read the break statistics")
		}
		d.Date = day.S
		out = append(out, d)
	}
	return out, s.dbError(rows.Err(), "read the break statistics")
}

// BreakSettings returns the acting person's break settings, or the
// defaults (UpdatedAt nil) when they never saved any.
func (s *Store) BreakSettings(ctx context.Context, actor string) (*backcoach.BreakSettings, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	var out *backcoach.BreakSettings
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.breakSettings(ctx, tx, actor)
		if err != nil || out != nil {
			return err
		}
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		d := backcoach.DefaultBreakSettings()
		d.PersonID = actor
		out = &d
		return nil
	})
	return out, err
}

// breakSettings reads the stored settings, or nil when there are none.
func (s *Store) breakSettings(ctx context.Context, q queryer, actor string) (*backcoach.BreakSettings, error) {
	var b backcoach.BreakSettings
	var updated dbTime
	err := q.QueryRowContext(ctx,
		`SELECT person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes, stretch_for_minutes,
			daily_limit_minutes, reset_hour, snooze_minutes, updated_at
		FROM break_settings WHERE person_id = $1`, actor).
		Scan(&b.PersonID, &b.Enabled, (*dbInt)(&b.MovementEveryMinutes), (*dbInt)(&b.MovementForMinutes),
			(*dbInt)(&b.StretchEveryMinutes), (*dbInt)(&b.StretchForMinutes), (*dbInt)(&b.DailyLimitMinutes),
			(*dbInt)(&b.ResetHour), (*dbInt)(&b.SnoozeMinutes), &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.dbError(err, "read the break settings")
	}
	b.UpdatedAt = &updated.T
	return &b, nil
}

// SaveBreakSettings stores the acting person's break settings, replacing
// the last.
func (s *Store) SaveBreakSettings(ctx context.Context, actor string, b *backcoach.BreakSettings) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if b == nil {
		return backcoach.Invalid("break_settings", "are missing")
	}
	if err := b.Validate(); err != nil {
		return err
	}
	now := s.nowStamp()
	b.PersonID, b.UpdatedAt = actor, &now
	return s.write(ctx, func(tx *sql.Tx) error {
		old, err := s.breakSettings(ctx, tx, actor)
		if err != nil {
			return err
		}
		if old == nil {
			if _, err := s.person(ctx, tx, actor); err != nil {
				return err
			}
		}
		if err := s.upsertBreakSettings(ctx, tx, b); err != nil {
			return err
		}
		action := backcoach.AuditUpdate
		if old == nil {
			action = backcoach.AuditCreate
		}
		return s.audit(ctx, tx, actor, actor, action, backcoach.KindBreakSettings, actor)
	})
}

func (s *Store) upsertBreakSettings(ctx context.Context, q queryer, b *backcoach.BreakSettings) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO break_settings (person_id, enabled, movement_every_minutes, movement_for_minutes, stretch_every_minutes,
			stretch_for_minutes, daily_limit_minutes, reset_hour, snooze_minutes, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (person_id) DO UPDATE SET enabled = excluded.enabled,
			movement_every_minutes = excluded.movement_every_minutes, movement_for_minutes = excluded.movement_for_minutes,
			stretch_every_minutes = excluded.stretch_every_minutes, stretch_for_minutes = excluded.stretch_for_minutes,
			daily_limit_minutes = excluded.daily_limit_minutes, reset_hour = excluded.reset_hour,
			snooze_minutes = excluded.snooze_minutes, updated_at = excluded.updated_at`,
		b.PersonID, b.Enabled, b.MovementEveryMinutes, b.MovementForMinutes, b.StretchEveryMinutes, b.StretchForMinutes,
		b.DailyLimitMinutes, b.ResetHour, b.SnoozeMinutes, s.t(*b.UpdatedAt))
	return s.dbError(err, "save the break settings")
}
