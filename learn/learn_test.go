package learn

import (
	"encoding/xml"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/triage"
)

// The section covers what issue and docs/clinical.md §1–§4 ask for, in
// this order, and every topic has words and sources the catalog knows.
func TestTopicsSchema(t *testing.T) {
	t.Parallel()
	cat := catalog.MustLoad()
	s := All()
	if got, want := IDs(), []string{"spine", "stages", "causes", "prevention", "doctor"}; !slices.Equal(got, want) {
		t.Fatalf("topics %v, want %v", got, want)
	}
	for _, tp := range s.Topics {
		if len(tp.Sources) == 0 {
			t.Errorf("topic %s cites no source", tp.ID)
		}
		for _, src := range tp.Sources {
			if _, ok := cat.Source(src); !ok {
				t.Errorf("topic %s cites %q, which catalog/sources.json does not list", tp.ID, src)
			}
		}
		for _, g := range tp.Groups {
			if g.Heading == "" || len(g.Items) == 0 {
				t.Errorf("topic %s group %s: heading %q and %d items", tp.ID, g.ID, g.Heading, len(g.Items))
			}
			for _, it := range g.Items {
				if it.Text == "" {
					t.Errorf("topic %s group %s: an item without text", tp.ID, g.ID)
				}
			}
		}
	}
	spine, _ := Get("spine")
	if !strings.Contains(strings.Join(spine.Body, " "), "twelve") || spine.Picture == "" {
		t.Errorf("the spine topic must say there are twelve vertebrae and have a picture")
	}
}

// docs/clinical.md §1: the upper back hurts less often than the neck or the
// lower back; the words must never say it the other way round.
func TestSpineFrequencyNotBackwards(t *testing.T) {
	t.Parallel()
	spine, _ := Get("spine")
	text := strings.ToLower(strings.Join(spine.Body, " "))
	if !strings.Contains(text, "painful less often") {
		t.Errorf("the spine topic does not say the upper back hurts less often")
	}
	for _, wrong := range []string{"more often", "most common", "more common"} {
		if strings.Contains(text, wrong) {
			t.Errorf("the spine topic says %q", wrong)
		}
	}
}

// The derived lists show the triage content's own sentences, all of them.
func TestDerivedFromTriage(t *testing.T) {
	t.Parallel()
	texts := func(id string) []string {
		tp, err := Get(id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, g := range tp.Groups {
			for _, it := range g.Items {
				out = append(out, it.Text)
			}
		}
		return out
	}
	prevention := texts("prevention")
	for _, p := range triage.Texts().Prevention {
		if !slices.Contains(prevention, p) {
			t.Errorf("prevention does not show %q", p)
		}
	}
	causes := texts("causes")
	for c, advice := range triage.Texts().Causes {
		if !slices.Contains(causes, advice) {
			t.Errorf("causes does not show the advice for %s", c)
		}
	}
	doctor := texts("doctor")
	for _, f := range triage.Flags() {
		if !slices.Contains(doctor, f.Why) {
			t.Errorf("when to see a doctor does not show the sign %s", f.ID)
		}
	}
	tp, _ := Get("doctor")
	for _, g := range tp.Groups {
		if lvl := triage.LevelOf(backcoach.Urgency(g.ID)); g.Heading != lvl.Title {
			t.Errorf("group %s is headed %q, want the level's title %q", g.ID, g.Heading, lvl.Title)
		}
	}
	stages, _ := Get("stages")
	for _, g := range stages.Groups {
		if want := triage.Ask("stage_description").Label(g.ID); g.Heading != want {
			t.Errorf("stage group %s is headed %q, want %q", g.ID, g.Heading, want)
		}
	}
}

// A person's own causes come back with their words and advice, in the
// domain's order; no answers and no causes say so.
func TestYoursFor(t *testing.T) {
	t.Parallel()
	tp, _ := Get("causes")
	m := tp.YoursFor(&backcoach.Answers{Causes: []backcoach.Cause{backcoach.CauseHeavyBag, backcoach.CauseDeskWork}})
	if len(m.Items) != 2 || m.Items[0].Cause != backcoach.CauseDeskWork || m.Items[1].Text != triage.Texts().Causes[backcoach.CauseHeavyBag] {
		t.Errorf("yours: %+v", m)
	}
	if m.Items[0].Label != triage.Ask("causes").Label("desk_work") {
		t.Errorf("a cause is labelled %q", m.Items[0].Label)
	}
	if m := tp.YoursFor(&backcoach.Answers{}); len(m.Items) != 0 || m.Lead != tp.Yours.None {
		t.Errorf("no causes: %+v", m)
	}
	if m := tp.YoursFor(nil); m.Lead != tp.Yours.Unknown {
		t.Errorf("no answers: %+v", m)
	}
	spine, _ := Get("spine")
	if spine.YoursFor(nil) != nil {
		t.Error("the spine topic has no part about the person's causes")
	}
}

func TestGetUnknown(t *testing.T) {
	t.Parallel()
	_, err := Get("knees")
	if backcoach.ErrorCode(err) != backcoach.ENOTFOUND || !strings.Contains(err.Error(), "spine") {
		t.Errorf("Get(knees): %v", err)
	}
	if _, err := Picture("../topics.json"); err == nil {
		t.Error("a path outside svg/ was served")
	}
}

// Bad data is refused with the field named.
func TestParseRefuses(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"title":"x","intro":"y","topics":[{"id":"A","title":"t","summary":"s","body":["b"],"sources":["NHS: Back pain"]}]}`:                          "lower-case",
		`{"title":"x","intro":"y","topics":[{"id":"a","title":"t","summary":"s","body":["b"],"derive":"knees","sources":[]}]}`:                         "derive",
		`{"title":"x","intro":"y","topics":[{"id":"a","title":"t","summary":"s","body":[],"sources":[]}]}`:                                             "body",
		`{"title":"x","intro":"y","topics":[{"id":"a","title":"t","summary":"s","body":["b"],"extra":1}]}`:                                             "unknown field",
		`{"title":"x","intro":"y","topics":[{"id":"a","title":"t","summary":"s","body":["b"],"groups":[{"id":"g","items":[{"cause":"knees"}]}]}]}`:     "cause",
		`{"title":"x","intro":"y","topics":[{"id":"a","title":"t","summary":"s","body":["b"],"derive":"stages","groups":[{"id":"high","items":[]}]}]}`: "stages",
	}
	for doc, want := range cases {
		if _, err := Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s): %v, want an error about %q", doc, err, want)
		}
	}
}

// The pictures follow the house style: the exercise illustrations'
// canvas, a title and a description, small, and nothing from outside.
func TestPictures(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(files, "svg/*.svg")
	if err != nil || len(names) == 0 {
		t.Fatalf("no pictures: %v", err)
	}
	for _, n := range names {
		b, _ := files.ReadFile(n)
		if len(b) > 4096 {
			t.Errorf("%s is %d bytes, want at most 4 KB", n, len(b))
		}
		var doc struct {
			ViewBox string `xml:"viewBox,attr"`
			Title   string `xml:"title"`
			Desc    string `xml:"desc"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if doc.ViewBox != "0 0 320 200" || doc.Title == "" || doc.Desc == "" {
			t.Errorf("%s: viewBox %q, title %q, desc %q", n, doc.ViewBox, doc.Title, doc.Desc)
		}
		for _, bad := range []string{"href", "<image", "<text", "<script"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s contains %s", n, bad)
			}
		}
	}
}
