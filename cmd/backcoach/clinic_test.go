package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/store"
)

func TestClinicCommands(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "clinic.db")
	if r := runCLI(t, "", "--db", db, "clinic", "add-clinician", "doc"); r.status != exitBadInput || !strings.Contains(r.stderr, "no clinic yet") {
		t.Fatalf("add-clinician before any clinic: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "create", "Harbour Physio"); r.status != exitOK {
		t.Fatalf("clinic create: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "create", "Harbour Physio"); r.status != exitBadInput || !strings.Contains(r.stderr, "exists already") {
		t.Fatalf("a clinic made twice: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "add-clinician", "doc"); r.status != exitBadInput || !strings.Contains(r.stderr, "signs up first") {
		t.Fatalf("add-clinician of no account: %+v", r)
	}
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"doc", "nurse"} {
		if err := s.CreatePerson(context.Background(), &backcoach.Person{Handle: h, Name: strings.ToUpper(h), Role: backcoach.RolePerson}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if r := runCLI(t, "", "--db", db, "clinic", "add-clinician", "doc"); r.status != exitOK || !strings.Contains(r.stdout, "its admin") {
		t.Fatalf("first clinician: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "create", "Other"); r.status != exitOK {
		t.Fatalf("second clinic: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "add-clinician", "nurse"); r.status != exitBadInput || !strings.Contains(r.stderr, `"Harbour Physio", "Other"`) {
		t.Fatalf("add-clinician with two clinics and none named: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "add-clinician", "nurse", "--clinic", "Harbour Physio"); r.status != exitOK || strings.Contains(r.stdout, "admin") {
		t.Fatalf("second clinician: %+v", r)
	}
	if r := runCLI(t, "", "--db", db, "clinic", "list"); r.stdout != "Harbour Physio\nOther\n" {
		t.Fatalf("clinic list: %+v", r)
	}
}
