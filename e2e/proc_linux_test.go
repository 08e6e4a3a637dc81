package e2e

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the child end when the test process ends, even when
// the test process is killed before its clean-ups run.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
