package web

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
)

// planView is the plan page: exercise cards with their pictures, doses
// and why each was chosen, what was left out and why, and the form that
// changes the minutes, places and equipment.
type planView struct {
	Saved   *backcoach.SavedPlan
	Plan    backcoach.Plan
	Cards   []planCard
	Left    []leftGroup
	Level   backcoach.Progression
	Today   bool
	Refusal *refusalView
	// NoAssessment and Stale say that the questions come first.
	NoAssessment bool
	Stale        bool
	Routine      routineForm
}

func (v *planView) title() (string, string) {
	if v.Today || v.Saved == nil {
		return "Today's plan", "plan"
	}
	return "Plan of " + v.Plan.Date, "plan"
}
func (v *planView) offline() bool   { return v.Today }
func (v *planView) emergency() bool { return v.Refusal.emergency() }

// planCard is one exercise of a plan, with its catalog entry.
type planCard struct {
	N        int
	Planned  backcoach.PlannedExercise
	Exercise *backcoach.Exercise
	Picture  template.HTML
	Dose     string
}

// leftGroup is the exercises left out for one reason.
type leftGroup struct {
	Reason string
	Detail string
	Names  []string
}

// routineForm changes what today's routine may use.
type routineForm struct {
	Minutes   string
	Places    []string
	Equipment []string
	Error     string
}

// PlaceOptions and EquipmentOptions list the choices.
func (routineForm) PlaceOptions() []string {
	return ids([]backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding, backcoach.PlaceFloor})
}
func (routineForm) EquipmentOptions() []string { return ids(backcoach.AllEquipment) }

// todaysPlan shows today's plan, keeping it in the history.
func (s *Server) todaysPlan(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.todayPlanView(r.Context(), me, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "plan", v)
}

// todayPlanView builds today's plan page; form, when given, is a
// routine form to show again with its error.
func (s *Server) todayPlanView(ctx context.Context, me *backcoach.Person, form *routineForm) (*planView, error) {
	d, err := s.day(ctx, me)
	if err != nil {
		return nil, err
	}
	v := &planView{Today: true, NoAssessment: d.Latest == nil}
	v.Stale = d.Latest != nil && d.Stale()
	v.Routine = routineOf(d)
	if form != nil {
		v.Routine = *form
	}
	if v.Refusal = newRefusalView(d.Refusal(), d.Profile); v.Refusal != nil || d.Latest == nil {
		return v, nil
	}
	p, err := s.coach.Plan(ctx, me.ID, coach.PlanRequest{})
	if r := coach.Refused(err); r != nil {
		v.Refusal = newRefusalView(r, d.Profile)
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	if p.Plan.ID != "" {
		v.Saved = p.Plan
	}
	v.Plan, v.Level = p.Plan.Plan, p.Progression
	v.Cards, v.Left = s.cards(v.Plan)
	return v, nil
}

// cards joins a plan's exercises with the catalog, and groups what was
// left out by reason.
func (s *Server) cards(p backcoach.Plan) ([]planCard, []leftGroup) {
	var cards []planCard
	for i, x := range p.Exercises {
		e, err := s.catalog.Get(x.ID)
		if err != nil {
			continue
		}
		cards = append(cards, planCard{N: i + 1, Planned: x, Exercise: e, Picture: s.picture(x.ID), Dose: doseText(x, e)})
	}
	var groups []leftGroup
	index := map[string]int{}
	for _, ex := range p.Excluded {
		name := ex.ID
		if e, err := s.catalog.Get(ex.ID); err == nil {
			name = e.Name
		}
		key := ex.Reason + "\x00" + ex.Detail
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, leftGroup{Reason: ex.Reason, Detail: ex.Detail})
		}
		groups[i].Names = append(groups[i].Names, name)
	}
	return cards, groups
}

// picture returns an exercise's illustration to put in the page. The
// catalog's SVG files are the program's own, checked when it starts.
func (s *Server) picture(id string) template.HTML {
	svg, err := s.catalog.SVG(id)
	if err != nil {
		return ""
	}
	return template.HTML(strings.Replace(string(svg), "<svg ", `<svg role="img" class="picture" `, 1))
}

// doseText says a planned dose in words.
func doseText(x backcoach.PlannedExercise, e *backcoach.Exercise) string {
	return x.DoseWords(e.Dose.Kind)
}

// changePlan changes the minutes, places and equipment of the routine,
// kept in the profile for the next plans too.
func (s *Server) changePlan(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	form := routineForm{
		Minutes:   strings.TrimSpace(r.PostFormValue("minutes")),
		Places:    r.PostForm["places"],
		Equipment: r.PostForm["equipment"],
	}
	err := s.saveRoutine(r.Context(), me, form)
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		form.Error = messageOf(err)
		v, verr := s.todayPlanView(r.Context(), me, &form)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		s.renderStatus(w, r, http.StatusBadRequest, "plan", v)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/plan")
}

// saveRoutine checks a routine form and keeps it in the profile.
func (s *Server) saveRoutine(ctx context.Context, me *backcoach.Person, f routineForm) error {
	minutes, err := strconv.Atoi(f.Minutes)
	if err != nil {
		return backcoach.Invalid("minutes", "must be a whole number of minutes from 1 to 60, got %q", clipPath(f.Minutes))
	}
	rc := backcoach.Context{Minutes: minutes, Places: toIDs[backcoach.Place](f.Places), Equipment: toIDs[backcoach.Equipment](f.Equipment)}
	if len(rc.Places) == 0 {
		return backcoach.Invalid("places", "choose at least one place where you can exercise")
	}
	if minutes < 1 {
		return backcoach.Invalid("minutes", "must be a whole number of minutes from 1 to 60, got %d", minutes)
	}
	if err := rc.Validate(); err != nil {
		return err
	}
	prof, err := s.store.Profile(ctx, me.ID)
	if err != nil {
		return err
	}
	prof.Minutes, prof.Places, prof.Equipment = rc.Minutes, rc.Places, append([]backcoach.Equipment{}, rc.Equipment...)
	return s.store.SaveProfile(ctx, me.ID, prof)
}

// planPage shows a saved plan.
func (s *Server) planPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	sp, err := s.store.Plan(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &planView{Saved: sp, Plan: sp.Plan, Level: backcoach.Progression{Level: sp.Plan.Level}}
	v.Cards, v.Left = s.cards(sp.Plan)
	s.render(w, r, "plan", v)
}

// libraryView is the exercise library with its filters.
type libraryView struct {
	Place     string
	Equipment []string
	Gentle    bool
	Exercises []libraryItem
	Error     string
}

func (libraryView) title() (string, string) { return "Exercises", "exercises" }

// PlaceOptions and EquipmentOptions list the filters' choices.
func (libraryView) PlaceOptions() []string {
	return ids([]backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding, backcoach.PlaceFloor})
}
func (libraryView) EquipmentOptions() []string { return ids(backcoach.AllEquipment) }

// libraryItem is one exercise in the list.
type libraryItem struct {
	Exercise backcoach.Exercise
	Picture  template.HTML
}

// library lists the exercises, filtered by place, equipment and
// gentleness. An htmx request gets the list only.
func (s *Server) library(w http.ResponseWriter, r *http.Request) {
	r = s.withOptionalPerson(r)
	q := r.URL.Query()
	v := libraryView{Place: q.Get("place"), Equipment: onlyKnown(q["equipment"], libraryView{}.EquipmentOptions()), Gentle: q.Get("gentle") == "1"}
	f := catalog.Filter{Gentle: v.Gentle}
	if v.Place != "" {
		if !strings.Contains(" desk standing floor ", " "+v.Place+" ") {
			s.fail(w, r, backcoach.Invalid("place", "must be desk, standing or floor, got %q", clipPath(v.Place)))
			return
		}
		f.Place = backcoach.Place(v.Place)
	}
	if len(v.Equipment) > 0 {
		// Ticking what one has shows what needs nothing more.
		f.Equipment = toIDs[backcoach.Equipment](v.Equipment)
	}
	for _, e := range s.catalog.Find(f) {
		v.Exercises = append(v.Exercises, libraryItem{Exercise: e, Picture: s.picture(e.ID)})
	}
	if isHTMX(r) {
		s.renderPart(w, r, "library", "list", v)
		return
	}
	s.render(w, r, "library", v)
}

// exerciseView is the page of one exercise.
type exerciseView struct {
	Exercise *backcoach.Exercise
	Picture  template.HTML
	Sources  []catalog.Source
}

func (v exerciseView) title() (string, string) { return v.Exercise.Name, "exercises" }
func (exerciseView) offline() bool             { return true }

// exercisePage shows one exercise in full.
func (s *Server) exercisePage(w http.ResponseWriter, r *http.Request) {
	r = s.withOptionalPerson(r)
	e, err := s.catalog.Get(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, backcoach.Errorf(backcoach.ENOTFOUND, "there is no exercise %q", clipPath(r.PathValue("id"))))
		return
	}
	names := []string{e.Dose.Source}
	for _, c := range e.Cautions {
		if c.Source != "" {
			names = append(names, c.Source)
		}
	}
	s.render(w, r, "exercise", exerciseView{Exercise: e, Picture: s.picture(e.ID), Sources: s.sources(dedupeStrings(names))})
}

// dedupeStrings keeps the first of each string.
func dedupeStrings(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range list {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
