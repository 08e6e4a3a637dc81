package backcoach

import (
	"context"
	"time"
)

// FormKeyService keeps the keys of forms and records already handled, so
// that a form sent twice (two quick taps, or again after its answer was
// lost, or from a device that kept it while signed out) makes one record,
// whichever server takes it and across restarts.
//
// The first request with a key claims it, makes its record and settles
// the key with the record's id; a later request with the key reads that
// id instead of making another record. A request whose record failed
// releases its key, so that sending again tries again.
type FormKeyService interface {
	// ClaimFormKey claims the acting person's key at now. claimed is true
	// when this request is the first (or the first claim was abandoned:
	// unsettled for longer than FormKeyAbandoned); otherwise outcome is
	// what the first settled, "" while it is still at work.
	ClaimFormKey(ctx context.Context, actor, key string, now time.Time) (claimed bool, outcome string, err error)
	// SettleFormKey keeps the outcome (a record's id) of a claimed key.
	SettleFormKey(ctx context.Context, actor, key, outcome string) error
	// ReleaseFormKey forgets a claimed key whose request failed.
	ReleaseFormKey(ctx context.Context, actor, key string) error
	// PruneFormKeys forgets the keys claimed before a time, and says how
	// many went.
	PruneFormKeys(ctx context.Context, before time.Time) (int64, error)
}

// MaxFormKeyBytes bounds a form key, kind included ("form:...").
const MaxFormKeyBytes = 80

// FormKeyAbandoned is how long a claim may stay unsettled before another
// request with its key may take it over: the first request died between
// its claim and its record (a crash), and the record was never made.
const FormKeyAbandoned = 2 * time.Minute

// FormKeyDays is how long keys are kept: a double tap comes within
// seconds, a check-in kept on a device until its owner signs in again
// within days.
const FormKeyDays = 14
