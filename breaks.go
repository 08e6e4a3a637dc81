package backcoach

import "time"

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

// BreakSettings is how a person wants the break reminder to time their
// breaks. The web app's reminder uses them, and so does the desktop daemon
// (whose flags and settings file win over them). Durations are whole
// minutes.
type BreakSettings struct {
	PersonID string `json:"person_id"`
	// Enabled turns on the reminder of the web app: while one of its
	// pages is open, the page reports activity and shows the breaks. The
	// desktop daemon is turned on and off by installing it.
	Enabled bool `json:"enabled"`
	// MovementEveryMinutes is the active time before a movement break; 0
	// turns movement breaks off. MovementForMinutes is the break's length.
	MovementEveryMinutes int `json:"movement_every_minutes"`
	MovementForMinutes   int `json:"movement_for_minutes"`
	// StretchEveryMinutes and StretchForMinutes time the longer stretch
	// break the same way.
	StretchEveryMinutes int `json:"stretch_every_minutes"`
	StretchForMinutes   int `json:"stretch_for_minutes"`
	// DailyLimitMinutes is the most computer time wanted in a day; 0 is no
	// limit.
	DailyLimitMinutes int `json:"daily_limit_minutes"`
	// ResetHour is the local hour (0–23) at which a new day's figures
	// begin.
	ResetHour int `json:"reset_hour"`
	// SnoozeMinutes is how long Snooze puts a break off.
	SnoozeMinutes int `json:"snooze_minutes"`
	// UpdatedAt is when the settings were saved; nil for the defaults of
	// a person who never saved any.
	UpdatedAt *time.Time `json:"updated_at"`
}

// The default break settings: a one-minute movement break after 30 minutes
// of computer time, a five-minute stretch after 90, snoozes of 5 minutes,
// a new day at 04:00, no daily limit. The break engine's defaults are
// these.
const (
	DefaultMovementEveryMinutes = 30
	DefaultMovementForMinutes   = 1
	DefaultStretchEveryMinutes  = 90
	DefaultStretchForMinutes    = 5
	DefaultSnoozeMinutes        = 5
	DefaultResetHour            = 4
)

// Limits of the break settings.
const (
	MinBreakEveryMinutes = 5
	MaxBreakEveryMinutes = 12 * 60
	MinBreakForMinutes   = 1
	MaxBreakForMinutes   = 60
	MaxDailyLimitMinutes = 24 * 60
	MinSnoozeMinutes     = 1
	MaxSnoozeMinutes     = 120
)

// DefaultBreakSettings returns the defaults, with the reminder of the web
// app off until the person turns it on.
func DefaultBreakSettings() BreakSettings {
	return BreakSettings{
		MovementEveryMinutes: DefaultMovementEveryMinutes, MovementForMinutes: DefaultMovementForMinutes,
		StretchEveryMinutes: DefaultStretchEveryMinutes, StretchForMinutes: DefaultStretchForMinutes,
		ResetHour: DefaultResetHour, SnoozeMinutes: DefaultSnoozeMinutes,
	}
}

// Saved reports whether the person saved these settings (they are not the
// defaults of someone who never did).
func (s *BreakSettings) Saved() bool { return s.UpdatedAt != nil }

// Validate checks every field and says what is allowed.
func (s *BreakSettings) Validate() error {
	if err := checkBreakRule("movement", s.MovementEveryMinutes, s.MovementForMinutes); err != nil {
		return err
	}
	if err := checkBreakRule("stretch", s.StretchEveryMinutes, s.StretchForMinutes); err != nil {
		return err
	}
	if s.MovementEveryMinutes == 0 && s.StretchEveryMinutes == 0 {
		return Invalid("movement_every_minutes", "and stretch_every_minutes cannot both be 0: at least one kind of break must be on")
	}
	if s.DailyLimitMinutes < 0 || s.DailyLimitMinutes > MaxDailyLimitMinutes {
		return Invalid("daily_limit_minutes", "must be 0 (no limit) or a whole number of minutes from 1 to %d, got %d", MaxDailyLimitMinutes, s.DailyLimitMinutes)
	}
	if err := checkRange("reset_hour", s.ResetHour, 0, 23); err != nil {
		return err
	}
	if s.SnoozeMinutes < MinSnoozeMinutes || s.SnoozeMinutes > MaxSnoozeMinutes {
		return Invalid("snooze_minutes", "must be a whole number of minutes from %d to %d, got %d", MinSnoozeMinutes, MaxSnoozeMinutes, s.SnoozeMinutes)
	}
	return nil
}

// checkBreakRule checks the timing of one kind of break.
func checkBreakRule(kind string, every, length int) error {
	everyField, forField := kind+"_every_minutes", kind+"_for_minutes"
	if every != 0 && (every < MinBreakEveryMinutes || every > MaxBreakEveryMinutes) {
		return Invalid(everyField, "must be 0 (off) or a whole number of minutes from %d to %d, got %d", MinBreakEveryMinutes, MaxBreakEveryMinutes, every)
	}
	if length < MinBreakForMinutes || length > MaxBreakForMinutes {
		return Invalid(forField, "must be a whole number of minutes from %d to %d, got %d", MinBreakForMinutes, MaxBreakForMinutes, length)
	}
	if every != 0 && length >= every {
		return Invalid(forField, "must be shorter than %s (%d minutes), got %d", everyField, every, length)
	}
	return nil
}
