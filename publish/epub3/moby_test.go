package epub3_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/synth"
)

// beeper speaks every span as a 60 ms tone: the fast path through a big
// book, whose EPUB structure (documents, overlays, manifest) is what
// epubcheck judges; the audio only needs to be real MP3 of known length.
type beeper struct{}

func (beeper) Info() synth.Info { return synth.Info{Name: "beeper", Model: "1"} }
func (beeper) Close() error     { return nil }
func (beeper) Voices(context.Context) ([]synth.Voice, error) {
	return []synth.Voice{{ID: "en-us"}, {ID: "en-us+f3"}}, nil
}
func (beeper) Synthesize(_ context.Context, req synth.Request) (pcm.Buffer, error) {
	if req.Text == "" {
		return pcm.Buffer{Rate: 22050}, nil
	}
	s := make([]float32, 22050*60/1000)
	for i := range s {
		s[i] = 0.3 * float32(math.Sin(2*math.Pi*440*float64(i)/22050))
	}
	return pcm.Buffer{Rate: 22050, Samples: s}, nil
}

// TestMobyDickFast narrates the whole of Moby-Dick, every chapter, with
// tones for speech: the EPUB passes epubcheck and its overlays match the
// sync maps. NARRATE_LONG_TESTS=1 renders it with espeak-ng instead
// (about 8 minutes on 2 cores, a 600 MB EPUB).
func TestMobyDickFast(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(map[bool]string{false: "from text", true: "kept"}[keep], func(t *testing.T) { mobyDick(t, keep) })
	}
}

func mobyDick(t *testing.T, keep bool) {
	b := open(t, samples+"idpf-moby-dick.epub")
	dir := t.TempDir()
	if os.Getenv("NARRATE_LONG_TESTS") == "1" {
		res := render(t, b, dir, func(o *pipeline.Options) { o.EPUBKeep = keep })
		report := epubcheck(t, res.EPUB)
		if !clean.MatchString(report) {
			t.Errorf("epubcheck:\n%s", report)
		}
		t.Logf("epubcheck: %s", lastLines(report))
		if keep {
			checkKept(t, res)
		} else {
			checkOverlays(t, res)
		}
		return
	}
	chs, _ := segment.Book(b, segment.Options{})
	o := pipeline.FromConfig(config.Default(), beeper{})
	o.Narrator, o.EPUB, o.Player, o.EPUBKeep = "beeper", true, true, keep
	res, err := pipeline.Render(context.Background(), b, chs, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	report := epubcheck(t, res.EPUB)
	if !clean.MatchString(report) {
		t.Errorf("epubcheck:\n%s", report)
	}
	t.Logf("epubcheck: %s", lastLines(report))
	if keep {
		t.Logf("documents kept %d, rebuilt %d", res.EPUBKept.Documents, res.EPUBKept.Rebuilt)
		if res.EPUBKept.Documents == 0 {
			t.Errorf("no document kept")
		}
		checkKept(t, res)
		return
	}
	checkOverlays(t, res)
}
