package api

import (
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/triage"
)

// The OpenAPI document lists the allowed values of every id type from the
// domain's own lists, so that the document and the rules cannot drift.

// enums holds the allowed values of each domain id type.
var enums = map[reflect.Type][]any{
	reflect.TypeFor[backcoach.Place]():       anyList(backcoach.Places),
	reflect.TypeFor[backcoach.Equipment]():   anyList(backcoach.AllEquipment),
	reflect.TypeFor[backcoach.Condition]():   anyList(backcoach.Conditions),
	reflect.TypeFor[backcoach.Cause]():       anyList(backcoach.Causes),
	reflect.TypeFor[backcoach.Stage]():       anyList(backcoach.Stages),
	reflect.TypeFor[backcoach.Trend]():       anyList(backcoach.Trends),
	reflect.TypeFor[backcoach.Urgency]():     anyList(backcoach.Urgencies),
	reflect.TypeFor[backcoach.Outcome]():     anyList(backcoach.Outcomes),
	reflect.TypeFor[backcoach.Role]():        anyList(backcoach.Roles),
	reflect.TypeFor[backcoach.Position]():    anyList(backcoach.Positions),
	reflect.TypeFor[backcoach.Region]():      anyList(backcoach.Regions),
	reflect.TypeFor[backcoach.AuditAction](): anyList(backcoach.AuditActions),
}

// registerEnums makes the registry document each domain id type as a
// string with its allowed values.
func registerEnums(r huma.Registry) {
	alias := map[reflect.Type]reflect.Type{
		reflect.TypeFor[backcoach.Place]():       reflect.TypeFor[enumOf[backcoach.Place]](),
		reflect.TypeFor[backcoach.Equipment]():   reflect.TypeFor[enumOf[backcoach.Equipment]](),
		reflect.TypeFor[backcoach.Condition]():   reflect.TypeFor[enumOf[backcoach.Condition]](),
		reflect.TypeFor[backcoach.Cause]():       reflect.TypeFor[enumOf[backcoach.Cause]](),
		reflect.TypeFor[backcoach.Stage]():       reflect.TypeFor[enumOf[backcoach.Stage]](),
		reflect.TypeFor[backcoach.Trend]():       reflect.TypeFor[enumOf[backcoach.Trend]](),
		reflect.TypeFor[backcoach.Urgency]():     reflect.TypeFor[enumOf[backcoach.Urgency]](),
		reflect.TypeFor[backcoach.Outcome]():     reflect.TypeFor[enumOf[backcoach.Outcome]](),
		reflect.TypeFor[backcoach.Role]():        reflect.TypeFor[enumOf[backcoach.Role]](),
		reflect.TypeFor[backcoach.Position]():    reflect.TypeFor[enumOf[backcoach.Position]](),
		reflect.TypeFor[backcoach.Region]():      reflect.TypeFor[enumOf[backcoach.Region]](),
		reflect.TypeFor[backcoach.AuditAction](): reflect.TypeFor[enumOf[backcoach.AuditAction]](),
	}
	for t, a := range alias {
		r.RegisterTypeAlias(t, a)
	}
}

// enumOf documents the domain id type T.
type enumOf[T ~string] string

// Schema is a string with T's allowed values.
func (enumOf[T]) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Enum: enums[reflect.TypeFor[T]()]}
}

// stageDescription documents the answers' stage_description, which is a
// stage other than "none".
type stageDescription string

// Schema is a string naming a stage above none.
func (stageDescription) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Enum: anyList(backcoach.Stages[1:])}
}

// flagID documents a red-flag id (docs/clinical.md §3).
type flagID string

// Schema is a string naming a warning sign of the triage's list.
func (flagID) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Enum: anyList(triage.FlagIDs())}
}

func anyList[T ~string](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
