package main

import (
	"fmt"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/store"
)

// clinicCmd keeps the clinics of a clinic server: administrative commands
// run on the server's database (--db postgres://... or its SQLite file).
type clinicCmd struct {
	Create       clinicCreateCmd       `cmd:"" help:"Make a clinic named NAME."`
	AddClinician clinicAddClinicianCmd `cmd:"" name:"add-clinician" help:"Make the account HANDLE a clinician of a clinic; a clinic's first clinician is its admin, who can add the others in the web app (/clinic/admin)."`
	List         clinicListCmd         `cmd:"" help:"List the clinics."`
}

type clinicCreateCmd struct {
	Name string `arg:"" help:"The clinic's name, 1 to 100 characters, unique on this server."`
}

func (c *clinicCreateCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	cl := &backcoach.Clinic{Name: c.Name}
	if err := s.CreateClinic(a.ctx, cl); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Made the clinic %q. Add its first clinician, its admin, with: backcoach clinic add-clinician HANDLE --clinic %q\n", cl.Name, cl.Name)
	return nil
}

type clinicAddClinicianCmd struct {
	Handle string `arg:"" help:"The handle of an account on this server (the clinician signs up first)."`
	Clinic string `help:"The clinic's name; may be left out when the server has one clinic." placeholder:"NAME"`
}

func (c *clinicAddClinicianCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	cl, err := findClinic(a, s, c.Clinic)
	if err != nil {
		return err
	}
	p, err := s.PersonByHandle(a.ctx, c.Handle)
	if err != nil {
		return &backcoach.Error{Code: backcoach.ENOTFOUND, Field: "handle", Message: fmt.Sprintf("no account with the handle %q on this server: the clinician signs up first", c.Handle)}
	}
	m, err := s.AddClinician(a.ctx, cl.ID, p.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s (%s) is now a clinician of %s", m.Handle, m.Name, m.ClinicName)
	if m.Role == backcoach.ClinicRoleAdmin {
		fmt.Fprint(a.stdout, ", and its admin")
	}
	fmt.Fprintln(a.stdout, ".")
	return nil
}

// findClinic finds a clinic by name, or the only one when name is empty.
func findClinic(a *app, s *store.Store, name string) (*backcoach.Clinic, error) {
	list, err := s.Clinics(a.ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for i := range list {
		if name == "" && len(list) == 1 || list[i].Name == name {
			return &list[i], nil
		}
		names = append(names, fmt.Sprintf("%q", list[i].Name))
	}
	switch {
	case len(list) == 0:
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "this server has no clinic yet: make one with backcoach clinic create NAME")
	case name == "":
		return nil, backcoach.Invalid("clinic", "must name one of the clinics: %s", strings.Join(names, ", "))
	}
	return nil, backcoach.Invalid("clinic", "must name one of the clinics: %s; got %q", strings.Join(names, ", "), name)
}

type clinicListCmd struct{}

func (c *clinicListCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Clinics(a.ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(a.stdout, "No clinics yet: make one with backcoach clinic create NAME.")
	}
	for _, cl := range list {
		fmt.Fprintln(a.stdout, cl.Name)
	}
	return nil
}
