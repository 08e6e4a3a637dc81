package coach

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/planner"
)

// Clinic mode's use cases: a clinician's dashboard of the people who
// share with them, one patient's page, and assigning a programme. Every
// read goes through the store's SharedRecord, which checks the consent
// and audits the read in one transaction; the rules applied to what it
// returns are the same as the patient's own (the snapshot coach below
// answers the coach's reads from it).

// DashboardDays is the span of the dashboard's figures: pain, trend and
// adherence over the last 14 days.
const DashboardDays = 14

// InactiveDays is how long without a check-in or a session raises the
// inactivity alert.
const InactiveDays = 7

// AlertKind is a reason for a clinician to look at a patient; the kinds
// are listed in order of importance.
type AlertKind string

// The alerts, most important first.
const (
	// AlertWarningSign: a warning sign stands in the safety record
	// (docs/clinical.md §3).
	AlertWarningSign AlertKind = "warning_sign"
	// AlertHighPain: a pain rating of 8 or more in the last 14 days.
	AlertHighPain AlertKind = "high_pain"
	// AlertWorsening: the worsening rule of docs/clinical.md §6.
	AlertWorsening AlertKind = "worsening"
	// AlertInactive: no check-in and no session for 7 days.
	AlertInactive AlertKind = "inactive"
)

// AlertKinds lists the alerts in order of importance.
var AlertKinds = []AlertKind{AlertWarningSign, AlertHighPain, AlertWorsening, AlertInactive}

// Alert is one reason to look at a patient, in words.
type Alert struct {
	Kind  AlertKind `json:"kind"`
	Words string    `json:"words"`
}

// PatientSummary is one line of a clinician's dashboard.
type PatientSummary struct {
	Patient backcoach.Person  `json:"patient"`
	Consent backcoach.Consent `json:"consent"`
	// LastPain is the latest pain rating, nil when there is none (or the
	// diary is not shared); LastPainAt when it was given.
	LastPain   *int       `json:"last_pain"`
	LastPainAt *time.Time `json:"last_pain_at"`
	// Trend compares the mean pain of the last 7 days with the 7 before;
	// nil when either week has no rating.
	Trend *diary.Change `json:"trend"`
	// ActiveDays is the number of the last 14 days with a guided session.
	ActiveDays int `json:"active_days"`
	// Adherence is ActiveDays against the days planned in the last 14:
	// the programme's days when one is assigned, else every day (0 to 1).
	Adherence float64 `json:"adherence"`
	// Alerts are in order of importance (AlertKinds).
	Alerts []Alert `json:"alerts"`
}

// Dashboard lists the people who share their record with the clinician,
// with their figures and alerts; the patients with the most important
// alerts come first. The records are read for all patients at once
// (DashboardRecords), and each patient's read is audited.
func (c *Coach) Dashboard(ctx context.Context, clinician string) ([]PatientSummary, error) {
	recs, err := c.store.DashboardRecords(ctx, clinician, backcoach.Filter{From: c.dashboardFrom()})
	if err != nil {
		return nil, err
	}
	out := make([]PatientSummary, len(recs))
	// The summaries are worked out on every core: each depends on its
	// own record only.
	workers := min(runtime.GOMAXPROCS(0), len(recs))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(recs); i += workers {
				sum, err := c.summarise(ctx, &recs[i])
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = *sum
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

// dashboardFrom is the start of what the dashboard reads.
func (c *Coach) dashboardFrom() time.Time { return c.now().AddDate(0, 0, -(DashboardDays + 1)) }

// sortSummaries puts the patients with the most important alerts first,
// keeping the order by name among equals.
func sortSummaries(list []PatientSummary) {
	slices.SortStableFunc(list, func(a, b PatientSummary) int { return cmp.Compare(alertRank(a.Alerts), alertRank(b.Alerts)) })
}

func alertRank(alerts []Alert) int {
	if len(alerts) == 0 {
		return len(AlertKinds)
	}
	return slices.Index(AlertKinds, alerts[0].Kind)
}

// summarise works out a patient's dashboard line from their shared record.
func (c *Coach) summarise(ctx context.Context, rec *backcoach.SharedRecord) (*PatientSummary, error) {
	sc := c.over(rec)
	d, err := sc.Day(ctx, rec.Patient.ID)
	if err != nil {
		return nil, err
	}
	sum := &PatientSummary{Patient: rec.Patient, Consent: rec.Consent, Alerts: []Alert{}}
	since := StartOfDay(d.Now, d.Loc).AddDate(0, 0, -(DashboardDays - 1))
	var last *backcoach.DiaryEntry
	high := 0
	for i := range rec.Diary {
		e := &rec.Diary[i]
		if last == nil || !e.At.Before(last.At) {
			last = e
		}
		if !e.At.Before(since) && e.Pain > high {
			high = e.Pain
		}
	}
	if last != nil {
		p, at := last.Pain, last.At
		sum.LastPain, sum.LastPainAt = &p, &at
	}
	series, err := diary.BuildSeries(rec.Diary, rec.Sessions, 30, d.Now, d.Loc)
	if err != nil {
		return nil, err
	}
	planned := 0
	days := series.Days[len(series.Days)-DashboardDays:]
	for _, day := range days {
		if day.Sessions > 0 {
			sum.ActiveDays++
		}
		if rec.Programme == nil || programmeDay(rec.Programme, day.Date) {
			planned++
		}
	}
	earlier, later := days[:DashboardDays/2], days[DashboardDays/2:]
	if planned > 0 {
		sum.Adherence = min(1, float64(sum.ActiveDays)/float64(planned))
	}
	if a, na := meanPain(earlier); na > 0 {
		if b, nb := meanPain(later); nb > 0 {
			ch := diary.Compare(a, b)
			sum.Trend = &ch
		}
	}
	// The alerts, in order of importance.
	if rec.Safety != nil && d.Standing.Blocked {
		sum.Alerts = append(sum.Alerts, Alert{AlertWarningSign, "A warning sign stands in the safety record: " + d.Refusal().Title + "."})
	}
	if high >= diary.HighPain {
		sum.Alerts = append(sum.Alerts, Alert{AlertHighPain, fmt.Sprintf("A pain rating of %d in the last %d days.", high, DashboardDays)})
	}
	if rec.Consent.Shared(backcoach.ShareDiary) {
		w, err := sc.worsening(ctx, d)
		if err != nil {
			return nil, err
		}
		if w.MeanRule {
			sum.Alerts = append(sum.Alerts, Alert{AlertWorsening, fmt.Sprintf("Pain over the last 7 days is %.1f points above the plan's first week.", w.Rise)})
		}
	}
	quietSince := d.Now.AddDate(0, 0, -InactiveDays)
	active := false
	for _, e := range rec.Diary {
		active = active || !e.At.Before(quietSince)
	}
	for _, s := range rec.Sessions {
		active = active || !s.StartedAt.Before(quietSince)
	}
	if !active && (rec.Consent.Shared(backcoach.ShareDiary) || rec.Consent.Shared(backcoach.ShareSessions)) {
		sum.Alerts = append(sum.Alerts, Alert{AlertInactive, fmt.Sprintf("No check-in and no session for %d days.", InactiveDays)})
	}
	return sum, nil
}

func meanPain(days []diary.Day) (float64, int) {
	var sum float64
	n := 0
	for _, d := range days {
		if d.HasPain() {
			sum += d.Mean
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

// programmeDay reports whether a date (YYYY-MM-DD) is one of the
// programme's days.
func programmeDay(p *backcoach.Programme, date string) bool {
	t, err := time.Parse(backcoach.DateLayout, date)
	return err == nil && slices.Contains(p.Days, backcoach.WeekdayOf(t))
}

// PatientView is a patient's page for a clinician: what the patient sees
// in their diary, their safety record, and the programme.
type PatientView struct {
	Summary PatientSummary
	// Day is the patient's day: their zone, the latest assessment and what
	// stands of their safety record (when shared).
	Day *Day
	// Reports are the diary over each of diary.Periods, as the patient
	// sees it (empty when the diary is not shared).
	Reports map[int]diary.Report
	// Record is the shared record itself.
	Record *backcoach.SharedRecord
	// Warnings are the programme's exercises the patient's conditions
	// rule out.
	Warnings []backcoach.Exclusion
}

// ClinicianView reads one patient's page for a clinician; without a
// standing consent the patient is ENOTFOUND. The read is audited.
func (c *Coach) ClinicianView(ctx context.Context, clinician, patient string) (*PatientView, error) {
	longest := diary.Periods[len(diary.Periods)-1]
	from := c.now().AddDate(0, 0, -(longest + 1))
	rec, err := c.store.SharedRecord(ctx, backcoach.Access{Actor: clinician, Subject: patient}, backcoach.Filter{From: from})
	if err != nil {
		return nil, err
	}
	sum, err := c.summarise(ctx, rec)
	if err != nil {
		return nil, err
	}
	sc := c.over(rec)
	v := &PatientView{Summary: *sum, Record: rec, Reports: map[int]diary.Report{}}
	if rec.Consent.Shared(backcoach.ShareDiary) {
		if v.Reports, v.Day, err = sc.DiaryReports(ctx, patient); err != nil {
			return nil, err
		}
	} else if v.Day, err = sc.Day(ctx, patient); err != nil {
		return nil, err
	}
	if rec.Programme != nil {
		v.Warnings = c.programmeWarnings(rec.Programme.Exercises, conditionsOf(v.Day))
	}
	return v, nil
}

// conditionsOf are the patient's standing conditions: the profile's, and
// the latest assessment's.
func conditionsOf(d *Day) []backcoach.Condition {
	out := slices.Clone(d.Profile.Conditions)
	if d.Latest != nil {
		for _, c := range d.Latest.Answers.Conditions {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// programmeWarnings lists the exercises that conditions rule out, by the
// planner's own rules.
func (c *Coach) programmeWarnings(list []backcoach.ProgrammeExercise, conds []backcoach.Condition) []backcoach.Exclusion {
	out := []backcoach.Exclusion{}
	for _, x := range list {
		e, err := c.catalog.Get(x.ID)
		if err != nil {
			continue
		}
		if ex, left := planner.ConditionExclusion(e, conds); left {
			out = append(out, ex)
		}
	}
	return out
}

// Assigned is a programme kept, with the warnings for the clinician.
type Assigned struct {
	Programme *backcoach.Programme `json:"programme"`
	// Warnings are the exercises the patient's conditions rule out; the
	// patient's plan leaves them out.
	Warnings []backcoach.Exclusion `json:"warnings"`
}

// AssignProgramme keeps a programme a clinician assigns to a patient who
// shares their plan with them; it replaces the planner's choice for that
// patient (Plan uses it) while the safety record still applies. The
// clinician is told which exercises the patient's conditions rule out.
func (c *Coach) AssignProgramme(ctx context.Context, clinician, patient string, p *backcoach.Programme) (*Assigned, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for i, x := range p.Exercises {
		if _, err := c.catalog.Get(x.ID); err != nil {
			return nil, backcoach.Invalid(fmt.Sprintf("exercises[%d].id", i), "must be an exercise of the catalog (see GET /api/v1/exercises), got %q", x.ID)
		}
	}
	a := backcoach.Access{Actor: clinician, Subject: patient}
	rec, err := c.store.SharedRecord(ctx, a, backcoach.Filter{From: c.now()})
	if err != nil {
		return nil, err
	}
	d, err := c.over(rec).Day(ctx, patient)
	if err != nil {
		return nil, err
	}
	if err := c.store.AssignProgramme(ctx, a, p); err != nil {
		return nil, err
	}
	return &Assigned{Programme: p, Warnings: c.programmeWarnings(p.Exercises, conditionsOf(d))}, nil
}

// over returns a coach that answers its reads of the patient from a
// shared record, so that a clinician sees what the patient's own rules
// say. It only reads: a write would reach the nil store and panic.
func (c *Coach) over(rec *backcoach.SharedRecord) *Coach {
	return &Coach{store: snapshot{rec: rec}, catalog: c.catalog, now: c.now}
}

// snapshot answers the coach's reads from a shared record; its diary is
// the record's baseline and diary together.
type snapshot struct {
	Store
	rec *backcoach.SharedRecord
}

func (s snapshot) Profile(context.Context, string) (*backcoach.Profile, error) {
	p := *s.rec.Profile
	return &p, nil
}

func (s snapshot) SafetyRecord(context.Context, string) (*backcoach.SafetyRecord, error) {
	if s.rec.Safety == nil {
		return &backcoach.SafetyRecord{Screens: []backcoach.Screen{}, Clearances: []backcoach.Clearance{}}, nil
	}
	return s.rec.Safety, nil
}

func (s snapshot) Assessments(_ context.Context, _ string, f backcoach.Filter) ([]backcoach.SavedAssessment, error) {
	return pick(s.rec.Assessments, func(a *backcoach.SavedAssessment) time.Time { return a.TakenAt }, f), nil
}

func (s snapshot) DiaryEntries(_ context.Context, _ string, f backcoach.Filter) ([]backcoach.DiaryEntry, error) {
	return pick(s.rec.Baseline, func(e *backcoach.DiaryEntry) time.Time { return e.At }, f, s.rec.Diary), nil
}

func (s snapshot) Sessions(_ context.Context, _ string, f backcoach.Filter) ([]backcoach.Session, error) {
	return pick(s.rec.Sessions, func(x *backcoach.Session) time.Time { return x.StartedAt }, f), nil
}

func (s snapshot) BreakDays(context.Context, string, string, string) ([]backcoach.BreakDay, error) {
	return []backcoach.BreakDay{}, nil // never shared
}

func (s snapshot) ActiveProgramme(context.Context, string) (*backcoach.Programme, error) {
	if s.rec.Programme == nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no programme assigned")
	}
	return s.rec.Programme, nil
}

// pick applies a filter to records held in memory, oldest first: to
// list and the lists after it, as if they were one (a record's baseline
// and its diary, not copied into one). It orders the records' positions,
// not the records (an assessment is large), and sorts only when they are
// not in order already (the store gives them oldest first).
func pick[T any](list []T, at func(*T) time.Time, f backcoach.Filter, more ...[]T) []T {
	get := func(k int) *T {
		if k < len(list) {
			return &list[k]
		}
		k -= len(list)
		for _, l := range more {
			if k < len(l) {
				return &l[k]
			}
			k -= len(l)
		}
		panic("pick: a position past the lists")
	}
	n := len(list)
	for _, l := range more {
		n += len(l)
	}
	keep := make([]int, 0, n)
	sorted := true
	var last time.Time
	for k := range n {
		t := at(get(k))
		if (!f.From.IsZero() && t.Before(f.From)) || (!f.To.IsZero() && !t.Before(f.To)) {
			continue
		}
		if len(keep) > 0 && t.Before(last) {
			sorted = false
		}
		keep, last = append(keep, k), t
	}
	if !sorted {
		slices.SortStableFunc(keep, func(a, b int) int { return at(get(a)).Compare(at(get(b))) })
	}
	if f.NewestFirst {
		slices.Reverse(keep)
	}
	if f.Limit > 0 && len(keep) > f.Limit {
		keep = keep[:f.Limit]
	}
	// A run of one list in its order is returned as it is, capped so
	// that appending to it copies: the coach's reads do not change what
	// they read.
	if n := len(keep); n == 1 || (n > 0 && sorted && !f.NewestFirst && keep[n-1]-keep[0] == n-1) {
		switch a, b := keep[0], keep[n-1]+1; {
		case b <= len(list):
			return list[a:b:b]
		case a >= len(list) && len(more) == 1:
			a, b = a-len(list), b-len(list)
			return more[0][a:b:b]
		}
	}
	out := make([]T, len(keep))
	for j, k := range keep {
		out[j] = *get(k)
	}
	return out
}

// InvitationPrefix marks an invitation's code.
const InvitationPrefix = "bci_"

// Invite makes an invitation by a clinician of the clinic (the clinician's
// only clinic when clinicID is empty), asking to share the parts listed
// (all of them when none is). The code is returned once; only its hash is
// kept.
func (c *Coach) Invite(ctx context.Context, clinician, clinicID string, shares []backcoach.Share) (string, *backcoach.Invitation, error) {
	if clinicID == "" {
		ms, err := c.store.Memberships(ctx, clinician)
		if err != nil {
			return "", nil, err
		}
		if len(ms) == 0 {
			return "", nil, backcoach.Errorf(backcoach.ENOTFOUND, "you are not a clinician of any clinic")
		}
		if len(ms) != 1 {
			return "", nil, backcoach.Invalid("clinic_id", "must name one of your %d clinics", len(ms))
		}
		clinicID = ms[0].ClinicID
	}
	if len(shares) == 0 {
		shares = slices.Clone(backcoach.Shares)
	}
	code, hash, err := auth.NewToken(InvitationPrefix)
	if err != nil {
		return "", nil, err
	}
	inv := &backcoach.Invitation{ClinicID: clinicID, Hash: hash, Shares: shares}
	if err := c.store.CreateInvitation(ctx, clinician, inv); err != nil {
		return "", nil, err
	}
	return code, inv, nil
}

// Invitation finds the invitation a code names, for the person to read
// what it will share before agreeing; ENOTFOUND for a code that names
// none.
func (c *Coach) Invitation(ctx context.Context, code string) (*backcoach.Invitation, error) {
	if len(code) > 200 {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such invitation")
	}
	return c.store.InvitationByHash(ctx, auth.TokenHash(code))
}

// AcceptInvitation is the person agreeing to share what the invitation
// names with its clinician, from now until they stop sharing.
func (c *Coach) AcceptInvitation(ctx context.Context, person, code string) (*backcoach.Consent, error) {
	if len(code) > 200 {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no such invitation")
	}
	return c.store.AcceptInvitation(ctx, person, auth.TokenHash(code))
}
