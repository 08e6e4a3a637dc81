package coach

import (
	"context"
	"slices"

	"github.com/backcoach/backcoach"
)

// ClearanceRequest is what a person says when a clinician has checked
// them: who, when, and optionally a note. The signs it covers are the
// ones standing when it is recorded.
type ClearanceRequest struct {
	By        backcoach.ClearedBy
	Name      string
	CheckedOn string
	Note      string
}

// RecordClearance keeps that a GP, physiotherapist or emergency team has
// checked the person and said they may exercise (docs/clinical.md §3). It
// covers every sign standing now; it lifts them once a fresh screen finds
// no new sign. With nothing standing it is EINVALID: there is nothing to
// clear. The check's day may not be in the future, nor before the newest
// standing sign was answered.
func (c *Coach) RecordClearance(ctx context.Context, person string, req ClearanceRequest) (*backcoach.Clearance, *Day, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, nil, err
	}
	if len(d.Standing.Signs) == 0 {
		return nil, nil, backcoach.Invalid("signs", "no warning sign stands in your record: there is nothing for a clearance to cover")
	}
	cl := &backcoach.Clearance{RecordedAt: d.Now, By: req.By, Name: req.Name, CheckedOn: req.CheckedOn, Note: req.Note,
		Signs: d.Standing.IDs()}
	slices.Sort(cl.Signs)
	if err := backcoach.CheckDate("checked_on", req.CheckedOn); err != nil {
		return nil, nil, err
	}
	if req.CheckedOn > d.Today {
		return nil, nil, backcoach.Invalid("checked_on", "must be today (%s) or earlier, got %s", d.Today, req.CheckedOn)
	}
	newest := d.Standing.Signs[0].At
	for _, s := range d.Standing.Signs {
		if s.At.After(newest) {
			newest = s.At
		}
	}
	if first := newest.In(d.Loc).Format(backcoach.DateLayout); req.CheckedOn < first {
		return nil, nil, backcoach.Invalid("checked_on", "must be on or after %s, when the warning sign was answered: a check before it cannot cover it", first)
	}
	if err := c.store.AddClearance(ctx, person, cl); err != nil {
		return nil, nil, err
	}
	after, err := c.Day(ctx, person)
	if err != nil {
		return nil, nil, err
	}
	return cl, after, nil
}
