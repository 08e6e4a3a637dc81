package web

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// Two quick taps on a form's button send it twice; a record sent again
// because its answer was lost (a network that dropped), or kept on a
// device while its owner was signed out, arrives twice too. Each form
// carries a key made when the page was drawn (formKey), and the player's
// record a key of its own. The database keeps, per person, the keys it
// has seen and the record the first request made of each
// (backcoach.FormKeyService), so a second request gets the same answer
// and nothing is recorded twice: across restarts, and across several
// servers on one database. In front of it, each server coalesces the
// requests it holds at once in memory (onceSet), so that the second of
// two taps waits for the first without asking the database again.

// formKeyWait bounds how long a request waits for the first request with
// its key, at work on another server, to settle it.
const formKeyWait = 10 * time.Second

// formKeyPoll is how often a waiting request looks again.
const formKeyPoll = 100 * time.Millisecond

// onceEntries bounds how many keys a server remembers in memory: the
// oldest go first. The memory only coalesces requests that arrive
// together (a double tap comes within seconds); the database keeps every
// key for backcoach.FormKeyDays.
const onceEntries = 10000

// formKeyField is the hidden field that carries a form's key.
const formKeyField = "form_key"

// maxOnceKeyBytes bounds a key sent by a client.
const maxOnceKeyBytes = 64

// onceSet remembers the keys of requests already handled.
type onceSet struct {
	mu    sync.Mutex
	max   int
	calls map[string]*onceCall
	order []string // keys, oldest first, for the bound
}

// onceCall is the first request with a key: done is closed when it has
// finished, with its value.
type onceCall struct {
	done chan struct{}
	val  any
	ok   bool
}

func newOnceSet(max int) *onceSet {
	return &onceSet{max: max, calls: map[string]*onceCall{}}
}

// do runs fn once for a person's key: a later call with the same key
// waits for the first and returns its value, with dup true. When fn fails
// (ok false) the key is forgotten, so that sending again tries again. An
// empty key runs fn every time.
func (o *onceSet) do(ctx context.Context, person, key string, fn func() (any, bool)) (val any, dup bool) {
	if key == "" || len(key) > maxOnceKeyBytes+8 {
		v, _ := fn()
		return v, false
	}
	k := person + "\x00" + key
	o.mu.Lock()
	if c, ok := o.calls[k]; ok {
		o.mu.Unlock()
		select {
		case <-c.done:
		case <-ctx.Done():
			return nil, true
		}
		if c.ok {
			return c.val, true
		}
		// The first one failed: this one may try.
		return o.do(ctx, person, key, fn)
	}
	c := &onceCall{done: make(chan struct{})}
	o.calls[k] = c
	o.order = append(o.order, k)
	for len(o.order) > o.max {
		delete(o.calls, o.order[0])
		o.order = o.order[1:]
	}
	o.mu.Unlock()

	defer close(c.done)
	c.val, c.ok = fn()
	if !c.ok {
		o.mu.Lock()
		if o.calls[k] == c {
			delete(o.calls, k)
		}
		o.mu.Unlock()
	}
	return c.val, false
}

// onceKey is a client's key in a kind of its own, or empty without one.
func onceKey(kind, key string) string {
	if key == "" {
		return ""
	}
	return kind + ":" + key
}

// newFormKey returns a fresh key for a form, drawn anew each time a page
// is drawn.
func newFormKey() string {
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// errFormKey is the error for a form key that cannot be one.
var errFormKey = backcoach.Invalid("form_key", "must be at most %d characters: open the page again and send the form from it", maxOnceKeyBytes)

// recordOnce makes a record once for a person's key: fn makes it and
// returns its id. A later request with the key gets that id, with dup
// true, whichever server made it. When fn fails, the key is released so
// that sending again tries again. An empty key runs fn every time.
func (s *Server) recordOnce(ctx context.Context, person, key string, fn func() (string, error)) (id string, dup bool, err error) {
	if key == "" {
		id, err = fn()
		return id, false, err
	}
	type result struct {
		id  string
		dup bool
		err error
	}
	val, local := s.once.do(ctx, person, key, func() (any, bool) {
		var r result
		r.id, r.dup, r.err = s.claimAndRun(ctx, person, key, fn)
		return r, r.err == nil
	})
	r, ok := val.(result)
	if !ok {
		return "", false, ctx.Err()
	}
	return r.id, r.dup || local, r.err
}

// claimAndRun claims the key in the database and runs fn, or returns the
// record the first request with the key made, waiting a little for it
// when that request is still at work.
func (s *Server) claimAndRun(ctx context.Context, person, key string, fn func() (string, error)) (string, bool, error) {
	var deadline time.Time
	for {
		claimed, outcome, err := s.store.ClaimFormKey(ctx, person, key, s.now())
		if err != nil {
			return "", false, err
		}
		if claimed {
			break
		}
		if outcome != "" {
			return outcome, true, nil
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(formKeyWait)
		} else if time.Now().After(deadline) {
			return "", true, backcoach.Errorf(backcoach.ECONFLICT, "this form is being saved already: open the diary in a moment to see it")
		}
		t := time.NewTimer(formKeyPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", true, ctx.Err()
		case <-t.C:
		}
	}
	// The outcome is kept even when the request's caller has gone: the
	// record is made.
	bg := context.WithoutCancel(ctx)
	id, err := fn()
	if err != nil {
		if rerr := s.store.ReleaseFormKey(bg, person, key); rerr != nil {
			s.log.Warn("releasing a form key", "err", rerr)
		}
		return "", false, err
	}
	if err := s.store.SettleFormKey(bg, person, key, id); err != nil {
		s.log.Warn("settling a form key", "err", err)
	}
	return id, false, nil
}

// checkInOnce records a check-in once for its form's key, with what more
// the form said (then: the history answer): the second of two quick taps, or a
// form sent again later, shows what the first saved.
func (s *Server) checkInOnce(r *http.Request, me *backcoach.Person, e *backcoach.DiaryEntry, then func(in *coach.CheckedIn) error) (*coach.CheckedIn, error) {
	key := r.PostFormValue(formKeyField)
	if len(key) > maxOnceKeyBytes {
		return nil, errFormKey
	}
	var made *coach.CheckedIn
	id, _, err := s.recordOnce(r.Context(), me.ID, onceKey("form", key), func() (string, error) {
		in, err := s.coach.CheckIn(r.Context(), me.ID, e, backcoach.ViaWeb)
		if err != nil {
			return "", err
		}
		if err := then(in); err != nil {
			return "", err
		}
		made = in
		return in.Entry.ID, nil
	})
	if err != nil {
		return nil, err
	}
	if made != nil {
		return made, nil
	}
	return s.coach.CheckedInBefore(r.Context(), me.ID, id)
}
