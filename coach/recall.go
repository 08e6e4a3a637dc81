package coach

import (
	"context"
)

// CheckedInBefore answers again for a check-in already kept: a form sent
// a second time (a double tap, or a resend from a device that kept it
// while its owner was signed out) gets what the first made of it, without
// a second entry. The refusal and the worsening are read as they stand
// now (docs/clinical.md §6), as CheckIn reads them after keeping an entry.
func (c *Coach) CheckedInBefore(ctx context.Context, person, entryID string) (*CheckedIn, error) {
	e, err := c.store.DiaryEntry(ctx, person, entryID)
	if err != nil {
		return nil, err
	}
	return c.checkedIn(ctx, person, e)
}
