package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
)

// Shard selects one of Count parts of a book's speech.
type Shard struct {
	Index, Count int // 0 <= Index < Count
}

// ParseShard reads "i/N", or "/N" with the index taken from the
// JOB_COMPLETION_INDEX environment variable that Kubernetes Indexed Jobs
// set.
func ParseShard(s string) (Shard, error) {
	idx, count, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want i/N, such as 0/4", s)
	}
	if idx == "" {
		idx = os.Getenv("JOB_COMPLETION_INDEX")
		if idx == "" {
			return Shard{}, fmt.Errorf("shard %q: no index given and JOB_COMPLETION_INDEX is not set", s)
		}
	}
	i, err1 := strconv.Atoi(idx)
	n, err2 := strconv.Atoi(count)
	if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/N with 0 <= i < N", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Prefetch synthesizes into the cache the spans of one shard of the book
// and mixes nothing. Shards split the distinct spans in reading order into
// runs of about equal characters, so that one long chapter does not make
// one worker the straggler; every process computes the same split. After
// all shards ran, Render finds every span in the cache.
func Prefetch(ctx context.Context, b *book.Book, chapters []segment.Chapter, o Options, s Shard) (Stats, error) {
	if o.Backend == nil || o.Cache == nil {
		return Stats{}, errors.New("pipeline: a shard needs a backend and a cache")
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return Stats{}, fmt.Errorf("pipeline: invalid shard %d/%d", s.Index, s.Count)
	}
	r := newRun(o, b)
	o = r.opts
	var jobs []job
	seen := map[string]bool{}
	total := 0
	for i := range chapters {
		for _, j := range r.jobs(&chapters[i]) {
			if j.piece.Role == mix.Scene || j.req.Text == "" {
				continue
			}
			key := cache.Key(r.info, j.req)
			if seen[key] {
				continue
			}
			seen[key] = true
			jobs = append(jobs, j)
			total += len(j.req.Text)
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Synthesizers)
	at := 0
	for _, j := range jobs {
		// The shard of a span is where the middle of its text falls.
		mid := at + len(j.req.Text)/2
		at += len(j.req.Text)
		if total == 0 || mid*s.Count/total != s.Index {
			continue
		}
		g.Go(func() error {
			_, err := r.synthesize(ctx, j.req)
			return err
		})
	}
	err := g.Wait()
	return r.stats.snapshot(r.opts.Backend), err
}
