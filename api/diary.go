package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// diaryBody is a daily check-in as a client sends it, to add one or to
// replace one.
type diaryBody struct {
	At         *time.Time     `json:"at,omitempty" doc:"When the check-in was made (RFC 3339). When left out: now for a new entry, unchanged when replacing one."`
	Pain       int            `json:"pain" minimum:"0" maximum:"10" doc:"Pain now, 0 to 10."`
	Note       string         `json:"note,omitempty" maxLength:"2000" doc:"A note, up to 2000 characters; new lines allowed."`
	FlagsAsked bool           `json:"flags_asked,omitempty" doc:"Whether the warning-sign question was asked."`
	Flags      []flagID       `json:"flags,omitempty" doc:"The warning signs answered yes; only when flags_asked is true."`
	PEG        *backcoach.PEG `json:"peg,omitempty" doc:"The weekly PEG-3, each item 0 to 10."`
}

// entry returns the diary entry the body describes, its flags checked
// against the warning-sign list.
func (b *diaryBody) entry() (backcoach.DiaryEntry, error) {
	e := backcoach.DiaryEntry{Pain: b.Pain, Note: b.Note, FlagsAsked: b.FlagsAsked, PEG: b.PEG, Flags: make([]string, len(b.Flags))}
	if b.At != nil {
		e.At = *b.At
	}
	for i, f := range b.Flags {
		if _, ok := triage.LookupFlag(string(f)); !ok {
			return e, backcoach.Invalid(fieldIndex("flags", i), "%q is not a warning-sign id; allowed: %s", clip(string(f)), strings.Join(triage.FlagIDs(), ", "))
		}
		e.Flags[i] = string(f)
	}
	return e, nil
}

type addDiaryInput struct {
	RawBody []byte
}

type replaceDiaryInput struct {
	ID      string `path:"id" doc:"The entry's id."`
	RawBody []byte
}

type diaryIDInput struct {
	ID string `path:"id" doc:"The entry's id."`
}

type listDiaryInput struct {
	PageParams
	From string `query:"from" doc:"Only entries at or after this time: RFC 3339, or a date YYYY-MM-DD meaning the start of that day in the person's time zone."`
	To   string `query:"to" doc:"Only entries before this time: RFC 3339, or a date YYYY-MM-DD meaning the start of that day in the person's time zone."`
}

func (a *API) registerDiary() {
	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "add-diary-entry",
		Method:      http.MethodPost,
		Path:        Prefix + "/diary",
		Summary:     "Add a diary entry",
		Description: "Keeps a daily check-in: pain, a note, the warning-sign answers and, weekly, the PEG-3. The entry is on disk when the answer comes. " +
			"A warning sign answered yes (flags) goes into the person's safety record: from then on no plan or session is offered, in any interface, " +
			"until a clinician's clearance is recorded (POST /api/v1/safety/clearances) and a fresh screen finds no new sign.",
		Tags:          []string{"Diary"},
		DefaultStatus: http.StatusCreated,
	}), diaryBody{}, "The check-in."), a.addDiary)

	register(a, a.private(huma.Operation{
		OperationID: "list-diary-entries",
		Method:      http.MethodGet,
		Path:        Prefix + "/diary",
		Summary:     "List the diary entries",
		Description: "The person's check-ins, newest first, a page at a time, optionally within a time range.",
		Tags:        []string{"Diary"},
		Errors:      []int{http.StatusBadRequest},
	}), a.listDiary)

	register(a, a.private(huma.Operation{
		OperationID: "get-diary-entry",
		Method:      http.MethodGet,
		Path:        Prefix + "/diary/{id}",
		Summary:     "Get one diary entry",
		Tags:        []string{"Diary"},
		Errors:      []int{http.StatusNotFound},
	}), a.getDiary)

	register(a, a.withBody(a.private(huma.Operation{
		OperationID: "replace-diary-entry",
		Method:      http.MethodPut,
		Path:        Prefix + "/diary/{id}",
		Summary:     "Replace a diary entry",
		Description: "Replaces the entry's pain, note, warning signs and PEG, and its time when one is given.",
		Tags:        []string{"Diary"},
		Errors:      []int{http.StatusNotFound},
	}), diaryBody{}, "The check-in as it should now be."), a.replaceDiary)

	register(a, a.private(huma.Operation{
		OperationID: "delete-diary-entry",
		Method:      http.MethodDelete,
		Path:        Prefix + "/diary/{id}",
		Summary:     "Delete a diary entry",
		Tags:        []string{"Diary"},
		Errors:      []int{http.StatusNotFound},
	}), a.deleteDiary)
}

func (a *API) addDiary(ctx context.Context, in *addDiaryInput) (*createdOutput[backcoach.DiaryEntry], error) {
	var body diaryBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	e, err := body.entry()
	if err != nil {
		return nil, inBody(err)
	}
	if _, err := a.coach.CheckIn(ctx, actor(ctx), &e, backcoach.ViaAPI); err != nil {
		return nil, inBody(err)
	}
	return &createdOutput[backcoach.DiaryEntry]{Location: Prefix + "/diary/" + e.ID, Body: &e}, nil
}

func (a *API) replaceDiary(ctx context.Context, in *replaceDiaryInput) (*recordOutput[backcoach.DiaryEntry], error) {
	var body diaryBody
	if err := decodeBody(in.RawBody, &body); err != nil {
		return nil, inBody(err)
	}
	e, err := body.entry()
	if err != nil {
		return nil, inBody(err)
	}
	me := actor(ctx)
	e.ID = in.ID
	if err := a.coach.EditCheckIn(ctx, me, &e, backcoach.ViaAPI); err != nil {
		if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
			return nil, err
		}
		return nil, inBody(err)
	}
	return &recordOutput[backcoach.DiaryEntry]{Body: &e}, nil
}

func (a *API) listDiary(ctx context.Context, in *listDiaryInput) (*pageOutput[backcoach.DiaryEntry], error) {
	req, err := in.parse()
	if err != nil {
		return nil, err
	}
	me := actor(ctx)
	var f backcoach.Filter
	if in.From != "" || in.To != "" {
		loc, err := a.location(ctx, me)
		if err != nil {
			return nil, err
		}
		if f.From, err = parseBound("from", in.From, loc); err != nil {
			return nil, err
		}
		if f.To, err = parseBound("to", in.To, loc); err != nil {
			return nil, err
		}
		if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
			return nil, inQuery(backcoach.Invalid("to", "must not be before from"))
		}
	}
	page, err := listPage(ctx, req, f, func(ctx context.Context, f backcoach.Filter) ([]backcoach.DiaryEntry, error) {
		return a.store.DiaryEntries(ctx, me, f)
	}, func(e *backcoach.DiaryEntry) position { return position{e.At, e.ID} })
	if err != nil {
		return nil, err
	}
	return &pageOutput[backcoach.DiaryEntry]{Body: page}, nil
}

// parseBound reads a from or to parameter: an RFC 3339 time, or a date
// meaning the start of that day in loc.
func parseBound(field, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if backcoach.CheckDate(field, s) == nil {
		d, _ := time.Parse(backcoach.DateLayout, s)
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
	}
	return time.Time{}, inQuery(backcoach.Invalid(field, "must be an RFC 3339 time such as 2026-03-02T08:30:00Z or a date YYYY-MM-DD, got %q", clip(s)))
}

func (a *API) getDiary(ctx context.Context, in *diaryIDInput) (*recordOutput[backcoach.DiaryEntry], error) {
	e, err := a.store.DiaryEntry(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &recordOutput[backcoach.DiaryEntry]{Body: e}, nil
}

func (a *API) deleteDiary(ctx context.Context, in *diaryIDInput) (*struct{}, error) {
	if err := a.store.DeleteDiaryEntry(ctx, actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// fieldIndex names the i-th element of a list field.
func fieldIndex(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }
