package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

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

// TestSchismCast checks the reference book's three speakers are found,
// guessed male, and heard in three distinct voices besides the narrator.
func TestSchismCast(t *testing.T) {
	requireEspeak(t)
	path := "../../../shared/samples/schism.txt"
	if _, err := os.Stat(path); err != nil {
		t.Skip("schism.txt not available")
	}
	a := &app{registry: backends.New(), stdout: os.Stdout, stderr: os.Stderr}
	root := newRoot(a.registry, a.stdout, a.stderr)
	root.SetArgs([]string{"version"})
	if err := a.load(root); err != nil {
		t.Fatal(err)
	}
	b, chapters, err := a.openBook(path)
	if err != nil {
		t.Fatal(err)
	}
	opts, done, err := a.openSpeech(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	choice, err := a.castVoices(context.Background(), b, opts, "")
	if err != nil {
		t.Fatal(err)
	}
	voices := choice.characters
	for _, name := range []string{"Iruka", "Kakashi", "Naruto"} {
		ch, ok := a.cast.Find(name)
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
	if len(distinct) != 3 || distinct[choice.narrator] || distinct[""] {
		t.Errorf("voices %v (narrator %s)", voices, choice.narrator)
	}
	for v := range distinct {
		if !used[v] {
			t.Errorf("voice %s is never heard", v)
		}
	}
}
