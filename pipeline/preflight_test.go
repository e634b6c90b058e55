package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/elevenlabs"
	"github.com/narrate-audio/narrate/synth/fakeserver"
	"github.com/narrate-audio/narrate/synth/openai"
)

// The voice list of a remote backend is asked for once, retried like
// speech, and kept in the cache; a probe is cached like a span.
func TestCatalogueAndProbe(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{ListVoices: true, Fault: func(n int) fakeserver.Fault {
		if n == 1 {
			return fakeserver.Fault{Status: 503}
		}
		return fakeserver.Fault{}
	}})
	backend, err := openai.New(synth.Params{"base_url": srv.BaseURL(), "model": "kokoro"})
	if err != nil {
		t.Fatal(err)
	}
	store, err := cache.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Backend: backend, Cache: store, Retry: Retry{Base: time.Millisecond}}
	ctx := context.Background()
	vs, err := Catalogue(ctx, o, false)
	if err != nil || len(vs) != len(fakeserver.KokoroVoices) || srv.Count() != 2 {
		t.Fatalf("catalogue: %d voices, %v, after %d requests", len(vs), err, srv.Count())
	}
	if vs[0].Language != "en-US" || vs[0].Gender != "female" {
		t.Errorf("first voice %+v", vs[0])
	}
	// A new backend value (a new process) finds the list in the cache.
	again, _ := openai.New(synth.Params{"base_url": srv.BaseURL(), "model": "kokoro"})
	o.Backend = again
	if vs, err := Catalogue(ctx, o, false); err != nil || len(vs) != len(fakeserver.KokoroVoices) || srv.Count() != 2 {
		t.Fatalf("cached catalogue: %d voices, %v, %d requests", len(vs), err, srv.Count())
	}
	if _, err := Catalogue(ctx, o, true); err != nil || srv.Count() != 3 {
		t.Fatalf("fresh catalogue: %v, %d requests", err, srv.Count())
	}
	// Another server is another catalogue.
	other := fakeserver.New(t, fakeserver.Options{ListVoices: true, Voices: []synth.Voice{{ID: "bm_george"}}})
	ob, _ := openai.New(synth.Params{"base_url": other.BaseURL(), "model": "kokoro"})
	if vs, _ := Catalogue(ctx, Options{Backend: ob, Cache: store}, false); len(vs) != 1 || vs[0].ID != "bm_george" {
		t.Fatalf("another server's catalogue: %+v", vs)
	}

	if err := Probe(ctx, o, "af_bella+af_sky"); err != nil {
		t.Fatal(err)
	}
	n := srv.Count()
	if err := Probe(ctx, o, "af_bella+af_sky"); err != nil || srv.Count() != n {
		t.Fatalf("second probe: %v, %d requests", err, srv.Count()-n)
	}
	if err := Probe(ctx, o, "af_nobody"); !errors.Is(err, synth.ErrUnknownVoice) {
		t.Fatalf("probe of an unknown voice: %v", err)
	}
}

// TestRateLimitsOnEveryKind: a service that rate-limits every other
// request, of any kind, still gives the voice list, a probe and an
// audition, each waiting as asked.
func TestRateLimitsOnEveryKind(t *testing.T) {
	srv := fakeserver.New(t, fakeserver.Options{Voices: fakeserver.ElevenVoices, Fault: func(n int) fakeserver.Fault {
		if n%2 == 1 {
			return fakeserver.Fault{Status: 429, Header: map[string]string{"Retry-After-Ms": "5"}, Code: "too_many_concurrent_requests"}
		}
		return fakeserver.Fault{}
	}})
	backend, err := elevenlabs.New(synth.Params{"base_url": srv.URL, "api_key_env": "NARRATE_TEST_NO_KEY"})
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Backend: backend, Retry: Retry{Base: time.Millisecond, Attempts: 2}}
	ctx := context.Background()
	if vs, err := Catalogue(ctx, o, true); err != nil || len(vs) != len(fakeserver.ElevenVoices) {
		t.Fatalf("catalogue: %d voices, %v", len(vs), err)
	}
	if err := Probe(ctx, o, fakeserver.ElevenVoices[1].ID); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if a, err := Sample(ctx, o, "Hello there.", fakeserver.ElevenVoices[2].ID); err != nil || len(a.Samples) == 0 {
		t.Fatalf("sample: %v", err)
	}
	if srv.Count() != 6 {
		t.Errorf("%d requests, want 3 refused and 3 answered", srv.Count())
	}
}
