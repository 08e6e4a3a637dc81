// Command http measures the server over loopback: requests per second
// and latency for reading the exercise catalog (GET /api/v1/exercises),
// for the liveness check (GET /healthz) and for a durable write (POST
// /api/v1/diary: the entry is on disk when the answer comes), each beside
// a bare net/http handler measured in the same run, on the same machine,
// with the same load:
//
//   - read: the client accepts gzip, as browsers do, and the bare handler
//     writes the same JSON, gzipped ahead, from memory.
//   - healthz: the bare handler writes "ok".
//   - write: the bare handler decodes the same body and inserts one row
//     into its own SQLite file with the store's settings (WAL,
//     synchronous=FULL, one writer), so that the ratio is the cost of
//     the API and the store over a minimal durable handler.
//
// The server runs as `backcoach serve` runs it: the web app's handler,
// with all its middleware, and the API mounted in it, over a real store
// in a temporary SQLite file, signing the writes in by a personal access
// token. The load is a fixed number of concurrent keep-alive
// connections, each sending its next request when the last one is
// answered, for a bounded time and count. Rounds alternate the bare
// handler and the API so that both see the same machine.
//
//	go run ./bench/http                  # 64 connections, 3 rounds of 5 s
//	go run ./bench/http -duration 2s -rounds 1
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/api"
	"github.com/backcoach/backcoach/auth"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/store"
	"github.com/backcoach/backcoach/web"

	_ "modernc.org/sqlite" // the bare handler's database, as the store's
)

// Targets of the issue: ratios to the bare handler, by scenario.
var targetRatio = map[string]float64{
	"read  GET  /api/v1/exercises": 0.5,
	"health GET /healthz":          0.5,
	"write POST /api/v1/diary":     0.8,
}

const targetP99 = 20 * time.Millisecond

// config is how hard and how long to measure.
type config struct {
	conns    int
	duration time.Duration
	warmup   time.Duration
	rounds   int
	// max bounds the requests of one measurement, whatever the time.
	max int
	// only, when set, measures only the scenarios whose name holds it.
	only string
}

func main() {
	var c config
	flag.IntVar(&c.conns, "conns", 64, "concurrent connections")
	flag.DurationVar(&c.duration, "duration", 5*time.Second, "length of each measurement")
	flag.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured load before each scenario")
	flag.IntVar(&c.rounds, "rounds", 3, "measurements of each target, alternating")
	flag.IntVar(&c.max, "max", 2_000_000, "most requests in one measurement")
	flag.StringVar(&c.only, "only", "", "measure only the scenarios whose name contains this (read, healthz, write)")
	flag.Parse()
	if err := run(os.Stdout, c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run sets up both servers, measures and prints the report.
func run(w io.Writer, c config) error {
	if c.conns < 1 || c.duration <= 0 || c.rounds < 1 || c.max < 1 {
		return errors.New("conns, duration, rounds and max must be positive")
	}
	dir, err := os.MkdirTemp("", "backcoach-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := store.Open(ctx, filepath.Join(dir, "api.db"), store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer s.Close()
	secret, err := benchPerson(ctx, s)
	if err != nil {
		return err
	}
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	discard := slog.New(slog.DiscardHandler)
	srv, err := web.New(web.Config{Store: s, Sessions: s.SessionStore(web.PersonKey), Catalog: cat, Log: discard})
	if err != nil {
		return err
	}
	a, err := api.New(api.Config{Store: s, Catalog: cat, Log: discard, Authenticate: srv.Authenticate})
	if err != nil {
		return err
	}
	defer a.Close()
	srv.MountAPI(a.Handler())
	apiURL, stopAPI, err := serve(srv.Handler())
	if err != nil {
		return err
	}
	defer stopAPI()

	b, err := newBare(filepath.Join(dir, "bare.db"), cat)
	if err != nil {
		return err
	}
	defer b.close()
	bareURL, stopBare, err := serve(b.handler())
	if err != nil {
		return err
	}
	defer stopBare()

	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: c.conns, MaxIdleConnsPerHost: c.conns, MaxConnsPerHost: c.conns,
		DisableCompression: true, IdleConnTimeout: time.Minute,
	}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()

	diary := []byte(`{"pain": 3, "note": "a little stiff after the meeting"}`)
	bearer := "Bearer " + secret
	scenarios := []struct {
		name       string
		bare, real request
		// grouped is the bare write with group commit: what the store
		// could reach by committing concurrent writes together.
		grouped *request
	}{
		{name: "read  GET  /api/v1/exercises", bare: request{"GET", bareURL + "/exercises", nil, "", 200}, real: request{"GET", apiURL + "/api/v1/exercises", nil, "", 200}},
		{name: "health GET /healthz", bare: request{"GET", bareURL + "/healthz", nil, "", 200}, real: request{"GET", apiURL + "/healthz", nil, "", 200}},
		{name: "write POST /api/v1/diary", bare: request{"POST", bareURL + "/diary", diary, "", 201}, real: request{"POST", apiURL + "/api/v1/diary", diary, bearer, 201},
			grouped: &request{"POST", bareURL + "/diary-grouped", diary, "", 201}},
	}

	fmt.Fprintf(w, "backcoach API over loopback: %d connections, %d round(s) of %s per target, GOMAXPROCS=%d (client and servers share the CPUs), %s\n\n",
		c.conns, c.rounds, c.duration, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Fprintf(w, "%-30s %-5s %10s %9s %9s %9s %7s\n", "scenario", "", "req/s", "p50", "p99", "max", "ratio")
	var failed []string
	for _, sc := range scenarios {
		if !strings.Contains(sc.name, c.only) {
			continue
		}
		for _, r := range []request{sc.bare, sc.real} {
			if _, err := drive(client, r, c.conns, c.warmup, c.max); err != nil {
				return fmt.Errorf("%s warm-up: %w", sc.name, err)
			}
		}
		var bare, real, grouped stats
		for round := 0; round < c.rounds; round++ {
			targets := []struct {
				r   request
				acc *stats
			}{{sc.bare, &bare}, {sc.real, &real}}
			if sc.grouped != nil {
				targets = append(targets, struct {
					r   request
					acc *stats
				}{*sc.grouped, &grouped})
			}
			for _, m := range targets {
				st, err := drive(client, m.r, c.conns, c.duration, c.max)
				if err != nil {
					return fmt.Errorf("%s: %w", sc.name, err)
				}
				m.acc.add(st)
			}
		}
		ratio := real.rate() / bare.rate()
		fmt.Fprintf(w, "%-30s %-5s %10.0f %9s %9s %9s\n", sc.name, "bare", bare.rate(), ms(bare.quantile(0.5)), ms(bare.quantile(0.99)), ms(bare.quantile(1)))
		fmt.Fprintf(w, "%-30s %-5s %10.0f %9s %9s %9s %7.2f\n", "", "api", real.rate(), ms(real.quantile(0.5)), ms(real.quantile(0.99)), ms(real.quantile(1)), ratio)
		if sc.grouped != nil {
			fmt.Fprintf(w, "%-30s %-5s %10.0f %9s %9s %9s %7.2f  (bare with group commit, for comparison)\n", "", "bare*", grouped.rate(),
				ms(grouped.quantile(0.5)), ms(grouped.quantile(0.99)), ms(grouped.quantile(1)), grouped.rate()/bare.rate())
		}
		if p99 := real.quantile(0.99); p99 >= targetP99 {
			failed = append(failed, fmt.Sprintf("%s: p99 %s, target under %s", sc.name, ms(p99), ms(targetP99)))
		}
		if target := targetRatio[sc.name]; ratio < target {
			failed = append(failed, fmt.Sprintf("%s: %.2f of bare, target at least %.2f", sc.name, ratio, target))
		}
	}
	fmt.Fprintf(w, "\ntargets: read and healthz at least 0.5 of bare, write at least 0.8; p99 under %s for all\n", ms(targetP99))
	if len(failed) == 0 {
		fmt.Fprintln(w, "all targets met")
	}
	for _, f := range failed {
		fmt.Fprintln(w, "MISSED", f)
	}
	return nil
}

// benchPerson makes the account the write requests sign in as, and
// returns its token.
func benchPerson(ctx context.Context, s *store.Store) (string, error) {
	p := backcoach.Person{Handle: "bench", Name: "Bench", Role: backcoach.RolePerson}
	if err := s.CreatePerson(ctx, &p); err != nil {
		return "", err
	}
	secret, hash, err := auth.NewToken(auth.TokenPrefix)
	if err != nil {
		return "", err
	}
	return secret, s.CreateAccessToken(ctx, p.ID, &backcoach.AccessToken{Name: "bench", Hash: hash})
}

// serve serves h on a free loopback port.
func serve(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// request is what one measurement sends, again and again.
type request struct {
	method, url string
	body        []byte
	auth        string
	want        int
}

// stats are the latencies of one or more measurements.
type stats struct {
	n       int
	elapsed time.Duration
	lat     []time.Duration
}

func (s *stats) add(o stats) {
	s.n += o.n
	s.elapsed += o.elapsed
	s.lat = append(s.lat, o.lat...)
}

func (s *stats) rate() float64 { return float64(s.n) / s.elapsed.Seconds() }

func (s *stats) quantile(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	slices.Sort(s.lat)
	i := int(q*float64(len(s.lat))+0.5) - 1
	return s.lat[max(0, min(len(s.lat)-1, i))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// drive sends the request from conns connections at once, each sending
// its next as soon as the last is answered, until d has passed or max
// requests were sent. Any unexpected status stops it with an error.
func drive(client *http.Client, r request, conns int, d time.Duration, max int) (stats, error) {
	var (
		sent     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		all      []time.Duration
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) && sent.Add(1) <= int64(max) {
				t0 := time.Now()
				if err := once(client, r); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return stats{n: len(all), elapsed: time.Since(start), lat: all}, firstErr
}

// once sends one request and reads the whole answer.
func once(client *http.Client, r request) error {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, r.url, body)
	if err != nil {
		return err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.auth != "" {
		req.Header.Set("Authorization", r.auth)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != r.want || n == 0 {
		return fmt.Errorf("%s %s answered %d with %d bytes, want %d", r.method, r.url, resp.StatusCode, n, r.want)
	}
	return nil
}

// bare is the baseline: plain net/http handlers doing the least that
// gives the same answer.
type bare struct {
	list    []byte // gzipped
	db      *sql.DB
	seq     atomic.Int64
	pending chan pendingRow
}

// newBare encodes the catalog and makes a SQLite file with the store's
// durability settings and one table.
func newBare(path string, cat *catalog.Catalog) (*bare, error) {
	list, err := json.Marshal(struct {
		Items      []backcoach.Exercise `json:"items"`
		NextCursor *string              `json:"next_cursor"`
	}{Items: cat.All()})
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(15000)&_pragma=synchronous(FULL)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE diary (id TEXT PRIMARY KEY, at TEXT NOT NULL, pain INTEGER NOT NULL, note TEXT NOT NULL)`); err != nil {
		db.Close()
		return nil, err
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(append(list, '\n'))
	zw.Close()
	b := &bare{list: gz.Bytes(), db: db, pending: make(chan pendingRow, 1024)}
	go b.commitGroups()
	return b, nil
}

func (b *bare) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /exercises", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(b.list)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("POST /diary", func(w http.ResponseWriter, r *http.Request) {
		var e struct {
			Pain int    `json:"pain"`
			Note string `json:"note"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&e); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		id := fmt.Sprintf("%026d", b.seq.Add(1))
		at := time.Now().UTC().Format(time.RFC3339Nano)
		if _, err := b.db.ExecContext(r.Context(), `INSERT INTO diary (id, at, pain, note) VALUES ($1, $2, $3, $4)`, id, at, e.Pain, e.Note); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q,"at":%q,"pain":%d}`+"\n", id, at, e.Pain)
	})
	mux.HandleFunc("POST /diary-grouped", func(w http.ResponseWriter, r *http.Request) {
		var e struct {
			Pain int    `json:"pain"`
			Note string `json:"note"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&e); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		row := pendingRow{id: fmt.Sprintf("%026d", b.seq.Add(1)), at: time.Now().UTC().Format(time.RFC3339Nano), pain: e.Pain, note: e.Note, done: make(chan error, 1)}
		b.pending <- row
		if err := <-row.done; err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q,"at":%q,"pain":%d}`+"\n", row.id, row.at, e.Pain)
	})
	return mux
}

// pendingRow is a write waiting for the group committer.
type pendingRow struct {
	id, at, note string
	pain         int
	done         chan error
}

// commitGroups writes the rows that wait, all in one transaction with one
// fsync, and answers each when the commit is on disk.
func (b *bare) commitGroups() {
	for first := range b.pending {
		group := []pendingRow{first}
	more:
		for len(group) < 256 {
			select {
			case r := <-b.pending:
				group = append(group, r)
			default:
				break more
			}
		}
		err := b.insertAll(group)
		for _, r := range group {
			r.done <- err
		}
	}
}

func (b *bare) insertAll(rows []pendingRow) error {
	tx, err := b.db.Begin()
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := tx.Exec(`INSERT INTO diary (id, at, pain, note) VALUES ($1, $2, $3, $4)`, r.id, r.at, r.pain, r.note); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// close stops the group committer and closes the database.
func (b *bare) close() {
	close(b.pending)
	b.db.Close()
}
