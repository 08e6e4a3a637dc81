package backcoach

import (
	"context"
	"time"
)

// CalendarFeed is a person's calendar feed: a secret address from which
// any calendar app reads their planned sessions and check-in reminders
// (the coach writes them as iCalendar). Only the secret's hash is stored;
// the address is shown once, when the feed is made. A person has at most
// one feed: making a new one replaces the old, and revoking ends it at
// once.
type CalendarFeed struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// Hash is the SHA-256 of the secret in hex (auth.TokenHash); it never
	// leaves the server and is never exported.
	Hash string `json:"-"`
	// SessionTime and CheckInTime are the local times of day (HH:MM, in
	// the profile's time zone) at which the feed places the day's session
	// and check-in.
	SessionTime string     `json:"session_time"`
	CheckInTime string     `json:"check_in_time"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

// The feed's times of day unless the person chooses others: the session
// in the morning, the check-in in the evening, when the day's pain is
// known.
const (
	DefaultSessionTime = "08:00"
	DefaultCheckInTime = "20:00"
)

// ClockLayout is the layout of a time of day (HH:MM, 24 hours).
const ClockLayout = "15:04"

// CheckClock checks a time of day written HH:MM (00:00 to 23:59).
func CheckClock(field, s string) error {
	t, err := time.Parse(ClockLayout, s)
	if err != nil || t.Format(ClockLayout) != s {
		return Invalid(field, "must be a time of day written HH:MM, from 00:00 to 23:59, got %q", clip(s, 20))
	}
	return nil
}

// Validate checks the feed's fields.
func (f *CalendarFeed) Validate() error {
	if err := CheckClock("session_time", f.SessionTime); err != nil {
		return err
	}
	if err := CheckClock("check_in_time", f.CheckInTime); err != nil {
		return err
	}
	if len(f.Hash) != 64 {
		return Invalid("hash", "must be a SHA-256 hash in hex")
	}
	return nil
}

// CalendarFeedService keeps each person's calendar feed. Like every
// service, each method reaches only the acting person's own feed and
// writes every change with its audit line (KindCalendarFeed) in one
// transaction. Deleting the account deletes the feed, and so does a new
// password (AccountService.SetPasswordHash), as it revokes every token.
type CalendarFeedService interface {
	// MakeCalendarFeed stores a new feed for the acting person (its Hash
	// set, and its times when not the defaults), replacing any feed they
	// had, whose address stops working at once; the store sets ID,
	// PersonID and CreatedAt.
	MakeCalendarFeed(ctx context.Context, actor string, f *CalendarFeed) error
	// CalendarFeed returns the acting person's feed (Hash left empty), or
	// ENOTFOUND when they have none.
	CalendarFeed(ctx context.Context, actor string) (*CalendarFeed, error)
	// RevokeCalendarFeed deletes the acting person's feed; ENOTFOUND when
	// there is none.
	RevokeCalendarFeed(ctx context.Context, actor string) error
	// CalendarFeedByHash finds a feed by its secret's hash (Hash left
	// empty) and records its use in LastUsedAt, at most once an hour so
	// that an app refreshing often costs reads only; ENOTFOUND when no
	// feed has that hash.
	CalendarFeedByHash(ctx context.Context, hash string) (*CalendarFeed, error)
}
