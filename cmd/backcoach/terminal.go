package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/termpic"
	"github.com/backcoach/backcoach/triage"
	"github.com/backcoach/backcoach/tui"
)

// terminalCmds are the terminal's guided session, check-in and diary.
type terminalCmds struct {
	Session sessionCmd `cmd:"" help:"Do today's routine, guided step by step: pictures, timers, pain before and after."`
	Checkin checkinCmd `cmd:"" help:"Record how your back is today: pain, warning signs, a note and the weekly questions."`
	Log     logCmd     `cmd:"" help:"Record pain without questions, for scripts: backcoach log --pain 3."`
	Diary   diaryCmd   `cmd:"" help:"Show your pain over 7, 30 or 90 days, with sessions, and what the changes mean."`
	Safety  safetyCmd  `cmd:"" help:"Your safety record: warning signs answered, and the clinician's check that lifts them."`
}

// timeScaleEnv speeds a session's clock up for end-to-end tests only.
const timeScaleEnv = "BACKCOACH_TIME_SCALE"

// Limits of the test-only time scale.
const (
	minTimeScale = 1
	maxTimeScale = 1000
)

// renderFPS caps the screen's redraws: enough for a countdown, few enough
// that an idle screen costs next to nothing.
const renderFPS = 10

// terminalData is what the terminal commands work on: the open store, the
// local person and their time zone.
type terminalData struct {
	st      *store.Store
	coach   *coach.Coach
	person  string
	profile *backcoach.Profile
	loc     *time.Location
}

// openTerminalData opens the store (see openStore) and finds the local
// person and their time zone.
func (a *app) openTerminalData() (*terminalData, error) {
	st, err := a.openStore()
	if err != nil {
		return nil, err
	}
	p, err := a.localPerson(st)
	if err != nil {
		st.Close()
		return nil, err
	}
	prof, err := st.Profile(a.ctx, p.ID)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &terminalData{st: st, coach: coach.New(st, a.catalog, a.now), person: p.ID, profile: prof, loc: prof.Location()}, nil
}

// localPerson returns the local account (see app.localPerson) for code
// that has a store but no app, such as tests that check what a command
// saved.
func localPerson(ctx context.Context, st *store.Store) (*backcoach.Person, error) {
	return (&app{ctx: ctx}).localPerson(st)
}

// startOfDay returns midnight of t's day in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time { return coach.StartOfDay(t, loc) }

// stdoutIsTerminal reports whether the output is a terminal a screen can
// be drawn on.
func (a *app) stdoutIsTerminal() bool {
	f, ok := a.stdout.(*os.File)
	return ok && isTerminal(f)
}

// fullScreen reports whether a command may draw a full-screen view rather
// than the line-by-line mode.
func (a *app) fullScreen(plain bool) bool {
	return !plain && a.interactive && a.stdoutIsTerminal()
}

// runProgram runs a Bubble Tea model on the app's streams.
func (a *app) runProgram(m tea.Model) error {
	p := tea.NewProgram(m, tea.WithContext(a.ctx), tea.WithInput(a.stdin), tea.WithOutput(a.stdout), tea.WithFPS(renderFPS))
	_, err := p.Run()
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		return nil // the model holds what was done; the caller saves it
	}
	return err
}

// lineReader hands out its input at most one line per Read, so that a
// line-based question can read from standard input without taking in
// what is typed for the next part.
type lineReader struct{ r io.Reader }

func (l lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := l.r.Read(p[n : n+1])
		n += m
		if err != nil || (m == 1 && p[n-1] == '\n') {
			return n, err
		}
	}
	return n, nil
}

// sessionCmd runs the guided session.
type sessionCmd struct {
	Plain     bool    `help:"Line by line, without redrawing the screen: for screen readers and pipes."`
	Resume    bool    `help:"Carry on with today's unfinished session."`
	TimeScale float64 `name:"time-scale" hidden:"" env:"BACKCOACH_TIME_SCALE" default:"1" help:"Test only: session seconds per real second."`
}

func (c *sessionCmd) Run(a *app) error {
	if c.TimeScale < minTimeScale || c.TimeScale > maxTimeScale {
		return backcoach.Invalid("--time-scale", "must be from %d to %d, got %v", minTimeScale, maxTimeScale, c.TimeScale)
	}
	d, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer d.st.Close()
	plan, change, err := c.todaysPlan(a, d, bufio.NewScanner(lineReader{a.stdin}))
	if err != nil || (plan == nil && !c.Resume) {
		return err
	}
	now := scaledClock(a.now, c.TimeScale)
	g, prior, notices, err := c.guide(a, d, plan, change, now())
	if err != nil {
		return err
	}
	day, err := d.coach.Day(a.ctx, d.person)
	if err != nil {
		return err
	}
	g.SetHistory(day.Standing.Cleared)
	full := a.fullScreen(c.Plain)
	if full {
		err = a.runProgram(tui.NewSessionModel(g, tui.SessionOptions{Now: now, Scale: c.TimeScale, Color: a.color, Picture: a.picture, Notices: notices}))
	} else {
		for _, n := range notices {
			para(a.stdout, "", n)
		}
		err = tui.RunPlainSession(g, lineReader{a.stdin}, a.stdout, tui.PlainOptions{Now: now, Scale: c.TimeScale, Bell: a.stdoutIsTerminal()})
	}
	if serr := saveSession(a, d, g, plan, prior); serr != nil {
		return serr
	}
	if err != nil {
		return err
	}
	if full {
		printSessionEnd(a, g)
	}
	return nil
}

// scaledClock runs a clock scale times faster from now on.
func scaledClock(now func() time.Time, scale float64) func() time.Time {
	if scale == 1 {
		return now
	}
	start := now()
	return func() time.Time {
		return start.Add(time.Duration(float64(now().Sub(start)) * scale))
	}
}

// picture draws an exercise's illustration for the session screen.
func (a *app) picture(id string, w, h int) (string, error) {
	svg, err := a.catalog.SVG(id)
	if err != nil {
		return "", err
	}
	return termpic.Render(svg, termpic.Options{Width: w, Height: h, Color: a.color, Props: true})
}

// todaysPlan returns the plan the session follows: today's plan from the
// coach, which keeps one per day and dose level. It asks the assessment
// again first when there is none or the last is more than a week old, and
// returns nil, having said why, while the safety record bars exercise.
// change says why the dose level changed today, if it did.
//
// With --resume nothing is asked again and no plan is made (the session
// goes on with its own plan), but the same refusals apply.
func (c *sessionCmd) todaysPlan(a *app, d *terminalData, in *bufio.Scanner) (plan *backcoach.SavedPlan, change string, err error) {
	day, verdict, err := d.coach.MayExercise(a.ctx, d.person)
	if err != nil {
		return nil, "", err
	}
	if verdict.Refusal != nil {
		return nil, "", refuse(a, verdict.Refusal)
	}
	if verdict.NeedsAssessment && !(c.Resume && day.Latest != nil) {
		ok, err := reassess(a, d, in, day.Latest)
		if err != nil || !ok {
			return nil, "", err
		}
	}
	if c.Resume {
		return nil, "", nil
	}
	p, err := d.coach.Plan(a.ctx, d.person, coach.PlanRequest{})
	if r := coach.Refused(err); r != nil {
		return nil, "", refuse(a, r)
	}
	if err != nil {
		return nil, "", err
	}
	if len(p.Plan.Plan.Exercises) == 0 {
		for _, n := range p.Plan.Plan.Notes {
			para(a.stdout, "- ", n)
		}
		return nil, "", backcoach.Invalid("plan", "no exercise fits today's places, equipment and time; run 'backcoach assess' and choose more minutes, places or equipment")
	}
	if p.Progression.Change != 0 {
		change = p.Progression.Reason
	}
	return p.Plan, change, nil
}

// refuse says why the session does not start, what to do now, and how
// the refusal is lifted.
func refuse(a *app, r *coach.Refusal) error {
	para(a.stdout, "", "The guided session does not start.")
	printRefusal(a, r)
	return errSilent{status: exitBadInput}
}

// printRefusal says a refusal for the terminal: what to do, the signs
// answered with when and where, and how it is lifted. The emergency screen
// ends with what to do now.
func printRefusal(a *app, r *coach.Refusal) {
	w := a.stdout
	bar := strings.Repeat("=", lineWidth)
	fmt.Fprintln(w, bar)
	fmt.Fprintln(w, strings.ToUpper(r.Title))
	fmt.Fprintln(w, bar)
	emergency := r.Urgency == backcoach.UrgencyEmergency
	if emergency {
		para(w, "", disclaimer())
	} else {
		for _, s := range r.Advice {
			para(w, "- ", s)
		}
	}
	fmt.Fprintln(w, "You answered yes to:")
	for _, s := range r.Signs {
		cleared := ""
		if s.Cleared {
			cleared = "; a clinician's check is recorded"
		}
		para(w, "  * ", fmt.Sprintf("%s (%s, %s%s)", s.Words, s.Where, s.When, cleared))
	}
	para(w, "", "No exercises until then. "+r.Lift)
	if emergency {
		for _, s := range r.Advice {
			para(w, "- ", s)
		}
		return
	}
	para(w, "", "When a clinician has checked you: backcoach safety clear --by gp|physiotherapist|emergency_team --on YYYY-MM-DD, then backcoach checkin.")
	para(w, "", disclaimer())
}

// reassess asks the assessment again, line by line, before a session: the
// warning signs first, then the pain. It keeps what was answered through
// the coach (the signs of a check cut short go into the safety record) and
// reports whether a session may go on.
func reassess(a *app, d *terminalData, in *bufio.Scanner, last *backcoach.SavedAssessment) (bool, error) {
	w := a.stdout
	if last == nil {
		para(w, "", "Before the first session, a short check that exercise is safe for you.")
	} else {
		para(w, "", "Your last check is more than a week old. Before today's session, the questions again.")
	}
	para(w, "", disclaimer())
	q := &asker{in: in, out: w}
	ans := backcoach.Answers{Flags: []string{}}
	emergency, err := askWarningSigns(q, &ans)
	if err != nil {
		return false, err
	}
	if len(ans.Flags) > 0 {
		sg, err := d.coach.RecordSigns(a.ctx, d.person, ans.Flags, backcoach.ScreenAssessment, backcoach.ViaTerminal, !emergency)
		if err != nil {
			return false, err
		}
		if sg.Refusal != nil {
			printRefusal(a, sg.Refusal)
			return false, errSilent{status: exitBadInput}
		}
	}
	fmt.Fprintln(w, "\nNo warning signs that stop exercise. Now a few questions about the pain itself.")
	if err := (&assessCmd{}).askPain(q, &ans); err != nil {
		return false, err
	}
	out, err := d.coach.Assess(a.ctx, d.person, &ans, backcoach.ViaTerminal)
	if err != nil {
		return false, err
	}
	fmt.Fprintln(w)
	printResult(a, out.Assessment.Result)
	d.profile = out.Day.Profile // the assessment may have told new places or equipment
	if r := out.Day.Refusal(); r != nil {
		return false, errSilent{status: exitBadInput}
	}
	return out.Assessment.Result.ExerciseAllowed, nil
}

// askWarningSigns asks the emergency signs, stopping at the first yes, then
// the urgent ones; it reports whether an emergency sign cut it short.
func askWarningSigns(q *asker, ans *backcoach.Answers) (emergency bool, err error) {
	for _, f := range triage.FlagsAt(backcoach.UrgencyEmergency) {
		yes, err := q.yesNo(f.Question)
		if err != nil {
			return false, err
		}
		if yes {
			ans.Flags = append(ans.Flags, f.ID)
			return true, nil
		}
	}
	for _, f := range triage.FlagsAt(backcoach.UrgencyUrgent) {
		yes, err := q.yesNo(f.Question)
		if err != nil {
			return false, err
		}
		if yes {
			ans.Flags = append(ans.Flags, f.ID)
		}
	}
	return false, nil
}

// guide makes the session's state: a new session over the plan, or with
// --resume the unfinished one of today. It also returns the unfinished
// session a resume replaces, and the notices for the first screen: why
// the dose changed (change), the dose level, an unfinished session.
func (c *sessionCmd) guide(a *app, d *terminalData, plan *backcoach.SavedPlan, change string, now time.Time) (*guide.Guide, *backcoach.Session, []string, error) {
	partial, partialPlan, err := unfinishedSession(a, d)
	if err != nil {
		return nil, nil, nil, err
	}
	if c.Resume {
		if partial == nil {
			return nil, nil, nil, backcoach.Invalid("--resume", "there is no unfinished session from today to resume; start one with 'backcoach session'")
		}
		g, err := guide.Resume(partialPlan.Plan, a.catalog, partial, now)
		return g, partial, nil, err
	}
	g, err := guide.New(plan.Plan, a.catalog)
	if err != nil {
		return nil, nil, nil, err
	}
	var notices []string
	switch {
	case change != "":
		notices = append(notices, change)
	case plan.Plan.Level != 0:
		notices = append(notices, levelNotice(plan.Plan.Level))
	}
	if partial != nil {
		notices = append(notices, fmt.Sprintf("You left a session unfinished at %s today; to carry on with it instead, quit (q) and run 'backcoach session --resume'.", partial.StartedAt.In(d.loc).Format("15:04")))
	}
	return g, nil, notices, nil
}

// levelNotice says the dose level in words.
func levelNotice(level int) string {
	if level > 0 {
		return fmt.Sprintf("Doses today are %d step(s) up from your stage's own dose, because your recent sessions went well.", level)
	}
	return fmt.Sprintf("Doses today are %d step(s) down from your stage's own dose, because a recent session raised your pain.", -level)
}

// unfinishedSession finds today's newest session that was left before its
// end and can be resumed, with its plan.
func unfinishedSession(a *app, d *terminalData) (*backcoach.Session, *backcoach.SavedPlan, error) {
	list, err := d.st.Sessions(a.ctx, d.person, backcoach.Filter{From: startOfDay(a.now(), d.loc), NewestFirst: true})
	if err != nil {
		return nil, nil, err
	}
	for i := range list {
		s := &list[i]
		if s.PlanID == "" {
			continue
		}
		p, err := d.st.Plan(a.ctx, d.person, s.PlanID)
		if err != nil {
			return nil, nil, err
		}
		if guide.Resumable(s, p.Plan, a.catalog) {
			return s, p, nil
		}
	}
	return nil, nil, nil
}

// saveSession keeps what the session did through the coach, with the
// warning signs answered when it was stopped; a resumed session replaces
// the unfinished one it continued.
func saveSession(a *app, d *terminalData, g *guide.Guide, plan *backcoach.SavedPlan, prior *backcoach.Session) error {
	rec, ok := g.Record()
	if !ok {
		return nil
	}
	if plan != nil {
		rec.PlanID = plan.ID
	}
	in := &coach.SessionRecord{Session: rec}
	if prior != nil {
		in.Session.PlanID, in.Replaces = prior.PlanID, prior.ID
	}
	if g.Phase() == guide.PhaseStopped && g.Result() != nil {
		in.StopSigns = g.Result().RedFlags
	}
	_, err := d.coach.RecordSession(a.ctx, d.person, in, backcoach.ViaTerminal)
	return err
}

// printSessionEnd repeats the end of a full-screen session on the normal
// screen, where it stays.
func printSessionEnd(a *app, g *guide.Guide) {
	w := a.stdout
	switch g.Phase() {
	case guide.PhaseSummary:
		para(w, "", "Session saved: "+g.Summary().Line())
		for _, l := range g.Ending().Lines {
			para(w, "", l)
		}
	case guide.PhaseStopped:
		tui.WriteWarning(w, *g.Result())
		para(w, "", "The session has ended and is saved.")
		return
	default:
		_, ok := g.Record()
		switch {
		case !ok && g.Gate().Mode == planner.GateNone:
			for _, l := range g.Gate().Message {
				para(w, "", l)
			}
			fmt.Fprintln(w, "No session today; nothing was saved.")
		case !ok:
			fmt.Fprintln(w, "The session ended before it began; nothing was saved.")
			return
		case g.CanResume():
			para(w, "", "Session saved unfinished: "+g.Summary().Line()+" 'backcoach session --resume' carries on later today.")
		default:
			para(w, "", "Session saved: "+g.Summary().Line())
		}
	}
	para(w, "", disclaimer())
}

// checkinCmd records how the back is today.
type checkinCmd struct {
	Plain bool `help:"Line by line, without redrawing the screen: for screen readers and pipes."`
}

func (c *checkinCmd) Run(a *app) error {
	d, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer d.st.Close()
	q, err := d.coach.CheckInQuestions(a.ctx, d.person)
	if err != nil {
		return err
	}
	opt := tui.CheckinOptions{AskFlags: q.AskFlags, AskPEG: q.AskPEG, Color: a.color, Now: a.now}
	ans, ok, err := runCheckin(a, c.Plain, opt)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(a.stdout, "Check-in cancelled; nothing was saved.")
		return nil
	}
	changed := false
	if q.History != "" {
		// Asked on its own line after the rest, in either mode.
		if changed, err = (&asker{in: bufio.NewScanner(lineReader{a.stdin}), out: a.stdout}).yesNo(q.History); err != nil {
			return err
		}
	}
	e := ans.Entry(a.now())
	in, err := d.coach.CheckIn(a.ctx, d.person, &e, backcoach.ViaTerminal)
	if err != nil {
		return err
	}
	if changed {
		if in.Refusal, err = d.coach.HistoryChanged(a.ctx, d.person, backcoach.ViaTerminal); err != nil {
			return err
		}
	}
	return reportEntry(a, d, in)
}

// runCheckin asks the check-in on the full screen or line by line.
func runCheckin(a *app, plain bool, opt tui.CheckinOptions) (tui.Checkin, bool, error) {
	if !a.fullScreen(plain) {
		ans, err := tui.RunPlainCheckin(lineReader{a.stdin}, a.stdout, opt)
		return ans, err == nil, err
	}
	m := tui.NewCheckinModel(opt)
	if err := a.runProgram(m); err != nil {
		return tui.Checkin{}, false, err
	}
	ans, ok := m.Answers()
	return ans, ok, nil
}

// reportEntry says what was saved and, when a warning sign stands or the
// diary rules call for it, what to do.
func reportEntry(a *app, d *terminalData, in *coach.CheckedIn) error {
	w := a.stdout
	fmt.Fprintf(w, "Saved: pain %d at %s.\n", in.Entry.Pain, in.Entry.At.In(d.loc).Format("15:04"))
	if in.Refusal != nil {
		printRefusal(a, in.Refusal)
		return nil
	}
	if !in.Worsening.Alert {
		return nil
	}
	fmt.Fprintln(w, strings.ToUpper(triage.LevelOf(backcoach.UrgencySoon).Title))
	for _, s := range in.Worsening.Explanation {
		para(w, "- ", s)
	}
	para(w, "", disclaimer())
	return nil
}

// logCmd records pain without questions.
type logCmd struct {
	Pain string `required:"" placeholder:"0-10" help:"Pain right now, a whole number from 0 (none) to 10 (worst imaginable)."`
	Note string `help:"A note to keep with it."`
}

func (c *logCmd) Run(a *app) error {
	pain, err := strconv.Atoi(strings.TrimSpace(c.Pain))
	if err != nil || pain < 0 || pain > 10 {
		return backcoach.Invalid("--pain", "must be a whole number from 0 to 10, got %q", c.Pain)
	}
	e := backcoach.DiaryEntry{At: a.now(), Pain: pain, Note: c.Note, Flags: []string{}}
	if err := e.Validate(); err != nil {
		return err
	}
	d, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer d.st.Close()
	in, err := d.coach.CheckIn(a.ctx, d.person, &e, backcoach.ViaTerminal)
	if err != nil {
		return err
	}
	return reportEntry(a, d, in)
}

// diaryCmd shows the pain diary.
type diaryCmd struct {
	Days  int  `default:"30" placeholder:"7|30|90" help:"How many days to show: 7, 30 or 90."`
	Plain bool `help:"Line by line, without a chart: for screen readers and pipes."`
	JSON  bool `name:"json" help:"Print the diary and its findings as JSON."`
}

func (c *diaryCmd) Run(a *app) error {
	if err := diary.CheckPeriod(c.Days); err != nil {
		return backcoach.Invalid("--days", "must be 7, 30 or 90, got %d", c.Days)
	}
	d, err := a.openTerminalData()
	if err != nil {
		return err
	}
	defer d.st.Close()
	reports, err := diaryReports(a, d)
	if err != nil {
		return err
	}
	switch {
	case c.JSON:
		return writeJSON(a.stdout, reports[c.Days])
	case a.fullScreen(c.Plain):
		return a.runProgram(tui.NewDiaryModel(reports, c.Days, a.color))
	default:
		return tui.WriteDiary(a.stdout, reports[c.Days])
	}
}

// diaryReports builds the diary over each period (the coach's reports).
func diaryReports(a *app, d *terminalData) (map[int]diary.Report, error) {
	reports, _, err := d.coach.DiaryReports(a.ctx, d.person)
	return reports, err
}
