package main

import (
	"fmt"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/triage"
)

// safetyCmds show the safety record and record a clinician's clearance.
type safetyCmd struct {
	Show  safetyShowCmd  `cmd:"" default:"withargs" help:"Show whether exercise is allowed now, and every warning sign and clearance in your record."`
	Clear safetyClearCmd `cmd:"" help:"Record that a GP, physiotherapist or emergency team checked you and said you may exercise."`
}

// safetyShowCmd shows the record.
type safetyShowCmd struct {
	JSON bool `name:"json" help:"Print the record and what stands as JSON."`
}

func (c *safetyShowCmd) Run(a *app) error {
	d, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer d.st.Close()
	day, err := d.coach.Day(a.ctx, d.person)
	if err != nil {
		return err
	}
	if c.JSON {
		return writeJSON(a.stdout, map[string]any{
			"exercise_allowed": !day.Standing.Blocked, "refusal": day.Refusal(), "cleared_history": day.Standing.Cleared, "record": day.Record,
		})
	}
	printSafety(a, day)
	return nil
}

// printSafety says what stands and lists the record, newest first.
func printSafety(a *app, day *coach.Day) {
	w := a.stdout
	if r := day.Refusal(); r != nil {
		printRefusal(a, r)
	} else {
		fmt.Fprintln(w, "No warning sign stands: exercise is allowed.")
	}
	if len(day.Standing.Cleared) > 0 {
		fmt.Fprintln(w, "\nCleared by a clinician (your plan stays gentle):")
		for _, id := range day.Standing.Cleared {
			para(w, "  * ", signWords(id))
		}
	}
	if n := len(day.Record.Clearances); n > 0 {
		fmt.Fprintln(w, "\nChecks you recorded:")
		for i := n - 1; i >= 0; i-- {
			c := day.Record.Clearances[i]
			line := fmt.Sprintf("%s on %s", c.By.Words(), c.CheckedOn)
			if c.Name != "" {
				line += " (" + c.Name + ")"
			}
			para(w, "  * ", line)
		}
	}
	var lines []string
	for i := len(day.Record.Screens) - 1; i >= 0; i-- {
		sc := day.Record.Screens[i]
		if len(sc.Signs) == 0 {
			continue
		}
		var words []string
		for _, id := range sc.Signs {
			words = append(words, signWords(id))
		}
		lines = append(lines, fmt.Sprintf("%s, %s: %s", sc.At.In(day.Loc).Format("2 Jan 2006 15:04"), coach.WhereWords(sc.Kind, sc.Via), strings.Join(words, "; ")))
	}
	if len(lines) > 0 {
		fmt.Fprintln(w, "\nWarning signs answered:")
		for _, l := range lines {
			para(w, "  * ", l)
		}
	}
}

// signWords is what a sign asked, or its id.
func signWords(id string) string {
	if s, ok := triage.LookupSign(id); ok {
		return s.Words
	}
	return id
}

// safetyClearCmd records a clearance.
type safetyClearCmd struct {
	By   string `required:"" enum:"gp,physiotherapist,emergency_team" placeholder:"gp|physiotherapist|emergency_team" help:"Who checked you and said you may exercise."`
	On   string `required:"" placeholder:"YYYY-MM-DD" help:"The day of the check: not in the future, not before the warning sign."`
	Name string `help:"The clinician or practice, if you want to keep it."`
	Note string `help:"What they said, if you want to keep it."`
}

func (c *safetyClearCmd) Run(a *app) error {
	d, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer d.st.Close()
	cl, day, err := d.coach.RecordClearance(a.ctx, d.person, coach.ClearanceRequest{By: backcoach.ClearedBy(c.By), Name: c.Name, CheckedOn: c.On, Note: c.Note})
	if err != nil {
		if e, ok := err.(*backcoach.Error); ok && e.Field == "checked_on" {
			return backcoach.Invalid("--on", "%s", e.Message)
		}
		return err
	}
	fmt.Fprintf(a.stdout, "Recorded: %s checked you on %s.\n", cl.By.Words(), cl.CheckedOn)
	if day.Standing.Blocked {
		para(a.stdout, "", "Now answer the warning-sign questions again ('backcoach checkin', or 'backcoach assess'): if nothing new has appeared, exercise comes back.")
	}
	return nil
}
