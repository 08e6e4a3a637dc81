package breaks

import (
	"reflect"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

func TestConfigFromDefaultSettingsIsTheDefault(t *testing.T) {
	loc := time.FixedZone("test", 3600)
	got := ConfigFrom(backcoach.DefaultBreakSettings(), loc)
	want := DefaultConfig()
	want.Location = loc
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the default settings give\n%+v\nwant the default configuration\n%+v", got, want)
	}
}

// TestValidSettingsGiveValidConfig walks the edges of every setting: what
// the settings allow, the engine takes.
func TestValidSettingsGiveValidConfig(t *testing.T) {
	everies := []int{0, backcoach.MinBreakEveryMinutes, 61, backcoach.MaxBreakEveryMinutes}
	fors := []int{backcoach.MinBreakForMinutes, 4, backcoach.MaxBreakForMinutes}
	checked := 0
	for _, me := range everies {
		for _, mf := range fors {
			for _, se := range everies {
				for _, lim := range []int{0, 1, backcoach.MaxDailyLimitMinutes} {
					for _, snooze := range []int{backcoach.MinSnoozeMinutes, backcoach.MaxSnoozeMinutes} {
						s := backcoach.BreakSettings{MovementEveryMinutes: me, MovementForMinutes: mf, StretchEveryMinutes: se,
							StretchForMinutes: backcoach.MinBreakForMinutes, DailyLimitMinutes: lim, ResetHour: 23, SnoozeMinutes: snooze}
						if s.Validate() != nil {
							continue
						}
						c := ConfigFrom(s, time.UTC)
						if err := c.Validate(); err != nil {
							t.Errorf("settings %+v are valid but give an invalid configuration: %v", s, err)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d valid combinations checked", checked)
	}
}
