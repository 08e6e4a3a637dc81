package termpic

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender checks that Render never panics and that whatever it returns
// without error has the promised shape: Height lines of at most Width runes,
// only spaces and braille, and escape sequences only when Color is set.
func FuzzRender(f *testing.F) {
	for _, path := range testdataSVGs(f) {
		f.Add(readFile(f, path), uint8(42), uint8(12), true, true)
	}
	f.Add(svgDoc(unitBox, `<path d="M0 30 Q40 -10 80 30 C0 0 80 0 80 30 Z L5 5"/>`), uint8(10), uint8(6), false, true)
	f.Add(svgDoc("0 0 1 1", `<rect x="-1e6" width="2e6" height="1e-6" rx="3"/><ellipse rx="1e6" ry="1"/>`), uint8(0), uint8(0), true, false)
	f.Add([]byte(`<svg viewBox="0 0 10 10"><polygon points="1,1 9,9 1,9 9,1" fill-rule="evenodd" stroke="#e07a2f"/></svg>`), uint8(2), uint8(2), true, true)
	f.Fuzz(func(t *testing.T, svg []byte, w, h uint8, color, props bool) {
		// Sizes from -2 to 97 cells: zero (the default) and invalid sizes too.
		opt := Options{Width: int(w%100) - 2, Height: int(h%100) - 2, Color: color, Props: props}
		out, err := Render(svg, opt)
		if err != nil {
			return
		}
		checkShape(t, out, opt)
	})
}

// checkShape fails the test if out is not a well-formed picture for opt.
func checkShape(t *testing.T, out string, opt Options) {
	opt, err := opt.withDefaults()
	if err != nil {
		t.Fatalf("Render accepted bad options: %v", err)
	}
	if !opt.Color && strings.Contains(out, "\x1b") {
		t.Fatal("escape sequence without Color")
	}
	lines := strings.Split(stripEscapes(out), "\n")
	if len(lines) != opt.Height {
		t.Fatalf("%d lines, want %d", len(lines), opt.Height)
	}
	for i, line := range lines {
		if n := utf8.RuneCountInString(line); n > opt.Width {
			t.Fatalf("line %d has %d runes, want at most %d", i, n, opt.Width)
		}
		for _, r := range line {
			if r != ' ' && (r < 0x2800 || r > 0x28ff) {
				t.Fatalf("line %d has %q", i, r)
			}
		}
	}
}
