package jsonbody

import (
	"strings"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

type item struct {
	ID    string `json:"id"`
	Count int    `json:"count,omitempty"`
}

type doc struct {
	Name  string     `json:"name"`
	At    *time.Time `json:"at,omitempty"`
	Ratio float64    `json:"ratio,omitempty"`
	On    bool       `json:"on" required:"false"`
	Items []item     `json:"items,omitempty"`
}

func TestDecode(t *testing.T) {
	t.Parallel()
	var d doc
	err := Decode([]byte(`{"name": "a", "at": "2026-03-02T08:30:00Z", "ratio": 0.5, "items": [{"id": "x", "count": 2}, {"id": "y", "count": null}]}`), &d)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "a" || d.At == nil || d.At.Hour() != 8 || d.Ratio != 0.5 || d.On || len(d.Items) != 2 || d.Items[0].Count != 2 || d.Items[1].ID != "y" {
		t.Fatalf("decoded %+v", d)
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, doc, field, says string
		opts                   Options
	}{
		{"not JSON", `{"name" 1}`, "body", "must be a JSON object (invalid JSON", Options{}},
		{"nothing", ``, "body", "got nothing", Options{}},
		{"root named", `[]`, "answers", "must be a JSON object, got an array", Options{Root: "answers"}},
		{"trailing", `{"name": "a"} {}`, "body", "more follows", Options{}},
		{"unknown", `{"name": "a", "nmae": "b"}`, "nmae", "allowed: name, at, ratio, on, items", Options{}},
		{"unknown before missing", `{"nmae": "b"}`, "nmae", "is not a known field", Options{}},
		{"nameless", `{"name": "a", "": 1}`, "body", "without a name", Options{}},
		{"missing", `{"ratio": 1}`, "name", "is required", Options{}},
		{"null is absent", `{"name": null}`, "name", "is required", Options{}},
		{"nested missing", `{"name": "a", "items": [{"count": 1}]}`, "items[0].id", "is required", Options{}},
		{"nested unknown", `{"name": "a", "items": [{"id": "x", "n": 1}]}`, "items[0].n", "allowed: id, count", Options{}},
		{"wrong type", `{"name": 3}`, "name", "must be a string, got a number", Options{}},
		{"quoted number", `{"name": "a", "ratio": "1"}`, "ratio", "must be a number, got a string", Options{}},
		{"fraction", `{"name": "a", "items": [{"id": "x", "count": 1.5}]}`, "items[0].count", "whole number", Options{}},
		{"infinite", `{"name": "a", "ratio": 1e400}`, "ratio", "finite", Options{}},
		{"bad time", `{"name": "a", "at": "yesterday"}`, "at", "RFC 3339", Options{}},
		{"not an array", `{"name": "a", "items": {}}`, "items", "must be an array, got an object", Options{}},
		{"not an object", `{"name": "a", "items": [3]}`, "items[0]", "must be a JSON object, got a number", Options{}},
		{"optional still strict", `{"x": 1}`, "x", "is not a known field", Options{Optional: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := tc.opts.Decode([]byte(tc.doc), &d)
			e, ok := err.(*backcoach.Error)
			if !ok || e.Code != backcoach.EINVALID {
				t.Fatalf("error %T %v, want EINVALID", err, err)
			}
			if e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Errorf("got %q: %q, want %q: …%s…", e.Field, e.Message, tc.field, tc.says)
			}
		})
	}
}

func TestDecodeOptional(t *testing.T) {
	t.Parallel()
	var d doc
	if err := (Options{Optional: true}).Decode([]byte(`{}`), &d); err != nil {
		t.Fatal(err)
	}
	if err := Decode([]byte(`{}`), &d); err == nil {
		t.Fatal("a missing required field was accepted")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name": "a", "items": [{"id": "x"}]}`))
	f.Add([]byte(`{"name": "a"} []`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := Decode(data, &d); err != nil {
			if e, ok := err.(*backcoach.Error); !ok || e.Code != backcoach.EINVALID || e.Field == "" {
				t.Fatalf("refused with %#v", err)
			}
		}
	})
}
