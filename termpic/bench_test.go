package termpic

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkRender times Render on a test drawing at several sizes and
// reports, as "x-decode", how many times longer it takes than just decoding
// the same file's XML tokens, timed in the same run. The ratio is steadier
// across machines than the raw time.
func BenchmarkRender(b *testing.B) {
	data := readFile(b, filepath.Join("testdata", "cat-cow.svg"))
	for _, opt := range []Options{{Width: 40, Height: 10, Props: true}, {Width: 120, Height: 30, Props: true, Color: true}, {Width: 400, Height: 100, Props: true}} {
		b.Run(fmt.Sprintf("%dx%d", opt.Width, opt.Height), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Render(data, opt); err != nil {
					b.Fatal(err)
				}
			}
			render := b.Elapsed() / time.Duration(b.N)
			decode := decodeTime(b, data, b.N)
			b.ReportMetric(float64(render)/float64(decode), "x-decode")
		})
	}
}

// decodeTime returns the mean time of reading every XML token of data, over
// n runs: the baseline Render is compared with.
func decodeTime(b *testing.B, data []byte, n int) time.Duration {
	start := time.Now()
	for range n {
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	return max(time.Since(start)/time.Duration(n), 1)
}
