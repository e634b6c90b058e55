package espeak

import (
	"context"
	"testing"
)

func TestEffectVariant(t *testing.T) {
	tests := []struct {
		name, file string
		effect     bool
	}{
		{"classic female", "name female3\ngender female\npitch 140 240\nformant 1 120 75 150 -50\necho 120 10\n", false},
		{"classic male", "pitch 75 109\nflutter 5\nformant 1 97 100 100\n", false},
		{"klatt", "name klatt\nklatt 1\n", true},
		{"whisper", "pitch 160 220\nvoicing 20\nbreath 75 75 50 40 15 10\n", true},
		{"heavy echo", "echo 10 10000\npitch 200 300\n", true},
		{"monotone", "pitch 115 110\n", true},
		{"odd formant", "formant 3 200 100 100\n", true},
		{"commented out", "// klatt 1\n## voicing 10\npitch 80 120\n", false},
	}
	for _, tt := range tests {
		if got := effectVariant(tt.file); got != tt.effect {
			t.Errorf("%s: effect %v, want %v", tt.name, got, tt.effect)
		}
	}
}

// The installed variants: the classic ones are ordinary voices, those
// espeak-ng ships as whispers and robots are effects.
func TestVoicesMarkEffects(t *testing.T) {
	b, err := New(nil)
	if err != nil {
		t.Skip(err)
	}
	vs, err := b.Voices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, v := range vs {
		got[v.ID] = v.Effect
	}
	for id, effect := range map[string]bool{"en-us+m3": false, "en-us+f3": false, "en-us+whisperf": true, "en-us+klatt": true, "en-us+robosoft": true, "en-us+anikaRobot": true} {
		if e, ok := got[id]; !ok || e != effect {
			t.Errorf("%s: listed %v, effect %v; want effect %v", id, ok, e, effect)
		}
	}
}
