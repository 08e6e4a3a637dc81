package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// safetyView is the safety record page: what stands and what to do, the
// form that records a clinician's check, and the whole record.
type safetyView struct {
	Refusal *refusalView
	// Cleared are the history signs a clinician has cleared.
	Cleared []string
	Form    clearanceForm
	Screens []screenRow
	Checks  []backcoach.Clearance
	Saved   bool
}

func (safetyView) title() (string, string) { return "Your safety record", "today" }

// clearanceForm records who checked the person, and when.
type clearanceForm struct {
	By        string
	Name      string
	CheckedOn string
	Note      string
	Today     string
	Errors    map[string]string
}

// ByOptions are who may clear a warning sign, with their words.
func (clearanceForm) ByOptions() []struct{ ID, Words string } {
	var out []struct{ ID, Words string }
	for _, b := range backcoach.ClearedByAll {
		w := b.Words()
		out = append(out, struct{ ID, Words string }{string(b), strings.ToUpper(w[:1]) + w[1:]})
	}
	return out
}

// screenRow is one screen of the record.
type screenRow struct {
	At    time.Time
	Where string
	Signs []string
}

// safetyPage shows the safety record.
func (s *Server) safetyPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.safetyData(r, me, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, "safety", v)
}

// safetyData gathers the page; form, when given, is shown again with its
// errors.
func (s *Server) safetyData(r *http.Request, me *backcoach.Person, form *clearanceForm) (*safetyView, error) {
	d, err := s.day(r.Context(), me)
	if err != nil {
		return nil, err
	}
	v := &safetyView{Refusal: newRefusalView(d.Refusal(), d.Profile), Cleared: d.Standing.Cleared}
	if form != nil {
		v.Form = *form
	} else {
		v.Form = clearanceForm{By: string(backcoach.ClearedByGP), CheckedOn: d.Today, Errors: map[string]string{}}
	}
	v.Form.Today = d.Today
	for i := len(d.Record.Screens) - 1; i >= 0; i-- {
		sc := d.Record.Screens[i]
		if len(sc.Signs) == 0 {
			continue // the clean screens make the record long, not clearer
		}
		v.Screens = append(v.Screens, screenRow{At: sc.At.In(d.Loc), Where: coach.WhereWords(sc.Kind, sc.Via), Signs: sc.Signs})
	}
	for i := len(d.Record.Clearances) - 1; i >= 0; i-- {
		v.Checks = append(v.Checks, d.Record.Clearances[i])
	}
	return v, nil
}

// recordClearance keeps that a clinician checked the person.
func (s *Server) recordClearance(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	f := clearanceForm{
		By:        r.PostFormValue("by"),
		Name:      strings.TrimSpace(r.PostFormValue("name")),
		CheckedOn: strings.TrimSpace(r.PostFormValue("checked_on")),
		Note:      strings.TrimSpace(r.PostFormValue("note")),
		Errors:    map[string]string{},
	}
	_, _, err := s.coach.RecordClearance(r.Context(), me.ID, coach.ClearanceRequest{
		By: backcoach.ClearedBy(f.By), Name: f.Name, CheckedOn: f.CheckedOn, Note: f.Note,
	})
	if backcoach.ErrorCode(err) == backcoach.EINVALID {
		f.Errors[fieldOf(err)] = clearanceMessage(fieldOf(err), backcoach.ErrorMessage(err))
		v, verr := s.safetyData(r, me, &f)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		s.renderStatus(w, r, http.StatusBadRequest, "safety", v)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/safety?saved=1")
}

// clearanceMessage says a form error in plain words.
func clearanceMessage(field, msg string) string {
	switch field {
	case "by":
		return "Choose who checked you."
	case "checked_on":
		_, after, _ := strings.Cut(msg, ": ")
		return "The day of the check " + after
	case "signs":
		return "No warning sign stands in your record: there is nothing to clear."
	}
	return msg
}
