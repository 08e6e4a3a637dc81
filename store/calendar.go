package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/backcoach/backcoach"
)

var _ backcoach.CalendarFeedService = (*Store)(nil)

// feedUseResolution is how often, at most, a feed's last use is written:
// calendar apps refresh a subscription every few minutes to every few
// hours, and a write per refresh would say nothing more.
const feedUseResolution = time.Hour

// MakeCalendarFeed stores a new feed for the acting person, replacing the
// one they had, in one transaction with its audit lines.
func (s *Store) MakeCalendarFeed(ctx context.Context, actor string, f *backcoach.CalendarFeed) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if f == nil {
		return backcoach.Invalid("feed", "is missing")
	}
	if f.SessionTime == "" {
		f.SessionTime = backcoach.DefaultSessionTime
	}
	if f.CheckInTime == "" {
		f.CheckInTime = backcoach.DefaultCheckInTime
	}
	if err := f.Validate(); err != nil {
		return err
	}
	if err := checkTokenHash("hash", f.Hash); err != nil {
		return err
	}
	f.ID, f.PersonID, f.CreatedAt, f.LastUsedAt = newID(), actor, s.nowStamp(), nil
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.person(ctx, tx, actor); err != nil {
			return err
		}
		old, err := s.deleteFeed(ctx, tx, actor)
		if err != nil {
			return err
		}
		if old != "" {
			if err := s.audit(ctx, tx, actor, actor, backcoach.AuditDelete, backcoach.KindCalendarFeed, old); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx,
			`INSERT INTO calendar_feeds (person_id, id, hash, session_time, check_in_time, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
			actor, f.ID, f.Hash, f.SessionTime, f.CheckInTime, s.t(f.CreatedAt))
		if backcoach.ErrorCode(s.dbError(err, "")) == backcoach.ECONFLICT {
			return backcoach.Errorf(backcoach.ECONFLICT, "a calendar feed with the same secret is stored already; make a new feed")
		}
		if err != nil {
			return s.dbError(err, "save the calendar feed")
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindCalendarFeed, f.ID)
	})
}

// deleteFeed deletes the person's feed and returns its id, or "" when
// there was none.
func (s *Store) deleteFeed(ctx context.Context, tx *sql.Tx, person string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `DELETE FROM calendar_feeds WHERE person_id = $1 RETURNING id`, person).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, s.dbError(err, "end the calendar feed")
}

// revokeFeedOnPassword ends the person's feed when their password
// changes, as their tokens end: a new password ends what the old one
// made.
func (s *Store) revokeFeedOnPassword(ctx context.Context, tx *sql.Tx, person string) error {
	id, err := s.deleteFeed(ctx, tx, person)
	if err != nil || id == "" {
		return err
	}
	return s.audit(ctx, tx, person, person, backcoach.AuditDelete, backcoach.KindCalendarFeed, id)
}

// CalendarFeed returns the acting person's feed, without its hash.
func (s *Store) CalendarFeed(ctx context.Context, actor string) (*backcoach.CalendarFeed, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	f, err := s.scanFeed(s.rdb.QueryRowContext(ctx, selectFeedSQL+` WHERE person_id = $1`, actor))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no calendar feed: make one in Settings")
	}
	if err != nil {
		return nil, s.dbError(err, "read the calendar feed")
	}
	return f, nil
}

// RevokeCalendarFeed deletes the acting person's feed: its address stops
// working at once.
func (s *Store) RevokeCalendarFeed(ctx context.Context, actor string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		id, err := s.deleteFeed(ctx, tx, actor)
		if err != nil {
			return err
		}
		if id == "" {
			return backcoach.Errorf(backcoach.ENOTFOUND, "no calendar feed to revoke")
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditDelete, backcoach.KindCalendarFeed, id)
	})
}

// CalendarFeedByHash finds a feed by its secret's hash and records its
// use at most once an hour.
func (s *Store) CalendarFeedByHash(ctx context.Context, hash string) (*backcoach.CalendarFeed, error) {
	none := backcoach.Errorf(backcoach.ENOTFOUND, "no calendar feed has that address")
	if !isTokenHash(hash) {
		return nil, none
	}
	f, err := s.scanFeed(s.rdb.QueryRowContext(ctx, selectFeedSQL+` WHERE hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, none
	}
	if err != nil {
		return nil, s.dbError(err, "look up the calendar feed")
	}
	now := s.nowStamp()
	if f.LastUsedAt != nil && now.Sub(*f.LastUsedAt) < feedUseResolution {
		return f, nil
	}
	// The feed may have been revoked or replaced since the read: then the
	// update touches no row, and the address no longer works.
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET last_used_at = $1 WHERE id = $2 AND hash = $3`, s.t(now), f.ID, hash)
		if err != nil {
			return s.dbError(err, "record the calendar feed's use")
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return s.dbError(err, "record the calendar feed's use")
			}
			return none
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.LastUsedAt = &now
	return f, nil
}

const selectFeedSQL = `SELECT id, person_id, session_time, check_in_time, created_at, last_used_at FROM calendar_feeds`

func (s *Store) scanFeed(row *sql.Row) (*backcoach.CalendarFeed, error) {
	var f backcoach.CalendarFeed
	var created dbTime
	var used sql.Null[dbTime]
	if err := row.Scan(&f.ID, &f.PersonID, &f.SessionTime, &f.CheckInTime, &created, &used); err != nil {
		return nil, err
	}
	f.CreatedAt = created.T
	if used.Valid {
		u := used.V.T
		f.LastUsedAt = &u
	}
	return &f, nil
}
