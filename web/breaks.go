package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/offer"
	"github.com/backcoach/backcoach/catalog"
)

// The web app's side of the break reminder: the settings form, and the
// page a started break opens. The reminder itself runs on the server
// (package breaks/live, reached through the API); the page's script only
// reports activity and shows what the server sends.

// breakForm is the settings' Break reminders section, with what was typed
// and what was wrong. Its field names are the settings' own.
type breakForm struct {
	Enabled       bool
	MovementEvery string
	MovementFor   string
	StretchEvery  string
	StretchFor    string
	DailyLimit    string
	ResetHour     string
	Snooze        string
	Errors        map[string]string
}

// newBreakForm shows stored settings.
func newBreakForm(b *backcoach.BreakSettings) breakForm {
	f := breakForm{
		Enabled:       b.Enabled,
		MovementEvery: strconv.Itoa(b.MovementEveryMinutes), MovementFor: strconv.Itoa(b.MovementForMinutes),
		StretchEvery: strconv.Itoa(b.StretchEveryMinutes), StretchFor: strconv.Itoa(b.StretchForMinutes),
		ResetHour: strconv.Itoa(b.ResetHour), Snooze: strconv.Itoa(b.SnoozeMinutes), Errors: map[string]string{},
	}
	if b.DailyLimitMinutes > 0 {
		f.DailyLimit = strconv.Itoa(b.DailyLimitMinutes)
	}
	return f
}

// readBreakForm reads the section as it was sent.
func readBreakForm(r *http.Request) breakForm {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return breakForm{
		Enabled:       r.PostFormValue("enabled") == "1",
		MovementEvery: v("movement_every_minutes"), MovementFor: v("movement_for_minutes"),
		StretchEvery: v("stretch_every_minutes"), StretchFor: v("stretch_for_minutes"),
		DailyLimit: v("daily_limit_minutes"), ResetHour: v("reset_hour"), Snooze: v("snooze_minutes"),
		Errors: map[string]string{},
	}
}

// settings turns the form into settings, with every problem of the
// form: the fields that are not numbers, and what the rules refuse.
func (f breakForm) settings() (backcoach.BreakSettings, formErrors) {
	s := backcoach.BreakSettings{Enabled: f.Enabled}
	def := backcoach.DefaultBreakSettings()
	fe := formErrors{}
	fields := []struct {
		field, value, allowed string
		to, def               *int
		empty                 bool
	}{
		{"movement_every_minutes", f.MovementEvery, "a whole number of minutes, 0 to turn movement breaks off", &s.MovementEveryMinutes, &def.MovementEveryMinutes, false},
		{"movement_for_minutes", f.MovementFor, "a whole number of minutes", &s.MovementForMinutes, &def.MovementForMinutes, false},
		{"stretch_every_minutes", f.StretchEvery, "a whole number of minutes, 0 to turn stretch breaks off", &s.StretchEveryMinutes, &def.StretchEveryMinutes, false},
		{"stretch_for_minutes", f.StretchFor, "a whole number of minutes", &s.StretchForMinutes, &def.StretchForMinutes, false},
		{"daily_limit_minutes", f.DailyLimit, "a whole number of minutes, or empty for no limit", &s.DailyLimitMinutes, &def.DailyLimitMinutes, true},
		{"reset_hour", f.ResetHour, "an hour from 0 to 23", &s.ResetHour, &def.ResetHour, false},
		{"snooze_minutes", f.Snooze, "a whole number of minutes", &s.SnoozeMinutes, &def.SnoozeMinutes, false},
	}
	for _, n := range fields {
		if n.value == "" && n.empty {
			continue
		}
		v, err := strconv.Atoi(n.value)
		if err != nil {
			fe.add(backcoach.Invalid(n.field, "must be %s, got %q", n.allowed, clipPath(n.value)))
			v = *n.def
		}
		*n.to = v
	}
	check := s
	everyError(fe, check.Validate, func(field string) {
		switch field {
		case "movement_every_minutes":
			check.MovementEveryMinutes = def.MovementEveryMinutes
		case "movement_for_minutes":
			check.MovementForMinutes = min(def.MovementForMinutes, max(check.MovementEveryMinutes-1, 1))
		case "stretch_every_minutes":
			check.StretchEveryMinutes = def.StretchEveryMinutes
		case "stretch_for_minutes":
			check.StretchForMinutes = min(def.StretchForMinutes, max(check.StretchEveryMinutes-1, 1))
		case "daily_limit_minutes":
			check.DailyLimitMinutes = def.DailyLimitMinutes
		case "reset_hour":
			check.ResetHour = def.ResetHour
		case "snooze_minutes":
			check.SnoozeMinutes = def.SnoozeMinutes
		}
	})
	return s, fe
}

// saveBreakSettings keeps the Break reminders section and restarts a
// reminder running for the person with it.
func (s *Server) saveBreakSettings(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	f := readBreakForm(r)
	b, fe := f.settings()
	var err error
	if len(fe) > 0 {
		err = errFormProblems
	} else {
		err = s.store.SaveBreakSettings(r.Context(), me.ID, &b)
		if backcoach.ErrorCode(err) == backcoach.EINVALID {
			fe.add(err)
		}
	}
	s.afterSettingsSave(w, r, me, err, func(v *settingsView) { f.Errors = fe; v.Breaks = f },
		"restarting the break reminder with new settings", "/settings?saved=breaks#breaks-title")
}

// breakView is the page of one break: what it offers, with the
// exercises' pictures, doses and steps, or rest and the advice.
type breakView struct {
	Title   string
	Offer   offer.Offer
	Cards   []planCard
	Length  string
	Refusal *refusalView
	// StopRule is when to stop an exercise (docs/clinical.md §5).
	StopRule string
}

func (breakView) title() (string, string) { return "Break", "today" }

// maxBreakSeq bounds a break's number in the address.
const maxBreakSeq = 1000

// breakPage shows the break a reminder started (/break?kind=K&seq=N): the
// same offer the reminder made, worked out again from the person's data.
func (s *Server) breakPage(w http.ResponseWriter, r *http.Request, me *backcoach.Person) {
	b, err := breakOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.breakData(r.Context(), me, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.StopRule = s.catalog.StopRule(catalog.StopUsual).Summary
	s.render(w, r, "break", v)
}

// breakOf reads the break's kind and number from the address.
func breakOf(r *http.Request) (breaks.Break, error) {
	q := r.URL.Query()
	kind := q.Get("kind")
	if kind == "" {
		kind = string(breaks.Movement)
	}
	k, err := breaks.ParseKind(kind)
	if err != nil {
		return breaks.Break{}, err
	}
	seq := 1
	if v := q.Get("seq"); v != "" {
		if seq, err = strconv.Atoi(v); err != nil || seq < 1 || seq > maxBreakSeq {
			return breaks.Break{}, backcoach.Invalid("seq", "must be the break's number today, from 1 to %d, got %q", maxBreakSeq, clipPath(v))
		}
	}
	return breaks.Break{Kind: k, Seq: seq}, nil
}

// breakData works out what the break offers the person today, by the same
// rules and data as the reminder (the coach's BreakOffer): rest and what
// to do while a warning sign stands.
func (s *Server) breakData(ctx context.Context, me *backcoach.Person, b breaks.Break) (*breakView, error) {
	d, err := s.day(ctx, me)
	if err != nil {
		return nil, err
	}
	settings, err := s.store.BreakSettings(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	cfg := breaks.ConfigFrom(*settings, d.Loc)
	b.For = cfg.Rule(b.Kind).For
	e, err := breaks.New(cfg)
	if err != nil {
		return nil, err
	}
	o, err := s.coach.BreakOffer(ctx, me.ID, b, max(cfg.Rule(b.Kind).Exercises, 1), e.DayOf(d.Now))
	if err != nil {
		return nil, err
	}
	v := &breakView{Offer: o, Length: backcoach.DurationWords(int(b.For / time.Second)), Title: breakTitle(b.Kind, o.Rest)}
	if o.Rest {
		v.Refusal = newRefusalView(d.Refusal(), d.Profile)
		return v, nil
	}
	v.Cards, _ = s.cards(backcoach.Plan{Exercises: o.Exercises})
	return v, nil
}

// breakTitle is the heading of a break's page.
func breakTitle(k breaks.Kind, rest bool) string {
	switch {
	case rest:
		return "A break: rest today"
	case k == breaks.Stretch:
		return "Stretch break"
	}
	return "Movement break"
}

// remindersOn reports whether the person turned on the reminders of the
// web app, for the layout: its pages then carry the reminder's prompt.
func (s *Server) remindersOn(ctx context.Context, me *backcoach.Person) bool {
	if me == nil {
		return false
	}
	b, err := s.store.BreakSettings(ctx, me.ID)
	return err == nil && b.Enabled
}
