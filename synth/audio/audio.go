// Package audio decodes the audio that TTS engines hand back (WAV, headerless
// 16-bit PCM, MP3) into pcm.Buffer values at the rate the data really has.
package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/narrate-audio/narrate/audio/mp3"

	"github.com/narrate-audio/narrate/audio/pcm"
)

// Format names an audio encoding this package can decode.
type Format string

// The formats Decode understands.
const (
	WAV     Format = "wav"
	RawS16  Format = "pcm" // headerless signed 16-bit little-endian mono
	MP3     Format = "mp3"
	Unknown Format = ""
)

// ErrFormat is wrapped by every error about malformed or unsupported audio.
var ErrFormat = errors.New("bad audio data")

// Sniff guesses the format of b from its first bytes. Headerless PCM has
// no signature, so it is never guessed; callers that asked for PCM decide.
func Sniff(b []byte) Format {
	switch {
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return WAV
	case len(b) >= 3 && string(b[:3]) == "ID3":
		return MP3
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0:
		return MP3
	}
	return Unknown
}

// FromContentType maps an HTTP Content-Type to a format and, for raw PCM,
// the rate given by a "rate" parameter (openedai-speech sends
// "audio/pcm;rate=22050"); rate is 0 when the type does not say.
func FromContentType(ct string) (f Format, rate int, ok bool) {
	parts := strings.Split(ct, ";")
	mt := strings.ToLower(strings.TrimSpace(parts[0]))
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "rate") {
			if n, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && n > 0 {
				rate = n
			}
		}
	}
	switch mt {
	case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave":
		return WAV, 0, true
	case "audio/pcm", "audio/l16", "audio/x-pcm", "audio/raw":
		return RawS16, rate, true
	case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg":
		return MP3, 0, true
	}
	return Unknown, 0, false
}

// Decode decodes data in format f. rate is needed only for RawS16.
func Decode(f Format, data []byte, rate int) (pcm.Buffer, error) {
	switch f {
	case WAV:
		return DecodeWAV(data)
	case RawS16:
		return DecodeRaw(data, rate)
	case MP3:
		return DecodeMP3(data)
	}
	return pcm.Buffer{}, fmt.Errorf("%w: unsupported format %q", ErrFormat, f)
}

// DecodeRaw decodes headerless signed 16-bit little-endian mono samples.
func DecodeRaw(data []byte, rate int) (pcm.Buffer, error) {
	if rate <= 0 {
		return pcm.Buffer{}, fmt.Errorf("%w: raw PCM needs a sample rate, got %d", ErrFormat, rate)
	}
	if len(data)%2 != 0 {
		return pcm.Buffer{}, fmt.Errorf("%w: raw 16-bit PCM has an odd byte count (%d): truncated or not PCM", ErrFormat, len(data))
	}
	s := make([]int16, len(data)/2)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return pcm.FromInt16(rate, 1, s), nil
}

const (
	wavFormatPCM        = 1
	wavFormatFloat      = 3
	wavFormatExtensible = 0xFFFE
)

// DecodeWAV decodes a RIFF/WAVE file with integer (8, 16, 24, 32-bit) or
// float (32, 64-bit) samples; channels are mixed down to mono.
//
// The data chunk's length is trusted only when it fits in the input:
// espeak-ng --stdout writes placeholder sizes (0x7ffff000) that are never
// patched, so a longer-than-available data chunk is read to the end. A
// trailing partial frame is dropped.
func DecodeWAV(data []byte) (pcm.Buffer, error) {
	if Sniff(data) != WAV {
		return pcm.Buffer{}, fmt.Errorf("%w: not a RIFF/WAVE file", ErrFormat)
	}
	var (
		haveFmt                         bool
		format, channels, bits, blockAl int
		rate                            int
	)
	p := 12
	for p+8 <= len(data) {
		id := string(data[p : p+4])
		size := int(binary.LittleEndian.Uint32(data[p+4:]))
		body := data[p+8:]
		if size < 0 || size > len(body) {
			if id != "data" {
				return pcm.Buffer{}, fmt.Errorf("%w: chunk %q claims %d bytes, only %d left", ErrFormat, id, size, len(body))
			}
			size = len(body)
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return pcm.Buffer{}, fmt.Errorf("%w: fmt chunk is %d bytes, want at least 16", ErrFormat, size)
			}
			format = int(binary.LittleEndian.Uint16(body[0:]))
			channels = int(binary.LittleEndian.Uint16(body[2:]))
			rate = int(binary.LittleEndian.Uint32(body[4:]))
			blockAl = int(binary.LittleEndian.Uint16(body[12:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
			if format == wavFormatExtensible {
				if size < 26 {
					return pcm.Buffer{}, fmt.Errorf("%w: extensible fmt chunk is %d bytes, want at least 26", ErrFormat, size)
				}
				// The first two bytes of the sub-format GUID carry the
				// ordinary format code.
				format = int(binary.LittleEndian.Uint16(body[24:]))
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return pcm.Buffer{}, fmt.Errorf("%w: data chunk before fmt chunk", ErrFormat)
			}
			return decodeFrames(body, format, channels, bits, blockAl, rate)
		}
		p += 8 + size + size&1 // chunks are padded to even sizes
	}
	if !haveFmt {
		return pcm.Buffer{}, fmt.Errorf("%w: no fmt chunk", ErrFormat)
	}
	return pcm.Buffer{}, fmt.Errorf("%w: no data chunk", ErrFormat)
}

func decodeFrames(body []byte, format, channels, bits, blockAl, rate int) (pcm.Buffer, error) {
	if channels < 1 || channels > 64 {
		return pcm.Buffer{}, fmt.Errorf("%w: %d channels", ErrFormat, channels)
	}
	if rate < 1000 || rate > 768000 {
		return pcm.Buffer{}, fmt.Errorf("%w: implausible sample rate %d Hz", ErrFormat, rate)
	}
	width := bits / 8
	ok := bits%8 == 0 && (format == wavFormatPCM && width >= 1 && width <= 4 ||
		format == wavFormatFloat && (width == 4 || width == 8))
	if !ok {
		return pcm.Buffer{}, fmt.Errorf("%w: unsupported sample format (code %d, %d bits)", ErrFormat, format, bits)
	}
	if blockAl != width*channels {
		return pcm.Buffer{}, fmt.Errorf("%w: block align %d does not match %d channels of %d bits", ErrFormat, blockAl, channels, bits)
	}
	n := len(body) / blockAl
	out := make([]float32, n)
	for i := range n {
		var sum float64
		for c := range channels {
			sum += sample(body[i*blockAl+c*width:], format, width)
		}
		out[i] = float32(sum / float64(channels))
	}
	return pcm.Buffer{Rate: rate, Samples: out}, nil
}

// sample reads one sample as a value in [-1, 1].
func sample(b []byte, format, width int) float64 {
	if format == wavFormatFloat {
		if width == 4 {
			return clamp(float64(math.Float32frombits(binary.LittleEndian.Uint32(b))))
		}
		return clamp(math.Float64frombits(binary.LittleEndian.Uint64(b)))
	}
	switch width {
	case 1: // 8-bit WAV is unsigned
		return (float64(b[0]) - 128) / 128
	case 2:
		return float64(int16(binary.LittleEndian.Uint16(b))) / 32768
	case 3:
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		return float64(v) / (1 << 23)
	default:
		return float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31)
	}
}

// clamp keeps float samples in range and maps NaN to silence, so a
// corrupt file cannot poison later loudness maths.
func clamp(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return v
}

// DecodeMP3 decodes an MPEG-1/2 Layer III stream. go-mp3 always yields
// 16-bit stereo, which is mixed down to mono.
func DecodeMP3(data []byte) (pcm.Buffer, error) {
	// Package mp3 also drops the LAME tag's encoder delay and padding, so
	// a server's MP3 reply carries no extra silence into the mix.
	b, err := mp3.Decode(bytes.NewReader(data))
	if err != nil {
		return pcm.Buffer{}, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return b, nil
}

// EncodeWAV writes b as a 16-bit mono WAV file. Backends' tests and fake
// servers use it to produce real audio on the wire.
func EncodeWAV(b pcm.Buffer) []byte {
	var out bytes.Buffer
	n := len(b.Samples) * 2
	le := binary.LittleEndian
	out.WriteString("RIFF")
	_ = binary.Write(&out, le, uint32(36+n))
	out.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(wavFormatPCM), uint16(1), uint32(b.Rate), uint32(b.Rate * 2), uint16(2), uint16(16)} {
		_ = binary.Write(&out, le, v)
	}
	out.WriteString("data")
	_ = binary.Write(&out, le, uint32(n))
	out.Write(EncodeRaw(b))
	return out.Bytes()
}

// EncodeRaw returns b as headerless signed 16-bit little-endian samples.
func EncodeRaw(b pcm.Buffer) []byte {
	out := make([]byte, 2*len(b.Samples))
	for i, v := range b.Samples {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(pcm.Int16(v)))
	}
	return out
}

// Truncated reports audio that ends before it says it does: headerless
// 16-bit PCM with half a sample, or a WAV whose data chunk announces more
// bytes than arrived. A reply whose end is the connection's close cannot
// be seen to be cut off otherwise. Placeholder sizes of streamed WAVs
// (0, 0xFFFFFFFF, espeak-ng's 0x7ffff000) promise nothing.
func Truncated(f Format, data []byte) bool {
	switch f {
	case RawS16:
		return len(data)%2 != 0
	case WAV:
		for p := 12; p+8 <= len(data); {
			size := binary.LittleEndian.Uint32(data[p+4:])
			if string(data[p:p+4]) == "data" {
				return size != 0 && size < 0x7fff0000 && int(size) > len(data)-p-8
			}
			p += 8 + int(size) + int(size&1)
		}
	}
	return false
}

// IsMP3 reports whether data really is MP3: an ID3 tag, or two
// consecutive Layer III frame headers. Proxies label any reply
// audio/mpeg, and one frame sync alone is no proof: headerless PCM
// starting at a sample of -1 has one.
func IsMP3(data []byte) bool {
	if len(data) >= 3 && string(data[:3]) == "ID3" {
		return true
	}
	n := mp3Frame(data)
	return n > 0 && mp3Frame(data[min(n, len(data)):]) > 0
}

// mp3Frame returns the length of the Layer III frame whose header starts
// data, or 0 when there is none.
func mp3Frame(h []byte) int {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return 0
	}
	version, layer := h[1]>>3&3, h[1]>>1&3 // version 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
	bi, si := int(h[2]>>4), int(h[2]>>2&3)
	if version == 1 || layer != 1 || bi == 0 || bi == 15 || si == 3 {
		return 0
	}
	pad := int(h[2] >> 1 & 1)
	if version == 3 {
		kbps := [...]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}[bi]
		return 144*kbps*1000/[...]int{44100, 48000, 32000}[si] + pad
	}
	kbps := [...]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}[bi]
	rate := [...]int{22050, 24000, 16000}[si]
	if version == 0 {
		rate /= 2
	}
	return 72*kbps*1000/rate + pad
}
