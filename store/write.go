package store

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"time"

	"modernc.org/sqlite"

	"github.com/backcoach/backcoach"
)

// Writes to a SQLite file go through one goroutine, the group committer:
// the writes that arrive while a commit is on its way to the disk wait,
// and are then written together, each inside a savepoint of one
// transaction with one fsync. Each write keeps its own outcome: a write
// that fails is rolled back to its savepoint and the others are kept. A
// write is acknowledged only when the commit that holds it has returned,
// so everything acknowledged is on the disk (synchronous=FULL), as
// before; what changes is that many concurrent writers share an fsync.

// maxGroup bounds the writes committed together.
const maxGroup = 128

// pendingWrite is a write waiting for the group committer.
type pendingWrite struct {
	ctx  context.Context
	fn   func(*sql.Tx) error
	done chan error
}

// commitGroups takes the writes as they come and commits them in groups,
// until the store closes.
func (s *Store) commitGroups() {
	defer close(s.committed)
	for {
		var first *pendingWrite
		select {
		case first = <-s.writes:
		case <-s.stop:
			return
		}
		group := []*pendingWrite{first}
	more:
		for len(group) < maxGroup {
			select {
			case w := <-s.writes:
				group = append(group, w)
			default:
				break more
			}
		}
		s.commitGroup(group)
	}
}

// commitGroup writes a group and answers each of its writes. When SQLite
// says the file is busy (another process holds it) it tries again, with
// backoff, until BusyWait has passed.
func (s *Store) commitGroup(group []*pendingWrite) {
	deadline := time.Now().Add(s.busyWait)
	b := backoff{}
	for len(group) > 0 {
		var busy bool
		group, busy = s.tryGroup(group, time.Now().Before(deadline))
		if busy {
			b.wait(context.Background(), deadline)
		}
	}
}

// tryGroup runs the group in one transaction. It returns the writes that
// are still to be done, and whether that is because the file was busy;
// when mayRetry is false, it answers every write.
func (s *Store) tryGroup(group []*pendingWrite, mayRetry bool) (again []*pendingWrite, busy bool) {
	ctx := context.Background() // the transaction is the group's, not one caller's
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		if isBusy(err) && mayRetry {
			return group, true
		}
		s.answer(group, s.busyOr(s.dbError(err, "begin a write")))
		return nil, false
	}
	var ok []*pendingWrite
	for i, w := range group {
		if err := w.ctx.Err(); err != nil {
			w.done <- err
			continue
		}
		if len(group) == 1 {
			if err := w.fn(tx); err != nil {
				tx.Rollback()
				if isBusy(err) && mayRetry {
					return group, true
				}
				w.done <- s.busyOr(err)
				return nil, false
			}
			ok = append(ok, w)
			continue
		}
		_, err := tx.ExecContext(ctx, "SAVEPOINT w")
		var ferr error
		if err == nil {
			if ferr = w.fn(tx); ferr != nil {
				_, err = tx.ExecContext(ctx, "ROLLBACK TO w")
			}
			if err == nil {
				_, err = tx.ExecContext(ctx, "RELEASE w")
			}
		}
		if err != nil {
			// The transaction itself is gone: in SQLite an interrupted
			// statement (its caller gave up) rolls back the whole
			// transaction. Nothing of the group is kept; the writes not
			// answered yet run again.
			tx.Rollback()
			rest := append(ok, group[i+1:]...)
			if ferr != nil && !isBusy(ferr) {
				w.done <- ferr
			} else {
				rest = append(rest, w)
			}
			if !mayRetry {
				s.answer(rest, s.busyOr(s.dbError(err, "write")))
				return nil, false
			}
			return rest, isBusy(err) || isBusy(ferr)
		}
		if ferr != nil {
			w.done <- s.busyOr(ferr)
			continue
		}
		ok = append(ok, w)
	}
	if len(ok) == 0 {
		tx.Rollback()
		return nil, false
	}
	if err := tx.Commit(); err != nil {
		if isBusy(err) && mayRetry {
			return ok, true
		}
		s.answer(ok, s.busyOr(s.dbError(err, "commit")))
		return nil, false
	}
	s.answer(ok, nil)
	return nil, false
}

// answer tells each write its outcome.
func (s *Store) answer(group []*pendingWrite, err error) {
	for _, w := range group {
		w.done <- err
	}
}

// retryBusy runs fn again, with backoff, while SQLite says the file is
// busy, until BusyWait has passed; then it says plainly that the database
// is busy.
func (s *Store) retryBusy(ctx context.Context, fn func() error) error {
	if s.dialect != SQLite {
		return fn()
	}
	deadline := time.Now().Add(s.busyWait)
	b := backoff{}
	for {
		err := fn()
		if !isBusy(err) || !time.Now().Before(deadline) {
			return s.busyOr(err)
		}
		if err := b.wait(ctx, deadline); err != nil {
			return err
		}
	}
}

// busyOr turns a busy error into the store's plain message, and returns
// any other error as it is.
func (s *Store) busyOr(err error) error {
	if !isBusy(err) {
		return err
	}
	return backcoach.Errorf(backcoach.EINTERNAL, "the database %s is busy: other programs using it kept it locked for %s; try again when they have finished",
		s.path, s.busyWait.Round(time.Second))
}

// isBusy reports whether SQLite said the file is locked by someone else.
func isBusy(err error) bool {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqliteBusy || code == sqliteLocked
}

// backoff waits a little longer each time, with jitter so that processes
// that collided do not collide again.
type backoff struct{ d time.Duration }

func (b *backoff) wait(ctx context.Context, deadline time.Time) error {
	if b.d == 0 {
		b.d = 2 * time.Millisecond
	}
	d := b.d/2 + rand.N(b.d)
	b.d = min(2*b.d, 250*time.Millisecond)
	d = min(d, time.Until(deadline))
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
