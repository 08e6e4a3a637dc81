package main

// Poses. Side views face right unless noted; directions are in degrees
// (0 right, 90 down, 180 left, -90 up).

// allFours is a figure on hands and knees with the knee at x and the hand
// flat on the floor a little ahead of the shoulder.
func allFours(x, torso, bow, head float64) body {
	hip := pt{x, ground - thighLen}
	hand := polar(hip, torso, torsoLen-armDrop).x + 18
	return body{
		hip: hip, torso: torso, bow: bow, head: head,
		legs: []limb{bones(90, 180)},
		arms: []limb{reach(hand, ground, 1).ft(0)},
	}
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

// chairAt draws the chair under seated(x), with the backrest up to back.
func chairAt(p *panel, x, back float64) {
	p.chair(x-11, x+34, ground-shinLen+5, back)
	p.floor()
}

// supine is a figure lying on its back, head to the left, with the hip at
// x, knees bent and feet flat.
func supine(x float64) body {
	return body{
		hip: pt{x, ground}, torso: 180, head: 219,
		legs: []limb{reach(x+40, ground, -1).ft(0)},
	}
}

// standing is a figure standing with the hip at x.
func standing(x, s float64) body {
	return body{hip: pt{x, ground - (thighLen+shinLen)*s}, torso: -90, head: -90}
}

// headBack is where a hand holding the back of the head goes.
func headBack(b body, s float64) pt {
	neck := polar(b.hip, b.torso, torsoLen*s)
	return polar(polar(neck, b.head, neckLen*s), b.head-110, 12*s)
}

var exercises = []exercise{
	{
		id: "cat-cow", title: "Cat-cow",
		desc: "On hands and knees: the back rounds up with the head dropped (cat), then dips down with the chest forward and the gaze slightly up (cow).",
		start: func(p *panel) {
			p.floor()
			b := allFours(52, -20, -30, 72)
			b.hotSpine = true
			p.figure(b)
			p.curve(pt{88, 98}, pt{80, 86}, pt{86, 70})
		},
		end: func(p *panel) {
			p.floor()
			b := allFours(52, -20, 20, -28)
			b.hotSpine = true
			p.figure(b)
			p.curve(pt{82, 96}, pt{90, 108}, pt{84, 122})
		},
	},
	{
		id: "childs-pose", title: "Child's pose",
		desc: "From hands and knees, the hips sit back toward the heels while the arms stay reaching forward on the floor and the forehead rests down.",
		start: func(p *panel) {
			p.floor()
			p.figure(allFours(52, -20, 0, 25))
		},
		end: func(p *panel) {
			p.floor()
			p.figure(body{
				hip: polar(pt{60, ground}, 220, thighLen), torso: 17, bow: -14, head: -8,
				legs: []limb{bones(40, 180)}, hotSpine: true,
				arms: []limb{reach(142, ground, -1).ft(0)},
			})
			p.curve(pt{58, 118}, pt{30, 112}, pt{20, 140})
		},
	},
	{
		id: "wall-stretch", title: "Wall chest stretch", scale: 0.85,
		desc: "Standing side-on to a wall with the forearm flat on it, elbow bent at shoulder height, then turning the chest and feet away from the wall.",
		start: func(p *panel) {
			p.wall(20, 8)
			p.floor()
			b := standing(70, 0.85)
			b.shoulders, b.pelvis = 12, 7
			b.arms = []limb{bones(180, -90), bones(82, 88)}
			b.legs = []limb{bones(92, 90).ft(160), bones(88, 90).ft(20)}
			p.figure(b)
		},
		end: func(p *panel) {
			p.wall(20, 8)
			p.floor()
			b := standing(70, 0.85)
			b.shoulders, b.pelvis, b.hotSpine = 6, 4, true
			b.arms = []limb{via(25.8, 49, 25.8, 16.7), bones(84, 90)}
			b.legs = []limb{bones(91, 90).ft(30), bones(89, 90).ft(10)}
			p.figure(b)
			p.arc(pt{70, 66}, 28, 8, 170, 15)
		},
	},
	{
		id: "shoulder-rolls", title: "Shoulder rolls",
		desc: "Sitting tall with the arms relaxed, then rolling the shoulders up, back and down in slow circles.",
		start: func(p *panel) {
			chairAt(p, 60, 84)
			p.figure(seated(60))
		},
		end: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.shrug = 10
			b.arms[0].hot = true
			p.figure(b)
			p.arc(pt{58, 72}, 17, 11, 30, -290)
		},
	},
	{
		id: "trunk-rotation", title: "Trunk rotation",
		desc: "Lying on the back with the knees bent and feet flat, then letting both knees lower slowly to one side while the shoulders stay on the floor.",
		start: func(p *panel) {
			p.floor()
			p.figure(supine(102))
		},
		end: func(p *panel) {
			p.floor()
			b := supine(102)
			b.legs = []limb{via(128, 160, 142, ground).ft(0).acc()}
			p.figure(b)
			p.curve(pt{122, 118}, pt{148, 124}, pt{146, 152})
		},
	},
	{
		id: "foam-roller-extension", title: "Thoracic extension over a foam roller",
		desc: "Sitting on the floor, knees bent, leaning back onto a foam roller across the upper back with the hands behind the head, then letting the upper back bend back over the roller.",
		start: func(p *panel) {
			p.floor()
			p.roller(62, 11)
			b := body{hip: pt{96, ground}, torso: 208, bow: -6, head: 170,
				legs: []limb{reach(136, ground, -1).ft(0)}}
			b.arms = []limb{reach(headBack(b, 1).x, headBack(b, 1).y, -1)}
			p.figure(b)
		},
		end: func(p *panel) {
			p.floor()
			p.roller(62, 11)
			b := body{hip: pt{96, ground}, torso: 190, bow: -16, head: 200, hotSpine: true,
				legs: []limb{reach(136, ground, -1).ft(0)}}
			b.arms = []limb{reach(headBack(b, 1).x, headBack(b, 1).y, -1)}
			p.figure(b)
			p.arc(pt{62, 175}, 44, 44, -70, -140)
		},
	},
	{
		id: "knee-to-chest", title: "Knee-to-chest",
		desc: "Lying on the back with the knees bent and feet flat, then drawing both knees up to the chest and hugging them just below the kneecaps.",
		start: func(p *panel) {
			p.floor()
			p.figure(supine(102))
		},
		end: func(p *panel) {
			p.floor()
			b := supine(102)
			b.legs = []limb{bones(-118, -15).ft(-95).acc()}
			knee := polar(b.hip, -118, thighLen)
			hand := polar(knee, -15, 10)
			b.arms = []limb{reach(hand.x, hand.y, 1)}
			p.figure(b)
			p.arc(b.hip, 66, 66, -52, -100)
		},
	},
	{
		id: "overhead-side-reach", title: "Overhead arm reach (side bend)", scale: 0.75,
		desc: "Standing, seen from the front, with both arms overhead, then leaning gently to one side.",
		start: func(p *panel) {
			p.floor()
			b := standing(80, 0.75)
			b.shoulders, b.pelvis = 12, 8
			b.arms = []limb{bones(-105, -80), bones(-75, -100)}
			b.legs = []limb{bones(96, 90).ft(170), bones(84, 90).ft(10)}
			p.figure(b)
		},
		end: func(p *panel) {
			p.floor()
			b := standing(80, 0.75)
			b.shoulders, b.pelvis = 12, 8
			b.torso, b.bow, b.head, b.hotSpine = -72, -14, -58, true
			b.arms = []limb{bones(-70, -40).acc(), bones(-45, -60).acc()}
			b.legs = []limb{bones(96, 90).ft(170), bones(84, 90).ft(10)}
			p.figure(b)
			p.arc(b.hip, 100, 100, -96, -62)
		},
	},
	{
		id: "chin-tuck", title: "Chin tuck",
		desc: "Sitting, seen from the side: the head pokes forward, then glides straight back so the chin tucks in and the head sits over the shoulders.",
		start: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.bow, b.head = -10, -48
			p.figure(b)
		},
		end: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.head, b.hotHead = -92, true
			p.figure(b)
			p.curve(pt{100, 40}, pt{90, 34}, pt{80, 40})
		},
	},
	{
		id: "shoulder-blade-squeeze", title: "Shoulder-blade squeeze",
		desc: "Sitting tall with the elbows bent by the sides, then drawing the elbows back so the shoulder blades squeeze together.",
		start: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.arms = []limb{bones(92, 0)}
			p.figure(b)
		},
		end: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.bow = 4
			b.arms = []limb{bones(118, 8).acc()}
			p.figure(b)
			p.arc(pt{60, 73}, 46, 46, 96, 126)
		},
	},
	{
		id: "thread-the-needle", title: "Thread the needle",
		desc: "From hands and knees, one arm slides under the body along the floor while that shoulder and the side of the head lower and the upper back turns.",
		start: func(p *panel) {
			p.floor()
			p.figure(allFours(52, -20, 0, 25))
		},
		end: func(p *panel) {
			p.floor()
			b := allFours(52, 22, -8, 40)
			b.arms = []limb{reach(118, ground, 1), bones(95, 180).seen(1, 0.7).acc()}
			p.figure(b)
			p.curve(pt{136, 120}, pt{140, 160}, pt{112, 170})
		},
	},
	{
		id: "open-book", title: "Open book", scale: 0.85,
		desc: "Lying on the side seen from above, knees bent and both arms stretched forward together, then the top arm opens across to the other side as the chest turns up.",
		start: func(p *panel) {
			p.rect(6, 10, 154, 190)
			p.figure(body{hip: pt{106, 92}, torso: 180, head: 180,
				legs: []limb{bones(90, 0)},
				arms: []limb{bones(90, 90), bones(90, 90)}})
		},
		end: func(p *panel) {
			p.rect(6, 10, 154, 190)
			p.figure(body{hip: pt{106, 92}, torso: 180, head: 195, shoulders: 10,
				legs: []limb{bones(90, 0)},
				arms: []limb{bones(90, 90), bones(-90, -90).acc()}})
			p.arc(pt{54, 92}, 58, 58, 80, -80)
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
		id: "prone-y-t-w", title: "Y-T-W lifts lying face down", scale: 0.7,
		desc: "Lying face down seen from above, the arms lift a little off the floor in a Y shape, then straight out to the sides in a T.",
		start: func(p *panel) {
			p.rect(6, 10, 154, 190)
			p.figure(body{hip: pt{80, 120}, torso: -90, head: -90, shoulders: 12, pelvis: 7,
				legs: []limb{bones(92, 90), bones(88, 90)},
				arms: []limb{bones(-125, -125).acc(), bones(-55, -55).acc()}})
			p.curve(pt{36, 46}, pt{30, 36}, pt{32, 26})
			p.curve(pt{124, 46}, pt{130, 36}, pt{128, 26})
		},
		end: func(p *panel) {
			p.rect(6, 10, 154, 190)
			p.figure(body{hip: pt{80, 120}, torso: -90, head: -90, shoulders: 12, pelvis: 7,
				legs: []limb{bones(92, 90), bones(88, 90)},
				arms: []limb{bones(180, 180).acc(), bones(0, 0).acc()}})
			p.curve(pt{22, 66}, pt{14, 60}, pt{16, 50})
			p.curve(pt{138, 66}, pt{146, 60}, pt{144, 50})
		},
	},
	{
		id: "chair-thoracic-extension", title: "Seated extension over the chair back",
		desc: "Sitting against a chair whose backrest reaches the middle of the back, hands behind the head, then leaning back so the upper back arches over the top of the backrest.",
		start: func(p *panel) {
			chairAt(p, 60, 100)
			b := seated(60)
			b.arms = []limb{reach(headBack(b, 1).x, headBack(b, 1).y, -1)}
			p.figure(b)
		},
		end: func(p *panel) {
			chairAt(p, 60, 100)
			b := seated(60)
			b.torso, b.bow, b.head, b.hotSpine = -110, 16, -140, true
			b.arms = []limb{reach(headBack(b, 1).x, headBack(b, 1).y, -1)}
			p.figure(b)
			p.arc(pt{49, 100}, 40, 40, -60, -120)
		},
	},
	{
		id: "doorway-chest-stretch", title: "Doorway chest stretch", scale: 0.85,
		desc: "Standing in a doorway with the forearms on the frame and the elbows at shoulder height, then stepping one foot through so the chest moves forward.",
		start: func(p *panel) {
			p.floor()
			p.prop(pt{62, floorY}, pt{62, 8}, pt{76, 8}, pt{76, floorY})
			b := standing(70, 0.85)
			b.arms = []limb{bones(180, -90).seen(0.2, 1)}
			b.legs = []limb{bones(90, 90).ft(0)}
			p.figure(b)
		},
		end: func(p *panel) {
			p.floor()
			p.prop(pt{62, floorY}, pt{62, 8}, pt{76, 8}, pt{76, floorY})
			b := standing(86, 0.85)
			b.torso, b.hotSpine = -84, true
			b.arms = []limb{via(68, 50, 68, 18)}
			b.legs = []limb{reach(70, ground, 1).ft(0), reach(112, ground, -1).ft(0)}
			p.figure(b)
			p.curve(pt{112, 64}, pt{126, 56}, pt{136, 66})
		},
	},
	{
		id: "seated-rotation", title: "Seated twist",
		desc: "Sitting tall, then turning the chest to one side with one hand on the chair back and the other on the outside of the knee.",
		start: func(p *panel) {
			chairAt(p, 60, 84)
			p.figure(seated(60))
		},
		end: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.shoulders, b.hotSpine = 12, true
			b.arms = []limb{reach(49, 86, 1).acc(), reach(100, 132, 1).acc()}
			p.figure(b)
			p.arc(pt{60, 100}, 26, 8, 10, 170)
		},
	},
	{
		id: "seated-cat-cow", title: "Seated cat-cow",
		desc: "Sitting with the hands on the thighs: the back rounds and the chin drops, then the chest lifts forward and the back arches gently.",
		start: func(p *panel) {
			chairAt(p, 60, 84)
			b := seated(60)
			b.torso, b.bow, b.head, b.hotSpine = -80, -22, -15, true
			p.figure(b)
		},
		end: func(p *panel) {
			chairAt(p, 60, 84)
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
			p.floor()
			p.prop(pt{44, floorY}, pt{44, 128}, pt{116, 128}, pt{116, floorY})
			p.figure(body{hip: pt{80, 123}, torso: -90, head: -90, shoulders: 13, pelvis: 9,
				arms: []limb{reach(69, 90, 1), reach(91, 90, -1)},
				legs: []limb{via(68, 132, 66, ground).ft(170), via(92, 132, 94, ground).ft(10)}})
		},
		end: func(p *panel) {
			p.floor()
			p.prop(pt{44, floorY}, pt{44, 128}, pt{116, 128}, pt{116, floorY})
			p.figure(body{hip: pt{80, 123}, torso: -90, head: -90, shoulders: 13, pelvis: 9,
				arms: []limb{reach(64, 90, 1).acc(), reach(96, 90, -1).acc()},
				legs: []limb{via(68, 132, 66, ground).ft(170), via(92, 132, 94, ground).ft(10)}})
			p.curve(pt{56, 100}, pt{50, 100}, pt{44, 100})
			p.curve(pt{104, 100}, pt{110, 100}, pt{116, 100})
		},
	},
}
