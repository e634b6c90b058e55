package resample

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var rates = []int{8000, 16000, 22050, 24000, 32000, 44100, 48000}

// pairs lists every ordered pair of distinct supported rates.
func pairs() [][2]int {
	var ps [][2]int
	for _, a := range rates {
		for _, b := range rates {
			if a != b {
				ps = append(ps, [2]int{a, b})
			}
		}
	}
	return ps
}

func sine(n, rate int, freq, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return s
}

func db(v float64) float64 { return 20 * math.Log10(v) }

// fit returns the amplitude of the sinusoid at freq (Hz, sampled at rate)
// that best fits s in the least-squares sense, and the RMS of what is
// left. A resampler that moved the frequency would leave a small amplitude
// and a large residual.
func fit(s []float32, rate int, freq float64) (amp, resid float64) {
	var ss, cc, sc, ys, yc float64
	w := 2 * math.Pi * freq / float64(rate)
	for i, v := range s {
		sn, cs := math.Sincos(w * float64(i))
		ss += sn * sn
		cc += cs * cs
		sc += sn * cs
		ys += float64(v) * sn
		yc += float64(v) * cs
	}
	det := ss*cc - sc*sc
	a := (ys*cc - yc*sc) / det
	b := (yc*ss - ys*sc) / det
	var r float64
	for i, v := range s {
		sn, cs := math.Sincos(w * float64(i))
		e := float64(v) - a*sn - b*cs
		r += e * e
	}
	return math.Hypot(a, b), math.Sqrt(r / float64(len(s)))
}

// hannAmp estimates the amplitude of the component at freq through a Hann
// window, whose low sidelobes keep a strong tone elsewhere from leaking
// into the estimate.
func hannAmp(s []float32, rate int, freq float64) float64 {
	var re, im, wsum float64
	w := 2 * math.Pi * freq / float64(rate)
	for i, v := range s {
		h := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(len(s)-1))
		sn, cs := math.Sincos(w * float64(i))
		re += h * float64(v) * cs
		im += h * float64(v) * sn
		wsum += h
	}
	return 2 * math.Hypot(re, im) / wsum
}

// TestSinePreserved: a tone inside the passband keeps its amplitude,
// frequency and phase (the filter delay is compensated) in every
// direction.
func TestSinePreserved(t *testing.T) {
	for _, p := range pairs() {
		from, to := p[0], p[1]
		nyq := float64(min(from, to)) / 2
		for _, frac := range []float64{0.05, 0.45, 0.85} {
			f := frac * nyq
			t.Run(fmt.Sprintf("%d-%d/%.0fHz", from, to, f), func(t *testing.T) {
				const amp = 0.5
				in := sine(from/2, from, f, amp)
				out := Resample(in, from, to)
				// Skip the edges, where the tone starts and stops abruptly.
				edge := to / 20
				mid := out[edge : len(out)-edge]
				got, resid := fit(mid, to, f)
				if d := db(got / amp); math.Abs(d) > 0.1 {
					t.Errorf("amplitude changed by %.4f dB", d)
				}
				if r := db(resid / amp); r > -70 {
					t.Errorf("residual after fitting %.0f Hz is %.1f dB, want < -70", f, r)
				}
				// Phase: compare sample by sample with the ideal tone
				// at the output rate; a delay error shows up here.
				var worst float64
				for i, v := range mid {
					n := i + edge
					want := amp * math.Sin(2*math.Pi*f*float64(n)/float64(to))
					worst = max(worst, math.Abs(float64(v)-want))
				}
				if e := db(worst / amp); e > -60 {
					t.Errorf("max deviation from the ideal tone %.1f dB, want < -60 (delay not compensated?)", e)
				}
			})
		}
	}
}

// TestAliasRejected: downsampling a tone that lies above the target
// Nyquist frequency leaves (almost) nothing.
func TestAliasRejected(t *testing.T) {
	for _, p := range pairs() {
		from, to := p[0], p[1]
		if to > from {
			continue
		}
		lo, hi := float64(to)/2, float64(from)/2
		for _, f := range []float64{lo * 1.005, lo * 1.1, (lo + hi) / 2, hi * 0.97} {
			t.Run(fmt.Sprintf("%d-%d/%.0fHz", from, to, f), func(t *testing.T) {
				const amp = 0.9
				in := sine(from/2, from, f, amp)
				// Fade in and out so the abrupt edges do not splash
				// energy into the passband.
				fade := from / 50
				for i := 0; i < fade; i++ {
					g := float32(0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(fade)))
					in[i] *= g
					in[len(in)-1-i] *= g
				}
				out := Resample(in, from, to)
				var sum float64
				for _, v := range out {
					sum += float64(v) * float64(v)
				}
				rms := math.Sqrt(sum / float64(len(out)))
				if att := -db(rms / (amp / math.Sqrt2)); att < 70 {
					t.Errorf("tone at %.0f Hz attenuated by only %.1f dB, want >= 70", f, att)
				}
			})
		}
	}
}

// TestImageRejected: upsampling creates spectral images of the input
// above the old Nyquist frequency; they must be gone from the output.
func TestImageRejected(t *testing.T) {
	for _, p := range pairs() {
		from, to := p[0], p[1]
		if to < from {
			continue
		}
		f := 0.8 * float64(from) / 2
		t.Run(fmt.Sprintf("%d-%d", from, to), func(t *testing.T) {
			in := sine(from/2, from, f, 0.5)
			out := Resample(in, from, to)
			edge := to / 20
			mid := out[edge : len(out)-edge]
			// The first image of f sits at from-f.
			img := hannAmp(mid, to, float64(from)-f)
			if a := db(img / 0.5); a > -80 {
				t.Errorf("image at %.0f Hz is %.1f dB, want < -80", float64(from)-f, a)
			}
		})
	}
}

// TestFilterResponse checks the designed prototype itself against the
// stated targets on a dense frequency grid, for ratios whose prototypes are
// short enough to scan completely.
func TestFilterResponse(t *testing.T) {
	for _, p := range [][2]int{{22050, 44100}, {48000, 16000}, {16000, 24000}, {44100, 22050}} {
		from, to := p[0], p[1]
		t.Run(fmt.Sprintf("%d-%d", from, to), func(t *testing.T) {
			r := New(from, to)
			l := int(r.l)
			proto := make([]float64, r.k*l)
			for ph := 0; ph < l; ph++ {
				for j := 0; j < r.k; j++ {
					proto[ph+j*l] = float64(r.taps[ph*r.k+(r.k-1-j)]) / float64(l)
				}
			}
			fs := float64(l * from)
			nyq := float64(min(from, to)) / 2
			resp := func(f float64) float64 {
				var z complex128
				w := 2 * math.Pi * f / fs
				for i, h := range proto {
					z += complex(h, 0) * cmplx.Rect(1, -w*float64(i))
				}
				return cmplx.Abs(z)
			}
			const steps = 3000
			for i := 0; i <= steps; i++ {
				f := PassbandFraction * nyq * float64(i) / steps
				if g := db(resp(f)); math.Abs(g) > 0.01 {
					t.Fatalf("passband gain at %.0f Hz is %.4f dB", f, g)
				}
			}
			for i := 0; i <= steps; i++ {
				f := nyq + (fs/2-nyq)*float64(i)/steps
				if g := db(resp(f)); g > -80 {
					t.Fatalf("stopband gain at %.0f Hz is %.1f dB, want <= -80", f, g)
				}
			}
		})
	}
}

// TestLength: the output has round(len*to/from) samples for every
// direction and many lengths, including the degenerate ones.
func TestLength(t *testing.T) {
	for _, p := range append(pairs(), [2]int{44100, 44100}) {
		from, to := p[0], p[1]
		for _, n := range []int{0, 1, 2, 3, 7, 80, 147, 160, 441, 1000, 12345} {
			got := len(Resample(make([]float32, n), from, to))
			want := int(math.Floor(float64(n)*float64(to)/float64(from) + 0.5))
			if got != want {
				t.Errorf("%d->%d, %d samples: got %d out, want %d", from, to, n, got, want)
			}
		}
	}
}

// TestChunkedEqualsWhole: feeding the input in arbitrary pieces gives
// bit-for-bit the same output as one call.
func TestChunkedEqualsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	in := make([]float32, 20000)
	for i := range in {
		in[i] = float32(rng.Float64()*2 - 1)
	}
	for _, p := range append(pairs(), [2]int{16000, 16000}) {
		from, to := p[0], p[1]
		t.Run(fmt.Sprintf("%d-%d", from, to), func(t *testing.T) {
			whole := Resample(in, from, to)
			r := New(from, to)
			var got []float32
			for rest := in; len(rest) > 0; {
				n := min(len(rest), rng.IntN(700)) // 0 is a legal chunk
				got = append(got, r.Process(rest[:n])...)
				rest = rest[n:]
			}
			got = append(got, r.Flush()...)
			if len(got) != len(whole) {
				t.Fatalf("chunked gave %d samples, whole %d", len(got), len(whole))
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(whole[i]) {
					t.Fatalf("sample %d: chunked %v, whole %v", i, got[i], whole[i])
				}
			}
		})
	}
}

// TestSteadyStateNoAlloc: once warmed up with a chunk size, Process does
// not allocate.
func TestSteadyStateNoAlloc(t *testing.T) {
	r := New(22050, 44100)
	chunk := sine(1024, 22050, 440, 0.5)
	for i := 0; i < 10; i++ {
		r.Process(chunk)
	}
	if a := testing.AllocsPerRun(100, func() { r.Process(chunk) }); a != 0 {
		t.Errorf("Process allocates %.1f times per call in steady state", a)
	}
}

func TestProcessAfterFlushPanics(t *testing.T) {
	r := New(8000, 16000)
	r.Flush()
	defer func() {
		if recover() == nil {
			t.Error("Process after Flush did not panic")
		}
	}()
	r.Process([]float32{1})
}

// TestAgainstSox compares with sox's own band-limited "rate" effect on a
// speech-band signal. The two filters differ in their transition bands,
// so the comparison uses content well inside both passbands.
func TestAgainstSox(t *testing.T) {
	sox, err := exec.LookPath("sox")
	if err != nil {
		t.Skip("sox not installed; cross-check skipped")
	}
	dir := t.TempDir()
	for _, p := range [][2]int{{22050, 44100}, {24000, 44100}, {44100, 16000}, {48000, 22050}} {
		from, to := p[0], p[1]
		t.Run(fmt.Sprintf("%d-%d", from, to), func(t *testing.T) {
			in := make([]float32, from)
			for _, f := range []float64{220, 1234, 3100} {
				s := sine(len(in), from, f, 0.25)
				for i := range in {
					in[i] += s[i]
				}
			}
			inPath := filepath.Join(dir, "in.f32")
			outPath := filepath.Join(dir, "out.f32")
			raw := make([]byte, 4*len(in))
			for i, v := range in {
				binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
			}
			if err := os.WriteFile(inPath, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sox, "-t", "f32", "-r", fmt.Sprint(from), "-c", "1", inPath,
				"-t", "f32", "-r", fmt.Sprint(to), "-c", "1", outPath, "rate", "-v")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("sox: %v\n%s", err, out)
			}
			b, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatal(err)
			}
			ref := make([]float32, len(b)/4)
			for i := range ref {
				ref[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
			}
			got := Resample(in, from, to)
			if len(got) != len(ref) {
				t.Errorf("length: ours %d, sox %d", len(got), len(ref))
			}
			n := min(len(got), len(ref))
			edge := to / 10
			var worst float64
			for i := edge; i < n-edge; i++ {
				worst = max(worst, math.Abs(float64(got[i]-ref[i])))
			}
			if e := db(worst / 0.75); e > -70 {
				t.Errorf("max difference from sox %.1f dB relative to peak, want < -70", e)
			}
			t.Logf("max difference from sox: %.1f dB", db(worst/0.75))
		})
	}
}

// BenchmarkResample reports how many times faster than real time the
// resampler runs on one core, per wall second and per CPU second of the
// benchmarking thread (the build machine is shared, so wall time also
// measures the neighbours). 22050->44100 is the common TTS case.
func BenchmarkResample(b *testing.B) {
	for _, p := range [][2]int{{22050, 44100}, {24000, 44100}, {16000, 44100}, {44100, 48000}, {48000, 22050}} {
		from, to := p[0], p[1]
		b.Run(fmt.Sprintf("%d-%d", from, to), func(b *testing.B) {
			in := sine(from*10, from, 440, 0.5)
			r := New(from, to)
			const chunk = 4096
			b.SetBytes(int64(4 * len(in)))
			defer lockThread()()
			cpu0, cpuOK := threadCPU()
			for b.Loop() {
				for rest := in; len(rest) > 0; {
					n := min(chunk, len(rest))
					r.Process(rest[:n])
					rest = rest[n:]
				}
			}
			b.StopTimer()
			audio := float64(b.N) * 10
			b.ReportMetric(audio/b.Elapsed().Seconds(), "x-realtime")
			if cpu1, ok := threadCPU(); ok && cpuOK && cpu1 > cpu0 {
				b.ReportMetric(audio/(cpu1-cpu0).Seconds(), "x-realtime-cpu")
			}
		})
	}
}

// FuzzResample feeds arbitrary (finite, possibly over-range) samples in
// arbitrary chunks: no panics, exact length, finite output, and chunked
// output identical to the whole-buffer result.
func FuzzResample(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(0), uint8(5), uint16(3))
	f.Add([]byte{0xff, 0x7f, 0x00, 0x80}, uint8(6), uint8(0), uint16(1))
	f.Add([]byte{}, uint8(2), uint8(5), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, a, b uint8, chunk uint16) {
		from, to := rates[int(a)%len(rates)], rates[int(b)%len(rates)]
		in := make([]float32, len(data)/2)
		for i := range in {
			// Up to 4x full scale: clipped-in-the-making audio must
			// still resample without blowing up.
			in[i] = 4 * float32(int16(binary.LittleEndian.Uint16(data[2*i:]))) / 32768
		}
		whole := Resample(in, from, to)
		want := int((2*int64(len(in))*int64(to) + int64(from)) / (2 * int64(from)))
		if len(whole) != want {
			t.Fatalf("length %d, want %d", len(whole), want)
		}
		for i, v := range whole {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || math.Abs(float64(v)) > 16 {
				t.Fatalf("sample %d is %v", i, v)
			}
		}
		r := New(from, to)
		step := int(chunk)%97 + 1
		var got []float32
		for rest := in; len(rest) > 0; {
			n := min(step, len(rest))
			got = append(got, r.Process(rest[:n])...)
			rest = rest[n:]
		}
		got = append(got, r.Flush()...)
		if len(got) != len(whole) {
			t.Fatalf("chunked length %d, whole %d", len(got), len(whole))
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(whole[i]) {
				t.Fatalf("sample %d: chunked %v, whole %v", i, got[i], whole[i])
			}
		}
	})
}

// TestDotMatchesPortable: the assembly kernel (where used) agrees with the
// portable loop for every length, including the tails.
func TestDotMatchesPortable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 300; n++ {
		h := make([]float32, n)
		x := make([]float32, n+5)
		var mag float64
		for i := range h {
			h[i] = float32(rng.NormFloat64())
			x[i] = float32(rng.NormFloat64())
			mag += math.Abs(float64(h[i] * x[i]))
		}
		got, want := dot(h, x), dotGo(h, x[:n])
		if d := math.Abs(float64(got - want)); d > 1e-5*(mag+1) {
			t.Errorf("n=%d: dot %v, portable %v", n, got, want)
		}
	}
}
