package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/learn"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/triage"
)

// welcomePage is what a signed-out visitor sees at /: what the coach
// does, shown with its own pictures — the upper back, a sample plan card
// and the exercise drawings — as well as words.
type welcomePage struct {
	Spine template.HTML
	// Sample is the first card of a sample plan: a few minutes at a desk.
	Sample []planCard
}

func (welcomePage) title() (string, string) { return "Welcome", "" }

// sampleAnswers are a made-up person's answers for the landing page's
// sample plan: mild pain from desk work, five minutes at a desk.
var sampleAnswers = backcoach.Answers{
	Age: 40, PainNow: 3, Weeks: 1, Trend: backcoach.TrendSame, ClinicianAssessed: true,
	Flags: []string{}, Conditions: []backcoach.Condition{}, Causes: []backcoach.Cause{backcoach.CauseDeskWork},
	Context: &backcoach.Context{Minutes: 5, Places: []backcoach.Place{backcoach.PlaceDesk, backcoach.PlaceStanding}, Equipment: []backcoach.Equipment{backcoach.EquipmentChair}},
}

// welcome builds the landing page: the planner's own plan for the sample
// answers, so that the card shown is one the coach really makes.
func (s *Server) welcome() welcomePage {
	ans := sampleAnswers
	p := planner.Build(s.catalog, planner.Request{Answers: &ans, Result: triage.Assess(&ans), Date: s.now().Format(backcoach.DateLayout)})
	cards, _ := s.cards(p)
	if len(cards) > 1 {
		cards = cards[:1]
	}
	return welcomePage{Spine: learnPicture("thoracic-spine.svg"), Sample: cards}
}

// onboardingSteps is how many screens the introduction after sign-up has.
const onboardingSteps = 3

// onboardingView is one screen of the introduction after sign-up: what
// will happen, in three screens, before the safety check.
type onboardingView struct {
	Step, Steps int
	Picture     template.HTML
}

func (onboardingView) title() (string, string) { return "What happens next", "" }

// onboardingPictures are the pictures of the introduction's screens.
var onboardingPictures = [onboardingSteps]func(s *Server) template.HTML{
	func(*Server) template.HTML { return learnPicture(learn.All().Topics[0].Picture) },
	func(s *Server) template.HTML { return s.picture("shoulder-rolls") },
	func(s *Server) template.HTML { return s.picture("seated-rotation") },
}

// onboarding shows a screen of the introduction; ?step=1 to 3.
func (s *Server) onboarding(w http.ResponseWriter, r *http.Request, _ *backcoach.Person) {
	step := 1
	if q := r.URL.Query().Get("step"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > onboardingSteps {
			s.fail(w, r, backcoach.Invalid("step", "must be 1 to %d, got %q", onboardingSteps, clipPath(q)))
			return
		}
		step = n
	}
	s.render(w, r, "start", onboardingView{Step: step, Steps: onboardingSteps, Picture: onboardingPictures[step-1](s)})
}
