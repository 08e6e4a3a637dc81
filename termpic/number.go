package termpic

import (
	"fmt"
	"strconv"
	"strings"
)

// maxCoord bounds every number in a drawing. The illustrations use a
// 320×200 viewBox, so anything near this is a mistake, and the bound keeps
// all later arithmetic finite.
const maxCoord = 1e6

// numberScanner reads SVG numbers (as in "10,-2.5e1 .5.5") from a list of
// numbers separated by white space and/or commas.
type numberScanner struct {
	s   string
	pos int
}

// skipSeparators moves past white space and at most one comma.
func (sc *numberScanner) skipSeparators() {
	comma := false
	for sc.pos < len(sc.s) {
		switch ch := sc.s[sc.pos]; {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
		case ch == ',' && !comma:
			comma = true
		default:
			return
		}
		sc.pos++
	}
}

// done reports whether only separators are left.
func (sc *numberScanner) done() bool {
	sc.skipSeparators()
	return sc.pos >= len(sc.s)
}

// number reads the number at the current position, which must be finite
// and within ±maxCoord.
func (sc *numberScanner) number() (float64, error) {
	start := sc.pos
	sc.accept("+-")
	digits := sc.digits()
	if sc.accept(".") {
		digits += sc.digits()
	}
	if digits == 0 {
		sc.pos = start
		return 0, fmt.Errorf("want a number at %q", clip(sc.s[start:]))
	}
	if mark := sc.pos; sc.accept("eE") {
		sc.accept("+-")
		if sc.digits() == 0 {
			sc.pos = mark // "2em": the e is not an exponent
		}
	}
	v, err := strconv.ParseFloat(sc.s[start:sc.pos], 64)
	if err != nil || v > maxCoord || v < -maxCoord {
		return 0, fmt.Errorf("number %s out of range (±%g)", sc.s[start:sc.pos], float64(maxCoord))
	}
	return v, nil
}

// accept moves past one byte if it is one of set.
func (sc *numberScanner) accept(set string) bool {
	if sc.pos < len(sc.s) && strings.IndexByte(set, sc.s[sc.pos]) >= 0 {
		sc.pos++
		return true
	}
	return false
}

// digits moves past decimal digits and returns how many there were.
func (sc *numberScanner) digits() int {
	start := sc.pos
	for sc.pos < len(sc.s) && sc.s[sc.pos] >= '0' && sc.s[sc.pos] <= '9' {
		sc.pos++
	}
	return sc.pos - start
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}

// parseNumber parses a single number, optionally followed by "px".
func parseNumber(s string) (float64, error) {
	sc := numberScanner{s: strings.TrimSuffix(strings.TrimSpace(s), "px")}
	v, err := sc.number()
	if err != nil {
		return 0, err
	}
	if !sc.done() {
		return 0, fmt.Errorf("want a plain number, got %q", clip(s))
	}
	return v, nil
}

// parseNumbers parses a list of numbers, stopping with an error once there
// are more than limit of them.
func parseNumbers(s string, limit int) ([]float64, error) {
	sc := numberScanner{s: s}
	var vs []float64
	for !sc.done() {
		if len(vs) >= limit {
			return nil, fmt.Errorf("more than %d numbers", limit)
		}
		v, err := sc.number()
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}
