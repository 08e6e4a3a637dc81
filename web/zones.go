package web

import (
	_ "embed"
	"strings"
	"sync"
)

//go:generate go run gen_zones.go

// zonesFile lists the time zones offered in the settings, one a line:
// the IANA database's zones by country, so that every country's cities
// are there (generated from its zone.tab by gen_zones.go).
//
//go:embed zones.txt
var zonesFile string

// zoneOption is one time zone of the picker: its IANA name, the value
// sent, and the words shown ("Buenos Aires (Argentina)" for
// America/Argentina/Buenos_Aires).
type zoneOption struct {
	Name, Words string
}

// zoneGroup is the time zones of one region, such as Europe.
type zoneGroup struct {
	Region string
	Zones  []zoneOption
}

// allZones are the zones of the picker by region, in the file's order.
// UTC comes last, under Other.
// They are read the first time a picker is drawn, not at start-up.
var allZones = sync.OnceValue(func() []zoneGroup {
	return append(parseZones(zonesFile), zoneGroup{Region: "Other", Zones: []zoneOption{{Name: "UTC", Words: "UTC (no daylight saving)"}}})
})

func parseZones(file string) []zoneGroup {
	var groups []zoneGroup
	for _, line := range strings.Split(file, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		region, _, _ := strings.Cut(line, "/")
		if len(groups) == 0 || groups[len(groups)-1].Region != region {
			groups = append(groups, zoneGroup{Region: region})
		}
		g := &groups[len(groups)-1]
		g.Zones = append(g.Zones, zoneOption{Name: line, Words: zoneWords(line)})
	}
	return groups
}

// zoneWords says a zone's name the way people read it: its city, with
// the part between region and city in brackets.
func zoneWords(name string) string {
	parts := strings.Split(strings.ReplaceAll(name, "_", " "), "/")
	if len(parts) < 2 {
		return parts[0]
	}
	city := parts[len(parts)-1]
	if mid := parts[1 : len(parts)-1]; len(mid) > 0 {
		city += " (" + strings.Join(mid, ", ") + ")"
	}
	return city
}

// zoneGroups are the picker's groups with the person's current zone in
// them: a zone not in the list (UTC, or an older name such as
// Asia/Calcutta) is offered first, on its own, so that it stays chosen.
func zoneGroups(current string) []zoneGroup {
	groups := allZones()
	if current == "" {
		return groups
	}
	for _, g := range groups {
		for _, z := range g.Zones {
			if z.Name == current {
				return groups
			}
		}
	}
	return append([]zoneGroup{{Region: "Current", Zones: []zoneOption{{Name: current, Words: current}}}}, groups...)
}
