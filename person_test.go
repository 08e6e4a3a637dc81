package backcoach

import (
	"reflect"
	"strings"
	"testing"
	_ "time/tzdata" // the tests name time zones; CI machines may lack tzdata
)

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{
		"abcdefghijklmnopqrstuvwxyz": true,
		"a234567abcdefghijklmnopqrs": true,
		"abcdefghijklmnopqrstuvwxy":  false, // 25
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ": false,
		"abcdefghijklmnopqrstuvwxy1": false, // 1 is not base32
		"../../../etc/passwd/abcdef": false,
	} {
		if got := CheckID("id", id) == nil; got != ok {
			t.Errorf("CheckID(%q) ok = %v, want %v", id, got, ok)
		}
	}
}

func TestProfile(t *testing.T) {
	p := Profile{TimeZone: "Europe/London", Places: []Place{PlaceDesk}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, spoil := range map[string]func(p *Profile){
		"time_zone":     func(p *Profile) { p.TimeZone = "Moon/Base" },
		"minutes":       func(p *Profile) { p.Minutes = 61 },
		"conditions[0]": func(p *Profile) { p.Conditions = []Condition{"flu"} },
		"equipment[1]":  func(p *Profile) { p.Equipment = []Equipment{EquipmentMat, EquipmentMat} },
	} {
		q := p
		spoil(&q)
		if e, ok := q.Validate().(*Error); !ok || e.Field != field {
			t.Errorf("%s: got %v", field, q.Validate())
		}
	}
	if p.Location().String() != "Europe/London" || (&Profile{}).Location().String() != "UTC" {
		t.Errorf("Location")
	}

	ans := Answers{Conditions: []Condition{ConditionPregnant}, ClinicianAssessed: true,
		Context: &Context{Minutes: 15, Places: []Place{PlaceFloor}, Equipment: []Equipment{EquipmentMat}}}
	p.Remember(&ans)
	want := Profile{TimeZone: "Europe/London", Conditions: []Condition{ConditionPregnant}, Places: []Place{PlaceFloor},
		Equipment: []Equipment{EquipmentMat}, Minutes: 15, ClinicianAssessed: true}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("Remember: %+v", p)
	}
	if c := p.Context(); c == nil || c.Minutes != 15 || c.Validate() != nil {
		t.Errorf("Context: %+v", c)
	}
}

func TestPersonValidate(t *testing.T) {
	good := Person{Handle: "ann.b", Name: "Ann", Role: RolePerson}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, spoil := range map[string]func(p *Person){
		"handle": func(p *Person) { p.Handle = "Ann B" },
		"name":   func(p *Person) { p.Name = strings.Repeat("n", MaxNameRunes+1) },
		"role":   func(p *Person) { p.Role = "admin" },
		"id":     func(p *Person) { p.ID = "1" },
	} {
		p := good
		spoil(&p)
		if e, ok := p.Validate().(*Error); !ok || e.Field != field {
			t.Errorf("%s: got %v", field, p.Validate())
		}
	}
}
