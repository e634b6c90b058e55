// Package check inspects finished MP3 files, whoever made them: stream
// format, levels, room tone, ID3 tags and chapter marks, and optionally the
// ACX (Audible) audio submission rules. It backs `narrate check`.
//
// Measurements are made on the decoded audio, as a listener's player and
// ACX's own analysis see it, never on the master the encoder was fed:
//
//   - Format (duration, sample rate, channels, bitrate, CBR/VBR) comes from
//     the frame headers and the Xing/Info/VBRI tag (mp3.Probe). Duration
//     excludes the encoder delay and padding when a LAME tag gives them.
//   - Levels come from decoding every frame (go-mp3, 16-bit output) and
//     measuring the mono mix (stereo channels averaged) with a
//     loudness.Meter: RMS and Peak as sox `stats` "RMS lev dB" and
//     "Pk lev dB" (sample peak, not true peak), NoiseFloor the RMS of the
//     quietest 500 ms, LUFS per BS.1770-4, head and tail silence the runs of
//     10 ms frames below -50 dBFS (so they are multiples of 10 ms).
//
// Decoding streams: each file is read in 64 KiB chunks and fed to the
// meter, so memory does not grow with the length of a file or the number
// of files (the meter keeps one float64 per 100 ms for the loudness gate).
//
// Caveat: go-mp3 reproduces low-bitrate MPEG-2 streams poorly (22.05 kHz at
// 32 kbps decodes with an SNR of about -3.7 dB against the input, though
// with the right length); from 64 kbps up it is faithful, and ACX files
// (44.1 kHz, 192 kbps and up) are well inside that range. Levels of very
// low-bitrate files are therefore only indicative. MPEG-2.5 (8-12 kHz)
// streams cannot be decoded at all.
package check

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // cover sizes
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/loudness"
	"github.com/narrate-audio/narrate/audio/mp3"
)

// Report is what check found in one file. When Err is set, the fields
// before it that could be read are still filled in.
type Report struct {
	Path string
	// Format is the stream as mp3.Probe reads it from the headers.
	Format mp3.Info
	// Levels are measured on the decoded mono mix.
	Levels loudness.Stats
	// Decoded is the length of audio the decoder produced. It equals
	// Format.Duration for a whole file; a truncated file decodes shorter.
	Decoded time.Duration
	// Tag is the ID3v2 tag, nil when the file has none.
	Tag *id3.Tag
	// Cover describes Tag.Cover, nil without one.
	Cover *Cover
	// Warnings say why figures may be off, for instance a decoded length
	// that differs from the headers' or an MPEG-2 stream (see the package
	// doc).
	Warnings []string
	// Err is why the file could not be fully checked.
	Err error
}

// Cover describes an attached picture.
type Cover struct {
	MIME   string `json:"mime"`
	Bytes  int    `json:"bytes"`
	Width  int    `json:"width"` // 0 when the image cannot be decoded
	Height int    `json:"height"`
}

// ErrNoFiles is returned by Paths for a directory without MP3 files.
var ErrNoFiles = errors.New("no .mp3 files")

// ErrNotFile reports a path that is a named pipe, device or socket.
var ErrNotFile = errors.New("not a regular file")

// Paths lists what a check of path covers: path itself when it is a file
// (whatever its name), or the *.mp3 files directly inside a directory
// (case-insensitive extension), sorted by name.
func Paths(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path) // sorted by name
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".mp3") {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("check: %s: %w", path, ErrNoFiles)
	}
	return out, nil
}

// Dir checks every file Paths(path) lists, one after the other, so only
// one file is open at a time. Problems with a single file are in its
// Report.Err; the error is for path itself (missing, no MP3 files).
func Dir(path string) ([]Report, error) {
	paths, err := Paths(path)
	if err != nil {
		return nil, err
	}
	reports := make([]Report, len(paths))
	for i, p := range paths {
		reports[i] = File(p)
	}
	return reports, nil
}

// File checks one MP3 file. Errors name the file and wrap their cause.
func File(path string) Report {
	// Opening a named pipe with no writer would block for ever.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return Report{Path: path, Err: fmt.Errorf("check: %s: %w (%v)", path, ErrNotFile, st.Mode().Type())}
	}
	f, err := os.Open(path)
	if err != nil {
		return Report{Path: path, Err: fmt.Errorf("check: %w", err)}
	}
	defer f.Close()
	return Read(f, path)
}

// Read checks the MP3 stream in r; name is used in the report and errors.
func Read(r io.ReadSeeker, name string) Report {
	rep := Report{Path: name}
	fail := func(err error) Report {
		rep.Err = fmt.Errorf("check: %s: %w", name, err)
		return rep
	}
	var err error
	if rep.Format, err = mp3.Probe(r); err != nil {
		return fail(err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	var tagErr error
	switch t, err := id3.Read(bufio.NewReader(r)); {
	case errors.Is(err, id3.ErrNoTag):
	case err != nil:
		// Keep going: the audio behind a damaged tag can still be measured.
		tagErr = err
	default:
		rep.Tag = t
		rep.Cover = describeCover(t.Cover)
	}
	if _, err := r.Seek(rep.Format.AudioOffset, io.SeekStart); err != nil {
		return fail(err)
	}
	m := loudness.NewMeter(rep.Format.SampleRate)
	// Streamed: a 10-hour single-file book is 6 GB of samples.
	_, n, err := mp3.Stream(r, m.Write)
	rep.Levels = m.Stats()
	rep.Decoded = rep.Levels.Duration
	switch {
	case err != nil:
		return fail(err)
	case n == 0:
		return fail(errors.New("no audio decoded"))
	case tagErr != nil:
		return fail(tagErr)
	}
	if d := rep.Decoded - rep.Format.Duration; d > 50*time.Millisecond || d < -50*time.Millisecond {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("decoded %s of audio, the headers say %s: truncated or damaged?",
			Clock(rep.Decoded), Clock(rep.Format.Duration)))
	}
	if rep.Format.SampleRate < 32000 {
		rep.Warnings = append(rep.Warnings, mpeg2Warning)
	}
	return rep
}

// mpeg2Warning qualifies the levels of MPEG-2 streams (16-24 kHz): on the
// same 22.05 kHz files, go-mp3 matched sox (libmad) and ffmpeg within
// 0.05 dB at 64 kbps but decoded spikes up to 0 dBFS at 32 and 160 kbps
// where both gave a peak of -4.5 dBFS (RMS off by up to 0.8 dB).
const mpeg2Warning = "MPEG-2 stream: the Go decoder is unreliable on some of these (peaks off by up to 4 dB in tests); treat the levels as indicative"

func describeCover(p *id3.Picture) *Cover {
	if p == nil {
		return nil
	}
	c := &Cover{MIME: p.MIME, Bytes: len(p.Data)}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Data)); err == nil {
		c.Width, c.Height = cfg.Width, cfg.Height
	}
	return c
}
