package diary

import (
	"fmt"

	"github.com/backcoach/backcoach"
)

// BreakSummary is the break reminder's figures over a period: the days
// that have any, oldest first, and their totals.
type BreakSummary struct {
	Days  []backcoach.BreakDay `json:"days"`
	Total BreakTotals          `json:"total"`
}

// BreakTotals adds up the figures of several days.
type BreakTotals struct {
	// Days is how many days have figures.
	Days          int `json:"days"`
	Due           int `json:"due"`
	Taken         int `json:"taken"`
	Natural       int `json:"natural"`
	Snoozed       int `json:"snoozed"`
	Skipped       int `json:"skipped"`
	ActiveSeconds int `json:"active_seconds"`
}

// SummariseBreaks keeps the days from from to to (YYYY-MM-DD, inclusive)
// and adds them up.
func SummariseBreaks(days []backcoach.BreakDay, from, to string) BreakSummary {
	s := BreakSummary{Days: []backcoach.BreakDay{}}
	for _, d := range days {
		if d.Date < from || d.Date > to {
			continue
		}
		s.Days = append(s.Days, d)
		s.Total.add(d)
	}
	return s
}

func (t *BreakTotals) add(d backcoach.BreakDay) {
	t.Days++
	t.Due += d.Due
	t.Taken += d.Taken
	t.Natural += d.Natural
	t.Snoozed += d.Snoozed
	t.Skipped += d.Skipped
	t.ActiveSeconds += d.ActiveSeconds
}

// Words says the totals in one sentence, or "" when there are none.
func (t BreakTotals) Words(days int) string {
	if t.Days == 0 {
		return ""
	}
	return fmt.Sprintf("Movement breaks over the last %d days: %s due, %d taken after a reminder, %d taken before one, %d snoozed, %d skipped; %s at the computer on %s.",
		days, backcoach.Count(t.Due, "break", "breaks"), t.Taken, t.Natural, t.Snoozed, t.Skipped, ActiveWords(t.ActiveSeconds), backcoach.Count(t.Days, "day", "days"))
}

// ActiveWords says an active time in hours and minutes: "3 h 05 min",
// "40 min".
func ActiveWords(seconds int) string {
	m := seconds / 60
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// DayWords says one day's figures: "8 due, 6 taken, 1 natural, 2 snoozed,
// 1 skipped, 5 h 10 min active".
func DayWords(d backcoach.BreakDay) string {
	return fmt.Sprintf("%d due, %d taken, %d natural, %d snoozed, %d skipped, %s active",
		d.Due, d.Taken, d.Natural, d.Snoozed, d.Skipped, ActiveWords(d.ActiveSeconds))
}
