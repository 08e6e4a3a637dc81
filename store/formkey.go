package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/backcoach/backcoach"
)

// The keys of forms and records already handled (migration 12): a claim
// is a row, inserted so that a second insert of the same person and key
// does nothing, on every server of the database; the first request then
// settles it with its record's id.

var _ backcoach.FormKeyService = (*Store)(nil)

// pruneFormKeysEvery is how many claims pass between two prunes of the
// keys older than backcoach.FormKeyDays.
const pruneFormKeysEvery = 256

func checkFormKey(key string) error {
	if key == "" || len(key) > backcoach.MaxFormKeyBytes {
		return backcoach.Invalid("form_key", "must be 1 to %d characters", backcoach.MaxFormKeyBytes)
	}
	return nil
}

// ClaimFormKey claims the acting person's key. See backcoach.FormKeyService.
func (s *Store) ClaimFormKey(ctx context.Context, actor, key string, now time.Time) (claimed bool, outcome string, err error) {
	if err := checkActor(actor); err != nil {
		return false, "", err
	}
	if err := checkFormKey(key); err != nil {
		return false, "", err
	}
	if s.formKeyClaims.Add(1)%pruneFormKeysEvery == 0 {
		if _, err := s.PruneFormKeys(ctx, now.AddDate(0, 0, -backcoach.FormKeyDays)); err != nil {
			s.log.Warn("pruning the form keys", "err", err)
		}
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`INSERT INTO form_keys (person_id, key, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (person_id, key) DO NOTHING`,
			actor, key, s.t(now))
		if err != nil {
			return s.dbError(err, "claim a form key")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.dbError(err, "claim a form key")
		} else if n == 1 {
			claimed = true
			return nil
		}
		// Taken already: take over a claim left unsettled too long, else
		// read what the first request made.
		res, err = tx.ExecContext(ctx,
			`UPDATE form_keys SET claimed_at = $3 WHERE person_id = $1 AND key = $2 AND outcome = '' AND claimed_at < $4`,
			actor, key, s.t(now), s.t(now.Add(-backcoach.FormKeyAbandoned)))
		if err != nil {
			return s.dbError(err, "take over a form key")
		}
		if n, err := res.RowsAffected(); err != nil {
			return s.dbError(err, "take over a form key")
		} else if n == 1 {
			claimed = true
			return nil
		}
		err = tx.QueryRowContext(ctx, `SELECT outcome FROM form_keys WHERE person_id = $1 AND key = $2`, actor, key).Scan(&outcome)
		if errors.Is(err, sql.ErrNoRows) {
			return backcoach.Errorf(backcoach.ECONFLICT, "the form key was released meanwhile: send the form again")
		}
		return s.dbError(err, "read a form key")
	})
	return claimed, outcome, err
}

// SettleFormKey keeps the outcome of a claimed key.
func (s *Store) SettleFormKey(ctx context.Context, actor, key, outcome string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := checkFormKey(key); err != nil {
		return err
	}
	if outcome == "" || len(outcome) > 100 {
		return backcoach.Invalid("outcome", "must be 1 to 100 characters")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE form_keys SET outcome = $3 WHERE person_id = $1 AND key = $2`, actor, key, outcome)
		return s.dbError(err, "settle a form key")
	})
}

// ReleaseFormKey forgets a claimed key that was not settled.
func (s *Store) ReleaseFormKey(ctx context.Context, actor, key string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := checkFormKey(key); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM form_keys WHERE person_id = $1 AND key = $2 AND outcome = ''`, actor, key)
		return s.dbError(err, "release a form key")
	})
}

// PruneFormKeys forgets the keys claimed before a time.
func (s *Store) PruneFormKeys(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM form_keys WHERE claimed_at < $1`, s.t(before))
		if err != nil {
			return s.dbError(err, "prune the form keys")
		}
		n, err = res.RowsAffected()
		return s.dbError(err, "prune the form keys")
	})
	return n, err
}
