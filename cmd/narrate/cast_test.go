package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/synth/backends"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCastGolden pins the cast proposed for the project's sample book.
func TestCastGolden(t *testing.T) {
	requireEspeak(t)
	out, _, err := run(t, "cast", sample)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "lamplighter.cast.yaml")
	if *update {
		os.WriteFile(golden, []byte(out), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if out != string(want) {
		t.Errorf("cast differs from %s (go test -update if intended):\n%s", golden, out)
	}

	// The file renders: every character's voice is accepted.
	castFile := filepath.Join(t.TempDir(), "cast.yaml")
	os.WriteFile(castFile, []byte(out), 0o644)
	if _, _, err := run(t, "render", sample, "-o", t.TempDir(), "-q", "--cast", castFile); err != nil {
		t.Fatal(err)
	}
}

// prepare reads, segments, attributes and casts a sample book with the
// default settings and espeak-ng, as narrate render would.
func prepare(t *testing.T, path string) *pipeline.Prepared {
	t.Helper()
	requireEspeak(t)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not available", path)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	c := config.Default()
	b, err := pipeline.Read(c, path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.Prepare(context.Background(), c, backends.New(), b, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestSchismCast checks the reference book's three speakers are found,
// guessed male, and heard in three distinct voices besides the narrator.
func TestSchismCast(t *testing.T) {
	p := prepare(t, "../../../shared/samples/schism.txt")
	chapters, voices, narrator := p.Chapters, p.Options.Voices.Characters, p.Options.Voices.Narrator
	for _, name := range []string{"Iruka", "Kakashi", "Naruto"} {
		ch, ok := p.Characters.Find(name)
		if !ok || ch.Gender != "male" {
			t.Errorf("%s: found %v, %+v", name, ok, ch)
		}
	}
	used := map[string]bool{}
	for _, ch := range chapters {
		for _, s := range ch.Spans {
			if s.Speaker != "" {
				used[voices[s.Speaker]] = true
			}
		}
	}
	distinct := map[string]bool{voices["Iruka"]: true, voices["Kakashi"]: true, voices["Naruto"]: true}
	if len(distinct) != 3 || distinct[narrator] || distinct[""] {
		t.Errorf("voices %v (narrator %s)", voices, narrator)
	}
	for v := range distinct {
		if !used[v] {
			t.Errorf("voice %s is never heard", v)
		}
	}
}

// TestPlayCast: a play marked up as Standard Ebooks does (a persona per
// speech) is cast from its speakers: each principal is one character with
// a voice of their own, the narrator reads the stage directions.
func TestPlayCast(t *testing.T) {
	p := prepare(t, "../../../shared/samples/se-oscar-wilde_the-importance-of-being-earnest.epub")
	voices := p.Options.Voices
	distinct := map[string]string{}
	for name, gender := range map[string]string{"Jack": "male", "Algernon": "male", "Cecily": "female", "Gwendolen": "female", "Lady Bracknell": "female"} {
		ch, ok := p.Characters.Find(name)
		if !ok || ch.Name != name || ch.Lines < 50 || ch.Gender != gender {
			t.Errorf("%s: found %v, %+v", name, ok, ch)
		}
		v := voices.Characters[name]
		if v == "" || v == voices.Narrator || distinct[v] != "" {
			t.Errorf("%s speaks in %q (narrator %s, also %s)", name, v, voices.Narrator, distinct[v])
		}
		distinct[v] = name
	}
	var dialogue, unnamed, directions int
	for _, ch := range p.Chapters {
		for _, s := range ch.Spans {
			switch {
			case s.Kind == "dialogue" && s.Speaker == "":
				unnamed++
			case s.Kind == "dialogue":
				dialogue++
			case s.Kind == "narration" && strings.HasPrefix(s.Text, "Hands them on a salver"):
				directions++
			}
		}
	}
	if dialogue < 800 || unnamed > 0 || directions != 1 {
		t.Errorf("%d speeches with a speaker, %d without, stage direction found %d times", dialogue, unnamed, directions)
	}
}
