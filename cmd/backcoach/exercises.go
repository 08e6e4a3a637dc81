package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/termpic"
)

// exercisesCmd lists the catalog.
type exercisesCmd struct {
	Place     string   `help:"Only exercises for this place: desk, standing or floor." enum:",desk,standing,floor" default:""`
	Equipment []string `help:"Only exercises that need nothing beyond this equipment (wall, foam_roller, chair, mat); 'none' for no equipment at all." sep:","`
	Gentle    bool     `help:"Only gentle exercises (the ones offered on a bad day)."`
	JSON      bool     `name:"json" help:"Print JSON instead of a table."`
}

func (c *exercisesCmd) Run(a *app) error {
	f := catalog.Filter{Place: backcoach.Place(c.Place), Gentle: c.Gentle}
	if c.Equipment != nil {
		f.Equipment = []backcoach.Equipment{}
		for _, e := range c.Equipment {
			if e == "none" {
				continue
			}
			q := backcoach.Equipment(e)
			if !contains(backcoach.AllEquipment, q) {
				return backcoach.Invalid("--equipment", "%q is not known; allowed: wall, foam_roller, chair, mat, none", e)
			}
			f.Equipment = append(f.Equipment, q)
		}
	}
	list := a.catalog.Find(f)
	if c.JSON {
		return writeJSON(a.stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(a.stdout, "No exercise matches those filters.")
		return nil
	}
	writeExerciseTable(a.stdout, list)
	fmt.Fprintf(a.stdout, "\n%d exercises; * gentle, offered on a bad day. 'backcoach exercise ID' shows one.\n", len(list))
	return nil
}

// tableWidth is the width the exercise table fits in: a terminal of 80
// columns.
const tableWidth = 80

// gentleMark follows the name of a gentle exercise in the table.
const gentleMark = " *"

// writeExerciseTable lists exercises in columns that fit tableWidth: the
// names wrap within their column, and a star marks the gentle ones.
func writeExerciseTable(w io.Writer, list []backcoach.Exercise) {
	type row struct {
		id, name, places, needs string
		gentle                  bool
	}
	rows := []row{{id: "ID", name: "NAME", places: "PLACES", needs: "NEEDS"}}
	for _, e := range list {
		r := row{id: e.ID, name: e.Name, places: idWords(e.Places), needs: idWords(e.Equipment), gentle: e.Gentle}
		if r.needs == "" {
			r.needs = "-"
		}
		rows = append(rows, r)
	}
	width := func(get func(row) string) int {
		n := 0
		for _, r := range rows {
			n = max(n, len([]rune(get(r))))
		}
		return n
	}
	const gap = 2
	idW, placesW, needsW := width(func(r row) string { return r.id }), width(func(r row) string { return r.places }), width(func(r row) string { return r.needs })
	nameW := max(16, min(width(func(r row) string { return r.name })+len(gentleMark), tableWidth-1-idW-placesW-needsW-3*gap))
	pad := func(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len([]rune(s)))+gap) }
	for _, r := range rows {
		lines := strings.Split(wrap(r.name, nameW-len(gentleMark), "\n"), "\n\n")
		if r.gentle {
			lines[len(lines)-1] += gentleMark
		}
		for i, name := range lines {
			id, places, needs := r.id, r.places, r.needs
			if i > 0 {
				id, places, needs = "", "", ""
			}
			fmt.Fprintln(w, strings.TrimRight(pad(id, idW)+pad(name, nameW)+pad(places, placesW)+needs, " "))
		}
	}
}

// exerciseCmd shows one exercise in full.
type exerciseCmd struct {
	ID      string `arg:"" help:"The exercise id, as 'backcoach exercises' lists it."`
	JSON    bool   `name:"json" help:"Print the exercise as JSON."`
	SVG     bool   `name:"svg" help:"Print the illustration as an SVG file (e.g. > cat-cow.svg)."`
	Picture bool   `negatable:"" default:"true" help:"Draw the illustration in the terminal."`
}

func (c *exerciseCmd) Run(a *app) error {
	e, err := a.catalog.Get(c.ID)
	if err != nil {
		return err
	}
	switch {
	case c.SVG:
		svg, err := a.catalog.SVG(e.ID)
		if err != nil {
			return err
		}
		_, err = a.stdout.Write(svg)
		return err
	case c.JSON:
		return writeJSON(a.stdout, e)
	}
	w := a.stdout
	fmt.Fprintf(w, "%s (%s)\n", e.Name, e.ID)
	para(w, "", e.Purpose)
	if c.Picture {
		svg, err := a.catalog.SVG(e.ID)
		if err != nil {
			return err
		}
		pic, err := termpic.Render(svg, termpic.Options{Width: 64, Height: 12, Props: true, Color: a.color})
		if err != nil {
			return err
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, pic)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Position: %s. Places: %s.", strings.ReplaceAll(string(e.Position), "_", " "), idWords(e.Places))
	if len(e.Equipment) > 0 {
		fmt.Fprintf(w, " Needs: %s.", idWords(e.Equipment))
	}
	if len(e.OptionalEquipment) > 0 {
		fmt.Fprintf(w, " Helps: %s.", idWords(e.OptionalEquipment))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\nSteps")
	for i, s := range e.Steps {
		para(w, fmt.Sprintf("%2d. ", i+1), s)
	}
	fmt.Fprintln(w)
	para(w, "Breathing: ", e.Breathing)
	para(w, "You should feel: ", e.Feel)
	fmt.Fprintln(w, "Stop if:")
	for _, s := range e.StopIf {
		para(w, "  - ", s)
	}
	d := e.Dose
	fmt.Fprintln(w, "\nDose")
	sets := rangeWords(d.Sets) + " set(s)"
	switch d.Kind {
	case backcoach.DoseReps:
		para(w, "  ", fmt.Sprintf("%s of %s slow repetitions%s. %s.", sets, rangeWords(d.Reps), sidesWords(d.Sides), capitalise(d.Tempo)))
	case backcoach.DoseHold:
		para(w, "  ", fmt.Sprintf("%s, holding %s seconds%s. %s.", sets, rangeWords(d.HoldSeconds), sidesWords(d.Sides), capitalise(d.Tempo)))
	default:
		para(w, "  ", fmt.Sprintf("%s of %s seconds%s. %s.", sets, rangeWords(d.HoldSeconds), sidesWords(d.Sides), capitalise(d.Tempo)))
	}
	if e.Gentle {
		para(w, "  ", "Gentle: offered on bad days too. "+e.GentleNote)
	}
	if len(e.Cautions) > 0 {
		fmt.Fprintln(w, "\nCautions")
		for _, k := range e.Cautions {
			verb := "changed"
			if k.Effect == backcoach.CautionExclude {
				verb = "left out"
			}
			para(w, "  - ", fmt.Sprintf("%s (%s): %s", strings.ReplaceAll(string(k.Condition), "_", " "), verb, k.Note))
		}
	}
	fmt.Fprintln(w, "\nSources")
	for _, name := range exerciseSources(e) {
		printSource(a, name)
	}
	fmt.Fprintln(w)
	para(w, "", disclaimer())
	return nil
}

// exerciseSources lists the sources an exercise's dose and cautions cite.
func exerciseSources(e *backcoach.Exercise) []string {
	names := []string{e.Dose.Source}
	for _, k := range e.Cautions {
		if k.Source != "" && !contains(names, k.Source) {
			names = append(names, k.Source)
		}
	}
	return names
}

func printSource(a *app, name string) {
	s, ok := a.catalog.Source(name)
	if !ok {
		para(a.stdout, "  - ", name)
		return
	}
	line := s.Full
	if s.URL != "" {
		line += " " + s.URL
	}
	para(a.stdout, "  - ", line)
}

func sidesWords(s backcoach.Sides) string {
	if s == backcoach.SidesEach {
		return ", each side"
	}
	return ""
}

func capitalise(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sourcesCmd lists every source the product cites.
type sourcesCmd struct {
	JSON bool `name:"json" help:"Print JSON."`
}

func (c *sourcesCmd) Run(a *app) error {
	if c.JSON {
		return writeJSON(a.stdout, a.catalog.Sources())
	}
	fmt.Fprintln(a.stdout, "The advice and doses in backcoach are based on:")
	for _, s := range a.catalog.Sources() {
		printSource(a, s.Name)
	}
	return nil
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
