package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// planCmd builds today's routine from an answers document, or from the
// latest assessment.
type planCmd struct {
	Answers string `placeholder:"FILE|-" help:"The answers document (assessment.md), or - to read it from standard input. Without it: today's plan from your latest assessment, as the web app and the API give it."`
	JSON    bool   `name:"json" help:"Print the plan as JSON."`
	Date    string `placeholder:"YYYY-MM-DD" help:"The day to plan for (default: today). The choice of exercises varies by day."`
	NoSave  bool   `help:"Do not read or keep your history: the plan uses the stage's own dose."`
}

func (c *planCmd) Run(a *app) error {
	if c.Answers == "" {
		return c.today(a)
	}
	ans, err := readAnswers(a, c.Answers)
	if err != nil {
		return err
	}
	date, err := planDate(a, c.Date)
	if err != nil {
		return err
	}
	res, p, _, err := a.buildPlan(ans, triage.Assess(&ans), date, !c.NoSave)
	if err != nil {
		return err
	}
	if c.JSON {
		return writeJSON(a.stdout, p)
	}
	printPlan(a, res, p) // the plan's notes say why the dose changed, when it did
	return nil
}

// today prints the day's plan from the latest assessment, through the
// coach: the same plan the web app and the API give, or, while a warning
// sign stands, what to do (with --json, the contract's plan without
// exercises, at the standing urgency).
func (c *planCmd) today(a *app) error {
	if c.NoSave {
		return backcoach.Invalid("--no-save", "needs --answers: without answers the plan comes from your saved history")
	}
	if c.Date != "" {
		if err := backcoach.CheckDate("--date", c.Date); err != nil {
			return err
		}
	}
	return a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
		p, err := co.Plan(a.ctx, me.ID, coach.PlanRequest{Date: c.Date})
		if r := coach.Refused(err); r != nil {
			if c.JSON {
				d, err := co.Day(a.ctx, me.ID)
				if err != nil {
					return err
				}
				res, date := backcoach.Result{Urgency: r.Urgency, Stage: backcoach.StageNone}, d.Today
				if d.Latest != nil {
					res.Stage = d.Latest.Result.Stage
				}
				if c.Date != "" {
					date = c.Date
				}
				empty := planner.Build(a.catalog, planner.Request{Answers: &backcoach.Answers{}, Result: res, Date: date})
				return writeJSON(a.stdout, empty)
			}
			printRefusal(a, r)
			return nil
		}
		if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			return backcoach.Invalid("--answers", "no assessment is saved yet: run 'backcoach assess' first, or give --answers")
		}
		if err != nil {
			return err
		}
		if c.JSON {
			return writeJSON(a.stdout, p.Plan.Plan)
		}
		printPlan(a, p.Result, p.Plan.Plan)
		return nil
	})
}

// buildPlan builds the day's plan; with keep it goes through the coach,
// which keeps the assessment and the plan and reads the safety record and
// the dose level from the history; without it it touches no database and
// plans from res. It returns the result the plan follows.
func (a *app) buildPlan(ans backcoach.Answers, res backcoach.Result, date string, keep bool) (backcoach.Result, backcoach.Plan, backcoach.Progression, error) {
	if keep {
		res, p, prog, err := a.assessAndPlan(ans, date, true)
		if err != nil {
			return res, backcoach.Plan{}, prog, err
		}
		return res, *p, prog, nil
	}
	p := planner.Build(a.catalog, planner.Request{Answers: &ans, Result: res, Date: date})
	return res, p, backcoach.Progression{}, nil
}

// planDate returns the date flag, checked, or today in local time.
func planDate(a *app, flag string) (string, error) {
	if flag == "" {
		return a.now().Format(time.DateOnly), nil
	}
	if _, err := time.Parse(time.DateOnly, flag); err != nil {
		return "", backcoach.Invalid("--date", "must be a date as YYYY-MM-DD, got %q", flag)
	}
	return flag, nil
}

// readAnswers reads and parses an answers document from a file or stdin,
// reading no more than the largest document accepted (and one byte to
// tell it is larger): a huge file, or /dev/zero, costs nothing.
func readAnswers(a *app, name string) (backcoach.Answers, error) {
	r := a.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return backcoach.Answers{}, backcoach.Invalid("--answers", "cannot read %s: %v", name, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, triage.MaxAnswersBytes+1))
	if err != nil {
		return backcoach.Answers{}, backcoach.Invalid("--answers", "cannot read %s: %v", name, err)
	}
	if len(data) > triage.MaxAnswersBytes {
		return backcoach.Answers{}, backcoach.Invalid("--answers", "%s is larger than %d KiB, the most an answers document may be (docs/assessment.md)", name, triage.MaxAnswersBytes>>10)
	}
	return triage.ParseAnswers(data)
}

// printPlan writes a plan for a person to read.
func printPlan(a *app, res backcoach.Result, p backcoach.Plan) {
	w := a.stdout
	if !res.ExerciseAllowed {
		printResult(a, res)
		return
	}
	fmt.Fprintf(w, "Your routine for %s: %d exercises, about %s (stage %s).\n\n", p.Date, len(p.Exercises), minutesWords(p.TotalSeconds), p.Stage)
	for i, x := range p.Exercises {
		e, err := a.catalog.Get(x.ID)
		if err != nil {
			continue
		}
		label := ""
		if x.Warmup {
			label = "  (warm-up)"
		}
		fmt.Fprintf(w, "%2d. %s%s — %s, about %s\n", i+1, x.Name, label, doseWords(x.Sets, x.Reps, x.HoldSeconds, e.Dose.Kind, x.Sides), minutesWords(x.Seconds))
		para(w, "    ", x.Why)
		for _, ch := range x.Changes {
			para(w, "    ! ", ch)
		}
	}
	printExcluded(a, p.Excluded)
	if len(p.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range p.Notes {
			para(w, "* ", n)
		}
	}
	fmt.Fprintln(w, "\n'backcoach exercise ID' shows the steps and a picture of each.")
	para(w, "", disclaimer())
}

// printExcluded lists what was left out: each safety reason with its own
// explanation, and the exercises that only do not fit today's places,
// equipment or stage grouped on one line each.
func printExcluded(a *app, excluded []backcoach.Exclusion) {
	if len(excluded) == 0 {
		return
	}
	w := a.stdout
	fmt.Fprintln(w, "\nLeft out today")
	groups := map[string][]string{}
	for _, x := range excluded {
		name := x.ID
		if e, err := a.catalog.Get(x.ID); err == nil {
			name = e.Name
		}
		switch x.Reason {
		case backcoach.ExcludeStage, backcoach.ExcludePlace, backcoach.ExcludeEquipment:
			groups[x.Reason] = append(groups[x.Reason], name)
		default:
			para(w, "  - ", name+": "+x.Detail)
		}
	}
	for _, g := range []struct{ reason, label string }{
		{backcoach.ExcludeStage, "Not gentle enough for today"},
		{backcoach.ExcludePlace, "Not for the places you chose"},
		{backcoach.ExcludeEquipment, "Needs equipment you did not list"},
	} {
		if names := groups[g.reason]; len(names) > 0 {
			para(w, "  - ", g.label+": "+strings.Join(names, ", ")+".")
		}
	}
}

func disclaimer() string { return triage.Disclaimer() }
