package main

import (
	"fmt"
	"math"
	"strings"
)

// Some poses are clearest from above or at a slant (a body lying with the
// arms out, knees tipping to one side). Those figures are posed in space,
// with the same bone lengths, and projected onto the panel.

// v3 is a point or a vector in space: x to the right, y toward the viewer,
// z up, in bone units.
type v3 struct{ x, y, z float64 }

func (a v3) add(b v3) v3           { return v3{a.x + b.x, a.y + b.y, a.z + b.z} }
func (a v3) sub(b v3) v3           { return v3{a.x - b.x, a.y - b.y, a.z - b.z} }
func (a v3) mul(k float64) v3      { return v3{a.x * k, a.y * k, a.z * k} }
func (a v3) dot(b v3) float64      { return a.x*b.x + a.y*b.y + a.z*b.z }
func (a v3) norm() float64         { return math.Sqrt(a.dot(a)) }
func (a v3) unit() v3              { return a.mul(1 / a.norm()) }
func (a v3) to(d v3, l float64) v3 { return a.add(d.unit().mul(l)) }
func (a v3) cross(b v3) v3 {
	return v3{a.y*b.z - a.z*b.y, a.z*b.x - a.x*b.z, a.x*b.y - a.y*b.x}
}

// turn rotates a about the axis through c along k by deg degrees
// (counterclockwise seen from the tip of k).
func (a v3) turn(c, k v3, deg float64) v3 {
	k = k.unit()
	r := deg * math.Pi / 180
	v := a.sub(c)
	rot := v.mul(math.Cos(r)).add(k.cross(v).mul(math.Sin(r))).add(k.mul(k.dot(v) * (1 - math.Cos(r))))
	return c.add(rot)
}

// ik3 finds the middle joint of a two-bone chain from a to e, bending
// toward the side of pole.
func ik3(a, e v3, l1, l2 float64, pole v3) v3 {
	v := e.sub(a)
	d := math.Min(v.norm(), l1+l2-0.01)
	u := v.unit()
	side := pole.sub(u.mul(pole.dot(u))).unit()
	along := (l1*l1 - l2*l2 + d*d) / (2 * d)
	h := math.Sqrt(math.Max(0, l1*l1-along*along))
	return a.add(u.mul(along)).add(side.mul(h))
}

// view projects space onto a panel: the scene turns by az degrees about the
// vertical axis, is seen from el degrees above the horizon (90 from straight
// above) and scaled by s, with the origin landing on o.
type view struct {
	az, el, s float64
	o         pt
}

func (v view) at(q v3) pt {
	a, e := v.az*math.Pi/180, v.el*math.Pi/180
	x := q.x*math.Cos(a) - q.y*math.Sin(a)
	y := q.x*math.Sin(a) + q.y*math.Cos(a)
	return pt{v.o.x + v.s*x, v.o.y + v.s*(y*math.Sin(e)-q.z*math.Cos(e))}
}

func (v view) all(qs ...v3) []pt {
	out := make([]pt, len(qs))
	for i, q := range qs {
		out[i] = v.at(q)
	}
	return out
}

// bone3 draws a chain of joints in the figure or accent colour.
func (p *panel) bone3(v view, hot bool, qs ...v3) {
	pts := v.all(qs...)
	var el string
	if len(pts) == 2 {
		el = p.line(pts[0], pts[1])
	} else {
		el = p.poly(pts...)
	}
	p.a.put(hot, el)
}

// head3 draws the head centred on c.
func (p *panel) head3(v view, c v3, hot bool) {
	q := v.at(c)
	fill, layer := ink, &p.a.figure
	if hot {
		fill, layer = accent, &p.a.hot
	}
	*layer = append(*layer, fmt.Sprintf(`<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="none"/>`,
		p.x(q.x), num(q.y), num(headR*v.s), fill))
}

// ghost3 draws a thin grey outline of where a limb started.
func (p *panel) ghost3(v view, qs ...v3) { p.ghost(v.all(qs...)...) }

// prop3 draws grey lines through points in space.
func (p *panel) prop3(v view, qs ...v3) { p.prop(v.all(qs...)...) }

// arc3 draws an accent arrow along the circle around c with radius r in the
// plane of the unit vectors u and w, from angle a0 to a1 (degrees, from u
// toward w), with the head at a1. The projection keeps Bézier curves, so the
// control points are projected as they are.
func (p *panel) arc3(v view, c, u, w v3, r, a0, a1 float64) {
	n := int(math.Ceil(math.Abs(a1-a0) / 90))
	step := (a1 - a0) / float64(n)
	k := 4.0 / 3 * math.Tan(step*math.Pi/720)
	at := func(a float64) v3 {
		d := dir(a)
		return c.add(u.mul(r * d.x)).add(w.mul(r * d.y))
	}
	tan := func(a float64) v3 {
		d := dir(a)
		return u.mul(-r * d.y).add(w.mul(r * d.x))
	}
	var b strings.Builder
	b.WriteString("M" + p.xy(v.at(at(a0))))
	for i := 0; i < n; i++ {
		s, e := a0+step*float64(i), a0+step*float64(i+1)
		fmt.Fprintf(&b, " C%s %s %s", p.xy(v.at(at(s).add(tan(s).mul(k)))), p.xy(v.at(at(e).sub(tan(e).mul(k)))), p.xy(v.at(at(e))))
	}
	tip := v.at(at(a1))
	back := v.at(at(a1).sub(tan(a1).mul(k)))
	p.a.arrows = append(p.a.arrows, `<path d="`+b.String()+`"/>`, p.head(tip, tip.sub(back)))
}

// skel is a figure posed in space: the joints of its body and of each limb
// from its root, right side first.
type skel struct {
	pelvis, neck, head v3
	shoulders, hips    [2]v3
	arms, legs         [2][]v3
}

// onBack poses a figure lying on its back, the pelvis at the origin and the
// head toward -x, with the arms straight out to the sides on the floor and
// the knees bent with the feet flat, tipped over toward +y by tip degrees.
func onBack(tip float64) skel {
	var m skel
	const h = 5.0 // height of the joints lying on the floor
	m.pelvis = v3{0, 0, h}
	m.neck = v3{-torsoLen, 0, h}
	m.head = m.neck.to(v3{-1, 0, 0.5}, neckLen)
	root := v3{armDrop - torsoLen, 0, h}
	for i, side := range []float64{-1, 1} {
		m.shoulders[i] = root.add(v3{0, 13 * side, 0})
		m.hips[i] = v3{0, 8 * side, h}
		a := v3{0, side, 0}
		elbow := m.shoulders[i].to(a, upperArm)
		hand := elbow.to(a, forearm)
		m.arms[i] = []v3{m.shoulders[i], elbow, hand, hand.to(a, handLen)}
		// Knees and feet together; seen from above the feet are hidden.
		ankle := v3{46, 1.5 * side, h}
		knee := ik3(m.hips[i], ankle, thighLen, shinLen, v3{0, 0, 1})
		leg := []v3{m.hips[i], knee, ankle}
		for j := range leg {
			leg[j] = leg[j].turn(v3{0, 0, h - 1}, v3{1, 0, 0}, -tip)
		}
		m.legs[i] = leg
	}
	return m
}

// onSide poses a figure lying on its left side, the pelvis above the origin,
// the head toward -x and the front toward +y, hips and knees bent in front
// with the knees stacked and both arms reaching forward, the top hand on the
// bottom one. The top arm then sweeps up and over by sweep degrees, the
// chest turning up with it. It also returns two corners of the cushion
// under the head.
func onSide(sweep float64) (m skel, cushion [2]v3) {
	const h = 5.0
	m.pelvis = v3{0, 0, 13}
	m.neck = v3{-torsoLen, 0, 15}
	m.head = m.neck.add(v3{-neckLen, 0, 0})
	bottom := v3{armDrop - torsoLen, 0, h}
	top := bottom.add(v3{0, 0, 26}).turn(bottom, v3{1, 0, 0}, sweep/3)
	m.shoulders = [2]v3{bottom, top}
	m.hips = [2]v3{{0, 0, h}, {0, 0, 21}}
	fwd := v3{-0.15, 1, 0}
	elbow := bottom.to(fwd, upperArm)
	hand := elbow.to(fwd, forearm)
	m.arms[0] = []v3{bottom, elbow, hand}
	d := hand.add(v3{0, 0, 7}).sub(top)
	if sweep > 0 {
		d = fwd.turn(v3{}, v3{1, 0, 0}, sweep)
	}
	m.arms[1] = []v3{top, top.to(d, upperArm), top.to(d, upperArm+forearm)}
	for i, hip := range m.hips {
		knee := hip.to(v3{10, thighLen - 6, h + 7*float64(i)}.sub(hip), thighLen)
		ankle := knee.to(v3{1, -0.1, 0}, shinLen)
		m.legs[i] = []v3{hip, knee, ankle}
	}
	cushion = [2]v3{{m.head.x - 14, -20, 2}, {m.head.x + 14, 20, 2}}
	return m, cushion
}

// byWall poses a figure standing with its right side to a wall at x = 0,
// facing +y, the right forearm flat on the wall with the elbow at shoulder
// height. The body then turns away from the wall by turn degrees (negative:
// the front turns toward +x) about the right shoulder, which stays where it
// is with the arm.
func byWall(turn float64) skel {
	var m skel
	up := v3{0, 0, 1}
	f := v3{0, 1, 0}
	r := up.cross(f) // the figure's right, -x
	sh := v3{upperArm, 0, thighLen + shinLen + torsoLen - armDrop}
	m.pelvis = sh.sub(r.mul(13)).sub(v3{0, 0, torsoLen - armDrop})
	m.neck = m.pelvis.add(v3{0, 0, torsoLen})
	m.head = m.neck.add(v3{0, 0, neckLen})
	m.shoulders = [2]v3{sh, sh.sub(r.mul(26))}
	for i, side := range []float64{1, -1} {
		hip := m.pelvis.add(r.mul(7 * side))
		ankle := v3{hip.x + 3*side*r.x, hip.y, 3}
		knee := hip.to(ankle.sub(hip), thighLen)
		m.hips[i] = hip
		m.legs[i] = []v3{hip, knee, ankle, ankle.add(f.mul(footLen)).add(r.mul(2 * side))}
	}
	left := m.shoulders[1]
	elbow := left.to(v3{-r.x * 0.1, 0, -1}, upperArm)
	m.arms[1] = []v3{left, elbow, elbow.to(v3{-r.x * 0.05, 0.2, -1}, forearm)}
	// Everything but the arm on the wall turns about the right shoulder.
	for _, q := range []*v3{&m.pelvis, &m.neck, &m.head, &m.shoulders[1], &m.hips[0], &m.hips[1]} {
		*q = q.turn(sh, up, turn)
	}
	for _, l := range [][]v3{m.legs[0], m.legs[1], m.arms[1]} {
		for j := range l {
			l[j] = l[j].turn(sh, up, turn)
		}
	}
	e := v3{0, 0, sh.z}
	m.arms[0] = []v3{sh, e, e.add(v3{0, 0, forearm}), e.add(v3{0, 0, forearm + handLen})}
	return m
}

// lie draws a lying figure: the far limbs, the body, then the near limbs,
// the legs or the near arm in the accent colour when they move.
func (p *panel) lie(v view, m skel, hotLegs, hotArm bool) {
	p.bone3(v, hotLegs, m.legs[0]...)
	p.bone3(v, false, m.arms[0]...)
	p.bone3(v, false, m.pelvis, m.neck)
	p.bone3(v, false, m.neck, m.head)
	p.bone3(v, false, m.shoulders[0], m.shoulders[1])
	p.bone3(v, false, m.hips[0], m.hips[1])
	p.head3(v, m.head, false)
	p.bone3(v, hotArm, m.arms[1]...)
	p.bone3(v, hotLegs, m.legs[1]...)
}

// stand draws a standing figure: legs, body, head, then arms.
func (p *panel) stand(v view, m skel, hotSpine bool) {
	for _, l := range m.legs {
		p.bone3(v, false, l...)
	}
	p.bone3(v, hotSpine, m.pelvis, m.neck)
	p.bone3(v, hotSpine, m.shoulders[0], m.shoulders[1])
	p.bone3(v, false, m.hips[0], m.hips[1])
	p.bone3(v, false, m.neck, m.head)
	p.head3(v, m.head, false)
	for _, l := range m.arms {
		p.bone3(v, false, l...)
	}
}
