package espeak

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/synthtest"
)

func open(t *testing.T) synth.Backend {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed (make test installs it)")
	}
	b, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConformance(t *testing.T) {
	synthtest.Run(t, open, synthtest.Options{Voice: "en-us+f3", UnknownVoice: "xx-nosuch", Short: testing.Short()})
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
