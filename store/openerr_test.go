package store

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backcoach/backcoach"
)

// mount runs mount(8) and unmounts at cleanup; it skips the test when
// this user may not mount (these tests need root, as CI runs).
func mount(t *testing.T, args ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a read-only or a full file system")
	}
	target := args[len(args)-1]
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Skipf("cannot mount here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", target).Run() })
}

// checkOpenError opens path and checks that the error names the cause
// and never calls the file damaged nor advises a restore.
func checkOpenError(t *testing.T, path, want string) {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err == nil {
		s.Close()
		t.Fatalf("Open(%s) succeeded", path)
	}
	msg := backcoach.ErrorMessage(err)
	if !strings.Contains(msg, want) {
		t.Fatalf("Open(%s): %q, want it to say %q", path, msg, want)
	}
	for _, wrong := range []string{"is damaged", "restore", "backup", "internal error"} {
		if strings.Contains(msg, wrong) {
			t.Fatalf("Open(%s): %q says %q, but the database is sound", path, msg, wrong)
		}
	}
	if !strings.Contains(msg, "not damaged") {
		t.Fatalf("Open(%s): %q should reassure that the database is not damaged", path, msg)
	}
}

// TestOpenOnReadOnlyFileSystem: a sound database in a folder mounted
// read-only cannot be opened (SQLite must create the -shm file beside
// it); the error says so, rather than calling the file damaged.
func TestOpenOnReadOnlyFileSystem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rw, ro := filepath.Join(dir, "rw"), filepath.Join(dir, "ro")
	for _, d := range []string{rw, ro} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	s := openTest(t, filepath.Join(rw, "backcoach.db"))
	newPerson(t, s, "ro")
	s.Close()
	mount(t, "--bind", rw, ro)
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", ro).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v: %s", err, out)
	}
	checkOpenError(t, filepath.Join(ro, "backcoach.db"), "read-only file system")
}

// TestOpenOnFullDisk: a sound database on a disk with no room left for
// SQLite's -shm file; the error says the disk is full.
func TestOpenOnFullDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s := openTest(t, good)
	newPerson(t, s, "full")
	s.Close()
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small")
	if err := os.Mkdir(small, 0o700); err != nil {
		t.Fatal(err)
	}
	mount(t, "-t", "tmpfs", "-o", "size=1m", "tmpfs", small)
	path := filepath.Join(small, "backcoach.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// Fill what is left.
	f, err := os.Create(filepath.Join(small, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			break
		}
	}
	f.Close()
	checkOpenError(t, path, "is full")
}
