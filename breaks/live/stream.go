package live

import (
	"sync"

	"github.com/backcoach/backcoach/breaks/host"
)

// Stream is one page's view of a person's reminder: the messages for it,
// a tick when a keep-alive is due, and a signal when the hub ends it
// (shutdown, reminders turned off, or a reader too slow to keep up).
type Stream struct {
	// C carries the messages; the first is the reminder's Status.
	C <-chan Message
	// KeepAlive ticks every keep-alive interval: time to send a comment
	// that keeps proxies from closing a quiet connection.
	KeepAlive <-chan struct{}
	// Done is closed when the hub ends the stream.
	Done <-chan struct{}

	m     *member
	ch    chan Message
	ka    chan struct{}
	done  chan struct{}
	ready bool

	mu      sync.Mutex
	ended   bool
	kaTimer Timer
}

// subscribe opens a stream: the person is present while it is open. The
// engine takes a reading with the stream counted before the stream hears
// anything, and the stream's first message is the state after it.
func (m *member) subscribe() (*Stream, error) {
	st := &Stream{m: m, ch: make(chan Message, streamBuffer), ka: make(chan struct{}, 1), done: make(chan struct{})}
	st.C, st.KeepAlive, st.Done = st.ch, st.ka, st.done
	m.mu.Lock()
	if m.gone {
		m.mu.Unlock()
		return nil, errGone
	}
	m.streams[st] = struct{}{}
	m.cancelDrop()
	if now := m.hub.clock.Now(); now.After(m.lastInput) {
		m.lastInput = now // opening the page is input
	}
	m.mu.Unlock()
	_, err := m.host.Do(nil, func(s host.State) {
		msg := Message{Event: EventStatus, Data: m.status(s)}
		m.mu.Lock()
		defer m.mu.Unlock()
		st.ch <- msg
		st.ready = true
	})
	if err != nil {
		st.Close()
		return nil, errGone
	}
	st.armKeepAlive()
	return st, nil
}

// Close ends the stream from the page's side: the page went away.
func (st *Stream) Close() {
	m := st.m
	m.mu.Lock()
	st.end()
	if _, ok := m.streams[st]; !ok || m.gone {
		m.mu.Unlock()
		return
	}
	delete(m.streams, st)
	empty := len(m.streams) == 0
	m.mu.Unlock()
	if !empty {
		return
	}
	_, _ = m.host.Do(nil, nil) // nobody is here now
	m.mu.Lock()
	m.armDrop()
	m.mu.Unlock()
}

// broadcast sends a message to every stream that is ready. A stream whose
// reader fell behind by a whole buffer is ended; its page reconnects and
// starts from the state.
func (m *member) broadcast(msg Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lost := false
	for st := range m.streams {
		if !st.ready {
			continue
		}
		select {
		case st.ch <- msg:
		default:
			st.end()
			delete(m.streams, st)
			lost = true
		}
	}
	if lost && len(m.streams) == 0 {
		m.armDrop()
	}
}

// end tells the stream's reader to stop; it is safe to call twice.
func (st *Stream) end() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended {
		return
	}
	st.ended = true
	close(st.done)
	if st.kaTimer != nil {
		st.kaTimer.Stop()
	}
}

// armKeepAlive sets the timer of the next keep-alive tick.
func (st *Stream) armKeepAlive() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended {
		return
	}
	st.kaTimer = st.m.hub.clock.AfterFunc(st.m.hub.cfg.KeepAlive, func() {
		select {
		case st.ka <- struct{}{}:
		default:
		}
		st.armKeepAlive()
	})
}
