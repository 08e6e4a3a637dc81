package ical

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Component is a parsed component: VCALENDAR, VEVENT, VALARM and so on,
// with its properties in order and the components inside it.
type Component struct {
	Name       string
	Props      []Property
	Components []*Component
}

// Property is one parsed content line: its name, parameters and raw
// value (TEXT values still escaped; Text unescapes them).
type Property struct {
	Name   string
	Params map[string]string
	Value  string
}

// Prop returns the first property of that name, or nil.
func (c *Component) Prop(name string) *Property {
	for i := range c.Props {
		if c.Props[i].Name == name {
			return &c.Props[i]
		}
	}
	return nil
}

// Text returns the unescaped TEXT value of the first property of that
// name, or "" when there is none.
func (c *Component) Text(name string) string {
	p := c.Prop(name)
	if p == nil {
		return ""
	}
	s, err := Unescape(p.Value)
	if err != nil {
		return ""
	}
	return s
}

// Children returns the components inside c with that name.
func (c *Component) Children(name string) []*Component {
	var out []*Component
	for _, x := range c.Components {
		if x.Name == name {
			out = append(out, x)
		}
	}
	return out
}

// Parse reads one iCalendar object strictly, as the most demanding app
// would: every line ends in CRLF and is at most 75 octets of valid UTF-8,
// every unfolded line has the grammar name *(";" param) ":" value, TEXT
// escapes are valid, BEGIN and END pair up, and the object is exactly one
// VCALENDAR with VERSION:2.0 and a PRODID whose VEVENTs each have a UID,
// a DTSTAMP and a DTSTART. It says which line is wrong.
func Parse(data []byte) (*Component, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("ical: empty")
	}
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		return nil, fmt.Errorf("ical: the last line does not end in CRLF")
	}
	physical := strings.Split(string(data[:len(data)-2]), "\r\n")
	var lines []string
	for i, l := range physical {
		n := i + 1
		if strings.ContainsAny(l, "\r\n") {
			return nil, fmt.Errorf("ical: line %d has a bare CR or LF", n)
		}
		if len(l) > MaxLineOctets {
			return nil, fmt.Errorf("ical: line %d is %d octets long, more than %d", n, len(l), MaxLineOctets)
		}
		if !utf8.ValidString(l) {
			return nil, fmt.Errorf("ical: line %d is not valid UTF-8 (a fold split a character?)", n)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(lines) == 0 {
				return nil, fmt.Errorf("ical: line %d continues nothing", n)
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	var stack []*Component
	var root *Component
	for i, l := range lines {
		p, err := parseLine(l)
		if err != nil {
			return nil, fmt.Errorf("ical: content line %d (%.40q): %w", i+1, l, err)
		}
		switch p.Name {
		case "BEGIN":
			c := &Component{Name: p.Value}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("ical: content line %d: a second object after the VCALENDAR", i+1)
				}
				root = c
			} else {
				top := stack[len(stack)-1]
				top.Components = append(top.Components, c)
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].Name != p.Value {
				return nil, fmt.Errorf("ical: content line %d: END:%s without its BEGIN", i+1, p.Value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				return nil, fmt.Errorf("ical: content line %d: a property outside any component", i+1)
			}
			if isText(p.Name) {
				if _, err := Unescape(p.Value); err != nil {
					return nil, fmt.Errorf("ical: content line %d: %w", i+1, err)
				}
			}
			top := stack[len(stack)-1]
			top.Props = append(top.Props, p)
		}
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("ical: %s is never ended", stack[len(stack)-1].Name)
	}
	if root == nil || root.Name != "VCALENDAR" {
		return nil, fmt.Errorf("ical: the object is not a VCALENDAR")
	}
	if v := root.Prop("VERSION"); v == nil || v.Value != "2.0" {
		return nil, fmt.Errorf("ical: VERSION:2.0 is missing")
	}
	if root.Prop("PRODID") == nil {
		return nil, fmt.Errorf("ical: PRODID is missing")
	}
	for i, ev := range root.Children("VEVENT") {
		for _, name := range []string{"UID", "DTSTAMP", "DTSTART"} {
			if ev.Prop(name) == nil {
				return nil, fmt.Errorf("ical: VEVENT %d has no %s", i+1, name)
			}
		}
		for _, a := range ev.Children("VALARM") {
			if a.Prop("ACTION") == nil || a.Prop("TRIGGER") == nil {
				return nil, fmt.Errorf("ical: a VALARM of VEVENT %d lacks ACTION or TRIGGER", i+1)
			}
		}
	}
	return root, nil
}

// isText reports whether a property's value is TEXT, whose escapes are
// checked.
func isText(name string) bool {
	switch name {
	case "SUMMARY", "DESCRIPTION", "UID", "PRODID", "X-WR-CALNAME", "X-WR-CALDESC", "NAME", "LOCATION", "COMMENT":
		return true
	}
	return false
}

// parseLine reads an unfolded content line.
func parseLine(l string) (Property, error) {
	p := Property{Params: map[string]string{}}
	i := 0
	for i < len(l) && isNameChar(l[i]) {
		i++
	}
	if i == 0 {
		return p, fmt.Errorf("no property name")
	}
	p.Name = strings.ToUpper(l[:i])
	for i < len(l) && l[i] == ';' {
		i++
		j := i
		for j < len(l) && isNameChar(l[j]) {
			j++
		}
		if j == i || j >= len(l) || l[j] != '=' {
			return p, fmt.Errorf("a parameter without a name or '='")
		}
		name := strings.ToUpper(l[i:j])
		j++
		var val string
		if j < len(l) && l[j] == '"' {
			k := strings.IndexByte(l[j+1:], '"')
			if k < 0 {
				return p, fmt.Errorf("a quoted parameter value is never closed")
			}
			val = l[j+1 : j+1+k]
			j += k + 2
		} else {
			k := j
			for k < len(l) && l[k] != ';' && l[k] != ':' && l[k] != ',' && l[k] != '"' {
				k++
			}
			val = l[j:k]
			j = k
		}
		p.Params[name] = val
		i = j
	}
	if i >= len(l) || l[i] != ':' {
		return p, fmt.Errorf("no ':' after the name and parameters")
	}
	p.Value = l[i+1:]
	for _, r := range p.Value {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return p, fmt.Errorf("a control character %U in the value", r)
		}
	}
	return p, nil
}

func isNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}
