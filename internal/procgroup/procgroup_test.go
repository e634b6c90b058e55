package procgroup

import (
	"bufio"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestCancelKillsGrandchildren: a shell that started a long sleep in the
// background stops, sleep included, when its context is cancelled.
func TestCancelKillsGrandchildren(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 600 >/dev/null & echo $!; wait")
	Set(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	sleepPID, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("shell printed %q, not a pid", line)
	}
	// A pidfd taken while the grandchild surely lives (the shell is
	// waiting for it) becomes readable when it exits; that is the event
	// to wait for. SIGKILL of a group is delivered asynchronously, so the
	// grandchild may outlive the shell's Wait by a moment.
	pidfd, err := unix.PidfdOpen(sleepPID, 0)
	if err != nil {
		t.Fatalf("pidfd_open(%d): %v", sleepPID, err)
	}
	defer unix.Close(pidfd)
	cancel()
	if err := cmd.Wait(); err == nil {
		t.Fatal("cancelled command reported success")
	}
	// The bound is far beyond signal delivery on a loaded machine; only a
	// grandchild that was never killed reaches it.
	const boundMillis = 10_000
	for {
		fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, boundMillis)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			t.Fatalf("poll on the grandchild's pidfd: %v", err)
		}
		if n == 0 {
			unix.Kill(sleepPID, unix.SIGKILL)
			t.Fatalf("the grandchild (pid %d) outlived the cancel by %d ms", sleepPID, boundMillis)
		}
		return
	}
}
