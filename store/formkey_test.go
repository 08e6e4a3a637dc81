package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// TestFormKeys: of many claims of one key at once exactly one wins; the
// others read its outcome once settled; a released key may be claimed
// again; an unsettled claim is taken over once abandoned; keys are the
// person's own, pruned by age and deleted with the account.
func TestFormKeys(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann, bob := newPerson(t, s, "ann"), newPerson(t, s, "bob")
		now := day0

		const n = 8
		var wg sync.WaitGroup
		won := make(chan int, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				claimed, _, err := s.ClaimFormKey(ctx, ann, "form:k1", now)
				if err != nil {
					t.Error(err)
				}
				if claimed {
					won <- i
				}
			}()
		}
		wg.Wait()
		close(won)
		if len(won) != 1 {
			t.Fatalf("%d of %d claims at once won, want 1", len(won), n)
		}
		if claimed, out, err := s.ClaimFormKey(ctx, ann, "form:k1", now); err != nil || claimed || out != "" {
			t.Errorf("before settling: claimed %v, outcome %q, %v; want the first still at work", claimed, out, err)
		}
		if err := s.SettleFormKey(ctx, ann, "form:k1", "entry-1"); err != nil {
			t.Fatal(err)
		}
		if claimed, out, err := s.ClaimFormKey(ctx, ann, "form:k1", now.Add(time.Hour)); err != nil || claimed || out != "entry-1" {
			t.Errorf("after settling: claimed %v, outcome %q, %v; want entry-1", claimed, out, err)
		}
		if claimed, _, _ := s.ClaimFormKey(ctx, bob, "form:k1", now); !claimed {
			t.Error("another person's key is theirs, but was taken")
		}

		// A failed request releases its key; a settled one is kept.
		s.ClaimFormKey(ctx, ann, "form:k2", now)
		if err := s.ReleaseFormKey(ctx, ann, "form:k2"); err != nil {
			t.Fatal(err)
		}
		if claimed, _, _ := s.ClaimFormKey(ctx, ann, "form:k2", now); !claimed {
			t.Error("a released key could not be claimed again")
		}
		s.ReleaseFormKey(ctx, ann, "form:k1")
		if _, out, _ := s.ClaimFormKey(ctx, ann, "form:k1", now); out != "entry-1" {
			t.Errorf("releasing a settled key forgot it: %q", out)
		}

		// An unsettled claim is abandoned after a while.
		if claimed, _, _ := s.ClaimFormKey(ctx, ann, "form:k2", now.Add(backcoach.FormKeyAbandoned-time.Second)); claimed {
			t.Error("a fresh unsettled claim was taken over")
		}
		if claimed, _, _ := s.ClaimFormKey(ctx, ann, "form:k2", now.Add(backcoach.FormKeyAbandoned+time.Second)); !claimed {
			t.Error("an abandoned claim was not taken over")
		}

		// Bad input names the field.
		if _, _, err := s.ClaimFormKey(ctx, ann, "", now); backcoach.ErrorCode(err) != backcoach.EINVALID {
			t.Errorf("an empty key: %v", err)
		}
		if _, _, err := s.ClaimFormKey(ctx, ann, string(make([]byte, backcoach.MaxFormKeyBytes+1)), now); backcoach.ErrorCode(err) != backcoach.EINVALID {
			t.Errorf("a long key: %v", err)
		}

		// Pruning by age.
		s.ClaimFormKey(ctx, ann, "form:late", now.AddDate(0, 0, 3))
		gone, err := s.PruneFormKeys(ctx, now.AddDate(0, 0, 1))
		if err != nil || gone != 3 {
			t.Errorf("pruned %d keys (%v), want 3", gone, err)
		}
		if claimed, _, _ := s.ClaimFormKey(ctx, ann, "form:k1", now); !claimed {
			t.Error("a pruned key is still known")
		}

		// The account's deletion takes its keys.
		if _, err := s.DeleteAccount(ctx, ann); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := s.db.QueryRow(`SELECT count(*) FROM form_keys WHERE person_id = $1`, ann).Scan(&left); err != nil || left != 0 {
			t.Errorf("%d keys left after deleting the account (%v)", left, err)
		}
	})
}
