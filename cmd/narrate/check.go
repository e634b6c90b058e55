package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/narrate-audio/narrate/mix/check"
)

// newCheck builds `narrate check`. It reads no configuration (a.cfg), so
// it works on any folder of MP3 files, from narrate or not.
func newCheck(a *app) *cobra.Command {
	var asJSON, acx bool
	cmd := &cobra.Command{
		Use:   "check DIR|FILE",
		Short: "Measure finished MP3 files and check them against the ACX rules",
		Long: `check decodes every *.mp3 file in DIR (sorted by name), or the one FILE,
and reports for each: duration, sample rate, channels, bitrate and CBR/VBR,
the levels, the room tone at the head and tail, the ID3v2 tags, the cover
and the chapter frames. It works on MP3 files from any encoder.

How the figures are measured (on the decoded audio, stereo averaged to mono):
  RMS     root mean square of every sample, dBFS (sox stats "RMS lev dB")
  PEAK    largest absolute sample, dBFS (sample peak, sox "Pk lev dB")
  FLOOR   RMS of the quietest 500 ms window (windows every 50 ms), dBFS
  LUFS    integrated loudness, ITU-R BS.1770-4 with gating
  HEAD    silence at the start: 10 ms frames whose RMS is below -50 dBFS
  TAIL    the same at the end
Levels of files below 64 kbps are only indicative: the decoder reproduces
low-bitrate MPEG-2 audio poorly, though with the right length.

With --acx each file is checked against the measurable ACX audio
submission rules and every rule is printed PASS or FAIL; the command fails
if any rule fails:
  rms             -23 to -18 dBFS
  peak            at most -3 dBFS
  noise-floor     at most -60 dBFS
  bitrate, cbr    MP3 at 192 kbps or more, constant bitrate
  sample-rate     44100 Hz
  channels        all files mono or all stereo
  head-room-tone  0.5 to 1 s
  tail-room-tone  1 to 5 s
  length          at most 120 minutes
Credits, the retail sample and one chapter per file need a listener.`,
		Example: `  narrate check out
  narrate check out --acx
  narrate check out/01-chapter-one.mp3 --json`,
		Args: cobra.ExactArgs(1),
		// The root's PersistentPreRunE loads narrate's configuration,
		// which check does not need; a broken narrate.yaml must not stop
		// anyone from checking files.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			reports, err := check.Dir(args[0])
			if err != nil {
				return err
			}
			var verdicts []check.Verdict
			if acx {
				verdicts = check.ACX(reports)
			}
			if asJSON {
				err = check.WriteJSON(a.stdout, reports, verdicts)
			} else {
				err = check.WriteTable(a.stdout, reports)
				if err == nil && acx {
					err = check.WriteACX(a.stdout, verdicts)
				}
			}
			if err != nil {
				return err
			}
			if acx {
				// Unreadable files are among the failing verdicts.
				return check.ACXErr(verdicts)
			}
			var bad []error
			for _, r := range reports {
				if r.Err != nil {
					bad = append(bad, r.Err)
				}
			}
			switch len(bad) {
			case 0:
				return nil
			case 1:
				return bad[0]
			}
			// One line: the table above lists every file's error.
			return fmt.Errorf("%w (and %d more files could not be checked)", bad[0], len(bad)-1)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().BoolVar(&acx, "acx", false, "check the ACX audio submission rules; fail if any rule fails")
	return cmd
}
