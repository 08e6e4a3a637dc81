package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/backcoach/backcoach"
)

// SaveSession keeps a guided session and the outcome of each exercise.
func (s *Store) SaveSession(ctx context.Context, actor string, ss *backcoach.Session) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := s.prepareSession(actor, ss); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error { return s.writeSession(ctx, tx, actor, ss) })
}

// prepareSession fills in what the store decides and checks the session.
func (s *Store) prepareSession(actor string, ss *backcoach.Session) error {
	ss.ID, ss.PersonID = newID(), actor
	if ss.StartedAt.IsZero() {
		ss.StartedAt = s.now()
	}
	ss.StartedAt = stamp(ss.StartedAt)
	if ss.Exercises == nil {
		ss.Exercises = []backcoach.ExerciseOutcome{}
	}
	return ss.Validate()
}

// writeSession inserts a prepared session, checking that its plan is the
// person's, with its audit line.
func (s *Store) writeSession(ctx context.Context, tx *sql.Tx, actor string, ss *backcoach.Session) error {
	if ss.PlanID != "" {
		if err := s.owns(ctx, tx, "plans", "plan", ss.PlanID, actor); err != nil {
			return err
		}
	}
	if err := s.insertSession(ctx, tx, ss); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindSession, ss.ID)
}

const (
	insertSessionSQL = `INSERT INTO sessions (id, person_id, plan_id, started_at, duration_seconds, level, pain_before, pain_after)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	insertSessionExerciseSQL = `INSERT INTO session_exercises (session_id, position, exercise_id, outcome, reason, seconds)
	VALUES ($1, $2, $3, $4, $5, $6)`
)

func (s *Store) insertSession(ctx context.Context, q queryer, ss *backcoach.Session) error {
	var plan, after any
	if ss.PlanID != "" {
		plan = ss.PlanID
	}
	if ss.PainAfter != nil {
		after = *ss.PainAfter
	}
	_, err := s.exec(ctx, q, insertSessionSQL, ss.ID, ss.PersonID, plan, s.t(ss.StartedAt), ss.DurationSeconds, ss.Level, ss.PainBefore, after)
	if err != nil {
		return s.dbError(err, "save the session")
	}
	for i, e := range ss.Exercises {
		_, err := s.exec(ctx, q, insertSessionExerciseSQL, ss.ID, i, e.ExerciseID, string(e.Outcome), e.Reason, e.Seconds)
		if err != nil {
			return s.dbError(err, "save the session's exercises")
		}
	}
	return nil
}

const sessionColumns = `id, COALESCE(plan_id, ''), started_at, duration_seconds, level, pain_before, pain_after`

// scanSession reads a session of the person's (the query asked for their
// rows only), without its exercises.
func scanSession(row interface{ Scan(...any) error }, person string) (*backcoach.Session, error) {
	var ss backcoach.Session
	if err := scanSessionInto(row, &ss, person); err != nil {
		return nil, err
	}
	ss.Exercises = []backcoach.ExerciseOutcome{}
	return &ss, nil
}

// scanSessionInto reads sessionColumns, then any further columns into more.
func scanSessionInto(row interface{ Scan(...any) error }, ss *backcoach.Session, person string, more ...any) error {
	var started dbTime
	var after sql.NullInt64
	dest := append([]any{&ss.ID, &ss.PlanID, &started, (*dbInt)(&ss.DurationSeconds), (*dbInt)(&ss.Level), (*dbInt)(&ss.PainBefore), &after}, more...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	ss.PersonID = person
	ss.StartedAt = started.T
	if after.Valid {
		v := int(after.Int64)
		ss.PainAfter = &v
	}
	return nil
}

// Session returns one of the acting person's sessions.
func (s *Store) Session(ctx context.Context, actor, id string) (*backcoach.Session, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	var out *backcoach.Session
	err := s.read(ctx, func(tx *sql.Tx) error {
		ss, err := scanSession(tx.QueryRowContext(ctx,
			`SELECT `+sessionColumns+` FROM sessions WHERE id = $1 AND person_id = $2`, id, actor), actor)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("session", id)
		}
		if err != nil {
			return s.dbError(err, "read the session")
		}
		rows, err := tx.QueryContext(ctx,
			`SELECT exercise_id, outcome, reason, seconds FROM session_exercises WHERE session_id = $1 ORDER BY position`, id)
		if err != nil {
			return s.dbError(err, "read the session's exercises")
		}
		defer rows.Close()
		for rows.Next() {
			var e backcoach.ExerciseOutcome
			if err := rows.Scan(&e.ExerciseID, (*string)(&e.Outcome), &e.Reason, (*dbInt)(&e.Seconds)); err != nil {
				return s.dbError(err, "read the session's exercises")
			}
			ss.Exercises = append(ss.Exercises, e)
		}
		out = ss
		return s.dbError(rows.Err(), "read the session's exercises")
	})
	return out, err
}

// Sessions lists the acting person's sessions with their exercises.
func (s *Store) Sessions(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.Session, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	var out []backcoach.Session
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.sessions(ctx, tx, actor, f)
		return err
	})
	return out, err
}

// sessions reads the sessions with the number of exercises of each, then
// the exercises of the same sessions, in the same order, in one query, and
// deals them out by those numbers. Both queries must run in one snapshot
// (a read transaction), so that the numbers and the rows agree. No session
// id is read per exercise: that keeps a year of sessions fast to read.
func (s *Store) sessions(ctx context.Context, q queryer, actor string, f backcoach.Filter) ([]backcoach.Session, error) {
	where, args := s.filterClause("started_at", f, []any{actor})
	rows, err := q.QueryContext(ctx, `SELECT `+sessionColumns+`,
		(SELECT count(*) FROM session_exercises e WHERE e.session_id = sessions.id)
		FROM sessions WHERE person_id = $1`+where, args...)
	if err != nil {
		return nil, s.dbError(err, "read the sessions")
	}
	out := []backcoach.Session{}
	var counts []int
	total := 0
	for rows.Next() {
		var ss backcoach.Session
		var n int
		if err := scanSessionInto(rows, &ss, actor, (*dbInt)(&n)); err != nil {
			rows.Close()
			return nil, s.dbError(err, "read the sessions")
		}
		ss.Exercises = make([]backcoach.ExerciseOutcome, n)
		out = append(out, ss)
		counts = append(counts, n)
		total += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.dbError(err, "read the sessions")
	}
	if total == 0 {
		return out, nil
	}
	cond, eargs := s.rangeClause("s.started_at", f, []any{actor})
	if f.Limit > 0 {
		sub, subArgs := s.filterClause("started_at", f, eargs)
		cond += ` AND s.id IN (SELECT id FROM sessions WHERE person_id = $1` + sub + `)`
		eargs = subArgs
	}
	dir := "ASC"
	if f.NewestFirst {
		dir = "DESC"
	}
	erows, err := q.QueryContext(ctx,
		`SELECT e.position, e.exercise_id, e.outcome, e.reason, e.seconds
		FROM sessions s JOIN session_exercises e ON e.session_id = s.id
		WHERE s.person_id = $1`+cond+` ORDER BY s.started_at `+dir+`, s.id `+dir, eargs...)
	if err != nil {
		return nil, s.dbError(err, "read the sessions' exercises")
	}
	defer erows.Close()
	i, left := 0, 0
	for erows.Next() {
		for left == 0 && i < len(out) {
			left = counts[i]
			i++
		}
		var pos int
		var e backcoach.ExerciseOutcome
		if err := erows.Scan((*dbInt)(&pos), &e.ExerciseID, (*string)(&e.Outcome), &e.Reason, (*dbInt)(&e.Seconds)); err != nil {
			return nil, s.dbError(err, "read the sessions' exercises")
		}
		ex := out[i-1].Exercises
		if left == 0 || pos < 0 || pos >= len(ex) || ex[pos].ExerciseID != "" {
			return nil, backcoach.Errorf(backcoach.EINTERNAL, "the stored exercises of session %s are not numbered 0 to %d", out[i-1].ID, len(ex)-1)
		}
		ex[pos] = e
		left--
	}
	if err := erows.Err(); err != nil {
		return nil, s.dbError(err, "read the sessions' exercises")
	}
	if left != 0 || i < len(out) && sumFrom(counts, i) != 0 {
		return nil, backcoach.Errorf(backcoach.EINTERNAL, "the stored sessions and their exercises do not agree")
	}
	return out, nil
}

func sumFrom(counts []int, i int) int {
	n := 0
	for _, c := range counts[i:] {
		n += c
	}
	return n
}

// DeleteSession removes one of the acting person's sessions.
func (s *Store) DeleteSession(ctx context.Context, actor, id string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.owns(ctx, tx, "sessions", "session", id, actor); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM session_exercises WHERE session_id = $1`, id); err != nil {
			return s.dbError(err, "delete the session")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1 AND person_id = $2`, id, actor); err != nil {
			return s.dbError(err, "delete the session")
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditDelete, backcoach.KindSession, id)
	})
}
