package check

import (
	"fmt"
	"math"
	"path/filepath"
	"time"
)

// The ACX audio submission requirements that can be measured on the files
// (help.acx.com, "ACX audio submission requirements"). The others (opening
// and closing credits, one chapter per file with its header read aloud, a
// retail sample, no extraneous sounds) need a listener.
const (
	ACXMinRMS      = -23.0 // dBFS, each file
	ACXMaxRMS      = -18.0 // dBFS
	ACXMaxPeak     = -3.0  // dBFS, sample peak
	ACXMaxNoise    = -60.0 // dBFS, RMS of the quietest 500 ms
	ACXMinBitrate  = 192   // kbps, and constant bitrate
	ACXSampleRate  = 44100 // Hz
	ACXMinHead     = 500 * time.Millisecond
	ACXMaxHead     = 1 * time.Second
	ACXMinTail     = 1 * time.Second
	ACXMaxTail     = 5 * time.Second
	ACXMaxDuration = 120 * time.Minute
)

// Result is the verdict of one ACX rule on one file.
type Result struct {
	Rule string `json:"rule"` // short name: rms, peak, noise-floor, bitrate, cbr, ...
	Pass bool   `json:"pass"`
	Got  string `json:"got"`  // the measured value, with its unit
	Want string `json:"want"` // the requirement
}

// Verdict is every rule's Result for one file.
type Verdict struct {
	Path    string
	Results []Result
	Err     error // the file could not be checked: it fails as a whole
}

// Pass reports whether the file was checked and every rule passed.
func (v Verdict) Pass() bool {
	if v.Err != nil {
		return false
	}
	for _, r := range v.Results {
		if !r.Pass {
			return false
		}
	}
	return true
}

// Failed lists the names of the rules that failed.
func (v Verdict) Failed() []string {
	var out []string
	for _, r := range v.Results {
		if !r.Pass {
			out = append(out, r.Rule)
		}
	}
	return out
}

// ACX evaluates the ACX rules on each report. Most rules look at one file;
// "channels" looks at the set, because ACX wants all files mono or all
// stereo: a file fails it when its channel count differs from the most
// common one (on a tie, the first file's).
func ACX(reports []Report) []Verdict {
	channels := majorityChannels(reports)
	out := make([]Verdict, len(reports))
	for i, r := range reports {
		v := Verdict{Path: r.Path, Err: r.Err}
		if r.Err == nil {
			v.Results = acxFile(r, channels)
		}
		out[i] = v
	}
	return out
}

func majorityChannels(reports []Report) int {
	count := map[int]int{}
	best := 0
	// In file order, so that a tie goes to the earliest file's count.
	for _, r := range reports {
		if r.Err != nil {
			continue
		}
		c := r.Format.Channels
		count[c]++
		if best == 0 || count[c] > count[best] {
			best = c
		}
	}
	return best
}

func acxFile(r Report, channels int) []Result {
	f, l := r.Format, r.Levels
	mode := "CBR"
	if f.VBR {
		mode = "VBR"
	}
	return []Result{
		{"rms", l.RMS >= ACXMinRMS && l.RMS <= ACXMaxRMS, DB(l.RMS),
			fmt.Sprintf("%.0f to %.0f dBFS", ACXMinRMS, ACXMaxRMS)},
		{"peak", l.Peak <= ACXMaxPeak, DB(l.Peak),
			fmt.Sprintf("at most %.0f dBFS", ACXMaxPeak)},
		{"noise-floor", l.NoiseFloor <= ACXMaxNoise, DB(l.NoiseFloor),
			fmt.Sprintf("at most %.0f dBFS", ACXMaxNoise)},
		{"bitrate", f.Bitrate >= ACXMinBitrate, fmt.Sprintf("%d kbps", f.Bitrate),
			fmt.Sprintf("at least %d kbps", ACXMinBitrate)},
		{"cbr", !f.VBR, mode, "CBR"},
		{"sample-rate", f.SampleRate == ACXSampleRate, fmt.Sprintf("%d Hz", f.SampleRate),
			fmt.Sprintf("%d Hz", ACXSampleRate)},
		{"channels", f.Channels == channels, ChannelName(f.Channels),
			fmt.Sprintf("%s, like most files", ChannelName(channels))},
		{"head-room-tone", l.HeadSilence >= ACXMinHead && l.HeadSilence <= ACXMaxHead,
			Seconds(l.HeadSilence), fmt.Sprintf("%s to %s", Seconds(ACXMinHead), Seconds(ACXMaxHead))},
		{"tail-room-tone", l.TailSilence >= ACXMinTail && l.TailSilence <= ACXMaxTail,
			Seconds(l.TailSilence), fmt.Sprintf("%s to %s", Seconds(ACXMinTail), Seconds(ACXMaxTail))},
		{"length", f.Duration <= ACXMaxDuration, Clock(f.Duration),
			fmt.Sprintf("at most %d min", int(ACXMaxDuration/time.Minute))},
	}
}

// ACXError is returned when files fail the ACX rules.
type ACXError struct {
	Failed []Verdict // the failing files, in order
	Total  int
}

func (e *ACXError) Error() string {
	v := e.Failed[0]
	why := fmt.Sprint(v.Failed())
	if v.Err != nil {
		why = "unreadable"
	}
	more := ""
	if len(e.Failed) > 1 {
		more = fmt.Sprintf(" and %d more", len(e.Failed)-1)
	}
	return fmt.Sprintf("check: ACX: %d of %d files fail: %s %s%s",
		len(e.Failed), e.Total, filepath.Base(v.Path), why, more)
}

// ACXErr returns an *ACXError when any verdict fails, else nil.
func ACXErr(vs []Verdict) error {
	e := &ACXError{Total: len(vs)}
	for _, v := range vs {
		if !v.Pass() {
			e.Failed = append(e.Failed, v)
		}
	}
	if len(e.Failed) == 0 {
		return nil
	}
	return e
}

// DB formats a level in dBFS with one decimal; digital silence is "-inf".
func DB(v float64) string {
	if math.IsInf(v, -1) {
		return "-inf dBFS"
	}
	return fmt.Sprintf("%.1f dBFS", v)
}

// Seconds formats a short duration as seconds with two decimals.
func Seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// Clock formats a duration as h:mm:ss.mmm.
func Clock(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// ChannelName names a channel count.
func ChannelName(n int) string {
	switch n {
	case 1:
		return "mono"
	case 2:
		return "stereo"
	}
	return fmt.Sprintf("%d channels", n)
}
