package coach

import (
	"context"
	"slices"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

// CheckedIn is what keeping a check-in gives.
type CheckedIn struct {
	Entry *backcoach.DiaryEntry
	// Refusal is set when a warning sign stands after it (answered now or
	// before).
	Refusal *Refusal
	// SignsNow is true when this check-in answered a warning sign.
	SignsNow bool
	// Worsening is the diary's worsening read after it (docs/clinical.md
	// §6).
	Worsening diary.Worsening
}

// CheckIn keeps a diary entry, the same way in every interface. When it
// asked the warning signs, its screen goes into the safety record in the
// same transaction: a sign answered yes then stands until a clinician
// clears it. The flags are checked against the list (EINVALID naming the
// field).
func (c *Coach) CheckIn(ctx context.Context, person string, e *backcoach.DiaryEntry, via backcoach.Via) (*CheckedIn, error) {
	if err := checkFlags("flags", e.Flags); err != nil {
		return nil, err
	}
	if e.At.IsZero() {
		e.At = c.now()
	}
	b := &backcoach.Batch{Diary: e}
	if e.FlagsAsked {
		b.Screen = &backcoach.Screen{At: e.At, Kind: backcoach.ScreenCheckIn, Via: via, Complete: true, Signs: slices.Clone(e.Flags)}
	}
	if err := c.store.Keep(ctx, person, b); err != nil {
		return nil, err
	}
	return c.checkedIn(ctx, person, e)
}

// checkedIn is what a kept check-in leads to: the refusal and the
// worsening as they stand now.
func (c *Coach) checkedIn(ctx context.Context, person string, e *backcoach.DiaryEntry) (*CheckedIn, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	out := &CheckedIn{Entry: e, Refusal: d.Refusal(), SignsNow: len(e.Flags) > 0}
	if out.Worsening, err = c.worsening(ctx, d); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckInQuestions says what a check-in asks today: the warning signs
// once a day, and the weekly PEG when it is due (docs/clinical.md §6).
type CheckInQuestions struct {
	AskFlags bool
	AskPEG   bool
	// History asks whether anything changed about the history signs a
	// clinician cleared; empty when there are none.
	History string
}

// CheckInQuestions reads what today's check-in should ask.
func (c *Coach) CheckInQuestions(ctx context.Context, person string) (CheckInQuestions, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return CheckInQuestions{}, err
	}
	recent, err := c.store.DiaryEntries(ctx, person, backcoach.Filter{From: d.StartOfDay().AddDate(0, 0, -diary.PEGIntervalDays)})
	if err != nil {
		return CheckInQuestions{}, err
	}
	return CheckInQuestions{AskFlags: !diary.FlagsAskedOn(recent, d.Now, d.Loc), AskPEG: diary.PEGDue(recent, d.Now, d.Loc), History: d.HistoryQuestion()}, nil
}

// Worsening reads the diary's worsening rules for the person now.
func (c *Coach) Worsening(ctx context.Context, person string) (diary.Worsening, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return diary.Worsening{}, err
	}
	return c.worsening(ctx, d)
}

func (c *Coach) worsening(ctx context.Context, d *Day) (diary.Worsening, error) {
	entries, err := c.store.DiaryEntries(ctx, d.Person, backcoach.Filter{From: d.Now.AddDate(0, 0, -diary.WindowDays-1)})
	if err != nil {
		return diary.Worsening{}, err
	}
	start, err := c.planStart(ctx, d.Person)
	if err != nil {
		return diary.Worsening{}, err
	}
	// The plan's first week may lie before the entries read: read it too.
	if !start.IsZero() {
		first, err := c.store.DiaryEntries(ctx, d.Person, backcoach.Filter{From: start, To: start.AddDate(0, 0, diary.WindowDays+1)})
		if err != nil {
			return diary.Worsening{}, err
		}
		entries = append(entries, first...)
	}
	return diary.CheckWorsening(entries, start, d.Now, d.Loc), nil
}

// planStart returns when the current plan began, or zero.
func (c *Coach) planStart(ctx context.Context, person string) (time.Time, error) {
	list, err := c.store.Assessments(ctx, person, backcoach.Filter{})
	if err != nil {
		return time.Time{}, err
	}
	start, _ := diary.PlanStart(list)
	return start, nil
}

// DiaryReports builds the diary over each of diary.Periods, with every
// rule applied, from one reading of the data.
func (c *Coach) DiaryReports(ctx context.Context, person string) (map[int]diary.Report, *Day, error) {
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, nil, err
	}
	longest := diary.Periods[len(diary.Periods)-1]
	from := d.StartOfDay().AddDate(0, 0, -longest)
	start, err := c.planStart(ctx, person)
	if err != nil {
		return nil, nil, err
	}
	if !start.IsZero() && start.Before(from) {
		from = StartOfDay(start, d.Loc)
	}
	entries, err := c.store.DiaryEntries(ctx, person, backcoach.Filter{From: from})
	if err != nil {
		return nil, nil, err
	}
	sessions, err := c.store.Sessions(ctx, person, backcoach.Filter{From: from})
	if err != nil {
		return nil, nil, err
	}
	breakDays, err := c.store.BreakDays(ctx, person, from.Format(backcoach.DateLayout), "")
	if err != nil {
		return nil, nil, err
	}
	reports := map[int]diary.Report{}
	for _, days := range diary.Periods {
		r, err := diary.Build(diary.Input{Entries: entries, Sessions: sessions, PlanStart: start, Today: d.Now, Loc: d.Loc, Days: days, BreakDays: breakDays})
		if err != nil {
			return nil, nil, err
		}
		reports[days] = r
	}
	return reports, d, nil
}

// EditCheckIn replaces one of the person's diary entries. Warning signs
// the edit adds go into the safety record as a screen of their own (an
// edit is not a fresh screen: it lifts nothing).
func (c *Coach) EditCheckIn(ctx context.Context, person string, e *backcoach.DiaryEntry, via backcoach.Via) error {
	if err := checkFlags("flags", e.Flags); err != nil {
		return err
	}
	old, err := c.store.DiaryEntry(ctx, person, e.ID)
	if err != nil {
		return err
	}
	if e.At.IsZero() {
		e.At = old.At
	}
	if err := c.store.UpdateDiaryEntry(ctx, person, e); err != nil {
		return err
	}
	var added []string
	for _, f := range e.Flags {
		if !slices.Contains(old.Flags, f) {
			added = append(added, f)
		}
	}
	if len(added) == 0 {
		return nil
	}
	_, err = c.RecordSigns(ctx, person, added, backcoach.ScreenCheckIn, via, false)
	return err
}

// HistoryQuestion returns what today's check-in asks about the person's
// history signs a clinician has cleared ("Has anything changed about …?"),
// or "" when there are none (docs/clinical.md §6).
func (d *Day) HistoryQuestion() string { return triage.HistoryChangeQuestion(d.Standing.Cleared) }

// HistoryChanged keeps that something has changed about a history sign a
// clinician had cleared: a sign of its own in the safety record, which
// stands like a new warning sign until a clinician checks the person
// again. It returns the refusal that then stands.
func (c *Coach) HistoryChanged(ctx context.Context, person string, via backcoach.Via) (*Refusal, error) {
	screen := &backcoach.Screen{At: c.now(), Kind: backcoach.ScreenCheckIn, Via: via, Signs: []string{triage.HistoryChangedSign()}}
	if err := c.store.Keep(ctx, person, &backcoach.Batch{Screen: screen}); err != nil {
		return nil, err
	}
	d, err := c.Day(ctx, person)
	if err != nil {
		return nil, err
	}
	return d.Refusal(), nil
}
