package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/catalog"
	"github.com/backcoach/backcoach/learn"
)

// The "Your upper back" section (package learn): the same topics as
// `backcoach learn`, open to everyone; a signed-in person also sees what
// their own causes mean for them.

// learnIndexView is the section's first page: the topics.
type learnIndexView struct {
	Section learn.Section
	Picture template.HTML
}

func (learnIndexView) title() (string, string) { return "Your upper back", "learn" }
func (learnIndexView) offline() bool           { return true }

// learnTopicView is one topic's page.
type learnTopicView struct {
	Topic   learn.Topic
	Picture template.HTML
	// Mine is the person's own part of the topic, if it has one.
	Mine    *learn.Mine
	Sources []catalog.Source
	// Prev and Next are the neighbouring topics, to read on.
	Prev, Next *learn.Topic
}

func (v learnTopicView) title() (string, string) { return v.Topic.Title, "learn" }
func (learnTopicView) offline() bool             { return true }

// learnPicture returns a topic's picture as inline SVG, named for screen
// readers by its title.
func learnPicture(name string) template.HTML {
	if name == "" {
		return ""
	}
	svg, err := learn.Picture(name)
	if err != nil {
		return ""
	}
	return template.HTML(strings.Replace(string(svg), "<svg ", `<svg role="img" class="picture" `, 1))
}

// learnIndex lists the topics.
func (s *Server) learnIndex(w http.ResponseWriter, r *http.Request) {
	r = s.withOptionalPerson(r)
	sec := learn.All()
	v := learnIndexView{Section: sec}
	for _, t := range sec.Topics {
		if t.Picture != "" {
			v.Picture = learnPicture(t.Picture)
			break
		}
	}
	s.render(w, r, "learn", v)
}

// learnTopic shows one topic; the causes topic reads the person's latest
// answers through the coach.
func (s *Server) learnTopic(w http.ResponseWriter, r *http.Request) {
	r = s.withOptionalPerson(r)
	t, err := learn.Get(r.PathValue("topic"))
	if err != nil {
		s.fail(w, r, backcoach.Errorf(backcoach.ENOTFOUND, "there is no topic %q; the topics are: %s", clipPath(r.PathValue("topic")), strings.Join(learn.IDs(), ", ")))
		return
	}
	v := learnTopicView{Topic: t, Picture: learnPicture(t.Picture), Sources: s.sources(t.Sources)}
	if t.Yours != nil {
		// Signed out, the topic says how to see one's own causes.
		v.Mine = t.YoursFor(nil)
	}
	if me := personFrom(r.Context()); me != nil && t.Yours != nil {
		d, err := s.day(r.Context(), me)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var ans *backcoach.Answers
		if d.Latest != nil {
			ans = &d.Latest.Answers
		}
		v.Mine = t.YoursFor(ans)
	}
	all := learn.All().Topics
	for i := range all {
		if all[i].ID != t.ID {
			continue
		}
		if i > 0 {
			v.Prev = &all[i-1]
		}
		if i+1 < len(all) {
			v.Next = &all[i+1]
		}
	}
	s.render(w, r, "learntopic", v)
}
