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
