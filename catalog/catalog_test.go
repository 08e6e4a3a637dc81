package catalog

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/termpic"
)

func TestEmbeddedCatalogLoads(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.All()); n < 16 {
		t.Errorf("catalog has %d exercises, want at least 16 (the eight of docs/clinical.md §5 and eight more)", n)
	}
}

// The eight exercises of docs/clinical.md §5 keep exactly these ids.
func TestClinicalExercisesPresent(t *testing.T) {
	c := MustLoad()
	for _, id := range []string{"cat-cow", "childs-pose", "wall-stretch", "shoulder-rolls", "trunk-rotation", "foam-roller-extension", "knee-to-chest", "overhead-side-reach"} {
		if _, err := c.Get(id); err != nil {
			t.Errorf("missing %s: %v", id, err)
		}
	}
}

// The gentle set of docs/clinical.md §5 must be gentle, and the exercises it
// leaves out of the high stage must not be.
func TestGentleExercisesFollowClinicalBrief(t *testing.T) {
	c := MustLoad()
	for id, want := range map[string]bool{
		"shoulder-rolls": true, "cat-cow": true, "childs-pose": true, "trunk-rotation": true,
		"wall-stretch": false, "foam-roller-extension": false, "knee-to-chest": false, "overhead-side-reach": false,
	} {
		e, err := c.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Gentle != want {
			t.Errorf("%s: gentle = %v, want %v", id, e.Gentle, want)
		}
	}
}

// Every condition of docs/clinical.md §4 excludes or changes what the brief says.
func TestConditionCautionsFollowClinicalBrief(t *testing.T) {
	c := MustLoad()
	want := []struct {
		id     string
		cond   backcoach.Condition
		effect backcoach.CautionEffect
	}{
		{"knee-to-chest", backcoach.ConditionOsteoporosis, backcoach.CautionExclude},
		{"childs-pose", backcoach.ConditionOsteoporosis, backcoach.CautionExclude},
		{"cat-cow", backcoach.ConditionOsteoporosis, backcoach.CautionModify},
		{"trunk-rotation", backcoach.ConditionOsteoporosis, backcoach.CautionModify},
		{"trunk-rotation", backcoach.ConditionPregnant, backcoach.CautionExclude},
		{"knee-to-chest", backcoach.ConditionPregnant, backcoach.CautionExclude},
		{"foam-roller-extension", backcoach.ConditionPregnant, backcoach.CautionExclude},
		{"cat-cow", backcoach.ConditionKneeProblems, backcoach.CautionExclude},
		{"childs-pose", backcoach.ConditionKneeProblems, backcoach.CautionExclude},
		{"overhead-side-reach", backcoach.ConditionShoulderProblems, backcoach.CautionExclude},
		// The seated twist stays in pregnancy, changed rather than left out:
		// sitting upright avoids the lying positions that pregnancy rules
		// out, and it is the alternative the lying trunk rotation points
		// to. What a twist can do wrong in pregnancy is press on the belly
		// or force the end of the range, so the note keeps the turn small,
		// from the upper back, with the belly facing forward and free.
		{"seated-rotation", backcoach.ConditionPregnant, backcoach.CautionModify},
	}
	for _, w := range want {
		e, err := c.Get(w.id)
		if err != nil {
			t.Fatal(err)
		}
		k, ok := e.Caution(w.cond)
		if !ok || k.Effect != w.effect {
			t.Errorf("%s with %s: got %+v (present %v), want effect %s", w.id, w.cond, k, ok, w.effect)
		}
	}
	for _, e := range c.All() {
		if IsKneeling(e.Position) {
			if k, ok := e.Caution(backcoach.ConditionKneeProblems); !ok || k.Effect != backcoach.CautionExclude {
				t.Errorf("%s is kneeling but not excluded for knee_problems", e.ID)
			}
		}
		if e.Position == backcoach.PositionLyingBack || e.Position == backcoach.PositionLyingFront {
			if k, ok := e.Caution(backcoach.ConditionPregnant); !ok || k.Effect != backcoach.CautionExclude {
				t.Errorf("%s is lying on the back or front but not excluded for pregnancy", e.ID)
			}
		}
	}
}

// Every place and every stage has real choice, with seated alternatives.
func TestEveryPlaceAndStageHasChoice(t *testing.T) {
	c := MustLoad()
	for _, p := range backcoach.Places {
		if n := len(c.Find(Filter{Place: p})); n < 4 {
			t.Errorf("place %s has %d exercises, want at least 4", p, n)
		}
		if n := len(c.Find(Filter{Place: p, Gentle: true})); n < 2 {
			t.Errorf("place %s has %d gentle exercises, want at least 2", p, n)
		}
	}
	warmups := 0
	for _, e := range c.All() {
		if e.Warmup && e.HasPlace(backcoach.PlaceDesk) {
			warmups++
		}
	}
	if warmups == 0 {
		t.Error("no warm-up can be done at a desk")
	}
}

// Cat-cow on all fours and on a chair are one family, so that a routine
// never holds both (docs/clinical.md §5); a family is one main exercise and
// its versions.
func TestVariantFamilies(t *testing.T) {
	c := MustLoad()
	seated, err := c.Get("seated-cat-cow")
	if err != nil {
		t.Fatal(err)
	}
	main, err := c.Get("cat-cow")
	if err != nil {
		t.Fatal(err)
	}
	if seated.Family() != "cat-cow" || main.Family() != "cat-cow" {
		t.Errorf("families: seated-cat-cow %q, cat-cow %q; want both cat-cow", seated.Family(), main.Family())
	}
	for _, e := range c.All() {
		if e.VariantOf == "" {
			continue
		}
		m, err := c.Get(e.VariantOf)
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		if m.VariantOf != "" {
			t.Errorf("%s is a variant of %s, which is itself a variant", e.ID, m.ID)
		}
	}
}

func validCatalog(t *testing.T) ([]byte, []byte, fs.FS) {
	t.Helper()
	ex, _ := files.ReadFile("exercises.json")
	src, _ := files.ReadFile("sources.json")
	svgs, _ := fs.Sub(files, "svg")
	return ex, src, svgs
}

// painJSON is the embedded pain.json.
func painJSON(t *testing.T) []byte {
	t.Helper()
	b, err := files.ReadFile("pain.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each rule of the loader rejects a catalog that breaks it.
func TestParseRejectsBrokenCatalogs(t *testing.T) {
	ex, src, svgs := validCatalog(t)
	cases := []struct{ name, from, to, want string }{
		{"duplicate id", `"id": "childs-pose"`, `"id": "cat-cow"`, "used twice"},
		{"unknown place", `"places": ["floor"]`, `"places": ["roof"]`, "unknown value"},
		{"unknown equipment", `"equipment": ["foam_roller"]`, `"equipment": ["kettlebell"]`, "unknown value"},
		{"unknown condition", `"condition": "osteoporosis"`, `"condition": "gout"`, "unknown condition"},
		{"dose out of ACSM range", `"reps": {"min": 8, "max": 10}`, `"reps": {"min": 8, "max": 40}`, "outside"},
		{"unknown field", `"purpose":`, `"porpoise": "x", "purpose":`, "unknown field"},
		{"unknown source", `"source": "ACSM Guidelines, 11th ed."`, `"source": "My blog"`, "unknown source"},
		{"no steps", `"steps": [`, `"steps": [], "x": [`, "unknown field"},
		{"variant of an unknown exercise", `"variant_of": "cat-cow"`, `"variant_of": "cat-moo"`, `variant_of "cat-moo" is not an exercise`},
		{"variant of itself", `"variant_of": "cat-cow"`, `"variant_of": "seated-cat-cow"`, "names the exercise itself"},
		{"variant of a variant", `"id": "rib-breathing",`, `"id": "rib-breathing", "variant_of": "seated-cat-cow",`, `is itself a variant of "cat-cow"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(ex, []byte(tc.from)) {
				t.Fatalf("fixture text %q not in exercises.json", tc.from)
			}
			broken := bytes.Replace(ex, []byte(tc.from), []byte(tc.to), 1)
			_, err := Parse(broken, src, painJSON(t), svgs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// svgElements are the only elements an illustration may use, so that the
// terminal renderer can draw every one of them.
var svgElements = []string{"svg", "title", "desc", "g", "line", "circle", "polyline", "path", "rect", "ellipse", "polygon"}

func TestIllustrations(t *testing.T) {
	c := MustLoad()
	for _, e := range c.All() {
		t.Run(e.ID, func(t *testing.T) {
			data, err := c.SVG(e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) >= 4096 {
				t.Errorf("%d bytes, want under 4096", len(data))
			}
			if err := checkSVG(data); err != nil {
				t.Error(err)
			}
			// The terminal renderer accepts exactly the drawing subset, so
			// every illustration must render there too.
			pic, err := termpic.Render(data, termpic.Options{Width: 40, Height: 10, Props: true})
			if err != nil {
				t.Errorf("the terminal renderer rejects it: %v", err)
			} else if strings.Count(pic, "\n") != 9 || strings.TrimSpace(pic) == "" {
				t.Errorf("the terminal picture is empty or the wrong height:\n%s", pic)
			}
		})
	}
}

// movingElements are what a moving picture may use besides: the
// animation of attributes (SMIL) and one style element for the
// reduced-motion rule; no script, no links, no transforms.
var movingElements = []string{"animate", "style"}

// TestMovingIllustrations: every exercise has a moving picture, small,
// made of the still's elements and SVG animation only, with a still
// pose for people who ask for less motion.
func TestMovingIllustrations(t *testing.T) {
	c := MustLoad()
	for _, e := range c.All() {
		t.Run(e.ID, func(t *testing.T) {
			data, err := c.MovingSVG(e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) >= 6144 {
				t.Errorf("%d bytes, want under 6144", len(data))
			}
			if err := checkSVGWith(data, movingElements, ""); err != nil {
				t.Error(err)
			}
			s := string(data)
			if !strings.Contains(s, "<animate ") || !strings.Contains(s, `repeatCount="indefinite"`) {
				t.Error("it does not move in a loop")
			}
			if !strings.Contains(s, "prefers-reduced-motion: reduce") || !strings.Contains(s, `class="still" display="none"`) {
				t.Error("it has no still pose for people who ask for less motion")
			}
			if strings.Count(s, "<style>") != 1 || strings.Contains(s, "<script") {
				t.Error("it has a script or more than one style element")
			}
		})
	}
	if _, err := c.MovingSVG("no-such-exercise"); err == nil {
		t.Error("a moving picture of an unknown exercise")
	}
}

func checkSVG(data []byte) error { return checkSVGWith(data, nil, "0 0 320 200") }

// checkSVGWith checks an illustration that may also use the elements
// extra, with the viewBox wantBox (any when empty).
func checkSVGWith(data []byte, extra []string, wantBox string) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var title, desc string
	var stack []string
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if !slices.Contains(svgElements, name) && !slices.Contains(extra, name) {
				return fmt.Errorf("element <%s> is not allowed", name)
			}
			if root {
				if name != "svg" {
					return fmt.Errorf("root element is <%s>, want <svg>", name)
				}
				vb := ""
				for _, a := range t.Attr {
					if a.Name.Local == "viewBox" {
						vb = a.Value
					}
				}
				if wantBox != "" && vb != wantBox {
					return fmt.Errorf("viewBox is %q, want %q", vb, wantBox)
				}
				if !strings.HasPrefix(vb, "0 0 ") || !strings.HasSuffix(vb, " 200") {
					return fmt.Errorf("viewBox is %q, want 0 0 W 200", vb)
				}
				root = false
			}
			for _, a := range t.Attr {
				if a.Name.Local == "xmlns" || a.Name.Space == "xmlns" {
					continue
				}
				v := strings.ToLower(a.Value)
				if a.Name.Local == "href" || strings.Contains(v, "url(") || strings.Contains(v, "http:") || strings.Contains(v, "data:") {
					return fmt.Errorf("<%s %s> refers outside the file", name, a.Name.Local)
				}
				if a.Name.Local == "transform" || a.Name.Local == "style" {
					return fmt.Errorf("<%s> uses %s, which the renderers do not support", name, a.Name.Local)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "style":
				if strings.Contains(string(t), "url(") || strings.Contains(string(t), "@import") {
					return fmt.Errorf("the style refers outside the file")
				}
			case "title":
				title += string(t)
			case "desc":
				desc += string(t)
			}
		}
	}
	if strings.TrimSpace(title) == "" {
		return fmt.Errorf("no <title>")
	}
	if strings.TrimSpace(desc) == "" {
		return fmt.Errorf("no <desc>")
	}
	return nil
}
