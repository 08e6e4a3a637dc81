package termpic

import "fmt"

// pathArgs is the number of coordinates each supported path command takes.
// Only absolute commands are supported, as the illustration subset says.
var pathArgs = map[byte]int{'M': 2, 'L': 2, 'Q': 4, 'C': 6, 'Z': 0}

// Curve flattening: a curve is split in half until its control points lie
// within flatness dots of its chord, or maxCurveDepth halvings were made.
const (
	flatness      = 0.25
	maxCurveDepth = 8
)

// outline collects the subpaths of a shape as rings of points in dot
// coordinates, counting points against a shared limit.
type outline struct {
	rings  [][]point
	closed []bool
	budget *int // points still allowed in the whole drawing
	err    error
}

// moveTo starts a new subpath at p.
func (o *outline) moveTo(p point) {
	o.rings = append(o.rings, nil)
	o.closed = append(o.closed, false)
	o.lineTo(p)
}

// lineTo adds p to the current subpath.
func (o *outline) lineTo(p point) {
	if o.err != nil {
		return
	}
	if *o.budget--; *o.budget < 0 {
		o.err = errTooManyPoints
		return
	}
	last := len(o.rings) - 1
	o.rings[last] = append(o.rings[last], p)
}

// close marks the current subpath closed.
func (o *outline) close() {
	o.closed[len(o.closed)-1] = true
}

// current returns the last point added.
func (o *outline) current() point {
	r := o.rings[len(o.rings)-1]
	return r[len(r)-1]
}

// start returns the first point of the current subpath.
func (o *outline) start() point {
	return o.rings[len(o.rings)-1][0]
}

// quadTo adds a quadratic Bézier curve from the current point, raised to
// the equivalent cubic.
func (o *outline) quadTo(c, p point) {
	s := o.current()
	c1 := point{s.x + 2.0/3*(c.x-s.x), s.y + 2.0/3*(c.y-s.y)}
	c2 := point{p.x + 2.0/3*(c.x-p.x), p.y + 2.0/3*(c.y-p.y)}
	o.cubic(s, c1, c2, p, 0)
}

// cubicTo adds a cubic Bézier curve from the current point.
func (o *outline) cubicTo(c1, c2, p point) {
	o.cubic(o.current(), c1, c2, p, 0)
}

// cubic flattens the curve p0..p3 into line segments by halving it (de
// Casteljau) until each piece is flat enough; p0 is already in the outline.
func (o *outline) cubic(p0, p1, p2, p3 point, depth int) {
	if depth >= maxCurveDepth || flatEnough(p0, p1, p2, p3) {
		o.lineTo(p3)
		return
	}
	a, b, c := mid(p0, p1), mid(p1, p2), mid(p2, p3)
	ab, bc := mid(a, b), mid(b, c)
	m := mid(ab, bc)
	o.cubic(p0, a, ab, m, depth+1)
	o.cubic(m, bc, c, p3, depth+1)
}

// flatEnough reports whether both control points lie near the chord.
func flatEnough(p0, p1, p2, p3 point) bool {
	d := point{p3.x - p0.x, p3.y - p0.y}
	length := dist(p0, p3)
	limit := flatness * flatness
	return segmentDist2(p1, p0, d, length) <= limit && segmentDist2(p2, p0, d, length) <= limit
}

// mid returns the midpoint of a and b.
func mid(a, b point) point { return point{(a.x + b.x) / 2, (a.y + b.y) / 2} }

// parsePath reads SVG path data made of absolute M, L, Q, C and Z commands
// into o, mapping coordinates with v.
func parsePath(d string, v viewport, o *outline) error {
	sc := numberScanner{s: d}
	var cmd byte
	for !sc.done() {
		if ch := sc.s[sc.pos]; isLetter(ch) {
			if _, ok := pathArgs[ch]; !ok {
				return fmt.Errorf("path command %q is not supported (want absolute M, L, Q, C or Z)", string(ch))
			}
			if cmd == 0 && ch != 'M' {
				return fmt.Errorf("path data starts with %q, want M", string(ch))
			}
			cmd = ch
			sc.pos++
			if cmd == 'Z' {
				o.close()
				continue
			}
		} else if cmd == 0 || cmd == 'Z' {
			return fmt.Errorf("path data has numbers without a command at %q", clip(sc.s[sc.pos:]))
		}
		ps, err := pathPoints(&sc, cmd, v)
		if err != nil {
			return err
		}
		applyCommand(o, cmd, ps)
		if o.err != nil {
			return o.err
		}
		if cmd == 'M' {
			cmd = 'L' // further coordinate pairs after M are lines
		}
	}
	return nil
}

// isLetter reports whether ch is an ASCII letter other than the exponent e,
// which belongs to numbers.
func isLetter(ch byte) bool {
	return (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') && ch != 'e' && ch != 'E'
}

// pathPoints reads the coordinate pairs of one command, mapped to dots.
func pathPoints(sc *numberScanner, cmd byte, v viewport) ([]point, error) {
	ps := make([]point, pathArgs[cmd]/2)
	for i := range ps {
		var xy [2]float64
		for j := range xy {
			sc.skipSeparators()
			n, err := sc.number()
			if err != nil {
				return nil, fmt.Errorf("path command %c: %w", cmd, err)
			}
			xy[j] = n
		}
		ps[i] = v.dot(xy[0], xy[1])
	}
	return ps, nil
}

// applyCommand adds one path command with its points to o. A drawing
// command right after Z starts a new subpath where the closed one began.
func applyCommand(o *outline, cmd byte, ps []point) {
	if cmd == 'M' {
		o.moveTo(ps[0])
		return
	}
	if o.closed[len(o.closed)-1] {
		o.moveTo(o.start())
	}
	switch cmd {
	case 'L':
		o.lineTo(ps[0])
	case 'Q':
		o.quadTo(ps[0], ps[1])
	case 'C':
		o.cubicTo(ps[0], ps[1], ps[2])
	}
}
