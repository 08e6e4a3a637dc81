package termpic

import "strings"

// cell is one character of output: the braille pattern of its 2×4 dots and
// whether most of its lit dots were drawn by accent-coloured shapes.
type cell struct {
	dots   uint8 // braille dot bits, 0 when the cell is empty
	accent bool
}

// brailleBit gives the bit of each dot in a braille cell, indexed by
// [row][column] within the cell (Unicode numbers dots 1-2-3-7 down the left
// column and 4-5-6-8 down the right one).
var brailleBit = [4][2]uint8{
	{0x01, 0x08},
	{0x02, 0x10},
	{0x04, 0x20},
	{0x40, 0x80},
}

// char returns the character printed for the cell: a space when it is empty,
// otherwise the braille pattern of its dots.
func (c cell) char() rune {
	if c.dots == 0 {
		return ' '
	}
	return 0x2800 + rune(c.dots)
}

// cellRows groups the canvas dots into character cells, one slice of
// c.w/2 cells per row of c.h/4.
func (c *canvas) cellRows() [][]cell {
	rows := make([][]cell, c.h/4)
	for r := range rows {
		rows[r] = make([]cell, c.w/2)
		for col := range rows[r] {
			rows[r][col] = c.cellAt(col, r)
		}
	}
	return rows
}

// cellAt builds the cell at column col and row r from its eight dots.
func (c *canvas) cellAt(col, r int) cell {
	var out cell
	accent, other := 0, 0
	for dy := range 4 {
		for dx := range 2 {
			k := c.at(col*2+dx, r*4+dy)
			if k == inkNone {
				continue
			}
			out.dots |= brailleBit[dy][dx]
			if k == inkAccent {
				accent++
			} else {
				other++
			}
		}
	}
	out.accent = accent > 0 && accent >= other
	return out
}

// formatRow prints a row of cells with trailing spaces trimmed, wrapping runs
// of accent cells in an escape sequence when color is set.
func formatRow(row []cell, color bool) string {
	end := len(row)
	for end > 0 && row[end-1].dots == 0 {
		end--
	}
	var b strings.Builder
	inAccent := false
	for _, c := range row[:end] {
		if color && c.accent != inAccent {
			inAccent = c.accent
			if inAccent {
				b.WriteString(accentOn)
			} else {
				b.WriteString(accentOff)
			}
		}
		b.WriteRune(c.char())
	}
	if inAccent {
		b.WriteString(accentOff)
	}
	return b.String()
}
