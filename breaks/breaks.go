// Package breaks is the movement-break reminder's engine: a state machine
// that is fed readings of how long the person has been idle and answers
// with events (offer a break, withdraw it, save the day's figures) and the
// time it next needs a reading. It never reads a clock or a device itself,
// so every rule can be tested with made-up times, and it serves a desktop
// daemon and a web server alike: one Engine per person.
//
// The rules, in short:
//
//   - Two kinds of break, movement and stretch, each due after an amount of
//     active time (time at the computer) and lasting a set time.
//   - An idle stretch at least as long as a break counts as that break taken
//     (naturally, or following the reminder) and resets its timer; an idle
//     stretch as long as the stretch break resets both.
//   - Idle stretches shorter than the shortest break count as active: the
//     person is still sitting, reading or thinking.
//   - A locked screen or a sleeping machine is idle. Clock jumps never make
//     timers negative or bring several breaks at once.
//   - A break due while the person is away, in quiet mode (a full-screen
//     window, do-not-disturb) or while reminders are paused waits, and is
//     offered as soon as that ends.
package breaks

import (
	"fmt"
	"time"

	"github.com/backcoach/backcoach"
)

// Kind is one of the two kinds of break.
type Kind string

// The kinds of break.
const (
	// Movement is the short, frequent break: stand up, one desk exercise.
	Movement Kind = "movement"
	// Stretch is the longer, rarer break: a short routine of exercises.
	Stretch Kind = "stretch"
)

// Kinds lists the kinds, shortest break first.
var Kinds = []Kind{Movement, Stretch}

// Rule is how one kind of break is timed and what it offers.
type Rule struct {
	// Every is the active time after which the break falls due; zero
	// turns this kind of break off.
	Every time.Duration
	// For is how long the break lasts, and the shortest idle stretch that
	// counts as the break taken naturally.
	For time.Duration
	// Exercises is how many exercises the break offers.
	Exercises int
}

// Enabled reports whether the kind of break is on.
func (r Rule) Enabled() bool { return r.Every > 0 }

// Config is how the reminder behaves. DefaultConfig gives the defaults; a
// config must pass Validate before an Engine takes it.
type Config struct {
	Movement Rule
	Stretch  Rule
	// DailyLimit is the most computer time wanted in a day; reaching it is
	// said once. Zero means no limit.
	DailyLimit time.Duration
	// ResetHour is the local hour (0–23) at which a new day's figures
	// start, so that a late night still belongs to the day before.
	ResetHour int
	// Location is the time zone of ResetHour and of the days' dates.
	Location *time.Location
	// SnoozeFor is how long a snoozed break waits, and how long a shown
	// reminder is left alone before it is shown again.
	SnoozeFor time.Duration
	// MaxSnoozes is how often one break may be snoozed; after that it
	// comes without the choice.
	MaxSnoozes int
	// OfferIdle is the idle time after which a break that falls due is not
	// shown but waits: the person has probably got up already.
	OfferIdle time.Duration
	// AwayPoll is how often a reading is wanted while the person is away
	// or a break waits for them, to notice their return.
	AwayPoll time.Duration
	// QuietPoll is how often a reading is wanted while a break waits for
	// quiet mode to end.
	QuietPoll time.Duration
	// MaxLate is how much later than asked a reading may come before the
	// time in between is taken as the machine asleep (or the clock moved
	// forward): idle, never active.
	MaxLate time.Duration
}

// The defaults, those of a person's break settings
// (backcoach.DefaultBreakSettings): a one-minute movement break after 30
// minutes, a five-minute stretch routine after 90, snoozes of 5 minutes at
// most 3 times, a new day at 04:00.
const (
	DefaultMovementEvery = backcoach.DefaultMovementEveryMinutes * time.Minute
	DefaultMovementFor   = backcoach.DefaultMovementForMinutes * time.Minute
	DefaultStretchEvery  = backcoach.DefaultStretchEveryMinutes * time.Minute
	DefaultStretchFor    = backcoach.DefaultStretchForMinutes * time.Minute
	DefaultSnoozeFor     = backcoach.DefaultSnoozeMinutes * time.Minute
	DefaultMaxSnoozes    = 3
	DefaultResetHour     = backcoach.DefaultResetHour
)

// DefaultConfig returns the default reminder in local time.
func DefaultConfig() Config {
	return Config{
		Movement:   Rule{Every: DefaultMovementEvery, For: DefaultMovementFor, Exercises: 1},
		Stretch:    Rule{Every: DefaultStretchEvery, For: DefaultStretchFor, Exercises: 3},
		ResetHour:  DefaultResetHour,
		Location:   time.Local,
		SnoozeFor:  DefaultSnoozeFor,
		MaxSnoozes: DefaultMaxSnoozes,
		OfferIdle:  10 * time.Second,
		AwayPoll:   30 * time.Second,
		QuietPoll:  20 * time.Second,
		MaxLate:    30 * time.Second,
	}
}

// ConfigFrom returns the configuration a person's saved settings ask for,
// in their time zone: the defaults with the settings' timing, daily limit,
// reset hour and snooze length. Valid settings give a valid configuration.
func ConfigFrom(s backcoach.BreakSettings, loc *time.Location) Config {
	c := DefaultConfig()
	if loc != nil {
		c.Location = loc
	}
	c.Movement.Every = minutes(s.MovementEveryMinutes)
	c.Movement.For = minutes(s.MovementForMinutes)
	c.Stretch.Every = minutes(s.StretchEveryMinutes)
	c.Stretch.For = minutes(s.StretchForMinutes)
	c.DailyLimit = minutes(s.DailyLimitMinutes)
	c.ResetHour = s.ResetHour
	c.SnoozeFor = minutes(s.SnoozeMinutes)
	return c
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

// Limits of the configuration.
const (
	MinEvery     = 5 * time.Second
	MaxEvery     = 12 * time.Hour
	MinFor       = time.Second
	MaxFor       = time.Hour
	MaxExercises = 5
	MaxLimit     = 24 * time.Hour
	MaxSnoozeFor = 2 * time.Hour
	MaxSnoozes   = 10
)

// Rule returns the rule of a kind.
func (c *Config) Rule(k Kind) Rule {
	if k == Stretch {
		return c.Stretch
	}
	return c.Movement
}

// Validate checks every field and says what is allowed.
func (c *Config) Validate() error {
	if err := c.Movement.validate(string(Movement)); err != nil {
		return err
	}
	if err := c.Stretch.validate(string(Stretch)); err != nil {
		return err
	}
	if !c.Movement.Enabled() && !c.Stretch.Enabled() {
		return backcoach.Invalid("breaks", "at least one kind of break must be on (movement-every or stretch-every above 0)")
	}
	if c.DailyLimit != 0 && (c.DailyLimit < time.Minute || c.DailyLimit > MaxLimit) {
		return backcoach.Invalid("daily-limit", "must be 0 (no limit) or from 1m to 24h, got %s", c.DailyLimit)
	}
	if c.ResetHour < 0 || c.ResetHour > 23 {
		return backcoach.Invalid("reset-hour", "must be an hour from 0 to 23, got %d", c.ResetHour)
	}
	if c.Location == nil {
		return backcoach.Invalid("location", "must be a time zone")
	}
	if c.SnoozeFor < MinFor || c.SnoozeFor > MaxSnoozeFor {
		return backcoach.Invalid("snooze-for", "must be from %s to %s, got %s", MinFor, MaxSnoozeFor, c.SnoozeFor)
	}
	if c.MaxSnoozes < 0 || c.MaxSnoozes > MaxSnoozes {
		return backcoach.Invalid("max-snoozes", "must be from 0 to %d, got %d", MaxSnoozes, c.MaxSnoozes)
	}
	for _, p := range []struct {
		name  string
		value time.Duration
	}{{"offer-idle", c.OfferIdle}, {"away-poll", c.AwayPoll}, {"quiet-poll", c.QuietPoll}, {"max-late", c.MaxLate}} {
		if p.value < 100*time.Millisecond || p.value > time.Hour {
			return backcoach.Invalid(p.name, "must be from 100ms to 1h, got %s", p.value)
		}
	}
	return nil
}

func (r Rule) validate(kind string) error {
	if r.Every == 0 {
		return nil
	}
	if r.Every < MinEvery || r.Every > MaxEvery {
		return backcoach.Invalid(kind+"-every", "must be 0 (off) or from %s to %s, got %s", MinEvery, MaxEvery, r.Every)
	}
	if r.For < MinFor || r.For > MaxFor {
		return backcoach.Invalid(kind+"-for", "must be from %s to %s, got %s", MinFor, MaxFor, r.For)
	}
	if r.For >= r.Every {
		return backcoach.Invalid(kind+"-for", "must be shorter than %s-every (%s), got %s", kind, r.Every, r.For)
	}
	if r.Exercises < 1 || r.Exercises > MaxExercises {
		return backcoach.Invalid(kind+"-exercises", "must be from 1 to %d, got %d", MaxExercises, r.Exercises)
	}
	return nil
}

// ParseKind checks a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", backcoach.Invalid("kind", "must be %q or %q, got %q", Movement, Stretch, s)
}

// String returns the kind's name.
func (k Kind) String() string { return string(k) }

// Words returns the kind for a sentence: "movement break".
func (k Kind) Words() string { return fmt.Sprintf("%s break", k) }
