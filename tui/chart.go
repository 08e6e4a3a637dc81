package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/diary"
)

// chartRows is the height of the pain chart: each row holds 2 points of
// the 0–10 scale, drawn in eighths with the Unicode block elements.
const chartRows = 5

// eighths are the partial blocks from 1/8 to a full cell.
var eighths = []string{" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

// column is what one column of the chart stands for: one day, or a few
// days when the period is wider than the screen.
type column struct {
	first, last string // dates
	pain        float64
	logged      bool
	sessions    int
}

// columns groups the days into at most room columns.
func columns(days []diary.Day, room int) []column {
	per := max(1, int(math.Ceil(float64(len(days))/float64(max(room, 1)))))
	var out []column
	for i := 0; i < len(days); i += per {
		group := days[i:min(i+per, len(days))]
		c := column{first: group[0].Date, last: group[len(group)-1].Date}
		total, n := 0.0, 0
		for _, d := range group {
			c.sessions += d.Sessions
			if d.HasPain() {
				total += d.Mean
				n++
			}
		}
		if n > 0 {
			c.pain, c.logged = total/float64(n), true
		}
		out = append(out, c)
	}
	return out
}

// chart draws the pain of a series as bars, 0–10 from the bottom, with the
// guided sessions marked under the bars and dates under them; it fits in
// width cells.
func chart(s diary.Series, width int, st styles) []string {
	const axis = 4 // "10 ┤"
	cols := columns(s.Days, width-axis-1)
	cw := max(1, min(6, (width-axis-1)/max(len(cols), 1)))
	bw := cw
	if cw >= 2 {
		bw = cw - 1 // a gap between bars
	}
	var lines []string
	for row := chartRows - 1; row >= 0; row-- {
		label := "   "
		if row%2 == 0 || row == chartRows-1 {
			label = fmt.Sprintf("%2d ", (row+1)*10/chartRows)
		}
		var b strings.Builder
		b.WriteString(label + "┤")
		for _, c := range cols {
			cell := strings.Repeat(barCell(c, row), bw)
			if strings.TrimSpace(cell) != "" {
				cell = st.key.Render(cell)
			}
			b.WriteString(cell + strings.Repeat(" ", cw-bw))
		}
		lines = append(lines, strings.TrimRight(b.String(), " "))
	}
	lines = append(lines, " 0 └"+strings.Repeat("─", len(cols)*cw))
	lines = append(lines, "    "+markerRow(cols, cw))
	return append(lines, "    "+dateRow(cols, cw, len(s.Days)))
}

// barCell is the block drawn for a column in a row.
func barCell(c column, row int) string {
	if !c.logged {
		if row == 0 {
			return "·"
		}
		return " "
	}
	units := int(math.Round(c.pain / 10 * chartRows * 8))
	units = max(units, 1) // a logged 0 still shows
	fill := units - row*8
	switch {
	case fill >= 8:
		return eighths[8]
	case fill <= 0:
		return " "
	default:
		return eighths[fill]
	}
}

// markerRow marks with ● the columns with a guided session.
func markerRow(cols []column, cw int) string {
	var b strings.Builder
	for _, c := range cols {
		mark := " "
		if c.sessions > 0 {
			mark = "●"
		}
		b.WriteString(mark + strings.Repeat(" ", cw-1))
	}
	return strings.TrimRight(b.String(), " ")
}

// dateRow labels the columns: weekdays for a week, a few dates otherwise.
func dateRow(cols []column, cw, days int) string {
	if days <= 7 && cw >= 3 {
		var b strings.Builder
		for _, c := range cols {
			b.WriteString(padRight(weekday(c.first), cw))
		}
		return strings.TrimRight(b.String(), " ")
	}
	total := len(cols) * cw
	row := []rune(strings.Repeat(" ", total+8))
	for _, i := range []int{0, len(cols) / 2, len(cols) - 1} {
		label := shortDate(cols[i].first)
		at := i * cw
		if i == len(cols)-1 {
			at = max(0, total-len([]rune(label)))
		}
		copy(row[at:], []rune(label))
	}
	return strings.TrimRight(string(row), " ")
}

func padRight(s string, n int) string {
	if r := len([]rune(s)); r < n {
		return s + strings.Repeat(" ", n-r)
	}
	return string([]rune(s)[:n])
}

func weekday(date string) string {
	d, err := time.Parse(backcoach.DateLayout, date)
	if err != nil {
		return "?"
	}
	return d.Format("Mon")[:2]
}

func shortDate(date string) string {
	d, err := time.Parse(backcoach.DateLayout, date)
	if err != nil {
		return date
	}
	return d.Format("2 Jan")
}
