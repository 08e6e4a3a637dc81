package chart_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/chart"
	"github.com/backcoach/backcoach/diary"
)

var utc = time.UTC

func day(d, hour int) time.Time { return time.Date(2026, 11, d, hour, 0, 0, 0, utc) }

func TestCompute(t *testing.T) {
	entries := []backcoach.DiaryEntry{
		{At: day(14, 9), Pain: 6}, {At: day(15, 9), Pain: 5}, {At: day(15, 20), Pain: 8},
		{At: day(18, 9), Pain: 3},
		{At: day(20, 9), Pain: 2, PEG: &backcoach.PEG{Pain: 3, Enjoyment: 2, Activity: 2}},
	}
	sessions := []backcoach.Session{{StartedAt: day(18, 10)}, {StartedAt: day(19, 10)}}
	s, err := diary.BuildSeries(entries, sessions, 7, day(20, 12), utc)
	if err != nil {
		t.Fatal(err)
	}
	peg := diary.BuildPEGTrend(entries, s.Days[0].Date, s.Days[6].Date, utc)
	g := chart.Compute(s, &peg, chart.Wide)
	if len(g.Lines) != 1 || len(g.Lines[0]) != 2 || len(g.Dots) != 4 || len(g.Sessions) != 2 || len(g.Ticks) != 1 || len(g.PEG) != 1 {
		t.Fatalf("lines %v, dots %d, sessions %d, ticks %d, peg %d", g.Lines, len(g.Dots), len(g.Sessions), len(g.Ticks), len(g.PEG))
	}
	if g.Highest == nil || g.Highest.Date != "2026-11-15" || g.Highest.Max != 8 || g.Highest.Text != "highest 8" {
		t.Errorf("highest %+v, want 8 on 2026-11-15", g.Highest)
	}
	// The first 3 days average 6.25 (6 and 6.5), the last 3 days 2.5
	// (3 and 2): a meaningful improvement.
	c := g.Change
	if c == nil || !c.Better || c.First.Mean != 6.3 || c.Last.Mean != 2.5 || !strings.Contains(c.Text, "meaningful improvement") {
		t.Fatalf("change %+v, want a meaningful improvement from 6.3 to 2.5", c)
	}
	if !(c.First.Y < c.Last.Y) || c.First.X1 != chart.Wide.Left || c.Last.X2 != chart.Wide.W-chart.Wide.Right {
		t.Errorf("the change spans are misplaced: %+v", c)
	}
	// Every point lies in the plot.
	for _, d := range g.Dots {
		if d.X < chart.Wide.Left || d.X > chart.Wide.W-chart.Wide.Right || d.Y < chart.Wide.Top || d.Y > chart.Wide.H-chart.Wide.Bottom {
			t.Errorf("dot %+v outside the plot", d)
		}
	}
	// A change too small to count is not marked.
	flat, _ := diary.BuildSeries([]backcoach.DiaryEntry{{At: day(14, 9), Pain: 5}, {At: day(20, 9), Pain: 4}}, nil, 7, day(20, 12), utc)
	if g := chart.Compute(flat, nil, chart.Wide); g.Change != nil {
		t.Errorf("a change of 1 point from 5 is marked: %+v", g.Change)
	}
	if g := chart.Compute(diary.Series{}, nil, chart.Wide); !g.Empty() || g.Summary != "" {
		t.Errorf("an empty series draws %+v", g)
	}
}

func TestSeriesFromTo(t *testing.T) {
	entries := []backcoach.DiaryEntry{{At: day(1, 9), Pain: 4}, {At: day(30, 9), Pain: 2}}
	s, err := diary.SeriesFromTo(entries, nil, "2026-11-01", "2026-11-30", utc)
	if err != nil || len(s.Days) != 30 || s.LoggedDays != 2 {
		t.Fatalf("series %d days, %d logged, %v", len(s.Days), s.LoggedDays, err)
	}
	for _, tt := range []struct{ from, to, field string }{
		{"2026-11-30", "2026-11-01", "to"}, {"nope", "2026-11-01", "from"}, {"2025-01-01", "2026-11-01", "to"},
	} {
		_, err := diary.SeriesFromTo(nil, nil, tt.from, tt.to, utc)
		var e *backcoach.Error
		if !errors.As(err, &e) || e.Field != tt.field {
			t.Errorf("%s..%s: error %v, want one naming %q", tt.from, tt.to, err, tt.field)
		}
	}
}
