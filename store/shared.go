package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/backcoach/backcoach"
)

// What several servers on one database share besides the web sessions:
// the limits on password guessing and sign-ups, and the pauses of the
// break reminders (migration 9). A SQLite file has the same tables; it
// serves one process, whose limits may as well stay in its memory.

var (
	_ backcoach.BreakPauseService = (*Store)(nil)
	_ backcoach.RateLimitService  = (*Store)(nil)
)

// Limit is one rate limit kept in the database.
type Limit = backcoach.RateLimit

// purgeLimitsEvery is how many takes pass between two purges of the
// limits that ran out.
const purgeLimitsEvery = 256

// limitLockClass is the first key of the PostgreSQL advisory locks that
// make each limit's update atomic across servers; the second is a hash of
// the limit's key.
const limitLockClass = 0x626c // "bl"

// TakeLimits counts one attempt at now against every limit, as a generic
// cell rate algorithm: each row holds the time at which its limit is full
// again (no row: it is full). When every limit has room, the attempt is
// taken from each; otherwise nothing is taken and the wait until the
// attempt would be allowed is returned. The check and the update are one
// step for all the servers on the database: on PostgreSQL under an
// advisory lock per key, taken in key order; on SQLite in its single
// writing transaction.
func (s *Store) TakeLimits(ctx context.Context, now time.Time, limits ...Limit) (ok bool, wait time.Duration, err error) {
	for _, l := range limits {
		if l.Key == "" || len(l.Key) > 128 || l.Burst < 1 || l.Every <= 0 {
			return false, 0, backcoach.Invalid("limit", "needs a key of 1 to 128 bytes, a burst of 1 or more and a positive interval")
		}
	}
	if len(limits) == 0 {
		return true, 0, nil
	}
	if s.limitTakes.Add(1)%purgeLimitsEvery == 0 {
		s.purgeLimits(ctx, now)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		keys := make([]string, 0, len(limits))
		for _, l := range limits {
			keys = append(keys, l.Key)
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		if s.dialect == Postgres {
			for _, k := range keys {
				if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", limitLockClass, k); err != nil {
					return s.dbError(err, "lock a rate limit")
				}
			}
		}
		fulls := make([]time.Time, len(limits))
		for i, l := range limits {
			until, err := s.limitUntil(ctx, tx, l.Key)
			if err != nil {
				return err
			}
			full := now
			if until.After(now) {
				full = until
			}
			full = full.Add(l.Every)
			if over := full.Sub(now) - time.Duration(l.Burst)*l.Every; over > wait {
				wait = over
			}
			fulls[i] = full
		}
		if wait > 0 {
			return nil
		}
		for i, l := range limits {
			if err := s.setLimit(ctx, tx, l.Key, fulls[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, 0, err
	}
	return wait == 0, wait, nil
}

// SetLimit keeps until under key, replacing what was there: a mark that
// lapses then (an address known to an account), or the zero time to
// forget the key.
func (s *Store) SetLimit(ctx context.Context, key string, until time.Time) error {
	if key == "" || len(key) > 128 {
		return backcoach.Invalid("limit", "needs a key of 1 to 128 bytes")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if until.IsZero() {
			_, err := tx.ExecContext(ctx, "DELETE FROM rate_limits WHERE key = $1", key)
			return s.dbError(err, "forget a rate limit")
		}
		return s.setLimit(ctx, tx, key, until)
	})
}

// LimitUntil returns the time kept under key; the zero time when none is.
func (s *Store) LimitUntil(ctx context.Context, key string) (time.Time, error) {
	return s.limitUntil(ctx, s.db, key)
}

func (s *Store) limitUntil(ctx context.Context, q queryer, key string) (time.Time, error) {
	var until dbTime
	err := q.QueryRowContext(ctx, "SELECT until FROM rate_limits WHERE key = $1", key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return until.T, s.dbError(err, "read a rate limit")
}

func (s *Store) setLimit(ctx context.Context, q queryer, key string, until time.Time) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO rate_limits (key, until) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET until = excluded.until`,
		key, s.t(until))
	return s.dbError(err, "keep a rate limit")
}

// purgeLimits removes the limits that are full again and the marks that
// lapsed: they mean the same as no row. A failure is only logged.
func (s *Store) purgeLimits(ctx context.Context, now time.Time) {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM rate_limits WHERE until < $1", s.t(now)); err != nil {
		s.log.Warn("purging the rate limits", "err", err)
	}
}

// BreakPause returns the acting person's pause of the break reminder; the
// zero value when none was ever set.
func (s *Store) BreakPause(ctx context.Context, actor string) (backcoach.BreakPause, error) {
	var p backcoach.BreakPause
	if err := checkActor(actor); err != nil {
		return p, err
	}
	var until sql.Null[dbTime]
	var setAt dbTime
	err := s.rdb.QueryRowContext(ctx, `SELECT paused_until, until_day, set_at FROM break_pauses WHERE person_id = $1`, actor).
		Scan(&until, &p.Day, &setAt)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, s.dbError(err, "read the break reminder's pause")
	}
	if until.Valid {
		p.Until = &until.V.T
	}
	p.SetAt = setAt.T
	return p, nil
}

// SaveBreakPause keeps the acting person's pause, unless one set later
// is kept already (two servers may save at once; the later pause wins).
func (s *Store) SaveBreakPause(ctx context.Context, actor string, p backcoach.BreakPause) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	var until any
	if p.Until != nil {
		until = s.t(*p.Until)
	}
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO break_pauses (person_id, paused_until, until_day, set_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (person_id) DO UPDATE SET paused_until = excluded.paused_until, until_day = excluded.until_day,
			set_at = excluded.set_at
		WHERE break_pauses.set_at <= excluded.set_at`,
		actor, until, p.Day, s.t(p.SetAt))
	return s.dbError(err, "save the break reminder's pause")
}
