package web

import (
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// Every id the pages show has words, and an answer's words are the
// assessment's data, whatever the id's type.
func TestEveryIDHasALabel(t *testing.T) {
	t.Parallel()
	check := func(ids []string, typed func(string) any) {
		for _, id := range ids {
			if got := label(typed(id)); got == id || got == "" {
				t.Errorf("%T %q has no words", typed(id), id)
			}
		}
	}
	check(ids(backcoach.Conditions), func(s string) any { return backcoach.Condition(s) })
	check(ids(backcoach.Causes), func(s string) any { return backcoach.Cause(s) })
	check(ids(backcoach.Places), func(s string) any { return backcoach.Place(s) })
	check(ids(backcoach.AllEquipment), func(s string) any { return backcoach.Equipment(s) })
	check(ids(backcoach.Stages), func(s string) any { return backcoach.Stage(s) })
	check(ids(backcoach.Trends), func(s string) any { return backcoach.Trend(s) })
	check(ids(backcoach.Urgencies), func(s string) any { return backcoach.Urgency(s) })
	check(ids(backcoach.Outcomes), func(s string) any { return backcoach.Outcome(s) })
	check(ids(backcoach.Positions), func(s string) any { return backcoach.Position(s) })
	check(ids(backcoach.Regions), func(s string) any { return backcoach.Region(s) })
	for _, c := range backcoach.Conditions {
		if want := triage.Ask("conditions").Label(string(c)); label(c) != want || label(string(c)) != want {
			t.Errorf("%s: %q and %q, want the data's %q", c, label(c), label(string(c)), want)
		}
	}
	for id := range labels {
		if _, ok := triage.AnswerLabel(id); ok && id != string(backcoach.PositionStanding) {
			t.Errorf("%q has words both here and in the assessment's data", id)
		}
	}
	if stageWords(backcoach.StageModerate) == "" || stageWords(backcoach.StageNone) == "" {
		t.Error("a stage without its description")
	}
}
