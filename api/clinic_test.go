package api

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// TestClinicianRoutes walks the clinic routes as the patient's clinician,
// a clinician of another clinic, a clinician of the same clinic without
// consent, another patient, nobody, and the clinician after the patient
// stopped sharing: only the first sees anything.
func TestClinicianRoutes(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		co := coach.New(e.store, testCatalog, e.clock.Now)
		clinic := func(name string, members ...who) {
			c := &backcoach.Clinic{Name: name}
			if err := e.store.CreateClinic(ctx, c); err != nil {
				t.Fatal(err)
			}
			for _, m := range members {
				if _, err := e.store.AddClinician(ctx, c.ID, m.id); err != nil {
					t.Fatal(err)
				}
			}
		}
		doc, colleague, stranger := e.newPerson(t, "doc"), e.newPerson(t, "colleague"), e.newPerson(t, "stranger")
		clinic("North", doc, colleague)
		clinic("South", stranger)
		recs := e.makeRecords(t, e.alice)
		code, _, err := co.Invite(ctx, doc.id, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		consent, err := co.AcceptInvitation(ctx, e.alice.id, code)
		if err != nil {
			t.Fatal(err)
		}
		list, one := "/api/v1/clinic/patients", "/api/v1/clinic/patients/"+e.alice.id

		res := e.do(t, doc, "GET", list, nil)
		var got patientsOut
		res.decode(t, &got)
		if res.status != 200 || len(got.Patients) != 1 || got.Patients[0].Patient.ID != e.alice.id || got.Patients[0].LastPain == nil {
			t.Fatalf("the clinician's list: %d %s", res.status, res.body)
		}
		res = e.do(t, doc, "GET", one, nil)
		if res.status != 200 || !bytes.Contains(res.body, []byte("Last 30 days: pain logged on 1 of 30 days")) || !bytes.Contains(res.body, []byte(`"safety":{`)) {
			t.Fatalf("the clinician's view of the patient: %d %s", res.status, res.body)
		}

		nothing := func(when string, as who, wantOne int) {
			t.Helper()
			res := e.do(t, as, "GET", list, nil)
			wantList := http.StatusOK
			if as.id == "" {
				wantList = http.StatusUnauthorized
			}
			if res.status != wantList || (wantList == 200 && !bytes.Contains(res.body, []byte(`"patients":[]`))) {
				t.Errorf("%s, %s lists: %d %s", when, as.name, res.status, res.body)
			}
			res = e.do(t, as, "GET", one, nil)
			if res.status != wantOne {
				t.Errorf("%s, %s reads the patient: %d, want %d\n%s", when, as.name, res.status, wantOne, res.body)
			}
			for _, secret := range append(recs.ids(), "Test alice", "stiff after work") {
				if bytes.Contains(res.body, []byte(secret)) {
					t.Errorf("%s, %s sees %q: %s", when, as.name, secret, res.body)
				}
			}
		}
		nothing("with consent", stranger, 404)
		nothing("with consent", colleague, 404)
		nothing("with consent", e.bob, 404)
		nothing("with consent", nobody, 401)

		trail, err := e.store.AuditTrail(ctx, e.alice.id, backcoach.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		reads := 0
		for _, l := range trail {
			if l.Action == backcoach.AuditRead {
				if l.ActorID != doc.id {
					t.Errorf("a read by %s in the trail", l.ActorID)
				}
				reads++
			}
		}
		if reads != 2 {
			t.Errorf("%d reads in alice's trail, want 2", reads)
		}

		if err := e.store.RevokeConsent(ctx, e.alice.id, consent.ID); err != nil {
			t.Fatal(err)
		}
		nothing("after revocation", doc, 404)
	})
}
