package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadAlongFlags renders with --epub, --layout library and
// --no-player: the book lands in its Author/Title folder with its EPUB
// and Audiobookshelf files, and without the page.
func TestReadAlongFlags(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	stdout, _, err := run(t, "render", sample, "-o", dir, "--epub", "--layout", "library", "--no-player", "--no-cache")
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "the narrate contributors", "The Lamplighter's Wager")
	for _, name := range []string{"The Lamplighter's Wager.epub", "metadata.json", "reader.txt", "01 - Chapter 1 The Wager.mp3"} {
		if _, err := os.Stat(filepath.Join(book, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(book, "index.html")); !os.IsNotExist(err) {
		t.Errorf("--no-player wrote the page: %v", err)
	}
	if !strings.Contains(stdout, "to "+book+":") || !strings.Contains(stdout, "narrated EPUB") {
		t.Errorf("output %q does not name the book's folder and EPUB", stdout)
	}

	// The page is written by default.
	flat := t.TempDir()
	if _, _, err := run(t, "render", sample, "-o", flat, "-q"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(flat, "index.html")); err != nil {
		t.Errorf("no read-along page by default: %v", err)
	}
}

func TestReadAlongBadSettings(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--layout", "shelf"}, "output.layout"},
		{[]string{"--epub", "--format", "wav"}, "output.epub"},
	} {
		_, _, err := run(t, append([]string{"render", sample, "-o", t.TempDir()}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one naming %s", tc.args, err, tc.want)
		}
	}
}
