package procgroup

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
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
	sleepPID := strings.TrimSpace(line)
	cancel()
	if err := cmd.Wait(); err == nil {
		t.Fatal("cancelled command reported success")
	}
	// Gone, or a zombie waiting for init to reap it.
	if stat, err := os.ReadFile("/proc/" + sleepPID + "/stat"); err == nil {
		if f := strings.Fields(string(stat)); len(f) > 2 && f[2] != "Z" {
			Kill(cmd.Process.Pid)
			exec.Command("kill", "-9", sleepPID).Run()
			t.Fatalf("the grandchild (pid %s) outlived the cancel: state %s", sleepPID, f[2])
		}
	}
}
