package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// TestCalendarFeed makes, finds, replaces and revokes a person's calendar
// feed: one feed a person, only its hash kept, the old address dead at
// once, its use written at most once an hour, every change audited, and
// nobody else reaching it.
func TestCalendarFeed(t *testing.T) {
	forEachDBWithClock(t, func(t *testing.T, s *Store, clk *manualClock) {
		t.Parallel()
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		bob := newPerson(t, s, "bob")
		if _, err := s.CalendarFeed(ctx, ann); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("before any feed: %v, want ENOTFOUND", err)
		}
		secret, hash := newTokenHash()
		f := backcoach.CalendarFeed{Hash: hash}
		if err := s.MakeCalendarFeed(ctx, ann, &f); err != nil {
			t.Fatal(err)
		}
		if f.SessionTime != backcoach.DefaultSessionTime || f.CheckInTime != backcoach.DefaultCheckInTime || f.PersonID != ann || f.ID == "" {
			t.Fatalf("made %+v; want the default times, Ann's", f)
		}
		got, err := s.CalendarFeed(ctx, ann)
		if err != nil || got.ID != f.ID || got.Hash != "" || got.LastUsedAt != nil || !got.CreatedAt.Equal(clk.Now()) {
			t.Fatalf("read %+v, %v", got, err)
		}
		if _, err := s.CalendarFeed(ctx, bob); code(err) != backcoach.ENOTFOUND {
			t.Errorf("Bob reads a feed: %v", err)
		}
		if err := s.RevokeCalendarFeed(ctx, bob); code(err) != backcoach.ENOTFOUND {
			t.Errorf("Bob revoking (he has none): %v, want ENOTFOUND", err)
		}

		// A fetch records the use; another within the hour writes nothing.
		found, err := s.CalendarFeedByHash(ctx, hash)
		if err != nil || found.PersonID != ann || found.LastUsedAt == nil || !found.LastUsedAt.Equal(clk.Now()) {
			t.Fatalf("by hash: %+v, %v", found, err)
		}
		first := clk.Now()
		clk.Advance(59 * time.Minute)
		if found, _ := s.CalendarFeedByHash(ctx, hash); !found.LastUsedAt.Equal(first) {
			t.Errorf("a fetch within the hour moved the last use to %v", found.LastUsedAt)
		}
		clk.Advance(2 * time.Minute)
		if found, _ := s.CalendarFeedByHash(ctx, hash); !found.LastUsedAt.Equal(clk.Now()) {
			t.Errorf("a fetch after the hour left the last use at %v", found.LastUsedAt)
		}
		for _, h := range []string{"", strings.Repeat("a", 64), strings.ToUpper(hash), secret} {
			if _, err := s.CalendarFeedByHash(ctx, h); code(err) != backcoach.ENOTFOUND {
				t.Errorf("hash %q: %v, want ENOTFOUND", h, err)
			}
		}

		// Making a new feed replaces the old: the old address stops.
		_, hash2 := newTokenHash()
		f2 := backcoach.CalendarFeed{Hash: hash2, SessionTime: "07:30", CheckInTime: "21:15"}
		if err := s.MakeCalendarFeed(ctx, ann, &f2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CalendarFeedByHash(ctx, hash); code(err) != backcoach.ENOTFOUND {
			t.Errorf("the replaced feed still works: %v", err)
		}
		if got, err := s.CalendarFeed(ctx, ann); err != nil || got.ID != f2.ID || got.SessionTime != "07:30" || got.CheckInTime != "21:15" {
			t.Errorf("after replacing: %+v, %v", got, err)
		}
		var rows int
		if err := s.db.QueryRow(`SELECT count(*) FROM calendar_feeds WHERE person_id = $1`, ann).Scan(&rows); err != nil || rows != 1 {
			t.Errorf("%d feeds kept for Ann (%v), want 1", rows, err)
		}
		// Another person cannot take the same secret.
		if err := s.MakeCalendarFeed(ctx, bob, &backcoach.CalendarFeed{Hash: hash2}); code(err) != backcoach.ECONFLICT {
			t.Errorf("Bob with Ann's secret: %v, want ECONFLICT", err)
		}

		// Revoking ends it at once.
		if err := s.RevokeCalendarFeed(ctx, ann); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CalendarFeedByHash(ctx, hash2); code(err) != backcoach.ENOTFOUND {
			t.Errorf("the revoked feed still works: %v", err)
		}
		if err := s.RevokeCalendarFeed(ctx, ann); code(err) != backcoach.ENOTFOUND {
			t.Errorf("revoking twice: %v, want ENOTFOUND", err)
		}

		// Every change is in the trail: create, delete+create, delete
		// (lines of one moment are in no set order).
		trail, err := s.AuditTrail(ctx, ann, backcoach.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range trail {
			if e.Kind == backcoach.KindCalendarFeed {
				lines = append(lines, string(e.Action)+" "+e.RecordID)
			}
		}
		want := []string{"create " + f.ID, "delete " + f.ID, "create " + f2.ID, "delete " + f2.ID}
		slices.Sort(lines)
		slices.Sort(want)
		if !slices.Equal(lines, want) {
			t.Errorf("audit lines %v, want %v", lines, want)
		}
	})
}

// TestCalendarFeedInput refuses bad times and hashes, naming the field.
func TestCalendarFeedInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		for _, c := range []struct {
			feed  backcoach.CalendarFeed
			field string
		}{
			{backcoach.CalendarFeed{SessionTime: "24:00"}, "session_time"},
			{backcoach.CalendarFeed{SessionTime: "8:00"}, "session_time"},
			{backcoach.CalendarFeed{CheckInTime: "20:60"}, "check_in_time"},
			{backcoach.CalendarFeed{CheckInTime: "evening"}, "check_in_time"},
			{backcoach.CalendarFeed{Hash: "abc"}, "hash"},
		} {
			if c.feed.Hash == "" {
				_, c.feed.Hash = newTokenHash()
			}
			err := s.MakeCalendarFeed(ctx, ann, &c.feed)
			var be *backcoach.Error
			if code(err) != backcoach.EINVALID || !errors.As(err, &be) || be.Field != c.field {
				t.Errorf("%+v: %v, want EINVALID naming %s", c.feed, err, c.field)
			}
		}
		if _, err := s.CalendarFeed(ctx, ann); code(err) != backcoach.ENOTFOUND {
			t.Errorf("a refused feed was kept: %v", err)
		}
		if err := s.MakeCalendarFeed(ctx, newID(), &backcoach.CalendarFeed{Hash: strings.Repeat("b", 64)}); code(err) != backcoach.ENOTFOUND {
			t.Errorf("a feed for nobody: %v, want ENOTFOUND", err)
		}
	})
}

// TestCalendarFeedLeavesWithAccount checks that deleting the account
// deletes the feed, and that the export never carries its secret or hash.
func TestCalendarFeedLeavesWithAccount(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		secret, hash := newTokenHash()
		if err := s.MakeCalendarFeed(ctx, ann, &backcoach.CalendarFeed{Hash: hash}); err != nil {
			t.Fatal(err)
		}
		x, err := s.Export(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := json.Marshal(x)
		if strings.Contains(string(doc), hash) || strings.Contains(string(doc), secret) {
			t.Error("the export carries the feed's hash or secret")
		}
		if _, err := s.DeleteAccount(ctx, ann); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := s.db.QueryRow(`SELECT count(*) FROM calendar_feeds`).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("%d feeds left after deleting the account (%v)", rows, err)
		}
		if _, err := s.CalendarFeedByHash(ctx, hash); code(err) != backcoach.ENOTFOUND {
			t.Errorf("the deleted account's feed: %v", err)
		}
	})
}

// TestNewPasswordEndsTheFeed checks that a new password ends the feed,
// as it ends every token: a leaked address stops with the old password.
func TestNewPasswordEndsTheFeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ann := newPerson(t, s, "ann")
		_, hash := newTokenHash()
		f := backcoach.CalendarFeed{Hash: hash}
		if err := s.MakeCalendarFeed(ctx, ann, &f); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPasswordHash(ctx, ann, "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CalendarFeedByHash(ctx, hash); code(err) != backcoach.ENOTFOUND {
			t.Errorf("the feed after a new password: %v, want ENOTFOUND", err)
		}
		trail, _ := s.AuditTrail(ctx, ann, backcoach.Filter{})
		if !slices.ContainsFunc(trail, func(e backcoach.AuditEntry) bool {
			return e.Kind == backcoach.KindCalendarFeed && e.Action == backcoach.AuditDelete && e.RecordID == f.ID
		}) {
			t.Error("the feed's end is not in the audit trail")
		}
	})
}
