package termpic

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// escapes matches the ANSI SGR sequences Render may emit.
var escapes = regexp.MustCompile("\x1b\\[[0-9;]*m")

// stripEscapes removes colour escape sequences from s.
func stripEscapes(s string) string { return escapes.ReplaceAllString(s, "") }

// svgDoc wraps shape elements in an <svg> root with the given viewBox.
func svgDoc(viewBox, body string) []byte {
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="` + viewBox + `">` + body + `</svg>`)
}

// render calls Render and fails the test on error.
func render(t testing.TB, svg []byte, opt Options) string {
	t.Helper()
	out, err := Render(svg, opt)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return out
}

// dotGrid decodes Render output back into its dots: grid[y][x] is true when
// dot (x, y) is lit. It fails the test if the output has the wrong number of
// lines, an over-long line, or a character that is neither a space nor a
// braille pattern.
func dotGrid(t testing.TB, out string, width, height int) [][]bool {
	t.Helper()
	grid := make([][]bool, height*4)
	for y := range grid {
		grid[y] = make([]bool, width*2)
	}
	lines := strings.Split(stripEscapes(out), "\n")
	if len(lines) != height {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), height, out)
	}
	for row, line := range lines {
		runes := []rune(line)
		if len(runes) > width {
			t.Fatalf("line %d has %d runes, want at most %d", row, len(runes), width)
		}
		for col, r := range runes {
			setCellDots(t, grid, col, row, r)
		}
	}
	return grid
}

// setCellDots marks in grid the dots of braille character r at cell (col, row).
func setCellDots(t testing.TB, grid [][]bool, col, row int, r rune) {
	t.Helper()
	if r == ' ' {
		return
	}
	if r < 0x2800 || r > 0x28ff {
		t.Fatalf("cell (%d,%d) is %q, want a space or braille", col, row, r)
	}
	for dy := range 4 {
		for dx := range 2 {
			if uint8(r-0x2800)&brailleBit[dy][dx] != 0 {
				grid[row*4+dy][col*2+dx] = true
			}
		}
	}
}

// bounds returns the smallest box holding every lit dot, and false if none is.
func bounds(grid [][]bool) (x0, y0, x1, y1 int, ok bool) {
	x0, y0, x1, y1 = 1<<30, 1<<30, -1, -1
	for y, row := range grid {
		for x, lit := range row {
			if lit {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	return x0, y0, x1, y1, x1 >= 0
}

// litRows returns the indices of rows with at least one lit dot.
func litRows(grid [][]bool) []int {
	var rows []int
	for y, row := range grid {
		for _, lit := range row {
			if lit {
				rows = append(rows, y)
				break
			}
		}
	}
	return rows
}

// testdataSVGs returns the paths of the SVG files in testdata.
func testdataSVGs(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.svg"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata SVGs: %v", err)
	}
	return paths
}

// readFile reads a file and fails the test on error.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
