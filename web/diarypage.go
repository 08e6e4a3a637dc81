package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

// diaryView is the diary page: the check-in form, the chart over 7, 30
// or 90 days, the weekly PEG, the rules explained and the entries.
type diaryView struct {
	Days     int
	Periods  []int
	Report   diary.Report
	Chart    chartView
	PEGChart chartView
	Entries  []painRow
	Sessions []sessionRow
	Form     checkinForm
	Rules    diaryRules
	Saved    *savedNote
}

func (diaryView) title() (string, string) { return "Diary", "diary" }

// sessionRow is one session in the diary's list.
type sessionRow struct {
	ID         string
	At         time.Time
	PainBefore int
	PainAfter  *int
	Done       int
	Of         int
}

// savedNote says what a check-in saved and what follows from it.
type savedNote struct {
	Pain      int
	At        time.Time
	Refusal   *refusalView
	Worsening *diary.Worsening
	SoonTitle string
}

// checkinForm is the diary's check-in, with what was typed and what was
// wrong.
type checkinForm struct {
	ID        string // set when editing an entry
	Pain      string
	Note      string
	AskFlags  bool
	Flags     []string
	NoneOfAll bool
	AskPEG    bool
	PEGPain   string
	PEGEnjoy  string
	PEGAct    string
	Errors    map[string]string
	Emergency []triage.Flag
	Urgent    []triage.Flag
	At        time.Time
	// History asks whether anything changed about the history signs a
	// clinician cleared (empty when there are none); Changed is the
	// answer, "yes" or "no".
	History string
	Changed string
}

// diaryRules are the numbers of the diary's rules, to explain them.
type diaryRules struct {
	MeaningfulPoints float64
	MeaningfulShare  int
	WorseningPoints  float64
	HighPain         int
	WindowDays       int
}

// newCheckinForm lists the warning signs a check-in asks: those that can
// newly appear, not the history signs of the assessment (docs/clinical.md §6).
func newCheckinForm() checkinForm {
	f := checkinForm{Errors: map[string]string{}}
	for _, flag := range triage.CheckInFlags() {
		if flag.Urgency == backcoach.UrgencyEmergency {
			f.Emergency = append(f.Emergency, flag)
		} else {
			f.Urgent = append(f.Urgent, flag)
		}
	}
	return f
}

// diaryPage shows the diary. An htmx request for another period gets the
// chart section only.
func (s *Server) diaryPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	days := 30
	if d := r.URL.Query().Get("days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || diary.CheckPeriod(n) != nil {
			s.fail(w, r, backcoach.Invalid("days", "must be 7, 30 or 90, got %q", clipPath(d)))
			return
		}
		days = n
	}
	v, err := s.diaryData(r.Context(), me, days, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "report" {
		s.renderPart(w, r, "diary", "report", v)
		return
	}
	s.render(w, r, "diary", v)
}

// diaryData gathers the diary over a period; form, when given, is a
// check-in to show again with its errors.
func (s *Server) diaryData(ctx context.Context, me *backcoach.Person, days int, form *checkinForm) (*diaryView, error) {
	reports, d, err := s.coach.DiaryReports(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	v := &diaryView{Days: days, Periods: diary.Periods, Report: reports[days]}
	v.Rules = diaryRules{diary.MeaningfulPoints, int(diary.MeaningfulShare * 100), diary.WorseningPoints, diary.HighPain, diary.WindowDays}
	cut := d.StartOfDay().AddDate(0, 0, -days+1)
	entries, err := s.store.DiaryEntries(ctx, me.ID, backcoach.Filter{From: cut})
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.Sessions(ctx, me.ID, backcoach.Filter{From: cut})
	if err != nil {
		return nil, err
	}
	v.Chart = drawChart(v.Report.Series, &v.Report.PEG, chartWide)
	v.PEGChart = drawPEG(v.Report.PEG, v.Report.From, v.Report.To)
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.At.Before(cut) {
			break
		}
		v.Entries = append(v.Entries, painRow{ID: e.ID, At: e.At.In(d.Loc), Pain: e.Pain, Note: e.Note})
	}
	for i := len(sessions) - 1; i >= 0; i-- {
		ss := sessions[i]
		if ss.StartedAt.Before(cut) {
			break
		}
		row := sessionRow{ID: ss.ID, At: ss.StartedAt.In(d.Loc), PainBefore: ss.PainBefore, PainAfter: ss.PainAfter, Of: len(ss.Exercises)}
		for _, o := range ss.Exercises {
			if o.Outcome == backcoach.OutcomeDone {
				row.Done++
			}
		}
		v.Sessions = append(v.Sessions, row)
	}
	if form != nil {
		v.Form = *form
	} else {
		q, err := s.coach.CheckInQuestions(ctx, me.ID)
		if err != nil {
			return nil, err
		}
		v.Form = newCheckinForm()
		v.Form.AskFlags, v.Form.AskPEG, v.Form.History = q.AskFlags, q.AskPEG, q.History
	}
	return v, nil
}

// readCheckin reads a check-in form into an entry; the form keeps what
// was typed and the errors by field.
func readCheckin(r *http.Request, f *checkinForm) (backcoach.DiaryEntry, bool) {
	f.Pain = r.PostFormValue("pain")
	f.Note = strings.TrimSpace(r.PostFormValue("note"))
	f.AskFlags = r.PostFormValue("ask_flags") == "1"
	f.AskPEG = r.PostFormValue("ask_peg") == "1"
	f.Flags = r.PostForm["flags"]
	f.NoneOfAll = r.PostFormValue("none") == "1"
	f.History, f.Changed = r.PostFormValue("history"), r.PostFormValue("history_changed")
	f.PEGPain, f.PEGEnjoy, f.PEGAct = r.PostFormValue("peg_pain"), r.PostFormValue("peg_enjoyment"), r.PostFormValue("peg_activity")
	e := backcoach.DiaryEntry{Note: f.Note, Flags: []string{}}
	ok := true
	fail := func(field, msg string) {
		f.Errors[field] = msg
		ok = false
	}
	pain, err := strconv.Atoi(f.Pain)
	if err != nil || pain < 0 || pain > 10 {
		fail("pain", "choose how bad the pain is now, from 0 (none) to 10 (worst imaginable)")
	}
	e.Pain = pain
	if f.AskFlags {
		e.FlagsAsked = true
		e.Flags = dedupe(f.Flags)
		if len(e.Flags) != len(f.Flags) {
			fail("flags", "choose among the warning signs listed")
		}
		if len(e.Flags) == 0 && !f.NoneOfAll {
			fail("flags", "tick the warning signs you have, or \"none of these\"")
		}
		if len(e.Flags) > 0 && f.NoneOfAll {
			fail("flags", "you ticked warning signs and \"none of these\": untick one or the other")
		}
	}
	if f.History != "" && f.Changed != "yes" && f.Changed != "no" {
		fail("history", "answer whether anything has changed: yes or no")
	}
	if f.AskPEG && (f.PEGPain != "" || f.PEGEnjoy != "" || f.PEGAct != "") {
		peg := &backcoach.PEG{}
		for _, item := range []struct {
			field string
			v     string
			dst   *int
		}{{"peg_pain", f.PEGPain, &peg.Pain}, {"peg_enjoyment", f.PEGEnjoy, &peg.Enjoyment}, {"peg_activity", f.PEGAct, &peg.Activity}} {
			n, err := strconv.Atoi(item.v)
			if err != nil || n < 0 || n > 10 {
				fail(item.field, "choose a number from 0 to 10, or leave all three weekly questions empty")
			}
			*item.dst = n
		}
		e.PEG = peg
	}
	return e, ok
}

// keptFor is how far back a check-in kept on a device may say it was
// typed.
const keptFor = 365 * 24 * time.Hour

// typedAt is when a check-in was made: now, or for one kept on the device
// while offline or signed out and sent later, the time it was typed
// (typed_at, RFC 3339), so that it lands on its own day. A time ahead of
// the server's clock, or more than a year back, says more about the
// device's clock than about the check-in: it is kept at now rather than
// lost.
func typedAt(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, backcoach.Invalid("typed_at", "must be a time such as 2026-03-01T21:05:00Z, got %q", v)
	}
	if t.After(now) || now.Sub(t) > keptFor {
		return now, nil
	}
	return t, nil
}

// addDiary keeps a check-in (the diary's full one, or the pain-only quick
// log of Today) and says what follows: the advice for a warning sign, or
// the worsening alert.
func (s *Server) addDiary(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	f := newCheckinForm()
	e, ok := readCheckin(r, &f)
	quick := r.PostFormValue("quick") == "1" && isHTMX(r)
	if ok {
		var err error
		if e.At, err = typedAt(r.PostFormValue("typed_at"), s.now()); err != nil {
			formErrors(f.Errors).add(err)
			ok = false
		} else if err := e.Validate(); err != nil {
			formErrors(f.Errors).add(err)
			ok = false
		}
	}
	if !ok {
		s.checkinFailed(w, r, me, &f, quick)
		return
	}
	in, err := s.checkInOnce(r, me, &e, func(in *coach.CheckedIn) (err error) {
		if f.History != "" && f.Changed == "yes" {
			in.Refusal, err = s.coach.HistoryChanged(r.Context(), me.ID, backcoach.ViaWeb)
		}
		return err
	})
	if err != nil {
		if backcoach.ErrorCode(err) == backcoach.EINVALID {
			formErrors(f.Errors).add(err)
			s.checkinFailed(w, r, me, &f, quick)
			return
		}
		s.fail(w, r, err)
		return
	}
	note, err := s.afterCheckin(r.Context(), me, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if quick {
		s.renderPart(w, r, "today", "quick", quickLog{Pain: -1, Saved: "Saved: pain " + strconv.Itoa(e.Pain) + " at " + note.At.Format("15:04") + ".", Alert: note.Worsening, Refusal: note.Refusal})
		return
	}
	v, err := s.diaryData(r.Context(), me, 30, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Saved = note
	s.render(w, r, "diary", v)
}

// checkinFailed shows the check-in again with its errors.
func (s *Server) checkinFailed(w http.ResponseWriter, r *http.Request, me *backcoach.Person, f *checkinForm, quick bool) {
	if quick {
		w.Header().Set("HX-Reswap", "outerHTML")
		msg := f.Errors["pain"]
		if msg == "" {
			for _, m := range f.Errors {
				msg = m
			}
		}
		s.renderPart(w, r, "today", "quick", quickLog{Pain: -1, Error: msg})
		return
	}
	v, err := s.diaryData(r.Context(), me, 30, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderStatus(w, r, http.StatusBadRequest, "diary", v)
}

// fieldOf names the field of an error, for the form.
func fieldOf(err error) string {
	if e, ok := err.(*backcoach.Error); ok && e.Field != "" {
		f := strings.ReplaceAll(e.Field, "peg.", "peg_")
		if i := strings.IndexByte(f, '['); i > 0 {
			f = f[:i]
		}
		return f
	}
	return "form"
}

// afterCheckin says what a kept check-in calls for: what to do while a
// warning sign stands, or the worsening alert.
func (s *Server) afterCheckin(ctx context.Context, me *backcoach.Person, in *coach.CheckedIn) (*savedNote, error) {
	prof, err := s.store.Profile(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	note := &savedNote{Pain: in.Entry.Pain, At: in.Entry.At.In(prof.Location())}
	if in.Refusal != nil {
		note.Refusal = newRefusalView(in.Refusal, prof)
		return note, nil
	}
	if in.Worsening.Alert {
		note.Worsening = &in.Worsening
		note.SoonTitle = triage.LevelOf(backcoach.UrgencySoon).Title
	}
	return note, nil
}

// entryView is the page that edits one diary entry.
type entryView struct {
	Form checkinForm
}

func (entryView) title() (string, string) { return "Change a diary entry", "diary" }

// diaryEntryForm shows one entry to change or delete.
func (s *Server) diaryEntryForm(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	e, err := s.store.DiaryEntry(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prof, err := s.store.Profile(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newCheckinForm()
	f.ID, f.Pain, f.Note, f.At = e.ID, strconv.Itoa(e.Pain), e.Note, e.At.In(prof.Location())
	f.AskFlags, f.Flags, f.NoneOfAll = e.FlagsAsked, e.Flags, e.FlagsAsked && len(e.Flags) == 0
	if e.PEG != nil {
		f.AskPEG = true
		f.PEGPain, f.PEGEnjoy, f.PEGAct = strconv.Itoa(e.PEG.Pain), strconv.Itoa(e.PEG.Enjoyment), strconv.Itoa(e.PEG.Activity)
	}
	s.render(w, r, "entry", entryView{Form: f})
}

// updateDiary changes an entry's pain, note, warning signs and PEG.
func (s *Server) updateDiary(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	old, err := s.store.DiaryEntry(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newCheckinForm()
	f.ID, f.At = old.ID, old.At
	e, ok := readCheckin(r, &f)
	if ok {
		e.ID, e.At = old.ID, old.At
		err = s.coach.EditCheckIn(r.Context(), me.ID, &e, backcoach.ViaWeb)
		if backcoach.ErrorCode(err) == backcoach.EINVALID {
			formErrors(f.Errors).add(err)
			ok = false
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if !ok {
		s.renderStatus(w, r, http.StatusBadRequest, "entry", entryView{Form: f})
		return
	}
	redirect(w, r, "/diary")
}

// deleteDiary removes an entry.
func (s *Server) deleteDiary(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := s.store.DeleteDiaryEntry(r.Context(), me.ID, r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/diary")
}
