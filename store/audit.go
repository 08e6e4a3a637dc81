package store

import (
	"context"
	"database/sql"

	"github.com/backcoach/backcoach"
)

// audit writes one line of the audit trail, inside the transaction of the
// change it records.
func (s *Store) audit(ctx context.Context, q queryer, actor, person string, action backcoach.AuditAction, kind, record string) error {
	e := backcoach.AuditEntry{ID: newID(), At: s.nowStamp(), ActorID: actor, PersonID: person, Action: action, Kind: kind, RecordID: record}
	return s.insertAudit(ctx, q, &e)
}

const insertAuditSQL = `INSERT INTO audit_log (id, at, actor_id, person_id, action, kind, record_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`

func (s *Store) insertAudit(ctx context.Context, q queryer, e *backcoach.AuditEntry) error {
	_, err := s.exec(ctx, q, insertAuditSQL, e.ID, s.t(e.At), e.ActorID, e.PersonID, string(e.Action), e.Kind, e.RecordID)
	return s.dbError(err, "write the audit trail")
}

// AuditTrail lists the audit lines about the acting person's data.
func (s *Store) AuditTrail(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.AuditEntry, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	var out []backcoach.AuditEntry
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.auditTrail(ctx, tx, actor, f)
		return err
	})
	return out, err
}

func (s *Store) auditTrail(ctx context.Context, q queryer, person string, f backcoach.Filter) ([]backcoach.AuditEntry, error) {
	where, args := s.filterClause("at", f, []any{person})
	rows, err := q.QueryContext(ctx,
		`SELECT id, at, actor_id, person_id, action, kind, record_id FROM audit_log WHERE person_id = $1`+where, args...)
	if err != nil {
		return nil, s.dbError(err, "read the audit trail")
	}
	defer rows.Close()
	out := []backcoach.AuditEntry{}
	for rows.Next() {
		var e backcoach.AuditEntry
		var at dbTime
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.PersonID, (*string)(&e.Action), &e.Kind, &e.RecordID); err != nil {
			return nil, s.dbError(err, "read the audit trail")
		}
		e.At = at.T
		out = append(out, e)
	}
	return out, s.dbError(rows.Err(), "read the audit trail")
}
