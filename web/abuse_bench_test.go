package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backcoach/backcoach/auth"
)

// BenchmarkSignupFlood sends 300 sign-ups, 64 at a time, each from its
// own address through the trusted proxy, with the real password hashing
// costs, and reports the process's peak resident memory and the slowest
// /healthz answer meanwhile. Run it alone, as its own process, for the
// peak to mean anything:
//
//	go test ./web -run '^$' -bench SignupFlood -benchtime 1x
func BenchmarkSignupFlood(b *testing.B) {
	for i := 0; i < b.N; i++ {
		app := newApp(b, options{trustProxy: true})
		app.srv.cfg.PasswordParams = auth.Default
		var wg sync.WaitGroup
		work := make(chan int)
		for w := 0; w < 64; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				for n := range work {
					form := url.Values{"handle": {fmt.Sprintf("flood%d-%d", i, n)}, "password": {testPassword}, "confirm": {testPassword}}
					req, _ := http.NewRequest(http.MethodPost, app.ts.URL+"/signup", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i%256, n/256, n%256))
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						continue
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}()
		}
		done := make(chan struct{})
		slowest := make(chan time.Duration)
		go func() {
			var worst time.Duration
			for {
				select {
				case <-done:
					slowest <- worst
					return
				default:
				}
				start := time.Now()
				res, err := http.Get(app.ts.URL + "/healthz")
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				worst = max(worst, time.Since(start))
			}
		}()
		for n := 0; n < 300; n++ {
			work <- n
		}
		close(work)
		wg.Wait()
		close(done)
		b.ReportMetric(float64((<-slowest).Milliseconds()), "healthz-max-ms")
	}
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}

// peakRSS returns the process's peak resident memory in bytes, or 0 where
// /proc does not tell.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
