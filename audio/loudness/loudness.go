// Package loudness measures and adjusts the level of mono float32 audio
// for audiobook mastering.
//
// The measures follow the tools narrators are judged by:
//
//   - RMS is the root mean square of every sample of the file, in dBFS
//     (20*log10, full scale = 1.0). This is sox's "RMS lev dB" and ACX
//     Check's "RMS level". ACX wants -23 to -18 dBFS.
//   - Peak is the largest absolute sample value in dBFS: sox's "Pk lev dB",
//     ACX Check's "Peak level". It is a sample peak, not a true
//     (inter-sample) peak. ACX wants at most -3 dBFS.
//   - NoiseFloor is the RMS of the quietest 500 ms of the file, as ACX
//     Check defines it. Windows are 500 ms long and start every 50 ms; a
//     file shorter than 500 ms has one window, the whole file. ACX wants at
//     most -60 dBFS.
//   - LUFS is integrated loudness per ITU-R BS.1770-4: K-weighting, 400 ms
//     blocks every 100 ms, -70 LUFS absolute gate, -10 LU relative gate.
//     Mono has channel weight 1, so a 1 kHz sine with peak -20 dBFS
//     (RMS -23.01 dBFS) measures -23.0 LUFS.
//   - HeadSilence and TailSilence are the lengths of the runs of silent
//     10 ms frames at the start and end (a frame is silent when its RMS is
//     below SilenceDB). ACX asks for 0.5-1 s of room tone at the head and
//     1-5 s at the tail.
//
// A level of digital silence is reported as -Inf dBFS (sox prints "-inf").
// Integrated loudness is -Inf when no block passes the absolute gate,
// including audio shorter than one 400 ms block.
//
// Samples must be finite; callers clip or reject NaN before mastering.
package loudness

import (
	"math"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
)

// SilenceDB is the frame RMS below which a 10 ms frame counts as silence
// for HeadSilence and TailSilence. It sits 10 dB above the ACX noise-floor
// limit, so compliant room tone counts as silence and speech never does.
const SilenceDB = -50.0

// NoiseWindow is the length of the window whose quietest RMS is the noise
// floor, and noiseSteps how many hops it is divided into.
const (
	NoiseWindow = 500 * time.Millisecond
	noiseSteps  = 10
)

// Stats are the measurements of a stretch of audio. Levels are in dBFS.
type Stats struct {
	RMS        float64 // overall RMS, dBFS (sox "RMS lev dB")
	Peak       float64 // largest absolute sample, dBFS (sox "Pk lev dB")
	NoiseFloor float64 // RMS of the quietest 500 ms window, dBFS
	LUFS       float64 // integrated loudness, BS.1770-4 with gating

	HeadSilence time.Duration // leading silent frames
	TailSilence time.Duration // trailing silent frames
	Duration    time.Duration // length of the audio
}

// Measure returns the Stats of a whole buffer. It panics if rate is not
// positive.
func Measure(samples []float32, rate int) Stats {
	m := NewMeter(rate)
	m.Write(samples)
	return m.Stats()
}

// Meter measures a stream, so a chapter can be measured while it is being
// encoded. Memory is constant except for one float64 per 100 ms kept for
// the loudness gate. A Meter is not safe for concurrent use.
type Meter struct {
	rate  int
	n     int64
	sumsq float64
	peak  float64

	// Noise floor: energies of 50 ms hops, a window is noiseSteps of them.
	// Hop k ends at sample floor((k+1)*rate/20), so ten hops are exactly
	// 500 ms even where 50 ms is not a whole number of samples (22050 Hz).
	hopEnd  int64
	hopAcc  float64
	hopCnt  int
	hops    [noiseSteps]float64
	hopLens [noiseSteps]int
	nHops   int64
	minWin  float64 // smallest window mean square, valid once nHops >= noiseSteps

	// Silence: 10 ms frames.
	frameLen   int
	frameAcc   float64
	frameCnt   int
	head       int64 // samples in leading silent frames
	headDone   bool
	tail       int64 // samples in the current trailing run of silent frames
	silentThr2 float64

	// Integrated loudness.
	kw      kWeighting
	stepLen int // 100 ms
	kAcc    float64
	kCnt    int
	steps   [4]float64
	nSteps  int
	blocks  []float64 // mean square of each 400 ms block
}

// NewMeter returns a Meter for audio at rate. It panics if rate is not
// positive, because that is a programming error.
func NewMeter(rate int) *Meter {
	if rate <= 0 {
		panic("loudness: rate must be positive")
	}
	thr := math.Pow(10, SilenceDB/20)
	return &Meter{
		rate:       rate,
		hopEnd:     max(1, hopEnd(rate, 0)),
		frameLen:   max(1, pcm.N(rate, 10*time.Millisecond)),
		stepLen:    max(1, pcm.N(rate, 100*time.Millisecond)),
		silentThr2: thr * thr,
		kw:         newKWeighting(float64(rate)),
	}
}

// Write adds samples to the measurement.
func (m *Meter) Write(samples []float32) {
	for _, s := range samples {
		v := float64(s)
		sq := v * v
		m.n++
		m.sumsq += sq
		if a := math.Abs(v); a > m.peak {
			m.peak = a
		}

		m.hopAcc += sq
		if m.hopCnt++; m.n == m.hopEnd {
			m.pushHop()
		}

		m.frameAcc += sq
		if m.frameCnt++; m.frameCnt == m.frameLen {
			m.pushFrame()
		}

		k := m.kw.filter(v)
		m.kAcc += k * k
		if m.kCnt++; m.kCnt == m.stepLen {
			m.pushStep()
		}
	}
}

// hopEnd is the sample count at which noise hop k ends.
func hopEnd(rate int, k int64) int64 {
	return (k + 1) * int64(rate) * int64(NoiseWindow/noiseSteps) / int64(time.Second)
}

func (m *Meter) pushHop() {
	m.hops[m.nHops%noiseSteps] = m.hopAcc
	m.hopLens[m.nHops%noiseSteps] = m.hopCnt
	m.nHops++
	m.hopAcc, m.hopCnt = 0, 0
	m.hopEnd = max(m.n+1, hopEnd(m.rate, m.nHops))
	if m.nHops < noiseSteps {
		return
	}
	// Summing ten numbers afresh avoids the drift of a running sum over
	// hours of audio.
	var e float64
	var n int
	for i := range m.hops {
		e += m.hops[i]
		n += m.hopLens[i]
	}
	if ms := e / float64(n); m.nHops == noiseSteps || ms < m.minWin {
		m.minWin = ms
	}
}

func (m *Meter) pushFrame() {
	m.addFrame(m.frameAcc < m.silentThr2*float64(m.frameCnt), m.frameCnt)
	m.frameAcc, m.frameCnt = 0, 0
}

// addFrame extends the head and tail silence runs by a frame of n samples.
func (m *Meter) addFrame(silent bool, n int) {
	switch {
	case silent && !m.headDone:
		m.head += int64(n)
		m.tail += int64(n)
	case silent:
		m.tail += int64(n)
	default:
		m.headDone = true
		m.tail = 0
	}
}

func (m *Meter) pushStep() {
	m.steps[m.nSteps%4] = m.kAcc
	m.nSteps++
	m.kAcc, m.kCnt = 0, 0
	if m.nSteps >= 4 {
		var e float64
		for _, s := range m.steps {
			e += s
		}
		m.blocks = append(m.blocks, e/float64(4*m.stepLen))
	}
}

// Stats returns the measurements of everything written so far. It may be
// called at any time and does not disturb the measurement.
func (m *Meter) Stats() Stats {
	st := Stats{
		Peak:     dB(m.peak),
		Duration: pcm.D(m.rate, int(m.n)),
		LUFS:     integrated(m.blocks),
	}
	if m.n == 0 {
		st.RMS, st.NoiseFloor = math.Inf(-1), math.Inf(-1)
		return st
	}
	st.RMS = powDB(m.sumsq / float64(m.n))
	if m.nHops >= noiseSteps {
		st.NoiseFloor = powDB(m.minWin)
	} else {
		st.NoiseFloor = st.RMS // shorter than one window: the whole file
	}

	// Count the unfinished frame as a frame of its own, on a copy so
	// that later writes still see it as unfinished.
	c := *m
	if c.frameCnt > 0 {
		c.addFrame(c.frameAcc < c.silentThr2*float64(c.frameCnt), c.frameCnt)
	}
	head, tail := c.head, c.tail
	st.HeadSilence = pcm.D(m.rate, int(head))
	st.TailSilence = pcm.D(m.rate, int(tail))
	return st
}

// dB converts an amplitude to dBFS; zero is -Inf.
func dB(a float64) float64 { return pcm.DB(a) }

// powDB converts a mean square to dBFS.
func powDB(ms float64) float64 {
	if ms <= 0 {
		return math.Inf(-1)
	}
	return 10 * math.Log10(ms)
}
