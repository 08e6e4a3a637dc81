package coach

import (
	"context"
	"slices"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

// DefaultReportDays is the period a report covers when none is given: the
// last 30 days, today included.
const DefaultReportDays = 30

// Report is what a report for the person's physiotherapist or doctor
// shows, gathered once for every interface (the PDF, and later a
// clinician's page): who and when, the latest assessment with the warning
// signs and their clearances, the programme, the adherence and pain over
// the period with its meaningful change, the notes, and the sources.
type Report struct {
	Person *backcoach.Person
	// Made is when the report was made, in the person's zone.
	Made time.Time
	Loc  *time.Location
	// From and To are the period's first and last days (YYYY-MM-DD).
	From, To string
	// Latest is the newest assessment, nil before the first; Stage and
	// Urgency are said in words from the questions' data.
	Latest  *backcoach.SavedAssessment
	Stage   string
	Urgency string
	// Signs are the warning signs answered yes in the period, or standing
	// now, each with what became of it; Clearances are the clinicians'
	// clearances recorded in the period or covering those signs.
	Signs      []ReportSign
	Clearances []backcoach.Clearance
	// Refusal is set while a warning sign bars exercise: then there is no
	// programme, and the refusal says why.
	Refusal *Refusal
	// Programme is today's plan as the planner builds it (not kept);
	// ProgrammeNote says why there is none when it is nil and no refusal
	// stands.
	Programme     *Planned
	ProgrammeNote string
	// Doses say each exercise's dose in words, in the programme's order.
	Doses []string
	// Series is the pain and the sessions of each day of the period;
	// Change the period's change by the meaningful-change rule; PEG the
	// weekly PEG scores.
	Series   diary.Series
	Change   *diary.Change
	PEG      diary.PEGTrend
	Sessions []backcoach.Session
	// Notes are the check-ins of the period with a note, oldest first.
	Notes []ReportNote
	// Sources are the publications behind what the report shows.
	Sources []catalog.Source
}

// ReportSign is one warning sign of the record, as the report says it.
type ReportSign struct {
	ID      string
	Urgency backcoach.Urgency
	Words   string
	// At, When and Where say when it was last answered yes, and where.
	At    time.Time
	When  string
	Where string
	// Status says what stands of it now: "stands", or who cleared it.
	Status string
	// Standing is true while it stands.
	Standing bool
}

// ReportNote is a check-in's note.
type ReportNote struct {
	Date string
	Pain int
	Text string
}

// ReportData gathers the report over the days from from to to
// (YYYY-MM-DD, inclusive, in the person's zone; empty to is today, empty
// from is DefaultReportDays days before to). Nothing is kept: the
// programme is planned with NoSave. Bad dates are EINVALID naming "from"
// or "to".
func (c *Coach) ReportData(ctx context.Context, person, from, to string) (*Report, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	if to == "" {
		to = d.Today
	} else if err := backcoach.CheckDate("to", to); err != nil {
		return nil, err
	}
	if from == "" {
		last, err := time.ParseInLocation(backcoach.DateLayout, to, d.Loc)
		if err != nil {
			return nil, err
		}
		from = last.AddDate(0, 0, -(DefaultReportDays - 1)).Format(backcoach.DateLayout)
	} else if err := backcoach.CheckDate("from", from); err != nil {
		return nil, err
	}
	// The series checks the period's order and length.
	if _, err := diary.SeriesFromTo(nil, nil, from, to, d.Loc); err != nil {
		return nil, err
	}
	first, _ := time.ParseInLocation(backcoach.DateLayout, from, d.Loc)
	last, _ := time.ParseInLocation(backcoach.DateLayout, to, d.Loc)
	span := backcoach.Filter{From: first, To: last.AddDate(0, 0, 1)}

	r := &Report{Made: d.Now.In(d.Loc), Loc: d.Loc, From: from, To: to, Latest: d.Latest}
	if r.Person, err = c.store.Person(ctx, person); err != nil {
		return nil, err
	}
	entries, err := c.store.DiaryEntries(ctx, person, span)
	if err != nil {
		return nil, err
	}
	if r.Sessions, err = c.store.Sessions(ctx, person, span); err != nil {
		return nil, err
	}
	if r.Series, err = diary.SeriesFromTo(entries, r.Sessions, from, to, d.Loc); err != nil {
		return nil, err
	}
	r.Change = r.Series.PeriodChange()
	r.PEG = diary.BuildPEGTrend(entries, from, to, d.Loc)
	for _, e := range entries {
		if e.Note != "" {
			r.Notes = append(r.Notes, ReportNote{Date: e.LocalDate(d.Loc), Pain: e.Pain, Text: e.Note})
		}
	}
	var sources []string
	if d.Latest != nil {
		res := d.Latest.Result
		r.Urgency = triage.LevelOf(res.Urgency).Title
		r.Stage = string(res.Stage)
		if o, ok := triage.Ask("stage_description").Option(string(res.Stage)); ok {
			r.Stage = o.Label
		}
		sources = append(sources, res.Sources...)
	}
	r.Signs, r.Clearances = reportSigns(d, span)
	if r.Refusal = d.Refusal(); r.Refusal != nil {
		sources = append(sources, r.Refusal.Sources...)
	} else {
		p, err := c.plan(ctx, d, PlanRequest{NoSave: true})
		switch {
		case err == nil:
			r.Programme = p
			for _, x := range p.Plan.Plan.Exercises {
				var kind backcoach.DoseKind
				if e, err := c.catalog.Get(x.ID); err == nil {
					sources = append(sources, e.Dose.Source)
					kind = e.Dose.Kind
				}
				r.Doses = append(r.Doses, x.DoseWords(kind))
			}
		case Refused(err) != nil:
			r.Refusal = Refused(err)
			sources = append(sources, r.Refusal.Sources...)
		case backcoach.ErrorCode(err) == backcoach.ENOTFOUND:
			r.ProgrammeNote = "No programme yet: the safety check has not been answered."
		default:
			return nil, err
		}
	}
	// The diary's rules: the meaningful change (Farrar 2001, Ostelo 2008)
	// and the PEG scale (Krebs 2009), docs/clinical.md §6.
	sources = append(sources, "Farrar 2001", "Ostelo 2008")
	if len(r.PEG.Points) > 0 || (d.Latest != nil && d.Latest.Result.PEGScore != nil) {
		sources = append(sources, "Krebs 2009 (PEG)")
	}
	seen := map[string]bool{}
	for _, name := range sources {
		if seen[name] {
			continue
		}
		seen[name] = true
		if s, ok := c.catalog.Source(name); ok {
			r.Sources = append(r.Sources, s)
		}
	}
	return r, nil
}

// reportSigns lists the signs answered yes in the period or standing now,
// newest answer of each first, with what became of it, and the
// clearances that concern the period or those signs.
func reportSigns(d *Day, span backcoach.Filter) ([]ReportSign, []backcoach.Clearance) {
	rec := withLatest(d.Record, d.Latest)
	standing := map[string]triage.StandingSign{}
	for _, s := range d.Standing.Signs {
		standing[s.ID] = s
	}
	type answered struct {
		at   time.Time
		kind backcoach.ScreenKind
		via  backcoach.Via
	}
	last := map[string]answered{}
	var order []string
	for _, sc := range rec.Screens {
		inPeriod := !sc.At.Before(span.From) && sc.At.Before(span.To)
		for _, id := range sc.Signs {
			if _, ok := standing[id]; !inPeriod && !ok {
				continue
			}
			if _, ok := last[id]; !ok {
				order = append(order, id)
			}
			if a, ok := last[id]; !ok || !sc.At.Before(a.at) {
				last[id] = answered{sc.At, sc.Kind, sc.Via}
			}
		}
	}
	var signs []ReportSign
	covered := map[string]bool{}
	for _, id := range order {
		a := last[id]
		s := ReportSign{ID: id, Words: id, At: a.at, When: a.at.In(d.Loc).Format("2 Jan 2006, 15:04"), Where: WhereWords(a.kind, a.via)}
		if sg, ok := triage.LookupSign(id); ok {
			s.Words, s.Urgency = sg.Words, sg.Urgency
		}
		cl := clearanceOf(rec.Clearances, id, a.at)
		if cl != nil {
			covered[cl.ID] = true
		}
		st, stands := standing[id]
		switch {
		case stands && st.Cleared && cl != nil:
			s.Standing, s.Status = true, "cleared by "+clearedWords(cl)+"; lifted by the next check without new signs"
		case stands:
			s.Standing, s.Status = true, "stands"
		case cl != nil:
			s.Status = "cleared by " + clearedWords(cl)
		case slices.Contains(d.Standing.Cleared, id):
			s.Status = "cleared by a clinician"
		default:
			s.Status = "no longer stands"
		}
		signs = append(signs, s)
	}
	slices.SortStableFunc(signs, func(a, b ReportSign) int { return b.At.Compare(a.At) })
	var clearances []backcoach.Clearance
	for _, cl := range rec.Clearances {
		if covered[cl.ID] || (!cl.RecordedAt.Before(span.From) && cl.RecordedAt.Before(span.To)) {
			clearances = append(clearances, cl)
		}
	}
	return signs, clearances
}

// clearanceOf returns the newest clearance covering the sign recorded
// after it was answered, or nil.
func clearanceOf(list []backcoach.Clearance, id string, answered time.Time) *backcoach.Clearance {
	var out *backcoach.Clearance
	for i := range list {
		cl := &list[i]
		if slices.Contains(cl.Signs, id) && !cl.RecordedAt.Before(answered) && (out == nil || cl.RecordedAt.After(out.RecordedAt)) {
			out = cl
		}
	}
	return out
}

// clearedWords says who cleared and on which day: "a GP (Dr Lee) on
// 2026-12-01".
func clearedWords(cl *backcoach.Clearance) string {
	s := cl.By.Words()
	if cl.Name != "" {
		s += " (" + cl.Name + ")"
	}
	return s + " on " + cl.CheckedOn
}
