package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRun runs the benchmark briefly: both servers answer every request as
// expected, and the report has its figures.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, config{conns: 4, duration: 150 * time.Millisecond, warmup: 50 * time.Millisecond, rounds: 1, max: 5000}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	rows := regexp.MustCompile(`(?m)^.{30} (bare|api|bare\*) +\d+ +[\d.]+ms +[\d.]+ms +[\d.]+ms`).FindAllString(report, -1)
	if len(rows) != 7 || !strings.Contains(report, "targets:") {
		t.Errorf("the report lacks figures:\n%s", report)
	}
}

// TestRunRefusesNonsense checks the bounds of the configuration.
func TestRunRefusesNonsense(t *testing.T) {
	if err := run(&bytes.Buffer{}, config{conns: 0, duration: time.Second, rounds: 1, max: 1}); err == nil {
		t.Error("zero connections accepted")
	}
}
