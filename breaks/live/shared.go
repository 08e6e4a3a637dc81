package live

import (
	"context"
	"errors"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
	"github.com/backcoach/backcoach/breaks/host"
)

// Several servers may share one database, each with a hub, and a person's
// pages may reach any of them: each server then runs a reminder for the
// person. What they must agree on is kept in the database: the day's
// figures (saved by each, merged by the store, which keeps each figure's
// larger value) and the pause, which a hub saves when the person pauses or
// resumes and every hub reads before it acts for the person. A store
// without pauses (not a backcoach.BreakPauseService) keeps each hub's
// pauses to itself.

// pauses returns the store of pauses, nil when the store keeps none.
func (h *Hub) pauses() backcoach.BreakPauseService {
	ps, _ := h.cfg.Store.(backcoach.BreakPauseService)
	return ps
}

// member returns the person's reminder (see findMember), after taking on
// a pause set through another server since this one last looked.
func (h *Hub) member(ctx context.Context, person string) (*member, error) {
	m, err := h.findMember(ctx, person)
	if err != nil {
		return nil, err
	}
	m.syncPause(ctx)
	return m, nil
}

// pause applies a pause or its end and saves it for the other servers.
func (h *Hub) pause(ctx context.Context, person string, fn host.Action) (Status, error) {
	m, err := h.member(ctx, person)
	if err != nil {
		return Status{}, err
	}
	st, err := m.host.Do(fn, nil)
	if err != nil {
		return m.actResult(st, err)
	}
	m.savePause(ctx, st)
	return m.actResult(st, nil)
}

// savePause keeps the pause of st in the store: its end, and for a pause
// until tomorrow, the day it began in. A failure is logged: the pause
// still holds on this server.
func (m *member) savePause(ctx context.Context, st host.State) {
	ps := m.hub.pauses()
	if ps == nil {
		return
	}
	// Times as the store keeps them (to the microsecond), so that the
	// pause read back is the one saved.
	p := backcoach.BreakPause{SetAt: m.hub.clock.Now().UTC().Truncate(time.Microsecond)}
	if st.PausedUntil != nil {
		until := st.PausedUntil.UTC().Truncate(time.Microsecond)
		p.Until = &until
	}
	if st.PausedUntil != nil && st.PausedUntil.Sub(st.At) > breaks.MaxPause {
		p.Day = st.Today.Date // only a pause until tomorrow runs longer
	}
	m.mu.Lock()
	m.pauseSeen = p
	m.mu.Unlock()
	if err := ps.SaveBreakPause(ctx, m.id, p); err != nil {
		m.hub.log.Warn("saving the break reminder's pause", "person", m.id, "err", err)
	}
}

// syncPause takes on the stored pause when it is not the last one this
// reminder took on or set, and was not set before it: the engine pauses until the same time (or
// until tomorrow), or resumes.
func (m *member) syncPause(ctx context.Context) {
	ps := m.hub.pauses()
	if ps == nil {
		return
	}
	p, err := ps.BreakPause(ctx, m.id)
	if err != nil {
		m.hub.log.Warn("reading the break reminder's pause", "person", m.id, "err", err)
		return
	}
	m.mu.Lock()
	seen := m.pauseSeen
	fresh := p.SetAt.After(seen.SetAt) || p.SetAt.Equal(seen.SetAt) && !samePause(p, seen)
	if fresh {
		m.pauseSeen = p
	}
	m.mu.Unlock()
	if !fresh {
		return
	}
	now := m.hub.clock.Now()
	_, _ = m.host.Do(func(e *breaks.Engine) ([]breaks.Event, error) {
		paused := e.Status().PausedUntil != nil
		switch {
		case p.Until == nil || !p.Until.After(now):
			if paused {
				return e.Resume(), nil
			}
		case p.Day != "":
			if p.Day == e.Today().Date {
				return e.PauseUntilTomorrow(), nil
			}
		default:
			// A pause shorter than the engine allows is taken as the
			// shortest: it ends up to a minute late.
			return e.Pause(min(max(p.Until.Sub(now), breaks.MinPause), breaks.MaxPause))
		}
		return nil, nil
	}, nil)
}

// samePause reports whether two pauses are one.
func samePause(a, b backcoach.BreakPause) bool {
	if (a.Until == nil) != (b.Until == nil) || a.Until != nil && !a.Until.Equal(*b.Until) {
		return false
	}
	return a.Day == b.Day && a.SetAt.Equal(b.SetAt)
}

// actResult is what an action answers.
func (m *member) actResult(st host.State, err error) (Status, error) {
	if errors.Is(err, host.ErrClosed) {
		return Status{}, errGone
	}
	return m.status(st), err
}

// pauseFor, pauseUntilTomorrow and resume are the pause actions.
func pauseFor(d time.Duration) host.Action {
	return func(e *breaks.Engine) ([]breaks.Event, error) { return e.Pause(d) }
}

func pauseUntilTomorrow(e *breaks.Engine) ([]breaks.Event, error) { return e.PauseUntilTomorrow(), nil }

func resume(e *breaks.Engine) ([]breaks.Event, error) { return e.Resume(), nil }
