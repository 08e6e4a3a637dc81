package diary

import (
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

var london = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// today is the fixed "now" of the tests: a Tuesday afternoon in London.
var today = time.Date(2026, 11, 24, 15, 0, 0, 0, london)

// at returns a time daysAgo days before today at the given local hour.
func at(daysAgo, hour int) time.Time {
	y, m, d := today.Date()
	return time.Date(y, m, d-daysAgo, hour, 0, 0, 0, london)
}

func entry(daysAgo, pain int) backcoach.DiaryEntry {
	return backcoach.DiaryEntry{At: at(daysAgo, 9), Pain: pain}
}

func TestCompare(t *testing.T) {
	pct := func(v float64) *float64 { return &v }
	tests := []struct {
		name       string
		from, to   float64
		dir        Direction
		meaningful bool
		percent    *float64
	}{
		{"no change", 5, 5, Same, false, pct(0)},
		{"one point from five is 20 %", 5, 4, Better, false, pct(-20)},
		{"two points is meaningful", 5, 3, Better, true, pct(-40)},
		{"just under two points, under 30 %", 8, 6.1, Better, false, pct(-23.8)},
		{"exactly 30 % is meaningful", 5, 3.5, Better, true, pct(-30)},
		{"28 % and 1.7 points is not", 6, 4.3, Better, false, pct(-28.3)},
		{"30 % of a small value", 3, 2, Better, true, pct(-33.3)},
		{"worsening by two points", 4, 6, Worse, true, pct(50)},
		{"1.9 points and 27 % is not", 7, 8.9, Worse, false, pct(27.1)},
		{"from zero only the points rule applies", 0, 1, Worse, false, nil},
		{"from zero two points", 0, 2, Worse, true, nil},
		{"means that sum to exactly two", 0.1 + 0.2, 2.3, Worse, true, pct(666.7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.from, tt.to)
			if c.Direction != tt.dir || c.Meaningful != tt.meaningful {
				t.Errorf("Compare(%v, %v) = %s meaningful=%v, want %s meaningful=%v", tt.from, tt.to, c.Direction, c.Meaningful, tt.dir, tt.meaningful)
			}
			switch {
			case tt.percent == nil && c.Percent != nil:
				t.Errorf("Percent = %v, want none", *c.Percent)
			case tt.percent != nil && (c.Percent == nil || *c.Percent != *tt.percent):
				t.Errorf("Percent = %v, want %v", c.Percent, *tt.percent)
			}
		})
	}
}

func TestChangeWords(t *testing.T) {
	tests := []struct {
		from, to float64
		want     string
	}{
		{5, 3, "pain went from 5 to 3: 2 points (40 %) lower, a meaningful improvement."},
		{4, 6, "pain went from 4 to 6: 2 points (50 %) higher, a meaningful worsening."},
		{5, 4, "pain went from 5 to 4: 1 point (20 %) lower, too small to count as a real change (that takes 2 points or 30 %)."},
		{4, 4, "pain went from 4 to 4: no change."},
		{0, 1.5, "pain went from 0 to 1.5: 1.5 points higher, too small to count as a real change (that takes 2 points or 30 %)."},
	}
	for _, tt := range tests {
		if got := Compare(tt.from, tt.to).Words("pain"); got != tt.want {
			t.Errorf("Words(%v→%v) =\n %q, want\n %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestCheckPeriod(t *testing.T) {
	for _, d := range []int{7, 30, 90} {
		if err := CheckPeriod(d); err != nil {
			t.Errorf("CheckPeriod(%d) = %v", d, err)
		}
	}
	for _, d := range []int{0, 1, 8, 31, 365, -7} {
		err := CheckPeriod(d)
		if err == nil || backcoach.ErrorCode(err) != backcoach.EINVALID || !strings.Contains(err.Error(), "7, 30 or 90") {
			t.Errorf("CheckPeriod(%d) = %v, want an EINVALID error naming 7, 30 or 90", d, err)
		}
	}
}

func TestBuildSeries(t *testing.T) {
	entries := []backcoach.DiaryEntry{
		entry(0, 4), entry(0, 6), // two entries today: mean 5, max 6
		entry(2, 3),
		entry(6, 7),  // first day of the week
		entry(7, 9),  // just outside the week
		entry(40, 2), // far outside
		{At: at(1, 23).Add(30 * time.Minute), Pain: 1}, // 23:30 local yesterday
	}
	sessions := []backcoach.Session{{StartedAt: at(2, 10)}, {StartedAt: at(2, 18)}, {StartedAt: at(9, 10)}}
	s, err := BuildSeries(entries, sessions, 7, today, london)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Days) != 7 || s.Days[0].Date != "2026-11-18" || s.Days[6].Date != "2026-11-24" {
		t.Fatalf("days = %d from %s to %s, want 7 from 2026-11-18 to 2026-11-24", len(s.Days), s.Days[0].Date, s.Days[len(s.Days)-1].Date)
	}
	d := s.Days[6]
	if d.Entries != 2 || d.Mean != 5 || d.Max != 6 {
		t.Errorf("today = %+v, want 2 entries, mean 5, max 6", d)
	}
	if s.Days[5].Entries != 1 || s.Days[5].Mean != 1 {
		t.Errorf("yesterday 23:30 local should count on yesterday: %+v", s.Days[5])
	}
	if s.Days[4].Sessions != 2 || s.Sessions != 2 {
		t.Errorf("sessions: day %+v, total %d; want 2 on 2026-11-22 and 2 in all", s.Days[4], s.Sessions)
	}
	if s.LoggedDays != 4 {
		t.Errorf("LoggedDays = %d, want 4", s.LoggedDays)
	}
	// Each day counts once: (7 + 3 + 1 + 5) / 4 = 4.
	if s.Mean != 4 {
		t.Errorf("Mean = %v, want 4", s.Mean)
	}
	if _, err := BuildSeries(entries, sessions, 14, today, london); err == nil {
		t.Error("BuildSeries accepted 14 days")
	}
	for _, n := range Periods {
		s, err := BuildSeries(nil, nil, n, today, london)
		if err != nil || len(s.Days) != n {
			t.Errorf("BuildSeries(%d) = %d days, %v", n, len(s.Days), err)
		}
	}
}

func TestSeriesAcrossDaylightSaving(t *testing.T) {
	// The clocks go back in London on 2026-10-25: days must still be whole.
	now := time.Date(2026, 10, 28, 12, 0, 0, 0, london)
	s, err := BuildSeries(nil, nil, 7, now, london)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-10-22", "2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27", "2026-10-28"}
	for i, d := range s.Days {
		if d.Date != want[i] {
			t.Fatalf("day %d = %s, want %s", i, d.Date, want[i])
		}
	}
}

func TestPeriodChange(t *testing.T) {
	week := func(pains ...int) []backcoach.DiaryEntry {
		var out []backcoach.DiaryEntry
		for i, p := range pains {
			if p >= 0 {
				out = append(out, entry(len(pains)-1-i, p))
			}
		}
		return out
	}
	tests := []struct {
		name       string
		entries    []backcoach.DiaryEntry
		nilChange  bool
		meaningful bool
		dir        Direction
	}{
		{"better by two", week(6, 6, 6, -1, 4, 4, 4), false, true, Better},
		{"one point is not meaningful from 6", week(6, 6, 6, 5, 5, 5, 5), false, false, Better},
		{"no entries at the start", week(-1, -1, -1, 5, 5, 5, 5), true, false, ""},
		{"no entries at the end", week(5, 5, 5, 5, -1, -1, -1), true, false, ""},
		{"worse by 30 %", week(3, 3, 3, 3, 4, 4, 4), false, true, Worse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := BuildSeries(tt.entries, nil, 7, today, london)
			c := s.PeriodChange()
			if tt.nilChange {
				if c != nil {
					t.Fatalf("PeriodChange = %+v, want nil", *c)
				}
				return
			}
			if c == nil || c.Meaningful != tt.meaningful || c.Direction != tt.dir {
				t.Fatalf("PeriodChange = %+v, want %s meaningful=%v", c, tt.dir, tt.meaningful)
			}
		})
	}
}

// daily returns one entry a day with the given pains, the first one
// daysAgo days before today.
func daily(daysAgo int, pains ...int) []backcoach.DiaryEntry {
	var out []backcoach.DiaryEntry
	for i, p := range pains {
		out = append(out, entry(daysAgo-i, p))
	}
	return out
}

func TestCheckWorsening(t *testing.T) {
	start := at(20, 8) // the plan began 20 days ago
	join := func(parts ...[]backcoach.DiaryEntry) []backcoach.DiaryEntry {
		var out []backcoach.DiaryEntry
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	baseline3 := daily(20, 3, 3, 3, 3, 3, 3, 3) // days 20..14: mean 3
	tests := []struct {
		name        string
		entries     []backcoach.DiaryEntry
		planStart   time.Time
		alert       bool
		meanChecked bool
		meanRule    bool
		highRule    bool
		say         string
	}{
		{"stable", join(baseline3, daily(6, 4, 4, 4, 4, 4, 4, 4)), start, false, true, false, false, "1 point higher"},
		{"rise of exactly 2 points", join(baseline3, daily(6, 5, 5, 5, 5, 5, 5, 5)), start, true, true, true, false, "2 points above"},
		{"rise of 1.9 points", join(baseline3, daily(6, 5, 5, 5, 5, 5, 5, 4)), start, false, true, false, false, "1.9 points higher"}, // (6×5+4)/7 = 4.86
		{"single 8 in the last week", join(baseline3, daily(6, 3, 3, 8, 3, 3, 3, 3)), start, true, true, false, true, "rated your pain 8"},
		{"single 7 is not enough", join(baseline3, daily(6, 3, 3, 7, 3, 3, 3, 3)), start, false, true, false, false, "0.6 points higher"},
		{"an 8 before the last week is past", join(daily(20, 3, 3, 3, 3, 3, 3, 8), daily(6, 3, 3, 3, 3, 3, 3, 3)), start, false, true, false, false, "0.7 points lower"},
		{"8 today with no plan", daily(0, 8), time.Time{}, true, false, false, true, "contact a doctor"},
		{"no plan: mean rule unchecked", daily(6, 5, 5, 5, 5, 5, 5, 5), time.Time{}, false, false, false, false, "once you have a plan"},
		{"plan's first week not over", daily(5, 2, 2, 6, 6, 6, 6), at(5, 8), false, false, false, false, "once that week is over"},
		{"first week just over", join(daily(7, 2, 2, 2, 2, 2, 2, 2), daily(0, 9)), at(7, 8), true, true, false, true, "1 point higher"},
		{"the same", join(baseline3, daily(6, 3, 3, 3, 3, 3, 3, 3)), start, false, true, false, false, "the same"},
		{"no entries in the plan's first week", daily(6, 6, 6, 6, 6, 6, 6, 6), start, false, false, false, false, "no check-ins in the first week"},
		{"no entries in the last week", baseline3, start, false, false, false, false, "no check-ins in the last 7 days"},
		{"many entries on one day count once", join(baseline3, []backcoach.DiaryEntry{entry(3, 7), entry(3, 7), entry(3, 7), entry(3, 7), entry(2, 3), entry(1, 3)}), start, false, true, false, false, "higher"}, // days 7,3,3: mean 4.3
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := CheckWorsening(tt.entries, tt.planStart, today, london)
			if w.Alert != tt.alert || w.MeanChecked != tt.meanChecked || w.MeanRule != tt.meanRule || w.HighRule != tt.highRule {
				t.Errorf("alert=%v meanChecked=%v meanRule=%v highRule=%v, want %v %v %v %v (rise %v)", w.Alert, w.MeanChecked, w.MeanRule, w.HighRule, tt.alert, tt.meanChecked, tt.meanRule, tt.highRule, w.Rise)
			}
			if tt.alert != (w.Urgency == backcoach.UrgencySoon) {
				t.Errorf("Urgency = %q with alert %v", w.Urgency, w.Alert)
			}
			text := strings.Join(w.Explanation, " ")
			if !strings.Contains(text, tt.say) {
				t.Errorf("explanation %q does not say %q", text, tt.say)
			}
			if w.Alert && !strings.Contains(text, "GP or physiotherapist") {
				t.Errorf("an alert must advise booking a doctor: %q", text)
			}
		})
	}
}

func TestPlanStart(t *testing.T) {
	allowed := func(daysAgo int) backcoach.SavedAssessment {
		return backcoach.SavedAssessment{TakenAt: at(daysAgo, 8), Result: backcoach.Result{ExerciseAllowed: true}}
	}
	refused := func(daysAgo int) backcoach.SavedAssessment {
		return backcoach.SavedAssessment{TakenAt: at(daysAgo, 8)}
	}
	tests := []struct {
		name string
		list []backcoach.SavedAssessment
		want time.Time
		ok   bool
	}{
		{"none", nil, time.Time{}, false},
		{"one", []backcoach.SavedAssessment{allowed(3)}, at(3, 8), true},
		{"weekly re-assessments continue the plan", []backcoach.SavedAssessment{allowed(1), allowed(15), allowed(8)}, at(15, 8), true},
		{"a refusal starts a new plan after it", []backcoach.SavedAssessment{allowed(30), refused(20), allowed(10), allowed(2)}, at(10, 8), true},
		{"the latest refused: no plan", []backcoach.SavedAssessment{allowed(10), refused(1)}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PlanStart(tt.list)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("PlanStart = %v %v, want %v %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFlagsAskedOn(t *testing.T) {
	asked := backcoach.DiaryEntry{At: at(0, 8), FlagsAsked: true}
	notAsked := backcoach.DiaryEntry{At: at(0, 9)}
	yesterday := backcoach.DiaryEntry{At: at(1, 23), FlagsAsked: true}
	tests := []struct {
		name    string
		entries []backcoach.DiaryEntry
		want    bool
	}{
		{"nothing yet", nil, false},
		{"asked this morning", []backcoach.DiaryEntry{asked}, true},
		{"a check-in without the question", []backcoach.DiaryEntry{notAsked}, false},
		{"asked yesterday late evening", []backcoach.DiaryEntry{yesterday}, false},
	}
	for _, tt := range tests {
		if got := FlagsAskedOn(tt.entries, today, london); got != tt.want {
			t.Errorf("%s: FlagsAskedOn = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPEGDue(t *testing.T) {
	peg := func(daysAgo int) backcoach.DiaryEntry {
		return backcoach.DiaryEntry{At: at(daysAgo, 9), PEG: &backcoach.PEG{Pain: 4, Enjoyment: 3, Activity: 5}}
	}
	tests := []struct {
		name    string
		entries []backcoach.DiaryEntry
		want    bool
	}{
		{"never asked", []backcoach.DiaryEntry{entry(0, 3)}, true},
		{"asked today", []backcoach.DiaryEntry{peg(0)}, false},
		{"asked 6 days ago", []backcoach.DiaryEntry{peg(6)}, false},
		{"asked 7 days ago: due again", []backcoach.DiaryEntry{peg(7)}, true},
	}
	for _, tt := range tests {
		if got := PEGDue(tt.entries, today, london); got != tt.want {
			t.Errorf("%s: PEGDue = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBuildPEGTrend(t *testing.T) {
	peg := func(daysAgo, p, e, a int) backcoach.DiaryEntry {
		return backcoach.DiaryEntry{At: at(daysAgo, 9), PEG: &backcoach.PEG{Pain: p, Enjoyment: e, Activity: a}}
	}
	entries := []backcoach.DiaryEntry{peg(1, 3, 3, 3), peg(15, 6, 6, 6), peg(8, 5, 4, 5), entry(2, 4), peg(40, 9, 9, 9)}
	tr := BuildPEGTrend(entries, "2026-10-26", "2026-11-24", london)
	if len(tr.Points) != 3 || tr.Points[0].Score != 6 || tr.Points[2].Score != 3 {
		t.Fatalf("points = %+v, want 3 from 6 to 3 oldest first", tr.Points)
	}
	if tr.Change == nil || !tr.Change.Meaningful || tr.Change.Direction != Better {
		t.Errorf("change = %+v, want a meaningful improvement", tr.Change)
	}
	one := BuildPEGTrend(entries, "2026-11-18", "2026-11-24", london)
	if len(one.Points) != 1 || one.Change != nil {
		t.Errorf("one score: %+v, want one point and no change", one)
	}
}

func TestBuild(t *testing.T) {
	entries := append(daily(20, 3, 3, 3, 3, 3, 3, 3), daily(6, 5, 6, 5, 6, 5, 6, 6)...)
	entries = append(entries, backcoach.DiaryEntry{At: at(2, 20), Pain: 5, PEG: &backcoach.PEG{Pain: 6, Enjoyment: 5, Activity: 5}})
	sessions := []backcoach.Session{{StartedAt: at(1, 10)}}
	r, err := Build(Input{Entries: entries, Sessions: sessions, PlanStart: at(20, 8), Today: today, Loc: london, Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Worsening.Alert || r.PEGDue || r.Days != 30 || r.From != "2026-10-26" {
		t.Errorf("report = alert %v, PEG due %v, days %d from %s", r.Worsening.Alert, r.PEGDue, r.Days, r.From)
	}
	text := strings.Join(r.Summary, "\n")
	for _, want := range []string{"pain logged on 14 of 30 days", "1 guided session", "PEG score", "2.6 points above", "GP or physiotherapist"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	empty, err := Build(Input{Today: today, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if empty.Worsening.Alert || !empty.PEGDue || !strings.Contains(strings.Join(empty.Summary, " "), "No pain was logged") {
		t.Errorf("empty report: %+v", empty)
	}
	if _, err := Build(Input{Today: today, Days: 10}); err == nil {
		t.Error("Build accepted 10 days")
	}
}

func TestBreaksInTheReport(t *testing.T) {
	days := []backcoach.BreakDay{
		{Date: "2026-11-10", Due: 99, Taken: 99, ActiveSeconds: 99999}, // before the 7 days
		{Date: "2026-11-18", Due: 8, Taken: 5, Natural: 2, Snoozed: 3, Skipped: 1, ActiveSeconds: 6 * 3600},
		{Date: "2026-11-24", Due: 2, Taken: 1, Natural: 4, Snoozed: 0, Skipped: 1, ActiveSeconds: 3000},
	}
	r, err := Build(Input{Today: today, Loc: london, Days: 7, BreakDays: days})
	if err != nil {
		t.Fatal(err)
	}
	want := BreakTotals{Days: 2, Due: 10, Taken: 6, Natural: 6, Snoozed: 3, Skipped: 2, ActiveSeconds: 6*3600 + 3000}
	if r.Breaks.Total != want || len(r.Breaks.Days) != 2 || r.Breaks.Days[0].Date != "2026-11-18" {
		t.Fatalf("breaks over 7 days = %+v", r.Breaks)
	}
	line := "Movement breaks over the last 7 days: 10 breaks due, 6 taken after a reminder, 6 taken before one, 3 snoozed, 2 skipped; 6 h 50 min at the computer on 2 days."
	if !strings.Contains(strings.Join(r.Summary, "\n"), line) {
		t.Errorf("the summary lacks %q:\n%s", line, strings.Join(r.Summary, "\n"))
	}
	month, _ := Build(Input{Today: today, Loc: london, Days: 30, BreakDays: days})
	if month.Breaks.Total.Days != 3 || month.Breaks.Total.Due != 109 {
		t.Errorf("breaks over 30 days = %+v", month.Breaks.Total)
	}
	none, _ := Build(Input{Today: today, Loc: london, Days: 7})
	if none.Breaks.Days == nil || none.Breaks.Total.Days != 0 || strings.Contains(strings.Join(none.Summary, " "), "Movement breaks") {
		t.Errorf("without figures: %+v, %q", none.Breaks, none.Summary)
	}
	if got := DayWords(days[1]); got != "8 due, 5 taken, 2 natural, 3 snoozed, 1 skipped, 6 h 00 min active" {
		t.Errorf("DayWords = %q", got)
	}
}
