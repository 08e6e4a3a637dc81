package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOnePersonEveryInterface drives one person through the terminal, the
// JSON API and the web pages of one personal install (one database), and
// checks that every interface allows and plans the same: the same
// exercises while exercise is allowed, the same refusal after a warning
// sign answered in another interface, and the same way back after a
// clinician's clearance and a fresh check (docs/clinical.md §3).
func TestOnePersonEveryInterface(t *testing.T) {
	srv := startServer(t, "--single-user")
	u := &user{t: t, srv: srv, client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}

	// The safety check in the terminal.
	out, code := u.cli(calmAnswers, "assess", "--answers", "-", "--json")
	if code != 0 || !strings.Contains(out, `"exercise_allowed": true`) {
		t.Fatalf("assess in the terminal: %d\n%s", code, out)
	}
	first := u.samePlanEverywhere()
	if len(first) == 0 {
		t.Fatal("no exercises planned")
	}

	// A fever answered at a check-in through the API.
	if code, body := u.api("POST", "/api/v1/diary", map[string]any{"pain": 4, "flags_asked": true, "flags": []string{"fever"}}); code != 201 {
		t.Fatalf("check-in through the API: %d %s", code, body)
	}
	u.refusedEverywhere("fever")

	// The next screen alone does not lift it: a clean check in the terminal.
	if out, code := u.cli(calmAnswers, "assess", "--answers", "-", "--json"); code != 0 || !strings.Contains(out, `"exercise_allowed": false`) {
		t.Fatalf("a clean assessment while a fever stands: %d\n%s", code, out)
	}
	u.refusedEverywhere("fever")

	// A GP checked her (recorded in the terminal); a fresh check-in on the
	// web without signs brings exercise back, in every interface.
	today := time.Now().Format("2006-01-02")
	if out, code := u.cli("", "safety", "clear", "--by", "gp", "--on", today, "--name", "Dr Ash"); code != 0 || !strings.Contains(out, "Recorded") {
		t.Fatalf("recording the clearance: %d\n%s", code, out)
	}
	u.refusedEverywhere("fever")
	if code, body := u.web("POST", "/diary", url.Values{"pain": {"2"}, "ask_flags": {"1"}, "none": {"1"}}); code != 200 {
		t.Fatalf("a check-in on the web: %d\n%s", code, body)
	}
	if again := u.samePlanEverywhere(); !slices.Equal(again, first) {
		t.Errorf("after the clearance the plan is %v, before the fever it was %v", again, first)
	}
}

// calmAnswers are answers that allow the whole programme.
const calmAnswers = `{"age": 45, "pain_now": 3, "weeks": 1, "trend": "better", "clinician_assessed": true, "flags": [],
 "conditions": [], "causes": ["desk_work"], "context": {"minutes": 10, "places": ["desk", "standing"], "equipment": ["wall", "chair"]}}`

// user is one person using every interface of a personal install.
type user struct {
	t      *testing.T
	srv    *server
	client *http.Client
}

// cli runs a command of the terminal on the install's database.
func (u *user) cli(stdin string, args ...string) (string, int) {
	u.t.Helper()
	cmd := exec.Command(backcoachBinary(u.t), append([]string{"--db", u.srv.DB}, args...)...)
	cmd.Env = childEnv(u.t.TempDir())
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		u.t.Fatalf("backcoach %v: %v", args, err)
	}
	return out.String(), 0
}

// api sends a JSON request to the API.
func (u *user) api(method, path string, body any) (int, string) {
	u.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u.srv.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	return u.send(req)
}

// web gets a page, or posts a form to it.
func (u *user) web(method, path string, form url.Values) (int, string) {
	u.t.Helper()
	req, _ := http.NewRequest(method, u.srv.URL+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return u.send(req)
}

func (u *user) send(req *http.Request) (int, string) {
	u.t.Helper()
	res, err := u.client.Do(req)
	if err != nil {
		u.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var cardID = regexp.MustCompile(`<h3 id="ex-([a-z0-9-]+)"`)

// samePlanEverywhere checks that the terminal, the API and the web page
// allow exercise and plan the same exercises today, and returns their ids.
func (u *user) samePlanEverywhere() []string {
	u.t.Helper()
	out, code := u.cli("", "plan", "--json")
	var cli struct {
		Exercises []struct{ ID string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &cli) != nil {
		u.t.Fatalf("plan in the terminal: %d\n%s", code, out)
	}
	var fromCLI []string
	for _, x := range cli.Exercises {
		fromCLI = append(fromCLI, x.ID)
	}
	code, body := u.api("GET", "/api/v1/plans/today", nil)
	var api struct {
		Plan struct {
			Exercises []struct{ ID string }
		}
	}
	if code != 200 || json.Unmarshal([]byte(body), &api) != nil {
		u.t.Fatalf("today's plan through the API: %d %s", code, body)
	}
	var fromAPI []string
	for _, x := range api.Plan.Exercises {
		fromAPI = append(fromAPI, x.ID)
	}
	code, page := u.web("GET", "/plan", nil)
	if code != 200 || !strings.Contains(page, "Start the guided session") {
		u.t.Fatalf("the plan page: %d, no session offered", code)
	}
	var fromWeb []string
	for _, m := range cardID.FindAllStringSubmatch(page, -1) {
		fromWeb = append(fromWeb, m[1])
	}
	if !slices.Equal(fromCLI, fromAPI) || !slices.Equal(fromCLI, fromWeb) {
		u.t.Fatalf("the interfaces plan differently:\nterminal %v\nAPI      %v\nweb      %v", fromCLI, fromAPI, fromWeb)
	}
	if code, body := u.api("GET", "/api/v1/safety", nil); code != 200 || !strings.Contains(body, `"exercise_allowed":true`) {
		u.t.Fatalf("the API's safety record: %d %s", code, body)
	}
	return fromCLI
}

// refusedEverywhere checks that every interface refuses exercise, naming
// the sign.
func (u *user) refusedEverywhere(sign string) {
	u.t.Helper()
	if out, code := u.cli("", "plan", "--json"); code != 0 || !strings.Contains(out, `"exercises": []`) || !strings.Contains(out, `"urgency": "urgent"`) {
		u.t.Errorf("plan in the terminal while %s stands: %d\n%s", sign, code, out)
	}
	if out, code := u.cli("3\n", "session", "--plain"); code != 2 || !strings.Contains(out, "CONTACT A DOCTOR TODAY") {
		u.t.Errorf("the terminal session while %s stands: %d\n%s", sign, code, out)
	}
	if out, code := u.cli("", "breaks", "show", "--kind", "movement"); code != 0 || !strings.Contains(out, "rest") {
		u.t.Errorf("a break in the terminal while %s stands: %d\n%s", sign, code, out)
	}
	code, body := u.api("GET", "/api/v1/assessments?limit=1", nil)
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) == 0 {
		u.t.Fatalf("listing assessments: %d %s", code, body)
	}
	code, body = u.api("POST", "/api/v1/plans", map[string]any{"assessment_id": list.Items[0].ID})
	if code != 403 || !strings.Contains(body, `"location":"safety.`+sign+`"`) {
		u.t.Errorf("a plan through the API while %s stands: %d %s", sign, code, body)
	}
	if code, page := u.web("GET", "/plan", nil); code != 200 || !strings.Contains(page, "No exercises today") || strings.Contains(page, "Start the guided session") {
		u.t.Errorf("the plan page while %s stands: %d", sign, code)
	}
	if code, page := u.web("GET", "/break?kind=movement&seq=1", nil); code != 200 || !strings.Contains(page, "A break: rest today") {
		u.t.Errorf("a break on the web while %s stands: %d", sign, code)
	}
}
