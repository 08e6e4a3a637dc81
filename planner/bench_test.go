package planner

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

var benchAnswers = []byte(`{"age": 42, "pain_now": 5, "stage_description": "moderate", "peg": {"pain": 4, "enjoyment": 3, "activity": 4},
 "weeks": 3, "trend": "same", "clinician_assessed": true, "flags": [], "conditions": ["osteoporosis"], "causes": ["desk_work", "stress"],
 "context": {"minutes": 10, "places": ["desk", "standing", "floor"], "equipment": ["wall", "foam_roller", "chair"]}}`)

// BenchmarkAssessAndPlan measures one person's whole path (strict parse,
// assessment, plan, JSON out) and reports it as a ratio to the bare
// encoding/json round trip of the same document measured in the same run.
func BenchmarkAssessAndPlan(b *testing.B) {
	measure := func(f func()) time.Duration {
		const n = 2000
		start := time.Now()
		for i := 0; i < n; i++ {
			f()
		}
		return time.Since(start) / n
	}
	baseline := func() {
		var a backcoach.Answers
		if err := json.Unmarshal(benchAnswers, &a); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(a); err != nil {
			b.Fatal(err)
		}
	}
	full := func() {
		a, err := triage.ParseAnswers(benchAnswers)
		if err != nil {
			b.Fatal(err)
		}
		r := triage.Assess(&a)
		p := Build(cat, Request{Answers: &a, Result: r, Date: "2026-11-28"})
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
	var base, whole time.Duration
	for i := 0; i < b.N; i++ {
		base += measure(baseline)
		whole += measure(full)
	}
	b.ReportMetric(float64(whole.Microseconds())/float64(b.N), "µs/person")
	b.ReportMetric(float64(whole)/float64(base), "ratio-to-json")
}
