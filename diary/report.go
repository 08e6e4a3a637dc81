package diary

import (
	"fmt"
	"time"

	"github.com/backcoach/backcoach"
)

// Input is everything a diary report is made from.
type Input struct {
	Entries  []backcoach.DiaryEntry
	Sessions []backcoach.Session
	// PlanStart is when the current plan began (PlanStart); zero when
	// there is none.
	PlanStart time.Time
	Today     time.Time
	Loc       *time.Location
	Days      int // one of Periods
	// BreakDays are the break reminder's daily figures; those of the
	// period are summed up.
	BreakDays []backcoach.BreakDay
}

// Report is the diary over one period with every rule applied.
type Report struct {
	Days      int       `json:"days"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Series    Series    `json:"series"`
	Change    *Change   `json:"change,omitempty"`
	PEG       PEGTrend  `json:"peg"`
	PEGDue    bool      `json:"peg_due"`
	Worsening Worsening `json:"worsening"`
	// Breaks is the break reminder's figures over the period.
	Breaks BreakSummary `json:"breaks"`
	// Summary says the findings in plain words, one sentence a line.
	Summary []string `json:"summary"`
}

// Build makes the report. The worsening rule always looks at the last 7
// days and the plan's first week, whatever the period shown.
func Build(in Input) (Report, error) {
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	s, err := BuildSeries(in.Entries, in.Sessions, in.Days, in.Today, loc)
	if err != nil {
		return Report{}, err
	}
	r := Report{
		Days:      in.Days,
		From:      s.Days[0].Date,
		To:        s.Days[len(s.Days)-1].Date,
		Series:    s,
		Change:    s.PeriodChange(),
		PEGDue:    PEGDue(in.Entries, in.Today, loc),
		Worsening: CheckWorsening(in.Entries, in.PlanStart, in.Today, loc),
	}
	r.PEG = BuildPEGTrend(in.Entries, r.From, r.To, loc)
	r.Breaks = SummariseBreaks(in.BreakDays, r.From, r.To)
	r.Summary = r.summarise()
	return r, nil
}

// summarise writes the findings in plain words.
func (r *Report) summarise() []string {
	out := []string{r.overview()}
	if line := r.changeLine(); line != "" {
		out = append(out, line)
	}
	out = append(out, r.pegLine())
	if line := r.Breaks.Total.Words(r.Days); line != "" {
		out = append(out, line)
	}
	return append(out, r.Worsening.Explanation...)
}

func (r *Report) overview() string {
	s := r.Series
	if s.LoggedDays == 0 {
		return fmt.Sprintf("No pain was logged in the last %d days; a check-in takes a few seconds.", r.Days)
	}
	return fmt.Sprintf("Last %d days: pain logged on %d of %d days, average %s out of 10; %s.",
		r.Days, s.LoggedDays, r.Days, num(s.Mean), backcoach.Count(s.Sessions, "guided session", "guided sessions"))
}

func (r *Report) changeLine() string {
	if r.Series.LoggedDays == 0 {
		return ""
	}
	part := comparePart(r.Days)
	if r.Change == nil {
		return fmt.Sprintf("To tell a change over the period, pain is needed in its first %d and its last %d days.", part, part)
	}
	return fmt.Sprintf("From the first %d days of the period to the last %d, your average %s", part, part, lowerFirst(r.Change.Words("pain")))
}

func (r *Report) pegLine() string {
	due := ""
	if r.PEGDue {
		due = " The weekly PEG questions are due: the next check-in asks them."
	}
	switch len(r.PEG.Points) {
	case 0:
		return "No PEG score (pain, enjoyment of life and activity, 0–10) in this period." + due
	case 1:
		p := r.PEG.Points[0]
		return fmt.Sprintf("PEG score (pain, enjoyment of life and activity, 0–10) on %s: %s.%s", p.Date, num(p.Score), due)
	}
	return "PEG score (pain, enjoyment of life and activity, 0–10): " + r.PEG.Change.Words("it") + due
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
