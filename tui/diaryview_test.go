package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

// diaryReports builds the three periods over a diary whose last week is
// clearly worse than the plan's first.
func diaryReports(t *testing.T, alert bool) map[int]diary.Report {
	t.Helper()
	today := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	var entries []backcoach.DiaryEntry
	var sessions []backcoach.Session
	for ago := 60; ago >= 0; ago-- {
		pain := 3
		if alert && ago < 7 {
			pain = 6
		}
		at := today.AddDate(0, 0, -ago)
		if ago%5 != 3 { // some days are not logged
			entries = append(entries, backcoach.DiaryEntry{At: at, Pain: pain})
		}
		if ago%2 == 0 {
			sessions = append(sessions, backcoach.Session{StartedAt: at})
		}
	}
	entries = append(entries, backcoach.DiaryEntry{At: today.AddDate(0, 0, -20), Pain: 4, PEG: &backcoach.PEG{Pain: 5, Enjoyment: 5, Activity: 5}},
		backcoach.DiaryEntry{At: today.AddDate(0, 0, -2), Pain: 4, PEG: &backcoach.PEG{Pain: 3, Enjoyment: 3, Activity: 2}})
	reports := map[int]diary.Report{}
	for _, d := range diary.Periods {
		r, err := diary.Build(diary.Input{Entries: entries, Sessions: sessions, PlanStart: today.AddDate(0, 0, -50), Today: today, Loc: time.UTC, Days: d,
			BreakDays: []backcoach.BreakDay{{Date: "2026-11-20", Due: 9, Taken: 6, Natural: 2, Snoozed: 3, Skipped: 1, ActiveSeconds: 5*3600 + 600}}})
		if err != nil {
			t.Fatal(err)
		}
		reports[d] = r
	}
	return reports
}

func TestDiaryModel(t *testing.T) {
	catchCuts(t)
	m := NewDiaryModel(diaryReports(t, true), 7, false)
	if m.Init() != nil {
		t.Error("the diary asks for something at start; it should wait for keys")
	}
	view := func() string {
		v := m.View()
		checkFits(t, v.Content, m.width, m.height)
		return stripANSI(v.Content)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	s := view()
	for _, want := range []string{"Pain diary · last 7 days", "2026-11-18 to 2026-11-24", "10 ┤", "●", "Tu", strings.ToUpper(triage.LevelOf(backcoach.UrgencySoon).Title), "This is not a diagnosis."} {
		if !strings.Contains(s, want) {
			t.Errorf("7-day view lacks %q:\n%s", want, s)
		}
	}
	for _, k := range []string{"2", "right", "3", "left", "1", "tab"} {
		_, cmd := m.Update(press(k))
		if cmd != nil {
			t.Errorf("key %q asked for a command", k)
		}
		view()
	}
	if m.days != 30 {
		t.Errorf("after the keys: %d days, want 30", m.days)
	}
	m.Update(press("3"))
	s = view()
	if !strings.Contains(s, "last 90 days") || !strings.Contains(s, "27 Aug") {
		t.Errorf("90-day view:\n%s", s)
	}
	for i := 0; i < 30; i++ {
		m.Update(press("down"))
	}
	if !strings.Contains(view(), "This is not a diagnosis.") {
		t.Error("scrolled to the end: the disclaimer is gone")
	}
	for _, size := range [][2]int{{120, 40}, {60, 20}, {80, 24}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		view()
	}
	if _, cmd := m.Update(press("q")); cmd == nil {
		t.Error("q does not close the diary")
	}
}

func TestChart(t *testing.T) {
	st := newStyles(false)
	s := diary.Series{Days: []diary.Day{
		{Date: "2026-11-18", Entries: 1, Mean: 10},
		{Date: "2026-11-19"},
		{Date: "2026-11-20", Entries: 1, Mean: 0, Sessions: 1},
		{Date: "2026-11-21", Entries: 1, Mean: 5},
		{Date: "2026-11-22", Entries: 1, Mean: 2.5},
		{Date: "2026-11-23", Entries: 1, Mean: 7},
		{Date: "2026-11-24", Entries: 2, Mean: 4, Sessions: 2},
	}}
	lines := chart(s, 80, st)
	if len(lines) != chartRows+3 {
		t.Fatalf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	got := stripANSI(strings.Join(lines, "\n"))
	// The exact drawing: a full column for 10, a dot for the day not
	// logged, a sliver for a logged 0, and the session marks.
	for _, check := range []struct {
		line int
		has  string
	}{{0, "██"}, {4, "·"}, {4, "▁"}, {6, "●"}, {7, "We"}} {
		if !strings.Contains(stripANSI(lines[check.line]), check.has) {
			t.Errorf("line %d lacks %q:\n%s", check.line, check.has, got)
		}
	}
	t.Log("\n" + got)
	if strings.Count(lines[6], "●") != 2 {
		t.Errorf("session marks: %q", lines[6])
	}
	// Ninety days in 80 columns: two days a column.
	long := diary.Series{Days: make([]diary.Day, 90)}
	for i := range long.Days {
		long.Days[i].Date = time.Date(2026, 8, 27, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(backcoach.DateLayout)
	}
	for _, l := range chart(long, 80, st) {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line of %d runes: %q", w, l)
		}
	}
}

func TestBarCell(t *testing.T) {
	tests := []struct {
		pain   float64
		logged bool
		row    int
		want   string
	}{
		{10, true, 4, "█"},
		{9, true, 4, "▄"},
		{8, true, 4, " "},
		{8, true, 3, "█"},
		{0, true, 0, "▁"},
		{0, false, 0, "·"},
		{0, false, 1, " "},
		{1, true, 0, "▄"},
	}
	for _, tt := range tests {
		if got := barCell(column{pain: tt.pain, logged: tt.logged}, tt.row); got != tt.want {
			t.Errorf("barCell(%v, logged %v, row %d) = %q, want %q", tt.pain, tt.logged, tt.row, got, tt.want)
		}
	}
}

func TestWriteDiary(t *testing.T) {
	var out bytes.Buffer
	if err := WriteDiary(&out, diaryReports(t, true)[7]); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"Pain diary, last 7 days (2026-11-18 to 2026-11-24)", "2026-11-24 Tu: pain 6, 1 guided session", "2026-11-22 Su: pain 5 (mean of 2 check-ins, highest 6), PEG 2.7, 1 guided session", "not listed", "BOOK AN APPOINTMENT", "This is not a diagnosis.",
		"Movement breaks over the last 7 days: 9 breaks due, 6 taken after a",
		"Movement breaks, day by day:\n2026-11-20 Fr: 9 due, 6 taken, 2 natural, 3 snoozed, 1 skipped, 5 h 10 min active"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.ContainsAny(s, "\x1b█") {
		t.Errorf("plain output has escapes or chart blocks:\n%s", s)
	}
}
