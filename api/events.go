package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/danielgtaylor/huma/v2/sse"

	"github.com/backcoach/backcoach/breaks/live"
)

// keepAliveComment is what a quiet stream sends now and then, so that
// proxies keep the connection open; EventSource ignores comments.
const keepAliveComment = ": keep-alive\n\n"

type streamKey struct{}

// openStream is an event stream and the writer it goes out on.
type openStream struct {
	st *live.Stream
	w  *streamWriter
	// signedIn reports whether the request's credential still holds: a
	// stream outlives its request's check, so it asks again at every
	// keep-alive and ends once the person signed out, changed the
	// password or revoked the token.
	signedIn func() bool
}

// registerBreakEvents adds the event stream. Its answer is
// text/event-stream; the OpenAPI document describes each event's data.
func (a *API) registerBreakEvents() {
	op := a.private(huma.Operation{
		OperationID: "break-events",
		Method:      http.MethodGet,
		Path:        Prefix + "/breaks/events",
		Summary:     "Listen for breaks",
		Description: "Server-Sent Events for an open page: first the reminder's `status`, then `offer` when a break falls due " +
			"(show the reminder: its exercises or, on a day with a warning sign, rest and advice), `withdraw` when it goes, " +
			"`started` with the break's page to open, `ended`, and `limit` when the daily limit is reached. A comment every 25 seconds " +
			"keeps the connection open. The person is counted as present while a stream is open. With the reminder off in the settings, 409.",
		Tags:   []string{"Breaks"},
		Errors: []int{http.StatusConflict},
	})
	op.Middlewares = append(op.Middlewares, a.openEventStream)
	sse.Register(a.huma, op, breakEvents, a.breakEvents)
}

// openEventStream opens the person's stream before the answer begins, so
// that a refusal is still a problem document, and closes it when the
// answer ends. It lifts the server's time limits, which suit requests, not
// streams: each write gets its own deadline instead.
func (a *API) openEventStream(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	st, err := a.breaks.Subscribe(ctx.Context(), actor(ctx.Context()))
	if err != nil {
		writeProblem(w, a.problem(ctx.Context(), err))
		return
	}
	defer st.Close()
	sw := &streamWriter{w: w, rc: http.NewResponseController(w)}
	_ = sw.rc.SetReadDeadline(time.Time{})
	_ = sw.rc.SetWriteDeadline(time.Time{})
	ctx.SetHeader("X-Accel-Buffering", "no") // nginx: pass the events on at once
	next(streamContext{humaContext: huma.WithValue(ctx, streamKey{}, &openStream{st: st, w: sw, signedIn: func() bool {
		p, err := a.auth(r)
		return err == nil && p != nil && p.ID == actor(ctx.Context())
	}}), w: sw})
}

// breakEvents sends the stream's messages as events until the page goes,
// the hub ends the stream, a write fails, or the credential it was opened
// with no longer holds (checked at each keep-alive, so within one
// interval of signing out).
func (a *API) breakEvents(ctx context.Context, _ *struct{}, send sse.Sender) {
	open := ctx.Value(streamKey{}).(*openStream)
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-open.st.Done:
			return
		case msg := <-open.st.C:
			err = send(sse.Message{Data: msg.Data})
		case <-open.st.KeepAlive:
			if !open.signedIn() {
				return
			}
			err = open.w.comment(keepAliveComment)
		}
		if err != nil {
			return
		}
	}
}

// streamContext is the operation's context with the stream's writer as
// its body writer.
type streamContext struct {
	humaContext
	w io.Writer
}

// humaContext names the embedded context apart from its Context method.
type humaContext = huma.Context

// BodyWriter returns the stream's writer.
func (c streamContext) BodyWriter() io.Writer { return c.w }

// Unwrap returns the context underneath, for humago.Unwrap.
func (c streamContext) Unwrap() huma.Context { return c.humaContext }

// streamWriter is the response writer of an event stream: it flushes and
// gives every write a deadline of its own.
type streamWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// Write writes to the response.
func (s *streamWriter) Write(p []byte) (int, error) { return s.w.Write(p) }

// Flush sends what was written.
func (s *streamWriter) Flush() { _ = s.rc.Flush() }

// SetWriteDeadline sets the deadline of the next writes; sse.Register
// calls it before each event.
func (s *streamWriter) SetWriteDeadline(t time.Time) error {
	if err := s.rc.SetWriteDeadline(t); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

// Unwrap returns the response writer underneath.
func (s *streamWriter) Unwrap() http.ResponseWriter { return s.w }

// comment writes an SSE comment line and flushes it.
func (s *streamWriter) comment(text string) error {
	// A client that stops reading is cut off instead of holding the
	// server: the same limit as each event's.
	if err := s.SetWriteDeadline(time.Now().Add(sse.WriteTimeout)); err != nil {
		return err
	}
	if _, err := io.WriteString(s.w, text); err != nil {
		return err
	}
	return s.rc.Flush()
}
