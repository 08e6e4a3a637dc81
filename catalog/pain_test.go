package catalog

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// The pain rules load, cover every pain 0–10, and start every exercise's
// "Stop if" list with the usual stop rule.
func TestPainRules(t *testing.T) {
	c := MustLoad()
	p := c.Pain()
	want := map[int]GateMode{0: GateFull, 5: GateFull, 6: GateGentle, 7: GateGentle, 8: GateNone, 10: GateNone}
	for pain, mode := range want {
		if b, ok := p.Band(pain); !ok || b.Mode != mode {
			t.Errorf("pain %d: band %+v, want %s", pain, b, mode)
		}
	}
	if _, ok := p.Band(11); ok {
		t.Error("pain 11 has a band")
	}
	usual := c.StopRule(StopUsual)
	for _, e := range c.All() {
		if !slices.Equal(e.StopIf[:len(usual.StopIf)], usual.StopIf) {
			t.Errorf("%s: stop_if %q does not start with the usual rule", e.ID, e.StopIf)
		}
		gentle := c.StopIf(e.ID, c.StopRule(StopGentle))
		if len(gentle) != len(e.StopIf) || gentle[0] == e.StopIf[0] {
			t.Errorf("%s: the gentle list %q does not swap the rule", e.ID, gentle)
		}
	}
}

// Each schema rule of pain.json rejects a file that breaks it.
func TestParseRejectsBrokenPainRules(t *testing.T) {
	ex, src, svgs := validCatalog(t)
	pain := painJSON(t)
	cases := []struct{ name, from, to, want string }{
		{"gap between bands", `"from": 6`, `"from": 7`, "without gaps"},
		{"bands stop short", `"to": 10`, `"to": 9`, "end at pain 10"},
		{"unknown mode", `"mode": "gentle"`, `"mode": "soft"`, "mode must be"},
		{"unknown stop rule", `"stop_rule": "gentle"`, `"stop_rule": "kind"`, "not one of stop_rules"},
		{"no usual rule", `"usual": {`, `"normal": {`, `"usual" is missing`},
		{"offer not in the catalog", `"offer": ["rib-breathing"]`, `"offer": ["handstand"]`, "not a gentle exercise"},
		{"offer not gentle", `"offer": ["rib-breathing"]`, `"offer": ["wall-stretch"]`, "not a gentle exercise"},
		{"no session without an offer", `"offer": ["rib-breathing"]`, `"offer": []`, "must offer"},
		{"unknown placeholder", `{rise}`, `{ris}`, "unknown placeholder"},
		{"unknown field", `"ending": {`, `"ending": {"extra": 1,`, "unknown field"},
		{"gentle band without words", `"title": "A gentler session today"`, `"title": ""`, "needs a title"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(pain, []byte(tc.from)) {
				t.Fatalf("fixture text %q not in pain.json", tc.from)
			}
			broken := bytes.Replace(pain, []byte(tc.from), []byte(tc.to), 1)
			_, err := Parse(ex, src, broken, svgs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
