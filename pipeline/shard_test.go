package pipeline

import (
	"context"
	"testing"
)

func TestParseShard(t *testing.T) {
	t.Setenv("JOB_COMPLETION_INDEX", "3")
	for in, want := range map[string]Shard{"0/4": {0, 4}, "3/4": {3, 4}, "/5": {3, 5}, "0/1": {0, 1}} {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"4/4", "-1/4", "a/b", "3", "1/0", "/2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

// TestShards synthesizes a book in three shards, then assembles it: no
// span is synthesized twice or left out, the shards carry similar
// amounts of text, and the result equals a single-process render.
func TestShards(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	b, chapters := load(t, sampleBook)
	whole := &speechBackend{rate: 24000}
	ref, err := Render(context.Background(), b, chapters, t.TempDir(), options(whole, newCache(t)))
	if err != nil {
		t.Fatal(err)
	}
	store := newCache(t)
	const n = 3
	var chars []int
	total := int64(0)
	for i := 0; i < n; i++ {
		be := &speechBackend{rate: 24000}
		st, err := Prefetch(context.Background(), b, chapters, options(be, store), Shard{i, n})
		if err != nil {
			t.Fatal(err)
		}
		if st.Synthesized != int(be.done.Load()) {
			t.Errorf("shard %d: stats %+v, backend %d", i, st, be.done.Load())
		}
		c := 0
		for _, txt := range be.texts {
			c += len(txt)
		}
		chars = append(chars, c)
		total += be.done.Load()
	}
	if total != whole.done.Load() {
		t.Errorf("shards synthesized %d spans, the book has %d", total, whole.done.Load())
	}
	sum := 0
	for _, c := range chars {
		sum += c
	}
	for i, c := range chars {
		if c < sum/n/2 || c > sum/n*3/2 {
			t.Errorf("shard %d has %d of %d characters: unbalanced %v", i, c, sum, chars)
		}
	}
	// A retried shard finds its spans cached.
	again := &speechBackend{rate: 24000}
	if _, err := Prefetch(context.Background(), b, chapters, options(again, store), Shard{1, n}); err != nil || again.done.Load() != 0 {
		t.Errorf("rerun shard synthesized %d (%v)", again.done.Load(), err)
	}
	final := &speechBackend{rate: 24000}
	res, err := Render(context.Background(), b, chapters, t.TempDir(), options(final, store))
	if err != nil {
		t.Fatal(err)
	}
	if final.done.Load() != 0 || res.Stats.Synthesized != 0 {
		t.Errorf("assembly synthesized %d spans", final.done.Load())
	}
	sameAudio(t, res, ref)
}
