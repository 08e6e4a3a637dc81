package api

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
)

// Lists of records come a page at a time, newest first: limit (1 to 100,
// default 20) says how many, and the opaque next_cursor of one page,
// passed back as cursor, gives the next. A cursor marks a place in the
// list (a time and an id), so records added meanwhile never make a page
// repeat or skip one; a new record newer than the first page appears only
// when the list is walked again from the start.

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Page is one page of a list.
type Page[T any] struct {
	Items []T `json:"items" doc:"The records of this page, newest first."`
	// NextCursor is null on the last page.
	NextCursor *string `json:"next_cursor" doc:"Pass as the cursor parameter to get the next page; null on the last page."`
}

// PageParams are the query parameters of every paginated list (embedded
// in the input of each list operation).
type PageParams struct {
	Limit  limitParam `query:"limit" doc:"How many records to return, from 1 to 100; 20 when left out."`
	Cursor string     `query:"cursor" doc:"The next_cursor of the previous page; leave it out for the first page."`
}

// limitParam is the page size as the client wrote it; it is documented as
// the integer it must be and parsed by PageParams.parse.
type limitParam string

// Schema documents the page size.
func (limitParam) Schema(huma.Registry) *huma.Schema {
	lo, hi := float64(1), float64(MaxLimit)
	return &huma.Schema{Type: huma.TypeInteger, Minimum: &lo, Maximum: &hi, Default: DefaultLimit}
}

// position is a place in a list ordered by time, then id.
type position struct {
	at time.Time
	id string
}

// before reports whether p comes after c in a newest-first list.
func (p position) before(c position) bool {
	return p.at.Before(c.at) || p.at.Equal(c.at) && p.id < c.id
}

// pageRequest is a parsed PageParams.
type pageRequest struct {
	limit int
	after *position
}

// parse checks the page parameters.
func (p PageParams) parse() (pageRequest, error) {
	req := pageRequest{limit: DefaultLimit}
	if p.Limit != "" {
		n, err := strconv.Atoi(string(p.Limit))
		if err != nil || n < 1 || n > MaxLimit {
			return req, inQuery(backcoach.Invalid("limit", "must be a whole number from 1 to %d, got %q", MaxLimit, clip(string(p.Limit))))
		}
		req.limit = n
	}
	if p.Cursor != "" {
		pos, ok := decodeCursor(p.Cursor)
		if !ok {
			return req, inQuery(backcoach.Invalid("cursor", "is not a cursor this list gave out; pass the next_cursor of the previous page, or leave it out for the first page"))
		}
		req.after = &pos
	}
	return req, nil
}

// encodeCursor writes a position as an opaque cursor.
func encodeCursor(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.at.UnixMicro(), 10) + "." + p.id))
}

// decodeCursor reads a cursor written by encodeCursor.
func decodeCursor(s string) (position, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return position{}, false
	}
	micros, id, ok := strings.Cut(string(b), ".")
	if !ok || backcoach.CheckID("cursor", id) != nil {
		return position{}, false
	}
	n, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return position{}, false
	}
	return position{at: time.UnixMicro(n).UTC(), id: id}, true
}

// listPage returns one page of a list that the store gives newest first
// (by time, then id, both descending) within the filter f. Records that
// share the cursor's time are told apart by their ids; should more of
// them than were asked for sit at the page boundary, the store is asked
// again for more.
func listPage[T any](ctx context.Context, req pageRequest, f backcoach.Filter,
	list func(context.Context, backcoach.Filter) ([]T, error), key func(*T) position) (*Page[T], error) {
	f.NewestFirst = true
	if req.after != nil {
		// To is exclusive: one microsecond (the stored precision) later
		// keeps the records at the cursor's own time.
		to := req.after.at.Add(time.Microsecond)
		if f.To.IsZero() || to.Before(f.To) {
			f.To = to
		}
		if !f.From.IsZero() && !f.To.After(f.From) {
			return &Page[T]{Items: []T{}}, nil
		}
	}
	want := req.limit + 1
	for fetch := want; ; fetch *= 2 {
		f.Limit = fetch
		rows, err := list(ctx, f)
		if err != nil {
			return nil, err
		}
		items := rows
		if req.after != nil {
			items = make([]T, 0, len(rows))
			for i := range rows {
				if key(&rows[i]).before(*req.after) {
					items = append(items, rows[i])
				}
			}
		}
		if len(items) >= want || len(rows) < fetch {
			return makePage(items, req.limit, key), nil
		}
	}
}

// makePage cuts items to the limit and makes the cursor of the next page.
func makePage[T any](items []T, limit int, key func(*T) position) *Page[T] {
	if items == nil {
		items = []T{}
	}
	p := &Page[T]{Items: items}
	if len(items) > limit {
		p.Items = items[:limit]
		next := encodeCursor(key(&items[limit-1]))
		p.NextCursor = &next
	}
	return p
}
