// Package bench holds the benchmarks that measure whole programs rather than
// functions: each prints its figure as a ratio to a baseline measured in the
// same run, because the machines they run on are shared and noisy.
//
// Run them with: go test ./bench -bench . -benchtime 20x
package bench
