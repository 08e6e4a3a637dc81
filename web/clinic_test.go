package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/internal/testenv"
)

// TestClinicMode goes through clinic mode as its people would, on SQLite
// and PostgreSQL: the admin adds a colleague, invites a patient, who sees
// what will be shared and agrees; the clinician reads the dashboard and
// the patient's page and assigns a programme; every clinic route refuses
// a clinician of another clinic, a clinician without consent, another
// patient and nobody, and the clinician too once the patient stops
// sharing; the patient sees who looked.
func TestClinicMode(t *testing.T) {
	t.Parallel()
	for _, db := range []struct{ name, dsn string }{{"sqlite", ""}, {"postgres", "pg"}} {
		t.Run(db.name, func(t *testing.T) {
			opts := options{}
			if db.dsn != "" {
				opts.dsn = testenv.PostgresDB(t)
			}
			app := newApp(t, opts)
			ctx := context.Background()
			doc, colleague, stranger, pat, bob := app.signup(t, "doc"), app.signup(t, "colleague"), app.signup(t, "stranger"), app.signup(t, "pat"), app.signup(t, "bob")
			nobody := app.browser(t)
			north, south := &backcoach.Clinic{Name: "North"}, &backcoach.Clinic{Name: "South"}
			for _, c := range []*backcoach.Clinic{north, south} {
				if err := app.st.CreateClinic(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := app.st.AddClinician(ctx, north.ID, app.person(t, "doc").ID); err != nil {
				t.Fatal(err)
			}
			if _, err := app.st.AddClinician(ctx, south.ID, app.person(t, "stranger").ID); err != nil {
				t.Fatal(err)
			}
			// The admin page adds the colleague.
			r := doc.post("/clinic/admin", url.Values{"handle": {"colleague"}})
			wantStatus(t, r, 200)
			mustContain(t, "admin page", r.body, "Test colleague is now a clinician of North")

			r = doc.post("/clinic/invitations", nil)
			wantStatus(t, r, 200)
			m := regexp.MustCompile(`data-testid="invitation-code">([^<]+)<`).FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("no invitation code on the page:\n%s", r.body)
			}
			code := m[1]
			r = pat.get("/join/" + code)
			wantStatus(t, r, 200)
			mustContain(t, "invitation", r.body, "Share with Test doc?", "Your diary", "Your safety record", "Agree and share")
			if r = pat.post("/join/"+code, nil); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("agreeing: %d %s", r.StatusCode, r.body)
			}
			patID := app.person(t, "pat").ID
			if _, err := coach.New(app.st, app.cat, app.clock.Now).CheckIn(ctx, patID, &backcoach.DiaryEntry{Pain: 9, Note: "stiff after gardening", Flags: []string{}}, backcoach.ViaWeb); err != nil {
				t.Fatal(err)
			}

			r = doc.get("/clinic")
			wantStatus(t, r, 200)
			mustContain(t, "dashboard", r.body, "Test pat", "9/10", "A pain rating of 9")
			page := "/clinic/patients/" + patID
			r = doc.get(page)
			wantStatus(t, r, 200)
			mustContain(t, "patient page", r.body, "Diary, as the patient sees it", "Safety record", "No warning sign stands")
			r = doc.post(page+"/programme", url.Values{"exercises": {"chin-tuck 2 8 3"}, "days": {"mon", "thu"}, "notes": {"Little and often."}})
			wantStatus(t, r, 200)
			mustContain(t, "programme", r.body, "The programme is assigned", "Little and often.")

			routes := []struct{ method, path string }{
				{"GET", "/clinic"}, {"POST", "/clinic/invitations"}, {"GET", page}, {"POST", page + "/programme"},
				{"GET", "/clinic/admin"}, {"POST", "/clinic/admin"},
			}
			// A clinician's own dashboard, invitations and admin page are
			// theirs; the patient's pages are nobody else's, and nothing
			// of the patient shows anywhere.
			refused := func(when, who string, b *browser, clinician bool) {
				t.Helper()
				for _, rt := range routes {
					var r response
					if rt.method == "GET" {
						r = b.get(rt.path)
					} else {
						r = b.post(rt.path, url.Values{"exercises": {"chin-tuck 1 5 0"}, "days": {"mon"}, "handle": {"no-such-account"}})
					}
					own := clinician && !strings.Contains(rt.path, patID)
					if !own && r.StatusCode != 404 && r.StatusCode != 403 && r.StatusCode != 401 && r.StatusCode != 303 {
						t.Errorf("%s, %s %s %s: %d", when, who, rt.method, rt.path, r.StatusCode)
					}
					for _, secret := range []string{"Test pat", "gardening", "Little and often", patID} {
						// An id the request itself named may be echoed back.
						if strings.Contains(r.body, secret) && !strings.Contains(rt.path, secret) {
							t.Errorf("%s, %s %s %s shows %q", when, who, rt.method, rt.path, secret)
						}
					}
				}
			}
			refused("while shared", "stranger", stranger, true)
			refused("while shared", "colleague", colleague, true)
			refused("while shared", "bob", bob, false)
			refused("while shared", "nobody", nobody, false)

			r = pat.get("/settings/sharing")
			wantStatus(t, r, 200)
			mustContain(t, "sharing", r.body, "Test doc (North)", "read what you share", "assigned or changed your programme")
			cons, err := app.st.Consents(ctx, patID)
			if err != nil || len(cons) != 1 {
				t.Fatalf("consents %+v, %v", cons, err)
			}
			if r = bob.post("/settings/sharing/"+cons[0].ID+"/stop", nil); r.StatusCode != 404 {
				t.Fatalf("another person stopped pat's sharing: %d", r.StatusCode)
			}
			if r = pat.post("/settings/sharing/"+cons[0].ID+"/stop", nil); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("stopping: %d %s", r.StatusCode, r.body)
			}
			refused("after revocation", "doc", doc, true)
			if r = doc.get("/clinic"); strings.Contains(r.body, "Test pat") {
				t.Fatal("the dashboard still lists pat after revocation")
			}
			// The person-facing pages are as they were.
			wantStatus(t, pat.get("/diary"), 200)
			wantStatus(t, pat.get("/settings"), 200)
		})
	}
}
