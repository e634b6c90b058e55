package mp3

import "slices"

// The one table of what MPEG audio allows; configuration checks settings
// against it too.
var (
	sampleRates   = []int{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}
	bitratesMPEG1 = []int{32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	bitratesMPEG2 = []int{8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
)

// SampleRates returns the sample rates the encoder accepts, ascending.
func SampleRates() []int { return slices.Clone(sampleRates) }

// Bitrates returns the CBR bitrates in kbps legal at rate, ascending:
// MPEG-1's from 32 kHz up, MPEG-2's below. Rate 0 gives the bitrates of
// either, for a setting checked before the rate is known.
func Bitrates(rate int) []int {
	switch {
	case rate == 0:
		all := slices.Concat(bitratesMPEG1, bitratesMPEG2)
		slices.Sort(all)
		return slices.Compact(all)
	case rate >= 32000:
		return slices.Clone(bitratesMPEG1)
	default:
		return slices.Clone(bitratesMPEG2)
	}
}
