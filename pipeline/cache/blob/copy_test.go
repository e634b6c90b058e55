package blob

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	gblob "gocloud.dev/blob"
)

// writeTree makes a render-like output directory and returns its files
// by slash path.
func writeTree(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"01 - Chapter One.mp3": "ID3 one",
		"02 - Chapter Two.mp3": strings.Repeat("two ", 50000),
		"book.m3u":             "#EXTM3U\n",
		"extra/notes.txt":      "notes",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Not a regular file: skipped.
	if err := os.Symlink(filepath.Join(dir, "book.m3u"), filepath.Join(dir, "link.m3u")); err != nil {
		t.Fatal(err)
	}
	return dir, files
}

// contents lists every object of a bucket with its body.
func contents(t *testing.T, b *gblob.Bucket) map[string]string {
	t.Helper()
	ctx := context.Background()
	got := map[string]string{}
	it := b.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatal(err)
		}
		data, err := b.ReadAll(ctx, obj.Key)
		if err != nil {
			t.Fatal(err)
		}
		got[obj.Key] = string(data)
	}
	return got
}

func sameFiles(t *testing.T, got, want map[string]string) {
	t.Helper()
	var g, w []string
	for k := range got {
		g = append(g, k)
	}
	for k := range want {
		w = append(w, k)
	}
	sort.Strings(g)
	sort.Strings(w)
	if strings.Join(g, "|") != strings.Join(w, "|") {
		t.Fatalf("objects %q, want %q", g, w)
	}
	for k, body := range want {
		if got[k] != body {
			t.Errorf("%s: %d bytes, want %d", k, len(got[k]), len(body))
		}
	}
}

func TestCopyDirMem(t *testing.T) {
	dir, files := writeTree(t)
	b, err := OpenBucket(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := copyDir(context.Background(), b, dir); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, contents(t, b), files)
	attrs, err := b.Attributes(context.Background(), "01 - Chapter One.mp3")
	if err != nil {
		t.Fatal(err)
	}
	if attrs.ContentType != "audio/mpeg" {
		t.Errorf("content type of an MP3: %q", attrs.ContentType)
	}
}

func TestCopyDirS3(t *testing.T) {
	ctx := context.Background()
	dir, files := writeTree(t)
	u, _ := fakeS3(t, "books/title/", nil)
	if err := CopyDir(ctx, u, dir); err != nil {
		t.Fatal(err)
	}
	// A rerun replaces the objects instead of failing on them.
	if err := os.WriteFile(filepath.Join(dir, "book.m3u"), []byte("#EXTM3U\nnew\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files["book.m3u"] = "#EXTM3U\nnew\n"
	if err := CopyDir(ctx, u, dir); err != nil {
		t.Fatalf("second CopyDir: %v", err)
	}
	b, err := OpenBucket(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sameFiles(t, contents(t, b), files)

	// The prefix holds them: the bucket root has them under books/title/.
	root, err := OpenBucket(ctx, strings.Replace(u, "/books/title/", "/", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if ok, err := root.Exists(ctx, "books/title/extra/notes.txt"); err != nil || !ok {
		t.Errorf("books/title/extra/notes.txt not in the bucket: %v %v", ok, err)
	}
}

func TestCopyDirErrors(t *testing.T) {
	b, err := OpenBucket(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := copyDir(context.Background(), b, filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("copying a missing directory succeeded")
	}
	dir, _ := writeTree(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := copyDir(ctx, b, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled copy: %v, want context.Canceled", err)
	}
	if got := contents(t, b); len(got) != 0 {
		t.Errorf("cancelled copy left objects: %v", got)
	}
	if err := CopyDir(context.Background(), "ftp://x/y", dir); err == nil {
		t.Error("CopyDir to an unsupported scheme succeeded")
	}
}
