package coach

import (
	"context"

	"github.com/backcoach/backcoach"
)

// DashboardEach is the dashboard read patient by patient, one
// SharedRecord each, as it was before DashboardRecords: the reference the
// set-based Dashboard must agree with.
func (c *Coach) DashboardEach(ctx context.Context, clinician string) ([]PatientSummary, error) {
	patients, err := c.store.Patients(ctx, clinician)
	if err != nil {
		return nil, err
	}
	out := make([]PatientSummary, 0, len(patients))
	for _, p := range patients {
		rec, err := c.store.SharedRecord(ctx, backcoach.Access{Actor: clinician, Subject: p.Person.ID}, backcoach.Filter{From: c.dashboardFrom()})
		if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		sum, err := c.summarise(ctx, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, *sum)
	}
	sortSummaries(out)
	return out, nil
}
