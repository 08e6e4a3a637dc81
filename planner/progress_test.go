package planner

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// sessions makes one session on each of the given days before today.
func sessions(today string, daysAgo []int, f func(*backcoach.SessionSummary)) []backcoach.SessionSummary {
	d, _ := time.Parse(time.DateOnly, today)
	var out []backcoach.SessionSummary
	for _, ago := range daysAgo {
		s := backcoach.SessionSummary{Date: d.AddDate(0, 0, -ago).Format(time.DateOnly), PainBefore: 4, PainAfter: 3, Completion: 1, NextDayPain: -1}
		if f != nil {
			f(&s)
		}
		out = append(out, s)
	}
	return out
}

func TestProgress(t *testing.T) {
	const today = "2026-11-28"
	good := []int{13, 11, 9, 6, 4, 2}
	cases := []struct {
		name    string
		history []backcoach.SessionSummary
		level   int
		want    int
		reason  string
	}{
		{"no history", nil, 0, 0, "No sessions"},
		{"two good weeks", sessions(today, good, nil), 0, 1, "steps up"},
		{"two good weeks from level 1", sessions(today, good, func(s *backcoach.SessionSummary) { s.Level = 1 }), 1, 2, "steps up"},
		{"at the top", sessions(today, good, func(s *backcoach.SessionSummary) { s.Level = MaxLevel }), MaxLevel, MaxLevel, "highest"},
		{"only one week", sessions(today, []int{6, 4, 2}, nil), 0, 0, "two weeks"},
		{"two sessions in the first week", sessions(today, []int{13, 9, 6, 4, 2}, nil), 0, 0, "two weeks"},
		{"level changed within the window", append(sessions(today, []int{13, 11, 9}, func(s *backcoach.SessionSummary) { s.Level = -1 }), sessions(today, []int{6, 4, 2}, nil)...), 0, 0, "two weeks"},
		{"half-done sessions", sessions(today, good, func(s *backcoach.SessionSummary) { s.Completion = 0.5 }), 0, 0, "two weeks"},
		{"pain creeping up", append(sessions(today, []int{13, 11, 9}, nil), sessions(today, []int{6, 4, 2}, func(s *backcoach.SessionSummary) { s.PainBefore, s.PainAfter = 5, 5 })...), 0, 0, "crept up"},
		{"last session flared", sessions(today, []int{1}, func(s *backcoach.SessionSummary) { s.PainBefore, s.PainAfter = 3, 5 }), 0, -1, "from 3 to 5"},
		{"rise of one is fine", sessions(today, []int{1}, func(s *backcoach.SessionSummary) { s.PainBefore, s.PainAfter = 3, 4 }), 0, 0, "keep going"},
		{"next day higher", sessions(today, []int{1}, func(s *backcoach.SessionSummary) { s.PainBefore, s.NextDayPain = 3, 4 }), 1, 0, "day after"},
		{"next day same", sessions(today, []int{1}, func(s *backcoach.SessionSummary) { s.PainBefore, s.NextDayPain = 3, 3 }), 1, 1, "keep going"},
		{"at the bottom", sessions(today, []int{1}, func(s *backcoach.SessionSummary) { s.PainBefore, s.PainAfter = 3, 6 }), MinLevel, MinLevel, "physiotherapist"},
		{"future sessions ignored", sessions(today, []int{-3}, func(s *backcoach.SessionSummary) { s.PainBefore, s.PainAfter = 3, 8 }), 0, 0, "No sessions"},
		{"an older flare within two good weeks", func() []backcoach.SessionSummary {
			h := sessions(today, good, nil)
			h[1].PainAfter = h[1].PainBefore + 2
			return h
		}(), 0, 0, "raised your pain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Progress(tc.history, tc.level, today)
			if p.Level != tc.want || p.Change != tc.want-tc.level {
				t.Errorf("level %d change %d, want %d (%s)", p.Level, p.Change, tc.want, p.Reason)
			}
			if !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("reason %q does not say %q", p.Reason, tc.reason)
			}
		})
	}
}

// The order of the history does not matter.
func TestProgressIgnoresOrder(t *testing.T) {
	h := sessions("2026-11-28", []int{13, 11, 9, 6, 4, 2}, nil)
	h[5].PainAfter = 7 // the most recent session flared
	rev := make([]backcoach.SessionSummary, len(h))
	for i := range h {
		rev[len(h)-1-i] = h[i]
	}
	a, b := Progress(h, 0, "2026-11-28"), Progress(rev, 0, "2026-11-28")
	if a != b || a.Change != -1 {
		t.Fatal(fmt.Sprint(a, b))
	}
}
