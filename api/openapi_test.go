package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
)

// servedDocument fetches the OpenAPI document the way a client does.
func servedDocument(t *testing.T, e *env) map[string]any {
	t.Helper()
	res := e.do(t, nobody, "GET", "/api/v1/openapi.json", nil)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/v1/openapi.json: %d %q", res.status, res.header.Get("Content-Type"))
	}
	doc := res.json(t)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("the document is OpenAPI %v, want 3.1.0", doc["openapi"])
	}
	return doc
}

// TestEveryRouteIsDocumented walks the patterns registered on the API's
// mux and finds each in the served document, and each documented
// operation among the routes.
func TestEveryRouteIsDocumented(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	doc := servedDocument(t, e)
	paths := doc["paths"].(map[string]any)
	var documented []string
	for path, item := range paths {
		for method := range item.(map[string]any) {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	var routes []string
	for _, pattern := range e.api.Routes() {
		if pattern == Prefix+"/" {
			continue // the fallback that answers 404 and 405 for the rest
		}
		if !strings.Contains(pattern, " ") {
			t.Errorf("route %q has no method", pattern)
			continue
		}
		routes = append(routes, pattern)
	}
	sort.Strings(documented)
	sort.Strings(routes)
	if !slices.Equal(documented, routes) {
		t.Errorf("registered routes:\n%s\ndocumented operations:\n%s", strings.Join(routes, "\n"), strings.Join(documented, "\n"))
	}
	if len(routes) < 27 {
		t.Errorf("only %d routes registered", len(routes))
	}
}

// TestEveryDocumentedResponseValidates sends a request to every documented
// operation and checks the answer against the documented schema (e.do
// does that for every request of these tests), and checks that the check
// itself catches a body that departs from the schema.
func TestEveryDocumentedResponseValidates(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, e *env) {
		seen := map[string]bool{}
		for _, c := range routeCases {
			recs := e.makeRecords(t, e.alice)
			if c.prepare != nil {
				c.prepare(t, e)
			}
			var body any
			if c.body != nil {
				body = c.body(recs)
			}
			path := c.path(recs)
			req, _ := http.NewRequest(c.method, path, nil)
			op := e.operationOf(req)
			if op == nil {
				t.Fatalf("%s %s is served by no documented operation", c.method, path)
			}
			res := e.do(t, e.alice, c.method, path, body)
			if res.status >= 300 && res.status != c.owner {
				t.Errorf("%s: %d %s", op.OperationID, res.status, res.body)
			}
			seen[op.OperationID] = true
		}
		for path, item := range e.api.OpenAPI().Paths {
			for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
				if op := operationFor(item, m); op != nil && !seen[op.OperationID] {
					t.Errorf("%s %s (%s) was not tried", m, path, op.OperationID)
				}
			}
		}
	})

	// The check fails on a body that does not match.
	e := newEnv(t, t.TempDir()+"/db")
	registry := e.api.OpenAPI().Components.Schemas
	schema := registry.Schema(reflect.TypeFor[Page[backcoach.DiaryEntry]](), true, "")
	good := `{"items": [{"id": "a", "person_id": "b", "at": "2026-03-02T09:00:00Z", "pain": 3, "note": "", "flags_asked": false, "flags": []}], "next_cursor": null}`
	if errs := schemaErrors(registry, schema, []byte(good)); len(errs) != 0 {
		t.Errorf("a matching body is refused: %v", errs)
	}
	for _, bad := range []string{
		strings.Replace(good, `"pain": 3`, `"pain": "3"`, 1),
		strings.Replace(good, `"pain": 3, `, ``, 1),
		strings.Replace(good, `"note": ""`, `"note": "", "mood": 2`, 1),
		strings.Replace(good, `"at": "2026-03-02T09:00:00Z"`, `"at": "yesterday"`, 1),
		strings.Replace(good, `"next_cursor": null`, `"next_cursor": 3`, 1),
	} {
		if errs := schemaErrors(registry, schema, []byte(bad)); len(errs) == 0 {
			t.Errorf("a body that departs from the schema passes: %s", bad)
		}
	}
}

// TestDocumentedErrors checks what the document says about errors: every
// error answer is a problem document, and invalid input is 400, never 422.
func TestDocumentedErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	doc := servedDocument(t, e)
	for path, item := range doc["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			op := raw.(map[string]any)
			for status, r := range op["responses"].(map[string]any) {
				if status == "422" {
					t.Errorf("%s %s documents 422", method, path)
				}
				if status[0] != '4' && status[0] != '5' && status != "default" {
					continue
				}
				content, _ := r.(map[string]any)["content"].(map[string]any)
				if _, ok := content["application/problem+json"]; !ok || len(content) != 1 {
					t.Errorf("%s %s: the %s answer is not documented as application/problem+json: %v", method, path, status, content)
				}
			}
			if body, ok := op["requestBody"].(map[string]any); ok {
				content := body["content"].(map[string]any)
				if _, ok := content["application/json"]; !ok || len(content) != 1 {
					t.Errorf("%s %s: the request body is not documented as JSON alone: %v", method, path, keys(content))
				}
			}
		}
	}
}

// TestDocumentedBoundsAreEnforced sends, for every whole-number field of
// every request body that the document bounds, the values just outside
// the bounds (refused, naming the field) and the bounds themselves (not
// refused for that field), so that the document and the rules agree.
func TestDocumentedBoundsAreEnforced(t *testing.T) {
	t.Parallel()
	e := newEnv(t, t.TempDir()+"/db")
	registry := e.api.OpenAPI().Components.Schemas
	tried := 0
	for _, c := range routeCases {
		if c.body == nil {
			continue
		}
		recs := e.makeRecords(t, e.alice)
		req, _ := http.NewRequest(c.method, c.path(recs), nil)
		op := e.operationOf(req)
		schema := op.RequestBody.Content["application/json"].Schema
		if schema.Ref != "" {
			schema = registry.SchemaFromRef(schema.Ref)
		}
		for name, prop := range schema.Properties {
			if prop.Type != huma.TypeInteger && prop.Type != huma.TypeNumber {
				continue
			}
			for _, bound := range []struct {
				limit *float64
				step  float64
			}{{prop.Minimum, -1}, {prop.Maximum, +1}} {
				if bound.limit == nil {
					continue
				}
				for _, v := range []float64{*bound.limit + bound.step, *bound.limit} {
					recs := e.makeRecords(t, e.alice)
					body := bodyMap(t, c.body(recs))
					body[name] = v
					res := e.do(t, e.alice, c.method, c.path(recs), body)
					refused := false
					if res.status == http.StatusBadRequest {
						p := problemOf(t, res)
						refused = len(p.Errors) == 1 && p.Errors[0].Location == "body."+name
					}
					outside := v != *bound.limit
					if refused != outside {
						t.Errorf("%s %s=%v (documented bound %v): refused=%v\n%s", op.OperationID, name, v, *bound.limit, refused, res.body)
					}
					tried++
				}
			}
		}
	}
	if tried < 20 {
		t.Errorf("only %d bounds tried", tried)
	}
}

// bodyMap returns a copy of a request body as a map.
func bodyMap(t *testing.T, body any) map[string]any {
	t.Helper()
	var data []byte
	if s, ok := body.(string); ok {
		data = []byte(s)
	} else {
		var err error
		if data, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
