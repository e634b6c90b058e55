package procgroup

import (
	"bufio"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

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
	cancel()
	if err := cmd.Wait(); err == nil {
		t.Fatal("cancelled command reported success")
	}
	// SIGKILL of a group is delivered asynchronously, so the grandchild
	// may outlive the shell's Wait by a moment; the bound is far beyond
	// that on a loaded machine, and only a grandchild never killed
	// reaches it.
	if err := AwaitExit(sleepPID, 10*time.Second); err != nil {
		unix.Kill(sleepPID, unix.SIGKILL)
		t.Fatalf("the grandchild outlived the cancel: %v", err)
	}
}
