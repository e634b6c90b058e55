package loudness

import "math"

// Level detection and the limiter's budget.
const (
	// ActiveDB is the frame RMS below which a frame is a pause and is left
	// out of the speech level, so long pauses do not drag the measure down
	// and earn the speech too much gain.
	ActiveDB = -50.0
	// ActiveFrame is the frame length in samples for ActiveDB (21 ms at
	// 48 kHz, 46 ms at 22.05 kHz): short enough to skip pauses between
	// phrases, long enough that a frame holds at least one voice period.
	ActiveFrame = 1024
	// LimiterHeadroomDB is how far Level lets peaks go above the ceiling,
	// trusting the Limiter to pull them back. Speech peaks are brief, so
	// up to 6 dB of limiting is inaudible; beyond that the limiter would
	// flatten whole syllables, and Level gives up some loudness instead.
	LimiterHeadroomDB = 6.0
)

// Gain converts decibels to a linear gain factor.
func Gain(db float64) float32 { return float32(math.Pow(10, db/20)) }

// Level returns the linear gain that brings the speech-active RMS of
// samples to targetRMSdB, capped so that the peak after the gain is at most
// LimiterHeadroomDB above ceilingdB (the Limiter then removes the rest).
//
// Speech-active RMS is the RMS over frames of ActiveFrame samples (the last
// one may be shorter) whose own RMS is at least ActiveDB. With no active
// frame there is no speech to level, and Level returns 1 rather than
// amplifying room tone.
func Level(samples []float32, targetRMSdB float64, ceilingdB float64) float32 {
	var sum float64
	var n int
	var peak float64
	active := math.Pow(10, ActiveDB/10) // mean-square threshold
	for start := 0; start < len(samples); start += ActiveFrame {
		f := samples[start:min(start+ActiveFrame, len(samples))]
		var e float64
		for _, v := range f {
			e += float64(v) * float64(v)
			peak = max(peak, math.Abs(float64(v)))
		}
		if e >= active*float64(len(f)) {
			sum += e
			n += len(f)
		}
	}
	if n == 0 {
		return 1
	}
	g := targetRMSdB - powDB(sum/float64(n))
	if limit := ceilingdB + LimiterHeadroomDB - dB(peak); g > limit {
		g = limit
	}
	return Gain(g)
}
