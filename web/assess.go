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

// The assessment wizard asks a few questions a screen (docs/clinical.md
// §3): the warning signs first, as two checklists (the emergency signs,
// stopping at once when one is ticked, then the others), then the pain
// today, then what the coach keeps about the person. A repeat assessment
// reuses what the last one and the profile know (age, whether a
// clinician examined the pain, conditions, causes, the routine), shows
// it, and asks only the signs and the pain today. What was answered so
// far travels in the form as hidden fields, so nothing is kept on the
// server until the end and the back button never loses an answer.

// Wizard modes: a whole assessment, or a repeat that reuses the profile.
const (
	modeFirst  = "first"
	modeRepeat = "repeat"
)

// The screens of each mode, in order.
var wizardScreens = map[string][]string{
	modeFirst:  {"signs:emergency", "signs:urgent", "today", "about", "causes", "routine"},
	modeRepeat: {"signs:emergency", "signs:urgent", "today"},
}

// signLevels are the two checklists of warning signs, by their step.
var signLevels = map[string]backcoach.Urgency{
	"signs:emergency": backcoach.UrgencyEmergency,
	"signs:urgent":    backcoach.UrgencyUrgent,
}

// The form fields each screen asks; the others travel hidden.
var screenFields = map[string][]string{
	"today":   {"pain_now", "stage_description", "weeks", "trend"},
	"about":   {"age", "clinician_assessed", "conditions"},
	"causes":  {"causes"},
	"routine": {"minutes", "places", "equipment"},
}

// wizard is the state of an assessment under way: the answers as typed,
// so that a wrong one can be shown again as it was.
type wizard struct {
	Mode     string
	Step     string
	Index    int // 1-based number of the screen
	Total    int
	Answered []string // the checklists of signs answered so far, by urgency
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
	// Errors are what was wrong with this screen's answers, by form field
	// ("flags" for a checklist of signs).
	Errors map[string]string
	// Level is the urgency of the signs this screen lists, "" for the
	// other screens; Signs are those signs.
	Level backcoach.Urgency
	Signs []signItem
	// Cleared are the history signs a clinician has cleared: answered
	// again, they do not stop the check.
	Cleared []string
	// LastAt is the day of the assessment a repeat reuses.
	LastAt string
}

// signItem is one warning sign of a checklist.
type signItem struct {
	triage.Flag
	// Cleared is true for a history sign a clinician has cleared.
	Cleared bool
}

func (w *wizard) title() (string, string) { return "Check that exercise is safe", "assess" }

// script makes the checklists quick by keyboard and "none of these"
// exclusive; the pages work without it.
func (w *wizard) script() string { return "checklist.js" }

// Q returns the question of an answers field ("age", "context.places"):
// its words and its choices are the assessment's data (triage.Ask).
func (w *wizard) Q(field string) triage.Question { return triage.Ask(field) }

// Warning reports whether the screen lists warning signs.
func (w *wizard) Warning() bool { return w.Level != "" }

// Emergency reports whether the screen lists the emergency signs.
func (w *wizard) Emergency() bool { return w.Level == backcoach.UrgencyEmergency }

// Repeat reports whether the assessment reuses the profile.
func (w *wizard) Repeat() bool { return w.Mode == modeRepeat }

// None reports whether "none of these" was answered on this checklist.
func (w *wizard) None() bool {
	if !slices.Contains(w.Answered, string(w.Level)) {
		return false
	}
	for _, f := range triage.FlagsAt(w.Level) {
		if slices.Contains(w.Flags, f.ID) {
			return false
		}
	}
	return true
}

// Error is the first of the screen's errors, for the alert at its top.
func (w *wizard) Error() string {
	for _, f := range []string{"flags", "pain_now", "stage_description", "weeks", "trend", "age", "clinician_assessed", "conditions", "causes", "minutes", "places"} {
		if e := w.Errors[f]; e != "" {
			return e
		}
	}
	return ""
}

// ErrorCount is how many of the screen's answers are wrong.
func (w *wizard) ErrorCount() int { return len(w.Errors) }

// StageChoices are the descriptions offered, each with the lowest pain
// score at which it could still raise the stage (docs/clinical.md §2):
// the page hides a choice the score already passes.
func (w *wizard) StageChoices() []triage.Option { return triage.Ask("stage_description").Choices() }

// stageAsked reports whether the description can change the stage for a
// pain score: 7 to 10 is high whatever the description (triage.StageOf).
func stageAsked(pain int) bool { return triage.NRSStage(pain) != backcoach.StageHigh }

// Reused lists, for a repeat, what it takes from the last assessment and
// the profile, as label and words.
func (w *wizard) Reused() [][2]string {
	words := func(ids []string, none string) string {
		if len(ids) == 0 {
			return none
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = label(id)
		}
		return strings.Join(out, ", ")
	}
	assessed := "no"
	if w.Assessed == "yes" {
		assessed = "yes"
	}
	return [][2]string{
		{"Age", w.Age},
		{"Examined by a doctor or physiotherapist", assessed},
		{"Conditions", words(w.Conds, "none")},
		{"What brought it on", words(w.Causes, "not given")},
		{"Routine", fmt.Sprintf("%s min; %s; %s", w.Minutes, words(w.Places, "anywhere"), words(w.Equip, "no equipment"))},
	}
}

// Hidden is every answer given so far except the ones this screen asks,
// as name/value pairs for hidden fields.
func (w *wizard) Hidden() [][2]string {
	var out [][2]string
	asked := screenFields[w.Step]
	add := func(name string, vs ...string) {
		if slices.Contains(asked, name) {
			return
		}
		for _, v := range vs {
			if v != "" {
				out = append(out, [2]string{name, v})
			}
		}
	}
	add("mode", w.Mode)
	add("answered", w.Answered...)
	for _, f := range w.Flags {
		if fl, ok := triage.LookupFlag(f); ok && fl.Urgency != w.Level {
			add("flags", f)
		}
	}
	add("pain_now", w.PainNow)
	add("stage_description", w.Stage)
	add("weeks", w.Weeks)
	add("trend", w.Trend)
	add("age", w.Age)
	add("clinician_assessed", w.Assessed)
	add("conditions", w.Conds...)
	add("causes", w.Causes...)
	add("minutes", w.Minutes)
	add("places", w.Places...)
	add("equipment", w.Equip...)
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
	mode := form.Get("mode")
	if mode != modeRepeat {
		mode = modeFirst
	}
	return &wizard{
		Mode:     mode,
		Step:     form.Get("step"),
		Answered: onlyKnown(form["answered"], []string{string(backcoach.UrgencyEmergency), string(backcoach.UrgencyUrgent)}),
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
// assessment already know filled in. After a first assessment the check
// is a repeat that reuses them, unless ?full=1 asks for every question.
func (s *Server) assessStart(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	d, err := s.day(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wz := &wizard{Mode: modeFirst, Step: wizardScreens[modeFirst][0]}
	prof := d.Profile
	wz.Conds = ids(prof.Conditions)
	rt := routineOf(d)
	wz.Minutes, wz.Places, wz.Equip = rt.Minutes, rt.Places, rt.Equipment
	if prof.ClinicianAssessed {
		wz.Assessed = "yes"
	}
	if last := d.Latest; last != nil {
		wz.Age = strconv.Itoa(last.Answers.Age)
		wz.Causes = ids(last.Answers.Causes)
		if last.Answers.ClinicianAssessed {
			wz.Assessed = "yes"
		}
		if wz.Assessed == "" {
			wz.Assessed = "no"
		}
		// The same episode, older by the time since.
		since := int(d.Now.Sub(last.TakenAt).Hours() / (24 * 7))
		wz.Weeks = strconv.Itoa(int(last.Answers.Weeks) + max(since, 0))
		if r.URL.Query().Get("full") != "1" {
			wz.Mode = modeRepeat
		}
	}
	s.showStep(w, r, me, wz, http.StatusOK)
}

// showStep renders the wizard at its screen.
func (s *Server) showStep(w http.ResponseWriter, r *http.Request, me *backcoach.Person, wz *wizard, status int) {
	steps := wizardScreens[wz.Mode]
	wz.Index = slices.Index(steps, wz.Step) + 1
	wz.Total = len(steps)
	wz.Level, wz.Signs = signLevels[wz.Step], nil
	if wz.Level != "" {
		cleared, err := s.clearedHistory(r, me, wz)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, f := range triage.FlagsAt(wz.Level) {
			wz.Signs = append(wz.Signs, signItem{Flag: f, Cleared: slices.Contains(cleared, f.ID)})
		}
	}
	if wz.Repeat() && wz.LastAt == "" {
		if d, err := s.day(r.Context(), me); err == nil && d.Latest != nil {
			wz.LastAt = d.Latest.TakenAt.In(d.Loc).Format("Mon 2 Jan")
		}
	}
	s.renderStatus(w, r, status, "assess", wz)
}

// clearedHistory returns the history signs a clinician has cleared for
// the person (the coach's reading of the safety record).
func (s *Server) clearedHistory(r *http.Request, me *backcoach.Person, wz *wizard) ([]string, error) {
	if wz.Cleared != nil {
		return wz.Cleared, nil
	}
	d, err := s.day(r.Context(), me)
	if err != nil {
		return nil, err
	}
	wz.Cleared = d.Standing.ClearedHistory()
	return wz.Cleared, nil
}

// assessStep takes one screen's answers and shows the next screen, what
// to do now for a warning sign, or, at the end, the saved result.
func (s *Server) assessStep(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, backcoach.Invalid("form", "could not be read: %v", err))
		return
	}
	wz := readWizard(r.PostForm)
	steps := wizardScreens[wz.Mode]
	i := slices.Index(steps, wz.Step)
	if i < 0 {
		s.fail(w, r, backcoach.Invalid("step", "must be one of the assessment's screens, got %q", clipPath(wz.Step)))
		return
	}
	if r.PostForm.Has("back") {
		wz.Step = steps[max(i-1, 0)]
		s.showStep(w, r, me, wz, http.StatusOK)
		return
	}
	wz.Level = signLevels[wz.Step]
	if wz.take(r.PostForm) {
		s.showStep(w, r, me, wz, http.StatusBadRequest)
		return
	}
	if s.warningStop(w, r, me, wz) {
		return
	}
	if r.PostForm.Has("edit") && wz.Mode == modeRepeat {
		// Change what a repeat reuses: the rest of a whole assessment.
		wz.Mode, steps = modeFirst, wizardScreens[modeFirst]
		i = slices.Index(steps, wz.Step)
	}
	if i+1 < len(steps) {
		wz.Step = steps[i+1]
		s.showStep(w, r, me, wz, http.StatusOK)
		return
	}
	s.finishAssessment(w, r, me, wz)
}

// warningStop shows what to do now when the warning signs rule exercise
// out: at once for an emergency sign, after the second checklist for an
// urgent one. History signs a clinician has cleared do not stop the check.
func (s *Server) warningStop(w http.ResponseWriter, r *http.Request, me *backcoach.Person, wz *wizard) bool {
	if wz.Level == "" || len(wz.Flags) == 0 {
		return false
	}
	emergency := wz.Level == backcoach.UrgencyEmergency
	if emergency && wz.None() {
		return false // none of the emergency signs: go on
	}
	// The signs go into the safety record now, whether or not the rest is
	// answered: every sign was asked unless an emergency one cut it short.
	sg, err := s.coach.RecordSigns(r.Context(), me.ID, wz.Flags, backcoach.ScreenAssessment, backcoach.ViaWeb, !emergency)
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

// take reads this screen's answers into the wizard, and reports whether
// any was wrong; the errors name what was wrong and what is allowed, all
// at once.
func (wz *wizard) take(form url.Values) bool {
	wz.Errors = map[string]string{}
	fail := func(field string, err error) {
		if err != nil {
			wz.Errors[field] = err.Error()
		}
	}
	switch wz.Step {
	case "signs:emergency", "signs:urgent":
		fail("flags", wz.takeSigns(form))
	case "today":
		fail("pain_now", checkWhole(wz.PainNow, "the pain", 0, 10))
		if n, err := strconv.Atoi(wz.PainNow); err == nil && !stageAsked(n) {
			wz.Stage = "" // the score decides the stage: high
		}
		if wz.Stage != "" && !slices.Contains(triage.Ask("stage_description").ChoiceIDs(), wz.Stage) {
			fail("stage_description", fmt.Errorf("choose one of the descriptions listed, or skip this question"))
		}
		fail("weeks", checkWhole(wz.Weeks, "the number of weeks", 0, 5200))
		if !slices.Contains(triage.Ask("trend").ChoiceIDs(), wz.Trend) {
			fail("trend", fmt.Errorf("choose how the pain has changed: %s", strings.ToLower(strings.Join(choiceLabels("trend"), ", "))))
		}
	case "about":
		fail("age", checkWhole(wz.Age, "your age", 12, 120))
		if wz.Assessed != "yes" && wz.Assessed != "no" {
			fail("clinician_assessed", fmt.Errorf("answer yes or no: has a doctor or physiotherapist examined your back?"))
		}
		wz.Conds = onlyKnown(form["conditions"], triage.Ask("conditions").ChoiceIDs())
		if len(wz.Conds) != len(form["conditions"]) {
			fail("conditions", fmt.Errorf("choose among the conditions listed"))
		}
	case "causes":
		wz.Causes = onlyKnown(form["causes"], triage.Ask("causes").ChoiceIDs())
		if len(wz.Causes) != len(form["causes"]) {
			fail("causes", fmt.Errorf("choose among the causes listed"))
		}
	case "routine":
		wz.takeRoutine()
	}
	return len(wz.Errors) > 0
}

// choiceLabels are the words of a question's choices.
func choiceLabels(field string) []string {
	var out []string
	for _, o := range triage.Ask(field).Choices() {
		out = append(out, o.Label)
	}
	return out
}

// takeSigns reads one checklist of warning signs: the signs ticked, or
// "none of these", never both and never neither.
func (wz *wizard) takeSigns(form url.Values) error {
	flags := onlyKnown(form["flags"], triage.FlagIDs())
	if len(flags) != len(form["flags"]) {
		return fmt.Errorf("choose among the warning signs listed")
	}
	wz.Flags = flags
	ticked := 0
	for _, f := range triage.FlagsAt(wz.Level) {
		if slices.Contains(flags, f.ID) {
			ticked++
		}
	}
	none := form.Get("none") == "1"
	switch {
	case ticked > 0 && none:
		return fmt.Errorf("you ticked warning signs and \"none of these\": untick one or the other")
	case ticked == 0 && !none:
		return fmt.Errorf("tick each warning sign you have, or \"none of these\" if you have none of them")
	}
	if !slices.Contains(wz.Answered, string(wz.Level)) {
		wz.Answered = append(wz.Answered, string(wz.Level))
	}
	return nil
}

// takeRoutine checks the minutes, places and equipment.
func (wz *wizard) takeRoutine() {
	if wz.Minutes == "" {
		wz.Minutes = strconv.Itoa(backcoach.DefaultMinutes)
	}
	if err := checkWhole(wz.Minutes, "the minutes", 1, 60); err != nil {
		wz.Errors["minutes"] = err.Error()
	}
	wz.Places = onlyKnown(wz.Places, triage.Ask("context.places").ChoiceIDs())
	if len(wz.Places) == 0 {
		wz.Errors["places"] = "choose at least one place where you can exercise"
	}
	wz.Equip = onlyKnown(wz.Equip, triage.Ask("context.equipment").ChoiceIDs())
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

// screenOfField is the wizard screen that asks a field of the Answers,
// and the form field, so an error found at the end sends the person back
// to it.
func screenOfField(field string) (string, string) {
	switch {
	case field == "pain_now", field == "stage_description", field == "weeks", field == "trend":
		return "today", field
	case field == "age":
		return "about", "age"
	case strings.HasPrefix(field, "conditions"):
		return "about", "conditions"
	case strings.HasPrefix(field, "causes"):
		return "causes", "causes"
	case strings.HasPrefix(field, "context.places"):
		return "routine", "places"
	case strings.HasPrefix(field, "context"):
		return "routine", "minutes"
	}
	return "today", "pain_now"
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
		var formField string
		wz.Step, formField = screenOfField(field)
		if !slices.Contains(wizardScreens[wz.Mode], wz.Step) {
			wz.Mode = modeFirst
		}
		wz.Errors = map[string]string{formField: messageOf(err)}
		s.showStep(w, r, me, wz, http.StatusBadRequest)
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
