package tui

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// plainWidth is the width plain output is wrapped to.
const plainWidth = 78

// PlainOptions are what the line-by-line session runs with.
type PlainOptions struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Scale is how many session seconds pass in one real second (1 in use).
	Scale float64
	// Bell rings the terminal bell at the end of each hold (when the output
	// is a terminal).
	Bell bool
}

// plainSession runs a Guide line by line: every change is a new line,
// nothing is redrawn, so a screen reader reads it in order and a pipe
// records it. Commands are typed as a word or letter and Enter.
type plainSession struct {
	g     *guide.Guide
	out   io.Writer
	opt   PlainOptions
	shown guide.Phase
	// asked is the warning-sign question last printed.
	asked int
	err   error
}

// RunPlainSession runs the session on line-based input and output until it
// ends; the end of the input quits, keeping what was done. The guide holds
// the result.
func RunPlainSession(g *guide.Guide, in io.Reader, out io.Writer, opt PlainOptions) error {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	p := &plainSession{g: g, out: out, opt: opt, shown: -1, asked: -1}
	lines := readLines(in)
	tick := time.NewTicker(time.Duration(float64(time.Second) / opt.Scale))
	defer tick.Stop()
	g.Advance(opt.Now())
	p.intro()
	for !g.Phase().Ended() && p.err == nil {
		p.prompt()
		select {
		case line, ok := <-lines:
			if !ok {
				p.say("The input has ended: the session stops here and what was done is kept.")
				g.ConfirmQuit(opt.Now())
				break
			}
			p.command(strings.TrimSpace(line))
		case <-tick.C:
			p.events(g.Advance(opt.Now()))
		}
	}
	p.ending()
	return p.err
}

// readLines delivers the input's lines on a channel, closed at its end.
func readLines(in io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

func (p *plainSession) say(format string, args ...any) {
	if p.err != nil {
		return
	}
	text := fmt.Sprintf(format, args...)
	for _, l := range wrap(text, plainWidth, "  ") {
		if _, err := fmt.Fprintln(p.out, l); err != nil {
			p.err = err
			return
		}
	}
}

func (p *plainSession) intro() {
	p.say("Guided session: %d exercises. Commands are a letter and Enter: p pause or go on, s skip, b back, q quit, ! if pain spreads, you feel numbness or tingling, or you feel unwell.", len(p.g.Items()))
	p.say("%s", triage.Disclaimer())
}

// prompt asks what the phase needs, once each time the phase changes.
func (p *plainSession) prompt() {
	g := p.g
	if g.Phase() == guide.PhaseSymptoms {
		p.question()
	}
	if g.Phase() == p.shown {
		return
	}
	p.shown = g.Phase()
	switch g.Phase() {
	case guide.PhasePainBefore:
		p.say("How bad is your pain right now, from 0 (none) to 10 (worst imaginable)? Type a number and Enter.")
	case guide.PhasePainAfter:
		p.say("How bad is your pain now, after the session, from 0 to 10?")
	case guide.PhaseGate:
		gate := g.Gate()
		p.say("%s.", gate.Title)
		for _, l := range gate.Message {
			p.say("%s", l)
		}
		p.say("Press Enter to %s, or type q to leave.", acceptWords(gate.Mode))
	case guide.PhaseReady:
		p.describe(g.Index())
	case guide.PhaseSkipReason:
		p.say("Why skip %s? Type 1 too painful, 2 can't do it, 3 no equipment, 4 no time; or c to go back.", g.SkipTarget().Plan.Name)
	case guide.PhaseConfirmQuit:
		p.say("Quit now? What you have done is saved and 'backcoach session --resume' carries on later today. Type y to quit or n to go on.")
	case guide.PhaseSymptomAdvice:
		p.say("None of the warning signs. Pain spreading into an arm or leg, numbness or tingling, or feeling unwell is a reason to stop an exercise. If it has passed, press Enter to go on gently with the next exercise; if it stays or comes back, type e to end the session and contact a GP in the next few days.")
	}
}

// question prints the warning-sign question being asked, once.
func (p *plainSession) question() {
	if p.shown != guide.PhaseSymptoms {
		p.shown, p.asked = guide.PhaseSymptoms, -1
		p.say("The exercise has stopped. Warning-sign questions follow, the most urgent first; answer y or n. If you feel very unwell right now, call the emergency number.")
	}
	f, i, n := p.g.Question()
	if i == p.asked {
		return
	}
	p.asked = i
	p.say("Question %d of %d: %s [y/n]", i+1, n, f.Question)
}

// describe prints an exercise in full before it starts.
func (p *plainSession) describe(i int) {
	it := p.g.Items()[i]
	e := it.Exercise
	p.say("")
	p.say("Exercise %d of %d: %s. %s", i+1, len(p.g.Items()), it.Plan.Name, e.Purpose)
	for n, s := range e.Steps {
		p.say("Step %d: %s", n+1, s)
	}
	p.say("Dose: %s; %s.", doseWords(it.Plan, e.Dose.Kind), it.Plan.Tempo)
	for _, c := range it.Plan.Changes {
		p.say("Today: %s", c)
	}
	p.say("Breathing: %s", e.Breathing)
	p.say("Stop if %s.", strings.Join(p.g.StopIf(it), "; "))
	p.say("Press Enter to start, or s to skip, b to go back, q to quit.")
}

// command acts on one typed line.
func (p *plainSession) command(line string) {
	g, now := p.g, p.opt.Now()
	cmd := strings.ToLower(line)
	if cmd == "!" && g.Phase() != guide.PhaseSymptoms {
		p.events(g.Symptoms(now))
		return
	}
	switch g.Phase() {
	case guide.PhasePainBefore, guide.PhasePainAfter:
		p.pain(cmd, now)
	case guide.PhaseGate:
		switch cmd {
		case "":
			p.events(g.Accept(now))
		case "q":
			p.events(g.Decline(now))
		default:
			p.say("Press Enter to %s, or type q to leave.", acceptWords(g.Gate().Mode))
		}
	case guide.PhaseReady:
		p.events(p.readyCommand(cmd, now))
	case guide.PhaseWork, guide.PhaseSwitch, guide.PhaseRest:
		p.events(p.timerCommand(cmd, now))
	case guide.PhaseSkipReason:
		p.skipCommand(cmd, now)
	case guide.PhaseConfirmQuit:
		p.yesNo(cmd, func() { g.ConfirmQuit(now) }, func() { g.Cancel(now); p.shown = g.Phase() })
	case guide.PhaseSymptoms:
		p.yesNo(cmd, func() { g.Answer(true, now) }, func() { g.Answer(false, now) })
	case guide.PhaseSymptomAdvice:
		switch cmd {
		case "":
			p.events(g.GoOn(now))
		case "e":
			p.events(g.EndEarly(now))
		default:
			p.say("Press Enter to go on, or type e to end the session.")
		}
	}
}

func (p *plainSession) pain(cmd string, now time.Time) {
	if cmd == "q" {
		p.events(p.g.Quit(now))
		return
	}
	n, err := strconv.Atoi(cmd)
	if err != nil || n < 0 || n > 10 {
		p.say("Please type a whole number from 0 to 10.")
		return
	}
	var events []guide.Event
	if p.g.Phase() == guide.PhasePainBefore {
		events, err = p.g.SetPainBefore(n, now)
	} else {
		events, err = p.g.SetPainAfter(n, now)
	}
	if err != nil {
		p.say("%s", err.Error())
		return
	}
	p.events(events)
}

func (p *plainSession) readyCommand(cmd string, now time.Time) []guide.Event {
	switch cmd {
	case "":
		return p.g.Begin(now)
	case "s":
		return p.g.Skip(now)
	case "b":
		p.shown = -1
		return p.g.Back(now)
	case "q":
		return p.g.Quit(now)
	}
	p.say("Press Enter to start, or type s, b, q or !.")
	return nil
}

func (p *plainSession) timerCommand(cmd string, now time.Time) []guide.Event {
	g := p.g
	switch cmd {
	case "p", "":
		if cmd == "" && g.Phase() == guide.PhaseRest {
			return g.SkipRest(now)
		}
		events := g.TogglePause(now)
		if g.Paused() {
			p.say("Paused at %s. Type p and Enter to go on.", clock(g.Left()))
		} else {
			p.say("Going on: %s left.", clock(g.Left()))
		}
		return events
	case "s":
		return g.Skip(now)
	case "b":
		p.shown = -1
		return g.Back(now)
	case "q":
		return g.Quit(now)
	}
	p.say("Type p to pause or go on, s to skip, b to go back, q to quit, or ! to stop for symptoms.")
	return nil
}

func (p *plainSession) skipCommand(cmd string, now time.Time) {
	if cmd == "c" || cmd == "" {
		p.g.Cancel(now)
		p.shown = p.g.Phase() // back where it was; no need to describe it again
		return
	}
	n, err := strconv.Atoi(cmd)
	if err != nil || n < 1 || n > len(guide.SkipReasons) {
		p.say("Type a number from 1 to %d, or c to go back.", len(guide.SkipReasons))
		return
	}
	events, _ := p.g.SkipBecause(guide.SkipReasons[n-1], now)
	p.events(events)
}

func (p *plainSession) yesNo(cmd string, yes, no func()) {
	switch cmd {
	case "y", "yes":
		yes()
	case "n", "no":
		no()
	default:
		p.say("Please answer y or n.")
	}
}

// events says what happened on the way, one line each.
func (p *plainSession) events(events []guide.Event) {
	for _, e := range events {
		p.event(e)
	}
}

func (p *plainSession) event(e guide.Event) {
	s := e.Segment
	switch e.Kind {
	case guide.EventSegment:
		p.segment(s)
	case guide.EventRep:
		if e.Rep == 1 {
			p.say("Repetition 1 of %d. %s", s.Reps, p.g.Items()[e.Item].Exercise.Breathing)
		} else {
			p.say("Repetition %d of %d.", e.Rep, s.Reps)
		}
	case guide.EventTenLeft:
		p.say("10 seconds left.")
	case guide.EventBell:
		bell := ""
		if p.opt.Bell {
			bell = "\a"
		}
		p.say("%sDone.", bell)
	case guide.EventRest:
		if next, ok := p.g.Next(); ok {
			p.say("Rest for %d seconds. Next: %s. Press Enter to go on now.", int(guide.RestTime/time.Second), next.Plan.Name)
		}
	}
}

func (p *plainSession) segment(s guide.Segment) {
	where := strings.TrimPrefix(roundWords(s), " · ")
	if where != "" {
		where = " (" + where + ")"
	}
	switch {
	case s.Kind == guide.SegmentTransition:
		p.say("%s: %d seconds%s.", s.Label, int(s.Duration/time.Second), where)
	case s.Dose == backcoach.DoseReps:
		p.say("Go: %d slow repetitions, about %s each%s.", s.Reps, minutes(s.PerRep), where)
	case s.Dose == backcoach.DoseTimed:
		p.say("Keep moving for %d seconds%s.", int(s.Duration/time.Second), where)
	default:
		p.say("Hold for %d seconds%s.", int(s.Duration/time.Second), where)
	}
}

// ending says how the session ended.
func (p *plainSession) ending() {
	g := p.g
	switch g.Phase() {
	case guide.PhaseSummary:
		end := g.Ending()
		if end.Congratulate {
			p.say("%s.", end.Title)
		}
		p.say("Session finished: %s", g.Summary().Line())
		for _, l := range end.Lines {
			p.say("%s", l)
		}
	case guide.PhaseStopped:
		res := g.Result()
		p.say("%s", strings.ToUpper(triage.LevelOf(res.Urgency).Title))
		for _, a := range res.Advice {
			p.say("- %s", a)
		}
		p.say("The session has ended and is saved.")
	case guide.PhaseQuit:
		if _, ok := g.Record(); ok && g.CanResume() {
			p.say("Session left before its end; what was done is saved. 'backcoach session --resume' carries on later today.")
		} else if ok {
			p.say("Session saved: %s", g.Summary().Line())
		} else if g.Gate().Mode == planner.GateNone {
			p.say("No session today; nothing was saved.")
		}
	}
	p.say("%s", triage.Disclaimer())
}
