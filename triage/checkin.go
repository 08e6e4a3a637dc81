package triage

import (
	"slices"
	"strings"
)

// topicsMark stands for the history signs' topics in the check-in's
// question.
const topicsMark = "{topics}"

// CheckInFlags returns the warning signs a daily check-in asks, emergency
// ones first, in asking order: every sign that can newly appear. History
// signs are asked at the assessment and kept; the check-in asks instead
// whether anything about them has changed (docs/clinical.md §6).
func CheckInFlags() []Flag {
	var out []Flag
	for _, f := range content.Flags {
		if !f.History {
			out = append(out, f)
		}
	}
	return out
}

// HistoryChangeQuestion returns the check-in's question whether anything
// has changed about the history signs among ids ("Has anything changed
// about … ?"), naming them in asking order; ids that are not history signs
// are left out. It is empty when none is.
func HistoryChangeQuestion(ids []string) string {
	var topics []string
	for _, f := range content.Flags {
		if f.History && slices.Contains(ids, f.ID) {
			topics = append(topics, f.Topic)
		}
	}
	if len(topics) == 0 {
		return ""
	}
	return strings.Replace(content.CheckIn.HistoryChange, topicsMark, joinOr(topics), 1)
}

// HistoryChangedSign is the id of the sign a "yes" to the history-change
// question records.
func HistoryChangedSign() string { return content.CheckIn.Changed.ID }

// joinOr joins a list as a sentence does: "a", "a or b", "a, b or c".
func joinOr(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}
