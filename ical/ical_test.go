package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func sample() *Calendar {
	stamp := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	london, _ := time.LoadLocation("Europe/London")
	return &Calendar{
		ProdID: "-//backcoach//calendar feed//EN", Name: "Back care; plan, check-ins", Refresh: time.Hour,
		Events: []Event{
			{
				UID: "session-20261203-abc@backcoach", Stamp: stamp,
				Start: time.Date(2026, 12, 3, 9, 0, 0, 0, london), End: time.Date(2026, 12, 3, 9, 10, 0, 0, london),
				Summary: "Back exercises, 10 minutes", Description: "Line one;\nline two, with a \\ backslash — and ünïcödé " + strings.Repeat("é", 60),
				URL: "https://coach.example/plan", Alarm: &Alarm{Description: "Time for your back exercises"},
			},
			{
				UID: "pause-20261203-abc@backcoach", Stamp: stamp, AllDay: true, Free: true,
				Start: time.Date(2026, 12, 3, 0, 0, 0, 0, london), End: time.Date(2026, 12, 4, 0, 0, 0, 0, london),
				Summary: "Exercise paused: see the safety page",
			},
		},
	}
}

// TestMarshalParses writes a calendar and reads it back with the strict
// parser: the fields come back, times are UTC, whole days are dates.
func TestMarshalParses(t *testing.T) {
	t.Parallel()
	cal := sample()
	data, err := cal.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	root, err := Parse(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	for name, want := range map[string]string{"VERSION": "2.0", "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
		"REFRESH-INTERVAL": "PT1H", "X-PUBLISHED-TTL": "PT1H"} {
		if p := root.Prop(name); p == nil || p.Value != want {
			t.Errorf("%s is %+v, want %q", name, p, want)
		}
	}
	if got := root.Text("X-WR-CALNAME"); got != cal.Name {
		t.Errorf("X-WR-CALNAME %q, want %q", got, cal.Name)
	}
	evs := root.Children("VEVENT")
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	first := evs[0]
	checks := map[string]string{"UID": "session-20261203-abc@backcoach", "DTSTAMP": "20261203T070000Z",
		"DTSTART": "20261203T090000Z", "DTEND": "20261203T091000Z", "URL": "https://coach.example/plan", "TRANSP": "OPAQUE"}
	for name, want := range checks {
		if p := first.Prop(name); p == nil || p.Value != want {
			t.Errorf("first event's %s is %+v, want %q", name, p, want)
		}
	}
	if got := first.Text("DESCRIPTION"); got != cal.Events[0].Description {
		t.Errorf("description came back as %q", got)
	}
	alarms := first.Children("VALARM")
	if len(alarms) != 1 || alarms[0].Prop("TRIGGER").Value != "PT0S" || alarms[0].Prop("ACTION").Value != "DISPLAY" {
		t.Errorf("alarm %+v", alarms)
	}
	day := evs[1]
	if p := day.Prop("DTSTART"); p.Value != "20261203" || p.Params["VALUE"] != "DATE" {
		t.Errorf("whole-day start %+v", p)
	}
	if p := day.Prop("DTEND"); p.Value != "20261204" {
		t.Errorf("whole-day end %+v", p)
	}
	if day.Prop("TRANSP").Value != "TRANSPARENT" || len(day.Children("VALARM")) != 0 {
		t.Errorf("the whole-day event is busy or has an alarm")
	}
	// Summer time: 09:00 in London in July is 08:00 UTC.
	london, _ := time.LoadLocation("Europe/London")
	if got := DateTime(time.Date(2026, 7, 1, 9, 0, 0, 0, london)); got != "20260701T080000Z" {
		t.Errorf("09:00 in London in July is %s", got)
	}
}

// TestLinesAreStrict checks every physical line: CRLF, at most 75
// octets, valid UTF-8, never a bare LF.
func TestLinesAreStrict(t *testing.T) {
	t.Parallel()
	data, err := sample().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if strings.Count(s, "\n") != strings.Count(s, "\r\n") {
		t.Fatal("a line ends in a bare LF")
	}
	folded := 0
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > MaxLineOctets || !utf8.ValidString(l) {
			t.Errorf("line %q: %d octets, valid UTF-8 %v", l, len(l), utf8.ValidString(l))
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Error("the long description was not folded")
	}
}

// TestBadCalendars checks that the writer refuses what would make a
// broken feed, saying which event.
func TestBadCalendars(t *testing.T) {
	t.Parallel()
	for name, spoil := range map[string]func(c *Calendar){
		"no prodid":    func(c *Calendar) { c.ProdID = "" },
		"no uid":       func(c *Calendar) { c.Events[0].UID = "" },
		"uid twice":    func(c *Calendar) { c.Events[1].UID = c.Events[0].UID },
		"end first":    func(c *Calendar) { c.Events[0].End = c.Events[0].Start.Add(-time.Minute) },
		"no stamp":     func(c *Calendar) { c.Events[0].Stamp = time.Time{} },
		"url spaces":   func(c *Calendar) { c.Events[0].URL = "https://x/a b" },
		"url newline":  func(c *Calendar) { c.Events[0].URL = "https://x/\r\nX-EVIL:1" },
		"alarm after":  func(c *Calendar) { c.Events[0].Alarm.Before = -time.Minute },
		"same day end": func(c *Calendar) { c.Events[1].End = c.Events[1].Start.Add(time.Hour) },
	} {
		c := sample()
		spoil(c)
		if _, err := c.Marshal(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestParseRefuses checks that the strict reader finds what is wrong.
func TestParseRefuses(t *testing.T) {
	t.Parallel()
	good, _ := sample().Marshal()
	for name, data := range map[string]string{
		"bare LF":      strings.ReplaceAll(string(good), "\r\n", "\n"),
		"long line":    strings.Replace(string(good), "METHOD:PUBLISH", "X-LONG:"+strings.Repeat("a", 80), 1),
		"bad escape":   strings.Replace(string(good), "SUMMARY:Back", `SUMMARY:\xBack`, 1),
		"unended":      strings.Replace(string(good), "END:VCALENDAR\r\n", "", 1),
		"no version":   strings.Replace(string(good), "VERSION:2.0\r\n", "", 1),
		"no uid":       strings.Replace(string(good), "UID:session-20261203-abc@backcoach\r\n", "", 1),
		"split rune":   strings.Replace(string(good), "SUMMARY:Back", "SUMMARY:\xc3\r\n \xa9Back", 1),
		"no colon":     strings.Replace(string(good), "METHOD:PUBLISH", "METHOD", 1),
		"wrong END":    strings.Replace(string(good), "END:VALARM", "END:VEVENT", 1),
		"two calendar": string(good) + string(good),
	} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{0: "PT0S", 15 * time.Minute: "PT15M", -90 * time.Minute: "-PT1H30M",
		24 * time.Hour: "P1D", 26*time.Hour + 5*time.Second: "P1DT2H5S"} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// normal is what Escape keeps of s: valid UTF-8, line breaks as LF,
// no control characters but tab and LF.
func normal(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f) {
			return r
		}
		return -1
	}, s)
}

// FuzzFoldEscape checks that escaping then folding any text gives lines
// of at most 75 octets of valid UTF-8, and that unfolding and unescaping
// gives the text back.
func FuzzFoldEscape(f *testing.F) {
	for _, s := range []string{"", "a", "a,b;c\\d\ne", strings.Repeat("é", 80), strings.Repeat("日本", 50), "\r\n\r", "\x00\x7f\t", "\xff\xfe", strings.Repeat("a", 74) + "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := "DESCRIPTION:" + Escape(s)
		folded := Fold(line)
		if !strings.HasSuffix(folded, "\r\n") {
			t.Fatalf("no CRLF at the end of %q", folded)
		}
		for _, l := range strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n") {
			if len(l) > MaxLineOctets {
				t.Fatalf("a line of %d octets: %q", len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Fatalf("a fold split a character: %q", l)
			}
		}
		if got := Unfold(folded); got != line+"\r\n" {
			t.Fatalf("unfold gave %q, want %q", got, line+"\r\n")
		}
		back, err := Unescape(Escape(s))
		if err != nil {
			t.Fatal(err)
		}
		if want := normal(s); back != want {
			t.Fatalf("round trip gave %q, want %q", back, want)
		}
		cal := &Calendar{ProdID: "-//t//t//EN", Events: []Event{{UID: "u", Stamp: time.Unix(0, 0), Start: time.Unix(0, 0), End: time.Unix(60, 0), Summary: s, Description: s}}}
		data, err := cal.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		root, err := Parse(data)
		if err != nil {
			t.Fatalf("%v\n%q", err, data)
		}
		if got := root.Children("VEVENT")[0].Text("SUMMARY"); got != normal(s) {
			t.Fatalf("summary came back as %q, want %q", got, normal(s))
		}
	})
}
