package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/learn"
	"github.com/backcoach/backcoach/termpic"
	"github.com/backcoach/backcoach/triage"
)

// learnCmd shows the "Your upper back" section: the list of topics, or
// one topic in full.
type learnCmd struct {
	Topic string `arg:"" optional:"" help:"The topic to read (spine, stages, causes, prevention, doctor); without it, the list of topics."`
	Plain bool   `help:"Text only: no picture and no colour, for screen readers and pipes."`
}

func (c *learnCmd) Run(a *app) error {
	if c.Topic == "" {
		printTopics(a.stdout)
		return nil
	}
	t, err := learn.Get(c.Topic)
	if err != nil {
		return backcoach.Invalid("TOPIC", "%q is not a topic; choose one of: %s", c.Topic, strings.Join(learn.IDs(), ", "))
	}
	var mine *learn.Mine
	if t.Yours != nil {
		// The causes topic says what the person's own causes mean for
		// them, from their latest assessment (docs/clinical.md §4).
		err := a.withCoach(func(co *coach.Coach, me *backcoach.Person) error {
			d, err := co.Day(a.ctx, me.ID)
			if err != nil {
				return err
			}
			var ans *backcoach.Answers
			if d.Latest != nil {
				ans = &d.Latest.Answers
			}
			mine = t.YoursFor(ans)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return printTopic(a, t, mine, c.Plain)
}

// printTopics lists the topics with their summaries.
func printTopics(w io.Writer) {
	s := learn.All()
	fmt.Fprintln(w, s.Title)
	fmt.Fprintln(w)
	para(w, "", s.Intro)
	fmt.Fprintln(w)
	for _, t := range s.Topics {
		fmt.Fprintf(w, "%-11s %s\n", t.ID, t.Title)
		para(w, strings.Repeat(" ", 12), t.Summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "'backcoach learn TOPIC' shows one, for example 'backcoach learn spine'.")
	fmt.Fprintln(w)
	para(w, "", triage.Disclaimer())
}

// printTopic writes one topic: its words, its picture unless plain, the
// person's own part, its lists and its sources.
func printTopic(a *app, t learn.Topic, mine *learn.Mine, plain bool) error {
	w := a.stdout
	heading(w, t.Title, '=')
	para(w, "", t.Summary)
	if t.Picture != "" && !plain {
		svg, err := learn.Picture(t.Picture)
		if err != nil {
			return err
		}
		pic, err := termpic.Render(svg, termpic.Options{Width: 64, Height: 16, Props: true, Color: a.color})
		if err != nil {
			return err
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, pic)
	}
	for _, p := range t.Body {
		fmt.Fprintln(w)
		para(w, "", p)
	}
	if mine != nil {
		fmt.Fprintln(w)
		heading(w, mine.Heading, '-')
		para(w, "", mine.Lead)
		items(w, mine.Items)
	}
	for _, g := range t.Groups {
		fmt.Fprintln(w)
		heading(w, g.Heading, '-')
		if g.Lead != "" {
			para(w, "", g.Lead)
		}
		items(w, g.Items)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Sources:")
	for _, s := range t.Sources {
		full := s
		if src, ok := a.catalog.Source(s); ok {
			full = src.Full
		}
		para(w, "- ", full)
	}
	fmt.Fprintln(w)
	para(w, "", triage.Disclaimer())
	return nil
}

// heading writes a title underlined with the rune.
func heading(w io.Writer, title string, under rune) {
	fmt.Fprintln(w, title)
	fmt.Fprintln(w, strings.Repeat(string(under), len([]rune(title))))
}

// items writes a list, each item a bullet with its label first.
func items(w io.Writer, list []learn.Item) {
	for _, it := range list {
		text := it.Text
		if it.Label != "" {
			text = it.Label + ": " + text
		}
		para(w, "- ", text)
	}
}
