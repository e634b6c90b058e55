// Package procgroup runs helper programs (speech engines) in a process
// group of their own, so that stopping one stops whatever it started too:
// a shell script's children, a model server's workers.
package procgroup

import (
	"os/exec"
	"syscall"
	"time"
)

// Set makes cmd lead a new process group. Cancelling the context of a
// CommandContext then kills the whole group, and Wait gives up on output
// that a grandchild keeps open two seconds after the program ends.
func Set(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return Kill(cmd.Process.Pid) }
	cmd.WaitDelay = 2 * time.Second
}

// Kill kills the process group that pid leads.
func Kill(pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }
