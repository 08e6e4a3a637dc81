package web

import (
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
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
		if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "aria-label=\"Pain from Sat 14 Nov to Fri 20 Nov: 4 days with check-ins, mean 4.4 out of 10, highest 8 on Sun 15 Nov; 2 sessions. 1 weekly PEG score, the last 2.3.") {
			t.Errorf("the chart does not say what it shows: %.300s", svg)
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

// TestChartLabelsAndWords checks what a person reads on a chart: every
// date label inside the drawing (none cut at an edge) at the size a phone
// shows, real plurals, the app's date style, and the highest pain marked.
func TestChartLabelsAndWords(t *testing.T) {
	label := regexp.MustCompile(`<text class="chart-label[^"]*" x="([0-9.]+)" y="[0-9.]+" text-anchor="(start|middle|end)">([^<]+)</text>`)
	for _, days := range []int{7, 30, 90} {
		var entries []backcoach.DiaryEntry
		for d := 0; d < days && d < 20; d++ {
			entries = append(entries, backcoach.DiaryEntry{At: at(20-d, 9), Pain: 3}, backcoach.DiaryEntry{At: at(20-d, 18), Pain: 3 + d%6})
		}
		s, err := diary.BuildSeries(entries, []backcoach.Session{{StartedAt: at(20, 10)}}, days, at(20, 20), london)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []chartSize{chartWide, chartSmall} {
			svg := string(drawChart(s, nil, size).SVG)
			wellFormed(t, svg)
			for _, m := range label.FindAllStringSubmatch(svg, -1) {
				x, _ := strconv.ParseFloat(m[1], 64)
				w := size.labelWidth(m[3])
				left, right := x-w/2, x+w/2
				switch m[2] {
				case "start":
					left, right = x, x+w
				case "end":
					left, right = x-w, x
				}
				if left < 0 || right > size.W {
					t.Errorf("%d days, %g wide: the label %q runs from %.1f to %.1f, outside 0–%g", days, size.W, m[3], left, right, size.W)
				}
			}
			if !strings.Contains(svg, "chart-highest") || !strings.Contains(svg, ">highest ") {
				t.Errorf("%d days: no highest marker", days)
			}
			for _, bad := range []string{"(s)", "2026-11"} {
				if strings.Contains(svg, bad) {
					t.Errorf("%d days: the chart says %q", days, bad)
				}
			}
			if !strings.Contains(svg, "Fri 20 Nov: 1 session<") {
				t.Errorf("%d days: the session mark does not say \"Fri 20 Nov: 1 session\"", days)
			}
		}
	}
	if got := countWords(1, "day", "days") + ", " + countWords(2, "day", "days") + ", " + countWords(0, "day", "days"); got != "1 day, 2 days, 0 days" {
		t.Errorf("countWords: %s", got)
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
