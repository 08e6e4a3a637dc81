package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/url"
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
	PlanID      string              `json:"plan_id"`
	Level       int                 `json:"level"`
	TimeScale   float64             `json:"time_scale"`
	RestSeconds int                 `json:"rest_seconds"`
	SaveURL     string              `json:"save_url"`
	CheckURL    string              `json:"check_url"`
	Items       []playerItem        `json:"items"`
	Openings    []playerOpening     `json:"openings"`
	Gate        []int               `json:"gate"`
	Flags       []playerFlag        `json:"flags"`
	Levels      map[string]levelOut `json:"levels"`
	// Ending is what the end screen says when the session cannot be
	// sent (offline, or the sign-in expired); online the server's answer
	// to the record carries guide.EndingOf's words.
	Ending       playerEnding `json:"ending"`
	SignIn       string       `json:"signin_url"`
	Progress     playerWeek   `json:"progress"`
	SkipReasons  []string     `json:"skip_reasons"`
	Symptoms     string       `json:"symptoms_reason"`
	EndedEarly   string       `json:"ended_early_reason"`
	WarningStart string       `json:"warning_reason_prefix"`
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

// playerEnding is the end screen's words for a session kept on the
// device: guide.EndingOf decides them online; offline the player needs
// the same words and, for each pain before, the pain after from which
// EndingOf says the pain rose (worked out here by EndingOf itself, so
// that the player applies no threshold of its own, docs/clinical.md §5).
type playerEnding struct {
	WellDone    string   `json:"well_done"`
	Finished    string   `json:"finished"`
	Rose        []string `json:"rose"`
	NothingDone []string `json:"nothing_done"`
	// RoseFrom[b] is the lowest pain after that counts as a rise from b,
	// or 11 when none does.
	RoseFrom []int `json:"rose_from"`
}

// playerWeek is the streak and the week's sessions before this one, for
// the end screen when the record cannot be sent.
type playerWeek struct {
	Streak       int  `json:"streak"`
	DoneToday    bool `json:"done_today"`
	WeekSessions int  `json:"week_sessions"`
	LastWeek     int  `json:"last_week_sessions"`
}

// endingOut is guide.EndingOf's answer, for the player.
type endingOut struct {
	Title        string   `json:"title"`
	Congratulate bool     `json:"congratulate"`
	Lines        []string `json:"lines"`
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
	// Moving is each card's moving picture, by exercise id.
	Moving map[string]template.HTML
	Calls  []phoneNumber
	JSON   template.JS
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
	week, err := s.weekOf(r.Context(), d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, shown, err := s.playerJSON(sp, week, r.URL.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := playerView{Plan: sp, Calls: callNumbers(backcoach.UrgencyEmergency, d.Profile), JSON: data, StopRule: s.catalog.StopRule(catalog.StopUsual).Summary}
	v.Cards, _ = s.cards(shown)
	v.Moving = map[string]template.HTML{}
	for _, c := range v.Cards {
		v.Moving[c.Exercise.ID] = s.movingPicture(c.Exercise.ID)
	}
	s.render(w, r, "player", v)
}

// playerJSON is the player's data for a plan: the planned session and,
// for each pain before 0–10, what the pain gate lets it hold. shown is a
// plan of every exercise any of them holds, for the page's pictures and
// steps.
func (s *Server) playerJSON(sp *backcoach.SavedPlan, week playerWeek, here string) (template.JS, backcoach.Plan, error) {
	words := s.catalog.Pain().Ending
	d := playerData{
		Ending:   playerEnding{WellDone: words.WellDone, Finished: words.Finished, Rose: words.Rose, NothingDone: words.NothingDone, RoseFrom: roseFrom(words)},
		SignIn:   "/signin?next=" + url.QueryEscape(here),
		Progress: week,
		PlanID:   sp.ID, Level: sp.Plan.Level, TimeScale: s.cfg.TimeScale, RestSeconds: backcoach.RestSeconds,
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
	// A stop asks the signs that can newly appear, emergency ones first
	// on a screen of their own; history signs are not asked mid-session
	// (docs/clinical.md §6).
	for _, f := range triage.CheckInFlags() {
		d.Flags = append(d.Flags, playerFlag{ID: f.ID, Urgency: string(f.Urgency), Question: f.Question})
	}
	for _, u := range []backcoach.Urgency{backcoach.UrgencyEmergency, backcoach.UrgencyUrgent} {
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

// movingPicture returns an exercise's moving illustration to put in the
// player, without its own style element (the page's style sheet shows the
// still one instead when the person asks for less motion).
func (s *Server) movingPicture(id string) template.HTML {
	svg, err := s.catalog.MovingSVG(id)
	if err != nil {
		return ""
	}
	out := string(svg)
	if i, j := strings.Index(out, "<style>"), strings.Index(out, "</style>"); i >= 0 && j > i {
		out = out[:i] + out[j+len("</style>"):]
	}
	return template.HTML(strings.Replace(out, "<svg ", `<svg role="img" class="picture-moving" `, 1))
}

// movingPolicy is the Content-Security-Policy of a moving picture opened
// on its own: nothing to load, and only its own style element (the
// reduced-motion rule).
const movingPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

// exerciseMoving serves an exercise's moving illustration as an SVG file.
func (s *Server) exerciseMoving(w http.ResponseWriter, r *http.Request) {
	svg, err := s.catalog.MovingSVG(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, backcoach.Errorf(backcoach.ENOTFOUND, "there is no moving picture of an exercise %q", clipPath(r.PathValue("id"))))
		return
	}
	w.Header().Set("Content-Security-Policy", movingPolicy)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(svg)
}

// roseFrom asks guide.EndingOf, for each pain before, from which pain
// after it says the pain rose: the player shows those words offline
// without a threshold of its own.
func roseFrom(words catalog.EndingWords) []int {
	out := make([]int, 11)
	for before := 0; before <= 10; before++ {
		out[before] = 11
		for after := 0; after <= 10; after++ {
			a := after
			rec := &backcoach.Session{PainBefore: before, PainAfter: &a, Exercises: []backcoach.ExerciseOutcome{{Outcome: backcoach.OutcomeDone}}}
			if e := guide.EndingOf(guide.SummaryOf(rec), words); !e.Congratulate {
				out[before] = after
				break
			}
		}
	}
	return out
}

// weekOf is the streak and the sessions of the last 7 days and the 7
// before, for the end screen.
func (s *Server) weekOf(ctx context.Context, d *coach.Day) (playerWeek, error) {
	sessions, err := s.store.Sessions(ctx, d.Person, backcoach.Filter{From: d.Now.AddDate(0, 0, -120)})
	if err != nil {
		return playerWeek{}, err
	}
	w := playerWeek{Streak: streak(sessions, d.Now, d.Loc)}
	weekAgo := d.StartOfDay().AddDate(0, 0, -6)
	twoAgo := weekAgo.AddDate(0, 0, -7)
	for _, ss := range sessions {
		switch {
		case !ss.StartedAt.Before(weekAgo):
			w.WeekSessions++
		case !ss.StartedAt.Before(twoAgo):
			w.LastWeek++
		}
		if ss.LocalDate(d.Loc) == d.Today {
			w.DoneToday = true
		}
	}
	return w, nil
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
	// ClientID is made by the player for each session, so that a record
	// sent twice (two taps, or again after a lost answer) is kept once.
	ClientID string `json:"client_id"`
}

// sessionOut is the answer to a kept session: where it is, and what the
// end screen says (guide.EndingOf, docs/clinical.md §5) with the streak
// and the week's sessions now.
type sessionOut struct {
	ID       string     `json:"id"`
	URL      string     `json:"url"`
	Ending   endingOut  `json:"ending"`
	Progress playerWeek `json:"progress"`
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
	if len(in.ClientID) > maxOnceKeyBytes {
		s.fail(w, r, backcoach.Invalid("client_id", "must be at most %d characters", maxOnceKeyBytes))
		return
	}
	id, _, err := s.recordOnce(r.Context(), me.ID, onceKey("session", in.ClientID), func() (string, error) {
		sr := &coach.SessionRecord{Session: backcoach.Session{
			PlanID: in.PlanID, StartedAt: in.StartedAt, DurationSeconds: in.DurationSeconds,
			PainBefore: in.PainBefore, PainAfter: in.PainAfter, Exercises: in.Exercises,
		}}
		if len(in.Flags) > 0 {
			// Signs answered at a stop that could not be sent then
			// (offline) reach the safety record with the session.
			sr.StopSigns = dedupe(in.Flags)
		}
		rec, err := s.coach.RecordSession(r.Context(), me.ID, sr, backcoach.ViaWeb)
		if err != nil {
			return "", err
		}
		return rec.ID, nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ss, err := s.store.Session(r.Context(), me.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.day(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	week, err := s.weekOf(r.Context(), d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e := guide.EndingOf(guide.SummaryOf(ss), s.catalog.Pain().Ending)
	if e.Lines == nil {
		e.Lines = []string{}
	}
	writeJSON(w, http.StatusCreated, sessionOut{ID: id, URL: "/sessions/" + id, Ending: endingOut{Title: e.Title, Congratulate: e.Congratulate, Lines: e.Lines}, Progress: week})
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
