package tui

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// MaxTries is how often a line-by-line question is asked again after
// unusable answers.
const MaxTries = 5

// AskLine asks one question on a line-based terminal: show prints it, then
// answers are read until parse accepts one, each refusal printed under it.
// Input that ends, or MaxTries unusable answers, is an EINVALID error on
// field saying that the what (e.g. "the check-in") was not completed and
// nothing was saved. The command line's assessment and the plain check-in
// both ask through it.
func AskLine(in *bufio.Scanner, out io.Writer, field, what string, show func(), parse func(string) error) error {
	for try := 0; try < MaxTries; try++ {
		show()
		if !in.Scan() {
			return backcoach.Invalid(field, "the input ended before %s was complete; nothing was saved", what)
		}
		err := parse(strings.TrimSpace(in.Text()))
		if err == nil {
			return nil
		}
		fmt.Fprintln(out, "  "+err.Error())
	}
	return backcoach.Invalid(field, "no usable answer after %d tries; nothing was saved", MaxTries)
}

// lineAsker asks questions one line at a time.
type lineAsker struct {
	in  *bufio.Scanner
	out io.Writer
}

// ask prints a question and reads answers until parse accepts one.
func (q *lineAsker) ask(question string, parse func(string) error) error {
	return AskLine(q.in, q.out, "input", "the check-in", func() {
		for _, l := range wrap(question, plainWidth, "  ") {
			fmt.Fprintln(q.out, l)
		}
	}, parse)
}

func (q *lineAsker) score(question string) (int, error) {
	var v int
	err := q.ask(question+" [0–10]", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 10 {
			return fmt.Errorf("please type a whole number from 0 to 10")
		}
		v = n
		return nil
	})
	return v, err
}

func (q *lineAsker) yesNo(question string) (bool, error) {
	var v bool
	err := q.ask(question+" [y/n]", func(s string) error {
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

// picks asks for one or more of n numbered options.
func (q *lineAsker) picks(question string, n int) ([]int, error) {
	var out []int
	err := q.ask(question, func(s string) error {
		out = out[:0]
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			i, err := strconv.Atoi(f)
			if err != nil || i < 1 || i > n {
				return fmt.Errorf("%q is not one of 1 to %d", f, n)
			}
			out = append(out, i-1)
		}
		if len(out) == 0 {
			return fmt.Errorf("type at least one number from 1 to %d", n)
		}
		return nil
	})
	return out, err
}

// RunPlainCheckin asks the check-in line by line: pain now, the warning
// signs when not yet asked today, a note and the weekly PEG when due.
func RunPlainCheckin(in io.Reader, out io.Writer, opt CheckinOptions) (Checkin, error) {
	q := &lineAsker{in: bufio.NewScanner(in), out: out}
	var c Checkin
	fmt.Fprintln(out, "Daily check-in. "+triage.Disclaimer())
	var err error
	if c.Pain, err = q.score("How bad is your pain right now, from 0 (none) to 10 (worst imaginable)?"); err != nil {
		return c, err
	}
	if opt.AskFlags {
		if err := plainFlags(q, &c); err != nil || c.Result != nil {
			return c, err
		}
	}
	if err := q.ask("A note for today? (Enter for none)", func(s string) error { c.Note = s; return nil }); err != nil {
		return c, err
	}
	if opt.AskPEG {
		fmt.Fprintln(out, "The weekly questions:")
		for i, text := range PEGQuestions() {
			v, err := q.score(text)
			if err != nil {
				return c, err
			}
			c.setPEG(i, v)
		}
	}
	return c, nil
}

// plainFlags asks "any of these warning signs?" over each level's list,
// emergency signs first; an emergency sign stops the questions at once.
func plainFlags(q *lineAsker, c *Checkin) error {
	var ids []string
	for i, level := range flagPages {
		flags := checkinFlagsAt(level)
		intro := "Do you have any of these warning signs?"
		if i > 0 {
			intro = "And any of these?"
		}
		fmt.Fprintln(q.out, intro)
		for n, f := range flags {
			for _, l := range prefixed(fmt.Sprintf("  %d. ", n+1), f.Question, plainWidth) {
				fmt.Fprintln(q.out, l)
			}
		}
		yes, err := q.yesNo("Any of these?")
		if err != nil {
			return err
		}
		if !yes {
			continue
		}
		picks, err := q.picks("Which ones? Type their numbers, separated by spaces.", len(flags))
		if err != nil {
			return err
		}
		for _, p := range picks {
			ids = append(ids, flags[p].ID)
		}
		if level == backcoach.UrgencyEmergency {
			break
		}
	}
	c.setFlags(dedupe(ids))
	if c.Result != nil {
		WriteWarning(q.out, *c.Result)
	}
	return nil
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// WriteWarning says, line by line, what warning signs mean and what to do.
func WriteWarning(w io.Writer, res backcoach.Result) {
	level := triage.LevelOf(res.Urgency)
	fmt.Fprintln(w, strings.ToUpper(level.Title))
	for _, a := range res.Advice {
		for _, l := range prefixed("- ", a, plainWidth) {
			fmt.Fprintln(w, l)
		}
	}
	fmt.Fprintln(w, triage.Disclaimer())
}
