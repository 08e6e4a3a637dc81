package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/triage"
)

// The assessment wizard asks one question a screen: the warning signs
// first (emergency ones, stopping at the first yes, then the urgent
// ones), then the pain. What was answered so far travels in the form as
// hidden fields, so nothing is kept on the server until the end and the
// back button never loses an answer.

// The steps after the warning signs, in order.
var painSteps = []string{"age", "pain", "stage", "weeks", "trend", "assessed", "conditions", "causes", "routine"}

// wizardSteps lists every step: one per warning sign, then painSteps.
func wizardSteps() []string {
	var out []string
	for _, f := range triage.FlagsAt(backcoach.UrgencyEmergency) {
		out = append(out, "flag:"+f.ID)
	}
	for _, f := range triage.FlagsAt(backcoach.UrgencyUrgent) {
		out = append(out, "flag:"+f.ID)
	}
	return append(out, painSteps...)
}

// wizard is the state of an assessment under way: the answers as typed,
// so that a wrong one can be shown again as it was.
type wizard struct {
	Step     string
	Index    int // 1-based number of the step
	Total    int
	Answered []string // the warning-sign steps answered so far
	Flags    []string
	Age      string
	PainNow  string
	Stage    string
	Weeks    string
	Trend    string
	Assessed string // "yes", "no" or ""
	Conds    []string
	Causes   []string
	Minutes  string
	Places   []string
	Equip    []string
	// Error is what was wrong with this step's answer.
	Error string
	// Flag is the warning sign this step asks about.
	Flag *triage.Flag
}

func (w *wizard) title() (string, string) { return "Check that exercise is safe", "assess" }

// Q returns the question of an answers field ("age", "context.places"):
// its words and its choices are the assessment's data (triage.Ask).
func (w *wizard) Q(field string) triage.Question { return triage.Ask(field) }

// Warning reports whether the step asks about a warning sign.
func (w *wizard) Warning() bool { return w.Flag != nil }

// Emergency reports whether the step asks about an emergency sign.
func (w *wizard) Emergency() bool {
	return w.Flag != nil && w.Flag.Urgency == backcoach.UrgencyEmergency
}

// Hidden is every answer given so far except the ones this step asks,
// as name/value pairs for hidden fields.
func (w *wizard) Hidden() [][2]string {
	var out [][2]string
	add := func(name, v string) {
		if v != "" {
			out = append(out, [2]string{name, v})
		}
	}
	for _, a := range w.Answered {
		if "flag:"+a != w.Step {
			add("answered", a)
		}
	}
	for _, f := range w.Flags {
		if "flag:"+f != w.Step {
			add("flags", f)
		}
	}
	fields := map[string][]string{
		"age": {w.Age}, "pain": {w.PainNow}, "stage": {w.Stage}, "weeks": {w.Weeks},
		"trend": {w.Trend}, "assessed": {w.Assessed},
	}
	names := map[string]string{"age": "age", "pain": "pain_now", "stage": "stage_description", "weeks": "weeks", "trend": "trend", "assessed": "clinician_assessed"}
	for _, step := range []string{"age", "pain", "stage", "weeks", "trend", "assessed"} {
		if w.Step != step {
			for _, v := range fields[step] {
				add(names[step], v)
			}
		}
	}
	if w.Step != "conditions" {
		add("conditions_seen", "1")
		for _, v := range w.Conds {
			add("conditions", v)
		}
	}
	if w.Step != "causes" {
		for _, v := range w.Causes {
			add("causes", v)
		}
	}
	if w.Step != "routine" {
		add("minutes", w.Minutes)
		for _, v := range w.Places {
			add("places", v)
		}
		for _, v := range w.Equip {
			add("equipment", v)
		}
	}
	return out
}

func ids[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// readWizard reads the answers a wizard form carries.
func readWizard(form url.Values) *wizard {
	return &wizard{
		Step:     form.Get("step"),
		Answered: form["answered"],
		Flags:    form["flags"],
		Age:      strings.TrimSpace(form.Get("age")),
		PainNow:  form.Get("pain_now"),
		Stage:    form.Get("stage_description"),
		Weeks:    strings.TrimSpace(form.Get("weeks")),
		Trend:    form.Get("trend"),
		Assessed: form.Get("clinician_assessed"),
		Conds:    form["conditions"],
		Causes:   form["causes"],
		Minutes:  strings.TrimSpace(form.Get("minutes")),
		Places:   form["places"],
		Equip:    form["equipment"],
	}
}

// assessStart begins the questions, with what the profile and the last
// assessment already know filled in.
func (s *Server) assessStart(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	wz := &wizard{Step: wizardSteps()[0]}
	prof, err := s.store.Profile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wz.Conds = ids(prof.Conditions)
	wz.Places = ids(prof.Places)
	wz.Equip = ids(prof.Equipment)
	if prof.Minutes > 0 {
		wz.Minutes = strconv.Itoa(prof.Minutes)
	}
	if last, err := s.store.Assessments(r.Context(), me.ID, backcoach.Filter{Limit: 1, NewestFirst: true}); err == nil && len(last) == 1 {
		wz.Age = strconv.Itoa(last[0].Answers.Age)
		wz.Causes = ids(last[0].Answers.Causes)
	}
	if prof.ClinicianAssessed {
		wz.Assessed = "yes"
	}
	s.showStep(w, r, wz, http.StatusOK)
}

// showStep renders the wizard at its step.
func (s *Server) showStep(w http.ResponseWriter, r *http.Request, wz *wizard, status int) {
	steps := wizardSteps()
	wz.Index = slices.Index(steps, wz.Step) + 1
	wz.Total = len(steps)
	wz.Flag = nil
	if id, ok := strings.CutPrefix(wz.Step, "flag:"); ok {
		f, _ := triage.LookupFlag(id)
		wz.Flag = &f
	}
	s.renderStatus(w, r, status, "assess", wz)
}

// assessStep takes one answer and shows the next question, the advice
// for a warning sign, or, at the end, the saved result.
func (s *Server) assessStep(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, backcoach.Invalid("form", "could not be read: %v", err))
		return
	}
	wz := readWizard(r.PostForm)
	steps := wizardSteps()
	i := slices.Index(steps, wz.Step)
	if i < 0 {
		s.fail(w, r, backcoach.Invalid("step", "must be one of the assessment's questions, got %q", clipPath(wz.Step)))
		return
	}
	if r.PostForm.Has("back") {
		wz.Step = steps[max(i-1, 0)]
		s.showStep(w, r, wz, http.StatusOK)
		return
	}
	if err := wz.take(r.PostForm); err != nil {
		wz.Error = err.Error()
		s.showStep(w, r, wz, http.StatusBadRequest)
		return
	}
	if s.warningStop(w, r, me, wz, i) {
		return
	}
	if i+1 < len(steps) {
		wz.Step = steps[i+1]
		s.showStep(w, r, wz, http.StatusOK)
		return
	}
	s.finishAssessment(w, r, me, wz)
}

// warningStop shows what to do now when the warning signs rule exercise
// out: at once for an emergency sign, after the last warning sign for an
// urgent one. The answers stop there, as in the terminal.
func (s *Server) warningStop(w http.ResponseWriter, r *http.Request, me *backcoach.Person, wz *wizard, i int) bool {
	steps := wizardSteps()
	lastFlag := strings.HasPrefix(steps[i], "flag:") && i+1 < len(steps) && !strings.HasPrefix(steps[i+1], "flag:")
	if len(wz.Flags) == 0 || !(wz.Emergency() || lastFlag) {
		return false
	}
	if wz.Flag != nil && wz.Flag.Urgency == backcoach.UrgencyEmergency && !slices.Contains(wz.Flags, wz.Flag.ID) {
		return false // an emergency question answered no: go on
	}
	// The signs go into the safety record now, whether or not the rest is
	// answered: every sign was asked unless an emergency one cut it short.
	sg, err := s.coach.RecordSigns(r.Context(), me.ID, wz.Flags, backcoach.ScreenAssessment, backcoach.ViaWeb, !wz.Emergency())
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if sg.Refusal == nil {
		return false // history signs a clinician has cleared: go on
	}
	prof, err := s.store.Profile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	v := &stopView{Refusal: newRefusalView(sg.Refusal, prof), Sources: s.sources(sg.Refusal.Sources)}
	s.render(w, r, "stop", v)
	return true
}

// stopView is the page that says what to do now.
type stopView struct {
	Refusal *refusalView
	Sources []catalog.Source
}

func (v *stopView) title() (string, string) { return v.Refusal.Title, "assess" }
func (v *stopView) emergency() bool         { return v.Refusal.emergency() }

// take reads this step's answer into the wizard; the error names what
// was wrong and what is allowed.
func (wz *wizard) take(form url.Values) error {
	if id, ok := strings.CutPrefix(wz.Step, "flag:"); ok {
		return wz.takeFlag(id, form.Get("answer"))
	}
	switch wz.Step {
	case "age":
		return checkWhole(wz.Age, "your age", 12, 120)
	case "pain":
		return checkWhole(wz.PainNow, "the pain", 0, 10)
	case "stage":
		if wz.Stage != "" && !slices.Contains(triage.Ask("stage_description").ChoiceIDs(), wz.Stage) {
			return fmt.Errorf("choose one of the descriptions listed, or skip this question")
		}
	case "weeks":
		return checkWhole(wz.Weeks, "the number of weeks", 0, 5200)
	case "trend":
		if !slices.Contains(triage.Ask("trend").ChoiceIDs(), wz.Trend) {
			return fmt.Errorf("choose one of the answers listed")
		}
	case "assessed":
		if wz.Assessed != "yes" && wz.Assessed != "no" {
			return fmt.Errorf("answer yes or no")
		}
	case "conditions":
		wz.Conds = onlyKnown(form["conditions"], triage.Ask("conditions").ChoiceIDs())
		if len(wz.Conds) != len(form["conditions"]) {
			return fmt.Errorf("choose among the conditions listed")
		}
	case "causes":
		wz.Causes = onlyKnown(form["causes"], triage.Ask("causes").ChoiceIDs())
		if len(wz.Causes) != len(form["causes"]) {
			return fmt.Errorf("choose among the causes listed")
		}
	case "routine":
		return wz.takeRoutine()
	}
	return nil
}

// takeFlag records a yes or no to a warning sign.
func (wz *wizard) takeFlag(id, answer string) error {
	if answer != "yes" && answer != "no" {
		return fmt.Errorf("answer yes or no")
	}
	wz.Flags = slices.DeleteFunc(wz.Flags, func(f string) bool { return f == id })
	if answer == "yes" {
		wz.Flags = append(wz.Flags, id)
	}
	if !slices.Contains(wz.Answered, id) {
		wz.Answered = append(wz.Answered, id)
	}
	f, _ := triage.LookupFlag(id)
	wz.Flag = &f
	return nil
}

// takeRoutine checks the minutes, places and equipment.
func (wz *wizard) takeRoutine() error {
	if wz.Minutes == "" {
		wz.Minutes = strconv.Itoa(backcoach.DefaultMinutes)
	}
	if err := checkWhole(wz.Minutes, "the minutes", 1, 60); err != nil {
		return err
	}
	if len(wz.Places) == 0 {
		return fmt.Errorf("choose at least one place where you can exercise")
	}
	return nil
}

// checkWhole checks a whole number typed into a field.
func checkWhole(v, what string, lo, hi int) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		if v == "" {
			return fmt.Errorf("type %s as a whole number from %d to %d", what, lo, hi)
		}
		return fmt.Errorf("type %s as a whole number from %d to %d, not %q", what, lo, hi, clipPath(v))
	}
	return nil
}

// onlyKnown keeps the values that are allowed, once each.
func onlyKnown(values, allowed []string) []string {
	var out []string
	for _, v := range values {
		if slices.Contains(allowed, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// answers turns the wizard into the assessment contract's Answers.
func (wz *wizard) answers() (backcoach.Answers, error) {
	var a backcoach.Answers
	var err error
	num := func(field, v string) int {
		n, e := strconv.Atoi(v)
		if e != nil && err == nil {
			err = backcoach.Invalid(field, "must be a whole number, got %q", clipPath(v))
		}
		return n
	}
	a.Age = num("age", wz.Age)
	a.PainNow = num("pain_now", wz.PainNow)
	a.Weeks = float64(num("weeks", wz.Weeks))
	a.StageDescription = backcoach.Stage(wz.Stage)
	a.Trend = backcoach.Trend(wz.Trend)
	a.ClinicianAssessed = wz.Assessed == "yes"
	a.Flags = append([]string{}, wz.Flags...)
	a.Conditions = toIDs[backcoach.Condition](wz.Conds)
	a.Causes = toIDs[backcoach.Cause](wz.Causes)
	a.Context = &backcoach.Context{
		Minutes:   num("context.minutes", wz.Minutes),
		Places:    toIDs[backcoach.Place](wz.Places),
		Equipment: toIDs[backcoach.Equipment](wz.Equip),
	}
	if err != nil {
		return a, err
	}
	return a, triage.Validate(&a)
}

func toIDs[T ~string](list []string) []T {
	out := make([]T, len(list))
	for i, v := range list {
		out[i] = T(v)
	}
	return out
}

// stepOfField is the wizard step that asks a field of the Answers, so an
// error found at the end sends the person back to it.
func stepOfField(field string) string {
	switch {
	case field == "age":
		return "age"
	case field == "pain_now":
		return "pain"
	case field == "stage_description":
		return "stage"
	case field == "weeks":
		return "weeks"
	case field == "trend":
		return "trend"
	case strings.HasPrefix(field, "conditions"):
		return "conditions"
	case strings.HasPrefix(field, "causes"):
		return "causes"
	case strings.HasPrefix(field, "context"):
		return "routine"
	}
	return painSteps[0]
}

// finishAssessment checks the whole answers, assesses them, keeps the
// assessment and what it told about the person, and shows the result.
func (s *Server) finishAssessment(w http.ResponseWriter, r *http.Request, me *backcoach.Person, wz *wizard) {
	ans, err := wz.answers()
	if err != nil {
		var field string
		if e, ok := err.(*backcoach.Error); ok {
			field = e.Field
		}
		wz.Step = stepOfField(field)
		wz.Error = messageOf(err)
		s.showStep(w, r, wz, http.StatusBadRequest)
		return
	}
	out, err := s.coach.Assess(r.Context(), me.ID, &ans, backcoach.ViaWeb)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/assessments/"+out.Assessment.ID)
}

// stageWords explain a stage the way the assessment describes it.
func stageWords(st backcoach.Stage) string {
	o, _ := triage.Ask("stage_description").Option(string(st))
	return o.Help
}

// resultView is the page of one assessment's result.
type resultView struct {
	Assessment *backcoach.SavedAssessment
	Level      triage.Level
	StageWords string
	Reasons    []triage.Reason
	Refusal    *refusalView
	Sources    []catalog.Source
	Fresh      bool
}

func (v *resultView) title() (string, string) { return "Your result", "assess" }

// assessmentPage shows a saved assessment's result: the stage and
// urgency explained, with the sources.
func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	a, err := s.store.Assessment(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prof, err := s.store.Profile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &resultView{Assessment: a, Level: triage.LevelOf(a.Result.Urgency), StageWords: stageWords(a.Result.Stage)}
	v.Fresh = s.now().Sub(a.TakenAt) < coach.ReassessAfter
	if a.Result.Urgency == backcoach.UrgencySoon {
		for _, id := range a.Result.Reasons {
			for _, rr := range triage.Texts().Reasons {
				if rr.ID == id {
					v.Reasons = append(v.Reasons, rr)
				}
			}
		}
	}
	if !a.Result.ExerciseAllowed {
		v.Refusal = newRefusalView(coach.RefusalOf(a.Result, a.TakenAt, prof.Location()), prof)
	}
	v.Sources = s.sources(a.Result.Sources)
	a.TakenAt = a.TakenAt.In(prof.Location())
	s.render(w, r, "result", v)
}

// sources looks up the full references of cited sources.
func (s *Server) sources(names []string) []catalog.Source {
	var out []catalog.Source
	for _, n := range names {
		src, ok := s.catalog.Source(n)
		if !ok {
			src = catalog.Source{Name: n}
		}
		out = append(out, src)
	}
	return out
}

// historyView lists past assessments.
type historyView struct {
	Assessments []backcoach.SavedAssessment
}

func (historyView) title() (string, string) { return "Past assessments", "assess" }

// assessmentList lists the person's assessments, newest first.
func (s *Server) assessmentList(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	list, err := s.store.Assessments(r.Context(), me.ID, backcoach.Filter{Limit: 100, NewestFirst: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prof, err := s.store.Profile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range list {
		list[i].TakenAt = list[i].TakenAt.In(prof.Location())
	}
	s.render(w, r, "assessments", historyView{Assessments: list})
}
