package termpic

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// Elements supported by the renderer: the illustration subset.
var (
	containerElements = []string{"svg", "title", "desc", "g"}
	shapeElements     = []string{"line", "circle", "polyline", "path", "rect", "ellipse", "polygon"}
)

// Limits that keep the work done on any input bounded.
const (
	maxElements = 10000
	maxDepth    = 64
	// minViewBox is the smallest viewBox side accepted, which bounds the
	// scale from viewBox units to dots.
	minViewBox = 1e-3
)

// svgNamespace is the namespace of SVG elements.
const svgNamespace = "http://www.w3.org/2000/svg"

// Colours with a meaning in the illustrations.
const (
	propColor   = "#9aa3ad"
	accentColor = "#e07a2f"
)

// style is the set of inherited presentation attributes that affect drawing.
type style struct {
	fill, stroke ink
	strokeWidth  float64 // in viewBox units
	evenOdd      bool    // fill-rule="evenodd"
}

// initialStyle is the SVG default: filled black, no stroke.
var initialStyle = style{fill: inkFigure, stroke: inkNone, strokeWidth: 1}

// drawer walks the XML of one drawing and paints its shapes onto a canvas.
type drawer struct {
	dec      *xml.Decoder
	c        *canvas
	props    bool
	view     viewport
	styles   []style // one per open element; the last is the current one
	seenRoot bool
	elements int
	points   int // points still allowed, see maxPoints
}

// draw parses svg and paints it onto c, leaving out props unless props.
func draw(svg []byte, c *canvas, props bool) error {
	d := &drawer{dec: xml.NewDecoder(bytes.NewReader(svg)), c: c, props: props, points: maxPoints}
	for {
		tok, err := d.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("termpic: malformed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := d.start(t); err != nil {
				return d.located(t, err)
			}
		case xml.EndElement:
			d.styles = d.styles[:len(d.styles)-1]
		}
	}
	if !d.seenRoot {
		return errors.New("termpic: no <svg> element")
	}
	return nil
}

// located adds the element and its line to an error, unless it is already
// one of the package's own whole-drawing errors.
func (d *drawer) located(t xml.StartElement, err error) error {
	if errors.Is(err, errTooComplex) || errors.Is(err, errTooManyPoints) {
		return err
	}
	line, _ := d.dec.InputPos()
	return fmt.Errorf("termpic: line %d: <%s>: %w", line, elementName(t.Name), err)
}

// elementName prints an element name with its namespace prefix, if foreign.
func elementName(n xml.Name) string {
	if n.Space == "" || n.Space == svgNamespace {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// start handles an opening tag: it checks the element, works out its style
// and paints it if it is a shape.
func (d *drawer) start(t xml.StartElement) error {
	if err := d.checkElement(t); err != nil {
		return err
	}
	a, err := attributes(t)
	if err != nil {
		return err
	}
	parent := initialStyle
	if len(d.styles) > 0 {
		parent = d.styles[len(d.styles)-1]
	}
	st, err := parent.with(a)
	if err != nil {
		return err
	}
	d.styles = append(d.styles, st)
	if t.Name.Local == "svg" {
		return d.root(a)
	}
	return d.shape(t.Name.Local, a, st)
}

// checkElement rejects elements outside the subset, a root other than
// <svg>, a nested or second <svg>, and runaway sizes.
func (d *drawer) checkElement(t xml.StartElement) error {
	name := t.Name.Local
	d.elements++
	switch {
	case d.elements > maxElements:
		return fmt.Errorf("more than %d elements", maxElements)
	case len(d.styles) >= maxDepth:
		return fmt.Errorf("elements nested more than %d deep", maxDepth)
	case t.Name.Space != "" && t.Name.Space != svgNamespace,
		!slices.Contains(containerElements, name) && !slices.Contains(shapeElements, name):
		return fmt.Errorf("element is not supported (want one of %s)",
			strings.Join(append(slices.Clone(containerElements), shapeElements...), ", "))
	case len(d.styles) == 0 && name != "svg":
		return errors.New("root element must be <svg>")
	case len(d.styles) == 0 && d.seenRoot:
		return errors.New("second root element")
	case len(d.styles) > 0 && name == "svg":
		return errors.New("nested <svg> is not supported")
	case len(d.styles) == 0:
		d.seenRoot = true
	}
	return nil
}

// attributes collects the element's attributes by local name, rejecting
// those that would change the drawing in ways the renderer does not follow.
func attributes(t xml.StartElement) (attrs, error) {
	a := attrs{}
	for _, at := range t.Attr {
		if at.Name.Space != "" {
			continue // xmlns declarations, xml:space and the like
		}
		switch at.Name.Local {
		case "transform", "style":
			return nil, fmt.Errorf("attribute %s is not supported (use presentation attributes)", at.Name.Local)
		}
		a[at.Name.Local] = at.Value
	}
	return a, nil
}

// with returns the style s as changed by an element's presentation
// attributes.
func (s style) with(a attrs) (style, error) {
	if v, ok := a["fill"]; ok {
		s.fill = parsePaint(v, s.fill)
	}
	if v, ok := a["stroke"]; ok {
		s.stroke = parsePaint(v, s.stroke)
	}
	if v, ok := a["stroke-width"]; ok && strings.TrimSpace(v) != "inherit" {
		w, err := parseNumber(v)
		if err != nil || w < 0 {
			return s, fmt.Errorf("attribute stroke-width %q is not a non-negative number", clip(v))
		}
		s.strokeWidth = w
	}
	if v, ok := a["fill-rule"]; ok && strings.TrimSpace(v) != "inherit" {
		s.evenOdd = strings.TrimSpace(v) == "evenodd"
	}
	return s, nil
}

// parsePaint classifies a fill or stroke value: none, the prop grey, the
// accent colour, white (which erases), or any other colour, which is the
// figure.
func parsePaint(v string, inherited ink) ink {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "inherit":
		return inherited
	case "none", "transparent":
		return inkNone
	case propColor:
		return inkProp
	case accentColor:
		return inkAccent
	case "white", "#fff", "#ffffff":
		return inkErase
	}
	return inkFigure
}

// root reads the viewBox of the <svg> element, or its width and height
// when it has no viewBox, and sets up the mapping to dots.
func (d *drawer) root(a attrs) error {
	box, err := viewBox(a)
	if err != nil {
		return err
	}
	if box[2] < minViewBox || box[3] < minViewBox {
		return fmt.Errorf("viewBox %g×%g is too small (want sides of at least %g)", box[2], box[3], minViewBox)
	}
	d.view = fitViewport(box[0], box[1], box[2], box[3], d.c.w, d.c.h)
	return nil
}

// viewBox returns the viewBox as (minX, minY, width, height).
func viewBox(a attrs) ([]float64, error) {
	if s, ok := a["viewBox"]; ok {
		vs, err := parseNumbers(s, 4)
		if err != nil || len(vs) != 4 {
			return nil, fmt.Errorf("attribute viewBox %q: want four numbers", clip(s))
		}
		return vs, nil
	}
	if _, ok := a["width"]; !ok {
		return nil, errors.New("no viewBox and no width and height")
	}
	wh, err := a.nums("width", "height")
	if err != nil {
		return nil, err
	}
	return []float64{0, 0, wh[0], wh[1]}, nil
}

// shape builds the outline of a shape element and paints it; container
// elements draw nothing themselves.
func (d *drawer) shape(name string, a attrs, st style) error {
	o := &outline{budget: &d.points}
	var err error
	switch name {
	case "line":
		err = lineOutline(a, d.view, o)
		st.fill = inkNone // a line has no inside
	case "circle":
		err = circleOutline(a, d.view, o)
	case "ellipse":
		err = ellipseOutline(a, d.view, o)
	case "rect":
		err = rectOutline(a, d.view, o)
	case "polyline", "polygon":
		err = polyOutline(a, d.view, o, name == "polygon")
	case "path":
		err = pathOutline(a, d.view, o)
	default:
		return nil
	}
	if errors.Is(err, errSkip) {
		return nil
	}
	if err != nil {
		return err
	}
	return d.paint(o, st)
}

// paint fills and then strokes an outline according to its style.
func (d *drawer) paint(o *outline, st style) error {
	if d.visible(st.fill) {
		if err := d.c.fill(o.rings, st.evenOdd, st.fill); err != nil {
			return err
		}
	}
	if !d.visible(st.stroke) || st.strokeWidth == 0 {
		return nil
	}
	hw := math.Max(st.strokeWidth*d.view.scale/2, 0.5)
	for i, r := range o.rings {
		if err := d.c.strokeRing(r, o.closed[i], hw, st.stroke); err != nil {
			return err
		}
	}
	return nil
}

// visible reports whether paint of kind k is drawn at all.
func (d *drawer) visible(k ink) bool {
	return k != inkNone && (k != inkProp || d.props)
}
