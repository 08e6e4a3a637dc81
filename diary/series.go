package diary

import (
	"time"

	"github.com/backcoach/backcoach"
)

// Periods lists the lengths, in days, a diary can be shown over.
var Periods = []int{7, 30, 90}

// CheckPeriod checks a period length.
func CheckPeriod(days int) error {
	for _, p := range Periods {
		if days == p {
			return nil
		}
	}
	return backcoach.Invalid("days", "must be 7, 30 or 90, got %d", days)
}

// Day is one calendar day of a series: the pain recorded that day and the
// guided sessions done on it.
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD in the person's time zone
	// Entries is the number of check-ins; Mean and Max mean nothing when
	// it is 0.
	Entries int     `json:"entries"`
	Mean    float64 `json:"mean"`
	Max     int     `json:"max"`
	// Sessions is the number of guided sessions started that day.
	Sessions int `json:"sessions"`
	// PEG is the day's PEG-3 score when one was recorded (the last one).
	PEG *float64 `json:"peg,omitempty"`

	sum int // the sum of the day's ratings, for exact means
}

// exactMean is the day's mean pain before rounding for display.
func (d Day) exactMean() float64 { return float64(d.sum) / float64(d.Entries) }

// HasPain reports whether pain was recorded that day.
func (d Day) HasPain() bool { return d.Entries > 0 }

// Series is the days of one period, oldest first, ending today.
type Series struct {
	Days []Day `json:"days"`
	// Mean is the mean of the days with entries (each day counts once);
	// LoggedDays how many days had entries.
	Mean       float64 `json:"mean"`
	LoggedDays int     `json:"logged_days"`
	Sessions   int     `json:"sessions"`
}

// dayKey returns the local calendar date of t.
func dayKey(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(backcoach.DateLayout)
}

// dayNumber returns the number of t's local calendar date: consecutive
// dates have consecutive numbers, so that a series finds an entry's day
// by a subtraction, without writing out its date.
func dayNumber(t time.Time, loc *time.Location) int {
	y, m, d := t.In(loc).Date()
	return civilDay(y, m, d)
}

// civilDay numbers a date of the proleptic Gregorian calendar: the days
// since 1970-01-01.
func civilDay(y int, m time.Month, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doe := yoe*365 + yoe/4 - yoe/100 + (153*mp+2)/5 + d - 1
	return era*146097 + doe - 719468
}

// civilDate is the date a civilDay number names.
func civilDate(n int) (int, time.Month, int) {
	n += 719468
	era := n / 146097
	if n < 0 && n%146097 != 0 {
		era--
	}
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}

// dayDate writes out a civilDay number as YYYY-MM-DD, as dayKey does.
func dayDate(n int) string {
	y, m, d := civilDate(n)
	if y < 0 || y > 9999 {
		return time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Format(backcoach.DateLayout)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// addDays moves a date by n calendar days, safe across daylight-saving
// changes.
func addDays(date time.Time, n int) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d+n, 12, 0, 0, 0, date.Location())
}

// localNoon returns noon of t's local day, the anchor for day arithmetic.
func localNoon(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 12, 0, 0, 0, loc)
}

// BuildSeries returns the days from days−1 days before today up to today,
// each with its pain and sessions. Entries and sessions outside the period
// are ignored; days must be one of Periods.
func BuildSeries(entries []backcoach.DiaryEntry, sessions []backcoach.Session, days int, today time.Time, loc *time.Location) (Series, error) {
	if err := CheckPeriod(days); err != nil {
		return Series{}, err
	}
	return seriesBetween(entries, sessions, addDays(localNoon(today, loc), -(days-1)), days, loc), nil
}

// seriesBetween builds n days from the local day of first.
func seriesBetween(entries []backcoach.DiaryEntry, sessions []backcoach.Session, first time.Time, n int, loc *time.Location) Series {
	s := Series{Days: make([]Day, n)}
	y, m, d := first.Date()
	base := civilDay(y, m, d)
	for i := range s.Days {
		s.Days[i].Date = dayDate(base + i)
	}
	var pegAt []time.Time // made at the first PEG
	for _, e := range entries {
		i := dayNumber(e.At, loc) - base
		if i < 0 || i >= n {
			continue
		}
		d := &s.Days[i]
		d.Entries++
		d.sum += e.Pain
		d.Max = max(d.Max, e.Pain)
		if e.PEG != nil {
			if pegAt == nil {
				pegAt = make([]time.Time, n)
			}
			if !e.At.Before(pegAt[i]) {
				score := e.PEG.Score()
				d.PEG, pegAt[i] = &score, e.At
			}
		}
	}
	for _, ss := range sessions {
		if i := dayNumber(ss.StartedAt, loc) - base; i >= 0 && i < n {
			s.Days[i].Sessions++
			s.Sessions++
		}
	}
	total := 0.0
	for i := range s.Days {
		d := &s.Days[i]
		if d.Entries == 0 {
			continue
		}
		d.Mean = round1(d.exactMean())
		total += d.exactMean()
		s.LoggedDays++
	}
	if s.LoggedDays > 0 {
		s.Mean = round1(total / float64(s.LoggedDays))
	}
	return s
}

// meanOfDays returns the mean of the daily means of the days with entries,
// each day counting once however often pain was logged on it, and how many
// days had entries.
func meanOfDays(days []Day) (float64, int) {
	total, n := 0.0, 0
	for _, d := range days {
		if d.HasPain() {
			total += d.exactMean()
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return total / float64(n), n
}

// comparePart returns how many days at each end of a period are compared
// to tell the period's change: 3 in a week, 7 in longer periods.
func comparePart(days int) int {
	if days <= 7 {
		return 3
	}
	return 7
}

// PeriodChange compares the start of the period with its end: the mean of
// its first days with its last days (3 days each in a week, 7 in longer
// periods). It is nil when either end has no entries.
func (s Series) PeriodChange() *Change {
	part := comparePart(len(s.Days))
	if len(s.Days) < 2*part {
		return nil
	}
	from, n1 := meanOfDays(s.Days[:part])
	to, n2 := meanOfDays(s.Days[len(s.Days)-part:])
	if n1 == 0 || n2 == 0 {
		return nil
	}
	c := Compare(from, to)
	return &c
}

// ComparePart returns how many days at each end of a period of the given
// length PeriodChange compares.
func ComparePart(days int) int { return comparePart(days) }

// MaxSeriesDays is the longest series SeriesFromTo builds.
const MaxSeriesDays = 366

// SeriesFromTo builds the days from first to last (YYYY-MM-DD, both
// inclusive), each with its pain and sessions, for a report over any
// period of at most MaxSeriesDays days. Errors name the field "from" or
// "to".
func SeriesFromTo(entries []backcoach.DiaryEntry, sessions []backcoach.Session, first, last string, loc *time.Location) (Series, error) {
	if loc == nil {
		loc = time.UTC
	}
	f, err := time.ParseInLocation(backcoach.DateLayout, first, loc)
	if err != nil {
		return Series{}, backcoach.Invalid("from", "must be a date YYYY-MM-DD, got %q", first)
	}
	l, err := time.ParseInLocation(backcoach.DateLayout, last, loc)
	if err != nil {
		return Series{}, backcoach.Invalid("to", "must be a date YYYY-MM-DD, got %q", last)
	}
	if l.Before(f) {
		return Series{}, backcoach.Invalid("to", "must be on or after from (%s), got %s", first, last)
	}
	f, l = localNoon(f, loc), localNoon(l, loc)
	n := 1
	for d := f; d.Before(l); d = addDays(d, 1) {
		if n++; n > MaxSeriesDays {
			return Series{}, backcoach.Invalid("to", "must be at most %d days after from, got %s to %s", MaxSeriesDays-1, first, last)
		}
	}
	return seriesBetween(entries, sessions, f, n, loc), nil
}
