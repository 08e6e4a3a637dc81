package e2e

import (
	"testing"
)

// TestClinicPages checks the pages of clinic mode with axe-core (no
// serious or critical violation), on a laptop and a phone, weighing each
// load: the clinician's dashboard, the admin page, a fresh invitation,
// the patient's page, and the person's side, the invitation to join and
// what follows agreeing, and the page after the person deletes their
// account. The clinic and its first clinician are made with
// the command line, as an operator does.
func TestClinicPages(t *testing.T) {
	t.Parallel()
	browser(t)
	srv := startServer(t)
	for _, vp := range []viewport{laptop, phone} {
		t.Run(vp.name, func(t *testing.T) {
			u := &user{t: t, srv: srv}
			doc := newTab(t, srv, vp)
			signUpIn(doc, "doc."+vp.name)
			clinic := "Clinic " + vp.name
			for _, args := range [][]string{{"clinic", "create", clinic}, {"clinic", "add-clinician", "doc." + vp.name, "--clinic", clinic}} {
				if out, code := u.cli("", args...); code != 0 {
					t.Fatalf("backcoach %v: exit %d\n%s", args, code, out)
				}
			}
			a := &audit{b: doc}
			a.check(doc.open("clinic", "/clinic"))
			a.check(doc.open("clinic-admin", "/clinic/admin"))
			doc.open("clinic", "/clinic")
			a.check(doc.follow("clinic-invitation", doc.press(`form[action="/clinic/invitations"] button[type=submit]`)))
			code := eval[string](doc, `document.querySelector("[data-testid=invitation-code]").textContent`)

			pat := newTab(t, srv, vp)
			signUpIn(pat, "pat."+vp.name)
			p := &audit{b: pat}
			p.check(pat.open("join", "/join/"+code))
			p.check(pat.follow("joined", pat.press(`form[action^="/join/"] button[type=submit]`)))

			a.check(doc.open("clinic-with-a-patient", "/clinic"))
			a.check(doc.follow("patient", doc.press(`main a[href^="/clinic/patients/"]`)))

			// The person leaves: the page after deleting the account.
			pat.open("settings", "/settings")
			pat.do("the password", pat.typeInto("#delete-password", testPassword))
			p.check(pat.follow("deleted", pat.press(`form[action="/settings/delete"] button[type=submit]`)))
		})
	}
}

// signUpIn makes an account and stays signed in with it.
func signUpIn(b *tab, handle string) {
	b.t.Helper()
	b.open("sign-up", "/signup")
	b.do("filling in the sign-up form", b.typeInto("#handle", handle), b.typeInto("#password", testPassword), b.typeInto("#confirm", testPassword))
	b.follow("introduction", b.press(`form[action="/signup"] button[type=submit]`))
}
