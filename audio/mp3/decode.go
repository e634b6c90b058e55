package mp3

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	gomp3 "github.com/hajimehoshi/go-mp3"

	"github.com/narrate-audio/narrate/audio/pcm"
)

// Info describes an MP3 stream as found by Probe.
type Info struct {
	// Duration of the playable audio: encoder delay and padding excluded
	// when a LAME tag gives them.
	Duration time.Duration
	// Samples is Duration in samples (per channel).
	Samples int64
	// SampleRate in Hz and Channels (1 or 2) of the first audio frame.
	SampleRate int
	Channels   int
	// Bitrate in kbps: the frame bitrate for CBR, the average for VBR.
	Bitrate int
	// VBR is true when frame bitrates vary (or a Xing/VBRI tag says so).
	VBR bool
	// Frames counts the audio frames, not including a Xing/Info tag frame.
	Frames int
	// Tag names the header in the first frame: "Xing" (VBR), "Info" (CBR),
	// "VBRI", or "" when there is none and the frames were counted.
	Tag string
	// Encoder is the LAME tag's encoder string, such as "LAME3.100".
	Encoder string
	// EncoderDelay and Padding are the samples the LAME tag says to drop at
	// the start and end; zero without a LAME tag.
	EncoderDelay, Padding int
	// AudioOffset is the byte offset of the first frame (after any ID3v2).
	AudioOffset int64
}

// Probe reads the stream's headers. When the first frame carries a
// Xing/Info or VBRI tag with a frame count it reads nothing else; otherwise
// it walks the frame headers (skipping the frame bodies) to count frames
// and detect varying bitrates. r is left at an unspecified position.
func Probe(r io.ReadSeeker) (Info, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Info{}, fmt.Errorf("mp3: probe: %w", err)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	id3n, err := skipID3v2(br)
	if err != nil {
		return Info{}, fmt.Errorf("mp3: probe: %w", err)
	}
	h, junk, err := findFrame(br)
	if err != nil {
		return Info{}, fmt.Errorf("mp3: probe: %w", err)
	}
	info := Info{
		SampleRate:  h.sampleRate,
		Channels:    h.channels,
		Bitrate:     h.bitrate,
		AudioOffset: id3n + junk,
	}
	first, _ := br.Peek(h.size())
	spf := int64(h.samplesPerFrame())
	tag, hasTag := parseVBRTag(h, first)
	if hasTag && tag.frames > 0 {
		info.Tag = tag.kind
		info.Frames = tag.frames
		info.VBR = tag.kind != "Info"
		info.Encoder = tag.encoder
		total := int64(tag.frames) * spf
		if tag.lame {
			info.EncoderDelay, info.Padding = tag.delay, tag.pad
			total -= int64(tag.delay + tag.pad)
		}
		info.Samples = max(total, 0)
		if next, err := br.Peek(h.size() + 4); err == nil {
			// The tag frame's bitrate may differ from the audio's (ffmpeg
			// and this package enlarge it for low CBR bitrates).
			if nh, ok := parseHeader(next[h.size():]); ok {
				info.Bitrate = nh.bitrate
			}
		}
		info.Duration = duration(info.Samples, h.sampleRate)
		if info.VBR {
			audio := tag.bytes
			if audio <= 0 {
				end, err := r.Seek(0, io.SeekEnd)
				if err != nil {
					return Info{}, fmt.Errorf("mp3: probe: %w", err)
				}
				audio = end - info.AudioOffset
			}
			info.Bitrate = avgKbps(audio-int64(len(first)), int64(tag.frames)*spf, h.sampleRate)
		}
		return info, nil
	}
	if hasTag {
		// A tag without a frame count: skip its frame and count the rest.
		info.Tag = tag.kind
		info.Encoder = tag.encoder
		if _, err := br.Discard(h.size()); err != nil {
			return Info{}, fmt.Errorf("mp3: probe: %w", err)
		}
	}
	var frames, bytes int64
	rates := map[int]bool{}
	for {
		b, err := br.Peek(4)
		if err != nil {
			break // end of stream (or a trailing partial header)
		}
		fh, ok := parseHeader(b)
		if !ok || fh.sampleRate != h.sampleRate || fh.layer != h.layer {
			// Trailing ID3v1/APE tags or garbage end the audio.
			break
		}
		n := fh.size()
		d, err := br.Discard(n)
		if d < n {
			break // truncated last frame: not playable, not counted
		}
		frames++
		bytes += int64(n)
		rates[fh.bitrate] = true
		if err != nil {
			break
		}
	}
	if frames == 0 {
		return Info{}, fmt.Errorf("mp3: probe: %w", errNoFrames)
	}
	info.Frames = int(frames)
	info.Samples = frames * spf
	info.Duration = duration(info.Samples, h.sampleRate)
	info.VBR = len(rates) > 1 || tag.kind == "Xing" || tag.kind == "VBRI"
	if info.VBR {
		info.Bitrate = avgKbps(bytes, info.Samples, h.sampleRate)
	}
	return info, nil
}

// duration converts a sample count to time without the overflow of
// pcm.D for the huge counts a corrupt tag can claim.
func duration(samples int64, rate int) time.Duration {
	r := int64(rate)
	return time.Duration(samples/r)*time.Second + time.Duration(samples%r)*time.Second/time.Duration(r)
}

func avgKbps(bytes, samples int64, rate int) int {
	if samples <= 0 || bytes <= 0 {
		return 0
	}
	return int((bytes*8*int64(rate)/samples + 500) / 1000)
}

// Decode reads a whole MP3 stream as mono audio (stereo is averaged). See
// Stream for what is trimmed; Decode holds the whole file in memory, so
// long files are better streamed.
func Decode(r io.Reader) (pcm.Buffer, error) {
	var out []float32
	rate, _, err := Stream(r, func(s []float32) { out = append(out, s...) })
	if err != nil {
		return pcm.Buffer{}, err
	}
	return pcm.Buffer{Rate: rate, Samples: out}, nil
}

// Stream decodes an MP3 stream (an ID3v2 tag in front is skipped) and
// hands the audio to fn as mono chunks, which fn must not keep. With a
// LAME Info tag it drops the tag frame, the encoder delay, the decoder's
// 529-sample delay and the padding, so that the audio is exactly what was
// encoded; without one it returns every decoded sample. Memory stays at
// one chunk whatever the file's length. It returns the sample rate and
// the number of samples delivered. MPEG-2.5 (8-12 kHz) streams are not
// supported by the underlying decoder.
func Stream(r io.Reader, fn func([]float32)) (rate int, n int64, err error) {
	// go-mp3 v0.3.4 indexes tables with unchecked stream values and panics on
	// some corrupt frames (found by FuzzProbeDecode); a damaged file must be
	// an error, not a crash of `narrate check`.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("mp3: decode: corrupt stream: %v", p)
		}
	}()
	br := bufio.NewReaderSize(r, 64<<10)
	if _, err := skipID3v2(br); err != nil {
		return 0, 0, fmt.Errorf("mp3: decode: %w", err)
	}
	h, _, err := findFrame(br)
	if err != nil {
		return 0, 0, fmt.Errorf("mp3: decode: %w", err)
	}
	first, _ := br.Peek(h.size())
	tag, hasTag := parseVBRTag(h, first)
	spf := h.samplesPerFrame()
	skip, keep := 0, int64(-1)
	if hasTag {
		// go-mp3 decodes the tag frame as a frame of silence.
		skip = spf
		if tag.lame && tag.frames > 0 {
			skip += tag.delay + decoderDelay
			keep = int64(max(tag.frames*spf-tag.delay-tag.pad, 0))
		}
	}
	d, err := gomp3.NewDecoder(br)
	if err != nil {
		return 0, 0, fmt.Errorf("mp3: decode: %w", err)
	}
	chunk := make([]byte, 64<<10)
	out := make([]float32, 0, len(chunk)/4+1)
	var carry []byte // a 4-byte stereo sample split between reads
	for {
		m, rerr := d.Read(chunk)
		data := chunk[:m]
		if len(carry) > 0 {
			data = append(carry, data...)
			carry = nil
		}
		whole := len(data) / 4 * 4
		out = out[:0]
		for i := 0; i < whole; i += 4 {
			if skip > 0 {
				skip--
				continue
			}
			l := int16(binary.LittleEndian.Uint16(data[i:]))
			r := int16(binary.LittleEndian.Uint16(data[i+2:]))
			out = append(out, (float32(l)+float32(r))/65536)
		}
		if whole < len(data) {
			carry = append([]byte(nil), data[whole:]...)
		}
		if keep >= 0 && n+int64(len(out)) > keep {
			out = out[:keep-n]
		}
		if len(out) > 0 {
			fn(out)
			n += int64(len(out))
		}
		if keep >= 0 && n >= keep {
			return d.SampleRate(), n, nil
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return d.SampleRate(), n, nil
			}
			return d.SampleRate(), n, fmt.Errorf("mp3: decode: %w", rerr)
		}
	}
}
