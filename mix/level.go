package mix

import (
	"math"
)

// window is the analysis frame for trimming and levelling: 10 ms.
func window(rate int) int { return max(1, rate/100) }

// Trim removes the silence at both ends of a span: frames whose RMS is
// below threshold dBFS. A few milliseconds of margin are kept so that soft
// consonants are not clipped.
func Trim(s []float32, rate int, threshold float64) []float32 {
	w := window(rate)
	limit := math.Pow(10, threshold/20)
	loud := func(from int) bool {
		to := min(from+w, len(s))
		var sum float64
		for _, v := range s[from:to] {
			sum += float64(v) * float64(v)
		}
		return math.Sqrt(sum/float64(max(1, to-from))) >= limit
	}
	start := 0
	for start < len(s) && !loud(start) {
		start += w
	}
	if start >= len(s) {
		return nil
	}
	end := len(s)
	for end-w > start && !loud(end-w) {
		end -= w
	}
	margin := w / 2
	return s[max(0, start-margin):min(len(s), end+margin)]
}
