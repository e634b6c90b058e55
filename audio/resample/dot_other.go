//go:build !amd64

package resample

// dot returns the dot product of h and x[:len(h)].
func dot(h, x []float32) float32 { return dotGo(h, x) }
