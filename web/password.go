package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
)

// errGone is the error of a request whose client left while it waited
// for a password slot; nothing is answered, nothing is logged.
var errGone = errors.New("the request ended while it waited to check a password")

// passwordWork runs f, which hashes or verifies a password, once one of
// the server's hashing slots is free; it gives up with errGone when the
// request ends first.
func (s *Server) passwordWork(ctx context.Context, f func()) error {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return errGone
	}
	defer func() { <-s.hashing }()
	n := s.hashBusy.Add(1)
	defer s.hashBusy.Add(-1)
	for {
		peak := s.hashPeak.Load()
		if n <= peak || s.hashPeak.CompareAndSwap(peak, n) {
			break
		}
	}
	f()
	return nil
}

// failUnlessGone answers err, unless the client has left.
func (s *Server) failUnlessGone(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errGone) {
		return
	}
	s.fail(w, r, err)
}

// readSmallForm reads a form of at most limit bytes before anything else
// is done with the request; a larger one is answered 413 and false
// returned.
func (s *Server) readSmallForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.Header().Set("Connection", "close")
			http.Error(w, "the form is larger than "+strconv.FormatInt(limit, 10)+" bytes, more than this form ever needs", http.StatusRequestEntityTooLarge)
			return false
		}
		s.fail(w, r, backcoach.Errorf(backcoach.EINVALID, "the form cannot be read: %v", err))
		return false
	}
	return true
}

// retryAfter sets the Retry-After header to wait, in whole seconds.
func retryAfter(w http.ResponseWriter, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
}

// fieldCaps are the most bytes each field of a form may hold.
type fieldCaps []struct {
	field string
	max   int
}

// check returns an error naming the first field over its cap (spaces
// around a value do not count).
func (c fieldCaps) check(r *http.Request) error {
	for _, f := range c {
		if n := len(strings.TrimSpace(r.PostForm.Get(f.field))); n > f.max {
			return backcoach.Invalid(f.field, "must be at most %d bytes long, got %d", f.max, n)
		}
	}
	return nil
}
