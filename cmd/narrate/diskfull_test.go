package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/pipeline/cache"
)

// TestDiskFull renders onto a file system that runs out of space: the
// render fails with a clear error, no file under a final name is
// truncated, and the span cache (on another disk) keeps only whole
// entries, which a rerun with space uses.
func TestDiskFull(t *testing.T) {
	requireEspeak(t)
	out := t.TempDir()
	// A 300 KB tmpfs holds a chapter's subtitles but not its audio. Only
	// root may mount one; elsewhere the test cannot run.
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", out).Run(); err != nil {
		t.Skipf("cannot mount a small tmpfs here: %v", err)
	}
	defer exec.Command("umount", out).Run()
	cacheDir := t.TempDir()
	_, _, err := run(t, "render", sample, "-o", out, "-q", "--cache-dir", cacheDir, "--preset", "acx")
	if err == nil {
		t.Fatal("render onto a full disk succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, "no space left on device") || strings.Contains(msg, "\n") {
		t.Errorf("error %q", msg)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	decodeDir(t, out) // every MP3 present decodes completely
	// Every cache entry is whole.
	store, _ := cache.OpenDir(cacheDir)
	n := 0
	filepath.WalkDir(cacheDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := store.Get(context.Background(), d.Name())
		if err != nil {
			t.Errorf("%s: %v", p, err)
		} else if _, err := cache.Decode(data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		n++
		return nil
	})
	if n == 0 {
		t.Error("no span cached before the disk filled up")
	}
}

// TestReadOnlyOutput renders into a read-only file system: the render
// fails before any synthesis with an error naming the directory, for an
// existing directory and for one it would have to create.
func TestReadOnlyOutput(t *testing.T) {
	requireEspeak(t)
	out := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", out).Run(); err != nil {
		t.Skipf("cannot mount a read-only tmpfs here: %v", err)
	}
	defer exec.Command("umount", out).Run()
	for _, dir := range []string{out, filepath.Join(out, "book")} {
		cacheDir := t.TempDir()
		_, _, err := run(t, "render", sample, "-o", dir, "-q", "--cache-dir", cacheDir)
		if err == nil {
			t.Fatalf("%s: render into a read-only file system succeeded", dir)
		}
		if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "read-only file system") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q", dir, msg)
		}
		if n := countEntries(cacheDir); n > 0 {
			t.Errorf("%s: %d spans synthesized before the output directory was found unwritable", dir, n)
		}
	}
}
