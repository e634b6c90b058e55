package cachetest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/pipeline/cache/cachetest"
)

// TestDir holds the local directory store to the shared contract.
func TestDir(t *testing.T) {
	cachetest.Run(t, func(t *testing.T) cachetest.Store {
		d, err := cache.OpenDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return cachetest.Store{
			Store: d,
			PutRaw: func(t *testing.T, key string, data []byte) {
				// cache.Dir's documented layout: ab/abcdef...
				p := filepath.Join(d.Root(), key[:2], key)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			},
		}
	})
}

func TestKeysDistinct(t *testing.T) {
	seen := map[string]int{}
	for i := 0; i < 1000; i++ {
		k := cachetest.Key(i)
		if len(k) != 64 {
			t.Fatalf("Key(%d) = %q: want 64 hex digits", i, k)
		}
		if j, ok := seen[k]; ok {
			t.Fatalf("Key(%d) == Key(%d)", i, j)
		}
		seen[k] = i
	}
}
