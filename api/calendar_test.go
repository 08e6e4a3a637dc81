package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// TestCalendarFeedRoutes reads and revokes a calendar feed through the
// API: the owner sees it without its hash, nobody else does, a read-only
// token reads but cannot revoke, and a revoked feed is gone.
func TestCalendarFeedRoutes(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		t.Parallel()
		hash := strings.Repeat("d", 64)
		if err := e.store.MakeCalendarFeed(t.Context(), e.alice.id, &backcoach.CalendarFeed{Hash: hash, SessionTime: "07:45"}); err != nil {
			t.Fatal(err)
		}
		res := e.do(t, e.alice, "GET", "/api/v1/calendar-feed", nil)
		if res.status != http.StatusOK || strings.Contains(string(res.body), hash) {
			t.Fatalf("Alice's feed: %d %s", res.status, res.body)
		}
		got := res.json(t)
		if got["session_time"] != "07:45" || got["check_in_time"] != backcoach.DefaultCheckInTime || got["person_id"] != e.alice.id || got["last_used_at"] != nil {
			t.Errorf("Alice's feed reads %v", got)
		}
		if res := e.do(t, e.bob, "GET", "/api/v1/calendar-feed", nil); res.status != http.StatusNotFound {
			t.Errorf("Bob reads %d %s, want 404", res.status, res.body)
		}
		if res := e.do(t, e.bob, "DELETE", "/api/v1/calendar-feed", nil); res.status != http.StatusNotFound {
			t.Errorf("Bob revokes: %d, want 404", res.status)
		}
		reader := e.makeToken(t, e.alice, "reader", backcoach.ScopeRead, 0).who
		if res := e.do(t, reader, "GET", "/api/v1/calendar-feed", nil); res.status != http.StatusOK {
			t.Errorf("a read-only token reads %d", res.status)
		}
		if res := e.do(t, reader, "DELETE", "/api/v1/calendar-feed", nil); res.status != http.StatusForbidden {
			t.Errorf("a read-only token revokes: %d, want 403", res.status)
		}
		if res := e.do(t, e.alice, "POST", "/api/v1/calendar-feed", map[string]any{}); res.status != http.StatusMethodNotAllowed {
			t.Errorf("making a feed through the API: %d, want 405 (only Settings makes one)", res.status)
		}
		if res := e.do(t, e.alice, "DELETE", "/api/v1/calendar-feed", nil); res.status != http.StatusNoContent {
			t.Fatalf("Alice revokes: %d %s", res.status, res.body)
		}
		if _, err := e.store.CalendarFeedByHash(t.Context(), hash); backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
			t.Errorf("the revoked feed: %v", err)
		}
		if res := e.do(t, e.alice, "GET", "/api/v1/calendar-feed", nil); res.status != http.StatusNotFound {
			t.Errorf("after revoking: %d", res.status)
		}
	})
}
