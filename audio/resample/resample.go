// Package resample converts mono float32 audio between sample rates with a
// band-limited polyphase windowed-sinc filter.
//
// The conversion ratio to/from is reduced to L/M (upsample by L, filter,
// keep every M-th sample). The low-pass prototype runs at L*from and is a
// Kaiser-windowed sinc whose passband ends at PassbandFraction of the lower
// of the two Nyquist frequencies and whose stopband starts exactly at that
// Nyquist frequency, so nothing that would alias or image is let through at
// more than -StopbandDB. That is stricter than sox's default (which lets the
// transition band overlap Nyquist) and costs a longer filter; speech has
// little energy there, but TTS voices at 22.05 kHz do hiss near 10 kHz, and
// an alias of that hiss lands in the band the ear hears best.
//
// The filter's group delay is compensated: output sample n is the signal
// at input time n*from/to, and the output has round(len(in)*to/from)
// samples, so a chapter built from resampled spans keeps its timing.
package resample

import (
	"math"
)

// Design targets of the anti-alias filter. They are exported so callers
// and tests can state what quality they rely on.
const (
	// PassbandFraction is where the passband ends, as a fraction of the
	// lower Nyquist frequency (min(from, to)/2).
	PassbandFraction = 0.9
	// StopbandDB is the design attenuation of the stopband, which starts
	// at the lower Nyquist frequency.
	StopbandDB = 90.0
)

// Resample converts a whole buffer from one rate to another. It returns
// round(len(in)*to/from) samples and is exactly the concatenation of a
// Resampler's Process over any chunking of in followed by Flush. A
// non-positive rate returns nil; equal rates return a copy.
func Resample(in []float32, from, to int) []float32 {
	if from <= 0 || to <= 0 {
		return nil
	}
	r := New(from, to)
	out := make([]float32, 0, outLen(int64(len(in)), r.l, r.m))
	out = append(out, r.Process(in)...)
	return append(out, r.Flush()...)
}

// Resampler converts a stream chunk by chunk. The zero value is not
// usable; create one with New. A Resampler is not safe for concurrent use.
type Resampler struct {
	l, m int64 // upsample by l, downsample by m (coprime)
	k    int   // taps per phase
	d    int64 // prototype delay in upsampled samples, compensated
	// taps[p*k:(p+1)*k] is phase p, stored reversed so it is dotted with
	// the input history in time order.
	taps []float32

	buf      []float32 // input history; buf[0] is input index bufStart
	bufStart int64
	total    int64 // input samples received
	n        int64 // next output index
	out      []float32
	flushed  bool
	bypass   bool // from == to: the filter would only cost and blur
}

// New returns a Resampler from one rate to another. It panics if a rate
// is not positive, because that is a programming error, not bad audio.
func New(from, to int) *Resampler {
	if from <= 0 || to <= 0 {
		panic("resample: rates must be positive")
	}
	g := gcd(from, to)
	r := &Resampler{l: int64(to / g), m: int64(from / g)}
	if from == to {
		r.bypass = true
		return r
	}
	r.design(from, to)
	// Zeros stand for the signal before the first sample; k of them
	// cover the reach of the first outputs into the past.
	r.bufStart = -int64(r.k)
	r.buf = make([]float32, r.k, 4*r.k)
	return r
}

// Latency reports how many input samples beyond an output's centre the
// filter needs before Process can emit that output. Flush supplies the
// missing tail of zeros at the end of a stream.
func (r *Resampler) Latency() int {
	if r.bypass {
		return 0
	}
	return int((r.d + r.l - 1) / r.l)
}

// Process consumes a chunk and returns the output samples that are now
// fully determined. The returned slice is reused by the next call to
// Process or Flush; copy it to keep it. In steady state Process does not
// allocate. Process after Flush panics.
func (r *Resampler) Process(in []float32) []float32 {
	if r.flushed {
		panic("resample: Process after Flush")
	}
	if r.bypass {
		r.out = append(r.out[:0], in...)
		r.total += int64(len(in))
		return r.out
	}
	r.compact()
	r.buf = append(r.buf, in...)
	r.total += int64(len(in))
	r.out = r.out[:0]
	r.emit(outLen(r.total, r.l, r.m))
	return r.out
}

// Flush ends the stream: it pads the input with zeros and returns the
// remaining output samples, so the total output length is
// round(inputs*to/from). The returned slice is reused by a later call.
func (r *Resampler) Flush() []float32 {
	if r.flushed {
		return r.out[:0]
	}
	r.flushed = true
	if r.bypass {
		return r.out[:0]
	}
	want := outLen(r.total, r.l, r.m)
	r.out = r.out[:0]
	if r.n >= want {
		return r.out
	}
	// Each output reads input up to index (n*m+d)/l; pad zeros through
	// the index the last output reads.
	last := ((want-1)*r.m + r.d) / r.l
	r.compact()
	for end := r.bufStart + int64(len(r.buf)); end <= last; end++ {
		r.buf = append(r.buf, 0)
	}
	r.emitPadded(want)
	return r.out
}

// emit appends outputs while their newest input sample has arrived.
func (r *Resampler) emit(limit int64) {
	avail := r.bufStart + int64(len(r.buf))
	for r.n < limit {
		j := r.n*r.m + r.d
		if j/r.l >= avail {
			break
		}
		r.out = append(r.out, r.at(j))
		r.n++
	}
}

// emitPadded is emit for Flush, where the buffer already holds the zero
// tail, so every output up to limit can be produced.
func (r *Resampler) emitPadded(limit int64) {
	for r.n < limit {
		r.out = append(r.out, r.at(r.n*r.m+r.d))
		r.n++
	}
}

// at computes the output whose prototype-rate index is j: phase j mod l
// of the filter against the k input samples ending at index j/l.
func (r *Resampler) at(j int64) float32 {
	lo := int(j/r.l - int64(r.k) + 1 - r.bufStart)
	p := int(j % r.l)
	return dot(r.taps[p*r.k:(p+1)*r.k], r.buf[lo:lo+r.k])
}

// dotGo is the portable inner loop. Independent accumulators let the CPU
// overlap the multiply-adds, and reslicing as it goes lets the compiler
// drop bounds checks.
func dotGo(h, x []float32) float32 {
	x = x[:len(h)]
	var s0, s1, s2, s3 float32
	for len(h) >= 4 && len(x) >= 4 {
		s0 += h[0] * x[0]
		s1 += h[1] * x[1]
		s2 += h[2] * x[2]
		s3 += h[3] * x[3]
		h, x = h[4:], x[4:]
	}
	for i := range h {
		s0 += h[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// compact drops input history that no future output can reach, moving the
// rest to the front so the buffer does not grow with the stream.
func (r *Resampler) compact() {
	need := (r.n*r.m+r.d)/r.l - int64(r.k) + 1 // oldest index still needed
	drop := need - r.bufStart
	if drop <= 0 {
		return
	}
	if drop > int64(len(r.buf)) {
		drop = int64(len(r.buf))
	}
	// Only move when at least half the buffer is dead, so the copying
	// stays linear in the input.
	if drop < int64(len(r.buf))/2 {
		return
	}
	n := copy(r.buf, r.buf[drop:])
	r.buf = r.buf[:n]
	r.bufStart += drop
}

// design builds the Kaiser-windowed sinc prototype and splits it into
// phases.
func (r *Resampler) design(from, to int) {
	fs := float64(r.l) * float64(from) // prototype rate
	nyq := float64(min(from, to)) / 2
	pass := PassbandFraction * nyq
	stop := nyq
	fc := (pass + stop) / 2 / fs // cutoff, cycles per prototype sample
	width := (stop - pass) / fs  // transition, cycles per sample
	beta := kaiserBeta(StopbandDB)
	// Kaiser's length estimate for the given attenuation and width.
	n := int(math.Ceil((StopbandDB-7.95)/(14.36*width))) + 1
	k := (n + int(r.l) - 1) / int(r.l)
	n = k * int(r.l)
	if n%2 == 0 {
		// An odd length puts the centre on a sample, so the delay is a
		// whole number of prototype samples and can be compensated exactly.
		n--
	}
	r.k = k
	r.d = int64(n-1) / 2
	centre := float64(n-1) / 2
	proto := make([]float64, k*int(r.l))
	i0b := besselI0(beta)
	var sum float64
	for i := 0; i < n; i++ {
		t := float64(i) - centre
		w := besselI0(beta*math.Sqrt(1-(t/centre)*(t/centre))) / i0b
		proto[i] = 2 * fc * sinc(2*fc*t) * w
		sum += proto[i]
	}
	// Unity DC gain after zero-stuffing needs a prototype sum of L.
	scale := float64(r.l) / sum
	r.taps = make([]float32, k*int(r.l))
	for p := 0; p < int(r.l); p++ {
		for j := 0; j < k; j++ {
			// Tap j of phase p multiplies input i0-j.
			r.taps[p*k+(k-1-j)] = float32(proto[p+j*int(r.l)] * scale)
		}
	}
}

// outLen is round(in*l/m), halves rounded up.
func outLen(in, l, m int64) int64 { return (2*in*l + m) / (2 * m) }

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiserBeta is Kaiser's empirical shape parameter for a stopband
// attenuation in dB.
func kaiserBeta(a float64) float64 {
	switch {
	case a > 50:
		return 0.1102 * (a - 8.7)
	case a >= 21:
		return 0.5842*math.Pow(a-21, 0.4) + 0.07886*(a-21)
	}
	return 0
}

// besselI0 is the zeroth-order modified Bessel function of the first kind,
// summed as a power series until terms stop mattering.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 500; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
