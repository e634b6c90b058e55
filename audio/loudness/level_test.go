package loudness

import (
	"math"
	"testing"

	"github.com/narrate-audio/narrate/audio/pcm"
)

func TestGain(t *testing.T) {
	for _, c := range []struct{ db, want float64 }{
		{0, 1}, {-6.020599913, 0.5}, {20, 10}, {-20, 0.1},
	} {
		if g := Gain(c.db); math.Abs(float64(g)-c.want) > 1e-6 {
			t.Errorf("Gain(%g) = %v, want %v", c.db, g, c.want)
		}
	}
}

func scaled(s []float32, g float32) []float32 {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = v * g
	}
	return out
}

// activeRMS is the speech RMS the way Level defines it, computed directly,
// for checking what Level's gain achieves.
func activeRMS(s []float32) float64 {
	thr := math.Pow(10, ActiveDB/20)
	var e float64
	var n int
	for i := 0; i < len(s); i += ActiveFrame {
		f := s[i:min(i+ActiveFrame, len(s))]
		if pcm.RMS(f) >= thr {
			for _, v := range f {
				e += float64(v) * float64(v)
			}
			n += len(f)
		}
	}
	return 10 * math.Log10(e/float64(n))
}

func TestLevel(t *testing.T) {
	const rate = 22050
	voice := speech(4*rate, rate, 0.05) // quiet narration, crest about 11 dB
	pause := noise(3*rate, -70, 11)
	withPauses := cat(pause, voice, pause, pause, voice, pause)

	for _, c := range []struct {
		name            string
		s               []float32
		target, ceiling float64
	}{
		{"speech", voice, -20, -3},
		{"speech with long pauses", withPauses, -20, -3},
		{"louder target", voice, -18, -3},
		{"already loud", scaled(voice, 10), -21, -3},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := Level(c.s, c.target, c.ceiling)
			// Frames are classified before the gain: afterwards some
			// quiet syllable tails would cross ActiveDB.
			got := activeRMS(c.s) + pcm.DB(float64(g))
			if math.Abs(got-c.target) > 0.01 {
				t.Errorf("speech RMS after gain %.3f dBFS, want %.1f", got, c.target)
			}
			// The pauses must not earn extra gain: within 0.1 dB of the
			// gain for the speech alone (frames straddling the edges of
			// a pause differ), where plain RMS would differ by ~4 dB.
			if c.name == "speech with long pauses" {
				g0 := Level(voice, c.target, c.ceiling)
				if d := pcm.DB(float64(g / g0)); math.Abs(d) > 0.1 {
					t.Errorf("gain with pauses %.2f dB above gain without", d)
				}
			}
		})
	}
}

// TestLevelPeakCap: speech with a crest factor too high for the target
// gets less gain, leaving exactly LimiterHeadroomDB for the limiter.
func TestLevelPeakCap(t *testing.T) {
	const rate = 22050
	s := speech(3*rate, rate, 0.02)
	s[rate] = 0.5 // a click 20+ dB above the speech
	g := Level(s, -18, -3)
	peak := pcm.DB(float64(pcm.Peak(scaled(s, g))))
	if want := -3 + LimiterHeadroomDB; math.Abs(peak-want) > 0.01 {
		t.Errorf("peak after gain %.3f dBFS, want %.1f", peak, want)
	}
	if got := activeRMS(scaled(s, g)); got > -18.5 {
		t.Errorf("speech RMS %.2f: the peak cap did not hold the gain back", got)
	}
	// And the limiter then brings that peak to the ceiling.
	out := Limit(scaled(s, g), rate, -3)
	if p := pcm.DB(float64(pcm.Peak(out))); p > -3+1e-6 {
		t.Errorf("after limiting, peak %.3f dBFS", p)
	}
}

func TestLevelNoSpeech(t *testing.T) {
	for _, s := range [][]float32{nil, make([]float32, 5000), noise(20000, -70, 12)} {
		if g := Level(s, -20, -3); g != 1 {
			t.Errorf("no speech: gain %v, want 1", g)
		}
	}
}

func FuzzLevel(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, int8(-20), int8(-3))
	f.Add(make([]byte, 5000), int8(-18), int8(-1))
	f.Fuzz(func(t *testing.T, data []byte, target, ceiling int8) {
		g := Level(samplesFromBytes(data), float64(target), float64(ceiling))
		if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) || g <= 0 {
			t.Fatalf("gain %v", g)
		}
	})
}
