package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// The player's posts are read by the one strict decoder: the error names
// the field and what is allowed.
func TestDecodeJSONIsStrict(t *testing.T) {
	t.Parallel()
	post := func(body string) error {
		r := httptest.NewRequest("POST", "/sessions", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in sessionIn
		return decodeJSON(r, &in)
	}
	for body, want := range map[string]string{
		`{"plan_id": "p", "mood": 3}`:            "mood: is not a known field; allowed: plan_id",
		`{"pain_before": "3"}`:                   "pain_before: must be a number, got a string",
		`{"exercises": [{"outcome": 1}]}`:        "exercises[0].outcome: must be a string",
		`{"started_at": "soon"}`:                 "started_at: must be a time",
		`{"plan_id": "p"} {"plan_id": "q"}`:      "more follows",
		`[]`:                                     "must be a JSON object, got an array",
		`{"pain_before": 2, "pain_after": null}`: "",
	} {
		err := post(body)
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", body, err)
			}
			continue
		}
		if backcoach.ErrorCode(err) != backcoach.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want …%s…", body, err, want)
		}
	}
}
