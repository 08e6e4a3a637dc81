package web

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"strings"
	"sync"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
)

// Two quick taps on a form's button send it twice; a record sent again
// because its answer was lost (a network that dropped) arrives twice too.
// Each form carries a key made when the page was drawn (formKey), and the
// player's record a key of its own; the server remembers, per person, the
// keys it has seen and what the first request made of them, so that the
// second gets the same answer and nothing is recorded twice.

// onceEntries bounds how many keys are remembered: the oldest go first.
// A double tap comes within seconds, a resent record within days: ten
// thousand keys cover both on one server.
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

// checkInOnce records a check-in once for its form's key: the second of
// two quick taps shows what the first saved.
func (s *Server) checkInOnce(r *http.Request, me *backcoach.Person, e *backcoach.DiaryEntry) (*coach.CheckedIn, error) {
	var failed error
	val, _ := s.once.do(r.Context(), me.ID, onceKey("form", r.PostFormValue(formKeyField)), func() (any, bool) {
		in, err := s.coach.CheckIn(r.Context(), me.ID, e, backcoach.ViaWeb)
		if err != nil {
			failed = err
			return nil, false
		}
		return in, true
	})
	if failed != nil {
		return nil, failed
	}
	in, _ := val.(*coach.CheckedIn)
	if in == nil {
		return nil, backcoach.Errorf(backcoach.ECONFLICT, "this check-in is being saved already: open the diary in a moment to see it")
	}
	return in, nil
}
