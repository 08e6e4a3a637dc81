package backcoach

// Place is where a person can do an exercise.
type Place string

// The places a routine can use.
const (
	PlaceDesk     Place = "desk"     // seated at a desk, on an ordinary chair
	PlaceStanding Place = "standing" // standing, in a little free space
	PlaceFloor    Place = "floor"    // on the floor or a mat
)

// Places lists every place, in the order a routine moves through them.
var Places = []Place{PlaceStanding, PlaceDesk, PlaceFloor}

// Equipment is something an exercise needs besides the person.
type Equipment string

// The equipment a person can say they have.
//
// EquipmentWall is "a wall or doorway": every interface asks for the two as
// one answer, and the doorway chest stretch needs it for the door frame. A
// separate doorway id would split an answer people have already given:
// profiles saved with "wall" would lose the doorway stretch until every
// interface asked the new question.
const (
	EquipmentWall       Equipment = "wall"
	EquipmentFoamRoller Equipment = "foam_roller"
	EquipmentChair      Equipment = "chair"
	EquipmentMat        Equipment = "mat"
)

// AllEquipment lists every kind of equipment.
var AllEquipment = []Equipment{EquipmentWall, EquipmentFoamRoller, EquipmentChair, EquipmentMat}

// Condition is a standing health condition that changes which exercises are
// safe (docs/clinical.md §4).
type Condition string

// The conditions the assessment asks about.
const (
	ConditionOsteoporosis     Condition = "osteoporosis"
	ConditionPregnant         Condition = "pregnant"
	ConditionKneeProblems     Condition = "knee_problems"
	ConditionShoulderProblems Condition = "shoulder_problems"
	ConditionFloorDifficulty  Condition = "floor_difficulty"
)

// Conditions lists every condition.
var Conditions = []Condition{ConditionOsteoporosis, ConditionPregnant, ConditionKneeProblems, ConditionShoulderProblems, ConditionFloorDifficulty}

// Cause is what the person thinks brought the pain on; it shapes the advice
// and the planner's emphasis, never safety.
type Cause string

// The causes a person can choose.
const (
	CauseOveruse      Cause = "overuse"
	CauseDeskWork     Cause = "desk_work"
	CausePosture      Cause = "posture"
	CauseStress       Cause = "stress"
	CauseExcessWeight Cause = "excess_weight"
	CauseHeavyBag     Cause = "heavy_bag"
	CauseLiftingWork  Cause = "lifting_work"
	CauseInjury       Cause = "injury"
	CauseDiscOrNerve  Cause = "disc_or_nerve"
)

// Causes lists every cause.
var Causes = []Cause{CauseOveruse, CauseDeskWork, CausePosture, CauseStress, CauseExcessWeight, CauseHeavyBag, CauseLiftingWork, CauseInjury, CauseDiscOrNerve}

// Position is the body position an exercise is done in. Positions are ordered
// from upright to lying so that a routine moves down to the floor once
// instead of up and down.
type Position string

// The positions, in routine order.
const (
	PositionStanding     Position = "standing"
	PositionSeated       Position = "seated"
	PositionSittingFloor Position = "sitting_floor"
	PositionLyingSide    Position = "lying_side"
	PositionHandsKnees   Position = "hands_knees"
	PositionKneeling     Position = "kneeling"
	PositionLyingFront   Position = "lying_front"
	PositionLyingBack    Position = "lying_back"
)

// Positions lists every position in routine order.
var Positions = []Position{PositionStanding, PositionSeated, PositionHandsKnees, PositionKneeling, PositionSittingFloor, PositionLyingFront, PositionLyingSide, PositionLyingBack}

// Order returns the position's place in a routine; unknown positions sort last.
func (p Position) Order() int {
	for i, q := range Positions {
		if p == q {
			return i
		}
	}
	return len(Positions)
}

// Region is a part of the body an exercise works on.
type Region string

// The regions exercises target.
const (
	RegionThoracic  Region = "thoracic_spine"
	RegionNeck      Region = "neck"
	RegionShoulders Region = "shoulders"
	RegionScapula   Region = "shoulder_blades"
	RegionChest     Region = "chest"
	RegionSides     Region = "sides"
	RegionLowerBack Region = "lower_back"
	RegionBreathing Region = "breathing"
)

// Regions lists every region.
var Regions = []Region{RegionThoracic, RegionNeck, RegionShoulders, RegionScapula, RegionChest, RegionSides, RegionLowerBack, RegionBreathing}

// DoseKind says how an exercise is counted.
type DoseKind string

// The kinds of dose.
const (
	DoseHold  DoseKind = "hold"  // a static stretch held for a number of seconds
	DoseReps  DoseKind = "reps"  // a mobility drill of slow repetitions
	DoseTimed DoseKind = "timed" // a continuous movement for a number of seconds
)

// Sides says whether an exercise is done once or on each side.
type Sides string

// The values of Sides.
const (
	SidesNone Sides = "none" // both sides at once, or no side
	SidesEach Sides = "each" // the whole dose on one side, then on the other
)

// Range is an inclusive range of whole numbers.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Contains reports whether n lies in the range.
func (r Range) Contains(n int) bool { return n >= r.Min && n <= r.Max }

// Dose is how much of an exercise to do: the range a planner may choose
// from, per docs/clinical.md §5 and the ACSM guidelines.
type Dose struct {
	Kind          DoseKind `json:"kind"`
	Sets          Range    `json:"sets"`
	Reps          Range    `json:"reps,omitempty"`
	HoldSeconds   Range    `json:"hold_seconds,omitempty"`
	Sides         Sides    `json:"sides"`
	Tempo         string   `json:"tempo"`
	SecondsPerRep int      `json:"seconds_per_rep,omitempty"`
	Source        string   `json:"source"`
}

// CautionEffect is what a condition does to an exercise.
type CautionEffect string

// The effects of a caution.
const (
	CautionExclude CautionEffect = "exclude" // the exercise is left out
	CautionModify  CautionEffect = "modify"  // the exercise stays, done as the note says
)

// Caution is a condition that makes an exercise unsafe or needs a change.
type Caution struct {
	Condition Condition     `json:"condition"`
	Effect    CautionEffect `json:"effect"`
	Note      string        `json:"note"`
	Source    string        `json:"source,omitempty"`
}

// Exercise is one exercise of the catalog, in the project's own words.
type Exercise struct {
	ID                string      `json:"id"`
	Name              string      `json:"name"`
	Purpose           string      `json:"purpose"`
	Position          Position    `json:"position"`
	Places            []Place     `json:"places"`
	Equipment         []Equipment `json:"equipment"`
	OptionalEquipment []Equipment `json:"optional_equipment,omitempty"`
	Steps             []string    `json:"steps"`
	Breathing         string      `json:"breathing"`
	Feel              string      `json:"feel"`
	StopIf            []string    `json:"stop_if"`
	Dose              Dose        `json:"dose"`
	// Gentle exercises are the only ones offered in the high stage and with
	// a "soon" urgency; GentleNote says how to keep them small then.
	Gentle     bool      `json:"gentle"`
	GentleNote string    `json:"gentle_note,omitempty"`
	Warmup     bool      `json:"warmup"`
	Cautions   []Caution `json:"cautions"`
	Regions    []Region  `json:"regions"`
	// Emphasis names the causes this exercise suits best (desk_work,
	// stress...): the planner prefers them for people who chose those causes.
	Emphasis []Cause `json:"emphasis,omitempty"`
	// VariantOf names the main exercise when this one is a version of the
	// same movement (seated cat-cow is a version of cat-cow). A routine
	// holds at most one exercise of a family (docs/clinical.md §5).
	VariantOf string `json:"variant_of,omitempty"`
}

// Family is the id that names the exercise's family of versions: the main
// exercise's id, which is the exercise's own id unless it is a variant.
func (e *Exercise) Family() string {
	if e.VariantOf != "" {
		return e.VariantOf
	}
	return e.ID
}

// Caution returns the exercise's caution for a condition, if it has one.
func (e *Exercise) Caution(c Condition) (Caution, bool) {
	for _, k := range e.Cautions {
		if k.Condition == c {
			return k, true
		}
	}
	return Caution{}, false
}

// HasPlace reports whether the exercise can be done at the place.
func (e *Exercise) HasPlace(p Place) bool { return contains(e.Places, p) }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
