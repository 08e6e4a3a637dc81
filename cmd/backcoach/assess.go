package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/triage"
	"github.com/backcoach/backcoach/tui"
)

// assessCmd runs the assessment: interactively, or from an answers document.
type assessCmd struct {
	Answers string `placeholder:"FILE|-" help:"Read the answers document (assessment.md) from FILE, or - for standard input, instead of asking."`
	JSON    bool   `name:"json" help:"Print the result as JSON."`
	NoSave  bool   `help:"Do not keep the assessment in your history."`
	Plain   bool   `help:"Line by line, one question a line, without redrawing the screen: for screen readers and pipes."`
}

func (c *assessCmd) Run(a *app) error {
	if c.Answers == "" {
		return c.interactive(a)
	}
	ans, err := readAnswers(a, c.Answers)
	if err != nil {
		return err
	}
	res := triage.Assess(&ans)
	if !c.NoSave {
		if res, _, _, err = a.assessAndPlan(ans, "", false); err != nil {
			return err
		}
	}
	if c.JSON {
		return writeJSON(a.stdout, res)
	}
	printResult(a, res)
	return nil
}

// interactive asks the questions: the warning signs first, so that an
// emergency stops everything at once. On a terminal the signs are two
// checklists on a full screen; with --plain, or without a terminal, they
// are asked one a line. The questions after them are asked a line each.
func (c *assessCmd) interactive(a *app) error {
	q := &asker{in: bufio.NewScanner(a.stdin), out: a.stdout}
	w := a.stdout
	var ans backcoach.Answers
	ans.Flags = []string{}
	var emergency bool
	var err error
	if a.fullScreen(c.Plain) {
		var ok bool
		ans.Flags, emergency, ok, err = c.signsChecklist(a)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(w, "Safety check cancelled; nothing was saved.")
			return nil
		}
		fmt.Fprintln(w, "Upper back pain check")
		para(w, "", disclaimer())
	} else {
		fmt.Fprintln(w, "Upper back pain check")
		para(w, "", "First, some questions about warning signs that need a doctor rather than exercise. Answer y (yes) or n (no).")
		para(w, "", disclaimer())
		if emergency, err = askWarningSigns(q, &ans); err != nil {
			return err
		}
	}
	if len(ans.Flags) > 0 {
		stop, err := c.stopAtSigns(a, ans.Flags, emergency)
		if err != nil || stop {
			return err
		}
	}
	fmt.Fprintln(w, "\nNo warning signs that stop exercise. Now a few questions about the pain itself.")
	if err := c.askPain(q, &ans); err != nil {
		return err
	}
	if err := triage.Validate(&ans); err != nil {
		return err
	}
	res := triage.Assess(&ans)
	if !c.NoSave {
		if res, _, _, err = a.assessAndPlan(ans, "", false); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	printResult(a, res)
	if !res.ExerciseAllowed {
		return nil
	}
	more, err := q.yesNo("Build today's routine now?")
	if err != nil || !more {
		return err
	}
	res, p, _, err := a.buildPlan(ans, res, a.now().Format(time.DateOnly), !c.NoSave)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	printPlan(a, res, p) // the plan's notes say why the dose changed, when it did
	return nil
}

// signsChecklist asks the warning signs as two checklists on a full
// screen, with the history signs a clinician has cleared marked so. It
// returns the signs ticked, whether an emergency sign cut the check
// short, and false when the person cancelled.
func (c *assessCmd) signsChecklist(a *app) ([]string, bool, bool, error) {
	var cleared []string
	if !c.NoSave {
		err := a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
			d, err := co.Day(a.ctx, me.ID)
			if err == nil {
				cleared = d.Standing.ClearedHistory()
			}
			return err
		})
		if err != nil {
			return nil, false, false, err
		}
	}
	m := tui.NewSignsModel(tui.SignsOptions{Color: a.color, Cleared: cleared})
	if err := a.runProgram(m); err != nil {
		return nil, false, false, err
	}
	flags, emergency, ok := m.Answers()
	return flags, emergency, ok, nil
}

// stopAtSigns keeps the warning signs of a check cut short in the safety
// record (unless --no-save) and says what to do; it reports whether the
// questions stop here. History signs a clinician has cleared do not stop
// them.
func (c *assessCmd) stopAtSigns(a *app, flags []string, emergency bool) (bool, error) {
	if c.NoSave {
		printResult(a, triage.Assess(&backcoach.Answers{Flags: flags}))
		return true, nil
	}
	var refusal *coach.Refusal
	err := a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
		sg, err := co.RecordSigns(a.ctx, me.ID, flags, backcoach.ScreenAssessment, backcoach.ViaTerminal, !emergency)
		if err == nil {
			refusal = sg.Refusal
		}
		return err
	})
	if err != nil || refusal == nil {
		return false, err
	}
	printRefusal(a, refusal)
	return true, nil
}

// askPain asks everything after the warning signs. The questions and the
// words of their answers are the assessment's data (triage.Ask); only the
// order and the ranges are here.
func (c *assessCmd) askPain(q *asker, ans *backcoach.Answers) error {
	var err error
	steps := []func(){
		func() { ans.Age, err = q.number(triage.Ask("age").Prompt(), 12, 120) },
		func() { ans.PainNow, err = q.number(triage.Ask("pain_now").Prompt(), 0, 10) },
		func() {
			if triage.NRSStage(ans.PainNow) == backcoach.StageHigh {
				return // 7 to 10 is high whatever the description (docs/clinical.md §2)
			}
			var id string
			id, err = q.pickOne("stage_description", true)
			ans.StageDescription = backcoach.Stage(id)
		},
		func() {
			var weeks int
			weeks, err = q.number(triage.Ask("weeks").Prompt(), 0, 5200)
			ans.Weeks = float64(weeks)
		},
		func() {
			var id string
			id, err = q.pickOne("trend", false)
			ans.Trend = backcoach.Trend(id)
		},
		func() { ans.ClinicianAssessed, err = q.yesNo(triage.Ask("clinician_assessed").Prompt()) },
		func() {
			var ids []string
			ids, err = q.pickSeveral("conditions")
			ans.Conditions = toIDs[backcoach.Condition](ids)
		},
		func() {
			var ids []string
			ids, err = q.pickSeveral("causes")
			ans.Causes = toIDs[backcoach.Cause](ids)
		},
		func() {
			var ctx backcoach.Context
			ctx.Minutes, err = q.numberDefault(triage.Ask("context.minutes").Prompt(), 1, 60, backcoach.DefaultMinutes)
			if err != nil {
				return
			}
			var ids []string
			ids, err = q.pickSeveral("context.places")
			ctx.Places = toIDs[backcoach.Place](ids)
			if len(ctx.Places) == 0 {
				ctx.Places = append([]backcoach.Place(nil), backcoach.Places...)
			}
			if err != nil {
				return
			}
			ids, err = q.pickSeveral("context.equipment")
			ctx.Equipment = append([]backcoach.Equipment{}, toIDs[backcoach.Equipment](ids)...)
			ans.Context = &ctx
		},
	}
	for _, step := range steps {
		step()
		if err != nil {
			return err
		}
	}
	return nil
}

// pickOne asks for one of the choices of an answers field's question and
// returns its id; "" when optional and skipped.
func (q *asker) pickOne(field string, optional bool) (string, error) {
	question := triage.Ask(field)
	choices := question.Choices()
	i, err := q.choice(question.Prompt(), choiceWords(choices), optional)
	if i < 0 {
		return "", err
	}
	return choices[i].ID, err
}

// pickSeveral asks for any of the choices of an answers field's question
// and returns their ids.
func (q *asker) pickSeveral(field string) ([]string, error) {
	question := triage.Ask(field)
	choices := question.Choices()
	picks, err := q.several(question.Prompt(), choiceWords(choices))
	var ids []string
	for _, i := range picks {
		ids = append(ids, choices[i].ID)
	}
	return ids, err
}

// choiceWords is how each choice is listed: its label, and its help when
// it has one.
func choiceWords(choices []triage.Option) []string {
	out := make([]string, len(choices))
	for i, o := range choices {
		out[i] = o.Label
		if o.Help != "" {
			out[i] += ": " + o.Help
		}
	}
	return out
}

func toIDs[T ~string](list []string) []T {
	if list == nil {
		return nil
	}
	out := make([]T, len(list))
	for i, s := range list {
		out[i] = T(s)
	}
	return out
}

// asker asks questions on a line-based terminal. It works the same when
// the answers are piped in, and re-asks on an answer it cannot use.
type asker struct {
	in  *bufio.Scanner
	out io.Writer
}

func (q *asker) ask(question, hint string, parse func(string) error) error {
	// The prompt stays on the answer's line; when the input ends there,
	// the line is finished before the error is printed.
	pending := false
	err := tui.AskLine(q.in, q.out, "answers", "the assessment", func() {
		fmt.Fprintf(q.out, "\n%s %s ", wrap(question, lineWidth-len(hint)-2, ""), hint)
		pending = true
	}, func(s string) error {
		pending = false
		return parse(s)
	})
	if pending {
		fmt.Fprintln(q.out)
	}
	return err
}

func (q *asker) yesNo(question string) (bool, error) {
	var v bool
	err := q.ask(question, "[y/n]", func(s string) error {
		switch strings.ToLower(s) {
		case "y", "yes":
			v = true
		case "n", "no":
			v = false
		default:
			return fmt.Errorf("please answer y or n")
		}
		return nil
	})
	return v, err
}

func (q *asker) number(question string, lo, hi int) (int, error) {
	return q.numberDefault(question, lo, hi, -1)
}

// numberDefault asks for a whole number in [lo, hi]; an empty answer takes
// def when def is in range.
func (q *asker) numberDefault(question string, lo, hi, def int) (int, error) {
	hint := fmt.Sprintf("[%d–%d]", lo, hi)
	if def >= lo {
		hint = fmt.Sprintf("[%d–%d, Enter for %d]", lo, hi, def)
	}
	var v int
	err := q.ask(question, hint, func(s string) error {
		if s == "" && def >= lo {
			v = def
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("please type a whole number from %d to %d", lo, hi)
		}
		v = n
		return nil
	})
	return v, err
}

// choice asks for one option by number; optional allows Enter to skip (-1).
func (q *asker) choice(question string, options []string, optional bool) (int, error) {
	q.list(question, options)
	hint := fmt.Sprintf("[1–%d]", len(options))
	if optional {
		hint = fmt.Sprintf("[1–%d, Enter to skip]", len(options))
	}
	v := -1
	err := q.ask("Your choice:", hint, func(s string) error {
		if s == "" && optional {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(options) {
			return fmt.Errorf("please type a number from 1 to %d", len(options))
		}
		v = n - 1
		return nil
	})
	return v, err
}

// several asks for any number of options, as numbers separated by spaces or
// commas; Enter means none.
func (q *asker) several(question string, options []string) ([]int, error) {
	q.list(question, options)
	var picks []int
	err := q.ask("Numbers separated by spaces:", "[Enter for none]", func(s string) error {
		picks = picks[:0]
		seen := map[int]bool{}
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > len(options) {
				return fmt.Errorf("%q is not one of 1 to %d", f, len(options))
			}
			if !seen[n] {
				picks = append(picks, n-1)
				seen[n] = true
			}
		}
		return nil
	})
	return picks, err
}

func (q *asker) list(question string, options []string) {
	fmt.Fprintf(q.out, "\n%s\n", wrap(question, lineWidth, ""))
	for i, o := range options {
		fmt.Fprintf(q.out, "  %d. %s\n", i+1, wrap(o, lineWidth-5, "     "))
	}
}

// printResult writes an assessment result for a person to read.
func printResult(a *app, res backcoach.Result) {
	w := a.stdout
	level := triage.LevelOf(res.Urgency)
	bar := strings.Repeat("=", lineWidth)
	if res.Urgency == backcoach.UrgencyEmergency || res.Urgency == backcoach.UrgencyUrgent {
		fmt.Fprintln(w, "\n"+bar)
		fmt.Fprintln(w, strings.ToUpper(level.Title))
		fmt.Fprintln(w, bar)
	} else {
		fmt.Fprintf(w, "Result: %s\n", level.Title)
	}
	if res.Stage != backcoach.StageNone || res.ExerciseAllowed {
		fmt.Fprintf(w, "Pain stage: %s.", res.Stage)
		if res.PEGScore != nil {
			fmt.Fprintf(w, " PEG score: %.1f of 10.", *res.PEGScore)
		}
		fmt.Fprintln(w)
	}
	for _, s := range res.Advice {
		para(w, "- ", s)
	}
	if !res.ExerciseAllowed {
		para(w, "", "No exercises are offered until a doctor has assessed you.")
	}
	if len(res.Sources) > 0 {
		fmt.Fprintln(w, "Sources: "+wrap(strings.Join(res.Sources, "; "), lineWidth-9, "         "))
	}
	para(w, "", disclaimer())
}
