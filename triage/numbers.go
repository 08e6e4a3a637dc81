package triage

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/backcoach/backcoach"
)

//go:embed numbers.json
var numbersJSON []byte

// Number is a telephone number to call for help, with the regions (time
// zones) where it is the local one.
type Number struct {
	Number       string            `json:"number"`
	Label        string            `json:"label"`
	Urgency      backcoach.Urgency `json:"urgency"`
	Zones        []string          `json:"zones,omitempty"`
	ZonePrefixes []string          `json:"zone_prefixes,omitempty"`
}

// local reports whether the number is the one of the time zone's region.
func (n Number) local(zone string) bool {
	return slices.Contains(n.Zones, zone) || slices.ContainsFunc(n.ZonePrefixes, func(p string) bool { return strings.HasPrefix(zone, p) })
}

var numbers = mustParseNumbers(numbersJSON)

func mustParseNumbers(data []byte) []Number {
	var doc struct {
		Numbers []Number `json:"numbers"`
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&doc); err != nil {
		panic("triage: numbers.json: " + err.Error())
	}
	for _, n := range doc.Numbers {
		if n.Number == "" || n.Label == "" || (n.Urgency != backcoach.UrgencyEmergency && n.Urgency != backcoach.UrgencyUrgent) {
			panic(fmt.Sprintf("triage: numbers.json: number %+v needs a number, a label and the urgency emergency or urgent", n))
		}
	}
	return doc.Numbers
}

// CallNumbers returns the numbers to offer at an urgency, for a person in
// the time zone: for an emergency every emergency number, the region's own
// first (from the zone); for an urgent matter only the region's own
// advice line, if it has one. Nothing at other urgencies.
func CallNumbers(u backcoach.Urgency, zone string) []Number {
	var own, others []Number
	for _, n := range numbers {
		switch {
		case n.Urgency != u:
		case n.local(zone):
			own = append(own, n)
		case u == backcoach.UrgencyEmergency:
			others = append(others, n)
		}
	}
	if len(own) > 1 {
		// A zone that several rules match (Europe/London is in Europe):
		// the one that names the zone itself comes first.
		slices.SortStableFunc(own, func(a, b Number) int {
			ai, bi := slices.Contains(a.Zones, zone), slices.Contains(b.Zones, zone)
			switch {
			case ai && !bi:
				return -1
			case bi && !ai:
				return 1
			}
			return 0
		})
	}
	if u == backcoach.UrgencyEmergency && len(own) == 0 {
		// Unknown region: Europe's number, which many phones also route.
		slices.SortStableFunc(others, func(a, b Number) int {
			return strings.Compare(fmt.Sprint(!a.local("Europe/")), fmt.Sprint(!b.local("Europe/")))
		})
	}
	return append(own, others...)
}
