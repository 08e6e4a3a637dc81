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
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/guide"
	"github.com/backcoach/backcoach/internal/jsonbody"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// The guided session player runs in the browser (static/player.js): a
// timer state machine over the segments of each exercise, computed here
// by the same rules as the terminal's session (guide.Segments). The page
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
	Openings     []playerOpening     `json:"openings"`
	Gate         []int               `json:"gate"`
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
	Changes  []string        `json:"changes"`
	StopIf   []string        `json:"stop_if"`
}

// playerOpening is what the session holds after one pain before, worked
// out by planner.Gate here, so that the player never applies the
// thresholds itself and works offline (docs/clinical.md §5).
type playerOpening struct {
	Mode     string       `json:"mode"` // full, gentle or none
	Title    string       `json:"title,omitempty"`
	Message  []string     `json:"message"`
	StopRule string       `json:"stop_rule"`
	Items    []playerItem `json:"items"`
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
	// StopRule is when to stop an exercise, before pain before is known.
	StopRule string
}

func (playerView) title() (string, string) { return "Guided session", "session" }
func (playerView) offline() bool           { return true }
func (playerView) script() string          { return "player.js" }

// startSession opens the player on today's plan, asking the questions
// again first when the last assessment is old or found a warning sign.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	_, verdict, err := s.coach.MayExercise(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if verdict.NeedsAssessment {
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
	d, err := s.day(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if refusal := d.Refusal(); refusal != nil {
		v := &planView{Today: true, Routine: routineOf(d), Refusal: newRefusalView(refusal, d.Profile)}
		s.render(w, r, "plan", v)
		return
	}
	if len(sp.Plan.Exercises) == 0 {
		s.fail(w, r, backcoach.Invalid("plan", "has no exercises to guide: change the minutes, places or equipment on the plan page"))
		return
	}
	data, shown, err := s.playerJSON(sp)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := playerView{Plan: sp, Calls: callNumbers(backcoach.UrgencyEmergency, d.Profile), JSON: data, StopRule: s.catalog.StopRule(catalog.StopUsual).Summary}
	v.Cards, _ = s.cards(shown)
	s.render(w, r, "player", v)
}

// playerJSON is the player's data for a plan: the planned session and,
// for each pain before 0–10, what the pain gate lets it hold. shown is a
// plan of every exercise any of them holds, for the page's pictures and
// steps.
func (s *Server) playerJSON(sp *backcoach.SavedPlan) (template.JS, backcoach.Plan, error) {
	d := playerData{
		PlanID: sp.ID, Level: sp.Plan.Level, TimeScale: s.cfg.TimeScale, RestSeconds: backcoach.RestSeconds,
		SaveURL: "/sessions", CheckURL: "/session/check",
		SkipReasons: guide.SkipReasons, Symptoms: guide.ReasonSymptoms, EndedEarly: guide.ReasonEndedEarly,
		WarningStart: "warning sign: ",
		Levels:       map[string]levelOut{},
		Openings:     []playerOpening{},
	}
	shown := sp.Plan
	seen := map[string]bool{}
	for _, x := range sp.Plan.Exercises {
		seen[x.ID] = true
	}
	usual := s.catalog.StopRule(catalog.StopUsual)
	items, err := s.playerItems(sp.Plan, usual)
	if err != nil {
		return "", shown, err
	}
	d.Items = items
	byKey := map[string]int{}
	for pain := 0; pain <= 10; pain++ {
		gate, err := planner.Gate(pain, sp.Plan, s.catalog)
		if err != nil {
			return "", shown, err
		}
		items, err := s.playerItems(gate.Plan, gate.StopRule)
		if err != nil {
			return "", shown, err
		}
		o := playerOpening{Mode: string(gate.Mode), Title: gate.Title, Message: gate.Message, StopRule: gate.StopRule.Summary, Items: items}
		key, _ := json.Marshal(o)
		i, ok := byKey[string(key)]
		if !ok {
			i = len(d.Openings)
			byKey[string(key)] = i
			d.Openings = append(d.Openings, o)
		}
		d.Gate = append(d.Gate, i)
		for _, x := range gate.Plan.Exercises {
			if !seen[x.ID] {
				seen[x.ID] = true
				shown.Exercises = append(shown.Exercises, x)
			}
		}
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
		return "", shown, err
	}
	return template.JS(buf.String()), shown, nil
}

// playerItems are a plan's exercises in the player's form, with their
// "Stop if" lines under a stop rule.
func (s *Server) playerItems(p backcoach.Plan, rule catalog.StopRule) ([]playerItem, error) {
	items, err := guide.Items(p, s.catalog)
	if err != nil {
		return nil, err
	}
	out := []playerItem{}
	for _, it := range items {
		x, e := it.Plan, it.Exercise
		pi := playerItem{ID: x.ID, Name: e.Name, Dose: doseText(x, &e), Cue: e.Breathing, Changes: x.Changes, StopIf: s.catalog.StopIf(x.ID, rule)}
		if pi.Changes == nil {
			pi.Changes = []string{}
		}
		for _, seg := range guide.Segments(it) {
			pi.Segments = append(pi.Segments, segmentOut(seg))
		}
		out = append(out, pi)
	}
	return out, nil
}

// segmentOut turns a segment into the player's form.
func segmentOut(seg guide.Segment) playerSegment {
	out := playerSegment{
		Kind: "work", Dose: string(seg.Dose), Set: seg.Set, Sets: seg.Sets, Side: seg.Side, Sides: seg.Sides,
		Seconds: seg.Duration.Seconds(), Reps: seg.Reps, PerRep: seg.PerRep.Seconds(), Label: seg.Label,
	}
	if seg.Kind == guide.SegmentTransition {
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
	// The signs go into the safety record at once; the questions after a
	// stop may end at the first emergency sign, so they are no complete
	// screen.
	sg, err := s.coach.RecordSigns(r.Context(), me.ID, dedupe(in.Flags), backcoach.ScreenSession, backcoach.ViaWeb, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"urgency": backcoach.UrgencySelfCare, "exercise_allowed": true, "title": "", "advice": []string{}}
	if rf := sg.Refusal; rf != nil {
		out = map[string]any{"urgency": rf.Urgency, "exercise_allowed": false, "title": rf.Title, "advice": rf.Advice}
	}
	writeJSON(w, http.StatusOK, out)
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
	sr := &coach.SessionRecord{Session: backcoach.Session{
		PlanID: in.PlanID, StartedAt: in.StartedAt, DurationSeconds: in.DurationSeconds,
		PainBefore: in.PainBefore, PainAfter: in.PainAfter, Exercises: in.Exercises,
	}}
	if len(in.Flags) > 0 {
		// Signs answered at a stop that could not be sent then (offline)
		// reach the safety record with the session.
		sr.StopSigns = dedupe(in.Flags)
	}
	rec, err := s.coach.RecordSession(r.Context(), me.ID, sr, backcoach.ViaWeb)
	if err != nil {
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
	// Ending is what the end of the session says (docs/clinical.md §5).
	Ending guide.Ending
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
	v.Ending = guide.EndingOf(guide.SummaryOf(ss), s.catalog.Pain().Ending)
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
