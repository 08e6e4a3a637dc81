package triage

import (
	"slices"
	"sort"
	"time"

	"github.com/backcoach/backcoach"
)

// RecentSurgeryDays is how long an answer of recent spine surgery stands
// without a clearance: the question asks about the last 3 months, so three
// months after the answer it no longer applies (docs/clinical.md §3).
const RecentSurgeryDays = 92

// recentSurgery is the id of the history sign that runs out.
const recentSurgery = "recent_spine_surgery"

// StandingSign is a warning sign in force in a person's safety record:
// answered yes, and not lifted.
type StandingSign struct {
	Sign
	// At, Kind and Via say when and where it was last answered yes.
	At   time.Time            `json:"at"`
	Kind backcoach.ScreenKind `json:"kind"`
	Via  backcoach.Via        `json:"via"`
	// Cleared is true when a clinician has cleared it and the fresh
	// screen that lifts it is still to be answered.
	Cleared bool `json:"cleared"`
}

// Standing is what a person's safety record says today (docs/clinical.md
// §3): the signs that stand, how urgent they are together, and the
// history signs a clinician has cleared.
type Standing struct {
	// Signs are the signs in force, most urgent first, then newest first.
	Signs []StandingSign `json:"signs"`
	// Urgency is the level the standing signs call for together,
	// combinations with cleared history signs included; self_care when
	// none stands.
	Urgency backcoach.Urgency `json:"urgency"`
	// Blocked is true while exercise is refused: an emergency or urgent
	// sign stands.
	Blocked bool `json:"blocked"`
	// Cleared are the history signs a clinician has cleared for good:
	// they no longer bar exercise, but keep the plan gentle
	// (AssessCleared).
	Cleared []string `json:"cleared"`
	// AwaitingScreen is true when a clearance waits for a fresh screen
	// without new signs to lift what it covers.
	AwaitingScreen bool `json:"awaiting_screen"`
}

// ClearedHistory returns the history signs that no longer bar exercise
// once the next clean screen is answered: those cleared for good, and the
// history signs a clinician's clearance covers that wait for that screen.
// An assessment judges its history signs with these.
func (s *Standing) ClearedHistory() []string {
	out := slices.Clone(s.Cleared)
	for _, x := range s.Signs {
		if x.Cleared && x.History {
			out = append(out, x.ID)
		}
	}
	sort.Strings(out)
	return out
}

// IDs returns the ids of the standing signs.
func (s *Standing) IDs() []string {
	ids := make([]string, len(s.Signs))
	for i, x := range s.Signs {
		ids[i] = x.ID
	}
	return ids
}

// Advice is what the person is told while the signs stand: the advice of
// the standing urgency, then why each sign matters.
func (s *Standing) Advice() []string {
	out := slices.Clone(LevelOf(s.Urgency).Advice)
	for _, x := range s.Signs {
		if x.Why != "" && !slices.Contains(out, x.Why) {
			out = append(out, x.Why)
		}
	}
	return out
}

// Sources are the sources behind the standing signs and their advice.
func (s *Standing) Sources() []string {
	src := slices.Clone(LevelOf(s.Urgency).Sources)
	for _, x := range s.Signs {
		src = append(src, x.Sources...)
	}
	return dedupeSorted(src)
}

// event is a screen or a clearance, in time order.
type event struct {
	at        time.Time
	screen    *backcoach.Screen
	clearance *backcoach.Clearance
}

// tieRank orders events of the same instant.
func (e event) tieRank() int {
	switch {
	case e.screen != nil && len(e.screen.Signs) > 0:
		return 0
	case e.clearance != nil:
		return 1
	default:
		return 2
	}
}

// StandingOf reads a safety record at now. A sign answered yes anywhere
// stands until a clinician's clearance covers it and a complete screen
// after the clearance finds no new sign; a history sign once lifted this
// way stays cleared for good, any other sign answered yes again stands
// again. An answer of recent spine surgery runs out RecentSurgeryDays
// after it was given. Signs this program no longer knows stand as urgent:
// when unsure, the safer behaviour.
func StandingOf(rec *backcoach.SafetyRecord, now time.Time) Standing {
	var events []event
	if rec != nil {
		for i := range rec.Screens {
			events = append(events, event{at: rec.Screens[i].At, screen: &rec.Screens[i]})
		}
		for i := range rec.Clearances {
			events = append(events, event{at: rec.Clearances[i].RecordedAt, clearance: &rec.Clearances[i]})
		}
	}
	// In time order. At the same instant (a clock that did not move): the
	// signs answered first, then a clearance, which may cover them, then
	// clean screens, which count as the fresh screen after it.
	sort.SliceStable(events, func(i, j int) bool {
		if events[i].at.Equal(events[j].at) {
			return events[i].tieRank() < events[j].tieRank()
		}
		return events[i].at.Before(events[j].at)
	})

	standing := map[string]StandingSign{}
	cleared := map[string]bool{} // history signs cleared for good
	pending := map[string]bool{} // cleared, waiting for a fresh screen
	for _, ev := range events {
		if c := ev.clearance; c != nil {
			for _, id := range c.Signs {
				if _, ok := standing[id]; ok {
					pending[id] = true
				}
			}
			continue
		}
		sc := ev.screen
		fresh := true
		for _, id := range sc.Signs {
			sign := signOrUnknown(id)
			if sign.History && (cleared[id] || pending[id]) {
				// The same history, told again: nothing new.
				continue
			}
			fresh = false
			standing[id] = StandingSign{Sign: sign, At: sc.At, Kind: sc.Kind, Via: sc.Via}
			delete(pending, id)
		}
		if fresh && sc.Complete && len(pending) > 0 {
			for id := range pending {
				if standing[id].History {
					cleared[id] = true
				}
				delete(standing, id)
			}
			clear(pending)
		}
	}
	if s, ok := standing[recentSurgery]; ok && now.Sub(s.At) > RecentSurgeryDays*24*time.Hour {
		delete(standing, recentSurgery)
		delete(pending, recentSurgery)
	}

	out := Standing{Urgency: backcoach.UrgencySelfCare, Cleared: []string{}, Signs: []StandingSign{}}
	for id := range cleared {
		out.Cleared = append(out.Cleared, id)
	}
	sort.Strings(out.Cleared)
	for id, s := range standing {
		s.Cleared = pending[id]
		out.Signs = append(out.Signs, s)
	}
	sort.Slice(out.Signs, func(i, j int) bool {
		a, b := out.Signs[i], out.Signs[j]
		if a.Urgency != b.Urgency {
			return a.Urgency.Rank() > b.Urgency.Rank()
		}
		if !a.At.Equal(b.At) {
			return a.At.After(b.At)
		}
		return a.ID < b.ID
	})
	out.AwaitingScreen = len(pending) > 0
	out.Urgency = urgencyOf(out.IDs(), out.Cleared)
	out.Blocked = !out.Urgency.ExerciseAllowed()
	return out
}

// signOrUnknown returns the sign with the id, or an urgent sign that
// names the unknown id.
func signOrUnknown(id string) Sign {
	if s, ok := LookupSign(id); ok {
		return s
	}
	return Sign{ID: id, Urgency: backcoach.UrgencyUrgent, Words: id}
}

// urgencyOf is the urgency of signs standing together: the most urgent of
// them, raised by any combination they make with each other and with the
// cleared history signs.
func urgencyOf(standing, cleared []string) backcoach.Urgency {
	u := backcoach.UrgencySelfCare
	if len(standing) == 0 {
		return u
	}
	for _, id := range standing {
		if s := signOrUnknown(id); s.Urgency.Rank() > u.Rank() {
			u = s.Urgency
		}
	}
	all := &backcoach.Answers{Flags: slices.Concat(standing, cleared)}
	for _, k := range content.Combinations {
		if k.matches(all) && k.Urgency.Rank() > u.Rank() {
			u = k.Urgency
		}
	}
	return u
}

// WithStanding folds what stands in the safety record into a result: while
// the record bars exercise, so does the result, at the record's urgency
// when that is higher, naming the standing signs among its red flags, with
// the advice for that urgency and why each sign matters (advice given for
// answers that allowed exercise no longer applies). A result with nothing
// standing is returned as it is.
func WithStanding(res backcoach.Result, s Standing) backcoach.Result {
	if !s.Blocked {
		return res
	}
	out := res
	if s.Urgency.Rank() > out.Urgency.Rank() {
		out.Urgency = s.Urgency
	}
	out.ExerciseAllowed = false
	out.RedFlags = dedupeSorted(slices.Concat(res.RedFlags, s.IDs()))
	level := LevelOf(out.Urgency)
	out.Advice = slices.Clone(level.Advice)
	for _, a := range s.Advice() {
		if !slices.Contains(out.Advice, a) {
			out.Advice = append(out.Advice, a)
		}
	}
	out.Sources = dedupeSorted(slices.Concat(level.Sources, s.Sources()))
	if res.PEGScore != nil {
		out.Sources = dedupeSorted(append(out.Sources, "Krebs 2009 (PEG)"))
	}
	return out
}
