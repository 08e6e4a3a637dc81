package store

import (
	"context"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// clinicWorld is two clinics, each with a clinician, and one patient who
// shares with the first clinic's clinician.
type clinicWorld struct {
	clinicA, clinicB       string
	alice, bob, carol, pat string
	consent                string
}

func newClinicWorld(t *testing.T, s *Store) *clinicWorld {
	t.Helper()
	ctx := context.Background()
	w := &clinicWorld{}
	a := &backcoach.Clinic{Name: "North Physio"}
	b := &backcoach.Clinic{Name: "South Physio"}
	for _, c := range []*backcoach.Clinic{a, b} {
		if err := s.CreateClinic(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	w.clinicA, w.clinicB = a.ID, b.ID
	w.alice, w.bob, w.carol, w.pat = newPerson(t, s, "alice"), newPerson(t, s, "bob"), newPerson(t, s, "carol"), newPerson(t, s, "pat")
	m, err := s.AddClinician(ctx, w.clinicA, w.alice)
	if err != nil {
		t.Fatal(err)
	}
	if m.Role != backcoach.ClinicRoleAdmin || m.ClinicName != "North Physio" {
		t.Fatalf("first clinician = %+v, want the admin of North Physio", m)
	}
	// An admin adds the next; a mere clinician cannot.
	if m, err = s.AddClinicianAs(ctx, w.alice, w.clinicA, w.carol); err != nil || m.Role != backcoach.ClinicRoleClinician {
		t.Fatalf("AddClinicianAs = %+v, %v", m, err)
	}
	if _, err := s.AddClinicianAs(ctx, w.carol, w.clinicA, w.pat); code(err) != backcoach.ENOTFOUND {
		t.Fatalf("a clinician who is not an admin added someone: %v", err)
	}
	if _, err := s.AddClinician(ctx, w.clinicB, w.bob); err != nil {
		t.Fatal(err)
	}
	p, err := s.Person(ctx, w.alice)
	if err != nil || p.Role != backcoach.RoleClinician {
		t.Fatalf("alice = %+v, %v; want the clinician role", p, err)
	}
	// Alice invites Pat, who accepts.
	_, hash := newTokenHash()
	inv := &backcoach.Invitation{ClinicID: w.clinicA, Hash: hash, Shares: backcoach.Shares}
	if err := s.CreateInvitation(ctx, w.alice, inv); err != nil {
		t.Fatal(err)
	}
	if inv.ClinicName != "North Physio" || inv.ClinicianName != "Test alice" || inv.ExpiresAt.Sub(inv.CreatedAt) != backcoach.InvitationLifetime {
		t.Fatalf("invitation = %+v", inv)
	}
	if err := s.CreateInvitation(ctx, w.bob, &backcoach.Invitation{ClinicID: w.clinicA, Hash: hash, Shares: backcoach.Shares}); code(err) != backcoach.ENOTFOUND {
		t.Fatalf("a clinician of another clinic invited for it: %v", err)
	}
	if _, err := s.AcceptInvitation(ctx, w.alice, hash); code(err) != backcoach.EINVALID {
		t.Fatalf("the clinician accepted their own invitation: %v", err)
	}
	c, err := s.AcceptInvitation(ctx, w.pat, hash)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptInvitation(ctx, w.carol, hash); code(err) != backcoach.EINVALID {
		t.Fatalf("an invitation was used twice: %v", err)
	}
	w.consent = c.ID
	return w
}

func TestClinicSharing(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := newClinicWorld(t, s)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.AddDiaryEntry(ctx, w.pat, &backcoach.DiaryEntry{Pain: 4, Flags: []string{}}))
		must(s.AddScreen(ctx, w.pat, &backcoach.Screen{Kind: backcoach.ScreenCheckIn, Via: backcoach.ViaWeb, Complete: true, Signs: []string{}}))

		patients, err := s.Patients(ctx, w.alice)
		must(err)
		if len(patients) != 1 || patients[0].Person.ID != w.pat || patients[0].Consent.ID != w.consent {
			t.Fatalf("alice's patients = %+v", patients)
		}
		r, err := s.SharedRecord(ctx, backcoach.Access{Actor: w.alice, Subject: w.pat}, backcoach.Filter{})
		must(err)
		if len(r.Diary) != 1 || r.Diary[0].Pain != 4 || r.Safety == nil || len(r.Safety.Screens) != 1 || r.Patient.Name != "Test pat" {
			t.Fatalf("shared record = %+v", r)
		}
		trail, err := s.AuditTrail(ctx, w.pat, backcoach.Filter{NewestFirst: true, Limit: 1})
		must(err)
		if e := trail[0]; e.ActorID != w.alice || e.Action != backcoach.AuditRead || e.Kind != backcoach.KindShared || e.RecordID != w.consent {
			t.Fatalf("the read's audit line = %+v", e)
		}

		// Nobody else reads anything: a clinician of another clinic, a
		// clinician of the same clinic without consent, another patient,
		// the patient as their own "clinician".
		for name, actor := range map[string]string{"other clinic": w.bob, "no consent": w.carol, "self": w.pat} {
			if _, err := s.SharedRecord(ctx, backcoach.Access{Actor: actor, Subject: w.pat}, backcoach.Filter{}); code(err) != backcoach.ENOTFOUND {
				t.Errorf("%s read the record: %v", name, err)
			}
			if list, _ := s.Patients(ctx, actor); len(list) != 0 {
				t.Errorf("%s lists patients %+v", name, list)
			}
		}
		if _, err := s.SharedRecord(ctx, backcoach.Access{Actor: w.pat, Subject: w.alice}, backcoach.Filter{}); code(err) != backcoach.ENOTFOUND {
			t.Errorf("the patient read the clinician's record: %v", err)
		}

		// A programme; the patient sees it as theirs.
		prog := &backcoach.Programme{Exercises: []backcoach.ProgrammeExercise{{ID: "chin-tuck", Sets: 2, Reps: 8}},
			Notes: "Slowly.", Days: []backcoach.Weekday{"mon", "thu"}}
		must(s.AssignProgramme(ctx, backcoach.Access{Actor: w.alice, Subject: w.pat}, prog))
		if err := s.AssignProgramme(ctx, backcoach.Access{Actor: w.bob, Subject: w.pat}, &backcoach.Programme{Exercises: prog.Exercises, Days: prog.Days}); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("another clinic assigned a programme: %v", err)
		}
		got, err := s.ActiveProgramme(ctx, w.pat)
		must(err)
		if got.ID != prog.ID || got.ClinicianID != w.alice || len(got.Days) != 2 || got.Exercises[0].Reps != 8 {
			t.Fatalf("active programme = %+v", got)
		}
		second := &backcoach.Programme{Exercises: []backcoach.ProgrammeExercise{{ID: "open-book", Sets: 1, Reps: 6}}, Days: []backcoach.Weekday{"tue"}}
		must(s.AssignProgramme(ctx, backcoach.Access{Actor: w.alice, Subject: w.pat}, second))
		if got, _ := s.ActiveProgramme(ctx, w.pat); got.ID != second.ID {
			t.Fatalf("the second programme did not replace the first: %+v", got)
		}

		// Revoking ends access and the programme at once.
		must(s.RevokeConsent(ctx, w.pat, w.consent))
		if _, err := s.SharedRecord(ctx, backcoach.Access{Actor: w.alice, Subject: w.pat}, backcoach.Filter{}); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("read after revocation: %v", err)
		}
		if list, _ := s.Patients(ctx, w.alice); len(list) != 0 {
			t.Fatalf("patients after revocation: %+v", list)
		}
		if _, err := s.ActiveProgramme(ctx, w.pat); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("programme after revocation: %v", err)
		}
		if err := s.RevokeConsent(ctx, w.alice, w.consent); code(err) != backcoach.ENOTFOUND {
			t.Fatalf("the clinician revoked the patient's consent: %v", err)
		}
		consents, err := s.Consents(ctx, w.pat)
		must(err)
		if len(consents) != 1 || consents[0].RevokedAt == nil || consents[0].ClinicianName != "Test alice" {
			t.Fatalf("consents = %+v", consents)
		}

		// Both can delete their accounts.
		must(func() error { _, err := s.DeleteAccount(ctx, w.alice); return err }())
		must(func() error { _, err := s.DeleteAccount(ctx, w.pat); return err }())
	})
}

func TestInvitationExpires(t *testing.T) {
	t.Parallel()
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			s, err := Open(ctx, db.dsn(t), Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			c := &backcoach.Clinic{Name: "Clinic"}
			if err := s.CreateClinic(ctx, c); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateClinic(ctx, &backcoach.Clinic{Name: "Clinic"}); code(err) != backcoach.ECONFLICT {
				t.Fatalf("a second clinic of the same name: %v", err)
			}
			doc, pat := newPerson(t, s, "doc"), newPerson(t, s, "pat")
			if _, err := s.AddClinician(ctx, c.ID, doc); err != nil {
				t.Fatal(err)
			}
			_, hash := newTokenHash()
			if err := s.CreateInvitation(ctx, doc, &backcoach.Invitation{ClinicID: c.ID, Hash: hash, Shares: []backcoach.Share{backcoach.ShareDiary}}); err != nil {
				t.Fatal(err)
			}
			now = now.Add(backcoach.InvitationLifetime)
			if _, err := s.AcceptInvitation(ctx, pat, hash); code(err) != backcoach.EINVALID {
				t.Fatalf("an expired invitation was accepted: %v", err)
			}
		})
	}
}

// TestClinicianWithoutNameShowsHandle: a clinician who gave no name is
// shown to patients by their handle, in the invitation and the consent.
func TestClinicianWithoutNameShowsHandle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := &backcoach.Clinic{Name: "Quay Physio"}
		if err := s.CreateClinic(ctx, c); err != nil {
			t.Fatal(err)
		}
		doc := backcoach.Person{Handle: "drquay", Role: backcoach.RolePerson}
		if err := s.CreatePerson(ctx, &doc); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddClinician(ctx, c.ID, doc.ID); err != nil {
			t.Fatal(err)
		}
		pat := newPerson(t, s, "quaypat")
		_, hash := newTokenHash()
		inv := &backcoach.Invitation{ClinicID: c.ID, Hash: hash, Shares: backcoach.Shares}
		if err := s.CreateInvitation(ctx, doc.ID, inv); err != nil {
			t.Fatal(err)
		}
		if inv.ClinicianName != "drquay" {
			t.Errorf("the new invitation names the clinician %q, want the handle", inv.ClinicianName)
		}
		read, err := s.InvitationByHash(ctx, hash)
		if err != nil || read.ClinicianName != "drquay" {
			t.Fatalf("the invitation read back: %+v, %v; want the handle", read, err)
		}
		if _, err := s.AcceptInvitation(ctx, pat, hash); err != nil {
			t.Fatal(err)
		}
		consents, err := s.Consents(ctx, pat)
		if err != nil || len(consents) != 1 || consents[0].ClinicianName != "drquay" {
			t.Fatalf("consents = %+v, %v; want one naming the handle", consents, err)
		}
	})
}
