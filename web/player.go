package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/internal/jsonbody"
	"github.com/backcoach/backcoach/triage"
	"github.com/backcoach/backcoach/tui"
)

// The guided session player runs in the browser (static/player.js): a
// timer state machine over the segments of each exercise, computed here
// by the same rules as the terminal's guide (tui.Segments). The page
// carries everything the player needs as JSON, so that a session works
// offline once the page is loaded; the result is posted back at the end.

// playerData is the JSON the player reads from its page.
type playerData struct {
	PlanID       string              `json:"plan_id"`
	Level        int                 `json:"level"`
	TimeScale    float64             `json:"time_scale"`
	RestSeconds  int                 `json:"rest_seconds"`
	SaveURL      string              `json:"save_url"`
	CheckURL     string              `json:"check_url"`
	Items        []playerItem        `json:"items"`
	Flags        []playerFlag        `json:"flags"`
	Levels       map[string]levelOut `json:"levels"`
	SkipReasons  []string            `json:"skip_reasons"`
	Symptoms     string              `json:"symptoms_reason"`
	EndedEarly   string              `json:"ended_early_reason"`
	WarningStart string              `json:"warning_reason_prefix"`
}

// playerItem is one exercise of the session.
type playerItem struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Dose     string          `json:"dose"`
	Segments []playerSegment `json:"segments"`
	Cue      string          `json:"cue"`
}

// playerSegment is one timed part of an exercise.
type playerSegment struct {
	Kind    string  `json:"kind"` // "transition" or "work"
	Dose    string  `json:"dose"` // hold, reps or timed
	Set     int     `json:"set"`
	Sets    int     `json:"sets"`
	Side    int     `json:"side"`
	Sides   int     `json:"sides"`
	Seconds float64 `json:"seconds"`
	Reps    int     `json:"reps,omitempty"`
	PerRep  float64 `json:"per_rep,omitempty"`
	Label   string  `json:"label,omitempty"`
}

// playerFlag is a warning-sign question for a stop for symptoms.
type playerFlag struct {
	ID       string `json:"id"`
	Urgency  string `json:"urgency"`
	Question string `json:"question"`
}

// levelOut is the advice of an urgency, for the stop screen.
type levelOut struct {
	Title  string   `json:"title"`
	Advice []string `json:"advice"`
}

// playerView is the player page.
type playerView struct {
	Plan  *backcoach.SavedPlan
	Cards []planCard
	Calls []phoneNumber
	JSON  template.JS
}

func (playerView) title() (string, string) { return "Guided session", "session" }
func (playerView) offline() bool           { return true }
func (playerView) script() string          { return "player.js" }

// startSession opens the player on today's plan, asking the questions
// again first when the last assessment is old or found a warning sign.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	c, err := s.state(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.refusal == nil && c.stale() {
		redirect(w, r, "/assess")
		return
	}
	v, err := s.todayPlanView(r.Context(), me, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Refusal != nil || v.Saved == nil {
		s.render(w, r, "plan", v) // says why there is no session today
		return
	}
	redirect(w, r, "/plans/"+v.Saved.ID+"/session")
}

// player shows the guided session over a saved plan, unless a warning
// sign rules exercise out today.
func (s *Server) player(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	sp, err := s.store.Plan(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.state(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.refusal != nil || (c.latest != nil && !c.latest.Result.ExerciseAllowed) {
		v := &planView{Today: true, Routine: routineOf(c)}
		if c.refusal != nil {
			v.Refusal = s.refusalFor(*c.refusal, c.profile, "today's answers")
		} else {
			v.Refusal = s.refusalFor(c.latest.Result, c.profile, "your last assessment")
		}
		s.render(w, r, "plan", v)
		return
	}
	if len(sp.Plan.Exercises) == 0 {
		s.fail(w, r, backcoach.Invalid("plan", "has no exercises to guide: change the minutes, places or equipment on the plan page"))
		return
	}
	data, err := s.playerJSON(sp)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := playerView{Plan: sp, Calls: emergencyNumbers(c.profile.TimeZone), JSON: data}
	v.Cards, _ = s.cards(sp.Plan)
	s.render(w, r, "player", v)
}

// playerJSON is the player's data for a plan.
func (s *Server) playerJSON(sp *backcoach.SavedPlan) (template.JS, error) {
	d := playerData{
		PlanID: sp.ID, Level: sp.Plan.Level, TimeScale: s.cfg.TimeScale, RestSeconds: backcoach.RestSeconds,
		SaveURL: "/sessions", CheckURL: "/session/check",
		SkipReasons: tui.SkipReasons, Symptoms: tui.ReasonSymptoms, EndedEarly: tui.ReasonEndedEarly,
		WarningStart: "warning sign: ",
		Levels:       map[string]levelOut{},
	}
	for _, x := range sp.Plan.Exercises {
		e, err := s.catalog.Get(x.ID)
		if err != nil {
			return "", err
		}
		it := playerItem{ID: x.ID, Name: e.Name, Dose: doseText(x, e), Cue: e.Breathing}
		for _, seg := range tui.Segments(tui.Item{Plan: x, Exercise: *e}) {
			it.Segments = append(it.Segments, segmentOut(seg))
		}
		d.Items = append(d.Items, it)
	}
	for _, u := range []backcoach.Urgency{backcoach.UrgencyEmergency, backcoach.UrgencyUrgent} {
		for _, f := range triage.FlagsAt(u) {
			d.Flags = append(d.Flags, playerFlag{ID: f.ID, Urgency: string(f.Urgency), Question: f.Question})
		}
		l := triage.LevelOf(u)
		d.Levels[string(u)] = levelOut{Title: l.Title, Advice: l.Advice}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(d); err != nil {
		return "", err
	}
	return template.JS(buf.String()), nil
}

// segmentOut turns a segment into the player's form.
func segmentOut(seg tui.Segment) playerSegment {
	out := playerSegment{
		Kind: "work", Dose: string(seg.Dose), Set: seg.Set, Sets: seg.Sets, Side: seg.Side, Sides: seg.Sides,
		Seconds: seg.Duration.Seconds(), Reps: seg.Reps, PerRep: seg.PerRep.Seconds(), Label: seg.Label,
	}
	if seg.Kind == tui.SegmentTransition {
		out.Kind = "transition"
	}
	return out
}

// checkIn is what the player sends after a stop for symptoms.
type checkIn struct {
	Flags []string `json:"flags"`
}

// symptomCheck assesses the warning signs answered during a session:
// triage decides, the player only shows the answer.
func (s *Server) symptomCheck(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	var in checkIn
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	ans := backcoach.Answers{Flags: in.Flags}
	for i, id := range in.Flags {
		if _, ok := triage.LookupFlag(id); !ok {
			s.fail(w, r, backcoach.Invalid("flags", "flags[%d] %q is not a warning-sign id", i, clipPath(id)))
			return
		}
	}
	res := triage.Assess(&ans)
	if !res.ExerciseAllowed {
		if prof, err := s.store.Profile(r.Context(), me.ID); err == nil {
			s.rememberRefusal(r.Context(), s.now().In(prof.Location()).Format(backcoach.DateLayout), res.RedFlags)
		}
	}
	l := triage.LevelOf(res.Urgency)
	writeJSON(w, http.StatusOK, map[string]any{
		"urgency": res.Urgency, "exercise_allowed": res.ExerciseAllowed, "title": l.Title, "advice": res.Advice,
	})
}

// sessionIn is the record of a session the player posts.
type sessionIn struct {
	PlanID          string                      `json:"plan_id"`
	StartedAt       time.Time                   `json:"started_at"`
	DurationSeconds int                         `json:"duration_seconds"`
	PainBefore      int                         `json:"pain_before"`
	PainAfter       *int                        `json:"pain_after"`
	Exercises       []backcoach.ExerciseOutcome `json:"exercises"`
	Flags           []string                    `json:"flags"`
}

// maxClockSkew is how far in the future a device's clock may date a
// session; later times are taken as now.
const maxClockSkew = 5 * time.Minute

// saveSession keeps a session the player finished or left.
func (s *Server) saveSession(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	var in sessionIn
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.PlanID == "" {
		s.fail(w, r, backcoach.Invalid("plan_id", "must name the plan the session followed"))
		return
	}
	sp, err := s.store.Plan(r.Context(), me.ID, in.PlanID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec := backcoach.Session{
		PlanID: sp.ID, StartedAt: in.StartedAt, DurationSeconds: in.DurationSeconds, Level: sp.Plan.Level,
		PainBefore: in.PainBefore, PainAfter: in.PainAfter, Exercises: in.Exercises,
	}
	now := s.now()
	if rec.StartedAt.IsZero() || rec.StartedAt.After(now.Add(maxClockSkew)) {
		rec.StartedAt = now
	}
	if rec.StartedAt.After(now) {
		rec.StartedAt = now
	}
	if flags := dedupe(in.Flags); len(flags) > 0 {
		res := triage.Assess(&backcoach.Answers{Flags: flags})
		if !res.ExerciseAllowed {
			if prof, err := s.store.Profile(r.Context(), me.ID); err == nil {
				s.rememberRefusal(r.Context(), now.In(prof.Location()).Format(backcoach.DateLayout), res.RedFlags)
			}
		}
	}
	if err := s.store.SaveSession(r.Context(), me.ID, &rec); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": rec.ID, "url": "/sessions/" + rec.ID})
}

// decodeJSON reads a JSON body strictly, with jsonbody, the decoder of
// the API and the answers parser: unknown fields, wrong types and trailing
// data are refused with the field's name and what is allowed. Every field
// is optional here; the handlers check what they need.
func decodeJSON(r *http.Request, v any) error {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return backcoach.Invalid("body", "must be JSON (Content-Type: application/json)")
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return backcoach.Invalid("body", "could not be read: %v", err)
	}
	return jsonbody.Options{Optional: true}.Decode(data, v)
}

// writeJSON writes a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// sessionView is the page of one finished session.
type sessionView struct {
	Session *backcoach.Session
	Rows    []outcomeRow
	Change  *diary.Change
	Words   string
	Plan    *backcoach.SavedPlan
}

func (sessionView) title() (string, string) { return "Session", "session" }

// outcomeRow is one exercise of a session.
type outcomeRow struct {
	Name    string
	Outcome backcoach.ExerciseOutcome
}

// sessionPage shows a session's summary.
func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	ss, err := s.store.Session(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prof, err := s.store.Profile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ss.StartedAt = ss.StartedAt.In(prof.Location())
	v := sessionView{Session: ss}
	for _, o := range ss.Exercises {
		name := o.ExerciseID
		if e, err := s.catalog.Get(o.ExerciseID); err == nil {
			name = e.Name
		}
		v.Rows = append(v.Rows, outcomeRow{Name: name, Outcome: o})
	}
	if ss.PainAfter != nil {
		c := diary.Compare(float64(ss.PainBefore), float64(*ss.PainAfter))
		v.Change = &c
		v.Words = c.Words("Your pain")
	}
	s.render(w, r, "session", v)
}

// deleteSession removes a session from the history.
func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := s.store.DeleteSession(r.Context(), me.ID, r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/diary")
}
