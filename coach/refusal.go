package coach

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// Refusal says why exercise is refused while a warning sign stands in the
// safety record, what to do now, and how the refusal is lifted
// (docs/clinical.md §3). Every interface shows it the same way.
type Refusal struct {
	Urgency backcoach.Urgency `json:"urgency"`
	// Title is what to do, as a heading: "Call an ambulance now".
	Title string `json:"title"`
	// Signs are the standing signs, most urgent first.
	Signs []RefusedSign `json:"signs"`
	// Advice is what to do now, then why each sign matters.
	Advice  []string `json:"advice"`
	Sources []string `json:"sources"`
	// AwaitingScreen is true when a clinician's clearance is recorded
	// and a fresh check without new signs is all that is still needed.
	AwaitingScreen bool `json:"awaiting_screen"`
	// Lift says how the refusal is lifted.
	Lift string `json:"lift"`
}

// RefusedSign is one standing sign, said for the person.
type RefusedSign struct {
	ID      string            `json:"id"`
	Urgency backcoach.Urgency `json:"urgency"`
	// Words is the question that was answered yes, or what a rule found.
	Words string `json:"words"`
	// When and Where say when (in the person's zone) and where it was
	// answered: "3 Dec 2026, 09:12", "a check-in in the web app".
	At    time.Time `json:"at"`
	When  string    `json:"when"`
	Where string    `json:"where"`
	// Cleared is true when a clinician's clearance covers it and only
	// the fresh check is still to come.
	Cleared bool `json:"cleared"`
}

// How a refusal is lifted (docs/clinical.md §3).
const (
	liftByClearance = "Exercise comes back once a GP, physiotherapist or emergency team has checked you and said you may exercise: record who and when, then answer the warning-sign questions again."
	liftByScreen    = "A clinician's clearance is recorded: answer the warning-sign questions again, and if nothing new has appeared, exercise comes back."
)

func newRefusal(s triage.Standing, loc *time.Location) *Refusal {
	r := &Refusal{
		Urgency: s.Urgency, Title: triage.LevelOf(s.Urgency).Title, Advice: s.Advice(), Sources: s.Sources(),
		AwaitingScreen: s.AwaitingScreen, Lift: liftByClearance,
	}
	allCleared := true
	for _, x := range s.Signs {
		r.Signs = append(r.Signs, RefusedSign{
			ID: x.ID, Urgency: x.Urgency, Words: x.Words, At: x.At, When: x.At.In(loc).Format("2 Jan 2006, 15:04"),
			Where: WhereWords(x.Kind, x.Via), Cleared: x.Cleared,
		})
		allCleared = allCleared && x.Cleared
	}
	if allCleared {
		r.Lift = liftByScreen
	}
	return r
}

// WhereWords says where a screen was answered: "a check-in in the web
// app".
func WhereWords(kind backcoach.ScreenKind, via backcoach.Via) string {
	what := map[backcoach.ScreenKind]string{
		backcoach.ScreenAssessment: "the safety check",
		backcoach.ScreenCheckIn:    "a check-in",
		backcoach.ScreenSession:    "a stop during a session",
		backcoach.ScreenBreak:      "a break reminder",
	}[kind]
	if what == "" {
		what = string(kind)
	}
	in := map[backcoach.Via]string{
		backcoach.ViaWeb:      " in the web app",
		backcoach.ViaAPI:      " through the API",
		backcoach.ViaTerminal: " in the terminal",
		backcoach.ViaDesktop:  " on the desktop",
	}[via]
	return what + in
}

// IDs returns the ids of the refused signs.
func (r *Refusal) IDs() []string {
	ids := make([]string, len(r.Signs))
	for i, s := range r.Signs {
		ids[i] = s.ID
	}
	return ids
}

// Err is the refusal as an error for the edges: EFORBIDDEN, naming each
// sign with when and where it was answered.
func (r *Refusal) Err() error { return &RefusalError{Refusal: r} }

// RefusalError is the error a use case returns when the safety record
// bars exercise. The API turns it into a problem document that names the
// signs; other edges show the Refusal itself.
type RefusalError struct {
	Refusal *Refusal
}

// Error says what stands and how it is lifted.
func (e *RefusalError) Error() string {
	var parts []string
	for _, s := range e.Refusal.Signs {
		parts = append(parts, fmt.Sprintf("%s (%s, answered at %s on %s)", s.ID, s.Urgency, s.Where, s.At.UTC().Format(time.RFC3339)))
	}
	return fmt.Sprintf("exercise is not allowed while a warning sign stands: %s. %s %s",
		strings.Join(parts, "; "), e.Refusal.Title+".", e.Refusal.Lift)
}

// Unwrap makes the refusal an EFORBIDDEN domain error.
func (e *RefusalError) Unwrap() error {
	return &backcoach.Error{Code: backcoach.EFORBIDDEN, Message: e.Error()}
}

// Refused returns the refusal an error carries, or nil.
func Refused(err error) *Refusal {
	var re *RefusalError
	if errors.As(err, &re) {
		return re.Refusal
	}
	return nil
}

// RefusalOf says an assessment's own result that bars exercise as a
// refusal: its signs as answered at the safety check taken at at.
func RefusalOf(res backcoach.Result, at time.Time, loc *time.Location) *Refusal {
	r := &Refusal{Urgency: res.Urgency, Title: triage.LevelOf(res.Urgency).Title, Advice: res.Advice, Sources: res.Sources, Lift: liftByClearance}
	for _, id := range res.RedFlags {
		s, ok := triage.LookupSign(id)
		if !ok {
			continue
		}
		r.Signs = append(r.Signs, RefusedSign{ID: id, Urgency: s.Urgency, Words: s.Words, At: at,
			When: at.In(loc).Format("2 Jan 2006, 15:04"), Where: "the safety check"})
	}
	return r
}
