package backcoach

import (
	"strings"
	"testing"
	"time"
)

func TestDiaryEntryValidate(t *testing.T) {
	at := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	good := func() DiaryEntry {
		return DiaryEntry{At: at, Pain: 3, Note: "stiff\nafter work", FlagsAsked: true, Flags: []string{"fever"},
			PEG: &PEG{Pain: 3, Enjoyment: 4, Activity: 5}}
	}
	if e := good(); e.Validate() != nil {
		t.Fatalf("good entry: %v", e.Validate())
	}
	for _, c := range []struct {
		field, says string
		spoil       func(e *DiaryEntry)
	}{
		{"pain", "from 0 to 10, got 12", func(e *DiaryEntry) { e.Pain = 12 }},
		{"pain", "from 0 to 10, got -1", func(e *DiaryEntry) { e.Pain = -1 }},
		{"note", "at most 2000 characters, got 2001", func(e *DiaryEntry) { e.Note = strings.Repeat("é", 2001) }},
		{"note", "valid UTF-8", func(e *DiaryEntry) { e.Note = "\xff" }},
		{"note", "control characters", func(e *DiaryEntry) { e.Note = "bell\a" }},
		{"flags", "not asked", func(e *DiaryEntry) { e.FlagsAsked = false }},
		{"flags[1]", "listed twice", func(e *DiaryEntry) { e.Flags = []string{"fever", "fever"} }},
		{"flags[0]", "lowercase", func(e *DiaryEntry) { e.Flags = []string{"Fever!"} }},
		{"peg.enjoyment", "from 0 to 10, got 11", func(e *DiaryEntry) { e.PEG.Enjoyment = 11 }},
		{"at", "must be set", func(e *DiaryEntry) { e.At = time.Time{} }},
	} {
		e := good()
		c.spoil(&e)
		err := e.Validate()
		be, ok := err.(*Error)
		if !ok || be.Code != EINVALID || be.Field != c.field || !strings.Contains(be.Message, c.says) {
			t.Errorf("%s: got %v, want EINVALID about %s saying %q", c.field, err, c.field, c.says)
		}
	}
}

func TestBreakDayValidate(t *testing.T) {
	good := BreakDay{Date: "2026-03-29", Due: 10, Taken: 5, Natural: 2, Snoozed: 3, Skipped: 1, ActiveSeconds: MaxActiveSeconds}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, spoil := range map[string]func(d *BreakDay){
		"date":           func(d *BreakDay) { d.Date = "29/03/2026" },
		"taken":          func(d *BreakDay) { d.Taken = -1 },
		"active_seconds": func(d *BreakDay) { d.ActiveSeconds = MaxActiveSeconds + 1 },
	} {
		d := good
		spoil(&d)
		if e, ok := d.Validate().(*Error); !ok || e.Field != field {
			t.Errorf("%s: got %v", field, d.Validate())
		}
	}
}
