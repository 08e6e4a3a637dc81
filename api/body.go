package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// decodeBody reads a JSON request body into v, a pointer to a struct,
// strictly: unknown fields, missing required fields, wrong types and
// anything after the object are EINVALID errors that name the field
// ("exercises[2].outcome") and say what is allowed. A field is required
// exactly when the OpenAPI document says so: unless its JSON tag has
// omitempty or omitzero, or its required tag says otherwise. JSON null
// counts as absent. Rules about values (ranges, ids) are the domain's,
// checked after decoding.
func decodeBody(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		return backcoach.Invalid("body", "must be a JSON object%s", syntaxHint(err))
	}
	if _, err := d.Token(); err == nil {
		return backcoach.Invalid("body", "must be a single JSON object, but more follows it")
	}
	rv := reflect.ValueOf(v).Elem()
	if kindOf(raw) != "an object" {
		return backcoach.Invalid("body", "must be a JSON object, got %s", kindOf(raw))
	}
	return decodeValue("", raw, rv)
}

var timeType = reflect.TypeFor[time.Time]()

// decodeValue decodes raw into rv, naming errors after path.
func decodeValue(path string, raw json.RawMessage, rv reflect.Value) error {
	t := rv.Type()
	switch {
	case t == timeType:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return backcoach.Invalid(path, "must be a time written as RFC 3339 text such as \"2026-03-02T08:30:00Z\", got %s", kindOf(raw))
		}
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return backcoach.Invalid(path, "must be a time written as RFC 3339 text such as \"2026-03-02T08:30:00Z\", got %q", clip(s))
		}
		rv.Set(reflect.ValueOf(at))
		return nil
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := decodeValue(path, raw, p.Elem()); err != nil {
			return err
		}
		rv.Set(p)
		return nil
	case t.Kind() == reflect.Struct:
		return decodeObject(path, raw, rv)
	case t.Kind() == reflect.Slice:
		var items []json.RawMessage
		if kindOf(raw) != "an array" || json.Unmarshal(raw, &items) != nil {
			return backcoach.Invalid(path, "must be an array, got %s", kindOf(raw))
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeValue(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i)); err != nil {
				return err
			}
		}
		rv.Set(s)
		return nil
	case t.Kind() == reflect.String:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return backcoach.Invalid(path, "must be a string, got %s", kindOf(raw))
		}
		rv.SetString(s)
		return nil
	case t.Kind() == reflect.Bool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return backcoach.Invalid(path, "must be true or false, got %s", kindOf(raw))
		}
		rv.SetBool(b)
		return nil
	case t.Kind() == reflect.Int:
		f, err := number(path, raw)
		if err != nil {
			return err
		}
		if f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return backcoach.Invalid(path, "must be a whole number, got %s", clip(string(bytes.TrimSpace(raw))))
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
	// Only the types above appear in request bodies; a new one must be
	// taught here before it can be used.
	return fmt.Errorf("api: cannot decode a request field of type %s", t)
}

// decodeObject decodes a JSON object into a struct.
func decodeObject(path string, raw json.RawMessage, rv reflect.Value) error {
	var fields map[string]json.RawMessage
	if kindOf(raw) != "an object" || json.Unmarshal(raw, &fields) != nil {
		return backcoach.Invalid(path, "must be an object, got %s", kindOf(raw))
	}
	t := rv.Type()
	known := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, required, ok := jsonField(f)
		if !ok {
			continue
		}
		known = append(known, name)
		value, present := fields[name]
		if present && bytes.Equal(bytes.TrimSpace(value), []byte("null")) {
			present = false
		}
		if !present {
			if required {
				return backcoach.Invalid(join(path, name), "is required")
			}
			continue
		}
		if err := decodeValue(join(path, name), value, rv.Field(i)); err != nil {
			return err
		}
	}
	for name := range fields {
		if slices.Contains(known, name) {
			continue
		}
		if name == "" {
			return backcoach.Invalid(orBody(path), "has a field without a name; allowed: %s", strings.Join(known, ", "))
		}
		return backcoach.Invalid(join(path, name), "is not a known field; allowed: %s", strings.Join(known, ", "))
	}
	return nil
}

// jsonField returns a struct field's JSON name and whether it is required,
// by the rules huma documents it with; ok is false for fields JSON skips.
func jsonField(f reflect.StructField) (name string, required, ok bool) {
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
	if kindOf(raw) != "a number" {
		return 0, backcoach.Invalid(path, "must be a number, got %s", kindOf(raw))
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, backcoach.Invalid(path, "must be a finite number, got %s", clip(string(bytes.TrimSpace(raw))))
	}
	return f, nil
}

// kindOf names the JSON type of a raw value for an error message, in the
// same words as the answers parser.
func kindOf(raw json.RawMessage) string { return triage.JSONKind(raw) }

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

// orBody names the body itself when path is the top level.
func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// clip shortens what a client sent for an error message.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
