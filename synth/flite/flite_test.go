package flite

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/synth"
	"github.com/narrate-audio/narrate/synth/synthtest"
)

func open(t *testing.T, p synth.Params) *Backend {
	t.Helper()
	if _, err := exec.LookPath("flite"); err != nil {
		t.Skip("flite not installed")
	}
	b, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return b.(*Backend)
}

func TestConformance(t *testing.T) {
	for _, voice := range []string{"slt", "kal"} {
		t.Run(voice, func(t *testing.T) {
			synthtest.Run(t, func(t *testing.T) synth.Backend { return open(t, synth.Params{"voice": voice}) },
				synthtest.Options{Voice: voice, UnknownVoice: "nosuchvoice", Short: testing.Short()})
		})
	}
}

// TestRates checks that the 8 kHz and 16 kHz voices report their real
// rates: the same text must take about the same time with both.
func TestRates(t *testing.T) {
	b := open(t, synth.Params{})
	ctx := context.Background()
	kal, err := b.Synthesize(ctx, synth.Request{Text: "Hello world.", Voice: "kal"})
	if err != nil {
		t.Fatal(err)
	}
	slt, err := b.Synthesize(ctx, synth.Request{Text: "Hello world.", Voice: "slt"})
	if err != nil {
		t.Fatal(err)
	}
	if kal.Rate != 8000 || slt.Rate != 16000 {
		t.Fatalf("rates %d and %d, want 8000 and 16000", kal.Rate, slt.Rate)
	}
	if r := kal.Duration().Seconds() / slt.Duration().Seconds(); r < 0.6 || r > 1.6 {
		t.Fatalf("durations %v vs %v differ too much", kal.Duration(), slt.Duration())
	}
	slow, err := b.Synthesize(ctx, synth.Request{Text: "Hello world.", Voice: "slt", Rate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if slow.Duration() < slt.Duration()*3/2 {
		t.Fatalf("Rate 0.5 gave %v vs %v at Rate 1", slow.Duration(), slt.Duration())
	}
}

func TestVoxPath(t *testing.T) {
	b := open(t, synth.Params{})
	_, err := b.Synthesize(context.Background(), synth.Request{Text: "Hi.", Voice: filepath.Join(t.TempDir(), "gone.flitevox")})
	if !errors.Is(err, synth.ErrUnknownVoice) {
		t.Fatalf("missing .flitevox: err = %v", err)
	}
	vox := filepath.Join(t.TempDir(), "mine.flitevox")
	if err := os.WriteFile(vox, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b = open(t, synth.Params{"voice_files": []any{vox}})
	vs, err := b.Voices(context.Background())
	if err != nil || vs[len(vs)-1].ID != vox || vs[len(vs)-1].Name != "mine" {
		t.Fatalf("voices %v, %v", vs, err)
	}
}

func TestNewRejects(t *testing.T) {
	open(t, synth.Params{}) // skips without flite
	for _, p := range []synth.Params{
		{"program": "no-such-flite"},
		{"voice_files": []any{"/nonexistent/x.flitevox"}},
		{"voices": []any{"slt"}},
		{"concurrency": 0},
	} {
		if _, err := New(p); err == nil || !strings.HasPrefix(err.Error(), "flite: ") {
			t.Errorf("New(%v) = %v", p, err)
		}
	}
}

func TestParseVoiceList(t *testing.T) {
	vs, err := parseVoiceList("Voices available: kal awb_time kal16 awb rms slt \n")
	if err != nil || strings.Join(vs, ",") != "kal,awb_time,kal16,awb,rms,slt" {
		t.Fatalf("%v %v", vs, err)
	}
	for _, bad := range []string{"", "Voices available:   ", "flite: error"} {
		if _, err := parseVoiceList(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseVoiceList(f *testing.F) {
	f.Add("Voices available: kal slt")
	f.Fuzz(func(t *testing.T, s string) {
		if vs, err := parseVoiceList(s); err == nil && len(vs) == 0 {
			t.Fatal("success with no voices")
		}
	})
}
