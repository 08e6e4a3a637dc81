package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/backcoach/backcoach"
)

// SaveAssessment keeps an assessment in the acting person's history.
func (s *Store) SaveAssessment(ctx context.Context, actor string, a *backcoach.SavedAssessment) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	if err := s.prepareAssessment(actor, a); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.insertAssessment(ctx, tx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindAssessment, a.ID)
	})
}

// prepareAssessment fills in what the store decides and checks the
// assessment.
func (s *Store) prepareAssessment(actor string, a *backcoach.SavedAssessment) error {
	a.ID, a.PersonID = newID(), actor
	if a.TakenAt.IsZero() {
		a.TakenAt = s.now()
	}
	a.TakenAt = stamp(a.TakenAt)
	return a.Validate()
}

func (s *Store) insertAssessment(ctx context.Context, q queryer, a *backcoach.SavedAssessment) error {
	answers, err := json.Marshal(a.Answers)
	if err != nil {
		return backcoach.Invalid("answers", "cannot be stored: %v", err)
	}
	result, err := json.Marshal(a.Result)
	if err != nil {
		return backcoach.Invalid("result", "cannot be stored: %v", err)
	}
	_, err = q.ExecContext(ctx,
		`INSERT INTO assessments (id, person_id, taken_at, urgency, stage, pain_now, answers, result)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.ID, a.PersonID, s.t(a.TakenAt), string(a.Result.Urgency), string(a.Result.Stage), a.Answers.PainNow,
		string(answers), string(result))
	return s.dbError(err, "save the assessment")
}

const assessmentColumns = `id, person_id, taken_at, answers, result`

func scanAssessment(row interface{ Scan(...any) error }) (*backcoach.SavedAssessment, error) {
	var a backcoach.SavedAssessment
	var taken dbTime
	var answers, result string
	if err := row.Scan(&a.ID, &a.PersonID, &taken, &answers, &result); err != nil {
		return nil, err
	}
	a.TakenAt = taken.T
	if err := unmarshalAll([]string{answers, result}, &a.Answers, &a.Result); err != nil {
		return nil, err
	}
	return &a, nil
}

// Assessment returns one of the acting person's assessments.
func (s *Store) Assessment(ctx context.Context, actor, id string) (*backcoach.SavedAssessment, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	a, err := scanAssessment(s.rdb.QueryRowContext(ctx,
		`SELECT `+assessmentColumns+` FROM assessments WHERE id = $1 AND person_id = $2`, id, actor))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("assessment", id)
	}
	return a, s.dbError(err, "read the assessment")
}

// Assessments lists the acting person's assessments.
func (s *Store) Assessments(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.SavedAssessment, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	return s.assessments(ctx, s.rdb, actor, f)
}

func (s *Store) assessments(ctx context.Context, q queryer, actor string, f backcoach.Filter) ([]backcoach.SavedAssessment, error) {
	where, args := s.filterClause("taken_at", f, []any{actor})
	rows, err := q.QueryContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE person_id = $1`+where, args...)
	if err != nil {
		return nil, s.dbError(err, "read the assessments")
	}
	defer rows.Close()
	out := []backcoach.SavedAssessment{}
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, s.dbError(err, "read the assessments")
		}
		out = append(out, *a)
	}
	return out, s.dbError(rows.Err(), "read the assessments")
}

// SavePlan keeps a plan in the acting person's history.
func (s *Store) SavePlan(ctx context.Context, actor string, p *backcoach.SavedPlan) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	p.ID, p.PersonID = newID(), actor
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.now()
	}
	p.CreatedAt = stamp(p.CreatedAt)
	if err := p.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if p.AssessmentID != "" {
			if err := s.owns(ctx, tx, "assessments", "assessment", p.AssessmentID, actor); err != nil {
				return err
			}
		}
		if err := s.insertPlan(ctx, tx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, actor, backcoach.AuditCreate, backcoach.KindPlan, p.ID)
	})
}

// owns checks that the record id of table belongs to person.
func (s *Store) owns(ctx context.Context, q queryer, table, kind, id, person string) error {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = $1 AND person_id = $2`, id, person).Scan(&n)
	if err != nil {
		return s.dbError(err, "read the "+kind)
	}
	if n == 0 {
		return notFound(kind, id)
	}
	return nil
}

func (s *Store) insertPlan(ctx context.Context, q queryer, p *backcoach.SavedPlan) error {
	plan, err := json.Marshal(p.Plan)
	if err != nil {
		return backcoach.Invalid("plan", "cannot be stored: %v", err)
	}
	var assessment any
	if p.AssessmentID != "" {
		assessment = p.AssessmentID
	}
	_, err = q.ExecContext(ctx,
		`INSERT INTO plans (id, person_id, assessment_id, created_at, plan) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.PersonID, assessment, s.t(p.CreatedAt), string(plan))
	return s.dbError(err, "save the plan")
}

const planColumns = `id, person_id, COALESCE(assessment_id, ''), created_at, plan`

func scanPlan(row interface{ Scan(...any) error }) (*backcoach.SavedPlan, error) {
	var p backcoach.SavedPlan
	var created dbTime
	var plan string
	if err := row.Scan(&p.ID, &p.PersonID, &p.AssessmentID, &created, &plan); err != nil {
		return nil, err
	}
	p.CreatedAt = created.T
	if err := unmarshalAll([]string{plan}, &p.Plan); err != nil {
		return nil, err
	}
	return &p, nil
}

// Plan returns one of the acting person's plans.
func (s *Store) Plan(ctx context.Context, actor, id string) (*backcoach.SavedPlan, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	p, err := scanPlan(s.rdb.QueryRowContext(ctx,
		`SELECT `+planColumns+` FROM plans WHERE id = $1 AND person_id = $2`, id, actor))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("plan", id)
	}
	return p, s.dbError(err, "read the plan")
}

// Plans lists the acting person's plans.
func (s *Store) Plans(ctx context.Context, actor string, f backcoach.Filter) ([]backcoach.SavedPlan, error) {
	if err := checkActor(actor); err != nil {
		return nil, err
	}
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	return s.plans(ctx, s.rdb, actor, f)
}

func (s *Store) plans(ctx context.Context, q queryer, actor string, f backcoach.Filter) ([]backcoach.SavedPlan, error) {
	where, args := s.filterClause("created_at", f, []any{actor})
	rows, err := q.QueryContext(ctx, `SELECT `+planColumns+` FROM plans WHERE person_id = $1`+where, args...)
	if err != nil {
		return nil, s.dbError(err, "read the plans")
	}
	defer rows.Close()
	out := []backcoach.SavedPlan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, s.dbError(err, "read the plans")
		}
		out = append(out, *p)
	}
	return out, s.dbError(rows.Err(), "read the plans")
}
