package main

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The moving pictures (catalog/svg/anim): one panel in which the figure
// goes from each pose of the still to the next and back, in a loop. The
// poses are drawn by the same functions as the still, then morphed: the
// numbers of each element are eased from one pose to the next with SVG
// animation (SMIL), which needs neither script nor style. Poses whose
// elements do not match one to one fade into one another instead. Props
// both poses share stay still; arrows are left out, the movement shows
// itself. For people who ask for less motion, the picture's own style
// hides the moving figure and shows the first pose.

// drawn is an element of the figure and whether it is in the accent
// colour.
type drawn struct {
	el  string
	hot bool
}

// Timing of the loop: each pose is held, then the figure moves to the
// next one.
const (
	holdSeconds = 1.0
	moveSeconds = 1.6
	// inBetween is how many eased frames lie between two poses.
	inBetween = 4
)

var numberRe = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?`)

// shape is an element with its numbers and colours taken out: two
// elements of the same shape can be morphed into one another.
func shape(el string) string {
	el = strings.ReplaceAll(el, accent, "C")
	el = strings.ReplaceAll(el, ink, "C")
	return numberRe.ReplaceAllString(el, "#")
}

// lerpEl is the element a at t of the way to b, which has the same shape.
func lerpEl(a, b string, t float64) string {
	hide := strings.NewReplacer(accent, "ACCENT")
	a, b = hide.Replace(a), hide.Replace(b)
	nb := numberRe.FindAllString(b, -1)
	i := 0
	return strings.ReplaceAll(numberRe.ReplaceAllStringFunc(a, func(s string) string {
		x, _ := strconv.ParseFloat(s, 64)
		y, _ := strconv.ParseFloat(nb[i], 64)
		i++
		return num(x + (y-x)*t)
	}), "ACCENT", accent)
}

// ease is the smooth start and stop of a movement.
func ease(t float64) float64 { return t * t * (3 - 2*t) }

// poseArt draws one pose of an exercise alone, at the left edge.
func (e exercise) poseArt(draw func(p *panel), w, s float64) *art {
	a := &art{}
	draw(&panel{a: a, dx: 0, w: w, s: s, anim: true})
	return a
}

// attrRe finds an element's attributes.
var attrRe = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)

// animated renders an exercise as its moving picture.
func (e exercise) animated() []byte {
	s := e.scale
	if s == 0 {
		s = 1
	}
	panels := e.panels
	if panels == nil {
		panels = []func(p *panel){e.start, e.end}
	}
	w := 2 * panelW / float64(len(panels))
	poses := make([]*art, len(panels))
	for i, draw := range panels {
		poses[i] = e.poseArt(draw, w, s)
	}

	// Props every pose shares stay still.
	var props []string
	for _, el := range poses[0].props {
		shared := true
		for _, p := range poses[1:] {
			if !contains(p.props, el) {
				shared = false
			}
		}
		if shared {
			props = append(props, el)
		}
	}

	// The loop goes through the poses and back: 0, 1, …, n, …, 1, 0.
	order := []int{}
	for i := range poses {
		order = append(order, i)
	}
	for i := len(poses) - 2; i >= 0; i-- {
		order = append(order, i)
	}
	morph := true
	for _, p := range poses[1:] {
		if !sameShapes(poses[0].seq, p.seq) {
			morph = false
		}
	}
	total := float64(len(order)-1) * (holdSeconds + moveSeconds)
	dur := num(total) + "s"

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s 200" width="%s" height="200" fill="none" stroke-linecap="round" stroke-linejoin="round">`, num(w), num(w))
	fmt.Fprintf(&b, "\n<title>%s</title>\n<desc>%s</desc>\n", escaper.Replace(e.title), escaper.Replace(e.desc))
	b.WriteString("<style>@media (prefers-reduced-motion: reduce) { .move { display: none } .still { display: inline } }</style>\n")
	if len(props) > 0 {
		b.WriteString(`<g stroke="` + grey + `" stroke-width="4">` + "\n" + strings.Join(props, "\n") + "\n</g>\n")
	}
	b.WriteString(`<g class="move" stroke-width="` + num(lineWidth) + `">` + "\n")
	if morph {
		// Key frames: each pose held, then eased frames to the next.
		var times []float64
		frames := make([][]string, len(poses[0].seq))
		at := 0.0
		for k, pi := range order {
			cur := poses[pi]
			for j, d := range cur.seq {
				frames[j] = append(frames[j], d.el)
			}
			times = append(times, at)
			if k == len(order)-1 {
				break
			}
			at += holdSeconds
			for j, d := range cur.seq {
				frames[j] = append(frames[j], d.el)
			}
			times = append(times, at)
			next := poses[order[k+1]]
			for f := 1; f < inBetween; f++ {
				t := ease(float64(f) / inBetween)
				for j, d := range cur.seq {
					frames[j] = append(frames[j], lerpEl(d.el, next.seq[j].el, t))
				}
				times = append(times, at+moveSeconds*float64(f)/inBetween)
			}
			at += moveSeconds
		}
		keyTimes := make([]string, len(times))
		for i, t := range times {
			keyTimes[i] = strconv.FormatFloat(math.Round(t/total*1000)/1000, 'f', -1, 64)
		}
		kt := strings.Join(keyTimes, ";")
		for j, d := range poses[0].seq {
			hot := false
			for _, p := range poses {
				hot = hot || p.seq[j].hot
			}
			b.WriteString(animateEl(d.el, frames[j], hot, dur, kt) + "\n")
		}
	} else {
		// Fade from pose to pose.
		n := len(order) - 1
		for i, p := range poses {
			var vals, keys []string
			at := 0.0
			for k, pi := range order {
				v := "0"
				if pi == i {
					v = "1"
				}
				vals = append(vals, v)
				keys = append(keys, strconv.FormatFloat(math.Round(at/total*1000)/1000, 'f', -1, 64))
				if k == n {
					break
				}
				at += holdSeconds
				vals = append(vals, v)
				keys = append(keys, strconv.FormatFloat(math.Round(at/total*1000)/1000, 'f', -1, 64))
				at += moveSeconds
			}
			first := "0"
			if i == 0 {
				first = "1"
			}
			fmt.Fprintf(&b, `<g opacity="%s"><animate attributeName="opacity" values="%s" keyTimes="%s" dur="%s" repeatCount="indefinite"/>`+"\n",
				first, strings.Join(vals, ";"), strings.Join(keys, ";"), dur)
			for _, d := range p.seq {
				b.WriteString(colour(d.el, d.hot) + "\n")
			}
			b.WriteString("</g>\n")
		}
	}
	b.WriteString("</g>\n")
	// The first pose, still, for less motion.
	b.WriteString(`<g class="still" display="none" stroke-width="` + num(lineWidth) + `">` + "\n")
	for _, d := range poses[0].seq {
		b.WriteString(colour(d.el, d.hot) + "\n")
	}
	b.WriteString("</g>\n</svg>\n")
	return []byte(b.String())
}

// colour gives an element its stroke colour, unless it has one.
func colour(el string, hot bool) string {
	c := ink
	if hot {
		c = accent
	}
	if strings.Contains(el, ` stroke="`) {
		return el
	}
	return strings.Replace(el, " ", ` stroke="`+c+`" `, 1)
}

// animateEl writes an element whose changing attributes go through the
// frames.
func animateEl(el string, frames []string, hot bool, dur, keyTimes string) string {
	base := colour(el, hot)
	if hot {
		// A part that works in any pose is in the accent colour in all.
		base = strings.ReplaceAll(base, `fill="`+ink+`"`, `fill="`+accent+`"`)
	}
	attrs := map[string][]string{}
	var names []string
	for _, f := range frames {
		for _, m := range attrRe.FindAllStringSubmatch(f, -1) {
			if _, ok := attrs[m[1]]; !ok {
				names = append(names, m[1])
			}
			attrs[m[1]] = append(attrs[m[1]], m[2])
		}
	}
	var anims []string
	for _, n := range names {
		vals := attrs[n]
		if n == "stroke" || n == "fill" || allSame(vals) {
			continue
		}
		anims = append(anims, fmt.Sprintf(`<animate attributeName="%s" values="%s" keyTimes="%s" dur="%s" repeatCount="indefinite"/>`,
			n, strings.Join(vals, ";"), keyTimes, dur))
	}
	if len(anims) == 0 {
		return base
	}
	tag := base[1:strings.IndexAny(base, " >")]
	return strings.TrimSuffix(base, "/>") + ">" + strings.Join(anims, "") + "</" + tag + ">"
}

func allSame(vals []string) bool {
	for _, v := range vals[1:] {
		if v != vals[0] {
			return false
		}
	}
	return true
}

func sameShapes(a, b []drawn) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if shape(a[i].el) != shape(b[i].el) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
