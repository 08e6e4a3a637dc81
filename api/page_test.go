package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// walk follows next_cursor from the first page to the last and returns
// the ids in the order they came.
func (e *env) walk(t *testing.T, as who, path string, limit int) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%s: the walk does not end", path)
		}
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("limit", fmt.Sprint(limit))
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		u.RawQuery = q.Encode()
		res := e.do(t, as, "GET", u.String(), nil)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", u, res.status, res.body)
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		res.decode(t, &page)
		if len(page.Items) > limit {
			t.Fatalf("GET %s: %d items, more than the limit", u, len(page.Items))
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.NextCursor == nil {
			return ids
		}
		if len(page.Items) == 0 {
			t.Fatalf("GET %s: an empty page with a next cursor", u)
		}
		cursor = *page.NextCursor
	}
}

// TestPaginationWalksEveryRecordOnce walks lists page by page, with many
// records sharing one time (told apart by id), and checks that every
// record comes exactly once, newest first.
func TestPaginationWalksEveryRecordOnce(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		base := time.Date(2026, 2, 20, 8, 0, 0, 0, time.UTC)
		var want []string // newest first
		type rec struct {
			at time.Time
			id string
		}
		var made []rec
		// 46 entries: groups of three at the same instant, and one group
		// of ten, larger than a page.
		for i := 0; i < 36; i++ {
			at := base.Add(time.Duration(i/3) * time.Hour)
			made = append(made, rec{at, e.create(t, e.alice, "/api/v1/diary", map[string]any{"pain": i % 11, "at": at.Format(time.RFC3339)})})
		}
		for i := 0; i < 10; i++ {
			at := base.Add(100 * time.Hour)
			made = append(made, rec{at, e.create(t, e.alice, "/api/v1/diary", map[string]any{"pain": 1, "at": at.Format(time.RFC3339)})})
		}
		slices.SortFunc(made, func(a, b rec) int {
			if c := b.at.Compare(a.at); c != 0 {
				return c
			}
			switch {
			case a.id > b.id:
				return -1
			case a.id < b.id:
				return 1
			}
			return 0
		})
		for _, r := range made {
			want = append(want, r.id)
		}
		for _, limit := range []int{1, 3, 7, 20, 100} {
			if got := e.walk(t, e.alice, "/api/v1/diary", limit); !slices.Equal(got, want) {
				t.Errorf("limit %d: walked\n%v\nwant\n%v", limit, got, want)
			}
		}
		// Within a range: from inclusive, to exclusive.
		from, to := base.Add(2*time.Hour), base.Add(5*time.Hour)
		var inRange []string
		for _, r := range made {
			if !r.at.Before(from) && r.at.Before(to) {
				inRange = append(inRange, r.id)
			}
		}
		path := "/api/v1/diary?from=" + url.QueryEscape(from.Format(time.RFC3339)) + "&to=" + url.QueryEscape(to.Format(time.RFC3339))
		if got := e.walk(t, e.alice, path, 4); !slices.Equal(got, inRange) || len(got) != 9 {
			t.Errorf("within %s: walked %v, want %v", path, got, inRange)
		}
		// Another person walks their own, empty, list.
		if got := e.walk(t, e.bob, "/api/v1/diary", 5); len(got) != 0 {
			t.Errorf("another person's walk shows %v", got)
		}
	})
}

// TestPaginationOfEveryList walks each kind of list.
func TestPaginationOfEveryList(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		var assessments, plans, sessions []string
		for i := 0; i < 7; i++ {
			r := e.makeRecords(t, e.alice)
			assessments = append([]string{r.assessment}, assessments...)
			plans = append([]string{r.plan}, plans...)
			sessions = append([]string{r.session}, sessions...)
		}
		for path, want := range map[string][]string{"/api/v1/assessments": assessments, "/api/v1/plans": plans, "/api/v1/sessions": sessions} {
			if got := e.walk(t, e.alice, path, 3); !slices.Equal(got, want) {
				t.Errorf("%s walked %v, want %v", path, got, want)
			}
		}
	})
}

// TestCursorIsStableWhileRecordsAreAdded adds a newer record in the middle
// of a walk: the walk neither repeats nor skips a record.
func TestCursorIsStableWhileRecordsAreAdded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	var want []string
	for i := 0; i < 6; i++ {
		want = append([]string{e.create(t, e.alice, "/api/v1/diary", map[string]any{"pain": i})}, want...)
	}
	first := e.do(t, e.alice, "GET", "/api/v1/diary?limit=4", nil)
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	first.decode(t, &page)
	got := []string{}
	for _, it := range page.Items {
		got = append(got, it.ID)
	}
	e.create(t, e.alice, "/api/v1/diary", map[string]any{"pain": 9})
	second := e.do(t, e.alice, "GET", "/api/v1/diary?limit=4&cursor="+url.QueryEscape(*page.NextCursor), nil)
	second.decode(t, &page)
	for _, it := range page.Items {
		got = append(got, it.ID)
	}
	if !slices.Equal(got, want) || page.NextCursor != nil {
		t.Errorf("walked %v (next %v), want %v", got, page.NextCursor, want)
	}
}
