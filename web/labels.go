package web

import "reflect"

// labels are the words the pages use for the domain's ids: the
// conditions, causes, places, equipment, stages, trends and urgencies.
var labels = map[string]string{
	// conditions
	"osteoporosis":      "Osteoporosis (thin bones)",
	"pregnant":          "Pregnant",
	"knee_problems":     "Knee problems (kneeling is hard)",
	"shoulder_problems": "Shoulder problems (raising the arms is hard)",
	"floor_difficulty":  "Getting down to the floor is hard",
	// causes
	"overuse":       "Overusing the muscles",
	"desk_work":     "Desk work",
	"posture":       "Posture",
	"stress":        "Stress",
	"excess_weight": "Extra weight",
	"heavy_bag":     "A heavy bag or backpack",
	"lifting_work":  "Lifting or twisting at work",
	"injury":        "An injury",
	"disc_or_nerve": "A diagnosed disc or nerve problem",
	// access token scopes
	"read":       "Read only",
	"read_write": "Read and change",
	// places
	"desk":     "At a desk",
	"standing": "Standing",
	"floor":    "On the floor",
	// equipment
	"wall":        "A wall or doorway",
	"foam_roller": "A foam roller",
	"chair":       "A chair",
	"mat":         "A mat",
	// stages
	"none":     "No pain",
	"mild":     "Mild",
	"moderate": "Moderate",
	"high":     "High",
	// trends
	"better": "Getting better",
	"same":   "About the same",
	"worse":  "Getting worse",
	// urgencies
	"self_care": "Self-care",
	"soon":      "See someone soon",
	"urgent":    "Contact a doctor today",
	"emergency": "Emergency",
	// outcomes
	"done":    "Done",
	"skipped": "Skipped",
	"stopped": "Stopped",
	// positions
	"seated":        "Seated",
	"sitting_floor": "Sitting on the floor",
	"lying_side":    "Lying on your side",
	"hands_knees":   "On hands and knees",
	"kneeling":      "Kneeling",
	"lying_front":   "Lying on your front",
	"lying_back":    "Lying on your back",
	// doses
	"hold":  "Hold",
	"reps":  "Repetitions",
	"timed": "Timed",
	// regions
	"thoracic_spine":  "Upper back",
	"neck":            "Neck",
	"shoulders":       "Shoulders",
	"shoulder_blades": "Shoulder blades",
	"chest":           "Chest",
	"sides":           "Sides",
	"lower_back":      "Lower back",
	"breathing":       "Breathing",
}

// stageWords explain each stage the way the assessment describes it.
var stageWords = map[string]string{
	"none":     "You gave your pain as 0: no pain right now.",
	"mild":     "A minor ache that is easy to ignore (1 to 3 out of 10).",
	"moderate": "Clearly there; you notice it when you do things (4 to 6 out of 10).",
	"high":     "You feel it even in the simplest everyday tasks (7 to 10 out of 10).",
}

// label returns the words for an id (a string or one of the domain's
// string types), or the id itself.
func label(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.String {
		return ""
	}
	id := rv.String()
	if l, ok := labels[id]; ok {
		return l
	}
	return id
}
