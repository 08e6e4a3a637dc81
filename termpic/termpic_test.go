package termpic

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files from the current output")

// In the tests below a viewBox of 80×40 at the default 40×10 cells maps one
// viewBox unit to one dot, so expected dots can be read off the SVG.
const unitBox = "0 0 80 40"

func TestHorizontalLineIsARowOfDots(t *testing.T) {
	cases := []struct {
		y       string
		wantRow int
	}{
		{"0.5", 0},
		{"10.5", 10},
		{"21.5", 21},
		{"39.5", 39},
		{"20", 19}, // on the boundary between two rows: exactly one is lit
	}
	for _, tc := range cases {
		t.Run("y="+tc.y, func(t *testing.T) {
			svg := svgDoc(unitBox, `<line x1="0" y1="`+tc.y+`" x2="80" y2="`+tc.y+`" stroke="currentColor" stroke-width="1"/>`)
			grid := dotGrid(t, render(t, svg, Options{}), 40, 10)
			if rows := litRows(grid); !slices.Equal(rows, []int{tc.wantRow}) {
				t.Fatalf("lit rows %v, want only %d", rows, tc.wantRow)
			}
			for x, lit := range grid[tc.wantRow] {
				if !lit {
					t.Fatalf("dot %d of row %d is not lit", x, tc.wantRow)
				}
			}
		})
	}
}

func TestHorizontalLineText(t *testing.T) {
	svg := svgDoc(unitBox, `<line x1="0" y1="10.5" x2="80" y2="10.5" stroke="currentColor" stroke-width="1"/>`)
	lines := strings.Split(render(t, svg, Options{}), "\n")
	for i, line := range lines {
		want := ""
		if i == 2 {
			want = strings.Repeat("⠤", 40) // dots 3 and 6: the third row of the cell
		}
		if line != want {
			t.Errorf("line %d = %q, want %q", i, line, want)
		}
	}
}

func TestFilledCircleIsABlobAtItsCell(t *testing.T) {
	cases := []struct {
		cx, cy, r         float64
		wantCol, wantLine int
	}{
		{10, 10, 3, 5, 2},
		{70, 30, 3, 35, 7},
		{41, 21, 2, 20, 5},
		{40.3, 20.3, 0.2, 20, 5}, // smaller than a dot: still one dot
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%g,%g,r%g", tc.cx, tc.cy, tc.r), func(t *testing.T) {
			svg := svgDoc(unitBox, fmt.Sprintf(`<circle cx="%g" cy="%g" r="%g" fill="currentColor"/>`, tc.cx, tc.cy, tc.r))
			out := render(t, svg, Options{})
			lines := strings.Split(out, "\n")
			if cell := []rune(lines[tc.wantLine] + strings.Repeat(" ", 40))[tc.wantCol]; cell == ' ' {
				t.Errorf("cell (%d,%d) is empty:\n%s", tc.wantCol, tc.wantLine, out)
			}
			grid := dotGrid(t, out, 40, 10)
			lit := 0
			for y, row := range grid {
				for x, on := range row {
					if !on {
						continue
					}
					lit++
					if d := math.Hypot(float64(x)+0.5-tc.cx, float64(y)+0.5-tc.cy); d > tc.r+1 {
						t.Errorf("dot (%d,%d) is %.1f from the centre, radius %g", x, y, d, tc.r)
					}
				}
			}
			if want := math.Pi * tc.r * tc.r; float64(lit) < want*0.6 {
				t.Errorf("%d dots lit, want about %.0f (a filled blob)", lit, want)
			}
		})
	}
}

func TestPanelsHaveDotsInTheirHalves(t *testing.T) {
	left := `<path d="M20 150 Q80 60 140 150" stroke="currentColor" stroke-width="6" fill="none"/>`
	right := `<circle cx="240" cy="100" r="14" fill="currentColor"/>`
	divider := `<line x1="160" y1="20" x2="160" y2="180" stroke="#9aa3ad" stroke-width="2"/>`
	cases := []struct {
		name                string
		body                string
		wantLeft, wantRight bool
	}{
		{"two panels", divider + left + right, true, true},
		{"left only", divider + left, true, false},
		{"right only", divider + right, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Props off, so the divider on the middle line adds no dots.
			grid := dotGrid(t, render(t, svgDoc("0 0 320 200", tc.body), Options{}), 40, 10)
			var gotLeft, gotRight bool
			for _, row := range grid {
				gotLeft = gotLeft || slices.Contains(row[:40], true)
				gotRight = gotRight || slices.Contains(row[40:], true)
			}
			if gotLeft != tc.wantLeft || gotRight != tc.wantRight {
				t.Errorf("dots in left half %v, right half %v; want %v, %v", gotLeft, gotRight, tc.wantLeft, tc.wantRight)
			}
		})
	}
}

func TestAspectRatioIsKeptAndCentred(t *testing.T) {
	cases := []struct {
		name           string
		viewBox, body  string
		opt            Options
		x0, y0, x1, y1 int // expected box of lit dots
	}{
		{"square in wide box", "0 0 100 100", `<rect width="100" height="100"/>`, Options{}, 20, 0, 59, 39},
		{"square with offset origin", "-50 -50 100 100", `<rect x="-50" y="-50" width="100" height="100"/>`, Options{}, 20, 0, 59, 39},
		{"wide in square box", "0 0 40 8", `<rect width="40" height="8"/>`, Options{Width: 10, Height: 10}, 0, 18, 19, 21},
		{"same shape as the box", "0 0 80 40", `<rect width="80" height="40"/>`, Options{}, 0, 0, 79, 39},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opt, _ := tc.opt.withDefaults()
			grid := dotGrid(t, render(t, svgDoc(tc.viewBox, tc.body), tc.opt), opt.Width, opt.Height)
			x0, y0, x1, y1, _ := bounds(grid)
			if x0 != tc.x0 || y0 != tc.y0 || x1 != tc.x1 || y1 != tc.y1 {
				t.Errorf("lit box (%d,%d)-(%d,%d), want (%d,%d)-(%d,%d)", x0, y0, x1, y1, tc.x0, tc.y0, tc.x1, tc.y1)
			}
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					if !grid[y][x] {
						t.Fatalf("dot (%d,%d) inside the filled rect is not lit", x, y)
					}
				}
			}
		})
	}
}

func TestColorWrapsOnlyAccentShapes(t *testing.T) {
	svg := svgDoc(unitBox, `<g stroke-width="1">`+
		`<line x1="0" y1="2.5" x2="80" y2="2.5" stroke="currentColor"/>`+
		`<line x1="0" y1="18.5" x2="80" y2="18.5" stroke="#E07A2F"/>`+
		`<line x1="0" y1="26.5" x2="39.5" y2="26.5" stroke="currentColor"/>`+
		`<line x1="40.5" y1="26.5" x2="80" y2="26.5" stroke="#e07a2f"/>`+
		`<line x1="0" y1="34.5" x2="80" y2="34.5" stroke="#9aa3ad"/>`+
		`</g>`)
	row := func(n int) string { return strings.Repeat("⠤", n) }
	cases := []struct {
		name  string
		color bool
		want  map[int]string // non-empty lines by index
	}{
		{"color", true, map[int]string{
			0: row(40),
			4: accentOn + row(40) + accentOff,
			6: row(20) + accentOn + row(20) + accentOff,
			8: row(40),
		}},
		{"plain", false, map[int]string{0: row(40), 4: row(40), 6: row(40), 8: row(40)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, svg, Options{Props: true, Color: tc.color})
			for i, line := range strings.Split(out, "\n") {
				if line != tc.want[i] {
					t.Errorf("line %d = %q, want %q", i, line, tc.want[i])
				}
			}
		})
	}
}

func TestPropsOption(t *testing.T) {
	svg := svgDoc(unitBox, `<line x1="0" y1="30.5" x2="80" y2="30.5" stroke="#9AA3AD"/>`+
		`<rect x="10" y="2" width="8" height="8" fill="#9aa3ad"/>`+
		`<line x1="0" y1="10.5" x2="80" y2="10.5" stroke="currentColor"/>`)
	cases := []struct {
		props bool
		want  []int
	}{
		{true, []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 30}},
		{false, []int{10}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint("props=", tc.props), func(t *testing.T) {
			grid := dotGrid(t, render(t, svg, Options{Props: tc.props}), 40, 10)
			if got := litRows(grid); !slices.Equal(got, tc.want) {
				t.Errorf("lit rows %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStrokeWidthSetsThickness(t *testing.T) {
	cases := []struct {
		name     string
		viewBox  string
		y, width string
		opt      Options
		wantRows int
	}{
		{"width 1", unitBox, "20", "1", Options{}, 1},
		{"width 4", unitBox, "20", "4", Options{}, 4},
		{"width 8", unitBox, "20", "8", Options{}, 8},
		{"width 1 at double size", unitBox, "20", "1", Options{Width: 80, Height: 20}, 2},
		{"width 6 scaled far down: still one dot", "0 0 3200 1600", "800", "6", Options{}, 1},
		{"width 0: no stroke", unitBox, "20", "0", Options{}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svg := svgDoc(tc.viewBox, `<line x1="0" y1="`+tc.y+`" x2="3200" y2="`+tc.y+`" stroke="currentColor" stroke-width="`+tc.width+`"/>`)
			opt, _ := tc.opt.withDefaults()
			grid := dotGrid(t, render(t, svg, tc.opt), opt.Width, opt.Height)
			if got := len(litRows(grid)); got != tc.wantRows {
				t.Errorf("line is %d dots thick, want %d", got, tc.wantRows)
			}
		})
	}
}

func TestCurvesAreFlattened(t *testing.T) {
	cases := []struct {
		name    string
		d       string
		wantTop float64 // y of the curve at x = 40
	}{
		{"quadratic", "M0 30 Q40 -10 80 30", 10},
		{"cubic", "M0 30 C0 0 80 0 80 30", 7.5},
		{"straight", "M0 30 L80 30", 30},
		{"closed triangle", "M0 30 L40 5 L80 30 Z", 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svg := svgDoc(unitBox, `<path d="`+tc.d+`" stroke="currentColor" stroke-width="1" fill="none"/>`)
			grid := dotGrid(t, render(t, svg, Options{}), 40, 10)
			top := -1
			for y := range grid {
				if grid[y][40] || grid[y][39] {
					top = y
					break
				}
			}
			if math.Abs(float64(top)+0.5-tc.wantTop) > 1.5 {
				t.Errorf("curve top at x=40 is row %d, want about %g", top, tc.wantTop)
			}
			for x := range 80 {
				if !slices.ContainsFunc(grid, func(row []bool) bool { return row[x] }) {
					t.Fatalf("column %d has no dot: the curve is broken", x)
				}
			}
		})
	}
}

func TestFillAndStrokeOnly(t *testing.T) {
	cases := []struct {
		name         string
		body         string
		inside, edge [2]int // a dot inside the shape and one on its edge
		wantInside   bool
	}{
		{"filled rect", `<rect x="10.5" y="10.5" width="20" height="20" fill="currentColor"/>`, [2]int{20, 20}, [2]int{10, 20}, true},
		{"stroked rect", `<rect x="10.5" y="10.5" width="20" height="20" fill="none" stroke="currentColor"/>`, [2]int{20, 20}, [2]int{10, 20}, false},
		{"rounded rect", `<rect x="10.5" y="10.5" width="20" height="20" rx="5" fill="none" stroke="currentColor"/>`, [2]int{20, 20}, [2]int{10, 20}, false},
		{"filled circle", `<circle cx="20" cy="20" r="9.5" fill="#000"/>`, [2]int{20, 20}, [2]int{11, 20}, true},
		{"stroked circle", `<circle cx="20" cy="20" r="9.5" fill="none" stroke="currentColor"/>`, [2]int{20, 20}, [2]int{10, 20}, false},
		{"filled ellipse", `<ellipse cx="20" cy="20" rx="9.5" ry="5"/>`, [2]int{20, 20}, [2]int{11, 20}, true},
		{"filled polygon", `<polygon points="10,30 30,30 20,10"/>`, [2]int{20, 25}, [2]int{20, 29}, true},
		{"stroked polygon", `<polygon points="10,30 30,30 20,10" fill="none" stroke="currentColor"/>`, [2]int{20, 25}, [2]int{20, 29}, false},
		{"polyline, fill none", `<polyline points="10,30 30,30 20,10" fill="none" stroke="currentColor"/>`, [2]int{20, 25}, [2]int{20, 29}, false},
		{"path with hole, evenodd", `<path fill-rule="evenodd" d="M5 5 L35 5 L35 35 L5 35 Z M15 15 L25 15 L25 25 L15 25 Z"/>`, [2]int{20, 20}, [2]int{10, 10}, false},
		{"white erases", `<rect x="5" y="5" width="30" height="30"/><circle cx="20" cy="20" r="4" fill="white"/>`, [2]int{20, 20}, [2]int{10, 10}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svg := svgDoc(unitBox, `<g stroke-width="1">`+tc.body+`</g>`)
			grid := dotGrid(t, render(t, svg, Options{}), 40, 10)
			if got := grid[tc.inside[1]][tc.inside[0]]; got != tc.wantInside {
				t.Errorf("inside dot %v lit = %v, want %v", tc.inside, got, tc.wantInside)
			}
			if !grid[tc.edge[1]][tc.edge[0]] {
				t.Errorf("edge dot %v is not lit", tc.edge)
			}
		})
	}
}

func TestErrorsNameTheProblem(t *testing.T) {
	many := func(n int, s string) string { return strings.Repeat(s, n) }
	cases := []struct {
		name string
		svg  string
		opt  Options
		want []string
	}{
		{"unknown element", `<svg viewBox="0 0 10 10"><text>hi</text></svg>`, Options{}, []string{"<text>", "not supported"}},
		{"foreign element", `<svg viewBox="0 0 10 10" xmlns:x="urn:x"><x:line/></svg>`, Options{}, []string{"urn:x:line", "not supported"}},
		{"image", `<svg viewBox="0 0 10 10"><image/></svg>`, Options{}, []string{"<image>"}},
		{"relative command", `<svg viewBox="0 0 10 10"><path d="M1 1 l2 2"/></svg>`, Options{}, []string{`"l"`, "path command"}},
		{"arc command", `<svg viewBox="0 0 10 10"><path d="M1 1 A2 2 0 0 1 5 5"/></svg>`, Options{}, []string{`"A"`}},
		{"horizontal command", `<svg viewBox="0 0 10 10"><path d="M1 1 H5"/></svg>`, Options{}, []string{`"H"`}},
		{"path without M", `<svg viewBox="0 0 10 10"><path d="L1 1"/></svg>`, Options{}, []string{`"L"`, "want M"}},
		{"bad path number", `<svg viewBox="0 0 10 10"><path d="M1 x"/></svg>`, Options{}, []string{"<path>", "attribute d", "command M"}},
		{"transform", `<svg viewBox="0 0 10 10"><g transform="rotate(3)"/></svg>`, Options{}, []string{"<g>", "transform"}},
		{"style", `<svg viewBox="0 0 10 10"><line style="stroke:red"/></svg>`, Options{}, []string{"<line>", "style"}},
		{"malformed XML", `<svg viewBox="0 0 10 10"><line></svg>`, Options{}, []string{"malformed XML"}},
		{"not XML", `{"svg": true}`, Options{}, []string{"no <svg>"}},
		{"empty", ``, Options{}, []string{"no <svg>"}},
		{"root not svg", `<g><svg/></g>`, Options{}, []string{"<g>", "root"}},
		{"nested svg", `<svg viewBox="0 0 10 10"><svg/></svg>`, Options{}, []string{"nested"}},
		{"two roots", `<svg viewBox="0 0 10 10"/><svg viewBox="0 0 10 10"/>`, Options{}, []string{"second root"}},
		{"no viewBox", `<svg/>`, Options{}, []string{"viewBox"}},
		{"bad viewBox", `<svg viewBox="0 0 10"/>`, Options{}, []string{"viewBox", "four numbers"}},
		{"tiny viewBox", `<svg viewBox="0 0 1e-9 10"/>`, Options{}, []string{"viewBox", "too small"}},
		{"bad number", `<svg viewBox="0 0 10 10"><line x1="abc"/></svg>`, Options{}, []string{"<line>", "x1"}},
		{"NaN", `<svg viewBox="0 0 10 10"><circle r="NaN"/></svg>`, Options{}, []string{"<circle>", "attribute r"}},
		{"huge coordinate", `<svg viewBox="0 0 10 10"><line x2="1e300"/></svg>`, Options{}, []string{"x2", "out of range"}},
		{"percent", `<svg viewBox="0 0 10 10"><rect width="50%"/></svg>`, Options{}, []string{"width"}},
		{"negative radius", `<svg viewBox="0 0 10 10"><circle r="-1"/></svg>`, Options{}, []string{"attribute r", "negative"}},
		{"odd points", `<svg viewBox="0 0 10 10"><polygon points="1,2 3"/></svg>`, Options{}, []string{"<polygon>", "points", "odd"}},
		{"bad stroke-width", `<svg viewBox="0 0 10 10"><line stroke-width="-2"/></svg>`, Options{}, []string{"stroke-width"}},
		{"line number", "<svg viewBox=\"0 0 10 10\">\n\n<text/></svg>", Options{}, []string{"line 3"}},
		{"width too small", `<svg viewBox="0 0 10 10"/>`, Options{Width: 3}, []string{"Width", "3", "4 to 400"}},
		{"width negative", `<svg viewBox="0 0 10 10"/>`, Options{Width: -1}, []string{"Width", "4 to 400"}},
		{"height too big", `<svg viewBox="0 0 10 10"/>`, Options{Height: 401}, []string{"Height", "401", "4 to 400"}},
		{"too many elements", `<svg viewBox="0 0 10 10">` + many(maxElements+1, "<g/>") + `</svg>`, Options{}, []string{"more than", "elements"}},
		{"too deep", `<svg viewBox="0 0 10 10">` + many(maxDepth, "<g>") + many(maxDepth, "</g>") + `</svg>`, Options{}, []string{"nested more than"}},
		{"too many points", `<svg viewBox="0 0 10 10"><polyline points="` + many(maxPoints+1, "1 1 ") + `"/></svg>`, Options{}, []string{"more than", "points"}},
		{"too many path points", `<svg viewBox="0 0 10 10"><path d="M0 0` + many(maxPoints+1, " L1 1") + `"/></svg>`, Options{}, []string{"more than", "points"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render([]byte(tc.svg), tc.opt)
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestWorkIsCapped(t *testing.T) {
	var zigzag strings.Builder
	for i := range maxPoints - 10 {
		fmt.Fprintf(&zigzag, "%d,%d ", i%2, (i%2)*200)
	}
	cases := []struct {
		name string
		body string
	}{
		// Each huge stroked circle covers the whole canvas many times over.
		{"huge strokes", strings.Repeat(`<circle cx="0.5" cy="0.5" r="999999" stroke="currentColor" stroke-width="999999"/>`, 200)},
		// A tall polygon with tens of thousands of edges, each row testing all of them.
		{"many edges", `<polygon points="` + zigzag.String() + `"/>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(svgDoc("0 0 100 200", tc.body), Options{Width: 400, Height: 400})
			if err == nil || !strings.Contains(err.Error(), "too complex") {
				t.Fatalf("got %v, want a too complex error", err)
			}
		})
	}
}

func TestEveryLineHasWidthCells(t *testing.T) {
	data := readFile(t, filepath.Join("testdata", "cat-cow.svg"))
	for _, opt := range []Options{{}, {Width: 4, Height: 4}, {Width: 17, Height: 5, Props: true}, {Width: 400, Height: 7}, {Width: 9, Height: 120, Color: true}} {
		t.Run(fmt.Sprintf("%dx%d", opt.Width, opt.Height), func(t *testing.T) {
			rows, err := renderCells(data, opt)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := opt.withDefaults()
			if len(rows) != want.Height {
				t.Fatalf("%d rows, want %d", len(rows), want.Height)
			}
			for i, row := range rows {
				var b strings.Builder
				for _, c := range row {
					b.WriteRune(c.char())
				}
				if n := len([]rune(b.String())); n != want.Width {
					t.Errorf("row %d has %d runes before trimming, want %d", i, n, want.Width)
				}
			}
			out := render(t, data, opt)
			dotGrid(t, out, want.Width, want.Height) // checks line count and length after trimming
			for i, line := range strings.Split(out, "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line %d has trailing spaces", i)
				}
			}
		})
	}
}

func TestTestdataRenders(t *testing.T) {
	for _, path := range testdataSVGs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data := readFile(t, path)
			for _, opt := range []Options{{Props: true}, {Width: 4, Height: 4}, {Width: 120, Height: 30, Color: true, Props: true}} {
				out := render(t, data, opt)
				if strings.TrimSpace(stripEscapes(out)) == "" {
					t.Errorf("%+v: empty picture", opt)
				}
			}
		})
	}
}

// TestGolden compares 40×10 renders of the testdata drawings with the
// .golden files next to them; run with -update to rewrite them after
// checking the new output by eye.
func TestGolden(t *testing.T) {
	for _, path := range testdataSVGs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := render(t, readFile(t, path), Options{Width: 40, Height: 10, Props: true}) + "\n"
			golden := strings.TrimSuffix(path, ".svg") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := readFile(t, golden)
			if !bytes.Equal([]byte(got), want) {
				t.Errorf("render differs from %s (run with -update if the change is right)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}
