package desktop

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/breaks"
)

// The control socket lets the command line talk to the running daemon:
// one JSON request per connection, one JSON response.

// Ops a request can ask for.
const (
	OpStatus = "status"
	OpPause  = "pause"
	OpResume = "resume"
	OpStart  = "start"
	OpSnooze = "snooze"
	OpSkip   = "skip"
)

// Request is one request on the control socket.
type Request struct {
	Op string `json:"op"`
	// For is a pause's length (a Go duration); Until may be "tomorrow"
	// instead.
	For   string `json:"for,omitempty"`
	Until string `json:"until,omitempty"`
	// Kind is the break to start ("" for the one on offer).
	Kind string `json:"kind,omitempty"`
}

// Response is the daemon's answer.
type Response struct {
	OK     bool          `json:"ok"`
	Error  *ResponseErr  `json:"error,omitempty"`
	Status *StatusReport `json:"status,omitempty"`
}

// ResponseErr is a failed request's error, with the domain's code.
type ResponseErr struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// StatusReport is the daemon's state as `backcoach breaks status --json`
// prints it.
type StatusReport struct {
	Next        []NextReport `json:"next"`
	Today       TodayReport  `json:"today"`
	PausedUntil *time.Time   `json:"paused_until"`
	IdleSource  string       `json:"idle_source"`
}

// NextReport is the time to the next break of one kind.
type NextReport struct {
	Kind         breaks.Kind `json:"kind"`
	DueInSeconds int         `json:"due_in_seconds"`
}

// TodayReport is the day's figures.
type TodayReport struct {
	Due           int `json:"due"`
	Taken         int `json:"taken"`
	Natural       int `json:"natural"`
	Snoozed       int `json:"snoozed"`
	Skipped       int `json:"skipped"`
	ActiveSeconds int `json:"active_seconds"`
}

// NewStatusReport turns the engine's status into the report.
func NewStatusReport(s breaks.Status, idleSource string) StatusReport {
	r := StatusReport{Next: []NextReport{}, PausedUntil: s.PausedUntil, IdleSource: idleSource}
	for _, n := range s.Next {
		r.Next = append(r.Next, NextReport{Kind: n.Kind, DueInSeconds: int((n.DueIn + time.Second - 1) / time.Second)})
	}
	d := s.Today
	r.Today = TodayReport{Due: d.Due, Taken: d.Taken, Natural: d.Natural, Snoozed: d.Snoozed, Skipped: d.Skipped, ActiveSeconds: d.ActiveSeconds}
	return r
}

// ErrNoDaemon is returned by Call when no daemon listens on the socket.
var ErrNoDaemon = errors.New("no break daemon is running")

// SocketPath returns the control socket's path in $XDG_RUNTIME_DIR.
func SocketPath() (string, error) {
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		return "", backcoach.Errorf(backcoach.EINVALID, "XDG_RUNTIME_DIR is not set, so there is no place for the daemon's socket; it is set in a desktop session (or set it to a private directory)")
	}
	return filepath.Join(dir, "backcoach", "breaks.sock"), nil
}

// Call sends a request to the daemon and returns its answer; ErrNoDaemon
// when none listens.
func Call(ctx context.Context, path string, req Request) (*Response, error) {
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("%w (nothing listens on %s)", ErrNoDaemon, path)
		}
		return nil, fmt.Errorf("cannot reach the break daemon on %s: %w", path, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return nil, fmt.Errorf("sending to the break daemon: %w", err)
	}
	var resp Response
	if err := json.NewDecoder(conn).Decode(&resp); err != nil {
		return nil, fmt.Errorf("reading the break daemon's answer: %w", err)
	}
	return &resp, nil
}

// Err returns a failed response's error as a domain error.
func (r *Response) Err() error {
	if r.OK {
		return nil
	}
	if r.Error == nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "the break daemon failed without saying why")
	}
	return &backcoach.Error{Code: r.Error.Code, Message: r.Error.Message}
}

// controlServer answers requests on the socket.
type controlServer struct {
	ln     net.Listener
	path   string
	handle func(context.Context, Request) Response
	log    *slog.Logger
}

// listenControl opens the socket; it refuses when another daemon answers
// there, and removes a stale socket left by one that died.
func listenControl(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot make the socket's directory: %w", err)
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, backcoach.Errorf(backcoach.ECONFLICT, "a break daemon is running already (it answers on %s); stop it first", path)
	}
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("cannot make %s private: %w", path, err)
	}
	return ln, nil
}

// serve answers connections until the listener closes.
func (s *controlServer) serve(ctx context.Context) {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.answer(ctx, conn)
	}
}

// maxRequestBytes bounds a request.
const maxRequestBytes = 4096

// answer reads one request and writes its response.
func (s *controlServer) answer(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(conn, maxRequestBytes)).ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return
	}
	var req Request
	var resp Response
	if err := json.Unmarshal(line, &req); err != nil {
		resp = failure(backcoach.Invalid("request", "must be one JSON object such as {\"op\":\"status\"}: %v", err))
	} else {
		resp = s.handle(ctx, req)
	}
	if err := json.NewEncoder(conn).Encode(resp); err != nil {
		s.log.Debug("answering on the control socket", "err", err)
	}
}

// failure turns an error into a response.
func failure(err error) Response {
	return Response{Error: &ResponseErr{Code: backcoach.ErrorCode(err), Message: backcoach.ErrorMessage(err)}}
}

// close stops listening and removes the socket.
func (s *controlServer) close() {
	s.ln.Close()
	_ = os.Remove(s.path)
}
