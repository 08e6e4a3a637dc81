// Package termpic draws the exercise illustrations in a terminal.
//
// The illustrations are small SVG line drawings written in a fixed subset of
// SVG (see the catalog package): elements svg, title, desc, g, line, circle,
// polyline, path, rect, ellipse and polygon; presentation attributes only;
// path data with absolute M, L, Q, C and Z commands only. Render parses such
// a drawing, rasterises it onto a grid of dots and prints the grid with
// Unicode braille characters (U+2800–U+28FF), where each character cell
// holds 2×4 dots. Anything outside the subset is reported as an error rather
// than drawn wrongly.
package termpic

import (
	"fmt"
	"strings"
)

// Default size of a picture, in character cells, used when Options leaves
// Width or Height at zero.
const (
	DefaultWidth  = 40
	DefaultHeight = 10
)

// Limits on Options.Width and Options.Height, in character cells.
const (
	MinSize = 4
	MaxSize = 400
)

// Options says how big a picture to draw and what to draw in it.
type Options struct {
	// Width is the width of the picture in character cells (2 dots each).
	// Zero means DefaultWidth; otherwise it must lie in [MinSize, MaxSize].
	Width int
	// Height is the height of the picture in character cells, that is the
	// number of lines returned (4 dots each). Zero means DefaultHeight;
	// otherwise it must lie in [MinSize, MaxSize].
	Height int
	// Color wraps runs of cells drawn mostly by accent-coloured shapes
	// (#e07a2f, the moving body part) in an ANSI 256-colour escape
	// sequence, so the movement stands out. When false the output is
	// plain text with no escape sequences.
	Color bool
	// Props draws the grey props (#9aa3ad: floor, wall, chair, divider).
	// Callers normally want them; leave it false to show the figure alone.
	Props bool
}

// ANSI escape sequences wrapped around accent cells when Options.Color is set.
const (
	accentOn  = "\x1b[38;5;208m"
	accentOff = "\x1b[0m"
)

// Render draws an SVG illustration as braille text.
//
// The drawing is scaled to fit a grid of (Width*2)×(Height*4) dots with its
// aspect ratio kept and centred in the spare space. A terminal cell is about
// twice as tall as it is wide, so a dot is about as wide as it is tall and
// the grid is treated as square dots. The result has exactly Height lines
// joined by "\n", each at most Width runes, with trailing spaces trimmed.
// Empty cells are spaces.
//
// Render returns an error for malformed XML, for elements, attributes or
// path commands outside the supported subset (the error names them), for
// out-of-range sizes, and for drawings too large to render in bounded time.
func Render(svg []byte, opt Options) (string, error) {
	lines, err := renderLines(svg, opt)
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}

// renderLines does the work of Render and returns the lines separately.
func renderLines(svg []byte, opt Options) ([]string, error) {
	rows, err := renderCells(svg, opt)
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(rows))
	for i, row := range rows {
		lines[i] = formatRow(row, opt.Color)
	}
	return lines, nil
}

// renderCells rasterises the drawing and returns one row of Width cells per
// line of output, before any trimming or colouring.
func renderCells(svg []byte, opt Options) ([][]cell, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	c := newCanvas(opt.Width*2, opt.Height*4)
	if err := draw(svg, c, opt.Props); err != nil {
		return nil, err
	}
	return c.cellRows(), nil
}

// withDefaults fills in the default size and checks the size limits.
func (o Options) withDefaults() (Options, error) {
	if o.Width == 0 {
		o.Width = DefaultWidth
	}
	if o.Height == 0 {
		o.Height = DefaultHeight
	}
	if err := checkSize("Width", o.Width); err != nil {
		return o, err
	}
	if err := checkSize("Height", o.Height); err != nil {
		return o, err
	}
	return o, nil
}

// checkSize reports a size outside [MinSize, MaxSize], naming the field.
func checkSize(field string, v int) error {
	if v < MinSize || v > MaxSize {
		return fmt.Errorf("termpic: Options.%s is %d, want %d to %d cells (or 0 for the default)", field, v, MinSize, MaxSize)
	}
	return nil
}
