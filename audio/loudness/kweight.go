package loudness

import "math"

// BS.1770 gating constants.
const (
	absoluteGate = -70.0 // LUFS
	relativeGate = -10.0 // LU below the absolutely gated loudness
	// lkOffset turns 10*log10(mean square) into LUFS; it cancels the
	// K-filter's gain at 1 kHz.
	lkOffset = -0.691
)

// biquad is a direct-form-I second-order section with a0 = 1. Float64
// state keeps the 38 Hz high-pass, whose poles sit very close to z = 1,
// accurate at every sample rate.
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

func (f *biquad) filter(x float64) float64 {
	y := f.b0*x + f.b1*f.x1 + f.b2*f.x2 - f.a1*f.y1 - f.a2*f.y2
	f.x2, f.x1 = f.x1, x
	f.y2, f.y1 = f.y1, y
	return y
}

// kWeighting is the BS.1770 pre-filter: a high shelf modelling the head
// (+4 dB above ~1.7 kHz) followed by the RLB high-pass (~38 Hz).
type kWeighting struct{ shelf, highpass biquad }

// newKWeighting designs the two stages for any sample rate. The spec only
// tabulates coefficients for 48 kHz; these come from the analog
// prototypes those coefficients were derived from, mapped to the z-plane by
// the bilinear transform with the corner frequency pre-warped
// (K = tan(pi*f0/fs)). The prototype parameters below reproduce the
// spec's 48 kHz table to about 1e-9 (see the test).
func newKWeighting(fs float64) kWeighting {
	var kw kWeighting

	// Stage 1, high shelf:
	// H(s) = (Vh*s^2 + Vb*(w0/Q)*s + w0^2) / (s^2 + (w0/Q)*s + w0^2).
	const (
		shelfF0   = 1681.974450955533
		shelfGain = 3.999843853973347 // dB
		shelfQ    = 0.7071752369554196
		// The mid-band gain of the shelf is Vh raised to this power.
		shelfVbExp = 0.4996667741545416
	)
	k := math.Tan(math.Pi * shelfF0 / fs)
	vh := math.Pow(10, shelfGain/20)
	vb := math.Pow(vh, shelfVbExp)
	a0 := 1 + k/shelfQ + k*k
	kw.shelf = biquad{
		b0: (vh + vb*k/shelfQ + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/shelfQ + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/shelfQ + k*k) / a0,
	}

	// Stage 2, second-order high-pass H(s) = s^2 / (s^2 + (w0/Q)*s + w0^2).
	// The spec keeps its numerator at exactly 1, -2, 1 rather than
	// normalising it, so the passband gain is very slightly above 1; we
	// do the same to agree with the tabulated filter and other meters.
	const (
		hpF0 = 38.13547087602444
		hpQ  = 0.5003270373238773
	)
	k = math.Tan(math.Pi * hpF0 / fs)
	a0 = 1 + k/hpQ + k*k
	kw.highpass = biquad{
		b0: 1, b1: -2, b2: 1,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/hpQ + k*k) / a0,
	}
	return kw
}

func (kw *kWeighting) filter(x float64) float64 {
	return kw.highpass.filter(kw.shelf.filter(x))
}

// integrated applies the two BS.1770 gates to block mean squares and
// returns the loudness of what passes, or -Inf if nothing does.
func integrated(blocks []float64) float64 {
	absMS := math.Pow(10, (absoluteGate-lkOffset)/10)
	mean, ok := meanAbove(blocks, absMS)
	if !ok {
		return math.Inf(-1)
	}
	// The relative gate is 10 LU below the loudness of the blocks that
	// passed the absolute gate; in mean-square terms, a factor of 10.
	relMS := mean * math.Pow(10, relativeGate/10)
	mean, ok = meanAbove(blocks, max(absMS, relMS))
	if !ok {
		return math.Inf(-1)
	}
	return lkOffset + 10*math.Log10(mean)
}

// meanAbove is the mean of the block mean squares above thr, and whether
// any is.
func meanAbove(blocks []float64, thr float64) (float64, bool) {
	var sum float64
	var n int
	for _, z := range blocks {
		if z > thr {
			sum += z
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}
