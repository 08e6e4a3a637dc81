package planner

import (
	"fmt"
	"sort"
	"time"

	"github.com/backcoach/backcoach"
)

// Progression limits: how far doses may step from the stage's own dose.
const (
	MinLevel = -2
	MaxLevel = 3
)

// Rules for stepping up (docs/clinical.md §5): two weeks of regular sessions at
// the same level with pain stable or falling. "Regular" is read as at least
// three sessions in each of the two weeks, the upper end of ACSM's two to
// three days a week, so a dose only rises on a steady habit.
const (
	weekSessionsToStepUp = 3
	minCompletion        = 0.8
	// risingPain is how much the weekly mean of pain before sessions may
	// rise and still count as stable: under one point.
	risingPain = 1.0
	// flareRise is the rise from before to after a session that steps back.
	flareRise = 2
)

// StepBackRise is the rise of pain over a session (after minus before)
// that steps the next dose back; a session's end screen says so.
const StepBackRise = flareRise

// Progress decides the dose level for the next plan from the history of
// guided sessions up to today (dates YYYY-MM-DD, any order). It steps back
// when the last session raised pain by 2 or more points or the next day's
// pain was higher than before it; it steps up after two good weeks; and it
// otherwise keeps the level, saying why.
func Progress(history []backcoach.SessionSummary, current int, today string) backcoach.Progression {
	current = clampLevel(current)
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return backcoach.Progression{Level: current, Reason: "The date is not valid, so the dose stays as it is."}
	}
	past := make([]backcoach.SessionSummary, 0, len(history))
	for _, s := range history {
		if d, err := time.Parse(time.DateOnly, s.Date); err == nil && !d.After(day) {
			past = append(past, s)
		}
	}
	sort.SliceStable(past, func(i, j int) bool { return past[i].Date < past[j].Date })
	if len(past) == 0 {
		return backcoach.Progression{Level: current, Reason: "No sessions yet: start at the dose for your stage."}
	}
	last := past[len(past)-1]
	if last.PainAfter-last.PainBefore >= flareRise {
		return down(current, fmt.Sprintf("Your last session raised your pain from %d to %d, so the dose steps back.", last.PainBefore, last.PainAfter))
	}
	if last.NextDayPain >= 0 && last.NextDayPain > last.PainBefore {
		return down(current, fmt.Sprintf("The day after your last session your pain was %d, higher than the %d before it, so the dose steps back.", last.NextDayPain, last.PainBefore))
	}
	week1, week2 := weeks(past, day)
	switch {
	case current >= MaxLevel:
		return backcoach.Progression{Level: current, Reason: "You are at the highest dose the coach offers; keep going at this level."}
	case !steady(week1, current) || !steady(week2, current):
		return backcoach.Progression{Level: current, Reason: fmt.Sprintf("The dose rises after two weeks of at least %d sessions a week at the same level; keep going.", weekSessionsToStepUp)}
	case meanBefore(week2)-meanBefore(week1) >= risingPain:
		return backcoach.Progression{Level: current, Reason: "Your pain has crept up over the last week, so the dose stays as it is."}
	}
	for _, s := range append(week1, week2...) {
		if s.PainAfter-s.PainBefore >= flareRise {
			return backcoach.Progression{Level: current, Reason: "A session in the last two weeks raised your pain, so the dose stays as it is for now."}
		}
	}
	return backcoach.Progression{Level: current + 1, Change: 1, Reason: "Two weeks of regular sessions with pain stable or falling: the dose steps up by one notch (a longer hold or two more repetitions)."}
}

func down(current int, reason string) backcoach.Progression {
	if current <= MinLevel {
		return backcoach.Progression{Level: current, Reason: reason + " It is already at the lowest step; if this goes on, ask a physiotherapist."}
	}
	return backcoach.Progression{Level: current - 1, Change: -1, Reason: reason}
}

func clampLevel(l int) int { return max(MinLevel, min(MaxLevel, l)) }

// weeks splits the sessions of the last 14 days into the earlier week
// (days 13–7 before today) and the later week (days 6–0).
func weeks(past []backcoach.SessionSummary, today time.Time) (week1, week2 []backcoach.SessionSummary) {
	for _, s := range past {
		d, _ := time.Parse(time.DateOnly, s.Date)
		ago := int(today.Sub(d).Hours() / 24)
		switch {
		case ago <= 6:
			week2 = append(week2, s)
		case ago <= 13:
			week1 = append(week1, s)
		}
	}
	return week1, week2
}

// steady reports whether a week had enough, mostly complete sessions, all
// at the current level.
func steady(week []backcoach.SessionSummary, level int) bool {
	days := map[string]bool{}
	done := 0.0
	for _, s := range week {
		if s.Level != level {
			return false
		}
		days[s.Date] = true
		done += s.Completion
	}
	return len(days) >= weekSessionsToStepUp && done/float64(len(week)) >= minCompletion
}

func meanBefore(week []backcoach.SessionSummary) float64 {
	sum := 0
	for _, s := range week {
		sum += s.PainBefore
	}
	return float64(sum) / float64(len(week))
}
