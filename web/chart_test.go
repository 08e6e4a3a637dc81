package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/chart"
	"github.com/backcoach/backcoach/diary"
)

var london, _ = time.LoadLocation("Europe/London")

func at(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, london) }

// wellFormed parses an SVG drawing as XML.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("the chart is not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestDrawChart(t *testing.T) {
	entries := []backcoach.DiaryEntry{
		{At: at(14, 9), Pain: 6}, {At: at(15, 9), Pain: 5}, {At: at(15, 20), Pain: 8}, // a run of two days
		{At: at(18, 9), Pain: 3}, // alone after a gap
		{At: at(20, 9), Pain: 2, PEG: &backcoach.PEG{Pain: 3, Enjoyment: 2, Activity: 2}},
	}
	sessions := []backcoach.Session{{StartedAt: at(18, 10)}, {StartedAt: at(19, 10)}}
	s, err := diary.BuildSeries(entries, sessions, 7, at(20, 12), london)
	if err != nil {
		t.Fatal(err)
	}
	peg := diary.BuildPEGTrend(entries, s.Days[0].Date, s.Days[6].Date, london)
	for _, size := range []chartSize{chartWide, chartSmall} {
		c := drawChart(s, &peg, size)
		svg := string(c.SVG)
		wellFormed(t, svg)
		if n := strings.Count(svg, "<polyline"); n != 1 {
			t.Errorf("%d lines, want 1 (the run of 14–15 Nov; single days are dots)", n)
		}
		if n := strings.Count(svg, `class="chart-dot"`); n != 4 {
			t.Errorf("%d dots, want 4 days with pain", n)
		}
		if n := strings.Count(svg, `class="chart-session"`); n != 2 {
			t.Errorf("%d session marks, want 2", n)
		}
		if n := strings.Count(svg, `class="chart-max"`); n != 1 {
			t.Errorf("%d highest-pain ticks, want 1 (15 Nov: mean 6.5, highest 8)", n)
		}
		if n := strings.Count(svg, `class="chart-peg"`); n != 1 {
			t.Errorf("%d PEG marks, want 1", n)
		}
		if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "aria-label=\"Pain from 14 Nov to 20 Nov: 4 days with check-ins") {
			t.Errorf("the chart does not say what it shows: %.300s", svg)
		}
		if n := strings.Count(svg, `class="chart-label chart-highest"`); n != 1 || !strings.Contains(svg, ">highest 8<") {
			t.Errorf("the highest pain is not written once (%d)", n)
		}
		if n := strings.Count(svg, `class="chart-change better"`); n != 2 || !strings.Contains(svg, "meaningful improvement") {
			t.Errorf("%d change spans, want 2 marking the meaningful improvement", n)
		}
		if strings.Contains(svg, "style=") {
			t.Error("the chart uses inline style, which the Content-Security-Policy refuses")
		}
	}
	empty, _ := diary.BuildSeries(nil, nil, 90, at(20, 12), london)
	c := drawChart(empty, nil, chartWide)
	wellFormed(t, string(c.SVG))
	if !strings.Contains(c.Summary, "no check-ins yet") {
		t.Errorf("empty chart summary %q", c.Summary)
	}
}

func TestStreak(t *testing.T) {
	s := func(days ...int) []backcoach.Session {
		var out []backcoach.Session
		for _, d := range days {
			out = append(out, backcoach.Session{StartedAt: at(d, 8)})
		}
		return out
	}
	now := at(20, 18)
	tests := []struct {
		name     string
		sessions []backcoach.Session
		want     int
	}{
		{"none", nil, 0},
		{"today only", s(20), 1},
		{"three days to today", s(18, 19, 20), 3},
		{"not yet today keeps yesterday's run", s(17, 18, 19), 3},
		{"a gap breaks it", s(15, 16, 18, 19), 2},
		{"two sessions on one day count once", append(s(19, 20), s(20)...), 2},
		{"the day before yesterday is over", s(17, 18), 0},
	}
	for _, tt := range tests {
		if got := streak(tt.sessions, now, london); got != tt.want {
			t.Errorf("%s: streak = %d, want %d", tt.name, got, tt.want)
		}
	}
	// A session at 23:30 local time counts on its local day.
	late := []backcoach.Session{{StartedAt: time.Date(2026, 11, 19, 23, 30, 0, 0, london)}}
	if got := streak(late, now, london); got != 1 {
		t.Errorf("late evening session: streak %d, want 1", got)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/diary": "/diary", "": "/", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "/a\r\nb": "/", "/plan?x=1": "/plan?x=1",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMetricsFormat(t *testing.T) {
	m := newMetrics("1.2.3", time.Unix(1000, 0))
	m.observe("GET", `GET /a "b"`, 200, 30*time.Millisecond)
	m.observe("GET", `GET /a "b"`, 200, 3*time.Second)
	text := m.text()
	for _, want := range []string{
		`backcoach_build_info{version="1.2.3"} 1`,
		`http_requests_total{method="GET",route="GET /a \"b\"",code="200"} 2`,
		`http_request_duration_seconds_bucket{route="GET /a \"b\"",le="0.05"} 1`,
		`http_request_duration_seconds_bucket{route="GET /a \"b\"",le="5"} 2`,
		`http_request_duration_seconds_count{route="GET /a \"b\""} 2`,
		"process_start_time_seconds 1000",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.HasPrefix(line, "#") && len(strings.Fields(line)) < 2 {
			t.Errorf("malformed line %q", line)
		}
	}
}

// TestDateLabels: crowded dates keep their first and last, write the
// month only when it changes, and never overlap at a phone's type.
func TestDateLabels(t *testing.T) {
	t.Parallel()
	var in []chart.Label
	for i, d := range []string{"28 Oct", "29 Oct", "30 Oct", "31 Oct", "1 Nov", "2 Nov", "3 Nov"} {
		in = append(in, chart.Label{X: chartWide.Left + (float64(i)+0.5)*58, Y: 200, Text: d})
	}
	out := dateLabels(chartWide, in)
	var texts []string
	for _, l := range out {
		texts = append(texts, l.Text)
	}
	if got := strings.Join(texts, ","); got != "28 Oct,29,30,31,1 Nov,2,3" {
		t.Errorf("the dates are written %s", got)
	}
	for i := 1; i < len(out); i++ {
		if out[i].X-labelWidth(chartWide, out[i].Text)/2 < out[i-1].X+labelWidth(chartWide, out[i-1].Text)/2 {
			t.Errorf("%q overlaps %q", out[i].Text, out[i-1].Text)
		}
	}
	// Too many to write: some go, the last stays.
	var many []chart.Label
	for i := 0; i < 30; i++ {
		many = append(many, chart.Label{X: chartWide.Left + (float64(i)+0.5)*13.5, Y: 200, Text: fmt.Sprintf("%d Nov", i+1)})
	}
	out = dateLabels(chartWide, many)
	if len(out) >= 30 || out[0].Text != "1 Nov" || out[len(out)-1].Text != "30" {
		t.Errorf("30 crowded dates are written %+v", out)
	}
}
