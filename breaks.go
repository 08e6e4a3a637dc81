package backcoach

// BreakDay is one day of the break reminder's statistics: how many breaks
// fell due and what became of them, and how long the person was active at
// the computer. The reminder keeps the day's running totals and saves them
// whole; saving the same day again replaces its figures.
type BreakDay struct {
	PersonID string `json:"person_id"`
	// Date is the day in the person's time zone (YYYY-MM-DD).
	Date string `json:"date"`
	// Due is the number of breaks the reminder asked for.
	Due int `json:"due"`
	// Taken breaks followed a reminder; Natural ones were taken before a
	// reminder fell due (the person was away anyway).
	Taken   int `json:"taken"`
	Natural int `json:"natural"`
	Snoozed int `json:"snoozed"`
	Skipped int `json:"skipped"`
	// ActiveSeconds is the time the person was at the computer.
	ActiveSeconds int `json:"active_seconds"`
}

// Limits of a day's statistics.
const (
	MaxBreakCount = 10000
	// MaxActiveSeconds allows the 25-hour day of a daylight-saving change.
	MaxActiveSeconds = 25 * 60 * 60
)

// Validate checks every field of the day.
func (d *BreakDay) Validate() error {
	if err := checkDate("date", d.Date); err != nil {
		return err
	}
	for _, c := range []struct {
		name  string
		value int
	}{{"due", d.Due}, {"taken", d.Taken}, {"natural", d.Natural}, {"snoozed", d.Snoozed}, {"skipped", d.Skipped}} {
		if err := checkRange(c.name, c.value, 0, MaxBreakCount); err != nil {
			return err
		}
	}
	return checkRange("active_seconds", d.ActiveSeconds, 0, MaxActiveSeconds)
}
