//go:build unix

package check

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSpecialFile: a named pipe named like an MP3 is refused at once;
// opening it waited for a writer for ever.
func TestSpecialFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "01.mp3")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	r := File(fifo)
	if !errors.Is(r.Err, ErrNotFile) || !strings.Contains(r.Err.Error(), fifo) {
		t.Errorf("err = %v, want ErrNotFile naming %s", r.Err, fifo)
	}
	if ACXErr(ACX([]Report{r})) == nil {
		t.Error("a FIFO passes ACX")
	}
}
