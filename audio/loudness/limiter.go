package loudness

import (
	"math"
	"slices"
	"time"

	"github.com/narrate-audio/narrate/audio/pcm"
)

// Limiter timing. The look-ahead is short enough that the gain ramp (which
// lasts exactly the look-ahead) is not heard as a dip before a plosive, and
// the release is long enough not to pump on syllables.
const (
	LookAhead = 5 * time.Millisecond
	Release   = 80 * time.Millisecond // time constant of the gain recovery
)

// gainOne is the fixed-point scale of the smoothed gain. Summing the
// moving average in integers makes it exact, so a window of unity gains
// averages to exactly 1 and quiet passages pass through bit for bit.
const gainOne = 1 << 30

// releaseSnap is the remaining gain deficit below which the release jumps
// to its target.
const releaseSnap = 1e-5

// Limiter is a look-ahead sample-peak limiter. Its output never exceeds the
// ceiling, and it leaves audio alone wherever no peak above the ceiling is
// within the look-ahead window or the release time.
//
// How: each sample asks for the gain ceiling/|x| (or 1). The minimum of
// that request over the look-ahead window of W samples is held, released
// upward with a one-pole follower (never above the held value), and then
// averaged over W samples. The signal is delayed by W-1 samples, so when a
// peak reaches the output all W averaged gains were already at or below its
// request: the average is too, and the peak lands at or under the
// ceiling. The average also makes the attack a smooth W-sample ramp rather
// than a step. A final clamp absorbs float rounding only.
//
// The delay is compensated: Process output is aligned with its input, and
// the stream's total output length after Flush equals its input length.
// A Limiter is not safe for concurrent use.
type Limiter struct {
	ceil float32
	w    int // look-ahead window in samples, latency is w-1

	delay []float32 // last w inputs, ring
	// Monotonic deque (ring) of (index, requested gain) for the window
	// minimum in amortised O(1).
	dqIdx  []int64
	dqVal  []float64
	dqHead int
	dqLen  int

	rel   float64 // release follower
	alpha float64 // release coefficient per sample
	avg   []int64 // last w quantised gains, ring
	sum   int64

	n       int64 // samples pushed (input plus flush padding)
	pos     int   // n modulo w: the ring slot of the next sample
	full    int64 // sum when every gain in the window is unity
	in      int64 // real input samples
	out     []float32
	flushed bool
}

// NewLimiter returns a limiter for audio at rate whose output peaks stay
// at or below ceilingDB dBFS. It panics if rate is not positive.
func NewLimiter(rate int, ceilingDB float64) *Limiter {
	if rate <= 0 {
		panic("loudness: rate must be positive")
	}
	w := pcm.N(rate, LookAhead) + 1
	l := &Limiter{
		ceil:  float32(math.Pow(10, ceilingDB/20)),
		w:     w,
		delay: make([]float32, w),
		dqIdx: make([]int64, w),
		dqVal: make([]float64, w),
		rel:   1,
		alpha: 1 - math.Exp(-1/(Release.Seconds()*float64(rate))),
		avg:   make([]int64, w),
		sum:   int64(w) * gainOne,
		full:  int64(w) * gainOne,
	}
	for i := range l.avg {
		l.avg[i] = gainOne
	}
	return l
}

// Latency is the limiter's internal delay in samples. Process and Flush
// compensate it; it is exported for callers that budget buffering.
func (l *Limiter) Latency() int { return l.w - 1 }

// Process limits a chunk. It returns the output samples that are ready,
// aligned with the input (the first Latency() samples of a stream come
// out of later calls or Flush). The returned slice is reused by the next
// call. Process after Flush panics.
func (l *Limiter) Process(in []float32) []float32 {
	if l.flushed {
		panic("loudness: Limiter.Process after Flush")
	}
	l.out = slices.Grow(l.out[:0], len(in))
	for i := 0; i < len(in); {
		if l.idle() {
			// Speech spends most of its time here: pass the run of
			// samples under the ceiling through in one tight loop.
			j := i
			for j < len(in) && in[j] <= l.ceil && in[j] >= -l.ceil {
				j++
			}
			if j > i {
				l.pass(in[i:j])
				i = j
				continue
			}
		}
		i += l.slow(in[i:])
	}
	l.in += int64(len(in))
	return l.out
}

// idle reports that no gain reduction is held, releasing or averaged in
// the window: every gain in it is exactly one.
func (l *Limiter) idle() bool {
	return l.dqLen == 1 && l.dqVal[l.dqHead] == 1 && l.rel == 1 && l.sum == l.full
}

// pass feeds samples under the ceiling while idle: push's idle path,
// for a run. The window's requests all collapse to the last sample's.
func (l *Limiter) pass(run []float32) {
	pos, n, w, lag := l.pos, l.n, l.w, int64(l.w-1)
	delay, out := l.delay, l.out
	for _, x := range run {
		delay[pos] = x
		if pos++; pos == w {
			pos = 0
		}
		if n >= lag {
			out = append(out, delay[pos])
		}
		n++
	}
	l.dqIdx[l.dqHead] = n - 1
	l.pos, l.n, l.out = pos, n, out
}

// Flush returns the samples still held in the look-ahead delay. The
// returned slice is reused by a later call.
func (l *Limiter) Flush() []float32 {
	l.out = l.out[:0]
	if l.flushed {
		return l.out
	}
	l.flushed = true
	for l.n-int64(l.w-1) < l.in {
		l.push(0)
	}
	return l.out
}

// push feeds one sample through the general path.
func (l *Limiter) push(x float32) {
	one := [1]float32{x}
	l.slow(one[:])
}

// slow feeds samples through the general path and emits, for each, the
// sample w-1 behind it once there is one. It takes at least one sample
// and stops before the next sample that finds the limiter idle and is
// under the ceiling, returning how many it took. The state lives in
// locals for the loop: this runs for every sample near a peak.
func (l *Limiter) slow(in []float32) int {
	w, w64 := l.w, int64(l.w)
	n, pos, head, size := l.n, l.pos, l.dqHead, l.dqLen
	rel, sum, full, alpha := l.rel, l.sum, l.full, l.alpha
	ceil := l.ceil
	fceil := float64(ceil)
	delay, dqIdx, dqVal, avg, out := l.delay, l.dqIdx, l.dqVal, l.avg, l.out
	inv := 1 / (float64(w) * gainOne) // the mean gain is sum*inv
	i := 0
	for ; i < len(in); i++ {
		x := in[i]
		if i > 0 && size == 1 && dqVal[head] == 1 && rel == 1 && sum == full && x <= ceil && x >= -ceil {
			break // idle again: Process's run path takes over
		}
		req := 1.0
		if a := math.Abs(float64(x)); a > fceil {
			req = fceil / a
		}
		delay[pos] = x

		// Window minimum of the requests over samples n-w+1..n. Expire
		// first, so the deque never holds more than w entries. Ring
		// indices wrap by comparison.
		if size > 0 && dqIdx[head] <= n-w64 {
			if head++; head == w {
				head = 0
			}
			size--
		}
		for size > 0 {
			back := head + size - 1
			if back >= w {
				back -= w
			}
			if dqVal[back] < req {
				break
			}
			size--
		}
		tail := head + size
		if tail >= w {
			tail -= w
		}
		dqIdx[tail], dqVal[tail] = n, req
		size++
		hold := dqVal[head]

		// Attack instantly to the held value, release toward it slowly,
		// and never sit above it. Snap the last 0.0001 dB so unity is
		// reached exactly (about 11 release time constants after a 6 dB
		// reduction) instead of creeping toward it for ever.
		if hold <= rel {
			rel = hold
		} else if rel += alpha * (hold - rel); hold-rel < releaseSnap {
			rel = hold
		}
		// Round down so quantisation can only lower the gain (the gain
		// is never negative, so truncation is rounding down).
		q := int64(rel * gainOne)
		sum += q - avg[pos]
		avg[pos] = q
		if pos++; pos == w {
			pos = 0
		}
		if n++; n < w64 {
			continue // the delay line is still filling
		}
		d := delay[pos] // the sample w-1 before this one
		y := d
		if sum != full {
			y = float32(float64(d) * float64(sum) * inv)
		}
		if y > ceil {
			y = ceil
		} else if y < -ceil {
			y = -ceil
		}
		out = append(out, y)
	}
	l.n, l.pos, l.dqHead, l.dqLen = n, pos, head, size
	l.rel, l.sum, l.out = rel, sum, out
	return i
}

// Limit runs a whole buffer through a new Limiter.
func Limit(samples []float32, rate int, ceilingDB float64) []float32 {
	l := NewLimiter(rate, ceilingDB)
	out := make([]float32, 0, len(samples))
	out = append(out, l.Process(samples)...)
	return append(out, l.Flush()...)
}
