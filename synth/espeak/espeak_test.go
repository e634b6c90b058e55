package espeak

import (
	"context"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/synthtest"
)

func open(t *testing.T) synth.Backend {
	t.Helper()
	return openEngine(t, "library")
}

func openEngine(t *testing.T, engine string) synth.Backend {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed (make test installs it)")
	}
	b, err := New(synth.Params{"engine": engine})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConformance(t *testing.T) {
	for _, engine := range []string{"library", "program"} {
		t.Run(engine, func(t *testing.T) {
			synthtest.Run(t, func(t *testing.T) synth.Backend { return openEngine(t, engine) },
				synthtest.Options{Voice: "en-us+f3", UnknownVoice: "xx-nosuch", Short: testing.Short()})
		})
	}
}

func TestUnknownEngine(t *testing.T) {
	_, err := New(synth.Params{"engine": "cloud"})
	if err == nil || !containsAll(err.Error(), "engine", `"library" or "program"`, "cloud") {
		t.Fatalf("err = %v", err)
	}
}

// TestLibraryIsDeterministic: libespeak-ng carries state from one
// utterance into the next; each request must still speak the same
// samples whatever came before it.
func TestLibraryIsDeterministic(t *testing.T) {
	b := open(t)
	ctx := context.Background()
	req := synth.Request{Text: "Well, I never did.", Voice: "en-us"}
	first, err := b.Synthesize(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []synth.Request{{Text: "Something else entirely, and longer.", Voice: "en-us+m3", Rate: 1.2}, {Text: "Again."}} {
		if _, err := b.Synthesize(ctx, other); err != nil {
			t.Fatal(err)
		}
		again, err := b.Synthesize(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Samples) != len(first.Samples) {
			t.Fatalf("after %q: %d samples, first time %d", other.Text, len(again.Samples), len(first.Samples))
		}
		for i := range first.Samples {
			if again.Samples[i] != first.Samples[i] {
				t.Fatalf("after %q: sample %d differs", other.Text, i)
			}
		}
	}
}

func TestUnknownVariantIsRejected(t *testing.T) {
	// espeak-ng itself ignores an unknown variant and speaks anyway.
	_, err := open(t).Synthesize(context.Background(), synth.Request{Text: "Hi.", Voice: "en-us+nosuch"})
	if !errors.Is(err, synth.ErrUnknownVoice) || synth.IsTransient(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestMissingProgram(t *testing.T) {
	_, err := New(synth.Params{"program": "/nonexistent/espeak-ng"})
	if err == nil || !containsAll(err.Error(), "not found", "apt-get install espeak-ng") {
		t.Fatalf("err = %v", err)
	}
}

func TestVoicesPreferClassicVariants(t *testing.T) {
	vs, err := open(t).Voices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]int{}
	for i, v := range vs {
		if _, ok := first[v.ID]; !ok {
			first[v.ID] = i
		}
	}
	if first["en-us+m1"] > first["en-us+Demonic"] {
		t.Errorf("novelty variant listed before the classic ones")
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// TestDecodeWAV checks the fast sample conversion against the header
// layout espeak-ng writes (44-byte header, 16-bit mono, placeholder sizes).
func TestDecodeWAV(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed")
	}
	cmd := exec.Command("espeak-ng", "--stdout")
	cmd.Stdin = strings.NewReader("Hello there, this is a test.")
	data, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	a, err := decodeWAV(data)
	if err != nil {
		t.Fatal(err)
	}
	if a.Rate != 22050 || len(a.Samples) != (len(data)-44)/2 {
		t.Fatalf("%d Hz, %d samples from %d bytes", a.Rate, len(a.Samples), len(data))
	}
	for i := 0; i < len(a.Samples); i += 997 {
		want := float32(int16(uint16(data[44+2*i])|uint16(data[45+2*i])<<8)) / 32768
		if a.Samples[i] != want {
			t.Fatalf("sample %d = %v, want %v", i, a.Samples[i], want)
		}
	}
	if _, err := decodeWAV([]byte("RIFF garbage")); err == nil {
		t.Error("garbage decoded")
	}
}

// TestEnginesAgree checks that the library and the program speak the same
// samples, across voice and parameter changes in one process, and list
// the same voices.
func TestEnginesAgree(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed")
	}
	ctx := context.Background()
	lib, err := New(synth.Params{"engine": "library"})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := New(synth.Params{"engine": "program"})
	if err != nil {
		t.Fatal(err)
	}
	if lib.Info().Model != prog.Info().Model {
		t.Errorf("models differ: %q and %q", lib.Info().Model, prog.Info().Model)
	}
	reqs := []synth.Request{
		{Text: "It was the best of times, it was the worst of times.", Voice: "en-us"},
		{Text: "\"Are you coming?\" she asked. It's 3 o'clock.", Voice: "en-us+f3", Rate: 1.3, Pitch: 0.4},
		{Text: "No; I shall stay here—for now.", Voice: "en-us", Rate: 0.8},
		{Text: "Plain default voice.", Pitch: -0.5},
		{Text: "Back to the first voice, after the others.", Voice: "en-us"},
		{Text: "A variant whose name has a space.", Voice: "en-us+Mr serious"},
		{Text: "Guten Tag, wie geht es Ihnen?", Voice: "de"},
		{Text: "Another variant.", Voice: "en-us+RicishayMax2", Rate: 1.1},
		{Text: "Ya verás.", Voice: "es+f2"},
	}
	for i, req := range reqs {
		a, err := lib.Synthesize(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := prog.Synthesize(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if a.Rate != b.Rate || len(a.Samples) != len(b.Samples) {
			t.Fatalf("request %d: library %d Hz × %d, program %d Hz × %d", i, a.Rate, len(a.Samples), b.Rate, len(b.Samples))
		}
		for k := range a.Samples {
			if a.Samples[k] != b.Samples[k] {
				t.Fatalf("request %d: sample %d differs: %v and %v", i, k, a.Samples[k], b.Samples[k])
			}
		}
	}
	for _, b := range []synth.Backend{lib, prog} {
		if cpu := b.(*Backend).CPU(); cpu <= 0 {
			t.Errorf("%s: CPU() = %v after %d requests", b.Info().Model, cpu, len(reqs))
		}
	}
	lv, err := lib.Voices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := prog.Voices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lv) != len(pv) {
		t.Fatalf("library lists %d voices, program %d", len(lv), len(pv))
	}
	for i := range lv {
		if !reflect.DeepEqual(lv[i], pv[i]) {
			t.Errorf("voice %d: library %+v, program %+v", i, lv[i], pv[i])
		}
	}
}

// TestLibraryAppliesVariants: the espeak-ng program's lookup by name
// drops the variant of some voices ("en-gb+m1" speaks as "en-gb"); the
// library engine loads voice files and applies it.
func TestLibraryAppliesVariants(t *testing.T) {
	b := open(t)
	ctx := context.Background()
	plain, err := b.Synthesize(ctx, synth.Request{Text: "Which voice is this?", Voice: "en-gb"})
	if err != nil {
		t.Fatal(err)
	}
	varied, err := b.Synthesize(ctx, synth.Request{Text: "Which voice is this?", Voice: "en-gb+m1"})
	if err != nil {
		t.Fatal(err)
	}
	same := len(plain.Samples) == len(varied.Samples)
	for i := 0; same && i < len(plain.Samples); i++ {
		same = plain.Samples[i] == varied.Samples[i]
	}
	if same {
		t.Error("en-gb+m1 speaks exactly as en-gb")
	}
}

// TestEveryVoiceSpeaks runs every voice the backend lists through the
// library engine: a voice file espeak-ng cannot take would abort the
// whole process, not just fail.
func TestEveryVoiceSpeaks(t *testing.T) {
	if testing.Short() {
		t.Skip("about a thousand voices")
	}
	b := open(t)
	ctx := context.Background()
	vs, err := b.Voices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		buf, err := b.Synthesize(ctx, synth.Request{Text: "One, two.", Voice: v.ID})
		if err != nil {
			t.Errorf("%s: %v", v.ID, err)
			continue
		}
		if len(buf.Samples) < buf.Rate/10 {
			t.Errorf("%s: %d samples", v.ID, len(buf.Samples))
		}
	}
	t.Logf("%d voices", len(vs))
}

// TestClauseEndsInProcess speaks, in process, Spanish clause ends on
// which espeak-ng reads past a buffer on its stack: before the library
// engine gave espeak-ng stack slack, one in a few dozen such requests
// killed the process with SIGSEGV.
func TestClauseEndsInProcess(t *testing.T) {
	b := open(t)
	ctx := context.Background()
	texts := []string{"Ya verás.", "¿Ves?", "Eso dices todas las mañanas, Tomás.", "dijo Tomás, mirando el cielo."}
	for range 50 {
		for i, text := range texts {
			voice := []string{"es", "es+f2", "es+m1"}[i%3]
			buf, err := b.Synthesize(ctx, synth.Request{Text: text, Voice: voice})
			if err != nil {
				t.Fatal(err)
			}
			if len(buf.Samples) == 0 {
				t.Fatalf("%q in %s: no audio", text, voice)
			}
		}
	}
}
