package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
)

// Clinic mode's pages: a clinician's dashboard (/clinic), a patient's page
// and the programme form (/clinic/patients/{id}), the clinic's admin page
// (/clinic/admin); a person's side: an invitation to agree to
// (/join/{code}) and what they share (/settings/sharing). Who may see what
// is the coach's and the store's to decide; these only show it.

// shareWords says what each shared part is, for the person agreeing.
var shareWords = map[backcoach.Share]string{
	backcoach.ShareDiary:       "Your diary: every check-in's pain, note and PEG answers",
	backcoach.ShareSessions:    "Your guided sessions: when, how long, pain before and after, what was done",
	backcoach.ShareAssessments: "Your assessments: your answers and their results",
	backcoach.ShareSafety:      "Your safety record: every warning sign answered yes, and every clearance",
	backcoach.SharePlan:        "Your plan, and a programme the clinician may assign in its place",
}

// shareLabels names each part for the clinician choosing what to ask for.
var shareLabels = map[backcoach.Share]string{
	backcoach.ShareDiary:       "Diary (pain, notes, PEG)",
	backcoach.ShareSessions:    "Guided sessions",
	backcoach.ShareAssessments: "Assessments",
	backcoach.ShareSafety:      "Safety record (warning signs and clearances)",
	backcoach.SharePlan:        "Plan, and a programme you assign",
}

type clinicView struct {
	Members  []backcoach.ClinicMember
	Patients []coach.PatientSummary
	Code     string
	Link     string
	Admin    bool
	// Shares lists the parts to choose from; Asked what the invitation
	// just made asks for.
	Shares []shareChoice
	Asked  []string
}

type shareChoice struct {
	Part  backcoach.Share
	Label string
}

// chosenShares reads the parts the clinician ticked. A form without the
// choice (choose unset) asks for every part; with it, ticking none is
// refused.
func chosenShares(r *http.Request) ([]backcoach.Share, error) {
	if err := r.ParseForm(); err != nil {
		return nil, backcoach.Invalid("shares", "could not read the form")
	}
	var out []backcoach.Share
	for _, p := range r.PostForm["shares"] {
		out = append(out, backcoach.Share(p))
	}
	if len(out) == 0 && r.PostFormValue("choose") != "" {
		return nil, backcoach.Invalid("shares", "tick at least one part for the person to share")
	}
	return out, nil
}

func (clinicView) title() (string, string) { return "Your patients", "clinic" }

// clinicPage is the dashboard. Someone who is not a clinician gets 404.
func (s *Server) clinicPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.clinicData(r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "clinic", v)
}

func (s *Server) clinicData(r *http.Request, me *backcoach.Person) (*clinicView, error) {
	ms, err := s.store.Memberships(r.Context(), me.ID)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such page")
	}
	list, err := s.coach.Dashboard(r.Context(), me.ID)
	if err != nil {
		return nil, err
	}
	v := &clinicView{Members: ms, Patients: list}
	for _, p := range backcoach.Shares {
		v.Shares = append(v.Shares, shareChoice{p, shareLabels[p]})
	}
	for _, m := range ms {
		v.Admin = v.Admin || m.Role == backcoach.ClinicRoleAdmin
	}
	return v, nil
}

// invite makes an invitation and shows its code and link once.
func (s *Server) invite(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	shares, err := chosenShares(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code, inv, err := s.coach.Invite(r.Context(), me.ID, r.PostFormValue("clinic_id"), shares)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.clinicData(r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scheme := "http"
	if s.isSecure(r) {
		scheme = "https"
	}
	v.Code, v.Link = code, scheme+"://"+r.Host+"/join/"+code
	for _, p := range inv.Shares {
		v.Asked = append(v.Asked, shareLabels[p])
	}
	s.render(w, r, "clinic", v)
}

type patientView struct {
	*coach.PatientView
	Report   *diary.Report
	Refusal  *refusalView
	Names    map[string]string
	Exercise []string
	Saved    string
	Warnings []backcoach.Exclusion
}

func (patientView) title() (string, string) { return "Patient", "clinic" }

// patientPage is a patient's page for the clinician.
func (s *Server) patientPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	s.showPatient(w, r, me, "", nil)
}

func (s *Server) showPatient(w http.ResponseWriter, r *http.Request, me *backcoach.Person, saved string, warnings []backcoach.Exclusion) {
	pv, err := s.coach.ClinicianView(r.Context(), me.ID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &patientView{PatientView: pv, Names: map[string]string{}, Saved: saved, Warnings: warnings}
	if warnings == nil {
		v.Warnings = pv.Warnings
	}
	if rep, ok := pv.Reports[30]; ok {
		v.Report = &rep
	}
	if pv.Record.Safety != nil {
		v.Refusal = newRefusalView(pv.Day.Refusal(), pv.Day.Profile)
	}
	for _, e := range s.catalog.All() {
		v.Names[e.ID] = e.Name
		v.Exercise = append(v.Exercise, e.ID)
	}
	s.render(w, r, "patient", v)
}

// assignProgramme keeps the programme of the form: one line per exercise,
// "id sets reps hold".
func (s *Server) assignProgramme(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	p := &backcoach.Programme{Notes: r.PostFormValue("notes"), Exercises: []backcoach.ProgrammeExercise{}}
	for _, d := range r.PostForm["days"] {
		p.Days = append(p.Days, backcoach.Weekday(d))
	}
	for i, line := range strings.Split(strings.TrimSpace(r.PostFormValue("exercises")), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		x := backcoach.ProgrammeExercise{ID: f[0]}
		nums := []*int{&x.Sets, &x.Reps, &x.HoldSeconds}
		for j, n := range f[1:] {
			v, err := strconv.Atoi(n)
			if j >= len(nums) || err != nil {
				s.fail(w, r, backcoach.Invalid("exercises", "line %d must be: exercise id, sets, repetitions, hold seconds (e.g. chin-tuck 2 8 3), got %q", i+1, line))
				return
			}
			*nums[j] = v
		}
		p.Exercises = append(p.Exercises, x)
	}
	got, err := s.coach.AssignProgramme(r.Context(), me.ID, r.PathValue("id"), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showPatient(w, r, me, "The programme is assigned: it replaces the coach's plan for this person from now on.", got.Warnings)
}

type adminView struct {
	Members []backcoach.ClinicMember
	Clinic  backcoach.ClinicMember
	Saved   string
}

func (adminView) title() (string, string) { return "Clinic admin", "clinic" }

// adminClinic finds the clinic the actor is the admin of, or 404.
func (s *Server) adminClinic(r *http.Request, me *backcoach.Person) (*adminView, error) {
	ms, err := s.store.Memberships(r.Context(), me.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.Role == backcoach.ClinicRoleAdmin {
			list, err := s.store.ClinicMembers(r.Context(), me.ID, m.ClinicID)
			if err != nil {
				return nil, err
			}
			return &adminView{Members: list, Clinic: m}, nil
		}
	}
	return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such page")
}

func (s *Server) clinicAdmin(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.adminClinic(r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "clinicadmin", v)
}

func (s *Server) addClinician(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	v, err := s.adminClinic(r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	handle := strings.TrimSpace(r.PostFormValue("handle"))
	p, err := s.store.PersonByHandle(r.Context(), handle)
	if err != nil {
		s.fail(w, r, &backcoach.Error{Code: backcoach.EINVALID, Field: "handle", Message: "no account has the handle " + strconv.Quote(handle) + ": the clinician signs up first"})
		return
	}
	m, err := s.store.AddClinicianAs(r.Context(), me.ID, v.Clinic.ClinicID, p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err = s.adminClinic(r, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Saved = m.Name + " is now a clinician of " + m.ClinicName + "."
	s.render(w, r, "clinicadmin", v)
}

type joinView struct {
	Invitation *backcoach.Invitation
	Code       string
	Parts      []string
	Usable     bool
	Consent    *backcoach.Consent
}

func (joinView) title() (string, string) { return "Share with a clinician", "settings" }

// joinPage shows what an invitation will share, before the person agrees.
func (s *Server) joinPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	code := r.PathValue("code")
	inv, err := s.coach.Invitation(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &joinView{Invitation: inv, Code: code, Usable: inv.Usable(s.now()) && inv.ClinicianID != me.ID}
	for _, p := range inv.Shares {
		v.Parts = append(v.Parts, shareWords[p])
	}
	s.render(w, r, "join", v)
}

// join is the person agreeing.
func (s *Server) join(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if _, err := s.coach.AcceptInvitation(r.Context(), me.ID, r.PathValue("code")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/settings/sharing")
}

type sharingView struct {
	Consents []backcoach.Consent
	Reads    []auditRead
	Words    map[backcoach.Share]string
}

// auditRead is one clinician's read of the person's data.
type auditRead struct {
	backcoach.AuditEntry
	Who, Did string
}

func (sharingView) title() (string, string) { return "Sharing", "settings" }

// sharingPage lists who the person shares with, and who looked.
func (s *Server) sharingPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	consents, err := s.store.Consents(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	trail, err := s.store.AuditTrail(r.Context(), me.ID, backcoach.Filter{NewestFirst: true, Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &sharingView{Consents: consents, Reads: []auditRead{}, Words: shareWords}
	for _, e := range trail {
		if e.ActorID == me.ID || (e.Kind != backcoach.KindShared && e.Kind != backcoach.KindProgramme && e.Kind != backcoach.KindConsent) {
			continue
		}
		// A clinician no consent names any more closed their account:
		// the consents given to them then had their clinician removed.
		who, gone := "a clinician who has since closed their account", true
		for _, c := range consents {
			if c.ClinicianID != "" && c.ClinicianID == e.ActorID {
				who, gone = c.ClinicianName+" ("+c.ClinicName+")", false
			}
		}
		did := ""
		switch {
		case e.Kind == backcoach.KindShared:
			did = "read what you share"
		case gone && e.Action == backcoach.AuditUpdate && e.Kind == backcoach.KindConsent:
			who, did = "a clinician", "closed their account, which ended your sharing with them"
		case gone && e.Action == backcoach.AuditUpdate:
			who, did = "a clinician", "closed their account, which ended the programme they assigned"
		case e.Kind == backcoach.KindProgramme:
			did = "assigned or changed your programme"
		default:
			continue
		}
		v.Reads = append(v.Reads, auditRead{AuditEntry: e, Who: who, Did: did})
	}
	s.render(w, r, "sharing", v)
}

// stopSharing ends a consent at once.
func (s *Server) stopSharing(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	if err := s.store.RevokeConsent(r.Context(), me.ID, r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/settings/sharing")
}
