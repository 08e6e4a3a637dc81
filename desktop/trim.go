package desktop

import (
	"bufio"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// TrimMemory gives back what the daemon does not need while it waits:
// heap freed since start-up, and the pages of its own program file that
// starting up touched (the database engine, the command-line parser, the
// catalog). The program's pages stay in the page cache, shared and
// reclaimable; the few the waiting loop runs are read back from there on
// first use. It is a hint: errors are ignored.
func TrimMemory() {
	debug.FreeOSMemory()
	dropProgramPages()
}

// longWait is the wait before which the daemon gives its program's pages
// back: the loop's own pages are read back in a few microseconds when it
// wakes, so only waits this long are worth it.
const longWait = 10 * time.Second

// BeforeWait gives the program's pages back before a long wait, so that
// between readings the daemon holds only what it needs.
func BeforeWait(wait time.Duration) {
	if wait >= longWait {
		dropProgramPages()
	}
}

// dropProgramPages tells the kernel this process no longer needs the
// read-only pages mapped from its executable.
func dropProgramPages() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		start, end, ok := readOnlyMapping(sc.Text(), exe)
		if ok {
			_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_DONTNEED)
		}
	}
}

// readOnlyMapping parses a /proc/self/maps line and returns the range of a
// read-only, private mapping of the file exe.
func readOnlyMapping(line, exe string) (start, end uintptr, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 6 || fields[5] != exe || fields[1][1] == 'w' || fields[1][3] != 'p' {
		return 0, 0, false
	}
	lo, hi, found := strings.Cut(fields[0], "-")
	if !found {
		return 0, 0, false
	}
	s, err1 := strconv.ParseUint(lo, 16, 64)
	e, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || e <= s {
		return 0, 0, false
	}
	return uintptr(s), uintptr(e), true
}
