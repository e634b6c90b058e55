// Package cachetest checks that a cache.Store keeps the contract the
// pipeline relies on, so that every implementation (a local directory,
// object storage) is held to the same tests instead of each its own.
package cachetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/pipeline/cache"
)

// Store is a cache.Store under test. PutRaw, when not nil, stores bytes
// under a key behind the store's back (as a crashed or foreign writer
// could), without any check, so that the test can show a damaged object
// is handed to the reader as it is and rejected by cache.Decode.
type Store struct {
	cache.Store
	PutRaw func(t *testing.T, key string, data []byte)
}

// Run tests the Store contract on stores made by newStore, one fresh
// store per subtest:
//   - Get of a missing key returns an error matching cache.ErrNotFound;
//   - Put then Get returns the same bytes, which cache.Decode accepts;
//   - a second Put of the same key succeeds (write-once keys are named by
//     their content, so a repeat is not an error);
//   - 8 goroutines putting the same key at once all succeed and the entry
//     then decodes to the audio they wrote;
//   - distinct keys do not overwrite each other;
//   - an object truncated behind the store's back is returned as stored
//     and cache.Decode reports cache.ErrCorrupt (skipped without PutRaw).
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Helper()
	ctx := context.Background()

	t.Run("missing", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Get(ctx, Key(1))
		if !errors.Is(err, cache.ErrNotFound) {
			t.Fatalf("Get of a missing key: got %v, want cache.ErrNotFound", err)
		}
	})

	t.Run("round trip", func(t *testing.T) {
		s := newStore(t)
		want := cache.Encode(Audio(2, 1000))
		if err := s.Put(ctx, Key(2), want); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, err := s.Get(ctx, Key(2))
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Get returned %d bytes, different from the %d put", len(got), len(want))
		}
		if _, err := cache.Decode(got); err != nil {
			t.Fatalf("Decode of a stored entry: %v", err)
		}
		// A repeated write of the same entry is what a retried shard does.
		if err := s.Put(ctx, Key(2), want); err != nil {
			t.Fatalf("second Put of the same key: %v", err)
		}
	})

	t.Run("distinct keys", func(t *testing.T) {
		s := newStore(t)
		for i := 3; i < 6; i++ {
			if err := s.Put(ctx, Key(i), cache.Encode(Audio(i, 10*i))); err != nil {
				t.Fatalf("Put %d: %v", i, err)
			}
		}
		for i := 3; i < 6; i++ {
			data, err := s.Get(ctx, Key(i))
			if err != nil {
				t.Fatalf("Get %d: %v", i, err)
			}
			b, err := cache.Decode(data)
			if err != nil {
				t.Fatalf("Decode %d: %v", i, err)
			}
			if !sameAudio(b, Audio(i, 10*i)) {
				t.Fatalf("key %d holds other audio (%d samples)", i, len(b.Samples))
			}
		}
	})

	t.Run("concurrent writers", func(t *testing.T) {
		s := newStore(t)
		want := Audio(7, 50000)
		data := cache.Encode(want)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each writer has its own copy, as separate processes would.
				errs[i] = s.Put(ctx, Key(7), bytes.Clone(data))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}
		got, err := s.Get(ctx, Key(7))
		if err != nil {
			t.Fatalf("Get after concurrent Puts: %v", err)
		}
		b, err := cache.Decode(got)
		if err != nil {
			t.Fatalf("entry written concurrently does not decode: %v", err)
		}
		if !sameAudio(b, want) {
			t.Fatalf("entry written concurrently holds other audio")
		}
	})

	t.Run("truncated object", func(t *testing.T) {
		s := newStore(t)
		if s.PutRaw == nil {
			t.Skip("store offers no way to write behind its back")
		}
		full := cache.Encode(Audio(8, 400))
		cut := full[:len(full)-9]
		s.PutRaw(t, Key(8), cut)
		got, err := s.Get(ctx, Key(8))
		if err != nil {
			t.Fatalf("Get of a truncated object: %v (the store must not judge content)", err)
		}
		if !bytes.Equal(got, cut) {
			t.Fatalf("Get returned %d bytes, want the %d stored", len(got), len(cut))
		}
		if _, err := cache.Decode(got); !errors.Is(err, cache.ErrCorrupt) {
			t.Fatalf("Decode of a truncated entry: got %v, want cache.ErrCorrupt", err)
		}
	})
}

// Key returns a valid cache key (64 hex digits) distinct for each i.
func Key(i int) string {
	return fmt.Sprintf("%064x", uint64(i)*0x9e3779b97f4a7c15+1)
}

// Audio returns n samples of a tone that differs with seed, so that two
// entries with different seeds never compare equal.
func Audio(seed, n int) pcm.Buffer {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(0.5 * math.Sin(float64(i)*0.01*float64(seed+1)))
	}
	return pcm.Buffer{Rate: 22050, Samples: s}
}

func sameAudio(a, b pcm.Buffer) bool {
	if a.Rate != b.Rate || len(a.Samples) != len(b.Samples) {
		return false
	}
	for i := range a.Samples {
		if a.Samples[i] != b.Samples[i] {
			return false
		}
	}
	return true
}
