//go:build unix

package reader

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSpecialFiles: a named pipe with no writer would block the read for
// ever, and a device can stream without end; both are refused at once.
func TestSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "book.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for path, want := range map[string]string{fifo: "named pipe", "/dev/zero": "character device"} {
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), path+": is a "+want+" (FIFO), not a book file") && !strings.Contains(err.Error(), path+": is a "+want+", not a book file") {
			t.Errorf("%s: err = %v, want one naming it a %s", path, err, want)
		}
	}
}
