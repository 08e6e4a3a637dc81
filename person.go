package backcoach

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what an account may do: keep its own data (person) or, later,
// follow people who share their data with it (clinician).
type Role string

// The roles.
const (
	RolePerson    Role = "person"
	RoleClinician Role = "clinician"
)

// Roles lists every role.
var Roles = []Role{RolePerson, RoleClinician}

// LocalHandle is the handle of the one person the command line keeps data
// for. It is created on first use, so that every command on one computer
// reads and writes the same history.
const LocalHandle = "local"

// Person is an account: someone who keeps data with the coach. Everything
// else that is stored belongs to exactly one person.
type Person struct {
	ID string `json:"id"`
	// Handle is a short name that is unique in one database (the local
	// account's is LocalHandle); empty when the account has none.
	Handle    string    `json:"handle,omitempty"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Limits on what a person may type.
const (
	MaxNameRunes   = 100
	MaxHandleBytes = 64
)

var handlePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Validate checks the account's fields.
func (p *Person) Validate() error {
	if p.ID != "" {
		if err := CheckID("id", p.ID); err != nil {
			return err
		}
	}
	if p.Handle != "" && (len(p.Handle) > MaxHandleBytes || !handlePattern.MatchString(p.Handle)) {
		return Invalid("handle", "must be 1 to %d lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, got %q", MaxHandleBytes, p.Handle)
	}
	if err := checkText("name", p.Name, MaxNameRunes, false); err != nil {
		return err
	}
	return checkOneOf("role", p.Role, Roles)
}

// Profile is what stays true about a person from one day to the next: the
// standing conditions, where they exercise and with what, and their time
// zone, so that the assessment need not ask every time and times can be
// shown in local time.
type Profile struct {
	PersonID string `json:"person_id"`
	// TimeZone is an IANA name such as "Europe/London"; times are stored in
	// UTC and shown in this zone.
	TimeZone   string      `json:"time_zone"`
	Conditions []Condition `json:"conditions"`
	// Places and Equipment are empty when the person has not said yet.
	Places    []Place     `json:"places"`
	Equipment []Equipment `json:"equipment"`
	// Minutes is the usual routine length; 0 means the default.
	Minutes int `json:"minutes"`
	// ClinicianAssessed records that a doctor or physiotherapist has
	// checked this pain (docs/clinical.md §3); it clears only that reason.
	ClinicianAssessed bool      `json:"clinician_assessed"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// DefaultTimeZone is the zone of a profile that has not named one.
const DefaultTimeZone = "UTC"

// Validate checks the profile's fields.
func (p *Profile) Validate() error {
	if p.TimeZone == "" {
		return Invalid("time_zone", "must name a time zone such as Europe/London or UTC")
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "Local" {
		return Invalid("time_zone", "must be an IANA time zone name such as Europe/London or UTC, got %q", p.TimeZone)
	}
	if err := checkList("conditions", p.Conditions, Conditions); err != nil {
		return err
	}
	if err := checkList("places", p.Places, Places); err != nil {
		return err
	}
	if err := checkList("equipment", p.Equipment, AllEquipment); err != nil {
		return err
	}
	if p.Minutes != 0 && (p.Minutes < 1 || p.Minutes > 60) {
		return Invalid("minutes", "must be a whole number of minutes from 1 to 60, or 0 for the default, got %d", p.Minutes)
	}
	return nil
}

// Location returns the profile's time zone, or UTC when it cannot be loaded.
func (p *Profile) Location() *time.Location {
	if p == nil || p.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Context returns the routine context the profile knows, or nil when the
// person has not said where they exercise yet.
func (p *Profile) Context() *Context {
	if len(p.Places) == 0 {
		return nil
	}
	return &Context{
		Minutes:   p.Minutes,
		Places:    append([]Place(nil), p.Places...),
		Equipment: append([]Equipment{}, p.Equipment...),
	}
}

// Remember copies into the profile what an assessment told about standing
// conditions and the routine context.
func (p *Profile) Remember(a *Answers) {
	p.Conditions = append([]Condition{}, a.Conditions...)
	if a.ClinicianAssessed {
		p.ClinicianAssessed = true
	}
	if a.Context != nil {
		if len(a.Context.Places) > 0 {
			p.Places = append([]Place{}, a.Context.Places...)
		}
		if a.Context.Equipment != nil {
			p.Equipment = append([]Equipment{}, a.Context.Equipment...)
		}
		if a.Context.Minutes != 0 {
			p.Minutes = a.Context.Minutes
		}
	}
}

// IDLength is the length of every record identifier: 26 characters of
// lowercase base32 carrying 128 random bits, so that identifiers in URLs
// cannot be guessed.
const IDLength = 26

// CheckID checks that s has the form of a record identifier.
func CheckID(field, s string) error {
	if len(s) != IDLength {
		return Invalid(field, "must be an identifier of %d letters a–z and digits 2–7, got %q", IDLength, clip(s, 40))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return Invalid(field, "must be an identifier of %d letters a–z and digits 2–7, got %q", IDLength, clip(s, 40))
		}
	}
	return nil
}

// checkText checks free text: valid UTF-8, at most max characters, no
// control characters other than newlines and tabs when multiline.
func checkText(field, s string, max int, multiline bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "must be valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalid(field, "must be at most %d characters, got %d", max, n)
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			if multiline {
				continue
			}
		}
		if r < 0x20 || r == 0x7f {
			allowed := "no control characters"
			if multiline {
				allowed = "no control characters other than new lines and tabs"
			}
			return Invalid(field, "must contain %s, got %U", allowed, r)
		}
	}
	return nil
}

// checkTime checks that a stored time is set and plausible.
func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return Invalid(field, "must be set")
	}
	if t.Year() < 2000 || t.Year() > 2200 {
		return Invalid(field, "must be a time between the years 2000 and 2200, got %s", t.UTC().Format(time.RFC3339))
	}
	return nil
}

// checkRange checks a whole number against inclusive bounds.
func checkRange(field string, v, min, max int) error {
	if v < min || v > max {
		return Invalid(field, "must be a whole number from %d to %d, got %d", min, max, v)
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// DateLayout is the layout of calendar dates (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// checkDate checks a YYYY-MM-DD calendar date.
func checkDate(field, s string) error {
	d, err := time.Parse(DateLayout, s)
	if err != nil || d.Format(DateLayout) != s {
		return Invalid(field, "must be a date written YYYY-MM-DD, got %q", clip(s, 40))
	}
	if d.Year() < 2000 || d.Year() > 2200 {
		return Invalid(field, "must be a date between the years 2000 and 2200, got %s", s)
	}
	return nil
}

// checkSlug checks a short machine identifier such as an exercise or flag id.
func checkSlug(field, s string) error {
	if s == "" || len(s) > 64 {
		return Invalid(field, "must be an id of 1 to 64 characters, got %q", clip(s, 70))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return Invalid(field, "must be an id of lowercase letters, digits, '-' and '_', got %q", clip(s, 70))
		}
	}
	return nil
}

// fieldIndex names the i-th element of a list field.
func fieldIndex(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// CheckDate checks a YYYY-MM-DD calendar date between the years 2000 and
// 2200, naming the field when it is not one.
func CheckDate(field, s string) error { return checkDate(field, s) }
