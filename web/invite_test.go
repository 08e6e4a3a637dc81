package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// TestInvitationSharesWhatTheClinicianChose: the clinician ticks the
// parts to ask for; the person sees exactly those before agreeing, and
// the consent shares exactly those. Ticking none is refused.
func TestInvitationSharesWhatTheClinicianChose(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	ctx := context.Background()
	doc, pat := app.signup(t, "doc"), app.signup(t, "pat")
	north := &backcoach.Clinic{Name: "North"}
	if err := app.st.CreateClinic(ctx, north); err != nil {
		t.Fatal(err)
	}
	if _, err := app.st.AddClinician(ctx, north.ID, app.person(t, "doc").ID); err != nil {
		t.Fatal(err)
	}
	r := doc.get("/clinic")
	wantStatus(t, r, 200)
	mustContain(t, "the invitation form", r.body, "What to ask them to share", `name="shares" value="diary" checked`, `name="shares" value="safety" checked`)

	r = doc.post("/clinic/invitations", url.Values{"choose": {"1"}})
	if r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an invitation sharing nothing: %d", r.StatusCode)
	}
	mustContain(t, "an invitation sharing nothing", r.body, "Tick at least one part")

	r = doc.post("/clinic/invitations", url.Values{"choose": {"1"}, "shares": {"diary", "plan"}})
	wantStatus(t, r, 200)
	mustContain(t, "the invitation made", r.body, "It asks them to share: Diary (pain, notes, PEG); Plan, and a programme you assign.")
	m := regexp.MustCompile(`data-testid="invitation-code">([^<]+)<`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no invitation code on the page:\n%s", r.body)
	}
	r = pat.get("/join/" + m[1])
	wantStatus(t, r, 200)
	mustContain(t, "the invitation the person reads", r.body, "Your diary", "Your plan")
	for _, not := range []string{"Your guided sessions", "Your assessments", "Your safety record"} {
		if strings.Contains(r.body, not) {
			t.Errorf("the invitation shows %q, which it does not ask for", not)
		}
	}
	if r = pat.post("/join/"+m[1], nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("agreeing: %d %s", r.StatusCode, r.body)
	}
	consents, err := app.st.Consents(ctx, app.person(t, "pat").ID)
	if err != nil || len(consents) != 1 || !slices.Equal(consents[0].Shares, []backcoach.Share{backcoach.ShareDiary, backcoach.SharePlan}) {
		t.Fatalf("the consent: %+v, %v", consents, err)
	}
}
