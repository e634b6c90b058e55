package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/fakeserver"
)

// toneBackend is an in-process engine for CLI tests that need no
// espeak-ng: it speaks fakeserver's speech-like signal, whose length
// follows the text, and counts what the commands open and close.
type toneBackend struct {
	counts *backendCounts
	mu     sync.Mutex
	voices map[string]int // requests per voice
	closed bool
}

type backendCounts struct {
	mu             sync.Mutex
	opened, closed int
	backends       []*toneBackend
}

func (b *toneBackend) Info() synth.Info { return synth.Info{Name: "tone", Model: "1"} }

func (b *toneBackend) Voices(context.Context) ([]synth.Voice, error) {
	return []synth.Voice{
		{ID: "ann", Language: "en", Gender: "female"},
		{ID: "bob", Language: "en", Gender: "male"},
		{ID: "cat", Language: "en", Gender: "female"},
		{ID: "dan", Language: "en", Gender: "male"},
	}, nil
}

func (b *toneBackend) Synthesize(ctx context.Context, req synth.Request) (pcm.Buffer, error) {
	if err := ctx.Err(); err != nil {
		return pcm.Buffer{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return pcm.Buffer{}, fmt.Errorf("tone: Synthesize after Close")
	}
	switch req.Voice {
	case "ann", "bob", "cat", "dan":
	default:
		return pcm.Buffer{}, &synth.Error{Backend: "tone", Err: fmt.Errorf("%w %q", synth.ErrUnknownVoice, req.Voice)}
	}
	b.voices[req.Voice]++
	return fakeserver.Speech(req.Text, 22050, max(req.Rate, 0.1)), nil
}

func (b *toneBackend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return fmt.Errorf("tone: closed twice")
	}
	b.closed = true
	b.counts.mu.Lock()
	b.counts.closed++
	b.counts.mu.Unlock()
	return nil
}

// toneRegistry returns a registry whose only backend is "tone".
func toneRegistry() (*synth.Registry, *backendCounts) {
	counts := &backendCounts{}
	r := synth.NewRegistry()
	r.Register("tone", func(synth.Params) (synth.Backend, error) {
		b := &toneBackend{counts: counts, voices: map[string]int{}}
		counts.mu.Lock()
		counts.opened++
		counts.backends = append(counts.backends, b)
		counts.mu.Unlock()
		return b, nil
	})
	return r, counts
}

// TestInjectedBackend drives every command that opens a backend through
// a registry the test supplies: the render is real (MP3 files decoded
// back) without espeak-ng, and each command closes what it opened.
func TestInjectedBackend(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want func(t *testing.T, stdout string, c *backendCounts)
	}{
		{"render", []string{"render", sample, "-o", dir, "-q", "--backend", "tone", "--no-cache"}, func(t *testing.T, _ string, c *backendCounts) {
			files := decodeDir(t, dir)
			if len(files) != 3 {
				t.Fatalf("got %d chapter files, want 3", len(files))
			}
			for name, samples := range files {
				// fakeserver's speech is 22.05 kHz, the output rate.
				if secs, db := float64(len(samples))/22050, pcm.DB(pcm.RMS(samples)); secs < 5 || db < -35 {
					t.Errorf("%s: %.1f s of audio at %.1f dBFS", name, secs, db)
				}
			}
			// The book has dialogue: the narrator and at least one other
			// voice were heard.
			if v := c.backends[0].voices; len(v) < 2 {
				t.Errorf("voices used: %v", v)
			}
		}},
		{"dry-run", []string{"render", sample, "--dry-run", "--backend", "tone"}, func(t *testing.T, stdout string, _ *backendCounts) {
			if !strings.Contains(stdout, "backend:  tone") {
				t.Errorf("dry run printed:\n%s", stdout)
			}
		}},
		{"cast", []string{"cast", sample, "--backend", "tone", "--no-cache"}, func(t *testing.T, stdout string, _ *backendCounts) {
			if !strings.Contains(stdout, "narrator:") || !strings.Contains(stdout, "backend: tone") {
				t.Errorf("cast printed:\n%s", stdout)
			}
		}},
		{"voices", []string{"voices", "--backend", "tone", "--no-cache"}, func(t *testing.T, stdout string, _ *backendCounts) {
			for _, id := range []string{"ann", "bob", "cat", "dan"} {
				if !strings.Contains(stdout, id) {
					t.Errorf("voices list lacks %s:\n%s", id, stdout)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			registry, counts := toneRegistry()
			stdout, stderr, err := runWith(t, registry, tc.args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if counts.opened == 0 || counts.opened != counts.closed {
				t.Errorf("%d backends opened, %d closed", counts.opened, counts.closed)
			}
			tc.want(t, stdout, counts)
		})
	}
}

// TestUnknownBackendNamesRegistry checks the error for a backend the
// registry lacks lists the ones it has.
func TestUnknownBackendNamesRegistry(t *testing.T) {
	registry, counts := toneRegistry()
	_, _, err := runWith(t, registry, "render", sample, "-o", t.TempDir(), "--backend", "espeak-ng", "--no-cache")
	if err == nil || !strings.Contains(err.Error(), "known: tone") {
		t.Fatalf("got %v, want an unknown-backend error listing tone", err)
	}
	if counts.opened != 0 {
		t.Errorf("%d backends opened", counts.opened)
	}
}

// TestFlagDefaultsAreConfigDefaults checks that every flag bound to a
// configuration key shows that key's default, config.Default's.
func TestFlagDefaultsAreConfigDefaults(t *testing.T) {
	v := viper.New()
	config.SetDefaults(v)
	root := newRoot(synth.NewRegistry(), io.Discard, io.Discard)
	n := 0
	for _, cmd := range root.Commands() {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			keys := f.Annotations["config"]
			if len(keys) != 1 {
				return
			}
			n++
			if want := fmt.Sprint(v.Get(keys[0])); f.DefValue != want {
				t.Errorf("%s --%s: default %q, config.Default has %s = %q", cmd.Name(), f.Name, f.DefValue, keys[0], want)
			}
		})
	}
	if n < 20 {
		t.Fatalf("only %d configuration flags found", n)
	}
}
