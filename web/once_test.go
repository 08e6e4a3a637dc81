package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/internal/testenv"
)

// TestOnceSet: the second call with a key gets the first one's value;
// a failed call frees its key; without a key every call runs; the set
// keeps at most its bound.
func TestOnceSet(t *testing.T) {
	t.Parallel()
	o := newOnceSet(3)
	ctx := context.Background()
	runs := 0
	fn := func() (any, bool) { runs++; return runs, true }
	if v, dup := o.do(ctx, "p", "k", fn); v != 1 || dup {
		t.Fatalf("first: %v %v", v, dup)
	}
	if v, dup := o.do(ctx, "p", "k", fn); v != 1 || !dup {
		t.Fatalf("second: %v %v", v, dup)
	}
	if v, _ := o.do(ctx, "q", "k", fn); v != 2 {
		t.Fatalf("another person's key is theirs: %v", v)
	}
	if o.do(ctx, "p", "", fn); runs != 3 {
		t.Fatalf("without a key: %d runs", runs)
	}
	o.do(ctx, "p", "bad", func() (any, bool) { return nil, false })
	if v, dup := o.do(ctx, "p", "bad", fn); dup || v != 4 {
		t.Fatalf("after a failure the key is free again: %v %v", v, dup)
	}
	o.do(ctx, "p", "x", fn)
	o.do(ctx, "p", "y", fn)
	if len(o.calls) > 3 {
		t.Errorf("%d keys kept, bound 3", len(o.calls))
	}
}

// TestDoubleSubmit: two quick taps on the check-in's button, and the
// player's record sent twice, make one record each, even at once.
func TestDoubleSubmit(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	b := app.signup(t, "twice")
	takeAssessment(t, b, mildDesk)
	me := app.person(t, "twice")

	page := b.get("/diary")
	m := regexp.MustCompile(`name="form_key" value="([a-z2-7]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the check-in form has no key: %.2000s", page.body)
	}
	form := url.Values{"pain": {"3"}, "note": {"twice"}, "form_key": {m[1]}}
	if strings.Contains(page.body, `name="ask_flags"`) {
		form.Set("ask_flags", "1")
		form.Set("none", "1")
	}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := b.post("/diary", form)
			if r.StatusCode != http.StatusOK {
				t.Errorf("tap %d: status %d", i, r.StatusCode)
			}
		}()
	}
	wg.Wait()
	entries, _ := app.st.DiaryEntries(context.Background(), me.ID, backcoach.Filter{})
	if len(entries) != 1 {
		t.Errorf("two taps kept %d check-ins, want 1", len(entries))
	}
	// A fresh form has a fresh key: a second check-in is kept.
	form.Set("form_key", "another")
	b.post("/diary", form)
	entries, _ = app.st.DiaryEntries(context.Background(), me.ID, backcoach.Filter{})
	if len(entries) != 2 {
		t.Errorf("a second check-in: %d kept, want 2", len(entries))
	}

	// The player's record, with its own id, sent twice.
	r := b.get("/plan")
	planID := regexp.MustCompile(`/plans/([a-z2-7]{26})/session`).FindStringSubmatch(r.body)
	if planID == nil {
		t.Fatalf("no player link on the plan: %.2000s", r.body)
	}
	body, _ := json.Marshal(map[string]any{
		"client_id": "c0ffee", "plan_id": planID[1], "started_at": app.clock.Now(), "duration_seconds": 60,
		"pain_before": 3, "pain_after": 2, "exercises": []any{}, "flags": []string{},
	})
	var ids []string
	for i := 0; i < 2; i++ {
		r := b.postJSON("/sessions", string(body))
		wantStatus(t, r, http.StatusCreated)
		var out sessionOut
		json.Unmarshal([]byte(r.body), &out)
		ids = append(ids, out.ID)
		if out.Ending.Title == "" {
			t.Errorf("the answer has no end screen's words: %s", r.body)
		}
	}
	sessions, _ := app.st.Sessions(context.Background(), me.ID, backcoach.Filter{})
	if len(sessions) != 1 || ids[0] != ids[1] {
		t.Errorf("a record sent twice kept %d sessions (%v), want 1", len(sessions), ids)
	}
}

// TestFormKeysDurable: one check-in form sent at once to two servers on
// one database, then again to a third (a restart), keeps one entry, and
// each answer says what was saved; on SQLite and PostgreSQL.
func TestFormKeysDurable(t *testing.T) {
	t.Parallel()
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			t.Parallel()
			dsn := filepath.Join(t.TempDir(), "backcoach.db")
			if db == "postgres" {
				dsn = testenv.PostgresDB(t)
			}
			first := newApp(t, options{dsn: dsn})
			second := newApp(t, options{dsn: dsn})
			a := first.signup(t, "twice")
			takeAssessment(t, a, mildDesk)
			me := first.person(t, "twice")
			// The second server reads the same session: the same cookies
			// (cookies are the host's, whatever the port).
			b := second.browser(t)
			b.client.Jar = a.client.Jar

			page := a.get("/diary")
			m := regexp.MustCompile(`name="form_key" value="([a-z2-7]+)"`).FindStringSubmatch(page.body)
			if m == nil {
				t.Fatalf("the check-in form has no key: %.2000s", page.body)
			}
			form := url.Values{"pain": {"3"}, "note": {"on two servers"}, "form_key": {m[1]}}
			if strings.Contains(page.body, `name="ask_flags"`) {
				form.Set("ask_flags", "1")
				form.Set("none", "1")
			}
			var wg sync.WaitGroup
			for _, br := range []*browser{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := br.post("/diary", form)
					if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "Saved: pain 3") {
						t.Errorf("%s: status %d, saved note %v", br.app.ts.URL, r.StatusCode, strings.Contains(r.body, "Saved: pain 3"))
					}
				}()
			}
			wg.Wait()
			// A restart: a third server, with nothing in memory.
			third := newApp(t, options{dsn: dsn})
			c := third.browser(t)
			c.client.Jar = a.client.Jar
			r := c.post("/diary", form)
			wantStatus(t, r, http.StatusOK)
			mustContain(t, "the answer to a form sent again after a restart", r.body, "Saved: pain 3")
			entries, err := first.st.DiaryEntries(context.Background(), me.ID, backcoach.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Note != "on two servers" {
				t.Errorf("one form sent to three servers kept %d entries, want 1: %+v", len(entries), entries)
			}
		})
	}
}
