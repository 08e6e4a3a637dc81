// Package ical writes calendars in the iCalendar format (RFC 5545), the
// format every calendar app subscribes to: a VCALENDAR of VEVENTs, each
// with an optional VALARM. It writes only what the coach's feed needs,
// and writes it strictly: CRLF line endings, lines folded at 75 octets
// (never inside a UTF-8 sequence), TEXT values escaped, times in UTC.
//
// Times are written in UTC ("20261203T080000Z") and never with a TZID:
// every event of a feed is a single occurrence (no RRULE), so its instant
// is exact whatever the zone, each day's local time having been turned
// into UTC with the zone's rules of that day, summer time included. UTC
// needs no VTIMEZONE block, which calendar apps read unevenly (some
// ignore it and trust their own zone names, some want Windows names),
// and every app shows a UTC time in the viewer's own zone. Whole-day
// events are written as dates (VALUE=DATE), which have no zone at all.
//
// The package is pure: it turns values into bytes and reads no clock.
package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxLineOctets is the longest a content line may be, line break
// excluded (RFC 5545 §3.1).
const MaxLineOctets = 75

// Calendar is one iCalendar object: a published calendar that apps
// subscribe to and refresh.
type Calendar struct {
	// ProdID names the program that made the calendar (PRODID), such as
	// "-//backcoach//calendar feed//EN".
	ProdID string
	// Name is the name an app shows for the subscription (X-WR-CALNAME).
	Name string
	// Description says what the calendar is (X-WR-CALDESC); optional.
	Description string
	// Refresh is how often an app should fetch the calendar again
	// (REFRESH-INTERVAL, RFC 7986, and X-PUBLISHED-TTL, which older apps
	// read); 0 leaves both out.
	Refresh time.Duration
	Events  []Event
}

// Event is one VEVENT.
type Event struct {
	// UID identifies the event across fetches: the same event keeps the
	// same UID, so that an app updates it instead of adding a copy.
	UID string
	// Stamp is when this copy of the event was written (DTSTAMP).
	Stamp time.Time
	// Start and End bound the event; End is after Start. With AllDay,
	// only their dates (in their own location) count, and End is the day
	// after the last day, as RFC 5545 wants.
	Start, End time.Time
	AllDay     bool
	Summary    string
	// Description is free text; new lines are kept.
	Description string
	// URL links back to the app (an absolute URI); optional.
	URL string
	// Free marks the event as not taking up time (TRANSP:TRANSPARENT),
	// for reminders that should not show the person as busy.
	Free bool
	// Alarm, when set, asks the app to remind the person.
	Alarm *Alarm
}

// Alarm is a VALARM that shows a reminder.
type Alarm struct {
	// Before is how long before the event's start the reminder shows;
	// 0 shows it at the start.
	Before time.Duration
	// Description is the reminder's text.
	Description string
}

// Marshal writes the calendar as iCalendar text, or says which field of
// which event is wrong.
func (c *Calendar) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Encode writes the calendar as iCalendar text to w.
func (c *Calendar) Encode(w io.Writer) error {
	if err := c.validate(); err != nil {
		return err
	}
	e := &encoder{}
	e.line("BEGIN:VCALENDAR")
	e.line("VERSION:2.0")
	e.line("PRODID:" + Escape(c.ProdID))
	e.line("CALSCALE:GREGORIAN")
	e.line("METHOD:PUBLISH")
	if c.Name != "" {
		e.line("X-WR-CALNAME:" + Escape(c.Name))
		e.line("NAME:" + Escape(c.Name))
	}
	if c.Description != "" {
		e.line("X-WR-CALDESC:" + Escape(c.Description))
	}
	if c.Refresh > 0 {
		e.line("REFRESH-INTERVAL;VALUE=DURATION:" + Duration(c.Refresh))
		e.line("X-PUBLISHED-TTL:" + Duration(c.Refresh))
	}
	for i := range c.Events {
		e.event(&c.Events[i])
	}
	e.line("END:VCALENDAR")
	_, err := w.Write(e.buf.Bytes())
	return err
}

func (c *Calendar) validate() error {
	if strings.TrimSpace(c.ProdID) == "" {
		return errors.New("ical: the calendar needs a ProdID")
	}
	if c.Refresh < 0 {
		return fmt.Errorf("ical: Refresh must be 0 or more, got %v", c.Refresh)
	}
	seen := map[string]bool{}
	for i, ev := range c.Events {
		switch {
		case strings.TrimSpace(ev.UID) == "":
			return fmt.Errorf("ical: events[%d] needs a UID", i)
		case seen[ev.UID]:
			return fmt.Errorf("ical: events[%d] has the UID %q of an earlier event; each must be unique", i, ev.UID)
		case ev.Stamp.IsZero() || ev.Start.IsZero() || ev.End.IsZero():
			return fmt.Errorf("ical: events[%d] (%s) needs Stamp, Start and End", i, ev.UID)
		case !ev.End.After(ev.Start):
			return fmt.Errorf("ical: events[%d] (%s) ends at %v, not after its start %v", i, ev.UID, ev.End, ev.Start)
		case ev.AllDay && !(dateOf(ev.End) > dateOf(ev.Start)):
			return fmt.Errorf("ical: events[%d] (%s) is a whole-day event whose end date is not after its start date", i, ev.UID)
		case strings.ContainsAny(ev.URL, " \r\n\t\"<>"):
			return fmt.Errorf("ical: events[%d] (%s) has a URL with spaces or line breaks", i, ev.UID)
		case ev.Alarm != nil && ev.Alarm.Before < 0:
			return fmt.Errorf("ical: events[%d] (%s) has an alarm after its start", i, ev.UID)
		}
		seen[ev.UID] = true
	}
	return nil
}

// encoder collects folded content lines.
type encoder struct{ buf bytes.Buffer }

// line writes one content line, folded, with its CRLF.
func (e *encoder) line(s string) { e.buf.WriteString(Fold(s)) }

func (e *encoder) event(ev *Event) {
	e.line("BEGIN:VEVENT")
	e.line("UID:" + Escape(ev.UID))
	e.line("DTSTAMP:" + DateTime(ev.Stamp))
	if ev.AllDay {
		e.line("DTSTART;VALUE=DATE:" + dateOf(ev.Start))
		e.line("DTEND;VALUE=DATE:" + dateOf(ev.End))
	} else {
		e.line("DTSTART:" + DateTime(ev.Start))
		e.line("DTEND:" + DateTime(ev.End))
	}
	e.line("SUMMARY:" + Escape(ev.Summary))
	if ev.Description != "" {
		e.line("DESCRIPTION:" + Escape(ev.Description))
	}
	if ev.URL != "" {
		e.line("URL;VALUE=URI:" + ev.URL)
	}
	if ev.Free {
		e.line("TRANSP:TRANSPARENT")
	} else {
		e.line("TRANSP:OPAQUE")
	}
	e.line("STATUS:CONFIRMED")
	if a := ev.Alarm; a != nil {
		e.line("BEGIN:VALARM")
		e.line("ACTION:DISPLAY")
		desc := a.Description
		if desc == "" {
			desc = ev.Summary
		}
		e.line("DESCRIPTION:" + Escape(desc))
		e.line("TRIGGER;RELATED=START:" + Duration(-a.Before))
		e.line("END:VALARM")
	}
	e.line("END:VEVENT")
}

// DateTime writes an instant as a UTC DATE-TIME: 20261203T080000Z.
func DateTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// dateOf writes t's date, in t's own location, as a DATE: 20261203.
func dateOf(t time.Time) string { return t.Format("20060102") }

// Duration writes a DURATION (RFC 5545 §3.3.6), whole seconds: PT15M,
// -PT1H30M, P1D, PT0S.
func Duration(d time.Duration) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	b.WriteByte('P')
	secs := int64(d / time.Second)
	if secs == 0 {
		return b.String() + "T0S"
	}
	if days := secs / 86400; days > 0 {
		fmt.Fprintf(&b, "%dD", days)
		secs %= 86400
	}
	if secs > 0 {
		b.WriteByte('T')
		if h := secs / 3600; h > 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m := secs % 3600 / 60; m > 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s := secs % 60; s > 0 {
			fmt.Fprintf(&b, "%dS", s)
		}
	}
	return b.String()
}

// Escape writes text as a TEXT value (RFC 5545 §3.3.11): a backslash,
// semicolon and comma are escaped, a line break becomes \n (CRLF and a
// lone CR count as one), other control characters but the tab are
// dropped (TEXT cannot carry them), and invalid UTF-8 becomes U+FFFD.
func Escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == ';':
			b.WriteString(`\;`)
		case c == ',':
			b.WriteString(`\,`)
		case c == '\r':
			b.WriteString(`\n`)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			// dropped
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Unescape reads a TEXT value back: the inverse of Escape. A backslash
// before anything but \ ; , n N is an error.
func Unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(s) {
			return "", errors.New("ical: a TEXT value ends with a lone backslash")
		}
		i++
		switch s[i] {
		case '\\', ';', ',':
			b.WriteByte(s[i])
		case 'n', 'N':
			b.WriteByte('\n')
		default:
			return "", fmt.Errorf("ical: %q is not an escape of TEXT (only \\\\ \\; \\, \\n)", s[i-1:i+1])
		}
	}
	return b.String(), nil
}

// Fold writes one content line folded at MaxLineOctets octets, each
// physical line ending in CRLF and each continuation starting with one
// space (RFC 5545 §3.1). A line is never broken inside a UTF-8 sequence.
func Fold(line string) string {
	var b strings.Builder
	b.Grow(len(line) + len(line)/MaxLineOctets*3 + 2)
	limit := MaxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = MaxLineOctets - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}

// Unfold joins folded lines: a CRLF followed by one space or tab is
// removed (RFC 5545 §3.1).
func Unfold(s string) string {
	r := strings.NewReplacer("\r\n ", "", "\r\n\t", "")
	return r.Replace(s)
}
