package diary

import (
	"fmt"
	"sort"
	"time"

	"github.com/backcoach/backcoach"
)

// The worsening rule (docs/clinical.md §6): the mean of the last 7 days at
// least 2 points above the mean of the first 7 days of the current plan,
// or any single rating of 8 or more, means the person should contact a
// doctor soon.
const (
	WorseningPoints = 2.0
	HighPain        = 8
	WindowDays      = 7
)

// PEGIntervalDays is how often the PEG-3 is asked: once a week.
const PEGIntervalDays = 7

// Window is the mean pain of a run of calendar days.
type Window struct {
	From string  `json:"from"` // first day, YYYY-MM-DD
	To   string  `json:"to"`   // last day, YYYY-MM-DD
	Mean float64 `json:"mean"` // mean of the daily means, one decimal
	Days int     `json:"days"` // days with entries
	mean float64 // unrounded
}

// Worsening is the outcome of the worsening rule, with what it was based
// on, so that it can be explained.
type Worsening struct {
	Alert bool `json:"alert"`
	// Urgency is "soon" when Alert is set, and empty otherwise.
	Urgency backcoach.Urgency `json:"urgency,omitempty"`

	// The mean rule. MeanChecked is false when it could not be applied:
	// no plan start, the plan's first week not over yet, or a week without
	// entries; Note then says which.
	MeanChecked bool    `json:"mean_checked"`
	MeanRule    bool    `json:"mean_rule"`
	Baseline    *Window `json:"baseline,omitempty"` // the plan's first 7 days
	Recent      *Window `json:"recent,omitempty"`   // the last 7 days
	Rise        float64 `json:"rise"`               // Recent.Mean − Baseline.Mean

	// The single-rating rule, over the last 7 days.
	HighRule    bool   `json:"high_rule"`
	Highest     int    `json:"highest"`
	HighestDate string `json:"highest_date,omitempty"`

	// Explanation says, in plain words, what was found and why.
	Explanation []string `json:"explanation"`
}

// CheckWorsening applies the worsening rule on today. planStart is when
// the current plan began (see PlanStart); zero when unknown, which leaves
// only the single-rating rule. The single-rating rule looks at the last 7
// days: an old high rating that has since eased does not keep the alert
// on for ever. Each day counts once in a mean, however often it was
// logged, so that a day with many check-ins does not outweigh the others.
func CheckWorsening(entries []backcoach.DiaryEntry, planStart, today time.Time, loc *time.Location) Worsening {
	var w Worsening
	first := addDays(localNoon(today, loc), -(WindowDays - 1))
	recent := window(entries, first, loc)
	w.checkHigh(entries, first, loc)
	w.checkMean(entries, planStart, today, recent, loc)
	if w.HighRule || w.MeanRule {
		w.Alert, w.Urgency = true, backcoach.UrgencySoon
	}
	w.explain()
	return w
}

// window returns the mean of the 7 days from first.
func window(entries []backcoach.DiaryEntry, first time.Time, loc *time.Location) Window {
	s := seriesBetween(entries, nil, first, WindowDays, loc)
	m, n := meanOfDays(s.Days)
	return Window{From: s.Days[0].Date, To: s.Days[len(s.Days)-1].Date, Mean: round1(m), Days: n, mean: m}
}

// checkHigh finds the highest rating of the 7 days from first (the latest
// day it was given), by the days' numbers.
func (w *Worsening) checkHigh(entries []backcoach.DiaryEntry, first time.Time, loc *time.Location) {
	y, m, d := first.Date()
	lo := civilDay(y, m, d)
	hi, day := lo+WindowDays-1, lo-1 // day: none yet
	for _, e := range entries {
		n := dayNumber(e.At, loc)
		if n < lo || n > hi {
			continue
		}
		if e.Pain > w.Highest || (e.Pain == w.Highest && n > day) {
			w.Highest, day = e.Pain, n
		}
	}
	if day >= lo {
		w.HighestDate = dayDate(day)
	}
	w.HighRule = w.Highest >= HighPain
}

func (w *Worsening) checkMean(entries []backcoach.DiaryEntry, planStart, today time.Time, recent Window, loc *time.Location) {
	w.Recent = &recent
	if planStart.IsZero() {
		return
	}
	first := localNoon(planStart, loc)
	base := window(entries, first, loc)
	w.Baseline = &base
	if addDays(first, WindowDays).After(localNoon(today, loc)) || base.Days == 0 || recent.Days == 0 {
		return
	}
	w.MeanChecked = true
	w.Rise = round1(recent.mean - base.mean)
	w.MeanRule = recent.mean-base.mean >= WorseningPoints-epsilon
}

// explain writes the plain-words explanation of the result.
func (w *Worsening) explain() {
	var out []string
	if w.HighRule {
		out = append(out, fmt.Sprintf("On %s you rated your pain %d out of 10. A single rating of %d or more is a reason to contact a doctor in the next few days.", w.HighestDate, w.Highest, HighPain))
	}
	switch {
	case w.MeanRule:
		out = append(out, fmt.Sprintf("Your average pain over the last 7 days (%s) is %s points above the first week of your plan (%s). A rise of 2 points or more is a reason to contact a doctor in the next few days.",
			num(w.Recent.Mean), num(w.Rise), num(w.Baseline.Mean)))
	case w.MeanChecked:
		out = append(out, fmt.Sprintf("Your average pain over the last 7 days (%s) compared with the first week of your plan (%s): %s. It would take a rise of 2 points to call it a worsening.",
			num(w.Recent.Mean), num(w.Baseline.Mean), riseWords(w.Rise)))
	default:
		out = append(out, w.uncheckedReason())
	}
	if w.Alert {
		out = append(out, "Please book an appointment with a GP or physiotherapist in the next few days and show them this diary.")
	}
	w.Explanation = out
}

func riseWords(rise float64) string {
	switch {
	case rise > epsilon:
		return num(rise) + " " + pointWord(rise) + " higher"
	case rise < -epsilon:
		return num(-rise) + " " + pointWord(-rise) + " lower"
	default:
		return "the same"
	}
}

// uncheckedReason says why the mean rule could not be applied.
func (w *Worsening) uncheckedReason() string {
	switch {
	case w.Baseline == nil:
		return "The worsening check compares the last 7 days with the first week of your plan; it starts once you have a plan from an assessment."
	case w.Recent.Days == 0:
		return "There are no check-ins in the last 7 days, so the worsening check cannot compare them with the first week of your plan."
	case w.Baseline.Days == 0:
		return fmt.Sprintf("There are no check-ins in the first week of your plan (%s to %s), so the worsening check has nothing to compare the last 7 days with.", w.Baseline.From, w.Baseline.To)
	default:
		return fmt.Sprintf("The worsening check compares the last 7 days with the first week of your plan (%s to %s); it starts once that week is over.", w.Baseline.From, w.Baseline.To)
	}
}

// PlanStart returns when the current plan began: the time of the earliest
// assessment in the latest unbroken run of assessments that allowed
// exercise. Re-assessing (weekly, or before a session) continues a plan;
// an assessment that did not allow exercise ends it. ok is false when the
// latest assessment did not allow exercise or there is none.
func PlanStart(assessments []backcoach.SavedAssessment) (start time.Time, ok bool) {
	list := append([]backcoach.SavedAssessment(nil), assessments...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].TakenAt.Before(list[j].TakenAt) })
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].Result.ExerciseAllowed {
			break
		}
		start, ok = list[i].TakenAt, true
	}
	return start, ok
}

// FlagsAskedOn reports whether a check-in on today's local date already
// asked the warning-sign question, which is asked once a day.
func FlagsAskedOn(entries []backcoach.DiaryEntry, today time.Time, loc *time.Location) bool {
	d := dayKey(today, loc)
	for _, e := range entries {
		if e.FlagsAsked && dayKey(e.At, loc) == d {
			return true
		}
	}
	return false
}

// PEGDue reports whether the weekly PEG-3 is due today: no PEG was
// recorded in the last 7 days (today and the 6 before it).
func PEGDue(entries []backcoach.DiaryEntry, today time.Time, loc *time.Location) bool {
	since := addDays(localNoon(today, loc), -(PEGIntervalDays - 1)).Format(backcoach.DateLayout)
	for _, e := range entries {
		if e.PEG != nil && dayKey(e.At, loc) >= since {
			return false
		}
	}
	return true
}

// PEGPoint is one PEG-3 score.
type PEGPoint struct {
	Date  string        `json:"date"`
	Score float64       `json:"score"`
	PEG   backcoach.PEG `json:"peg"`
}

// PEGTrend is how the weekly PEG-3 moved over a period.
type PEGTrend struct {
	Points []PEGPoint `json:"points"`
	// Change compares the first score of the period with the last; nil
	// with fewer than two scores.
	Change *Change `json:"change,omitempty"`
}

// BuildPEGTrend collects the PEG scores of the days from first to last
// (YYYY-MM-DD, inclusive), oldest first, and compares the first with the
// last by the meaningful-change rule.
func BuildPEGTrend(entries []backcoach.DiaryEntry, first, last string, loc *time.Location) PEGTrend {
	list := append([]backcoach.DiaryEntry(nil), entries...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].At.Before(list[j].At) })
	t := PEGTrend{Points: []PEGPoint{}}
	for _, e := range list {
		d := dayKey(e.At, loc)
		if e.PEG == nil || d < first || d > last {
			continue
		}
		t.Points = append(t.Points, PEGPoint{Date: d, Score: e.PEG.Score(), PEG: *e.PEG})
	}
	if n := len(t.Points); n >= 2 {
		c := Compare(t.Points[0].Score, t.Points[n-1].Score)
		t.Change = &c
	}
	return t
}
