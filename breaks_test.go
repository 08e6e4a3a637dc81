package backcoach

import (
	"strings"
	"testing"
)

func TestBreakSettingsValidate(t *testing.T) {
	good := DefaultBreakSettings()
	if err := good.Validate(); err != nil {
		t.Fatalf("the defaults are invalid: %v", err)
	}
	edges := []func(s *BreakSettings){
		func(s *BreakSettings) { s.MovementEveryMinutes = 0 },
		func(s *BreakSettings) { s.StretchEveryMinutes = 0 },
		func(s *BreakSettings) {
			s.MovementEveryMinutes, s.MovementForMinutes = MinBreakEveryMinutes, MinBreakEveryMinutes-1
		},
		func(s *BreakSettings) {
			s.StretchEveryMinutes, s.StretchForMinutes = MaxBreakEveryMinutes, MaxBreakForMinutes
		},
		func(s *BreakSettings) { s.DailyLimitMinutes = MaxDailyLimitMinutes },
		func(s *BreakSettings) { s.ResetHour = 23 },
		func(s *BreakSettings) { s.SnoozeMinutes = MaxSnoozeMinutes },
	}
	for i, edge := range edges {
		s := good
		edge(&s)
		if err := s.Validate(); err != nil {
			t.Errorf("edge %d is allowed but refused: %v", i, err)
		}
	}
	for _, c := range []struct {
		field, says string
		spoil       func(s *BreakSettings)
	}{
		{"movement_every_minutes", "from 5 to 720", func(s *BreakSettings) { s.MovementEveryMinutes = 4 }},
		{"stretch_every_minutes", "got 721", func(s *BreakSettings) { s.StretchEveryMinutes = 721 }},
		{"movement_for_minutes", "from 1 to 60", func(s *BreakSettings) { s.MovementForMinutes = 0 }},
		{"stretch_for_minutes", "shorter than stretch_every_minutes", func(s *BreakSettings) { s.StretchEveryMinutes, s.StretchForMinutes = 20, 20 }},
		{"movement_every_minutes", "cannot both be 0", func(s *BreakSettings) { s.MovementEveryMinutes, s.StretchEveryMinutes = 0, 0 }},
		{"daily_limit_minutes", "0 (no limit)", func(s *BreakSettings) { s.DailyLimitMinutes = -1 }},
		{"daily_limit_minutes", "1440", func(s *BreakSettings) { s.DailyLimitMinutes = 1441 }},
		{"reset_hour", "from 0 to 23", func(s *BreakSettings) { s.ResetHour = 24 }},
		{"snooze_minutes", "from 1 to 120", func(s *BreakSettings) { s.SnoozeMinutes = 0 }},
	} {
		s := good
		c.spoil(&s)
		e, ok := s.Validate().(*Error)
		if !ok || e.Field != c.field || e.Code != EINVALID || !strings.Contains(e.Message, c.says) {
			t.Errorf("%s: got %v, want an error about %s saying %q", c.field, s.Validate(), c.field, c.says)
		}
	}
}
