// Command footprint measures what the break reminder costs while the person
// is away: resident memory and CPU time of `backcoach breaks run`, side by
// side with Workrave and Safe Eyes (both packaged by Debian) doing the same,
// in the same run, on one throw-away Xvfb display with nobody at it.
//
//	go run ./bench/footprint                  # the full 10-minute measurement
//	go run ./bench/footprint -duration 1m     # a shorter one
//
// It needs Xvfb, dbus-daemon and dunst, and measures whichever of workrave
// and safeeyes (with xprintidle) are installed. It is not part of `go test`.
//
// What is measured, per program and its child processes: RSS (and PSS) at
// the end of the window and the highest RSS sampled during it; CPU time
// (user + system, reaped children included) spent during the window only,
// after a settling time; and voluntary context switches, a count of
// wake-ups. A bare idle Go process is measured too, as the floor.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	opts := options{}
	flag.DurationVar(&opts.duration, "duration", 10*time.Minute, "how long the programs are measured idle")
	flag.DurationVar(&opts.settle, "settle", 20*time.Second, "time after start before the window begins")
	flag.DurationVar(&opts.sample, "sample", 5*time.Second, "how often memory is sampled")
	flag.StringVar(&opts.binary, "backcoach", "", "a backcoach binary to measure (default: built from this module, without cgo)")
	flag.BoolVar(&opts.keep, "keep", false, "keep the scratch directory (logs) afterwards")
	flag.Parse()
	if err := measure(opts); err != nil {
		fmt.Fprintln(os.Stderr, "footprint:", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	duration, settle, sample time.Duration
	binary                   string
	keep                     bool
}

// subject is one program being measured.
type subject struct {
	name string
	cmd  *exec.Cmd
	// cpu0 and switches0 are the figures when the window began.
	cpu0      time.Duration
	switches0 int
	maxRSS    int
}

// result is what was measured of one subject.
type result struct {
	name           string
	rss, pss, max  int // KiB
	cpu            time.Duration
	switches       int
	alive          bool
	rssAnon, files int // KiB
}

// measure runs the whole measurement and prints the table.
func measure(o options) error {
	scratch, err := os.MkdirTemp("", "footprint-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Println("scratch directory:", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}
	for _, tool := range []string{"Xvfb", "dbus-daemon", "dunst"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (Debian: apt-get install xvfb dbus dunst)", tool)
		}
	}
	bin, err := binaries(o, scratch)
	if err != nil {
		return err
	}
	d, err := startDesktop(scratch)
	if err != nil {
		return err
	}
	defer d.stop()
	d.warmUp()
	subjects, err := d.startSubjects(bin)
	if err != nil {
		return err
	}
	defer stopAll(subjects)
	fmt.Printf("Measuring %d programs on display %s: %s to settle, then %s with nobody at the computer.\n",
		len(subjects), d.display, o.settle, o.duration)
	time.Sleep(o.settle)
	for _, s := range subjects {
		s.cpu0, s.switches0 = cpuTime(s.cmd.Process.Pid), switches(s.cmd.Process.Pid)
	}
	watch(subjects, o.duration, o.sample)
	report(collect(subjects), o.duration)
	return nil
}

// programs holds the paths of what is measured.
type programs struct {
	backcoach, floor string
}

// binaries builds (or takes) backcoach and builds the idle floor program.
func binaries(o options, dir string) (programs, error) {
	p := programs{backcoach: o.binary, floor: filepath.Join(dir, "idle-go")}
	if p.backcoach == "" {
		p.backcoach = filepath.Join(dir, "backcoach")
		root, err := moduleRoot()
		if err != nil {
			return p, err
		}
		if err := build(root, p.backcoach, "./cmd/backcoach"); err != nil {
			return p, err
		}
	}
	src := filepath.Join(dir, "idle.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"time\"\n\nfunc main() {\n\tfor {\n\t\ttime.Sleep(time.Hour)\n\t}\n}\n"), 0o600); err != nil {
		return p, err
	}
	return p, build(dir, p.floor, src)
}

// moduleRoot finds this module's directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		return "", errors.New("run this from inside the backcoach module, or give -backcoach")
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// build compiles a package without cgo: the one static binary the project
// ships.
func build(dir, out, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// desktop is the throw-away display and buses.
type desktop struct {
	dir, display, bus, systemBus string
	procs                        []*exec.Cmd
}

// startDesktop starts Xvfb on a free display, a session bus, a second bus
// standing in for the system bus (Safe Eyes needs one) and dunst.
func startDesktop(dir string) (*desktop, error) {
	d := &desktop{dir: dir}
	n := freeDisplay()
	if n < 0 {
		return nil, errors.New("no free X display number from :90 to :189")
	}
	d.display = ":" + strconv.Itoa(n)
	if err := d.spawn("Xvfb", d.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"); err != nil {
		return nil, err
	}
	if !waitFor(10*time.Second, func() bool { return accepts(fmt.Sprintf("/tmp/.X11-unix/X%d", n)) }) {
		d.stop()
		return nil, errors.New("Xvfb did not start")
	}
	var err error
	if d.bus, err = d.startBus("session-bus"); err != nil {
		d.stop()
		return nil, err
	}
	if d.systemBus, err = d.startBus("system-bus"); err != nil {
		d.stop()
		return nil, err
	}
	if err := d.spawnEnv(d.env("dunst"), "dunst"); err != nil {
		d.stop()
		return nil, err
	}
	return d, nil
}

// freeDisplay returns a display number no X server uses, or -1.
func freeDisplay() int {
	for n := 90; n < 190; n++ {
		if !displayTaken(n) {
			return n
		}
	}
	return -1
}

// displayTaken reports whether an X server has display n: its lock file
// names a live process, or its socket exists without a lock file. A stale
// lock (the server was killed) does not count: Xvfb replaces it.
func displayTaken(n int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/tmp/.X%d-lock", n))
	if err != nil {
		return exists(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	return err != nil || syscall.Kill(pid, 0) == nil
}

// startBus starts a dbus-daemon on a socket in the scratch directory.
func (d *desktop) startBus(name string) (string, error) {
	sock := filepath.Join(d.dir, name)
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--address=unix:path="+sock, "--print-address=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("dbus-daemon: %w", err)
	}
	d.procs = append(d.procs, cmd)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("dbus-daemon printed no address: %w", err)
	}
	return strings.TrimSpace(line), nil
}

// env returns the environment of a program on the desktop, with a home
// of its own so that it starts from its defaults.
func (d *desktop) env(name string) []string {
	home := filepath.Join(d.dir, "home-"+name)
	run := filepath.Join(home, "run")
	_ = os.MkdirAll(run, 0o700)
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS", "HOME",
			"XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "DISPLAY="+d.display, "DBUS_SESSION_BUS_ADDRESS="+d.bus, "DBUS_SYSTEM_BUS_ADDRESS="+d.systemBus,
		"HOME="+home, "XDG_RUNTIME_DIR="+run, "XDG_SESSION_TYPE=x11", "NO_AT_BRIDGE=1")
}

// spawn starts a helper with the plain environment.
func (d *desktop) spawn(name string, args ...string) error {
	return d.spawnEnv(os.Environ(), name, args...)
}

// spawnEnv starts a helper that runs until the end.
func (d *desktop) spawnEnv(env []string, name string, args ...string) error {
	cmd, err := d.start(env, name, args...)
	if err != nil {
		return err
	}
	d.procs = append(d.procs, cmd)
	return nil
}

// start starts a program with its output in a log file.
func (d *desktop) start(env []string, name string, args ...string) (*exec.Cmd, error) {
	log, err := os.Create(filepath.Join(d.dir, filepath.Base(name)+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(name, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cmd, nil
}

// warmUp runs each GTK peer once and stops it: the first GTK program on a
// fresh display pays for loading Mesa, which a real desktop has long paid.
func (d *desktop) warmUp() {
	for _, peer := range installedPeers() {
		cmd, err := d.start(d.env("warmup-"+peer[0]), peer[0], peer[1:]...)
		if err != nil {
			continue
		}
		time.Sleep(8 * time.Second)
		stop(cmd)
	}
}

// installedPeers lists the peers' command lines that are installed.
func installedPeers() [][]string {
	var peers [][]string
	for _, p := range [][]string{{"workrave"}, {"safeeyes"}} {
		if _, err := exec.LookPath(p[0]); err == nil {
			peers = append(peers, p)
		} else {
			fmt.Printf("%s is not installed: not measured (Debian: apt-get install %s)\n", p[0], p[0])
		}
	}
	return peers
}

// startSubjects starts backcoach, the peers and the floor, together.
func (d *desktop) startSubjects(p programs) ([]*subject, error) {
	var subjects []*subject
	add := func(name string, args ...string) error {
		cmd, err := d.start(d.env(name), args[0], args[1:]...)
		if err != nil {
			return err
		}
		subjects = append(subjects, &subject{name: name, cmd: cmd})
		return nil
	}
	db := filepath.Join(d.dir, "backcoach.db")
	if err := add("backcoach", p.backcoach, "--db", db, "breaks", "run"); err != nil {
		return subjects, err
	}
	for _, peer := range installedPeers() {
		if err := add(peer[0], peer...); err != nil {
			return subjects, err
		}
	}
	return subjects, add("idle Go (floor)", p.floor)
}

// watch waits out the window, sampling memory.
func watch(subjects []*subject, window, every time.Duration) {
	end := time.Now().Add(window)
	for time.Now().Before(end) {
		for _, s := range subjects {
			s.maxRSS = max(s.maxRSS, treeSum(s.cmd.Process.Pid, "VmRSS"))
		}
		time.Sleep(min(every, time.Until(end)+time.Millisecond))
	}
}

// collect reads the final figures.
func collect(subjects []*subject) []result {
	var out []result
	for _, s := range subjects {
		pid := s.cmd.Process.Pid
		r := result{name: s.name, alive: exists(fmt.Sprintf("/proc/%d", pid))}
		r.rss = treeSum(pid, "VmRSS")
		r.rssAnon = treeSum(pid, "RssAnon")
		r.files = treeSum(pid, "RssFile")
		r.pss = treePss(pid)
		r.max = max(s.maxRSS, r.rss)
		r.cpu = cpuTime(pid) - s.cpu0
		r.switches = switches(pid) - s.switches0
		out = append(out, r)
	}
	return out
}

// report prints the table and the ratios.
func report(results []result, window time.Duration) {
	fmt.Printf("\n%-16s %10s %10s %10s %10s %10s %12s %10s\n", "program", "RSS MiB", "max MiB", "anon MiB", "file MiB", "PSS MiB", "CPU s", "wake-ups")
	for _, r := range results {
		note := ""
		if !r.alive {
			note = "  (exited early: see its log)"
		}
		fmt.Printf("%-16s %10.1f %10.1f %10.1f %10.1f %10.1f %12.3f %10d%s\n", r.name, mib(r.rss), mib(r.max), mib(r.rssAnon), mib(r.files), mib(r.pss), r.cpu.Seconds(), r.switches, note)
	}
	fmt.Printf("(CPU time and wake-ups, voluntary context switches, over the %s window.)\n", window)
	var bc *result
	var peers []result
	for i, r := range results {
		switch {
		case r.name == "backcoach":
			bc = &results[i]
		case r.name != "idle Go (floor)" && r.alive:
			peers = append(peers, r)
		}
	}
	if bc == nil || len(peers) == 0 {
		return
	}
	sort.Slice(peers, func(i, j int) bool { return peers[i].rss < peers[j].rss })
	lighter := peers[0]
	fmt.Printf("\nbackcoach RSS / %s RSS (the lighter peer) = %.2f (target at most 0.33)\n", lighter.name, float64(bc.rss)/float64(lighter.rss))
	fmt.Printf("backcoach PSS / %s PSS = %.2f\n", lighter.name, float64(bc.pss)/float64(max(lighter.pss, 1)))
	for _, p := range peers {
		ratio := "n/a"
		if p.cpu > 0 {
			ratio = fmt.Sprintf("%.3f", bc.cpu.Seconds()/p.cpu.Seconds())
		}
		fmt.Printf("backcoach CPU / %s CPU = %s (%.3f s against %.3f s)\n", p.name, ratio, bc.cpu.Seconds(), p.cpu.Seconds())
	}
}

func mib(kib int) float64 { return float64(kib) / 1024 }

// tree returns pid and its descendants.
func tree(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp := ppid(p); pp > 0 {
			children[pp] = append(children[pp], p)
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// statFields returns the fields of /proc/pid/stat after the command name.
func statFields(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// ppid returns the parent of a process, or 0.
func ppid(pid int) int {
	f := statFields(pid)
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// clockTicks is USER_HZ, 100 on Linux.
const clockTicks = 100

// cpuTime returns the user and system time of a process tree, reaped
// children included.
func cpuTime(pid int) time.Duration {
	var ticks int
	for _, p := range tree(pid) {
		f := statFields(p)
		if len(f) < 15 {
			continue
		}
		for _, i := range []int{11, 12, 13, 14} { // utime stime cutime cstime
			n, _ := strconv.Atoi(f[i])
			ticks += n
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// treeSum adds a /proc/pid/status field (in kB) over a process tree.
func treeSum(pid int, field string) int {
	total := 0
	for _, p := range tree(pid) {
		total += statusField(fmt.Sprintf("/proc/%d/status", p), field)
	}
	return total
}

// treePss adds the proportional set size over a process tree.
func treePss(pid int) int {
	total := 0
	for _, p := range tree(pid) {
		total += statusField(fmt.Sprintf("/proc/%d/smaps_rollup", p), "Pss")
	}
	return total
}

// switches adds the voluntary context switches of every thread of a
// process tree.
func switches(pid int) int {
	total := 0
	for _, p := range tree(pid) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", p))
		for _, t := range tasks {
			total += statusField(t, "voluntary_ctxt_switches")
		}
	}
	return total
}

// statusField reads "Name: value ..." from a /proc file.
func statusField(path, name string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == name {
			n, _ := strconv.Atoi(strings.Fields(v)[0])
			return n
		}
	}
	return 0
}

// stop ends a program and its process group.
func stop(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	signal := func(sig syscall.Signal) {
		if syscall.Kill(-cmd.Process.Pid, sig) != nil {
			_ = cmd.Process.Signal(sig)
		}
	}
	signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		signal(syscall.SIGKILL)
		<-done
	}
}

func stopAll(subjects []*subject) {
	for _, s := range subjects {
		stop(s.cmd)
	}
}

// stop ends the desktop's helpers, last started first.
func (d *desktop) stop() {
	for i := len(d.procs) - 1; i >= 0; i-- {
		stop(d.procs[i])
	}
	d.procs = nil
}

// accepts reports whether a unix socket takes connections.
func accepts(path string) bool {
	c, err := net.Dial("unix", path)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// waitFor polls cond until it holds or the time is up.
func waitFor(limit time.Duration, cond func() bool) bool {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}
