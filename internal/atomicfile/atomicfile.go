// Package atomicfile writes files under a temporary name and renames them
// into place, so that a reader never sees half a file and a failed write
// leaves nothing behind.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is a file being written under a temporary name beside its final
// one: a hidden ".NAME.part-*" in the same directory, so that the rename
// stays on one file system.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing the file that Commit will name path.
func Create(path string) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &File{File: f, path: path}, nil
}

// Commit closes the file and gives it its final name, readable by
// everyone (0644). On failure the temporary file is removed.
func (f *File) Commit() error {
	f.done = true
	err := f.File.Close()
	if err == nil {
		// CreateTemp makes private files; outputs are for sharing.
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort closes and removes the unfinished file. It does nothing after
// Commit, so that it can be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.Name())
}

// Write writes data to path atomically, readable by everyone (0644).
func Write(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.File.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}
