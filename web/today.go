package web

import (
	"net/http"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

// todayView is the Today page: the routine, the streak, the last pains
// and any alert.
type todayView struct {
	Name    string
	Date    time.Time
	Refusal *refusalView
	// Worsening is set when the diary's rules advise seeing a doctor.
	Worsening *diary.Worsening
	SoonTitle string
	// NoAssessment and Stale say that the questions come first.
	NoAssessment bool
	Stale        bool
	Plan         *backcoach.Plan
	Level        backcoach.Progression
	Streak       int
	WeekSessions int
	DoneToday    bool
	Pains        []painRow
	Chart        chartView
	Quick        quickLog
}

func (todayView) title() (string, string) { return "Today", "today" }
func (todayView) offline() bool           { return true }

// refusalView is what to do when a warning sign rules exercise out.
type refusalView struct {
	Result backcoach.Result
	Level  triage.Level
	Flags  []triage.Flag
	Calls  []phoneNumber
	Where  string
}

// painRow is one diary entry in a short list.
type painRow struct {
	ID   string
	At   time.Time
	Pain int
	Note string
}

// quickLog is the pain-only form on Today.
type quickLog struct {
	Pain    int
	Error   string
	Saved   string
	Alert   *diary.Worsening
	Refusal *refusalView
}

// todayPage shows Today.
func (s *Server) todayPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.todayData(r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "today", v)
}

// todayData gathers Today.
func (s *Server) todayData(r *http.Request, me *backcoach.Person) (*todayView, error) {
	ctx := r.Context()
	c, err := s.state(ctx, me)
	if err != nil {
		return nil, err
	}
	v := &todayView{Name: me.Name, Date: c.now.In(c.loc), NoAssessment: c.latest == nil, Quick: quickLog{Pain: -1}}
	if v.Name == "" {
		v.Name = me.Handle
	}
	if c.refusal != nil {
		v.Refusal = s.refusalFor(*c.refusal, c.profile, "today's answers")
	}
	v.Stale = c.latest != nil && c.stale()
	if c.exerciseAllowed() {
		p, prog, err := s.buildPlan(ctx, c)
		if err != nil {
			return nil, err
		}
		v.Plan, v.Level = &p, prog
	}
	wr, err := s.worsening(ctx, c)
	if err != nil {
		return nil, err
	}
	if wr.Alert {
		v.Worsening = &wr
		v.SoonTitle = triage.LevelOf(backcoach.UrgencySoon).Title
	}
	sessions, err := s.store.Sessions(ctx, me.ID, backcoach.Filter{From: c.now.AddDate(0, 0, -120)})
	if err != nil {
		return nil, err
	}
	v.Streak = streak(sessions, c.now, c.loc)
	weekAgo := startOfDay(c.now, c.loc).AddDate(0, 0, -6)
	for _, ss := range sessions {
		if !ss.StartedAt.Before(weekAgo) {
			v.WeekSessions++
		}
		if ss.LocalDate(c.loc) == c.today {
			v.DoneToday = true
		}
	}
	entries, err := s.store.DiaryEntries(ctx, me.ID, backcoach.Filter{From: c.now.AddDate(0, 0, -8)})
	if err != nil {
		return nil, err
	}
	for i := len(entries) - 1; i >= 0 && len(v.Pains) < 5; i-- {
		e := entries[i]
		v.Pains = append(v.Pains, painRow{ID: e.ID, At: e.At.In(c.loc), Pain: e.Pain, Note: e.Note})
	}
	series, err := diary.BuildSeries(entries, sessions, 7, c.now, c.loc)
	if err != nil {
		return nil, err
	}
	v.Chart = drawChart(series, nil, chartSmall)
	return v, nil
}

// phoneNumber is a number to tap to call.
type phoneNumber struct {
	Number string
	Label  string
}

// emergencyNumbers are the numbers named by the emergency advice, the
// person's own region's first when the time zone tells it.
func emergencyNumbers(zone string) []phoneNumber {
	uk := phoneNumber{"999", "Call 999 (UK)"}
	eu := phoneNumber{"112", "Call 112 (Europe)"}
	na := phoneNumber{"911", "Call 911 (North America)"}
	switch {
	case zone == "Europe/London" || zone == "Europe/Belfast":
		return []phoneNumber{uk, eu, na}
	case len(zone) > 7 && zone[:7] == "Europe/":
		return []phoneNumber{eu, uk, na}
	case len(zone) > 8 && zone[:8] == "America/":
		return []phoneNumber{na, eu, uk}
	default:
		return []phoneNumber{eu, uk, na}
	}
}

// refusalFor explains a result that rules exercise out.
func (s *Server) refusalFor(res backcoach.Result, prof *backcoach.Profile, where string) *refusalView {
	v := &refusalView{Result: res, Level: triage.LevelOf(res.Urgency), Where: where}
	for _, id := range res.RedFlags {
		if f, ok := triage.LookupFlag(id); ok {
			v.Flags = append(v.Flags, f)
		}
	}
	zone := ""
	if prof != nil {
		zone = prof.TimeZone
	}
	switch res.Urgency {
	case backcoach.UrgencyEmergency:
		v.Calls = emergencyNumbers(zone)
	case backcoach.UrgencyUrgent:
		if zone == "Europe/London" {
			v.Calls = []phoneNumber{{"111", "Call NHS 111"}}
		}
	}
	return v
}
