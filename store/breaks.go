package store

import (
	"context"
	"database/sql"

	"github.com/backcoach/backcoach"
)

// SaveBreakDay stores a day's break statistics, replacing that day's.
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

func (s *Store) upsertBreakDay(ctx context.Context, q queryer, d *backcoach.BreakDay) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO break_days (person_id, day, due, taken, natural_breaks, snoozed, skipped, active_seconds)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (person_id, day) DO UPDATE SET due = excluded.due, taken = excluded.taken,
			natural_breaks = excluded.natural_breaks, snoozed = excluded.snoozed, skipped = excluded.skipped,
			active_seconds = excluded.active_seconds`,
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
