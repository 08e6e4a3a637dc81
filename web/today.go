package web

import (
	"net/http"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
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
	// PlayerURL is the player of today's kept plan ("/session", which
	// asks the questions again first, when there is none).
	PlayerURL    string
	Streak       int
	WeekSessions int
	DoneToday    bool
	Pains        []painRow
	Chart        chartView
	Quick        quickLog
}

func (todayView) title() (string, string) { return "Today", "today" }
func (todayView) offline() bool           { return true }
func (v todayView) emergency() bool       { return v.Refusal.emergency() }

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
	d, err := s.day(ctx, me)
	if err != nil {
		return nil, err
	}
	v := &todayView{Name: me.Name, Date: d.Now.In(d.Loc), NoAssessment: d.Latest == nil, Quick: quickLog{Pain: -1}}
	if v.Name == "" {
		v.Name = me.Handle
	}
	v.Refusal = newRefusalView(d.Refusal(), d.Profile)
	v.Stale = d.Latest != nil && d.Stale()
	if v.Refusal == nil && d.Latest != nil {
		// Today's plan is kept (once a day), so that Start goes straight
		// to its player, an address the service worker keeps offline.
		p, err := s.coach.Plan(ctx, me.ID, coach.PlanRequest{})
		switch {
		case err == nil:
			v.Plan, v.Level = &p.Plan.Plan, p.Progression
			if !v.Stale && p.Plan.ID != "" {
				v.PlayerURL = "/plans/" + p.Plan.ID + "/session"
			}
		case coach.Refused(err) != nil:
			v.Refusal = newRefusalView(coach.Refused(err), d.Profile)
		default:
			return nil, err
		}
	}
	wr, err := s.coach.Worsening(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	if wr.Alert {
		v.Worsening = &wr
		v.SoonTitle = triage.LevelOf(backcoach.UrgencySoon).Title
	}
	sessions, err := s.store.Sessions(ctx, me.ID, backcoach.Filter{From: d.Now.AddDate(0, 0, -120)})
	if err != nil {
		return nil, err
	}
	v.Streak = streak(sessions, d.Now, d.Loc)
	weekAgo := d.StartOfDay().AddDate(0, 0, -6)
	for _, ss := range sessions {
		if !ss.StartedAt.Before(weekAgo) {
			v.WeekSessions++
		}
		if ss.LocalDate(d.Loc) == d.Today {
			v.DoneToday = true
		}
	}
	entries, err := s.store.DiaryEntries(ctx, me.ID, backcoach.Filter{From: d.Now.AddDate(0, 0, -8)})
	if err != nil {
		return nil, err
	}
	for i := len(entries) - 1; i >= 0 && len(v.Pains) < 5; i-- {
		e := entries[i]
		v.Pains = append(v.Pains, painRow{ID: e.ID, At: e.At.In(d.Loc), Pain: e.Pain, Note: e.Note})
	}
	series, err := diary.BuildSeries(entries, sessions, 7, d.Now, d.Loc)
	if err != nil {
		return nil, err
	}
	v.Chart = drawChart(series, nil, chartSmall)
	return v, nil
}
