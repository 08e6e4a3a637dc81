package main

import "math"

// The poses. Side views face right unless noted; directions are in degrees
// (0 right, 90 down, 180 left, -90 up) and coordinates are those of one
// 160×200 panel.

// allFours is a figure on hands and knees with the knee at x and the hand
// flat on the floor a little ahead of the shoulder.
func allFours(x, torso, bow, head float64) body {
	// The arms hang from the neck end, which stays put while the back
	// rounds or dips, so the hands stay planted too.
	b := body{hip: pt{x, ground - thighLen}, torso: torso, bow: bow, head: head,
		shrug: armDrop, legs: []limb{bones(90, 180)}}
	// The arms are long next to the thighs, so the hand goes a little ahead
	// of the shoulder, where the arm (78 long) is almost straight.
	_, _, root := b.spine(1)
	drop := ground - root.y
	hand := root.x + math.Sqrt(math.Max(0, 77.5*77.5-drop*drop))
	b.arms = []limb{reach(hand, ground, 1).ft(0)}
	return b
}

// seated is a figure sitting on a chair seat with the hip at x, feet flat,
// hands resting on the thighs.
func seated(x float64) body {
	return body{
		hip: pt{x, ground - shinLen}, torso: -90, head: -90,
		legs: []limb{bones(0, 90).ft(0)},
		arms: []limb{reach(x+30, ground-shinLen-7, 1)},
	}
}

// chairAt draws the floor and the chair under seated(x), with the backrest
// gap behind the hip and up to back.
func chairAt(p *panel, x, gap, back float64) {
	p.chair(x-gap, x+34, ground-shinLen+5, back)
	p.floor()
}

// supine is a figure lying on its back, head to the left, with the hip at
// x, knees bent and feet flat, without arms.
func supine(x float64) body {
	return body{
		hip: pt{x, ground}, torso: 180, head: 219,
		legs: []limb{reach(x+36, ground, -1).ft(0)},
	}
}

// armAlongside is the arm of a figure lying on its back, resting on the
// floor along the body, drawn a little above the torso so it shows.
func armAlongside(b body) limb {
	_, _, root := b.spine(1)
	return via(root.x+39.5, root.y-6, root.x+77, root.y-3).ft(0)
}

// standing is a figure standing with the hip at x, at scale s.
func standing(x, s float64) body {
	return body{hip: pt{x, ground - (thighLen+shinLen)*s}, torso: -90, head: -90}
}

// prone draws a figure lying face down on a mat, seen from above with the
// head at the top, and its arms, lifted, posed by left and right.
func prone(p *panel, left, right limb) {
	c := p.w / 2
	b := body{hip: pt{c, 116}, torso: -90, head: -90, shoulders: 12, pelvis: 7,
		legs: []limb{bones(92, 90), bones(88, 90)},
		arms: []limb{left.acc(), right.acc()}}
	neck, _, _ := b.spine(p.s)
	head := polar(neck, -90, neckLen*p.s)
	p.rect(c-28, 24, c+28, 186)
	p.rect(c-13, head.y-6, c+13, head.y+12)
	p.figure(b)
}

// overhead is a figure standing, seen from the front, its torso in the
// direction torso and curved by bow, with both arms overhead and the hands
// together in the direction toward from the neck.
func overhead(torso, bow, toward float64, hot bool) body {
	b := standing(80, 0.75)
	b.torso, b.bow, b.shoulders, b.pelvis, b.hotSpine = torso, bow, 12, 8, hot
	b.legs = []limb{bones(96, 90).ft(170), bones(84, 90).ft(10)}
	neck, _, _ := b.spine(0.75)
	h := polar(neck, toward, 49)
	b.arms = []limb{reach(h.x-2, h.y, -1), reach(h.x+2, h.y, 1)}
	if hot {
		b.arms[0], b.arms[1] = b.arms[0].acc(), b.arms[1].acc()
	}
	return b
}

// handsBehindHead puts the hands on the back of the head, elbows forward.
func handsBehindHead(b body, s float64) body {
	neck := polar(b.hip, b.torso, torsoLen*s)
	h := polar(polar(neck, b.head, neckLen*s), b.head-110, 12*s)
	b.arms = []limb{reach(h.x, h.y, 1)}
	return b
}

// The foam roller lies across the middle of the back, at the bottom of the
// shoulder blades, of a figure whose bottom stays on the floor with the hip
// at rollerHip: a little over half-way up the back from the hip, never
// under the lower back or the neck. rollerR is its radius.
const (
	rollerX   = 74
	rollerR   = 13
	rollerHip = 108
)

// onRoller is the figure lying back over the foam roller, knees bent and
// hands holding the head. Before the stretch (extend false) the back is
// straight, resting on the roller; in the stretch the upper back bends back
// over it, the bend at the roller, and the head stays held in the hands,
// off the floor.
func onRoller(extend bool) body {
	b := body{hip: pt{rollerHip, ground}, torso: 221.8, head: 221.8,
		legs: []limb{reach(146, ground, -1).ft(0)}}
	if extend {
		// Nearly straight from the hip to the top of the roller, bent over
		// it, and down toward the neck; the hands keep the head lifted.
		b.torso, b.head, b.hotSpine = 194.7, 192, true
		b.drape = &[2]pt{{80, 152}, {78, 152}}
	}
	// The hands cup the back of the head, so the elbows point up, to the
	// face's side, rather than back past the head.
	const s = 0.9
	hc := polar(polar(b.hip, b.torso, torsoLen*s), b.head, neckLen*s)
	h := polar(polar(hc, b.head, 3*s), b.head-90, 11*s)
	b.arms = []limb{reach(h.x, h.y, 1)}
	return b
}

// exercises are the illustrations, one per exercise of the catalog, by id.
var exercises = []exercise{
	{
		id: "cat-cow", title: "Cat-cow",
		desc: "On hands and knees: the back rounds up with the head dropped (cat), then dips down with the chest forward and the gaze slightly up (cow).",
		start: func(p *panel) {
			p.floor()
			b := allFours(52, -22, -30, 72)
			b.hotSpine = true
			p.figure(b)
			p.curve(pt{84, 96}, pt{76, 84}, pt{82, 68})
		},
		end: func(p *panel) {
			p.floor()
			b := allFours(52, -22, 20, -28)
			b.hotSpine = true
			p.figure(b)
			p.curve(pt{80, 94}, pt{88, 106}, pt{82, 120})
		},
	},
	{
		id: "childs-pose", title: "Child's pose",
		desc: "From hands and knees, the hips sit back toward the heels while the arms stay reaching forward on the floor and the forehead rests down.",
		start: func(p *panel) {
			p.floor()
			p.figure(allFours(52, -22, 0, 25))
		},
		end: func(p *panel) {
			p.floor()
			p.figure(body{
				hip: polar(pt{53, ground}, 220, thighLen), torso: 17, bow: -8, head: -8,
				legs: []limb{bones(40, 180)}, hotSpine: true,
				arms: []limb{reach(151, ground, -1)},
			})
			p.curve(pt{56, 118}, pt{28, 112}, pt{18, 138})
		},
	},
	{
		id: "wall-stretch", title: "Wall chest stretch",
		desc: "Standing side-on to a wall with the forearm flat on it and the elbow at shoulder height, then turning the chest and feet away from the wall, toward the viewer, while the arm stays.",
		start: func(p *panel) {
			v := wallView()
			wallFloor(p, v)
			m := byWall(0)
			p.stand(v, m, false)
		},
		end: func(p *panel) {
			v := wallView()
			wallFloor(p, v)
			m := byWall(-50)
			p.stand(v, m, true)
			p.arc3(v, m.neck.add(v3{0, 0, -24}), v3{1, 0, 0}, v3{0, 1, 0}, 34, 150, 10)
		},
	},
	{
		id: "shoulder-rolls", title: "Shoulder rolls",
		desc: "Sitting tall with the arms relaxed, then rolling the shoulders up, back and down in slow circles.",
		start: func(p *panel) {
			chairAt(p, 60, 11, 84)
			p.figure(seated(60))
		},
		end: func(p *panel) {
			chairAt(p, 60, 11, 84)
			b := seated(60)
			b.shrug = 10
			b.arms[0].hot = true
			p.figure(b)
			p.arc(pt{58, 72}, 17, 11, 30, -290)
		},
	},
	{
		id: "trunk-rotation", title: "Trunk rotation",
		desc: "Lying on the back on a mat, seen from above and a little from one side, arms out to the sides and knees bent up with the feet flat, then letting both knees lower slowly to that side while the shoulders stay on the floor.",
		start: func(p *panel) {
			v := trunkView()
			trunkMat(p, v)
			p.lie(v, onBack(0), false, false)
		},
		end: func(p *panel) {
			v := trunkView()
			trunkMat(p, v)
			m := onBack(80)
			p.ghost3(v, onBack(0).legs[1]...)
			p.lie(v, m, true, false)
			k0, k1 := v.at(onBack(0).legs[1][1]), v.at(m.legs[1][1])
			p.arc(pt{k0.x, (k0.y + k1.y) / 2}, 22, (k1.y-k0.y)/2+6, -72, 72)
		},
	},
	{
		id: "foam-roller-extension", title: "Thoracic extension over a foam roller", scale: 0.9,
		desc: "Lying back with the bottom on the floor, knees bent and the hands holding the head, a foam roller across the middle of the back at the bottom of the shoulder blades; then the upper back bends back over the roller while the head stays held in the hands, off the floor.",
		start: func(p *panel) {
			p.floor()
			p.roller(rollerX, rollerR)
			p.figure(onRoller(false))
		},
		end: func(p *panel) {
			p.floor()
			p.roller(rollerX, rollerR)
			p.figure(onRoller(true))
			p.arc(pt{rollerX, 157}, 56, 56, -128, -162)
		},
	},
	{
		id: "knee-to-chest", title: "Knee-to-chest",
		desc: "Lying on the back with the knees bent and feet flat, then drawing both knees up toward the chest and holding them just below the knees, head resting on the floor.",
		start: func(p *panel) {
			p.floor()
			b := supine(104)
			b.arms = []limb{armAlongside(b)}
			p.figure(b)
		},
		end: func(p *panel) {
			p.floor()
			b := supine(104)
			knee := polar(b.hip, -122, thighLen)
			b.legs = []limb{bones(-122, 2).ft(-62).acc()}
			// The elbows open out to the sides, so the arms look short
			// and almost straight from the shoulders to the shins.
			_, _, root := b.spine(1)
			hand := polar(knee, 2, 13)
			mid := lerp(root, hand, 0.5).add(hand.sub(root).unit().perp().mul(-5))
			b.arms = []limb{via(mid.x, mid.y, hand.x, hand.y)}
			p.figure(b)
			p.arc(b.hip, 70, 70, -58, -112)
		},
	},
	{
		id: "overhead-side-reach", title: "Overhead arm reach (side bend)", scale: 0.75,
		desc: "Standing, seen from the front, with both arms overhead and one hand holding the other wrist, then leaning gently to the side of the holding hand.",
		start: func(p *panel) {
			p.floor()
			p.figure(overhead(-90, 0, -90, false))
		},
		end: func(p *panel) {
			p.floor()
			b := overhead(-74, -14, -62, true)
			b.head = -58
			p.figure(b)
			p.curve(pt{50, 40}, pt{62, 10}, pt{96, 14})
		},
	},
	{
		id: "chin-tuck", title: "Chin tuck",
		desc: "Sitting tall, seen from the side: the head sits a little forward, then glides straight back, chin level, until it is over the shoulders.",
		start: func(p *panel) {
			chairAt(p, 60, 11, 84)
			b := seated(60)
			b.head = -56
			p.figure(b)
		},
		end: func(p *panel) {
			chairAt(p, 60, 11, 84)
			b := seated(60)
			neck, _, _ := b.spine(1)
			p.ghostHead(polar(neck, -56, neckLen))
			b.head, b.hotHead = -97, true
			p.figure(b)
			p.curve(pt{104, 48}, pt{94, 46}, pt{80, 48})
		},
	},
	{
		id: "shoulder-blade-squeeze", title: "Shoulder-blade squeeze",
		desc: "Sitting tall with the arms relaxed and the hands on the thighs, then drawing the shoulder blades back and a little down toward each other, without lifting the shoulders.",
		start: func(p *panel) {
			chairAt(p, 60, 11, 84)
			p.figure(seated(60))
		},
		end: func(p *panel) {
			chairAt(p, 60, 11, 84)
			b := seated(60)
			b.retract = 4
			b.arms = []limb{reach(86, ground-shinLen-7, 1)}
			p.figure(b)
			// The upper back between the shoulder blades works; the
			// shoulders draw back and a little down.
			p.mark(pt{59.5, 74}, pt{58.5, 87}, pt{59.5, 100})
			p.curve(pt{50, 62}, pt{32, 66}, pt{38, 90})
		},
	},
	{
		id: "thread-the-needle", title: "Thread the needle",
		desc: "From hands and knees, one arm slides under the body along the floor while that shoulder and the side of the head lower and the upper back turns.",
		start: func(p *panel) {
			p.floor()
			p.figure(allFours(52, -22, 0, 25))
		},
		end: func(p *panel) {
			p.floor()
			b := allFours(52, 14, -8, 40)
			b.arms = []limb{via(130, 164, 146, ground).ft(0).far(), via(110, ground, 78, ground).acc()}
			p.figure(b)
			p.curve(pt{98, 118}, pt{74, 124}, pt{78, 164})
		},
	},
	{
		id: "open-book", title: "Open book",
		desc: "Lying on the side on a mat, seen from the head end, head on a cushion, knees bent and stacked and both arms reaching forward together, then the top arm sweeps up and over toward the floor behind as the chest turns up.",
		start: func(p *panel) {
			v := bookView()
			m, c := onSide(0)
			bookMat(p, v, c)
			p.lie(v, m, false, false)
		},
		end: func(p *panel) {
			v := bookView()
			m, c := onSide(130)
			bookMat(p, v, c)
			closed, _ := onSide(0)
			p.ghost3(v, closed.arms[1]...)
			p.lie(v, m, false, true)
			p.arc3(v, m.shoulders[0], v3{0, 1, 0}, v3{0, 0, 1}, 88, 28, 122)
		},
	},
	{
		id: "wall-angels", title: "Wall angels", scale: 0.75,
		desc: "Standing with the back against a wall, seen from the front, arms bent in a goalpost shape at shoulder height, then sliding the arms up the wall.",
		start: func(p *panel) {
			p.rect(14, 8, 146, 186)
			p.floor()
			b := standing(80, 0.75)
			b.shoulders, b.pelvis = 12, 8
			b.arms = []limb{bones(180, -90), bones(0, -90)}
			b.legs = []limb{bones(94, 90).ft(170), bones(86, 90).ft(10)}
			p.figure(b)
		},
		end: func(p *panel) {
			p.rect(14, 8, 146, 186)
			p.floor()
			b := standing(80, 0.75)
			b.shoulders, b.pelvis = 12, 8
			b.arms = []limb{bones(-145, -100).acc(), bones(-35, -80).acc()}
			b.legs = []limb{bones(94, 90).ft(170), bones(86, 90).ft(10)}
			p.figure(b)
			p.arc(pt{71, 68}, 40, 40, 172, 218)
			p.arc(pt{89, 68}, 40, 40, 8, -38)
		},
	},
	{
		id: "prone-y-t-w", title: "Y-T-W lifts lying face down", scale: 0.52,
		desc: "Lying face down on a mat, seen from above with the head at the top: the arms lift a little off the floor in a Y shape, then straight out to the sides in a T, then with the elbows bent and the hands near the shoulders in a W.",
		panels: []func(p *panel){
			func(p *panel) { prone(p, bones(-135, -135), bones(-45, -45)) },
			func(p *panel) { prone(p, bones(180, 180), bones(0, 0)) },
			func(p *panel) { prone(p, bones(145, -115), bones(35, -65)) },
		},
	},
	{
		id: "chair-thoracic-extension", title: "Seated extension over the chair back",
		desc: "Sitting against a chair whose backrest reaches the middle of the back, hands behind the head, then leaning back so the upper back arches over the top of the backrest.",
		start: func(p *panel) {
			chairAt(p, 60, 6, 102)
			p.figure(handsBehindHead(seated(60), 1))
		},
		end: func(p *panel) {
			chairAt(p, 60, 6, 102)
			b := seated(60)
			b.torso, b.bow, b.head, b.hotSpine = -112, 22, -140, true
			p.figure(handsBehindHead(b, 1))
			p.arc(pt{54, 102}, 60, 60, -55, -95)
		},
	},
	{
		id: "doorway-chest-stretch", title: "Doorway chest stretch", scale: 0.85,
		desc: "Standing in a doorway, seen from the side, forearms up on the door frame with the elbows at shoulder height, then stepping one foot through so the chest moves forward past the frame.",
		start: func(p *panel) {
			doorFrame(p)
			b := standing(56, 0.85)
			b.arms = []limb{via(doorX, 50, doorX, 18)}
			b.legs = []limb{bones(90, 90).ft(0)}
			p.figure(b)
		},
		end: func(p *panel) {
			doorFrame(p)
			b := standing(0, 0.85)
			b.hip = pt{94, 112}
			b.torso, b.bow, b.head, b.hotSpine = -80, 4, -82, true
			b.arms = []limb{via(doorX, 52, doorX, 20)}
			b.legs = []limb{reach(60, ground, -1).ft(0), reach(124, ground, -1).ft(0).acc()}
			p.figure(b)
			p.curve(pt{122, 84}, pt{134, 70}, pt{148, 76})
		},
	},
	{
		id: "seated-rotation", title: "Seated twist",
		desc: "Sitting tall on a chair, seen from the front, then turning the chest to one side with one hand on the chair back and the other on the outside of the knee.",
		start: func(p *panel) {
			frontChair(p, true)
			b := frontSitter()
			b.arms = []limb{reach(66, 134, 1), reach(94, 134, -1)}
			p.figure(b)
		},
		end: func(p *panel) {
			frontChair(p, true)
			b := frontSitter()
			b.shoulders, b.hotSpine = 7, true
			b.arms = []limb{via(44, 80, 47, 104), reach(60, 128, 1)}
			p.figure(b)
			p.arc(pt{80, 84}, 24, 7, 10, 170)
		},
	},
	{
		id: "seated-cat-cow", title: "Seated cat-cow",
		desc: "Sitting with the hands on the thighs: the back rounds and the chin drops, then the chest lifts forward and the back arches gently.",
		start: func(p *panel) {
			chairAt(p, 60, 11, 84)
			b := seated(60)
			b.torso, b.bow, b.head, b.hotSpine = -80, -22, -15, true
			p.figure(b)
		},
		end: func(p *panel) {
			chairAt(p, 60, 11, 84)
			b := seated(60)
			b.torso, b.bow, b.head, b.hotSpine = -86, 14, -100, true
			p.figure(b)
			p.curve(pt{96, 100}, pt{104, 80}, pt{96, 62})
		},
	},
	{
		id: "rib-breathing", title: "Rib-expanding breathing",
		desc: "Sitting tall, seen from the front, with the hands on the sides of the lower ribs, then breathing in so the ribs widen out into the hands.",
		start: func(p *panel) {
			frontChair(p, false)
			p.ribs(pt{80, 90}, 12, 16, false)
			p.figure(frontSitter())
		},
		end: func(p *panel) {
			frontChair(p, false)
			p.ribs(pt{80, 90}, 17, 17, true)
			b := frontSitter()
			b.arms = []limb{reach(63, 92, 1), reach(97, 92, -1)}
			p.figure(b)
			p.curve(pt{58, 112}, pt{52, 113}, pt{44, 112})
			p.curve(pt{102, 112}, pt{108, 113}, pt{116, 112})
		},
	},
}

// frontChair draws the floor and a chair seen from the front, with its
// backrest when back is true.
func frontChair(p *panel, back bool) {
	p.floor()
	if back {
		p.prop(pt{48, 128}, pt{48, 76}, pt{112, 76}, pt{112, 128})
	}
	p.prop(pt{44, floorY}, pt{44, 128}, pt{116, 128}, pt{116, floorY})
}

// frontSitter is a figure seated on frontChair, facing the viewer, with the
// hands on the sides of the ribs.
func frontSitter() body {
	return body{hip: pt{80, 123}, torso: -90, head: -90, shoulders: 13, pelvis: 9,
		arms: []limb{reach(68, 92, 1), reach(92, 92, -1)},
		legs: []limb{via(68, 132, 66, ground).ft(170), via(92, 132, 94, ground).ft(10)}}
}

// trunkView looks at a figure lying on its back from above and a little
// from the side its knees fall to: bent knees stand up above the body line
// and fall below it.
func trunkView() view { return view{el: 55, s: 1, o: pt{106, 100}} }

// trunkMat draws the mat under a figure lying on its back; the arms reach
// out past its edges.
func trunkMat(p *panel, v view) {
	p.prop3(v, v3{-100, -34, 0}, v3{44, -34, 0}, v3{44, 34, 0}, v3{-100, 34, 0}, v3{-100, -34, 0})
}

// bookView looks at a figure lying on its side from the head end, a little
// from above and from behind, so that the arm opening over the body shows.
func bookView() view { return view{az: -74, el: 18, s: 1, o: pt{95, 142}} }

// bookMat draws the mat and the cushion under the head of a figure lying
// on its side.
func bookMat(p *panel, v view, c [2]v3) {
	p.prop3(v, v3{-100, -56, 0}, v3{0, -56, 0}, v3{0, 62, 0}, v3{-100, 62, 0}, v3{-100, -56, 0})
	p.prop3(v, c[0], v3{c[1].x, c[0].y, c[0].z}, c[1], v3{c[0].x, c[1].y, c[1].z}, c[0])
}

// doorX is where the forearms rest on the door frame in the doorway
// stretch: the near face of the frame, seen edge-on from the side.
const doorX = 80

// doorFrame draws the floor and the side of a door frame seen edge-on.
func doorFrame(p *panel) {
	p.floor()
	p.rect(doorX+3, 6, doorX+13, floorY)
}

// wallView sees a figure standing by a wall from the front, a little from
// the side it turns toward and a little above, so that the turn shows.
func wallView() view { return view{az: 32, el: 20, s: 0.8, o: pt{44, 164}} }

// wallFloor draws the wall at x = 0, its corner with the floor going back
// behind a figure standing by it, and the near edge of the floor.
func wallFloor(p *panel, v view) {
	p.prop3(v, v3{0, 40, 218}, v3{0, 40, 0}, v3{0, -90, 0})
	p.prop3(v, v3{0, 40, 0}, v3{120, 40, 0})
}
