package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Dir is a Store in a local directory, one file per entry under a
// two-level fan-out (ab/abcdef...). Writes go to a temporary file that is
// renamed into place, so concurrent writers and crashes never leave a
// partial entry under its key.
type Dir struct {
	root string
}

// DefaultDir returns the span cache location following the XDG cache
// convention: $XDG_CACHE_HOME/narrate/spans, or ~/.cache/narrate/spans.
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache: no cache directory (set cache.dir or XDG_CACHE_HOME): %w", err)
	}
	return filepath.Join(base, "narrate", "spans"), nil
}

// OpenDir returns a Store rooted at dir, creating it if needed.
func OpenDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Dir{root: dir}, nil
}

// Root is the directory holding the entries.
func (d *Dir) Root() string { return d.root }

func (d *Dir) path(key string) (string, error) {
	if len(key) < 8 {
		return "", fmt.Errorf("cache: invalid key %q", key)
	}
	for _, r := range key {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return "", fmt.Errorf("cache: invalid key %q", key)
		}
	}
	return filepath.Join(d.root, key[:2], key), nil
}

// Get implements Store.
func (d *Dir) Get(ctx context.Context, key string) ([]byte, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	// Touch on use, so that prune removes what was not used recently.
	now := time.Now()
	_ = os.Chtimes(p, now, now)
	return data, nil
}

// Put implements Store.
func (d *Dir) Put(ctx context.Context, key string, data []byte) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cache: writing entry: %w", err)
	}
	return nil
}

// Stats describes a cache directory.
type Stats struct {
	Entries int
	Bytes   int64
	Oldest  time.Time
	Newest  time.Time
}

// Stats counts the entries of the directory.
func (d *Dir) Stats() (Stats, error) {
	var s Stats
	err := d.walk(func(path string, info fs.FileInfo) {
		s.Entries++
		s.Bytes += info.Size()
		if t := info.ModTime(); s.Oldest.IsZero() || t.Before(s.Oldest) {
			s.Oldest = t
		}
		if t := info.ModTime(); t.After(s.Newest) {
			s.Newest = t
		}
	})
	return s, err
}

// Prune removes entries not used for longer than maxAge (if > 0), then
// the least recently used ones until the cache holds at most maxBytes
// (if > 0). It also removes temporary files left by crashed writers. It
// returns how many entries and bytes it removed.
func (d *Dir) Prune(maxAge time.Duration, maxBytes int64) (int, int64, error) {
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var all []entry
	var total int64
	err := d.walk(func(path string, info fs.FileInfo) {
		all = append(all, entry{path, info.Size(), info.ModTime()})
		total += info.Size()
	})
	if err != nil {
		return 0, 0, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].used.Before(all[j].used) })
	var n int
	var freed int64
	cutoff := time.Now().Add(-maxAge)
	for _, e := range all {
		old := maxAge > 0 && e.used.Before(cutoff)
		big := maxBytes > 0 && total-freed > maxBytes
		if !old && !big {
			continue
		}
		if err := os.Remove(e.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, freed, fmt.Errorf("cache: %w", err)
		}
		n++
		freed += e.size
	}
	return n, freed, nil
}

// walk visits entry files, removing stale temporary files on the way.
func (d *Dir) walk(visit func(path string, info fs.FileInfo)) error {
	err := filepath.WalkDir(d.root, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if de.IsDir() {
			return nil
		}
		info, err := de.Info()
		if err != nil {
			return nil
		}
		if filepath.Base(path)[0] == '.' {
			if time.Since(info.ModTime()) > time.Hour {
				os.Remove(path)
			}
			return nil
		}
		visit(path, info)
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}
