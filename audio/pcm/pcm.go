// Package pcm holds the audio buffer type shared by the synth and mix
// stages: mono float32 samples at a known sample rate.
package pcm

import (
	"math"
	"time"
)

// Buffer is mono audio. Samples are in [-1, 1].
type Buffer struct {
	Rate    int
	Samples []float32
}

// Duration is the buffer's length in time.
func (b Buffer) Duration() time.Duration { return D(b.Rate, len(b.Samples)) }

// D converts a sample count at rate to a duration.
func D(rate, n int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(int64(n) * int64(time.Second) / int64(rate))
}

// N converts a duration to a sample count at rate, rounding to nearest.
func N(rate int, d time.Duration) int {
	return int((int64(d)*int64(rate) + int64(time.Second)/2) / int64(time.Second))
}

// FromInt16 converts signed 16-bit samples to a Buffer. Interleaved
// multi-channel input is mixed down to mono.
func FromInt16(rate, channels int, s []int16) Buffer {
	if channels < 1 {
		channels = 1
	}
	out := make([]float32, len(s)/channels)
	for i := range out {
		var sum float32
		for c := 0; c < channels; c++ {
			sum += float32(s[i*channels+c])
		}
		out[i] = sum / float32(channels) / 32768
	}
	return Buffer{Rate: rate, Samples: out}
}

// Int16 converts one sample to signed 16 bits with clipping.
func Int16(v float32) int16 {
	x := math.Round(float64(v) * 32767)
	if x > 32767 {
		x = 32767
	} else if x < -32768 {
		x = -32768
	}
	return int16(x)
}

// Peak returns the largest absolute sample value.
func Peak(s []float32) float32 {
	var p float32
	for _, v := range s {
		if v < 0 {
			v = -v
		}
		if v > p {
			p = v
		}
	}
	return p
}

// RMS returns the root mean square of s.
func RMS(s []float32) float64 {
	if len(s) == 0 {
		return 0
	}
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(s)))
}

// DB converts a linear amplitude to decibels relative to full scale.
func DB(v float64) float64 {
	if v <= 0 {
		return math.Inf(-1)
	}
	return 20 * math.Log10(v)
}
