// Package report draws the report for a person's physiotherapist or
// doctor as a PDF: who and when, the latest assessment with the warning
// signs and their clearances, the programme with its doses, an adherence
// calendar, the pain chart (the chart package's geometry, as on the web)
// with a meaningful change marked, the notes and the sources. It only
// draws: coach.ReportData gathers what it shows.
//
// The text is real text in an embedded font (DejaVu Sans, subset to the
// characters used), so a screen reader, a search or pdftotext reads it.
package report

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/chart"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/diary"
	"github.com/backcoach/backcoach/triage"
)

//go:embed fonts/DejaVuSans.ttf
var dejaVuSans []byte

// Title is the report's title.
const Title = "Report for your physiotherapist or doctor"

// Papers are the paper sizes a report is drawn on; the first is the
// default.
var Papers = []string{"a4", "letter"}

// CheckPaper checks a paper size (empty is the default, a4).
func CheckPaper(paper string) error {
	switch paper {
	case "", "a4", "letter":
		return nil
	}
	return backcoach.Invalid("paper", "must be a4 or letter, got %q", paper)
}

// Filename is the name a downloaded report is saved under.
func Filename(r *coach.Report) string {
	return fmt.Sprintf("backcoach-report-%s-to-%s.pdf", r.From, r.To)
}

const (
	font   = "dejavu"
	margin = 16.0 // mm
	body   = 10.0 // pt
	lineH  = 5.0  // mm
)

// colours
var (
	ink    = [3]int{30, 30, 30}
	muted  = [3]int{95, 95, 95}
	accent = [3]int{25, 90, 160}
	orange = [3]int{200, 100, 20}
	green  = [3]int{40, 130, 70}
	grid   = [3]int{205, 205, 205}
)

// doc is a PDF being drawn.
type doc struct {
	*fpdf.Fpdf
	w float64 // the text width
}

func (d *doc) colour(c [3]int) { d.SetTextColor(c[0], c[1], c[2]) }
func (d *doc) draw(c [3]int)   { d.SetDrawColor(c[0], c[1], c[2]) }
func (d *doc) fill(c [3]int)   { d.SetFillColor(c[0], c[1], c[2]) }

// heading starts a section, on a new page when less than need mm is left.
func (d *doc) heading(text string, need float64) {
	_, h := d.GetPageSize()
	if d.GetY()+need > h-margin-10 {
		d.AddPage()
	} else {
		d.Ln(3)
	}
	d.Bookmark(text, 0, -1)
	d.SetFont(font, "", 13)
	d.colour(accent)
	d.MultiCell(d.w, 7, text, "", "L", false)
	d.draw(grid)
	d.Line(margin, d.GetY(), margin+d.w, d.GetY())
	d.Ln(1.5)
	d.SetFont(font, "", body)
	d.colour(ink)
}

// para writes a paragraph.
func (d *doc) para(text string) {
	d.MultiCell(d.w, lineH, text, "", "L", false)
}

// small writes a paragraph in small, muted type.
func (d *doc) small(text string) {
	d.SetFont(font, "", 8.5)
	d.colour(muted)
	d.MultiCell(d.w, 4.2, text, "", "L", false)
	d.SetFont(font, "", body)
	d.colour(ink)
}

// item writes a bulleted paragraph.
func (d *doc) item(text string) {
	x := d.GetX()
	d.CellFormat(5, lineH, "•", "", 0, "L", false, 0, "")
	d.MultiCell(d.w-5, lineH, text, "", "L", false)
	d.SetX(x)
}

// Write draws the report as a PDF on w; paper is "a4" (the default) or
// "letter".
func Write(w io.Writer, r *coach.Report, paper string) error {
	if err := CheckPaper(paper); err != nil {
		return err
	}
	size := "A4"
	if paper == "letter" {
		size = "Letter"
	}
	pdf := fpdf.New("P", "mm", size, "")
	pdf.AddUTF8FontFromBytes(font, "", dejaVuSans)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+4)
	pdf.SetTitle(Title, true)
	pdf.SetSubject("Back pain self-care from "+r.From+" to "+r.To, true)
	pdf.SetAuthor(personName(r.Person), true)
	pdf.SetCreator("backcoach", true)
	pdf.SetLang("en")
	pdf.SetCreationDate(r.Made)
	pdf.SetModificationDate(r.Made)
	pdf.AliasNbPages("{nb}")
	pw, _ := pdf.GetPageSize()
	d := &doc{Fpdf: pdf, w: pw - 2*margin}
	pdf.SetFooterFunc(func() {
		_, h := pdf.GetPageSize()
		pdf.SetY(h - margin + 2)
		pdf.SetFont(font, "", 8)
		d.colour(muted)
		pdf.CellFormat(d.w/2, 4, "backcoach · "+personName(r.Person)+" · "+r.From+" to "+r.To, "", 0, "L", false, 0, "")
		pdf.CellFormat(d.w/2, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	d.header(r)
	d.assessment(r)
	d.signs(r)
	d.programme(r)
	d.painChart(r)
	d.adherence(r)
	d.notes(r)
	d.sources(r)
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func personName(p *backcoach.Person) string {
	if p == nil {
		return ""
	}
	if p.Name != "" {
		return p.Name
	}
	return p.Handle
}

func (d *doc) header(r *coach.Report) {
	d.SetFont(font, "", 17)
	d.colour(accent)
	d.MultiCell(d.w, 8, Title, "", "L", false)
	d.Ln(1)
	d.SetFont(font, "", 11)
	d.colour(ink)
	who := personName(r.Person)
	if r.Person != nil && r.Person.Handle != "" && r.Person.Handle != who {
		who += " (" + r.Person.Handle + ")"
	}
	d.para(who)
	d.SetFont(font, "", body)
	d.para(fmt.Sprintf("Period: %s to %s (%d days). Made on %s (%s).", longDate(r.From), longDate(r.To), len(r.Series.Days),
		r.Made.Format("2 Jan 2006, 15:04"), r.Loc.String()))
	d.small("Kept by the person with backcoach, a self-care coach for upper back pain. " + triage.Disclaimer())
}

func longDate(s string) string {
	t, err := time.Parse(backcoach.DateLayout, s)
	if err != nil {
		return s
	}
	return t.Format("2 Jan 2006")
}

func (d *doc) assessment(r *coach.Report) {
	d.heading("Latest assessment", 30)
	a := r.Latest
	if a == nil {
		d.para("No assessment yet.")
		return
	}
	d.para(fmt.Sprintf("Taken %s. Pain %d out of 10, for %s, %s.", a.TakenAt.In(r.Loc).Format("2 Jan 2006, 15:04"),
		a.Answers.PainNow, weeksWords(a.Answers.Weeks), trendWords(a.Answers.Trend)))
	d.para(fmt.Sprintf("Stage: %s. Urgency: %s — %s.", r.Stage, strings.ReplaceAll(string(a.Result.Urgency), "_", " "), r.Urgency))
	if a.Result.PEGScore != nil {
		d.para(fmt.Sprintf("PEG score at the assessment: %s out of 10 (pain, enjoyment of life and activity).", chart.Num(*a.Result.PEGScore)))
	}
	if n := len(r.PEG.Points); n > 0 {
		p := r.PEG.Points[n-1]
		line := fmt.Sprintf("Latest weekly PEG: %s on %s (pain %d, enjoyment %d, activity %d).", chart.Num(p.Score), p.Date, p.PEG.Pain, p.PEG.Enjoyment, p.PEG.Activity)
		if r.PEG.Change != nil {
			line += " " + r.PEG.Change.Words("The PEG score")
		}
		d.para(line)
	}
	for _, reason := range a.Result.Reasons {
		d.item(reason)
	}
}

func trendWords(t backcoach.Trend) string {
	if o, ok := triage.Ask("trend").Option(string(t)); ok {
		return strings.ToLower(o.Label)
	}
	return string(t)
}

func (d *doc) signs(r *coach.Report) {
	d.heading("Warning signs and clearances", 25)
	if len(r.Signs) == 0 {
		d.para(fmt.Sprintf("No warning sign was answered yes between %s and %s, and none stands.", r.From, r.To))
	}
	for _, s := range r.Signs {
		if s.Standing {
			d.colour(orange)
		}
		d.item(fmt.Sprintf("%s (%s) — last answered yes %s, at %s. Now: %s.", s.Words, s.Urgency, s.When, s.Where, s.Status))
		d.colour(ink)
	}
	for _, c := range r.Clearances {
		who := c.By.Words()
		if c.Name != "" {
			who += " (" + c.Name + ")"
		}
		line := fmt.Sprintf("Clearance: %s checked the person on %s and said they may exercise; it covers %s.", who, c.CheckedOn, strings.Join(c.Signs, ", "))
		if c.Note != "" {
			line += " Note: " + c.Note
		}
		d.item(line)
	}
}

func (d *doc) programme(r *coach.Report) {
	d.heading("Current programme", 35)
	if f := r.Refusal; f != nil {
		d.colour(orange)
		d.para(f.Title + ". No exercise programme while a warning sign stands.")
		d.colour(ink)
		for _, s := range f.Signs {
			d.item(fmt.Sprintf("%s — answered %s, at %s.", s.Words, s.When, s.Where))
		}
		d.para(f.Lift)
		return
	}
	if r.Programme == nil {
		d.para(r.ProgrammeNote)
		return
	}
	p := r.Programme.Plan.Plan
	level := "the stage's own dose"
	switch {
	case p.Level > 0:
		level = backcoach.Count(p.Level, "step", "steps") + " up from the stage's dose"
	case p.Level < 0:
		level = backcoach.Count(-p.Level, "step", "steps") + " down from the stage's dose"
	}
	d.para(fmt.Sprintf("As planned for %s: %s, about %s, %s.", p.Date, backcoach.Count(len(p.Exercises), "exercise", "exercises"), backcoach.DurationWords(p.TotalSeconds), level))
	d.Ln(1)
	for i, x := range p.Exercises {
		name := x.Name
		if x.Warmup {
			name += " (warm-up)"
		}
		dose := ""
		if i < len(r.Doses) {
			dose = r.Doses[i]
		}
		d.SetFont(font, "", 10.5)
		d.MultiCell(d.w, lineH, fmt.Sprintf("%d. %s — %s", i+1, name, dose), "", "L", false)
		d.SetFont(font, "", 9)
		d.colour(muted)
		d.SetX(margin + 5)
		d.MultiCell(d.w-5, 4.4, x.Why, "", "L", false)
		for _, c := range x.Changes {
			d.SetX(margin + 5)
			d.MultiCell(d.w-5, 4.4, "Today: "+c, "", "L", false)
		}
		d.SetFont(font, "", body)
		d.colour(ink)
	}
	for _, n := range p.Notes {
		d.small(n)
	}
}

// painChart draws the chart package's geometry, scaled to the text width.
func (d *doc) painChart(r *coach.Report) {
	g := chart.Compute(r.Series, &r.PEG, chart.Report)
	k := d.w / g.Size.W
	d.heading("Pain over the period", g.Size.H*k+25)
	if g.Empty() {
		return
	}
	x0, y0 := margin, d.GetY()
	X := func(x float64) float64 { return x0 + x*k }
	Y := func(y float64) float64 { return y0 + y*k }
	d.SetLineWidth(0.2)
	d.SetFont(font, "", 7)
	d.colour(muted)
	for _, l := range g.Grid {
		d.draw(grid)
		d.Line(X(l.X1), Y(l.Y), X(l.X2), Y(l.Y))
		d.rightText(X(l.LabelX), Y(l.LabelY)-0.4, l.Label)
	}
	if c := g.Change; c != nil {
		col := orange
		if c.Better {
			col = green
		}
		d.draw(col)
		d.SetLineWidth(0.6)
		d.SetDashPattern([]float64{1.6, 0.8}, 0)
		for _, s := range []chart.Span{c.First, c.Last} {
			d.Line(X(s.X1), Y(s.Y), X(s.X2), Y(s.Y))
		}
		d.SetDashPattern(nil, 0)
		d.SetLineWidth(0.2)
		d.colour(col)
		d.rightText(X(c.TextX), Y(c.TextY), c.Text)
		d.colour(muted)
	}
	d.fill(green)
	for _, b := range g.Sessions {
		d.Rect(X(b.X), Y(b.Y), b.W*k, b.H*k, "F")
	}
	d.draw(orange)
	d.SetLineWidth(0.4)
	d.SetDashPattern([]float64{0.8, 0.5}, 0)
	for _, t := range g.Ticks {
		d.Line(X(t.X), Y(t.Y1), X(t.X), Y(t.Y2))
	}
	d.SetDashPattern(nil, 0)
	d.draw(accent)
	d.SetLineWidth(0.7)
	for _, run := range g.Lines {
		for i := 1; i < len(run); i++ {
			d.Line(X(run[i-1].X), Y(run[i-1].Y), X(run[i].X), Y(run[i].Y))
		}
	}
	d.fill(accent)
	for _, dot := range g.Dots {
		d.Circle(X(dot.X), Y(dot.Y), dot.R*k, "F")
	}
	d.fill(orange)
	for _, p := range g.PEG {
		s := 5 * k
		d.Polygon([]fpdf.PointType{{X: X(p.X), Y: Y(p.Y) - s}, {X: X(p.X) + s, Y: Y(p.Y)}, {X: X(p.X), Y: Y(p.Y) + s}, {X: X(p.X) - s, Y: Y(p.Y)}}, "F")
	}
	if h := g.Highest; h != nil {
		d.colour(ink)
		d.centreText(X(h.X), Y(h.LabelY), h.Text)
		d.colour(muted)
	}
	for _, l := range g.Labels {
		d.centreText(X(l.X), Y(l.Y), l.Text)
	}
	d.SetY(y0 + g.Size.H*k)
	d.small("The line is the mean pain of each day (0–10), dashed ticks the day's highest, green marks the days with a guided session, diamonds the weekly PEG scores. " +
		"Dashed lines over the first and last days of the period mark a meaningful change (2 points or 30 %) when there is one.")
	d.Ln(1)
	d.SetFont(font, "", body)
	d.colour(ink)
	d.para(g.Summary)
	if r.Change != nil {
		d.para(fmt.Sprintf("From the first %d days of the period to the last %d: %s", partOf(r), partOf(r), r.Change.Words("the average pain")))
	}
}

func partOf(r *coach.Report) int {
	return diary.ComparePart(len(r.Series.Days))
}

func (d *doc) rightText(x, y float64, s string) { d.Text(x-d.GetStringWidth(s), y, s) }
func (d *doc) centreText(x, y float64, s string) {
	d.Text(x-d.GetStringWidth(s)/2, y, s)
}

// adherence draws a calendar of the period, a week a row, with each day's
// sessions.
func (d *doc) adherence(r *coach.Report) {
	days := r.Series.Days
	weeks := (len(days)+6)/7 + 1
	cell := 7.0
	d.heading("Adherence: guided sessions a day", float64(weeks)*cell+22)
	active := 0
	for _, x := range days {
		if x.Sessions > 0 {
			active++
		}
	}
	d.para(fmt.Sprintf("%s on %s of %d days.", backcoach.Count(r.Series.Sessions, "session", "sessions"), backcoach.Count(active, "day", "days"), len(days)))
	d.Ln(1)
	if len(days) == 0 {
		return
	}
	cw := d.w / 8
	d.SetFont(font, "", 8)
	d.colour(muted)
	d.CellFormat(cw, 5, "Week of", "", 0, "L", false, 0, "")
	for _, n := range []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} {
		d.CellFormat(cw, 5, n, "", 0, "C", false, 0, "")
	}
	d.Ln(5)
	first, _ := time.Parse(backcoach.DateLayout, days[0].Date)
	offset := (int(first.Weekday()) + 6) % 7 // Monday first
	for row := 0; row*7-offset < len(days); row++ {
		if _, h := d.GetPageSize(); d.GetY()+cell > h-margin-8 {
			d.AddPage()
		}
		d.SetFont(font, "", 8)
		d.colour(muted)
		start := max(row*7-offset, 0)
		d.CellFormat(cw, cell, chart.ShortDate(days[start].Date), "", 0, "L", false, 0, "")
		for col := range 7 {
			i := row*7 + col - offset
			if i < 0 || i >= len(days) {
				d.CellFormat(cw, cell, "", "", 0, "C", false, 0, "")
				continue
			}
			day := days[i]
			text, fill := day.Date[8:], false
			if day.Sessions > 0 {
				text += fmt.Sprintf(" · %d", day.Sessions)
				d.fill([3]int{205, 232, 212})
				fill = true
			}
			d.draw(grid)
			d.colour(ink)
			d.CellFormat(cw, cell, text, "1", 0, "C", fill, 0, "")
		}
		d.Ln(cell)
	}
	d.SetFont(font, "", body)
	d.colour(ink)
	d.small("Each day shows its date and, after the dot, the number of guided sessions started that day.")
}

func (d *doc) notes(r *coach.Report) {
	d.heading("Notes from the check-ins", 20)
	if len(r.Notes) == 0 {
		d.para("No notes in this period.")
		return
	}
	for _, n := range r.Notes {
		d.item(fmt.Sprintf("%s (pain %d): %s", n.Date, n.Pain, n.Text))
	}
}

func (d *doc) sources(r *coach.Report) {
	d.heading("Sources", 20)
	for _, s := range r.Sources {
		line := s.Name + " — " + s.Full
		if s.URL != "" {
			line += " " + s.URL
		}
		d.SetFont(font, "", 8.5)
		d.item(line)
	}
	d.SetFont(font, "", body)
}

// weeksWords writes how long the pain has lasted: "1 week", "2.5 weeks".
func weeksWords(w float64) string {
	if w == 1 {
		return "1 week"
	}
	return chart.Num(w) + " weeks"
}
