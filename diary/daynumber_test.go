package diary

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// The days' numbers name the same dates as the calendar of the time
// package, one after the other, and write them out as dayKey does.
func TestDayNumbers(t *testing.T) {
	t.Parallel()
	d := time.Date(1600, 1, 1, 12, 0, 0, 0, time.UTC)
	prev := civilDay(d.Date()) - 1
	for d.Year() <= 2400 {
		n := civilDay(d.Date())
		if n != prev+1 {
			t.Fatalf("%s is day %d, the day before %d", d.Format(backcoach.DateLayout), n, prev)
		}
		if want := (d.Unix() - 43200) / 86400; int64(n) != want {
			t.Fatalf("%s is day %d, want %d", d.Format(backcoach.DateLayout), n, want)
		}
		if got, want := dayDate(n), d.Format(backcoach.DateLayout); got != want {
			t.Fatalf("day %d written %q, want %q", n, got, want)
		}
		prev = n
		d = d.AddDate(0, 0, 1)
	}
	for _, y := range []int{-4001, -401, -400, -1, 0, 1, 9999, 10000, 12345} {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {2, 29}, {3, 1}, {12, 31}} {
			d := time.Date(y, time.Month(md[0]), md[1], 12, 0, 0, 0, time.UTC)
			n := civilDay(d.Date())
			if want := (d.Unix() - 43200) / 86400; int64(n) != want {
				t.Errorf("%v is day %d, want %d", d, n, want)
			}
			if got, want := dayDate(n), d.Format(backcoach.DateLayout); got != want {
				t.Errorf("day %d written %q, want %q", n, got, want)
			}
		}
	}
}

// seriesByKey is the series as it was built before the days' numbers:
// each day found by its date written out. The series must not change.
func seriesByKey(entries []backcoach.DiaryEntry, sessions []backcoach.Session, first time.Time, n int, loc *time.Location) Series {
	s := Series{Days: make([]Day, n)}
	index := make(map[string]int, n)
	for i := range s.Days {
		d := addDays(first, i).Format(backcoach.DateLayout)
		s.Days[i].Date = d
		index[d] = i
	}
	pegAt := make([]time.Time, n)
	for _, e := range entries {
		i, ok := index[dayKey(e.At, loc)]
		if !ok {
			continue
		}
		d := &s.Days[i]
		d.Entries++
		d.sum += e.Pain
		d.Max = max(d.Max, e.Pain)
		if e.PEG != nil && !e.At.Before(pegAt[i]) {
			score := e.PEG.Score()
			d.PEG, pegAt[i] = &score, e.At
		}
	}
	for _, ss := range sessions {
		if i, ok := index[dayKey(ss.StartedAt, loc)]; ok {
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

// highByKey is the single-rating rule as it was: by the dates written out.
func highByKey(entries []backcoach.DiaryEntry, from, to string, loc *time.Location) (int, string) {
	high, date := 0, ""
	for _, e := range entries {
		d := dayKey(e.At, loc)
		if d < from || d > to {
			continue
		}
		if e.Pain > high || (e.Pain == high && d > date) {
			high, date = e.Pain, d
		}
	}
	return high, date
}

// Random diaries around the daylight-saving changes of three zones give
// the same series and the same worsening as by the dates written out.
func TestSeriesByDayNumberAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 200))
	for _, name := range []string{"Europe/London", "Pacific/Auckland", "America/New_York", "UTC"} {
		loc := mustZone(name)
		for _, now := range []time.Time{
			time.Date(2026, 3, 29, 23, 30, 0, 0, loc), time.Date(2026, 4, 5, 0, 30, 0, 0, loc),
			time.Date(2026, 10, 26, 1, 15, 0, 0, loc), time.Date(2026, 11, 2, 23, 59, 0, 0, loc),
			time.Date(2028, 2, 29, 12, 0, 0, 0, loc), time.Date(2026, 12, 31, 23, 0, 0, 0, loc),
		} {
			for range 20 {
				var entries []backcoach.DiaryEntry
				var sessions []backcoach.Session
				for range rng.IntN(80) {
					at := now.Add(-time.Duration(rng.Int64N(int64(100 * 24 * time.Hour))))
					e := backcoach.DiaryEntry{At: at, Pain: rng.IntN(11)}
					if rng.IntN(5) == 0 {
						e.PEG = &backcoach.PEG{Pain: rng.IntN(11), Enjoyment: rng.IntN(11), Activity: rng.IntN(11)}
					}
					entries = append(entries, e)
					sessions = append(sessions, backcoach.Session{StartedAt: at.Add(time.Duration(rng.IntN(3600)) * time.Second)})
				}
				for _, days := range Periods {
					first := addDays(localNoon(now, loc), -(days - 1))
					got, want := seriesBetween(entries, sessions, first, days, loc), seriesByKey(entries, sessions, first, days, loc)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s, %v, %d days: series\n%+v\nwant\n%+v", name, now, days, got, want)
					}
				}
				start := now.AddDate(0, 0, -rng.IntN(90))
				w := CheckWorsening(entries, start, now, loc)
				high, date := highByKey(entries, w.Recent.From, w.Recent.To, loc)
				if w.Highest != high || w.HighestDate != date {
					t.Fatalf("%s, %v: highest %d on %q, want %d on %q", name, now, w.Highest, w.HighestDate, high, date)
				}
			}
		}
	}
}
