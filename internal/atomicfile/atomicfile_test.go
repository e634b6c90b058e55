package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := Write(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	st, _ := os.Stat(p)
	if err != nil || string(data) != "two" || st.Mode().Perm() != 0o644 {
		t.Fatalf("%q %v %v", data, err, st.Mode())
	}
	// A directory that does not exist: an error naming the file, and
	// nothing written.
	err = Write(filepath.Join(dir, "missing", "b.txt"), []byte("x"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left %d entries", len(entries))
	}
}
