package pipeline

// resampleLinear is a placeholder-free fallback used until the
// band-limited resampler lands: linear interpolation.
func resampleLinear(in []float32, from, to int) []float32 {
	n := int(int64(len(in)) * int64(to) / int64(from))
	out := make([]float32, n)
	for i := range out {
		pos := float64(i) * float64(from) / float64(to)
		j := int(pos)
		f := float32(pos - float64(j))
		a := in[min(j, len(in)-1)]
		b := in[min(j+1, len(in)-1)]
		out[i] = a + (b-a)*f
	}
	return out
}
