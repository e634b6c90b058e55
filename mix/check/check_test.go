package check

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
)

// fixture describes a test file: room tone, a voiced body, room tone.
type fixture struct {
	rate, bitrate int
	vbr           int // -1 for CBR, else LAME -V
	head, tail    time.Duration
	body          time.Duration
	amp           float64 // peak amplitude of the voiced body
	burst         float64 // peak amplitude of a 100 ms burst every second
	noise         float64 // RMS of white noise over the whole file; 0 = digital silence
	tag           *id3.Tag
}

// compliant is a file that meets every ACX rule: 44.1 kHz 192 kbps CBR,
// 0.75 s head, 2 s tail, RMS near -20 dBFS, peaks near -4 dBFS.
func compliant() fixture {
	return fixture{
		rate: 44100, bitrate: 192, vbr: -1,
		head: 750 * time.Millisecond, body: 4 * time.Second, tail: 2 * time.Second,
		amp: 0.16, burst: 0.63,
	}
}

// samples renders the fixture. The body is a harmonic series on 180 Hz
// that starts and stops abruptly, so the silent head and tail have exactly
// the lengths asked for.
func (f fixture) samples() []float32 {
	n := func(d time.Duration) int { return int(d.Seconds() * float64(f.rate)) }
	h, b, tl := n(f.head), n(f.body), n(f.tail)
	out := make([]float32, h+b+tl)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range out {
		var v float64
		if i >= h && i < h+b {
			t := float64(i-h) / float64(f.rate)
			// Normalised so that the series peaks at 1.
			s := (math.Sin(2*math.Pi*180*t) + 0.5*math.Sin(2*math.Pi*360*t) + 0.25*math.Sin(2*math.Pi*540*t)) / 1.4
			a := f.amp
			if math.Mod(t, 1) >= 0.5 && math.Mod(t, 1) < 0.6 {
				a = f.burst
			}
			v = a * s
		}
		if f.noise > 0 {
			v += f.noise * rng.NormFloat64()
		}
		out[i] = float32(v)
	}
	return out
}

// write encodes the fixture with the project's encoder to dir/name,
// with the ID3v2 tag in front when f.tag is set.
func (f fixture) write(t testing.TB, dir, name string) (string, []float32) {
	t.Helper()
	path := filepath.Join(dir, name)
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if f.tag != nil {
		b, err := f.tag.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fh.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	o := mp3.DefaultOptions(f.rate)
	o.Bitrate, o.VBRQuality = f.bitrate, f.vbr
	e, err := mp3.NewEncoder(fh, o)
	if err != nil {
		t.Fatal(err)
	}
	s := f.samples()
	if err := e.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return path, s
}

// Reference levels of the input, computed here without the loudness
// package so that the test does not trust what it checks.
func rmsDB(s []float32) float64 {
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return 10 * math.Log10(sum/float64(len(s)))
}

func peakDB(s []float32) float64 {
	var p float64
	for _, v := range s {
		p = max(p, math.Abs(float64(v)))
	}
	return 20 * math.Log10(p)
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.3f, want %.3f ± %.2f", what, got, want, tol)
	}
}

func pngCover(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFileMeasuresKnownSignal(t *testing.T) {
	f := compliant()
	f.tag = &id3.Tag{
		Title: "Chapter One", Album: "The Book", Artist: "A. Author", AlbumArtist: "A. Author",
		Narrator: "N. Reader", Genre: "Audiobook", Year: "2024", Language: "en",
		Track: 1, TrackTotal: 3,
		Cover: &id3.Picture{MIME: "image/png", Data: pngCover(t, 32, 24)},
		Chapters: []id3.Chapter{
			{Title: "Opening", Start: 0, End: 3 * time.Second},
			{Title: "Closing", Start: 3 * time.Second, End: 6750 * time.Millisecond},
		},
	}
	path, in := f.write(t, t.TempDir(), "one.mp3")
	r := File(path)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	wantDur := time.Duration(len(in)) * time.Second / time.Duration(f.rate)
	if r.Format.Duration != wantDur || r.Decoded != wantDur {
		t.Errorf("duration %v, decoded %v, want %v", r.Format.Duration, r.Decoded, wantDur)
	}
	if r.Format.SampleRate != 44100 || r.Format.Channels != 1 || r.Format.Bitrate != 192 || r.Format.VBR {
		t.Errorf("format %+v, want 44100 Hz mono 192 kbps CBR", r.Format)
	}
	l := r.Levels
	// Against what was encoded: LAME 3.100 lowers this signal by 0.27 dB
	// (sox with libmad and ffmpeg decode the same level), hence 0.3 dB.
	near(t, "RMS vs input", l.RMS, rmsDB(in), 0.3)
	near(t, "peak vs input", l.Peak, peakDB(in), 0.3)
	// Against the whole-buffer decoder: streaming and metering add nothing.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := mp3.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "RMS vs mp3.Decode", l.RMS, rmsDB(dec.Samples), 0.01)
	near(t, "peak vs mp3.Decode", l.Peak, peakDB(dec.Samples), 0.01)
	if !math.IsInf(l.NoiseFloor, -1) && l.NoiseFloor > -90 {
		t.Errorf("noise floor %.1f dBFS over digital silence", l.NoiseFloor)
	}
	// Silence is counted in 10 ms frames; the encoder may smear the
	// onset by a frame.
	near(t, "head silence", l.HeadSilence.Seconds(), f.head.Seconds(), 0.02)
	near(t, "tail silence", l.TailSilence.Seconds(), f.tail.Seconds(), 0.02)
	// BS.1770 gating removes the silence: LUFS sits near the body's own
	// level, well above the whole-file RMS.
	if l.LUFS < l.RMS {
		t.Errorf("LUFS %.1f below whole-file RMS %.1f: gating not applied?", l.LUFS, l.RMS)
	}

	tg := r.Tag
	if tg == nil {
		t.Fatal("no tag read")
	}
	if tg.Title != "Chapter One" || tg.Narrator != "N. Reader" || tg.Track != 1 || tg.TrackTotal != 3 || tg.Genre != "Audiobook" {
		t.Errorf("tag %+v", tg)
	}
	if len(tg.Chapters) != 2 || tg.Chapters[1].Title != "Closing" || tg.Chapters[1].Start != 3*time.Second {
		t.Errorf("chapters %+v", tg.Chapters)
	}
	if r.Cover == nil || r.Cover.MIME != "image/png" || r.Cover.Width != 32 || r.Cover.Height != 24 {
		t.Errorf("cover %+v, want image/png 32x24", r.Cover)
	}

	var table bytes.Buffer
	if err := WriteTable(&table, []Report{r}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"one.mp3", "0:00:06.750", "192k CBR", "mono",
		strconv.FormatFloat(math.Round(l.RMS*10)/10, 'f', 1, 64),
		"narrator:", "N. Reader", "track:", "1/3", "genre:", "Audiobook",
		"image/png, 32x24", "0:00:03.000 - 0:00:06.750  Closing",
		"quietest 500 ms",
	} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if !regexp.MustCompile(`chapters: +2\n`).MatchString(table.String()) {
		t.Errorf("table lacks the chapter count:\n%s", table.String())
	}
}

func TestNoiseFloor(t *testing.T) {
	for _, noiseDB := range []float64{-70, -55} {
		f := compliant()
		f.noise = math.Pow(10, noiseDB/20)
		path, _ := f.write(t, t.TempDir(), "noisy.mp3")
		r := File(path)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		// White noise is broadband and the encoder's low-pass (about
		// 17 kHz at 192 kbps) removes a fifth of its power: the decoded
		// floor sits about 1.1 dB below what was mixed in.
		near(t, "noise floor", r.Levels.NoiseFloor, noiseDB-1.1, 0.5)
		failed := ACX([]Report{r})[0].Failed()
		if got := slices.Contains(failed, "noise-floor"); got != (noiseDB > ACXMaxNoise) {
			t.Errorf("noise %v dBFS: failed rules %v", noiseDB, failed)
		}
	}
}

func TestACXFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		edit func(*fixture)
		fail []string // rules that must fail; every other rule must pass
	}{
		{"compliant", func(*fixture) {}, nil},
		{"too loud", func(f *fixture) { f.amp, f.burst = 0.5, 0.95 }, []string{"rms", "peak"}},
		{"short tail", func(f *fixture) { f.tail = 300 * time.Millisecond }, []string{"tail-room-tone"}},
		{"long head", func(f *fixture) { f.head = 1500 * time.Millisecond }, []string{"head-room-tone"}},
		{"64 kbps", func(f *fixture) { f.bitrate = 64 }, []string{"bitrate"}},
		// LAME spends about 40 kbps on this simple signal in VBR.
		{"VBR", func(f *fixture) { f.vbr = 2 }, []string{"bitrate", "cbr"}},
		// MPEG-2 stops at 160 kbps, so 22.05 kHz also fails the bitrate.
		// 64 kbps: go-mp3 misdecodes this signal at 160 kbps (see
		// mpeg2Warning), which would fail the peak too.
		{"22.05 kHz", func(f *fixture) { f.rate, f.bitrate = 22050, 64 }, []string{"bitrate", "sample-rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := compliant()
			tt.edit(&f)
			path, _ := f.write(t, dir, strings.ReplaceAll(tt.name, " ", "_")+".mp3")
			r := File(path)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if mpeg2 := slices.Contains(r.Warnings, mpeg2Warning); mpeg2 != (f.rate < 32000) {
				t.Errorf("warnings %q at %d Hz", r.Warnings, f.rate)
			}
			vs := ACX([]Report{r})
			if got := vs[0].Failed(); !slices.Equal(got, tt.fail) {
				t.Errorf("failed rules %v, want %v\n%+v", got, tt.fail, vs[0].Results)
			}
			err := ACXErr(vs)
			if (err == nil) != (tt.fail == nil) {
				t.Errorf("ACXErr = %v", err)
			}
			var ae *ACXError
			if err != nil && (!errors.As(err, &ae) || !strings.Contains(err.Error(), tt.fail[0])) {
				t.Errorf("error %q does not name rule %s", err, tt.fail[0])
			}
			var out bytes.Buffer
			if err := WriteACX(&out, vs); err != nil {
				t.Fatal(err)
			}
			for _, rule := range tt.fail {
				if !regexp.MustCompile(`FAIL +` + rule + ` `).MatchString(out.String()) {
					t.Errorf("output lacks FAIL %s:\n%s", rule, out.String())
				}
			}
		})
	}
}

// TestACXRules checks each rule's bounds on constructed reports: the
// limits themselves pass, the next step beyond fails.
func TestACXRules(t *testing.T) {
	good := func() Report {
		r := Report{Path: "x.mp3"}
		r.Format = mp3.Info{Duration: time.Hour, SampleRate: 44100, Channels: 1, Bitrate: 192}
		r.Levels.RMS, r.Levels.Peak, r.Levels.NoiseFloor = -20, -6, -70
		r.Levels.HeadSilence, r.Levels.TailSilence = 700*time.Millisecond, 2*time.Second
		return r
	}
	tests := []struct {
		rule string
		edit func(*Report)
		pass bool
	}{
		{"rms", func(r *Report) { r.Levels.RMS = -23 }, true},
		{"rms", func(r *Report) { r.Levels.RMS = -23.01 }, false},
		{"rms", func(r *Report) { r.Levels.RMS = -18 }, true},
		{"rms", func(r *Report) { r.Levels.RMS = -17.99 }, false},
		{"rms", func(r *Report) { r.Levels.RMS = math.Inf(-1) }, false},
		{"peak", func(r *Report) { r.Levels.Peak = -3 }, true},
		{"peak", func(r *Report) { r.Levels.Peak = -2.99 }, false},
		{"noise-floor", func(r *Report) { r.Levels.NoiseFloor = -60 }, true},
		{"noise-floor", func(r *Report) { r.Levels.NoiseFloor = -59.9 }, false},
		{"noise-floor", func(r *Report) { r.Levels.NoiseFloor = math.Inf(-1) }, true},
		{"bitrate", func(r *Report) { r.Format.Bitrate = 320 }, true},
		{"bitrate", func(r *Report) { r.Format.Bitrate = 160 }, false},
		{"cbr", func(r *Report) { r.Format.VBR = true }, false},
		{"sample-rate", func(r *Report) { r.Format.SampleRate = 48000 }, false},
		{"head-room-tone", func(r *Report) { r.Levels.HeadSilence = 500 * time.Millisecond }, true},
		{"head-room-tone", func(r *Report) { r.Levels.HeadSilence = 490 * time.Millisecond }, false},
		{"head-room-tone", func(r *Report) { r.Levels.HeadSilence = time.Second }, true},
		{"head-room-tone", func(r *Report) { r.Levels.HeadSilence = 1010 * time.Millisecond }, false},
		{"tail-room-tone", func(r *Report) { r.Levels.TailSilence = time.Second }, true},
		{"tail-room-tone", func(r *Report) { r.Levels.TailSilence = 990 * time.Millisecond }, false},
		{"tail-room-tone", func(r *Report) { r.Levels.TailSilence = 5 * time.Second }, true},
		{"tail-room-tone", func(r *Report) { r.Levels.TailSilence = 5010 * time.Millisecond }, false},
		{"length", func(r *Report) { r.Format.Duration = 120 * time.Minute }, true},
		{"length", func(r *Report) { r.Format.Duration = 120*time.Minute + time.Millisecond }, false},
	}
	for _, tt := range tests {
		r := good()
		tt.edit(&r)
		v := ACX([]Report{r})[0]
		var want []string
		if !tt.pass {
			want = []string{tt.rule}
		}
		if got := v.Failed(); !slices.Equal(got, want) {
			t.Errorf("%s %+v: failed %v, want %v", tt.rule, r.Levels, got, want)
		}
	}
}

func TestACXChannelsConsistent(t *testing.T) {
	mk := func(ch ...int) []Report {
		var rs []Report
		for i, c := range ch {
			rs = append(rs, Report{Path: strconv.Itoa(i), Format: mp3.Info{Channels: c}})
		}
		return rs
	}
	tests := []struct {
		channels []int
		failing  []int // indexes of files failing "channels"
	}{
		{[]int{1, 1, 1}, nil},
		{[]int{2, 2}, nil},
		{[]int{1, 2, 1}, []int{1}},
		{[]int{2, 1, 1}, []int{0}},
		{[]int{2, 1}, []int{1}}, // a tie goes to the first file
	}
	for _, tt := range tests {
		var got []int
		for i, v := range ACX(mk(tt.channels...)) {
			if slices.Contains(v.Failed(), "channels") {
				got = append(got, i)
			}
		}
		if !slices.Equal(got, tt.failing) {
			t.Errorf("%v: files failing channels %v, want %v", tt.channels, got, tt.failing)
		}
	}
}

// TestDecodeMatchesMP3 checks that the streaming decoder trims exactly as
// mp3.Decode does, sample for sample, for the encodings narrate and other
// tools write (with and without a LAME tag).
func TestDecodeMatchesMP3(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, o := range []struct{ rate, kbps, vbr int }{{44100, 192, -1}, {22050, 32, -1}, {22050, 64, -1}, {44100, 0, 4}} {
		f := compliant()
		f.rate, f.bitrate, f.vbr = o.rate, o.kbps, o.vbr
		f.body = 1500 * time.Millisecond
		p, _ := f.write(t, dir, "enc"+strconv.Itoa(len(paths))+".mp3")
		paths = append(paths, p)
	}
	if p, ok := lameFile(t, dir); ok {
		paths = append(paths, p)
	}
	if _, err := exec.LookPath("ffmpeg"); err == nil {
		// No Xing/LAME tag at all: nothing is trimmed.
		p := filepath.Join(dir, "ffmpeg-notag.mp3")
		out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=1.3",
			"-ar", "44100", "-ac", "1", "-b:a", "128k", "-write_xing", "0", p).CombinedOutput()
		if err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := mp3.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		info, err := mp3.Probe(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var got []float32
		chunks := 0
		// check streams from the audio offset that Probe found; that must
		// give the samples of decoding the whole file, in several chunks.
		_, n, err := mp3.Stream(bytes.NewReader(data[info.AudioOffset:]), func(s []float32) {
			got = append(got, s...)
			chunks++
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(len(got)) || !slices.Equal(got, want.Samples) {
			t.Errorf("%s: streamed %d samples (n=%d), mp3.Decode %d; equal=%v",
				filepath.Base(p), len(got), n, len(want.Samples), slices.Equal(got, want.Samples))
		}
		if len(got) > 20000 && chunks < 2 {
			t.Errorf("%s: %d samples in %d chunk: not streamed", filepath.Base(p), len(got), chunks)
		}
	}
}

// lameFile encodes 2 s of stereo with the lame CLI (joint stereo, VBR,
// its own LAME tag), or reports false when lame is not installed.
func lameFile(t *testing.T, dir string) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("lame"); err != nil {
		return "", false
	}
	const rate = 44100
	n := 2 * rate
	pcm := make([]byte, 0, n*4)
	for i := range n {
		l := int16(8000 * math.Sin(2*math.Pi*220*float64(i)/rate))
		r := int16(6000 * math.Sin(2*math.Pi*330*float64(i)/rate))
		pcm = append(pcm, byte(l), byte(uint16(l)>>8), byte(r), byte(uint16(r)>>8))
	}
	raw := filepath.Join(dir, "lame.raw")
	if err := os.WriteFile(raw, pcm, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "lame-stereo.mp3")
	out, err := exec.Command("lame", "--quiet", "-r", "-s", "44.1", "--bitwidth", "16", "--signed", "--little-endian",
		"-m", "j", "-V", "4", raw, p).CombinedOutput()
	if err != nil {
		t.Fatalf("lame: %v\n%s", err, out)
	}
	return p, true
}

func TestLameFile(t *testing.T) {
	dir := t.TempDir()
	p, ok := lameFile(t, dir)
	if !ok {
		t.Skip("lame CLI not installed")
	}
	r := File(p)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Format.Channels != 2 || !r.Format.VBR || !strings.HasPrefix(r.Format.Encoder, "LAME") || r.Tag != nil {
		t.Errorf("format %+v, tag %v: want stereo VBR from LAME, no ID3v2", r.Format, r.Tag)
	}
	// Gapless: the LAME tag's delay and padding give back the 2 s encoded.
	if d := r.Decoded - 2*time.Second; d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("decoded %v, want 2s", r.Decoded)
	}
	// The mono mix of two sines at 8000 and 6000 / 32768 peaks near the
	// sum of halves; its RMS is that of two half-amplitude sines.
	wantRMS := 10 * math.Log10((math.Pow(4000.0/32768, 2)+math.Pow(3000.0/32768, 2))/2)
	near(t, "stereo RMS", r.Levels.RMS, wantRMS, 0.3)
	// Continuous tones with no room tone: the floor is the tone's level.
	got := ACX([]Report{r})[0].Failed()
	for _, rule := range []string{"noise-floor", "cbr", "head-room-tone", "tail-room-tone"} {
		if !slices.Contains(got, rule) {
			t.Errorf("failed rules %v lack %s", got, rule)
		}
	}
	for _, rule := range []string{"sample-rate", "channels", "length", "rms", "peak"} {
		if slices.Contains(got, rule) {
			t.Errorf("failed rules %v include %s", got, rule)
		}
	}
}

// TestSoxAgrees compares RMS and peak with sox's stats (decoding with
// libmad when sox has MP3 support, else through ffmpeg's decoder).
func TestSoxAgrees(t *testing.T) {
	if _, err := exec.LookPath("sox"); err != nil {
		t.Skip("sox not installed")
	}
	dir := t.TempDir()
	for i, edit := range []func(*fixture){func(*fixture) {}, func(f *fixture) { f.amp, f.burst, f.noise = 0.05, 0.3, 0.0005 }} {
		f := compliant()
		edit(&f)
		path, _ := f.write(t, dir, "sox"+strconv.Itoa(i)+".mp3")
		out, err := exec.Command("sox", path, "-n", "stats").CombinedOutput()
		if err != nil {
			if _, ferr := exec.LookPath("ffmpeg"); ferr != nil {
				t.Skipf("sox cannot read MP3 (%v) and ffmpeg is not installed", err)
			}
			out, err = exec.Command("sh", "-c", `ffmpeg -v error -i "$1" -f wav - | sox -t wav - -n stats`, "sh", path).CombinedOutput()
			if err != nil {
				t.Fatalf("ffmpeg | sox: %v\n%s", err, out)
			}
		}
		stat := func(name string) float64 {
			m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `\s+(-?[0-9.]+)`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("no %q in sox output:\n%s", name, out)
			}
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			return v
		}
		r := File(path)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		near(t, "RMS vs sox", r.Levels.RMS, stat("RMS lev dB"), 0.5)
		near(t, "peak vs sox", r.Levels.Peak, stat("Pk lev dB"), 0.5)
		t.Logf("%s: RMS %.2f (sox %.2f), peak %.2f (sox %.2f)", filepath.Base(path),
			r.Levels.RMS, stat("RMS lev dB"), r.Levels.Peak, stat("Pk lev dB"))
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.mp3")
	if err := os.WriteFile(text, []byte("these are not MPEG frames\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.mp3")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{text, empty} {
		r := File(p)
		if r.Err == nil || !strings.Contains(r.Err.Error(), p) {
			t.Errorf("%s: err %v, want an error naming the file", p, r.Err)
		}
		v := ACX([]Report{r})
		if ACXErr(v) == nil {
			t.Errorf("%s: unreadable file passes ACX", p)
		}
	}
	if _, err := Dir(t.TempDir()); !errors.Is(err, ErrNoFiles) {
		t.Errorf("empty dir: %v, want ErrNoFiles", err)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := Dir(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing dir: %v", err)
	}
}

func TestDirSortsAndFilters(t *testing.T) {
	dir := t.TempDir()
	f := compliant()
	f.body = 500 * time.Millisecond
	for _, n := range []string{"b.mp3", "a.MP3", "c.mp3"} {
		f.write(t, dir, n)
	}
	os.WriteFile(filepath.Join(dir, "cover.jpg"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub.mp3"), 0o755)
	rs, err := Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rs {
		if r.Err != nil {
			t.Error(r.Err)
		}
		names = append(names, filepath.Base(r.Path))
	}
	if !slices.Equal(names, []string{"a.MP3", "b.mp3", "c.mp3"}) {
		t.Errorf("files %v", names)
	}
	one, err := Dir(rs[1].Path)
	if err != nil || len(one) != 1 || one[0].Path != rs[1].Path {
		t.Errorf("single file: %v, %v", one, err)
	}
}

func FuzzRead(f *testing.F) {
	fx := compliant()
	fx.body, fx.head, fx.tail = 200*time.Millisecond, 50*time.Millisecond, 50*time.Millisecond
	fx.tag = &id3.Tag{Title: "t", Chapters: []id3.Chapter{{Title: "c", End: time.Second}}}
	p, _ := fx.write(f, f.TempDir(), "seed.mp3")
	seed, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := Read(bytes.NewReader(b), "fuzz.mp3")
		// Whatever the input, the outputs must render.
		var out bytes.Buffer
		if err := WriteTable(&out, []Report{r}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&out, []Report{r}, ACX([]Report{r})); err != nil {
			t.Fatal(err)
		}
	})
}
