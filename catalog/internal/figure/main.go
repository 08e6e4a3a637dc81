// Command figure draws the exercise illustrations in catalog/svg.
//
// Every illustration is a stick figure posed by the directions of its bones,
// with one fixed set of bone lengths, so that all of them share the same
// proportions and style: two panels (start | end) on a 320×200 canvas, the
// figure in currentColor, the moving part in the accent colour, props in
// grey and a curved accent arrow for the movement. Poses that read best from
// above or at a slant are posed in space and projected (space.go).
//
// The drawings use only what a simple renderer can draw: line, circle,
// polyline, polygon, rect and path with absolute M, L, Q and C commands; no
// transforms, no styles, no text.
//
// Beside each still it writes the moving picture, catalog/svg/anim/ID.svg
// (anim.go).
//
// Run it from the module root; the output is deterministic:
//
//	go run ./catalog/internal/figure
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Colours.
const (
	ink    = "currentColor"
	accent = "#e07a2f"
	grey   = "#9aa3ad"
)

// Bone lengths and sizes in canvas units, before a figure's scale.
const (
	torsoLen  = 70.0 // hip joint to the neck end of the torso
	upperArm  = 40.0
	forearm   = 38.0
	thighLen  = 48.0
	shinLen   = 46.0
	footLen   = 10.0
	handLen   = 8.0 // a hand drawn flat on the floor or a wall
	headR     = 14.0
	neckLen   = 19.0 // neck end of the torso to the centre of the head
	armDrop   = 7.0  // how far below the neck end the arms hang from
	lineWidth = 6.0
)

// Panel geometry: the 320-wide canvas holds two panels of 160 (or more,
// narrower ones); y grows downward.
const (
	panelW = 160.0
	floorY = 186.0 // centre of the floor line
	ground = 182.0 // joints resting on the floor
)

// pt is a point or a vector on the canvas.
type pt struct{ x, y float64 }

func (p pt) add(q pt) pt            { return pt{p.x + q.x, p.y + q.y} }
func (p pt) sub(q pt) pt            { return pt{p.x - q.x, p.y - q.y} }
func (p pt) mul(k float64) pt       { return pt{p.x * k, p.y * k} }
func (p pt) norm() float64          { return math.Hypot(p.x, p.y) }
func (p pt) unit() pt               { return p.mul(1 / p.norm()) }
func (p pt) perp() pt               { return pt{-p.y, p.x} } // turned 90° clockwise on screen
func lerp(p, q pt, t float64) pt    { return p.add(q.sub(p).mul(t)) }
func polar(p pt, deg, r float64) pt { return p.add(dir(deg).mul(r)) }

// dir is the unit vector of a direction in degrees: 0 right, 90 down,
// 180 left, -90 up.
func dir(deg float64) pt {
	r := deg * math.Pi / 180
	return pt{math.Cos(r), math.Sin(r)}
}

// quad is the point at t on the quadratic Bézier curve p0, c, p1.
func quad(p0, c, p1 pt, t float64) pt {
	return lerp(lerp(p0, c, t), lerp(c, p1, t), t)
}

// cubic is the point at t on the cubic Bézier curve p0, c0, c1, p1.
func cubic(p0, c0, c1, p1 pt, t float64) pt {
	return lerp(quad(p0, c0, c1, t), quad(c0, c1, p1, t), t)
}

// limb is an arm or a leg: two bones from a root joint (shoulder or hip),
// posed either by the directions of its bones or by the point it reaches.
type limb struct {
	a1, a2  float64 // directions of the upper and lower bone, degrees
	end     *pt     // when set, the point the limb reaches (hand or ankle)
	mid     *pt     // when set with end, the middle joint (elbow or knee)
	bend    float64 // with end and no mid: +1 or -1, the side the middle joint goes to
	foot    float64 // direction of the foot or of a flat hand, when hasFoot
	hasFoot bool
	hot     bool // drawn in the accent colour
	behind  bool // drawn before the torso and head, which hide part of it
}

// bones poses a limb by the directions of its two bones.
func bones(a1, a2 float64) limb { return limb{a1: a1, a2: a2} }

// reach poses a limb so that it ends at (x, y); the middle joint goes to the
// clockwise side of the root-to-end line when bend is +1, the other side
// when it is -1.
func reach(x, y, bend float64) limb { return limb{end: &pt{x, y}, bend: bend} }

// via poses a limb through a given middle joint to a given end, for a limb
// that points partly toward or away from the viewer and so looks shorter.
func via(mx, my, x, y float64) limb { return limb{mid: &pt{mx, my}, end: &pt{x, y}} }

func (l limb) ft(deg float64) limb { l.foot, l.hasFoot = deg, true; return l }
func (l limb) acc() limb           { l.hot = true; return l }
func (l limb) far() limb           { l.behind = true; return l }

// body is a posed stick figure. Arms hang from the neck end of the torso
// (or from the ends of the shoulder line), legs from the hip.
type body struct {
	hip       pt      // hip joint
	torso     float64 // direction from the hip to the neck end, degrees
	bow       float64 // spine curve: + bows toward the clockwise side of hip-to-neck
	head      float64 // direction from the neck end to the centre of the head
	shrug     float64 // raises the arms' root toward the neck
	retract   float64 // moves the arms' root back, behind the spine (side views)
	shoulders float64 // half width of the shoulder line (front, back and top views)
	pelvis    float64 // half width of the pelvis (front, back and top views)
	arms      []limb
	legs      []limb
	hotSpine  bool // torso and shoulder line in the accent colour
	hotHead   bool
	// drape, when set, bends the torso as a cubic curve through these two
	// control points (panel coordinates) instead of the even bow: for a
	// back lying over a prop, which bends where the prop is rather than in
	// the middle. The hip and the neck end stay where torso puts them.
	drape *[2]pt
}

// art collects the elements of one drawing by layer.
type art struct {
	props, figure, hot, arrows []string
	// seq is the figure's and the accent's elements in drawing order,
	// for the moving picture (anim.go).
	seq []drawn
}

// put adds an element of the figure, in the accent colour when hot.
func (a *art) put(hot bool, el string) {
	if hot {
		a.hot = append(a.hot, el)
	} else {
		a.figure = append(a.figure, el)
	}
	a.seq = append(a.seq, drawn{el: el, hot: hot})
}

// panel draws into one half of the canvas at a fixed scale.
type panel struct {
	a  *art
	dx float64 // left edge of the panel on the canvas
	w  float64 // width of the panel
	s  float64 // figure scale
	// anim draws every spine as a curve, so that poses can be morphed
	// into one another.
	anim bool
}

// num formats a coordinate rounded to one decimal.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (p *panel) xy(q pt) string { return num(q.x+p.dx) + "," + num(q.y) }

func (p *panel) x(v float64) string { return num(v + p.dx) }

func (p *panel) line(a, b pt) string {
	return fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, p.x(a.x), num(a.y), p.x(b.x), num(b.y))
}

func (p *panel) poly(pts ...pt) string {
	s := make([]string, len(pts))
	for i, q := range pts {
		s[i] = p.xy(q)
	}
	return `<polyline points="` + strings.Join(s, " ") + `"/>`
}

// prop draws a grey line through the given points.
func (p *panel) prop(pts ...pt) {
	if len(pts) == 2 {
		p.a.props = append(p.a.props, p.line(pts[0], pts[1]))
		return
	}
	p.a.props = append(p.a.props, p.poly(pts...))
}

// floor draws the floor line across the panel.
func (p *panel) floor() { p.prop(pt{6, floorY}, pt{p.w - 6, floorY}) }

// wall draws a vertical wall from the floor up to top.
func (p *panel) wall(x, top float64) { p.prop(pt{x, top}, pt{x, floorY}) }

// chair draws a chair seen from the side, facing right: the seat runs from
// x0 to x1 at height y with the backrest at x0 rising to back.
func (p *panel) chair(x0, x1, y, back float64) {
	p.prop(pt{x0, back}, pt{x0, floorY})
	p.prop(pt{x0, y}, pt{x1, y}, pt{x1, floorY})
}

// ghost draws a thin grey outline of where a limb started.
func (p *panel) ghost(pts ...pt) {
	p.a.props = append(p.a.props, strings.Replace(p.poly(pts...), "<polyline", `<polyline stroke-width="2"`, 1))
}

// mark draws a short accent stroke along the quadratic curve p0, c, p1, for
// a part of the body that works without moving much.
func (p *panel) mark(p0, c, p1 pt) {
	p.a.put(true, fmt.Sprintf(`<path d="M%s Q%s %s"/>`, p.xy(p0), p.xy(c), p.xy(p1)))
}

// ghostHead draws a thin grey outline of where the head started.
func (p *panel) ghostHead(c pt) {
	p.a.props = append(p.a.props, fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" stroke-width="2"/>`,
		p.x(c.x), num(c.y), num(headR*p.s)))
}

// rect draws a grey rectangle outline.
func (p *panel) rect(x0, y0, x1, y1 float64) {
	p.a.props = append(p.a.props, fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="%s" rx="4"/>`,
		p.x(x0), num(y0), num(x1-x0), num(y1-y0)))
}

// ribs draws the outline of the rib cage, for breathing exercises.
func (p *panel) ribs(c pt, rx, ry float64, hot bool) {
	el := fmt.Sprintf(`<ellipse cx="%s" cy="%s" rx="%s" ry="%s" stroke-width="3"/>`, p.x(c.x), num(c.y), num(rx), num(ry))
	p.a.put(hot, el)
}

// roller draws a foam roller seen end-on, resting on the floor.
func (p *panel) roller(x, r float64) {
	p.a.props = append(p.a.props, fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="none"/>`,
		p.x(x), num(floorY-r), num(r), grey))
}

// ik finds the middle joint of a two-bone chain from a to e.
func ik(a, e pt, l1, l2, bend float64) pt {
	v := e.sub(a)
	d := v.norm()
	if d > l1+l2-0.01 {
		log.Printf("limb cannot reach: %.1f > %.1f", d, l1+l2)
		d = l1 + l2 - 0.01
	}
	if d < math.Abs(l1-l2)+0.01 {
		log.Printf("limb cannot fold that far: %.1f", d)
		d = math.Abs(l1-l2) + 0.01
	}
	u := v.unit()
	along := (l1*l1 - l2*l2 + d*d) / (2 * d)
	h := math.Sqrt(math.Max(0, l1*l1-along*along))
	return a.add(u.mul(along)).add(u.perp().mul(h * bend))
}

// pose returns the joints of a limb from its root.
func (l limb) pose(root pt, l1, l2, l3 float64) []pt {
	var m, e pt
	switch {
	case l.end != nil && l.mid != nil:
		m, e = *l.mid, *l.end
	case l.end != nil:
		e = *l.end
		m = ik(root, e, l1, l2, l.bend)
	default:
		m = polar(root, l.a1, l1)
		e = polar(m, l.a2, l2)
	}
	pts := []pt{root, m, e}
	if l.hasFoot {
		pts = append(pts, polar(e, l.foot, l3))
	}
	return pts
}

// spine returns the neck end of the torso, the control point of its curve
// and the root of the arms (the middle of the shoulder line), at scale s.
func (b body) spine(s float64) (neck, ctrl, root pt) {
	neck = polar(b.hip, b.torso, torsoLen*s)
	ctrl = lerp(b.hip, neck, 0.5).add(dir(b.torso).perp().mul(b.bow * s))
	root = quad(b.hip, ctrl, neck, 1-(armDrop-b.shrug)/torsoLen)
	if b.drape != nil {
		// The control point nearer the neck gives the direction of the
		// upper back, which is all the callers of ctrl use it for.
		ctrl = b.drape[1]
		root = cubic(b.hip, b.drape[0], b.drape[1], neck, 1-(armDrop-b.shrug)/torsoLen)
	}
	if b.shrug > armDrop {
		// Shoulders pulled up past the neck end, toward the ears.
		root = polar(neck, b.head, (b.shrug-armDrop)*s)
	}
	root = root.sub(dir(b.torso).perp().mul(b.retract * s))
	return neck, ctrl, root
}

// figure draws a posed body.
func (p *panel) figure(b body) {
	s := p.s
	add := func(hot bool, el string) {
		p.a.put(hot, el)
	}
	neck, ctrl, root := b.spine(s)
	across := neck.sub(ctrl).unit().perp()
	armRoots := []pt{root, root}
	if b.shoulders > 0 {
		armRoots = []pt{root.sub(across.mul(b.shoulders * s)), root.add(across.mul(b.shoulders * s))}
	}
	arm := func(i int, l limb) {
		add(l.hot, p.poly(l.pose(armRoots[i%2], upperArm*s, forearm*s, handLen*s)...))
	}
	for i, l := range b.arms {
		if l.behind {
			arm(i, l)
		}
	}
	switch {
	case b.drape != nil:
		add(b.hotSpine, fmt.Sprintf(`<path d="M%s C%s %s %s"/>`, p.xy(b.hip), p.xy(b.drape[0]), p.xy(b.drape[1]), p.xy(neck)))
	case b.bow == 0 && !p.anim:
		add(b.hotSpine, p.line(b.hip, neck))
	default:
		add(b.hotSpine, fmt.Sprintf(`<path d="M%s Q%s %s"/>`, p.xy(b.hip), p.xy(ctrl), p.xy(neck)))
	}

	// Head on a short neck.
	hc := polar(neck, b.head, neckLen*s)
	add(b.hotHead, p.line(neck, hc))
	fill := ink
	if b.hotHead {
		fill = accent
	}
	add(b.hotHead, fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="none"/>`,
		p.x(hc.x), num(hc.y), num(headR*s), fill))

	// Arm roots: one point in a side view, the ends of the shoulder line otherwise.
	if b.shoulders > 0 {
		add(b.hotSpine, p.line(armRoots[0], armRoots[1]))
	}
	legRoots := []pt{b.hip, b.hip}
	if b.pelvis > 0 {
		hx := ctrl.sub(b.hip).unit().perp().mul(b.pelvis * s)
		l, r := b.hip.sub(hx), b.hip.add(hx)
		add(false, p.line(l, r))
		legRoots = []pt{l, r}
	}
	for i, l := range b.legs {
		add(l.hot, p.poly(l.pose(legRoots[i%2], thighLen*s, shinLen*s, footLen*s)...))
	}
	for i, l := range b.arms {
		if !l.behind {
			arm(i, l)
		}
	}
}

// head returns the chevron of an arrowhead at tip pointing along v.
func (p *panel) head(tip, v pt) string {
	u := v.unit()
	back := tip.sub(u.mul(7))
	return p.poly(back.add(u.perp().mul(5)), tip, back.sub(u.perp().mul(5)))
}

// curve draws an accent arrow along the quadratic curve p0, c, p1.
func (p *panel) curve(p0, c, p1 pt) {
	p.a.arrows = append(p.a.arrows,
		fmt.Sprintf(`<path d="M%s Q%s %s"/>`, p.xy(p0), p.xy(c), p.xy(p1)),
		p.head(p1, p1.sub(c)))
}

// arc draws an accent arrow along an elliptical arc around c from angle a0
// to a1 (degrees), with the head at a1.
func (p *panel) arc(c pt, rx, ry, a0, a1 float64) {
	n := int(math.Ceil(math.Abs(a1-a0) / 90))
	step := (a1 - a0) / float64(n)
	k := 4.0 / 3 * math.Tan(step*math.Pi/720)
	at := func(a float64) pt { d := dir(a); return pt{c.x + rx*d.x, c.y + ry*d.y} }
	tan := func(a float64) pt { d := dir(a); return pt{-rx * d.y, ry * d.x} }
	var b strings.Builder
	b.WriteString("M" + p.xy(at(a0)))
	for i := 0; i < n; i++ {
		s, e := a0+step*float64(i), a0+step*float64(i+1)
		fmt.Fprintf(&b, " C%s %s %s", p.xy(at(s).add(tan(s).mul(k))), p.xy(at(e).sub(tan(e).mul(k))), p.xy(at(e)))
	}
	sign := 1.0
	if a1 < a0 {
		sign = -1
	}
	p.a.arrows = append(p.a.arrows, `<path d="`+b.String()+`"/>`, p.head(at(a1), tan(a1).mul(sign)))
}

// exercise is one illustration: a start and an end panel, or a row of
// narrower panels for an exercise with more than two positions.
type exercise struct {
	id, title, desc string
	scale           float64 // figure scale for all panels (1 if zero)
	start, end      func(p *panel)
	panels          []func(p *panel) // used instead of start and end when set
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// svg renders an exercise as a complete SVG document.
func (e exercise) svg() []byte {
	a := &art{}
	s := e.scale
	if s == 0 {
		s = 1
	}
	panels := e.panels
	if panels == nil {
		panels = []func(p *panel){e.start, e.end}
	}
	w := 2 * panelW / float64(len(panels))
	var dividers []string
	for i, draw := range panels {
		draw(&panel{a: a, dx: w * float64(i), w: w, s: s})
		if i > 0 {
			x := num(w * float64(i))
			dividers = append(dividers, fmt.Sprintf(`<line x1="%s" y1="14" x2="%s" y2="186" stroke-width="1.5"/>`, x, x))
		}
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" width="320" height="200" fill="none" stroke-linecap="round" stroke-linejoin="round">`)
	fmt.Fprintf(&b, "\n<title>%s</title>\n<desc>%s</desc>\n", escaper.Replace(e.title), escaper.Replace(e.desc))
	group := func(attrs string, els []string) {
		if len(els) == 0 {
			return
		}
		b.WriteString("<g " + attrs + ">\n" + strings.Join(els, "\n") + "\n</g>\n")
	}
	group(`stroke="`+grey+`" stroke-width="4"`, append(dividers, a.props...))
	group(`stroke="`+ink+`" stroke-width="`+num(lineWidth)+`"`, a.figure)
	group(`stroke="`+accent+`" stroke-width="`+num(lineWidth)+`"`, a.hot)
	group(`stroke="`+accent+`" stroke-width="3"`, a.arrows)
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func main() {
	out := flag.String("out", filepath.Join("catalog", "svg"), "folder to write the SVG files to")
	only := flag.String("only", "", "draw only the exercise with this id")
	flag.Parse()
	log.SetFlags(0)
	for _, e := range exercises {
		if *only != "" && e.id != *only {
			continue
		}
		log.SetPrefix(e.id + ": ")
		path := filepath.Join(*out, e.id+".svg")
		if err := os.WriteFile(path, e.svg(), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(*out, "anim"), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*out, "anim", e.id+".svg"), e.animated(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
