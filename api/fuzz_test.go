package api

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/backcoach/backcoach"
)

// FuzzDecodeBody feeds arbitrary bytes to the strict body decoder: it
// never panics, refuses with an EINVALID error that names a field, and
// what it accepts reads back the same after encoding.
func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte(`{"plan_id": "abc", "started_at": "2026-03-02T09:00:00Z", "duration_seconds": 600, "level": 1, "pain_before": 3, "pain_after": 2,
		"exercises": [{"exercise_id": "cat-cow", "outcome": "done", "seconds": 60}]}`))
	f.Add([]byte(`{"duration_seconds": 1e3, "pain_before": -0, "exercises": []}`))
	f.Add([]byte(`{"exercises": [{"exercise_id": 3}]}`))
	f.Add([]byte(`{"pain_before": 1, "duration_seconds": 2, "exercises": null, "x": 1}`))
	f.Add([]byte(`[] {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var body sessionBody
		err := decodeBody(data, &body)
		if err != nil {
			e, ok := err.(*backcoach.Error)
			if !ok || e.Code != backcoach.EINVALID || e.Field == "" || e.Message == "" {
				t.Fatalf("refused with %#v", err)
			}
			return
		}
		again, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		var back sessionBody
		if err := decodeBody(again, &back); err != nil {
			t.Fatalf("its own encoding is refused: %v\n%s", err, again)
		}
		if body.StartedAt != nil {
			// Compare instants: the zone's name does not survive encoding.
			if !body.StartedAt.Equal(*back.StartedAt) {
				t.Fatalf("started_at %v became %v", body.StartedAt, back.StartedAt)
			}
			body.StartedAt, back.StartedAt = nil, nil
		}
		if !reflect.DeepEqual(body, back) {
			t.Fatalf("%+v became %+v", body, back)
		}
	})
}

// FuzzCursor checks that cursors round-trip and that any other text is
// refused without a panic.
func FuzzCursor(f *testing.F) {
	f.Add(int64(1772442000000000), "abcdefghijklmnopqrstuvwxyz", "")
	f.Add(int64(-1), "a", "MTIzLmFiYw")
	f.Fuzz(func(t *testing.T, micros int64, id, text string) {
		pos := position{at: time.UnixMicro(micros).UTC(), id: id}
		got, ok := decodeCursor(encodeCursor(pos))
		if valid := backcoach.CheckID("id", id) == nil; ok != valid || ok && (!got.at.Equal(pos.at) || got.id != id) {
			t.Fatalf("%v round-tripped to %v (%v)", pos, got, ok)
		}
		decodeCursor(text)
	})
}
