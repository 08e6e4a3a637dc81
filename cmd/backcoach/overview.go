package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"
)

// overview is what 'backcoach' alone prints: every command with a few
// words, the first steps first, in one 80×24 screen. 'backcoach --help'
// lists every command and flag; TestOverviewNamesEveryCommand keeps the
// two in step.
var overview = [][2]string{
	{"assess", "check that exercise is safe, then how the pain is"},
	{"session", "today's routine, guided step by step"},
	{"checkin, log", "how your back is today ('log --pain N' for scripts)"},
	{"plan", "today's routine, to read"},
	{"diary", "your pain over 7, 30 or 90 days"},
	{"exercises, exercise ID", "the exercises, and one in full"},
	{"safety", "warning signs, and a clinician's check"},
	{"breaks", "reminders to move: run, status, snooze, skip"},
	{"learn, sources", "about your upper back, and what the advice rests on"},
	{"history", "past assessments"},
	{"export, import, report", "your data (JSON, CSV, FHIR) and back; a PDF report"},
	{"calendar", "sessions and check-ins for your calendar app"},
	{"backup, restore", "a copy of the whole database, and back"},
	{"migrate", "bring the database's layout up to date"},
	{"delete-account", "remove everything backcoach keeps about you"},
	{"serve, clinic", "the web app and the JSON API; a clinic's clinicians"},
}

// writeOverview prints the short overview of the commands.
func writeOverview(w io.Writer) {
	fmt.Fprintln(w, "backcoach: a self-care coach for upper back pain. It checks first that")
	fmt.Fprintln(w, "exercise is safe, then builds a short routine that fits your day.")
	fmt.Fprintln(w)
	width := 0
	for _, l := range overview {
		width = max(width, len(l[0]))
	}
	for _, l := range overview {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
	}
	fmt.Fprintln(w, "\nType 'backcoach COMMAND'; 'backcoach COMMAND --help' says more about one,")
	fmt.Fprintln(w, "'backcoach --help' lists every command and flag.")
	fmt.Fprintln(w, "This is not a diagnosis. If you are worried, contact a doctor.")
}

// overviewCommands are the commands the overview names.
func overviewCommands() []string {
	var out []string
	for _, l := range overview {
		for _, name := range strings.Split(l[0], ", ") {
			out = append(out, strings.TrimSuffix(name, " ID"))
		}
	}
	return out
}

// topCommands are the parser's top-level commands.
func topCommands(app *kong.Application) []string {
	var out []string
	for _, c := range app.Children {
		if c.Type == kong.CommandNode {
			out = append(out, c.Name)
		}
	}
	return out
}
