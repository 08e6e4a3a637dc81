package desktop

import "testing"

func TestReadOnlyMapping(t *testing.T) {
	exe := "/usr/bin/backcoach"
	for _, tc := range []struct {
		line       string
		start, end uintptr
		ok         bool
	}{
		{"00400000-00cf8000 r-xp 00000000 08:01 1234 /usr/bin/backcoach", 0x400000, 0xcf8000, true},
		{"00cf8000-016ed000 r--p 008f8000 08:01 1234 /usr/bin/backcoach", 0xcf8000, 0x16ed000, true},
		{"016ed000-017e5000 rw-p 012ed000 08:01 1234 /usr/bin/backcoach", 0, 0, false}, // data: written
		{"7f00-8f00 r-xp 00000000 08:01 99 /usr/lib/libc.so.6", 0, 0, false},           // another file
		{"7f00-8f00 r--s 00000000 08:01 1234 /usr/bin/backcoach", 0, 0, false},         // shared
		{"14b4ea800000-14b4ec000000 rw-p 00000000 00:00 0", 0, 0, false},
		{"garbage", 0, 0, false},
		{"9000-8000 r-xp 00000000 08:01 1234 /usr/bin/backcoach", 0, 0, false},
	} {
		s, e, ok := readOnlyMapping(tc.line, exe)
		if s != tc.start || e != tc.end || ok != tc.ok {
			t.Errorf("%q: %x-%x %v, want %x-%x %v", tc.line, s, e, ok, tc.start, tc.end, tc.ok)
		}
	}
}

func TestTrimMemoryKeepsTheProgramRunning(t *testing.T) {
	TrimMemory()
	BeforeWait(longWait)
	// Still here, and code still runs after its pages were given back.
	if got := durationLabel(longWait); got != "10 s" {
		t.Fatalf("durationLabel after trimming: %q", got)
	}
}
