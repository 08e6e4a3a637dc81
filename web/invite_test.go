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

// TestSharingAfterTheClinicianLeft: when the clinician deletes their
// account, the patient's sharing page keeps the ended consent, saying the
// clinician has left, and who read their data.
func TestSharingAfterTheClinicianLeft(t *testing.T) {
	t.Parallel()
	app := newApp(t, options{})
	ctx := context.Background()
	doc, pat := app.signup(t, "doc"), app.signup(t, "pat")
	north := &backcoach.Clinic{Name: "North"}
	if err := app.st.CreateClinic(ctx, north); err != nil {
		t.Fatal(err)
	}
	docID := app.person(t, "doc").ID
	if _, err := app.st.AddClinician(ctx, north.ID, docID); err != nil {
		t.Fatal(err)
	}
	r := doc.post("/clinic/invitations", nil)
	m := regexp.MustCompile(`data-testid="invitation-code">([^<]+)<`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no invitation code on the page:\n%s", r.body)
	}
	if r = pat.post("/join/"+m[1], nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("agreeing: %d %s", r.StatusCode, r.body)
	}
	wantStatus(t, doc.get("/clinic"), 200) // a read, in the patient's trail
	if _, err := app.st.DeleteAccount(ctx, docID); err != nil {
		t.Fatal(err)
	}
	r = pat.get("/settings/sharing")
	wantStatus(t, r, 200)
	mustContain(t, "the sharing page", r.body, "A clinician who has since closed their account (North)", "Stopped on",
		"a clinician who has since closed their account read what you share",
		": a clinician closed their account, which ended your sharing with them.")
	if strings.Contains(r.body, "Stop sharing with") {
		t.Error("the page offers to stop sharing with a clinician who has left")
	}
}
