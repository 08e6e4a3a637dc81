package store

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/backcoach/backcoach"
)

// clinicRecords gives the clinic world more records: a programme Alice
// assigns to Pat; Pat stops sharing (which ends it) and shares again with
// Alice only the plan and diary; a second programme; an invitation by
// Alice that nobody used.
func clinicRecords(t *testing.T, s *Store, w *clinicWorld) {
	t.Helper()
	ctx := context.Background()
	a := backcoach.Access{Actor: w.alice, Subject: w.pat}
	prog := func() *backcoach.Programme {
		return &backcoach.Programme{Exercises: []backcoach.ProgrammeExercise{{ID: "chin-tuck", Sets: 2, Reps: 8}}, Notes: "Slowly.", Days: []backcoach.Weekday{"mon", "fri"}}
	}
	if err := s.AssignProgramme(ctx, a, prog()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SharedRecord(ctx, a, backcoach.Filter{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeConsent(ctx, w.pat, w.consent); err != nil {
		t.Fatal(err)
	}
	_, hash := newTokenHash()
	if err := s.CreateInvitation(ctx, w.alice, &backcoach.Invitation{ClinicID: w.clinicA, Hash: hash, Shares: []backcoach.Share{backcoach.SharePlan, backcoach.ShareDiary}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptInvitation(ctx, w.pat, hash); err != nil {
		t.Fatal(err)
	}
	if err := s.AssignProgramme(ctx, a, prog()); err != nil {
		t.Fatal(err)
	}
	_, unused := newTokenHash()
	if err := s.CreateInvitation(ctx, w.alice, &backcoach.Invitation{ClinicID: w.clinicA, Hash: unused, Shares: backcoach.Shares}); err != nil {
		t.Fatal(err)
	}
}

func exportOf(t *testing.T, s *Store, id string) *backcoach.Export {
	t.Helper()
	x, err := s.Export(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// roundTrip makes a document pass through JSON, as a file does.
func roundTrip(t *testing.T, x *backcoach.Export) *backcoach.Export {
	t.Helper()
	raw, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	var doc backcoach.Export
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func TestExportImportClinicRecords(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := newClinicWorld(t, s)
		clinicRecords(t, s, w)

		// The patient's document: the clinic, both consents (one ended),
		// both programmes (the first ended).
		pat := exportOf(t, s, w.pat)
		if len(pat.Clinics) != 1 || pat.Clinics[0].ID != w.clinicA || len(pat.ClinicMemberships) != 0 || len(pat.Invitations) != 0 {
			t.Fatalf("the patient's clinic records: %+v %+v %+v", pat.Clinics, pat.ClinicMemberships, pat.Invitations)
		}
		if len(pat.Consents) != 2 || pat.Consents[0].RevokedAt == nil || pat.Consents[1].RevokedAt != nil ||
			len(pat.Consents[1].Shares) != 2 || pat.Consents[1].ClinicianID != w.alice {
			t.Fatalf("the patient's consents: %+v", pat.Consents)
		}
		if len(pat.Programmes) != 2 || pat.Programmes[0].Active || !pat.Programmes[1].Active || pat.Programmes[1].ClinicianID != w.alice {
			t.Fatalf("the patient's programmes: %+v", pat.Programmes)
		}
		// The clinician's document: the membership and both invitations,
		// without their codes' hashes.
		alice := exportOf(t, s, w.alice)
		if len(alice.ClinicMemberships) != 1 || alice.ClinicMemberships[0].Role != backcoach.ClinicRoleAdmin || len(alice.Invitations) != 3 ||
			len(alice.Consents) != 0 || len(alice.Programmes) != 0 || len(alice.Clinics) != 1 {
			t.Fatalf("the clinician's clinic records: %+v %+v", alice.ClinicMemberships, alice.Invitations)
		}
		raw, _ := json.Marshal(alice)
		var probe map[string]any
		json.Unmarshal(raw, &probe)
		for _, inv := range probe["invitations"].([]any) {
			if _, ok := inv.(map[string]any)["hash"]; ok {
				t.Fatalf("an invitation's hash is exported: %v", inv)
			}
		}

		// The patient deletes their account and brings it back.
		doc := roundTrip(t, pat)
		if _, err := s.DeleteAccount(ctx, w.pat); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, doc, backcoach.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		sameExport(t, exportOf(t, s, w.pat), pat)
		// The restored consent stands: Alice reads the patient again.
		if rec, err := s.SharedRecord(ctx, backcoach.Access{Actor: w.alice, Subject: w.pat}, backcoach.Filter{}); err != nil || rec.Programme == nil {
			t.Fatalf("the clinician's read after the import: %+v, %v", rec, err)
		}

		// A document without the clinic records (written before they were
		// exported) still imports, with none.
		var old map[string]json.RawMessage
		raw, _ = json.Marshal(pat)
		json.Unmarshal(raw, &old)
		for _, k := range []string{"clinics", "clinic_memberships", "consents", "invitations", "programmes"} {
			delete(old, k)
		}
		raw, _ = json.Marshal(old)
		var older backcoach.Export
		if err := json.Unmarshal(raw, &older); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, &older, backcoach.ImportOptions{Replace: true}); err != nil {
			t.Fatalf("an older document: %v", err)
		}
		if x := exportOf(t, s, w.pat); len(x.Consents) != 0 || len(x.Programmes) != 0 || len(x.Clinics) != 0 {
			t.Fatalf("an older document restored clinic records: %+v", x)
		}
	})
}

func TestImportClinicRecordsWithoutTheClinician(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := newClinicWorld(t, s)
		clinicRecords(t, s, w)
		doc := roundTrip(t, exportOf(t, s, w.pat))
		// Moved to a server where Alice has no account: her consents end,
		// her programme does, and both stay with the patient.
		for _, id := range []string{w.pat, w.alice} {
			if _, err := s.DeleteAccount(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Import(ctx, doc, backcoach.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		x := exportOf(t, s, w.pat)
		for _, c := range x.Consents {
			if c.ClinicianID != "" || c.RevokedAt == nil {
				t.Errorf("a consent to a clinician not here: %+v", c)
			}
		}
		for _, p := range x.Programmes {
			if p.ClinicianID != "" || p.Active {
				t.Errorf("a programme of a clinician not here: %+v", p)
			}
		}
		if len(x.Consents) != 2 || len(x.Programmes) != 2 {
			t.Fatalf("consents %d, programmes %d, want 2 and 2", len(x.Consents), len(x.Programmes))
		}
		// Such a document goes round again as it is.
		again := roundTrip(t, x)
		if _, err := s.Import(ctx, again, backcoach.ImportOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		sameExport(t, exportOf(t, s, w.pat), x)
	})
}

func TestDeleteClinicianKeepsPatientsRecords(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := newClinicWorld(t, s)
		clinicRecords(t, s, w)
		before := exportOf(t, s, w.pat)
		standing, active := 0, 0
		for _, c := range before.Consents {
			if c.ClinicianID == w.alice && c.RevokedAt == nil {
				standing++
			}
		}
		for _, p := range before.Programmes {
			if p.ClinicianID == w.alice && p.Active {
				active++
			}
		}
		if standing == 0 || active == 0 {
			t.Fatalf("the world has %d standing consents to Alice and %d active programmes of hers; want some of each", standing, active)
		}
		if _, err := s.DeleteAccount(ctx, w.alice); err != nil {
			t.Fatal(err)
		}
		// The consents to Alice ended and stay with Pat, without her; so
		// do the programmes she assigned, inactive.
		pat := exportOf(t, s, w.pat)
		if len(pat.Consents) != 2 || len(pat.Programmes) != 2 {
			t.Fatalf("consents %d, programmes %d, want 2 and 2", len(pat.Consents), len(pat.Programmes))
		}
		for _, c := range pat.Consents {
			if c.ClinicianID != "" || c.RevokedAt == nil {
				t.Errorf("a consent to the gone clinician: %+v", c)
			}
		}
		for _, p := range pat.Programmes {
			if p.ClinicianID != "" || p.Active {
				t.Errorf("a programme of the gone clinician: %+v", p)
			}
		}
		if _, err := s.ActiveProgramme(ctx, w.pat); code(err) != backcoach.ENOTFOUND {
			t.Errorf("an active programme after its clinician left: %v", err)
		}
		// Pat's audit trail keeps Alice's reads.
		reads := 0
		for _, e := range pat.Audit {
			if e.Action == backcoach.AuditRead && e.ActorID == w.alice {
				reads++
			}
		}
		if reads == 0 {
			t.Error("the patient's trail lost the gone clinician's reads")
		}
		// It says too what her leaving ended: each standing consent and
		// each active programme, one line each.
		ends := map[string]int{}
		for _, e := range pat.Audit {
			if e.Action == backcoach.AuditUpdate && e.ActorID == w.alice {
				ends[e.Kind]++
			}
		}
		if ends[backcoach.KindConsent] != standing || ends[backcoach.KindProgramme] != active {
			t.Errorf("the patient's trail has %v lines of what the clinician's leaving ended, want %d consent and %d programme", ends, standing, active)
		}
		// Nobody of the clinic reads Pat now; Alice's invitations and
		// membership are gone.
		if list, err := s.Patients(ctx, w.carol); err != nil || len(list) != 0 {
			t.Errorf("the other clinician's patients: %+v, %v", list, err)
		}
		for _, q := range []string{`SELECT count(*) FROM clinic_invitations WHERE clinician_id = $1`, `SELECT count(*) FROM clinic_members WHERE person_id = $1`,
			`SELECT count(*) FROM consents WHERE clinician_id = $1`, `SELECT count(*) FROM programmes WHERE clinician_id = $1`} {
			var n int
			if err := s.db.QueryRow(q, w.alice).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d, %v", q, n, err)
			}
		}
		// The patient's document still goes round.
		doc := roundTrip(t, pat)
		if _, err := s.Import(ctx, doc, backcoach.ImportOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		sameExport(t, exportOf(t, s, w.pat), pat)
	})
}

func TestDeletePatientRemovesConsentsAndProgrammes(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := newClinicWorld(t, s)
		clinicRecords(t, s, w)
		alice := exportOf(t, s, w.alice)
		report, err := s.DeleteAccount(ctx, w.pat)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, r := range report.Removed {
			got[r.Kind] = r.Rows
		}
		if got["consents"] != 2 || got["programmes"] != 2 {
			t.Fatalf("removed %v, want 2 consents and 2 programmes", got)
		}
		for _, q := range []string{`SELECT count(*) FROM consents WHERE patient_id = $1`, `SELECT count(*) FROM programmes WHERE patient_id = $1`} {
			var n int
			if err := s.db.QueryRow(q, w.pat).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d, %v", q, n, err)
			}
		}
		if list, err := s.Patients(ctx, w.alice); err != nil || len(list) != 0 {
			t.Errorf("the clinician's patients: %+v, %v", list, err)
		}
		// The clinician keeps their clinic and invitations.
		after := exportOf(t, s, w.alice)
		if len(after.ClinicMemberships) != 1 || len(after.Invitations) != len(alice.Invitations) {
			t.Errorf("the clinician's records after the patient left: %+v %+v", after.ClinicMemberships, after.Invitations)
		}
	})
}

func TestImportRefusesBadClinicRecords(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := newClinicWorld(t, s)
		clinicRecords(t, s, w)
		good := roundTrip(t, exportOf(t, s, w.pat))
		if _, err := s.DeleteAccount(ctx, w.pat); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, field string
			spoil       func(d *backcoach.Export)
		}{
			{"clinic not listed", "consents[0].clinic_id", func(d *backcoach.Export) { d.Clinics = nil }},
			{"another patient", "consents[1].patient_id", func(d *backcoach.Export) { d.Consents[1].PatientID = w.carol }},
			{"unknown share", "consents[1].shares[0]", func(d *backcoach.Export) { d.Consents[1].Shares[0] = "everything" }},
			{"ended before it began", "consents[0].revoked_at", func(d *backcoach.Export) {
				t := d.Consents[0].GrantedAt.Add(-1)
				d.Consents[0].RevokedAt = &t
			}},
			{"standing without a clinician", "consents[1].revoked_at", func(d *backcoach.Export) { d.Consents[1].ClinicianID = "" }},
			{"two active programmes", "programmes[1].active", func(d *backcoach.Export) { d.Programmes[0].Active = true }},
			{"programme without days", "programmes[0].days", func(d *backcoach.Export) { d.Programmes[0].Days = nil }},
			{"duplicate id", "programmes[0].id", func(d *backcoach.Export) { d.Programmes[0].ID = d.Consents[0].ID }},
		} {
			d := roundTrip(t, good)
			c.spoil(d)
			_, err := s.Import(ctx, d, backcoach.ImportOptions{})
			var be *backcoach.Error
			if code(err) != backcoach.EINVALID || !asError(err, &be) || be.Field != c.field {
				t.Errorf("%s: got %v, want EINVALID about %s", c.name, err, c.field)
			}
		}
		// A clinic of the document whose name another clinic here has.
		d := roundTrip(t, good)
		d.Clinics[0].ID = newID()
		for i := range d.Consents {
			d.Consents[i].ClinicID = d.Clinics[0].ID
		}
		var be *backcoach.Error
		if _, err := s.Import(ctx, d, backcoach.ImportOptions{}); code(err) != backcoach.ECONFLICT || !asError(err, &be) || be.Field != "clinics[0].name" {
			t.Errorf("a clinic name taken here: got %v, want ECONFLICT about clinics[0].name", err)
		}
		if _, err := s.Person(ctx, w.pat); code(err) != backcoach.ENOTFOUND {
			t.Errorf("a refused import left the person: %v", err)
		}
	})
}

// Migration 11 keeps every programme and lets a programme outlive its
// clinician's account.
func TestProgrammesMigration(t *testing.T) {
	t.Parallel()
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := db.dsn(t)
			old, err := open(ctx, dsn, Options{Now: testClock.Now}, 9)
			if err != nil {
				t.Fatal(err)
			}
			w := newClinicWorld(t, old)
			clinicRecords(t, old, w)
			before := exportOf(t, old, w.pat)
			old.Close()
			s := openTest(t, dsn)
			if v, _ := s.SchemaVersion(ctx); v != LatestVersion() || v < 11 {
				t.Fatalf("schema version %d after the upgrade", v)
			}
			after := exportOf(t, s, w.pat)
			sameExport(t, after, before)
			if _, err := s.DeleteAccount(ctx, w.alice); err != nil {
				t.Fatalf("a clinician's account after the upgrade: %v", err)
			}
			if x := exportOf(t, s, w.pat); len(x.Programmes) != 2 || x.Programmes[1].ClinicianID != "" {
				t.Fatalf("programmes after the clinician left: %+v", x.Programmes)
			}
		})
	}
}
