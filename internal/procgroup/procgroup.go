// Package procgroup runs helper programs (speech engines) in a process
// group of their own, so that stopping one stops whatever it started too:
// a shell script's children, a model server's workers.
package procgroup

import (
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
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

// ErrStillRunning is returned by AwaitExit when the process outlives the wait.
var ErrStillRunning = errors.New("process still running")

// AwaitExit waits until the process pid has exited (or is a zombie), at
// most within. It works for any process, not only children: it waits on a
// pidfd, so it wakes on the exit itself rather than polling.
func AwaitExit(pid int, within time.Duration) error {
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return nil // already gone
	}
	if err != nil {
		return fmt.Errorf("procgroup: pidfd_open(%d): %w", pid, err)
	}
	defer unix.Close(fd)
	deadline := time.Now().Add(within)
	for {
		left := time.Until(deadline)
		if left < 0 {
			left = 0
		}
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, int(left.Milliseconds()))
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return fmt.Errorf("procgroup: waiting for pid %d: %w", pid, err)
		case n == 0:
			return fmt.Errorf("procgroup: pid %d after %v: %w", pid, within, ErrStillRunning)
		}
		return nil
	}
}
