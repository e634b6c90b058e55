package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/openai"
)

// serverHost satisfies the testing.TB that fakeserver.New asks for: it
// only needs Helper and Cleanup. The embedded nil TB is never called.
type serverHost struct {
	testing.TB
	cleanups []func()
}

func (h *serverHost) Helper()           {}
func (h *serverHost) Cleanup(fn func()) { h.cleanups = append(h.cleanups, fn) }

// Close stops every server started on h.
func (h *serverHost) Close() {
	for i := len(h.cleanups) - 1; i >= 0; i-- {
		h.cleanups[i]()
	}
	h.cleanups = nil
}

// scaleSpans makes n distinct short spans in one chapter: distinct so
// that none is shared through the cache or the in-run deduplication.
func scaleSpans(n int) (*book.Book, []segment.Chapter) {
	ch := segment.Chapter{Number: 1, Title: "Scale"}
	for i := range n {
		text := fmt.Sprintf("Sentence number %d rolls on.", i+1)
		ch.Spans = append(ch.Spans, segment.Span{Chapter: 1, Index: i, Kind: segment.Narration, Text: text, Speech: text, Para: i})
	}
	return &book.Book{Title: "Scale", Source: "scale"}, []segment.Chapter{ch}
}

// scaleOut synthesizes spans spans through the openai backend spread
// over endpoints fake servers of fixed latency, one request in flight per
// endpoint, and returns the wall time. Everything runs in process over
// loopback.
func scaleOut(endpoints, spans int, latency time.Duration, cacheDir string) (time.Duration, error) {
	host := &serverHost{}
	defer host.Close()
	servers := fakeserver.NewFleet(host, endpoints, fakeserver.Options{Latency: latency, Rate: 22050})
	urls := make([]any, len(servers))
	for i, s := range servers {
		urls[i] = s.BaseURL()
	}
	backend, err := openai.New(synth.Params{"endpoints": urls, "concurrency": 1, "api_key_env": "NARRATE_BENCH_NO_KEY"})
	if err != nil {
		return 0, err
	}
	defer backend.Close()
	store, err := cache.OpenDir(cacheDir)
	if err != nil {
		return 0, err
	}
	b, chapters := scaleSpans(spans)
	opts := pipeline.Options{Backend: backend, Cache: store, Voices: pipeline.Voices{Narrator: "alloy"},
		Format: "mp3", Bitrate: 64, SampleRate: 22050}
	began := time.Now()
	st, err := pipeline.Prefetch(context.Background(), b, chapters, opts, pipeline.Shard{Index: 0, Count: 1})
	wall := time.Since(began)
	if err != nil {
		return 0, err
	}
	if st.Synthesized != spans {
		return 0, fmt.Errorf("scale-out: %d spans synthesized, want %d", st.Synthesized, spans)
	}
	calls := 0
	for _, s := range servers {
		calls += s.SpeechCount()
	}
	if calls != spans {
		return 0, fmt.Errorf("scale-out: servers got %d requests, want %d", calls, spans)
	}
	return wall, nil
}
