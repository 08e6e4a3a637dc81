// Package catalog holds the exercise catalog and its illustrations, embedded
// in the binary: it loads exercises.json, sources.json and pain.json (the
// pain rules of a session), checks every rule
// the rest of the program relies on, and answers look-ups.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/backcoach/backcoach"
)

//go:embed exercises.json sources.json pain.json svg/*.svg svg/anim/*.svg
var files embed.FS

// Source is a publication the product cites.
type Source struct {
	Name string `json:"name"` // how it is cited, e.g. "NHS: Back pain"
	Full string `json:"full"` // the full reference
	URL  string `json:"url,omitempty"`
}

// Catalog is the validated set of exercises and sources.
type Catalog struct {
	exercises []backcoach.Exercise
	byID      map[string]int
	sources   map[string]Source
	order     []string
	svgs      fs.FS
	pain      *PainRules
	// ownStopIf are each exercise's own "Stop if" lines; an exercise's
	// StopIf starts with the usual stop rule's lines before them.
	ownStopIf map[string][]string
}

// Load reads and validates the embedded catalog.
func Load() (*Catalog, error) {
	ex, err := files.ReadFile("exercises.json")
	if err != nil {
		return nil, err
	}
	src, err := files.ReadFile("sources.json")
	if err != nil {
		return nil, err
	}
	pain, err := files.ReadFile("pain.json")
	if err != nil {
		return nil, err
	}
	svgs, err := fs.Sub(files, "svg")
	if err != nil {
		return nil, err
	}
	return Parse(ex, src, pain, svgs)
}

// MustLoad is Load for program start-up and tests: the embedded catalog is
// part of the binary, so a fault in it is a build fault.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic("catalog: " + err.Error())
	}
	return c
}

// Parse builds a catalog from the three data files and a folder of SVG
// files, and checks every rule.
func Parse(exercisesJSON, sourcesJSON, painJSON []byte, svgs fs.FS) (*Catalog, error) {
	c := &Catalog{byID: map[string]int{}, sources: map[string]Source{}, svgs: svgs, ownStopIf: map[string][]string{}}
	var sources []Source
	if err := decodeStrict(sourcesJSON, &sources); err != nil {
		return nil, fmt.Errorf("sources.json: %w", err)
	}
	for i, s := range sources {
		if s.Name == "" || s.Full == "" {
			return nil, fmt.Errorf("sources.json[%d]: name and full are required", i)
		}
		if _, dup := c.sources[s.Name]; dup {
			return nil, fmt.Errorf("sources.json: %q is listed twice", s.Name)
		}
		c.sources[s.Name] = s
		c.order = append(c.order, s.Name)
	}
	if err := decodeStrict(exercisesJSON, &c.exercises); err != nil {
		return nil, fmt.Errorf("exercises.json: %w", err)
	}
	for i := range c.exercises {
		e := &c.exercises[i]
		if err := c.check(e); err != nil {
			return nil, fmt.Errorf("exercises.json: exercise %q: %w", e.ID, err)
		}
		if _, dup := c.byID[e.ID]; dup {
			return nil, fmt.Errorf("exercises.json: id %q is used twice", e.ID)
		}
		c.byID[e.ID] = i
	}
	if err := c.checkVariants(); err != nil {
		return nil, err
	}
	if err := c.checkSVGFiles(); err != nil {
		return nil, err
	}
	c.pain = &PainRules{}
	if err := decodeStrict(painJSON, c.pain); err != nil {
		return nil, fmt.Errorf("pain.json: %w", err)
	}
	if err := c.pain.check(c); err != nil {
		return nil, fmt.Errorf("pain.json: %w", err)
	}
	// Every exercise's "Stop if" list starts with the usual stop rule, kept
	// once in pain.json (docs/clinical.md §5).
	usual := c.pain.StopRules[StopUsual].StopIf
	for i := range c.exercises {
		e := &c.exercises[i]
		c.ownStopIf[e.ID] = e.StopIf
		e.StopIf = append(slices.Clone(usual), e.StopIf...)
	}
	return c, nil
}

// checkVariants checks that every variant_of names another exercise of the
// catalog that is itself a main exercise, so a family is one main exercise
// and its versions, and the planner can keep one of them per routine.
func (c *Catalog) checkVariants() error {
	for _, e := range c.exercises {
		if e.VariantOf == "" {
			continue
		}
		i, ok := c.byID[e.VariantOf]
		switch {
		case e.VariantOf == e.ID:
			return fmt.Errorf("exercises.json: exercise %q: variant_of names the exercise itself", e.ID)
		case !ok:
			return fmt.Errorf("exercises.json: exercise %q: variant_of %q is not an exercise of the catalog", e.ID, e.VariantOf)
		case c.exercises[i].VariantOf != "":
			return fmt.Errorf("exercises.json: exercise %q: variant_of %q is itself a variant of %q; name the main exercise", e.ID, e.VariantOf, c.exercises[i].VariantOf)
		}
	}
	return nil
}

func decodeStrict(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// floorPositions are the positions done on the floor.
var floorPositions = []backcoach.Position{
	backcoach.PositionHandsKnees, backcoach.PositionKneeling, backcoach.PositionSittingFloor,
	backcoach.PositionLyingFront, backcoach.PositionLyingSide, backcoach.PositionLyingBack,
}

// IsFloor reports whether a position is on the floor.
func IsFloor(p backcoach.Position) bool { return slices.Contains(floorPositions, p) }

// IsKneeling reports whether a position puts weight on the knees.
func IsKneeling(p backcoach.Position) bool {
	return p == backcoach.PositionHandsKnees || p == backcoach.PositionKneeling
}

// IsLying reports whether a position is lying down (on the back or front).
func IsLying(p backcoach.Position) bool {
	return p == backcoach.PositionLyingBack || p == backcoach.PositionLyingFront
}

// check applies every rule to one exercise.
func (c *Catalog) check(e *backcoach.Exercise) error {
	switch {
	case !idPattern.MatchString(e.ID):
		return fmt.Errorf("id must be lower-case words joined by hyphens")
	case strings.TrimSpace(e.Name) == "":
		return fmt.Errorf("name is empty")
	case strings.TrimSpace(e.Purpose) == "":
		return fmt.Errorf("purpose is empty")
	case len(e.Steps) < 2:
		return fmt.Errorf("needs at least two steps")
	case strings.TrimSpace(e.Breathing) == "":
		return fmt.Errorf("breathing cue is empty")
	case strings.TrimSpace(e.Feel) == "":
		return fmt.Errorf("feel is empty")
	case len(e.Places) == 0:
		return fmt.Errorf("places is empty")
	case len(e.Regions) == 0:
		return fmt.Errorf("regions is empty")
	}
	for i, s := range append(append([]string{}, e.Steps...), e.StopIf...) {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("step or stop_if line %d is empty", i+1)
		}
	}
	if e.Position.Order() == len(backcoach.Positions) {
		return fmt.Errorf("unknown position %q", e.Position)
	}
	if err := checkIDs("places", e.Places, backcoach.Places); err != nil {
		return err
	}
	if IsFloor(e.Position) != slices.Equal(e.Places, []backcoach.Place{backcoach.PlaceFloor}) {
		return fmt.Errorf("a floor position goes with the place floor alone, and only a floor position does")
	}
	if err := checkIDs("equipment", e.Equipment, backcoach.AllEquipment); err != nil {
		return err
	}
	if err := checkIDs("optional_equipment", e.OptionalEquipment, backcoach.AllEquipment); err != nil {
		return err
	}
	if err := checkIDs("regions", e.Regions, backcoach.Regions); err != nil {
		return err
	}
	if err := checkIDs("emphasis", e.Emphasis, backcoach.Causes); err != nil {
		return err
	}
	if err := c.checkDose(e.Dose); err != nil {
		return fmt.Errorf("dose: %w", err)
	}
	seen := map[backcoach.Condition]bool{}
	for _, k := range e.Cautions {
		if !slices.Contains(backcoach.Conditions, k.Condition) {
			return fmt.Errorf("caution: unknown condition %q", k.Condition)
		}
		if seen[k.Condition] {
			return fmt.Errorf("caution: condition %q is listed twice", k.Condition)
		}
		seen[k.Condition] = true
		if k.Effect != backcoach.CautionExclude && k.Effect != backcoach.CautionModify {
			return fmt.Errorf("caution %q: effect must be exclude or modify", k.Condition)
		}
		if strings.TrimSpace(k.Note) == "" {
			return fmt.Errorf("caution %q: note is empty", k.Condition)
		}
		if k.Source != "" {
			if _, ok := c.sources[k.Source]; !ok {
				return fmt.Errorf("caution %q: unknown source %q", k.Condition, k.Source)
			}
		}
	}
	if e.GentleNote != "" && !e.Gentle {
		return fmt.Errorf("gentle_note on an exercise that is not gentle")
	}
	return nil
}

// The ACSM ranges (docs/clinical.md §5): static stretches 10–30 s, up to 60 s for
// older adults, 2–4 repetitions; mobility drills 8–12 slow repetitions.
var (
	acsmHoldSeconds = backcoach.Range{Min: 10, Max: 60}
	acsmHoldSets    = backcoach.Range{Min: 1, Max: 4}
	acsmReps        = backcoach.Range{Min: 5, Max: 12}
	acsmTimed       = backcoach.Range{Min: 15, Max: 60}
)

func (c *Catalog) checkDose(d backcoach.Dose) error {
	if d.Sets.Min < 1 || d.Sets.Min > d.Sets.Max || !acsmHoldSets.Contains(d.Sets.Max) {
		return fmt.Errorf("sets must be a range within %d–%d", acsmHoldSets.Min, acsmHoldSets.Max)
	}
	within := func(name string, r, allowed backcoach.Range) error {
		if r.Min > r.Max || !allowed.Contains(r.Min) || !allowed.Contains(r.Max) {
			return fmt.Errorf("%s %d–%d is outside %d–%d", name, r.Min, r.Max, allowed.Min, allowed.Max)
		}
		return nil
	}
	switch d.Kind {
	case backcoach.DoseHold:
		if d.Reps != (backcoach.Range{}) {
			return fmt.Errorf("a hold has no reps")
		}
		if err := within("hold_seconds", d.HoldSeconds, acsmHoldSeconds); err != nil {
			return err
		}
	case backcoach.DoseReps:
		if err := within("reps", d.Reps, acsmReps); err != nil {
			return err
		}
		if d.SecondsPerRep < 2 || d.SecondsPerRep > 12 {
			return fmt.Errorf("seconds_per_rep must be 2–12")
		}
		if d.HoldSeconds != (backcoach.Range{}) && (d.HoldSeconds.Min < 1 || d.HoldSeconds.Max > 10) {
			return fmt.Errorf("a pause within a repetition is 1–10 s")
		}
	case backcoach.DoseTimed:
		if d.Reps != (backcoach.Range{}) {
			return fmt.Errorf("a timed exercise has no reps")
		}
		if err := within("hold_seconds", d.HoldSeconds, acsmTimed); err != nil {
			return err
		}
	default:
		return fmt.Errorf("kind must be hold, reps or timed, got %q", d.Kind)
	}
	if d.Sides != backcoach.SidesNone && d.Sides != backcoach.SidesEach {
		return fmt.Errorf("sides must be none or each, got %q", d.Sides)
	}
	if strings.TrimSpace(d.Tempo) == "" {
		return fmt.Errorf("tempo is empty")
	}
	if _, ok := c.sources[d.Source]; !ok {
		return fmt.Errorf("unknown source %q", d.Source)
	}
	return nil
}

func checkIDs[T ~string](field string, list, allowed []T) error {
	seen := map[T]bool{}
	for _, v := range list {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s: unknown value %q", field, v)
		}
		if seen[v] {
			return fmt.Errorf("%s: %q is listed twice", field, v)
		}
		seen[v] = true
	}
	return nil
}

// checkSVGFiles checks that the exercises and the SVG files match one to one.
func (c *Catalog) checkSVGFiles() error {
	names, err := fs.Glob(c.svgs, "*.svg")
	if err != nil {
		return err
	}
	for _, n := range names {
		if _, ok := c.byID[strings.TrimSuffix(n, ".svg")]; !ok {
			return fmt.Errorf("svg/%s has no exercise", n)
		}
	}
	for _, e := range c.exercises {
		if _, err := fs.Stat(c.svgs, e.ID+".svg"); err != nil {
			return fmt.Errorf("exercise %q has no illustration svg/%s.svg", e.ID, e.ID)
		}
	}
	// The moving pictures are optional, but each one is of an exercise.
	moving, err := fs.Glob(c.svgs, "anim/*.svg")
	if err != nil {
		return err
	}
	for _, n := range moving {
		if _, ok := c.byID[strings.TrimSuffix(strings.TrimPrefix(n, "anim/"), ".svg")]; !ok {
			return fmt.Errorf("svg/%s has no exercise", n)
		}
	}
	return nil
}

// All returns every exercise, in catalog order. The slice is a copy; the
// exercises must not be changed.
func (c *Catalog) All() []backcoach.Exercise { return slices.Clone(c.exercises) }

// Get returns the exercise with the id, or an ENOTFOUND error.
func (c *Catalog) Get(id string) (*backcoach.Exercise, error) {
	i, ok := c.byID[id]
	if !ok {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "no exercise %q; 'backcoach exercises' lists them", id)
	}
	return &c.exercises[i], nil
}

// SVG returns the illustration of an exercise.
func (c *Catalog) SVG(id string) ([]byte, error) {
	if _, err := c.Get(id); err != nil {
		return nil, err
	}
	return fs.ReadFile(c.svgs, id+".svg")
}

// MovingSVG returns the moving illustration of an exercise: one panel in
// which the figure goes from pose to pose in a loop (SVG animation, no
// script), showing the first pose still to people who ask for less
// motion. The two-panel SVG stays the picture for print and the terminal.
func (c *Catalog) MovingSVG(id string) ([]byte, error) {
	if _, err := c.Get(id); err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(c.svgs, "anim/"+id+".svg")
	if err != nil {
		return nil, backcoach.Errorf(backcoach.ENOTFOUND, "exercise %q has no moving picture", id)
	}
	return data, nil
}

// Source returns a cited source by its name.
func (c *Catalog) Source(name string) (Source, bool) {
	s, ok := c.sources[name]
	return s, ok
}

// Sources returns every source, in file order.
func (c *Catalog) Sources() []Source {
	out := make([]Source, len(c.order))
	for i, n := range c.order {
		out[i] = c.sources[n]
	}
	return out
}

// Filter selects exercises. Zero fields match everything.
type Filter struct {
	Place     backcoach.Place
	Equipment []backcoach.Equipment // the equipment the person has; nil means any
	Gentle    bool                  // only gentle exercises
}

// Find returns the exercises that match the filter, in catalog order.
func (c *Catalog) Find(f Filter) []backcoach.Exercise {
	var out []backcoach.Exercise
	for _, e := range c.exercises {
		if f.Place != "" && !e.HasPlace(f.Place) {
			continue
		}
		if f.Gentle && !e.Gentle {
			continue
		}
		if f.Equipment != nil && !HasAll(f.Equipment, e.Equipment) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// HasAll reports whether every needed item is in have.
func HasAll(have, needed []backcoach.Equipment) bool {
	for _, n := range needed {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}

// IDs returns the ids of every exercise, sorted.
func (c *Catalog) IDs() []string {
	ids := make([]string, 0, len(c.byID))
	for id := range c.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
