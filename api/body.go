package api

import (
	"github.com/backcoach/backcoach/internal/jsonbody"
)

// decodeBody reads a JSON request body into v, a pointer to a struct,
// with jsonbody, the one strict decoder the answers parser uses too:
// unknown fields, missing required fields, wrong types and anything after
// the object are EINVALID errors that name the field
// ("exercises[2].outcome") and say what is allowed. A field is required
// exactly when the OpenAPI document says so: unless its JSON tag has
// omitempty or omitzero, or its required tag says otherwise. Rules about
// values (ranges, ids) are the domain's, checked after decoding.
func decodeBody(data []byte, v any) error { return jsonbody.Decode(data, v) }

// clip shortens what a client sent for an error message.
func clip(s string) string { return jsonbody.Clip(s) }
