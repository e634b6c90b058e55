package loudness

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
)

// peaky is quiet speech with short bursts reaching full scale (0 dBFS):
// the case the limiter exists for.
func peaky(rate int) (s []float32, bursts [][2]int) {
	s = speech(6*rate, rate, 0.2)
	for _, at := range []float64{1.0, 1.03, 3.0, 4.5} {
		start := int(at * float64(rate))
		n := rate / 50 // 20 ms
		for i := 0; i < n; i++ {
			v := math.Sin(2 * math.Pi * 800 * float64(i) / float64(rate))
			s[start+i] = float32(v) // full scale
		}
		bursts = append(bursts, [2]int{start, start + n})
	}
	return s, bursts
}

func TestLimiterCeiling(t *testing.T) {
	for _, rate := range []int{8000, 22050, 44100, 48000} {
		for _, ceilingDB := range []float64{-3, -1, -6} {
			s, bursts := peaky(rate)
			out := Limit(s, rate, ceilingDB)
			if len(out) != len(s) {
				t.Fatalf("%d Hz: %d samples out for %d in", rate, len(out), len(s))
			}
			ceil := float32(math.Pow(10, ceilingDB/20))
			if p := pcm.Peak(out); p > ceil {
				t.Errorf("%d Hz, %g dB: output peak %.6f (%.3f dBFS) above ceiling", rate, ceilingDB, p, pcm.DB(float64(p)))
			}
			// The bursts must really have been limited, not muted.
			for _, b := range bursts {
				if p := pcm.Peak(out[b[0]:b[1]]); float64(p) < 0.9*float64(ceil) {
					t.Errorf("%d Hz: burst at %d peaks at %.3f, want near the ceiling %.3f", rate, b[0], p, ceil)
				}
			}
		}
	}
}

// TestLimiterTransparent: away from the peaks (beyond the look-ahead
// before them and well past the release after them) the output is the
// input, bit for bit, in time alignment.
func TestLimiterTransparent(t *testing.T) {
	const rate = 44100
	s, bursts := peaky(rate)
	out := Limit(s, rate, -3)
	look := pcm.N(rate, LookAhead) + 1
	// The release snaps to unity once the deficit is under releaseSnap;
	// from the deepest reduction here (-3 dB, deficit 0.3) that takes
	// ln(0.3/releaseSnap) ~ 10.3 time constants.
	settle := pcm.N(rate, time.Duration(math.Log(0.3/releaseSnap)*float64(Release))) + look
	touched := make([]bool, len(s))
	for _, b := range bursts {
		for i := max(0, b[0]-look); i < min(len(s), b[1]+look+settle); i++ {
			touched[i] = true
		}
	}
	var checked int
	for i := range s {
		if touched[i] {
			continue
		}
		checked++
		if out[i] != s[i] {
			t.Fatalf("sample %d (%v) changed from %v to %v", i, pcm.D(rate, i), s[i], out[i])
		}
	}
	if checked < len(s)/2 {
		t.Fatalf("only %d of %d samples were far enough from the bursts to check", checked, len(s))
	}
	// A signal that never reaches the ceiling passes through unchanged.
	quiet := speech(rate, rate, 0.3)
	if got := Limit(quiet, rate, -3); !equal(got, quiet) {
		t.Error("signal below the ceiling was altered")
	}
}

// TestLimiterRelease: after a peak the gain recovers within a few release
// time constants, not instantly (no distortion) and not never.
func TestLimiterRelease(t *testing.T) {
	const rate = 48000
	s := make([]float32, rate)
	for i := range s {
		s[i] = 0.5
	}
	s[rate/10] = 1 // one full-scale sample, ceiling -6 dB needs gain 0.5
	out := Limit(s, rate, -6)
	gainAt := func(d time.Duration) float64 { return float64(out[rate/10+pcm.N(rate, d)] / 0.5) }
	if g := gainAt(Release / 4); g > 0.9 {
		t.Errorf("gain %.3f a quarter release time after the peak, want still reduced", g)
	}
	if g := gainAt(8 * Release); g < 0.999 {
		t.Errorf("gain %.4f eight release times after the peak, want recovered", g)
	}
}

func TestLimiterChunked(t *testing.T) {
	const rate = 22050
	s, _ := peaky(rate)
	whole := Limit(s, rate, -3)
	rng := rand.New(rand.NewPCG(7, 8))
	l := NewLimiter(rate, -3)
	var got []float32
	for rest := s; len(rest) > 0; {
		n := min(len(rest), rng.IntN(500))
		got = append(got, l.Process(rest[:n])...)
		rest = rest[n:]
	}
	got = append(got, l.Flush()...)
	if !equal(got, whole) {
		t.Error("chunked output differs from whole-buffer output")
	}
}

func TestLimiterShortInputs(t *testing.T) {
	for n := 0; n < 600; n += 37 {
		in := make([]float32, n)
		for i := range in {
			in[i] = 1
		}
		out := Limit(in, 44100, -3)
		if len(out) != n {
			t.Errorf("%d in, %d out", n, len(out))
		}
		if p := pcm.Peak(out); p > float32(math.Pow(10, -3.0/20)) {
			t.Errorf("%d samples at full scale: peak %v", n, p)
		}
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

func FuzzLimiter(f *testing.F) {
	f.Add([]byte{0xff, 0x7f, 0, 0x80, 1, 2}, uint8(0), int8(-3), uint16(5))
	f.Add(make([]byte, 3000), uint8(2), int8(0), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, r uint8, ceilingDB int8, chunk uint16) {
		rate := rates[int(r)%len(rates)]
		c := float64(ceilingDB%40) - 1 // -40..+38 dB
		in := samplesFromBytes(data)
		l := NewLimiter(rate, c)
		step := int(chunk)%300 + 1
		var out []float32
		for rest := in; len(rest) > 0; {
			n := min(step, len(rest))
			out = append(out, l.Process(rest[:n])...)
			rest = rest[n:]
		}
		out = append(out, l.Flush()...)
		if len(out) != len(in) {
			t.Fatalf("%d in, %d out", len(in), len(out))
		}
		ceil := float32(math.Pow(10, c/20))
		for i, v := range out {
			if math.IsNaN(float64(v)) || math.Abs(float64(v)) > float64(ceil) {
				t.Fatalf("sample %d = %v, ceiling %v", i, v, ceil)
			}
		}
	})
}

// TestLimiterDoesNotClip: the ceiling is met by turning the gain down, not
// by the final safety clamp, so a limited sine burst stays a sine. A
// clipped one would sit flat at the ceiling for a large part of each cycle.
func TestLimiterDoesNotClip(t *testing.T) {
	const rate = 44100
	s, bursts := peaky(rate)
	out := Limit(s, rate, -3)
	ceil := float32(math.Pow(10, -3.0/20))
	for _, b := range bursts {
		var flat, n int
		for i := b[0]; i < b[1]; i++ {
			n++
			if v := out[i]; v >= ceil*0.999 || v <= -ceil*0.999 {
				flat++
			}
		}
		// An 800 Hz sine sampled at 44.1 kHz spends about 1.5% of its
		// samples within 0.1% of its peak.
		if flat > n/20 {
			t.Errorf("burst at %d: %d of %d samples at the ceiling: clipped, not limited", b[0], flat, n)
		}
	}
}

// TestLimiterRunsMatchSamples checks Process's run-at-a-time idle path
// against feeding the same samples one by one.
func TestLimiterRunsMatchSamples(t *testing.T) {
	const rate = 22050
	s, _ := peaky(rate)
	quiet := make([]float32, rate)
	for i := range quiet {
		quiet[i] = 0.2 * float32(math.Sin(float64(i)/7))
	}
	signal := append(append(append([]float32{}, quiet...), s...), quiet...)
	runs := NewLimiter(rate, -3)
	got := append(append([]float32{}, runs.Process(signal)...), runs.Flush()...)
	one := NewLimiter(rate, -3)
	var want []float32
	for _, x := range signal {
		one.out = one.out[:0]
		one.push(x)
		want = append(want, one.out...)
	}
	one.in = int64(len(signal))
	want = append(want, one.Flush()...)
	if len(got) != len(signal) || !equal(got, want) {
		t.Fatalf("run path: %d samples, sample path %d; outputs equal: %v", len(got), len(want), equal(got, want))
	}
}
