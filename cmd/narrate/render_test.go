package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/audio"
	"github.com/narrate-audio/narrate/synth/backends"
)

const sample = "../../examples/the-lamplighters-wager.txt"

func requireEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed (make test installs it)")
	}
}

// run executes the CLI in-process and returns stdout and stderr.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	if os.Getenv("NARRATE_TEST_CACHE") == "" {
		// Keep tests off the user's span cache.
		t.Setenv("XDG_CACHE_HOME", t.TempDir())
	}
	return runWith(t, backends.New(), args...)
}

// runWith is run with the backends of registry.
func runWith(t *testing.T, registry *synth.Registry, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRoot(registry, &out, &errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// espeakDuration is how long the espeak-ng program alone takes to read
// text, measured from the WAV it writes.
func espeakDuration(t *testing.T, text, voice string) time.Duration {
	t.Helper()
	cmd := exec.Command("espeak-ng", "-v", voice, "--stdout")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	a, err := audio.DecodeWAV(out)
	if err != nil {
		t.Fatal(err)
	}
	return a.Duration()
}

// TestRenderBooks renders whole books with the real espeak-ng and checks
// what a listener's player would see: one MP3 per chapter, in order, with
// tags, and audio whose length matches espeak-ng reading the same text
// plus the configured pauses.
func TestRenderBooks(t *testing.T) {
	requireEspeak(t)
	books := []struct {
		path   string
		album  string
		titles []string
	}{
		{sample, "The Lamplighter's Wager", []string{"Chapter 1: The Wager", "Chapter 2: The Investigation", "Chapter 3: The Dark Hour"}},
		{"../../../shared/samples/schism.txt", "Schism", []string{"Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"}},
	}
	for _, bk := range books {
		t.Run(filepath.Base(bk.path), func(t *testing.T) {
			if _, err := os.Stat(bk.path); err != nil {
				t.Skipf("%s not available: %v", bk.path, err)
			}
			dir := t.TempDir()
			stdout, _, err := run(t, "render", bk.path, "-o", dir, "-q")
			if err != nil {
				t.Fatal(err)
			}
			if stdout != "" {
				t.Errorf("quiet render printed %q", stdout)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.mp3"))
			if len(files) != len(bk.titles) {
				t.Fatalf("got files %v, want %d chapters", files, len(bk.titles))
			}
			b, err := pipeline.Read(defaultConfig(t), bk.path)
			if err != nil {
				t.Fatal(err)
			}
			chapters := b.Chapters
			for i, want := range bk.titles {
				path := filepath.Join(dir, fmt.Sprintf("%02d - %s.mp3", i+1, pipeline.SafeName(want)))
				f, err := os.Open(path)
				if err != nil {
					t.Fatalf("chapter %d: %v", i+1, err)
				}
				tag, err := id3.Read(f)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if tag.Title != want || tag.Album != bk.album || tag.Genre != "Audiobook" || tag.Track != i+1 || tag.TrackTotal != len(bk.titles) {
					t.Errorf("%s: tag %+v", path, tag)
				}
				f.Seek(0, 0)
				audio, err := mp3.Decode(f)
				f.Close()
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if db := pcm.DB(pcm.RMS(audio.Samples)); db < -35 {
					t.Errorf("%s: RMS %.1f dBFS: nearly silent", path, db)
				}
				// espeak-ng reading the chapter's spoken text in one go,
				// plus the pauses narrate adds between paragraphs.
				var text []string
				paras := map[int]bool{}
				for _, s := range chapters[i].Spans {
					if s.Speech != "" {
						text = append(text, s.Speech)
						paras[s.Para] = true
					}
				}
				want := espeakDuration(t, chapters[i].TitleSpeech+".\n"+strings.Join(text, "\n"), "en-us")
				cfg := defaultConfig(t)
				want += time.Duration(len(paras)) * cfg.Pauses.Paragraph / 2
				got := audio.Duration()
				if ratio := float64(got) / float64(want); ratio < 0.8 || ratio > 1.2 {
					t.Errorf("%s: %v of audio, espeak-ng alone %v (ratio %.2f)", path, got, want, ratio)
				}
			}
		})
	}
}

func defaultConfig(t *testing.T) config.Config {
	t.Helper()
	return config.Default()
}
