package triage

import (
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

func TestCallNumbers(t *testing.T) {
	t.Parallel()
	first := func(u backcoach.Urgency, zone string) string {
		list := CallNumbers(u, zone)
		if len(list) == 0 {
			return ""
		}
		return list[0].Number
	}
	for _, tc := range []struct {
		urgency backcoach.Urgency
		zone    string
		want    string
		count   int
	}{
		{backcoach.UrgencyEmergency, "Europe/London", "999", 3},
		{backcoach.UrgencyEmergency, "Europe/Paris", "112", 3},
		{backcoach.UrgencyEmergency, "America/Chicago", "911", 3},
		{backcoach.UrgencyEmergency, "Asia/Tokyo", "112", 3},
		{backcoach.UrgencyEmergency, "UTC", "112", 3},
		{backcoach.UrgencyUrgent, "Europe/London", "111", 1},
		{backcoach.UrgencyUrgent, "Europe/Paris", "", 0},
		{backcoach.UrgencySoon, "Europe/London", "", 0},
	} {
		if got := first(tc.urgency, tc.zone); got != tc.want || len(CallNumbers(tc.urgency, tc.zone)) != tc.count {
			t.Errorf("%s in %s: first %q of %v, want %q of %d", tc.urgency, tc.zone, got, CallNumbers(tc.urgency, tc.zone), tc.want, tc.count)
		}
	}
}

// TestNumbersMatchTheAdvice checks that the emergency advice names every
// emergency number the buttons offer, so the words and the buttons agree.
func TestNumbersMatchTheAdvice(t *testing.T) {
	t.Parallel()
	advice := strings.Join(LevelOf(backcoach.UrgencyEmergency).Advice, " ")
	for _, n := range CallNumbers(backcoach.UrgencyEmergency, "UTC") {
		if !strings.Contains(advice, n.Number) {
			t.Errorf("the emergency advice does not name %s: %q", n.Number, advice)
		}
	}
}
