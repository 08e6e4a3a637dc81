package termpic

import (
	"errors"
	"fmt"
	"math"
)

// maxPoints caps the points of all outlines in one drawing, after curves
// and circles are flattened, so enormous point lists cannot run away.
const maxPoints = 1 << 14

// errTooManyPoints is returned when a drawing exceeds maxPoints.
var errTooManyPoints = fmt.Errorf("termpic: drawing has more than %d points", maxPoints)

// errSkip marks a shape that draws nothing, such as a circle of radius 0.
var errSkip = errors.New("empty shape")

// viewport maps viewBox coordinates to dot coordinates.
type viewport struct {
	scale, ox, oy float64
}

// fitViewport returns the mapping that scales the viewBox (minX, minY, w, h)
// to fit a canvas of cw×ch square dots, keeping the aspect ratio and
// centring it in the spare space.
func fitViewport(minX, minY, w, h float64, cw, ch int) viewport {
	s := math.Min(float64(cw)/w, float64(ch)/h)
	return viewport{
		scale: s,
		ox:    (float64(cw)-w*s)/2 - minX*s,
		oy:    (float64(ch)-h*s)/2 - minY*s,
	}
}

// dot maps the viewBox point (x, y) to dot coordinates.
func (v viewport) dot(x, y float64) point {
	return point{x*v.scale + v.ox, y*v.scale + v.oy}
}

// dist returns the distance between a and b.
func dist(a, b point) float64 { return math.Hypot(b.x-a.x, b.y-a.y) }

// attrs holds an element's attributes by local name.
type attrs map[string]string

// num returns the named attribute as a number, or def when it is absent.
func (a attrs) num(name string, def float64) (float64, error) {
	s, ok := a[name]
	if !ok {
		return def, nil
	}
	v, err := parseNumber(s)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return v, nil
}

// nums returns several attributes as numbers, each defaulting to 0.
func (a attrs) nums(names ...string) ([]float64, error) {
	vs := make([]float64, len(names))
	for i, n := range names {
		v, err := a.num(n, 0)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return vs, nil
}

// length returns a non-negative size attribute such as r or width.
func (a attrs) length(name string) (float64, error) {
	v, err := a.num(name, 0)
	if err == nil && v < 0 {
		err = fmt.Errorf("attribute %s is negative (%g)", name, v)
	}
	return v, err
}

// lineOutline builds the outline of a <line>.
func lineOutline(a attrs, v viewport, o *outline) error {
	c, err := a.nums("x1", "y1", "x2", "y2")
	if err != nil {
		return err
	}
	o.moveTo(v.dot(c[0], c[1]))
	o.lineTo(v.dot(c[2], c[3]))
	return o.err
}

// circleOutline builds the outline of a <circle>.
func circleOutline(a attrs, v viewport, o *outline) error {
	c, err := a.nums("cx", "cy")
	if err != nil {
		return err
	}
	r, err := a.length("r")
	if err != nil {
		return err
	}
	return ellipseArc(o, v.dot(c[0], c[1]), r*v.scale, r*v.scale)
}

// ellipseOutline builds the outline of an <ellipse>.
func ellipseOutline(a attrs, v viewport, o *outline) error {
	c, err := a.nums("cx", "cy")
	if err != nil {
		return err
	}
	rx, err := a.length("rx")
	if err != nil {
		return err
	}
	ry, err := a.length("ry")
	if err != nil {
		return err
	}
	return ellipseArc(o, v.dot(c[0], c[1]), rx*v.scale, ry*v.scale)
}

// ellipseArc adds a closed polygon approximating the ellipse with centre c
// and radii rx, ry in dots.
func ellipseArc(o *outline, c point, rx, ry float64) error {
	if rx <= 0 || ry <= 0 {
		return errSkip
	}
	n := arcSegments(math.Max(rx, ry), 2*math.Pi)
	for i := range n {
		t := 2 * math.Pi * float64(i) / float64(n)
		p := point{c.x + rx*math.Cos(t), c.y + ry*math.Sin(t)}
		if i == 0 {
			o.moveTo(p)
		} else {
			o.lineTo(p)
		}
	}
	o.close()
	return o.err
}

// arcSegments returns how many straight pieces to draw an arc of the given
// radius (in dots) and angle with: about one per dot and a half, at least
// enough for a round look and at most 256.
func arcSegments(r, angle float64) int {
	n := math.Ceil(r * angle / 1.5)
	return int(math.Max(math.Min(n, 256), math.Ceil(angle/(math.Pi/6))))
}

// rectOutline builds the outline of a <rect>, with rounded corners when rx
// or ry is set.
func rectOutline(a attrs, v viewport, o *outline) error {
	c, err := a.nums("x", "y")
	if err != nil {
		return err
	}
	var size [4]float64
	for i, n := range []string{"width", "height", "rx", "ry"} {
		if size[i], err = a.length(n); err != nil {
			return err
		}
	}
	w, h := size[0]*v.scale, size[1]*v.scale
	if w <= 0 || h <= 0 {
		return errSkip
	}
	rx, ry := cornerRadii(a, size[2]*v.scale, size[3]*v.scale, w, h)
	roundedRect(o, v.dot(c[0], c[1]), w, h, rx, ry)
	return o.err
}

// cornerRadii applies the SVG rules for rect corners: a missing radius
// copies the other, a zero radius means square corners, and each is at
// most half the side.
func cornerRadii(a attrs, rx, ry, w, h float64) (float64, float64) {
	_, hasX := a["rx"]
	_, hasY := a["ry"]
	if !hasX {
		rx = ry
	}
	if !hasY {
		ry = rx
	}
	if rx <= 0 || ry <= 0 {
		return 0, 0
	}
	return math.Min(rx, w/2), math.Min(ry, h/2)
}

// roundedRect adds the rectangle at p of size w×h with corner radii rx, ry,
// all in dots, going clockwise from the top-left corner.
func roundedRect(o *outline, p point, w, h, rx, ry float64) {
	corners := [4]struct{ c point }{
		{point{p.x + w - rx, p.y + ry}},
		{point{p.x + w - rx, p.y + h - ry}},
		{point{p.x + rx, p.y + h - ry}},
		{point{p.x + rx, p.y + ry}},
	}
	o.moveTo(point{p.x + rx, p.y})
	n := 1
	if rx > 0 && ry > 0 {
		n = arcSegments(math.Max(rx, ry), math.Pi/2)
	}
	for i, k := range corners {
		start := -math.Pi/2 + float64(i)*math.Pi/2
		for j := range n + 1 {
			t := start + math.Pi/2*float64(j)/float64(n)
			o.lineTo(point{k.c.x + rx*math.Cos(t), k.c.y + ry*math.Sin(t)})
		}
	}
	o.close()
}

// polyOutline builds the outline of a <polyline> or, when closed, a
// <polygon> from its points attribute.
func polyOutline(a attrs, v viewport, o *outline, closed bool) error {
	vs, err := parseNumbers(a["points"], 2*maxPoints)
	if err != nil {
		return fmt.Errorf("attribute points: %w", err)
	}
	if len(vs)%2 != 0 {
		return fmt.Errorf("attribute points has an odd number of coordinates (%d)", len(vs))
	}
	if len(vs) == 0 {
		return errSkip
	}
	o.moveTo(v.dot(vs[0], vs[1]))
	for i := 2; i < len(vs); i += 2 {
		o.lineTo(v.dot(vs[i], vs[i+1]))
	}
	if closed {
		o.close()
	}
	return o.err
}

// pathOutline builds the outline of a <path> from its d attribute.
func pathOutline(a attrs, v viewport, o *outline) error {
	if err := parsePath(a["d"], v, o); err != nil {
		return fmt.Errorf("attribute d: %w", err)
	}
	if len(o.rings) == 0 {
		return errSkip
	}
	return nil
}
