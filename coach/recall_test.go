package coach_test

import (
	"context"
	"testing"

	"github.com/backcoach/backcoach"
)

// TestCheckedInBefore: a check-in answered again reads the same entry,
// and the refusal its warning sign made, without keeping a second entry;
// another person's entry is not found.
func TestCheckedInBefore(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.assess(clean())
	e := &backcoach.DiaryEntry{Pain: 4, Note: "stiff", FlagsAsked: true, Flags: []string{"fever"}}
	first, err := f.coach.CheckIn(ctx, f.person, e, backcoach.ViaWeb)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.coach.CheckedInBefore(ctx, f.person, first.Entry.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Entry.ID != first.Entry.ID || again.Entry.Pain != 4 || again.Entry.Note != "stiff" || !again.SignsNow {
		t.Errorf("answered again with %+v, want the first entry %+v", again.Entry, first.Entry)
	}
	if (first.Refusal == nil) != (again.Refusal == nil) || again.Refusal == nil {
		t.Errorf("refusal first %v, again %v: want the fever's refusal both times", first.Refusal, again.Refusal)
	}
	entries, _ := f.store.DiaryEntries(ctx, f.person, backcoach.Filter{})
	if len(entries) != 1 {
		t.Errorf("%d entries kept, want 1", len(entries))
	}
	other := &backcoach.Person{Handle: "bob", Role: backcoach.RolePerson}
	if err := f.store.CreatePerson(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := f.coach.CheckedInBefore(ctx, other.ID, first.Entry.ID); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		t.Errorf("another person's entry: %v, want ENOTFOUND", err)
	}
}
