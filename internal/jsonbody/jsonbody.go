// Package jsonbody is the one strict reader of JSON documents sent to
// backcoach: the API's request bodies, the web pages' JSON posts and the
// assessment's answers document all go through Decode.
//
// Unknown fields, missing required fields, wrong types and anything after
// the document are EINVALID errors that name the field as a dotted path
// ("exercises[2].outcome", "context.places[0]") and say what is allowed.
// Rules about values (ranges, ids) are the domain's, checked by the caller
// after decoding.
package jsonbody

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
)

// Options says how a document is read.
type Options struct {
	// Root names the document itself in errors about its whole: "body"
	// when empty.
	Root string
	// Optional makes every field optional, whatever its tags say.
	Optional bool
}

// Decode reads a JSON object into v, a pointer to a struct, strictly, with
// the default options.
//
// A field is required unless its JSON tag has omitempty or omitzero, or
// its required tag says otherwise: the same rule the OpenAPI document is
// written by. JSON null counts as absent.
func Decode(data []byte, v any) error { return Options{}.Decode(data, v) }

// Decode reads a JSON object into v, a pointer to a struct, strictly.
func (o Options) Decode(data []byte, v any) error {
	root := o.Root
	if root == "" {
		root = "body"
	}
	d := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		return backcoach.Invalid(root, "must be a JSON object%s", syntaxHint(err))
	}
	if _, err := d.Token(); err == nil {
		return backcoach.Invalid(root, "must be a single JSON object, but more follows it")
	}
	if Kind(raw) != "an object" {
		return backcoach.Invalid(root, "must be a JSON object, got %s", Kind(raw))
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("jsonbody: Decode needs a pointer to a struct, got %T", v)
	}
	return decoder{o, root}.value("", raw, rv.Elem())
}

type decoder struct {
	Options
	root string
}

var timeType = reflect.TypeFor[time.Time]()

// value decodes raw into rv, naming errors after path.
func (dc decoder) value(path string, raw json.RawMessage, rv reflect.Value) error {
	t := rv.Type()
	switch {
	case t == timeType:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return backcoach.Invalid(path, "must be a time written as RFC 3339 text such as \"2026-03-02T08:30:00Z\", got %s", Kind(raw))
		}
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return backcoach.Invalid(path, "must be a time written as RFC 3339 text such as \"2026-03-02T08:30:00Z\", got %q", Clip(s))
		}
		rv.Set(reflect.ValueOf(at))
		return nil
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := dc.value(path, raw, p.Elem()); err != nil {
			return err
		}
		rv.Set(p)
		return nil
	case t.Kind() == reflect.Struct:
		return dc.object(path, raw, rv)
	case t.Kind() == reflect.Slice:
		var items []json.RawMessage
		if Kind(raw) != "an array" || json.Unmarshal(raw, &items) != nil {
			return backcoach.Invalid(path, "must be an array, got %s", Kind(raw))
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := dc.value(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i)); err != nil {
				return err
			}
		}
		rv.Set(s)
		return nil
	case t.Kind() == reflect.String:
		var s string
		if Kind(raw) != "a string" || json.Unmarshal(raw, &s) != nil {
			return backcoach.Invalid(path, "must be a string, got %s", Kind(raw))
		}
		rv.SetString(s)
		return nil
	case t.Kind() == reflect.Bool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return backcoach.Invalid(path, "must be true or false, got %s", Kind(raw))
		}
		rv.SetBool(b)
		return nil
	case t.Kind() == reflect.Int:
		f, err := number(path, raw)
		if err != nil {
			return err
		}
		if f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return backcoach.Invalid(path, "must be a whole number, got %s", Clip(string(bytes.TrimSpace(raw))))
		}
		rv.SetInt(int64(f))
		return nil
	case t.Kind() == reflect.Float64:
		f, err := number(path, raw)
		if err != nil {
			return err
		}
		rv.SetFloat(f)
		return nil
	}
	// Only the types above appear in documents; a new one must be taught
	// here before it can be used.
	return fmt.Errorf("jsonbody: cannot decode a field of type %s", t)
}

// object decodes a JSON object into a struct. An unknown field is reported
// before a missing one: it is most often the missing one misspelt.
func (dc decoder) object(path string, raw json.RawMessage, rv reflect.Value) error {
	var fields map[string]json.RawMessage
	if Kind(raw) != "an object" || json.Unmarshal(raw, &fields) != nil {
		return backcoach.Invalid(dc.orRoot(path), "must be a JSON object, got %s", Kind(raw))
	}
	t := rv.Type()
	known := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		if name, _, ok := Field(t.Field(i)); ok {
			known = append(known, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if slices.Contains(known, name) {
			continue
		}
		if name == "" {
			return backcoach.Invalid(dc.orRoot(path), "has a field without a name; allowed: %s", strings.Join(known, ", "))
		}
		return backcoach.Invalid(join(path, name), "is not a known field; allowed: %s", strings.Join(known, ", "))
	}
	for i := 0; i < t.NumField(); i++ {
		name, required, ok := Field(t.Field(i))
		if !ok {
			continue
		}
		value, present := fields[name]
		if present && bytes.Equal(bytes.TrimSpace(value), []byte("null")) {
			present = false
		}
		if !present {
			if required && !dc.Optional {
				return backcoach.Invalid(join(path, name), "is required")
			}
			continue
		}
		if err := dc.value(join(path, name), value, rv.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

// Field returns a struct field's JSON name and whether it is required,
// by the rules the OpenAPI document is written with; ok is false for
// fields JSON skips.
func Field(f reflect.StructField) (name string, required, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	tag := f.Tag.Get("json")
	name, opts, _ := strings.Cut(tag, ",")
	if name == "-" {
		return "", false, false
	}
	if name == "" {
		name = f.Name
	}
	required = !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero")
	if r, has := f.Tag.Lookup("required"); has {
		required, _ = strconv.ParseBool(r)
	}
	return name, required, true
}

// number reads a bare JSON number (a quoted one is a string).
func number(path string, raw json.RawMessage) (float64, error) {
	if Kind(raw) != "a number" {
		return 0, backcoach.Invalid(path, "must be a number, got %s", Kind(raw))
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, backcoach.Invalid(path, "must be a finite number, got %s", Clip(string(bytes.TrimSpace(raw))))
	}
	return f, nil
}

// Kind names the JSON type of a raw value for an error message: "a
// string", "an object", "null"...
func Kind(raw []byte) string {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return "nothing"
	}
	switch s[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func syntaxHint(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf(" (invalid JSON at byte %d: %v)", se.Offset, se)
	}
	if err.Error() == "EOF" {
		return ", got nothing"
	}
	return fmt.Sprintf(" (%v)", err)
}

// orRoot names the document itself when path is the top level.
func (dc decoder) orRoot(path string) string {
	if path == "" {
		return dc.root
	}
	return path
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Clip shortens what a client sent for an error message.
func Clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
