//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondInterruptKills: the first Ctrl-C asks narrate to stop
// cleanly, which a stage blocked in a system call (here, opening a named
// pipe that has no writer as the settings file) cannot notice; the
// second must end the process, as it does for any Unix tool.
func TestSecondInterruptKills(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "narrate.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	cmd := child(t, nil, "render", sample, "--dry-run", "--config", fifo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer cmd.Process.Kill()

	// Wait until a thread of the child sleeps in the kernel's FIFO open.
	blocked := func() bool {
		tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/task/*/wchan")
		for _, w := range tasks {
			if b, _ := os.ReadFile(w); strings.Contains(string(b), "wait_for_partner") || strings.Contains(string(b), "fifo") {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(10 * time.Second); !blocked(); {
		if time.Now().After(deadline) {
			t.Skip("cannot see the child block on the FIFO through /proc")
		}
		select {
		case err := <-done:
			t.Fatalf("narrate ended before blocking: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	// Interrupt until it ends; a handler that swallows every signal
	// keeps it alive past the bound.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	bound := time.After(10 * time.Second)
	for {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
			return
		case <-bound:
			t.Fatal("narrate ignored repeated interrupts while blocked")
		case <-tick.C:
		}
	}
}

// TestInterruptAndResume: Ctrl-C during a render stops it with status
// 130, leaves every file under a final name whole and no temporary file
// behind; the rerun keeps the finished chapters and synthesizes only
// what the interrupted render had not.
func TestInterruptAndResume(t *testing.T) {
	requireEspeak(t)
	work := t.TempDir()
	cfg := slowConfig(t, work)
	refOut, total := referenceRender(t, work, cfg)

	out, cacheDir := filepath.Join(work, "out"), filepath.Join(work, "cache")
	cmd := child(t, nil, "render", sample, "-o", out, "-q", "--config", cfg, "--cache-dir", cacheDir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Interrupt once the first chapter is written; bounded by the render.
	finished := false
	for !finished {
		if m, _ := filepath.Glob(filepath.Join(out, "01 *.mp3")); len(m) > 0 {
			break
		}
		select {
		case err := <-done:
			finished = true
			done <- err
		case <-time.After(5 * time.Millisecond):
		}
	}
	cmd.Process.Signal(os.Interrupt)
	err := <-done
	cached := countEntries(cacheDir)
	if cmd.ProcessState.ExitCode() == 0 || cached >= total {
		t.Skip("the render finished before it could be interrupted")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "interrupted; finished chapters are kept") {
		t.Errorf("exit %d (%v), stderr %q; want 130 and the interrupted message", code, err, stderr.String())
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left by the interrupted render: %s", e.Name())
		}
	}
	kept := decodeDir(t, out) // every MP3 with a final name decodes whole
	if len(kept) == 0 {
		t.Fatal("the first chapter was not kept")
	}

	s := resumeRender(t, work, out, cfg, cacheDir)
	if s.Stats.Synthesized != total-cached {
		t.Errorf("resume synthesized %d spans; %d of %d were cached before the interrupt", s.Stats.Synthesized, cached, total)
	}
	if s.Stats.Reused < len(kept) {
		t.Errorf("resume reused %d chapters; %d were finished before the interrupt", s.Stats.Reused, len(kept))
	}
	sameFiles(t, decodeDir(t, out), decodeDir(t, refOut))
}

// TestFIFOBook: a named pipe given as the book is refused at once, where
// reading it waited for a writer for ever.
func TestFIFOBook(t *testing.T) {
	requireEspeak(t)
	fifo := filepath.Join(t.TempDir(), "book.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, args := range [][]string{{"render", fifo, "--dry-run"}, {"segment", fifo}, {"cast", fifo}, {"k8s-job", fifo, "--shards", "2", "--image", "narrate:1", "--cache-url", "s3://b/c", "-o", "s3://b/o/"}} {
		_, _, err := run(t, args...)
		if err == nil || !strings.Contains(err.Error(), fifo+": is a named pipe") {
			t.Errorf("%v: err = %v", args, err)
		}
	}
}
