package resample

import "golang.org/x/sys/cpu"

// The dot product is nearly all of the resampler's time; with AVX2 and FMA
// it runs several times faster than the scalar Go loop, which matters
// because every span of every chapter passes through it.
var haveAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dotAVX2 returns the dot product of the n float32s at h and x.
//
//go:noescape
func dotAVX2(h, x *float32, n int) float32

// dot returns the dot product of h and x[:len(h)]. It always takes the same
// path on a given machine, so results do not depend on how a stream was
// chunked.
func dot(h, x []float32) float32 {
	if len(h) == 0 {
		return 0
	}
	x = x[:len(h)]
	if haveAVX2FMA {
		return dotAVX2(&h[0], &x[0], len(h))
	}
	return dotGo(h, x)
}
