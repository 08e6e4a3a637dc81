package store

import (
	"context"
	"database/sql"

	"github.com/backcoach/backcoach"
)

// Keep writes the records of a batch in one transaction, each with its
// audit line, after every one of them passed its checks: either all are
// kept or none.
func (s *Store) Keep(ctx context.Context, actor string, b *backcoach.Batch) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if b.Assessment != nil {
		if err := s.prepareAssessment(actor, b.Assessment); err != nil {
			return backcoach.PrefixField("assessment", err)
		}
	}
	if b.Profile != nil {
		if err := s.prepareProfile(actor, b.Profile); err != nil {
			return backcoach.PrefixField("profile", err)
		}
	}
	if b.Screen != nil {
		if err := s.prepareScreen(actor, b.Screen); err != nil {
			return backcoach.PrefixField("screen", err)
		}
	}
	if b.Diary != nil {
		if err := s.prepareDiary(actor, b.Diary); err != nil {
			return err
		}
	}
	if b.Session != nil {
		if err := s.prepareSession(actor, b.Session); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if a := b.Assessment; a != nil {
			if err := s.insertAssessment(ctx, tx, a); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindAssessment, a.ID); err != nil {
				return err
			}
		}
		if p := b.Profile; p != nil {
			if err := s.upsertProfile(ctx, tx, p); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, actor, backcoach.AuditUpdate, backcoach.KindProfile, actor); err != nil {
				return err
			}
		}
		if e := b.Diary; e != nil {
			if err := s.insertDiary(ctx, tx, e); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindDiary, e.ID); err != nil {
				return err
			}
		}
		if ss := b.Session; ss != nil {
			if err := s.writeSession(ctx, tx, actor, ss); err != nil {
				return err
			}
		}
		if sc := b.Screen; sc != nil {
			if err := s.insertScreen(ctx, tx, sc); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindSafetyScreen, sc.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
