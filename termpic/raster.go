package termpic

import (
	"errors"
	"math"
	"slices"
)

// ink is what a dot was last painted with.
type ink uint8

const (
	inkNone   ink = iota // not painted, or a paint of "none"
	inkFigure            // the figure (currentColor) and any other colour
	inkProp              // grey props such as the floor and wall
	inkAccent            // the moving body part and movement arrows
	inkErase             // white: paints the background back over dots
)

// workBudget caps the dot tests a single render may make, so that no input
// (huge strokes, thousands of shapes) can take unbounded time; about a
// tenth of a second of work.
const workBudget = 1 << 26

// edgeCost is what testing one polygon edge against a row of dots costs
// against workBudget, relative to testing one dot.
const edgeCost = 4

// errTooComplex is returned when a drawing exceeds the work budget.
var errTooComplex = errors.New("termpic: drawing too complex to render")

// point is a position in dot coordinates: x to the right, y down, with dot
// (i, j) covering [i, i+1)×[j, j+1) and its centre at (i+0.5, j+0.5).
type point struct{ x, y float64 }

// canvas is a grid of dots being painted.
type canvas struct {
	w, h int
	dots []ink
	work int // dot tests still allowed
}

// newCanvas returns an empty canvas of w×h dots.
func newCanvas(w, h int) *canvas {
	return &canvas{w: w, h: h, dots: make([]ink, w*h), work: workBudget}
}

// at returns the ink of dot (x, y).
func (c *canvas) at(x, y int) ink { return c.dots[y*c.w+x] }

// paint sets dot (x, y), where erasing clears it.
func (c *canvas) paint(x, y int, k ink) {
	if k == inkErase {
		k = inkNone
	}
	c.dots[y*c.w+x] = k
}

// spend charges n dot tests to the budget.
func (c *canvas) spend(n int) error {
	c.work -= n
	if c.work < 0 {
		return errTooComplex
	}
	return nil
}

// span returns the range of dot indices [lo, hi] in [0, n) whose centres lie
// in [from, to], clamping in floating point so that huge values are safe.
func span(from, to float64, n int) (lo, hi int) {
	from = math.Max(math.Ceil(from-0.5), 0)
	to = math.Min(math.Floor(to-0.5), float64(n-1))
	if !(from <= to) { // also catches NaN
		return 0, -1
	}
	return int(from), int(to)
}

// finite reports whether every coordinate of the points is a finite number.
func finite(ps ...point) bool {
	for _, p := range ps {
		if math.IsNaN(p.x) || math.IsInf(p.x, 0) || math.IsNaN(p.y) || math.IsInf(p.y, 0) {
			return false
		}
	}
	return true
}

// tieBias nudges the sample point of every dot slightly down and right, so
// that a one-dot line lying exactly on the boundary between two rows (or
// columns) of dots lights one of them rather than both.
const tieBias = 1e-7

// strokeSegment paints every dot whose centre lies within hw of the segment
// from a to b: a thick line with round caps, so joined segments also get
// round joins.
func (c *canvas) strokeSegment(a, b point, hw float64, k ink) error {
	if !finite(a, b) {
		return nil
	}
	x0, x1 := span(math.Min(a.x, b.x)-hw, math.Max(a.x, b.x)+hw, c.w)
	y0, y1 := span(math.Min(a.y, b.y)-hw, math.Max(a.y, b.y)+hw, c.h)
	d := point{b.x - a.x, b.y - a.y}
	length := math.Hypot(d.x, d.y)
	for y := y0; y <= y1; y++ {
		cy := float64(y) + 0.5 + tieBias
		lo, hi := x0, x1
		if math.Abs(d.y) > 1e-9*length {
			lo, hi = bandAcross(a, d, length, hw, cy, c.w)
			lo, hi = max(lo, x0), min(hi, x1)
		}
		if err := c.spend(hi - lo + 2); err != nil {
			return err
		}
		for x := lo; x <= hi; x++ {
			if segmentDist2(point{float64(x) + 0.5 + tieBias, cy}, a, d, length) < hw*hw {
				c.paint(x, y, k)
			}
		}
	}
	return nil
}

// bandAcross returns the dots of row cy lying within hw of the infinite line
// through a with direction d (d.y != 0), which narrows the search for a
// slanted segment to a short run of the row.
func bandAcross(a, d point, length, hw, cy float64, w int) (lo, hi int) {
	mid := a.x + d.x*(cy-a.y)/d.y
	half := math.Abs(hw * length / d.y)
	return span(mid-half, mid+half, w)
}

// segmentDist2 returns the squared distance from p to the segment starting at
// a with direction d and the given length.
func segmentDist2(p, a, d point, length float64) float64 {
	t := 0.0
	if length > 0 {
		t = ((p.x-a.x)*d.x + (p.y-a.y)*d.y) / (length * length)
		t = math.Max(0, math.Min(1, t))
	}
	dx, dy := p.x-(a.x+t*d.x), p.y-(a.y+t*d.y)
	return dx*dx + dy*dy
}

// strokeRing strokes the segments of a polyline, closing it when closed.
func (c *canvas) strokeRing(ring []point, closed bool, hw float64, k ink) error {
	if len(ring) == 1 {
		return c.strokeSegment(ring[0], ring[0], hw, k)
	}
	for i := 1; i < len(ring); i++ {
		if err := c.strokeSegment(ring[i-1], ring[i], hw, k); err != nil {
			return err
		}
	}
	if closed && len(ring) > 2 {
		return c.strokeSegment(ring[len(ring)-1], ring[0], hw, k)
	}
	return nil
}

// crossing is where an edge of a filled shape crosses a row of dot centres,
// with the edge's winding direction.
type crossing struct {
	x   float64
	dir int
}

// fill paints the dots whose centres lie inside the rings, each ring closed
// implicitly, using the nonzero rule or, when evenOdd is set, the even-odd
// rule. A shape too small to cover any dot centre still paints the dot at
// the middle of its bounds, so that small filled shapes never vanish.
func (c *canvas) fill(rings [][]point, evenOdd bool, k ink) error {
	lo, hi, ok := ringsBounds(rings)
	if !ok {
		return nil
	}
	y0, y1 := span(lo.y, hi.y, c.h)
	edges := 0
	for _, r := range rings {
		edges += len(r)
	}
	var xs []crossing
	painted := 0
	for y := y0; y <= y1; y++ {
		if err := c.spend(edges*edgeCost + 1); err != nil {
			return err
		}
		xs = rowCrossings(xs[:0], rings, float64(y)+0.5)
		n, err := c.fillRow(y, xs, evenOdd, k)
		if err != nil {
			return err
		}
		painted += n
	}
	if painted == 0 {
		c.paintAt(mid(lo, hi), k)
	}
	return nil
}

// paintAt paints the dot containing p, if it is on the canvas.
func (c *canvas) paintAt(p point, k ink) {
	if p.x >= 0 && p.x < float64(c.w) && p.y >= 0 && p.y < float64(c.h) {
		c.paint(int(p.x), int(p.y), k)
	}
}

// ringsBounds returns the bounding box of the rings, and false when there is
// nothing finite to fill.
func ringsBounds(rings [][]point) (lo, hi point, ok bool) {
	lo = point{math.Inf(1), math.Inf(1)}
	hi = point{math.Inf(-1), math.Inf(-1)}
	for _, r := range rings {
		for _, p := range r {
			if !finite(p) {
				return lo, hi, false
			}
			lo = point{math.Min(lo.x, p.x), math.Min(lo.y, p.y)}
			hi = point{math.Max(hi.x, p.x), math.Max(hi.y, p.y)}
		}
	}
	return lo, hi, lo.x <= hi.x
}

// rowCrossings appends to xs the crossings of every ring edge with the row of
// dot centres at height cy, sorted from left to right.
func rowCrossings(xs []crossing, rings [][]point, cy float64) []crossing {
	for _, r := range rings {
		for i := range r {
			p, q := r[i], r[(i+1)%len(r)]
			dir := 1
			if p.y > q.y {
				p, q, dir = q, p, -1
			}
			if p.y <= cy && cy < q.y {
				xs = append(xs, crossing{p.x + (cy-p.y)*(q.x-p.x)/(q.y-p.y), dir})
			}
		}
	}
	slices.SortFunc(xs, func(a, b crossing) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	return xs
}

// fillRow paints row y between crossings where the fill rule says the row is
// inside the shape, and returns how many dots it painted.
func (c *canvas) fillRow(y int, xs []crossing, evenOdd bool, k ink) (int, error) {
	winding, painted := 0, 0
	for i := 0; i+1 < len(xs); i++ {
		if evenOdd {
			winding ^= 1
		} else {
			winding += xs[i].dir
		}
		if winding == 0 {
			continue
		}
		lo, hi := span(xs[i].x, xs[i+1].x, c.w)
		if err := c.spend(hi - lo + 1); err != nil {
			return 0, err
		}
		for x := lo; x <= hi; x++ {
			c.paint(x, y, k)
		}
		painted += max(hi-lo+1, 0)
	}
	return painted, nil
}
