package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os/exec"
	"testing"

	"github.com/narrate-audio/narrate/audio/pcm"
)

func tone(rate int, seconds float64) pcm.Buffer {
	n := int(float64(rate) * seconds)
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
	}
	return pcm.Buffer{Rate: rate, Samples: s}
}

func TestWAVRoundTrip(t *testing.T) {
	for _, rate := range []int{8000, 22050, 24000, 44100} {
		in := tone(rate, 0.25)
		out, err := DecodeWAV(EncodeWAV(in))
		if err != nil {
			t.Fatalf("rate %d: %v", rate, err)
		}
		if out.Rate != rate || len(out.Samples) != len(in.Samples) {
			t.Fatalf("rate %d: got rate %d, %d samples; want %d samples", rate, out.Rate, len(out.Samples), len(in.Samples))
		}
		for i := range in.Samples {
			if d := math.Abs(float64(in.Samples[i] - out.Samples[i])); d > 1.0/16000 {
				t.Fatalf("sample %d: %v vs %v", i, in.Samples[i], out.Samples[i])
			}
		}
	}
}

// wavHeader builds a header by hand so the test does not depend on
// EncodeWAV for the formats it cannot write.
func wavHeader(format, channels, rate, bits int, dataLen uint32, extra ...byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(0x7ffff024))
	b.WriteString("WAVEfmt ")
	fmtLen := 16 + len(extra)
	binary.Write(&b, le, uint32(fmtLen))
	binary.Write(&b, le, uint16(format))
	binary.Write(&b, le, uint16(channels))
	binary.Write(&b, le, uint32(rate))
	binary.Write(&b, le, uint32(rate*channels*bits/8))
	binary.Write(&b, le, uint16(channels*bits/8))
	binary.Write(&b, le, uint16(bits))
	b.Write(extra)
	b.WriteString("LIST")
	binary.Write(&b, le, uint32(3))
	b.WriteString("abc\x00") // odd-sized chunk plus pad byte
	b.WriteString("data")
	binary.Write(&b, le, dataLen)
	return b.Bytes()
}

func TestWAVFormats(t *testing.T) {
	f32 := func(v float32) []byte { return binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)) }
	ext := make([]byte, 8)  // cbSize, validBits, channel mask, then GUID
	ext = append(ext, 3, 0) // GUID starts with the float format code
	ext = append(ext, make([]byte, 14)...)
	binary.LittleEndian.PutUint16(ext[0:], 22)
	tests := []struct {
		name string
		file []byte
		rate int
		want []float32
	}{
		{"espeak placeholder length", append(wavHeader(1, 1, 22050, 16, 0x7ffff000), 0x00, 0x40, 0x00, 0xC0), 22050, []float32{0.5, -0.5}},
		{"stereo mixdown", append(wavHeader(1, 2, 16000, 16, 4), 0x00, 0x40, 0x00, 0x00), 16000, []float32{0.25}},
		{"8-bit unsigned", append(wavHeader(1, 1, 8000, 8, 2), 192, 64), 8000, []float32{0.5, -0.5}},
		{"24-bit", append(wavHeader(1, 1, 48000, 24, 3), 0x00, 0x00, 0x40), 48000, []float32{0.5}},
		{"float32", append(wavHeader(3, 1, 24000, 32, 4), f32(-0.25)...), 24000, []float32{-0.25}},
		{"extensible float", append(wavHeader(0xFFFE, 1, 24000, 32, 4, ext...), f32(0.75)...), 24000, []float32{0.75}},
		{"trailing partial frame dropped", append(wavHeader(1, 1, 22050, 16, 3), 0x00, 0x40, 0x01), 22050, []float32{0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := DecodeWAV(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if b.Rate != tt.rate || len(b.Samples) != len(tt.want) {
				t.Fatalf("got rate %d samples %v, want %d %v", b.Rate, b.Samples, tt.rate, tt.want)
			}
			for i := range tt.want {
				if math.Abs(float64(b.Samples[i]-tt.want[i])) > 1e-4 {
					t.Fatalf("samples %v, want %v", b.Samples, tt.want)
				}
			}
		})
	}
}

func TestWAVErrors(t *testing.T) {
	tests := map[string][]byte{
		"not riff":        []byte("hello world, not audio"),
		"no data":         wavHeader(1, 1, 22050, 16, 0)[:36],
		"bad bits":        wavHeader(1, 1, 22050, 12, 0),
		"zero channels":   wavHeader(1, 0, 22050, 16, 0),
		"absurd rate":     wavHeader(1, 1, 3, 16, 0),
		"mp3 in disguise": append([]byte("ID3"), make([]byte, 40)...),
	}
	for name, b := range tests {
		if _, err := DecodeWAV(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
}

func TestRaw(t *testing.T) {
	b, err := DecodeRaw([]byte{0x00, 0x40, 0x00, 0x80}, 24000)
	if err != nil || b.Rate != 24000 || len(b.Samples) != 2 || b.Samples[0] != 0.5 || b.Samples[1] != -1 {
		t.Fatalf("got %+v, %v", b, err)
	}
	if _, err := DecodeRaw([]byte{1, 2, 3}, 24000); !errors.Is(err, ErrFormat) {
		t.Errorf("odd length: err = %v", err)
	}
	if _, err := DecodeRaw([]byte{1, 2}, 0); !errors.Is(err, ErrFormat) {
		t.Errorf("no rate: err = %v", err)
	}
}

func TestContentType(t *testing.T) {
	tests := []struct {
		ct   string
		f    Format
		rate int
		ok   bool
	}{
		{"audio/wav", WAV, 0, true},
		{"audio/x-wav", WAV, 0, true},
		{"audio/pcm;rate=22050", RawS16, 22050, true},
		{"audio/PCM; rate=\"24000\"", RawS16, 24000, true},
		{"audio/mpeg", MP3, 0, true},
		{"application/json", Unknown, 0, false},
		{"audio/opus", Unknown, 0, false},
	}
	for _, tt := range tests {
		f, rate, ok := FromContentType(tt.ct)
		if f != tt.f || rate != tt.rate || ok != tt.ok {
			t.Errorf("%q: got %q %d %v", tt.ct, f, rate, ok)
		}
	}
}

func TestSniff(t *testing.T) {
	if Sniff(EncodeWAV(tone(8000, 0.01))) != WAV || Sniff([]byte("ID3\x04")) != MP3 || Sniff([]byte{0xFF, 0xFB, 0x90}) != MP3 || Sniff([]byte("{}")) != Unknown {
		t.Fatal("sniff misclassified")
	}
}

// TestMP3 encodes a tone with the lame program and checks that decoding
// gives back the rate and roughly the duration.
func TestMP3(t *testing.T) {
	lame, err := exec.LookPath("lame")
	if err != nil {
		t.Skip("lame not installed; cannot make an MP3 to decode")
	}
	in := tone(24000, 1)
	cmd := exec.Command(lame, "--quiet", "-r", "-s", "24", "--bitwidth", "16", "--signed", "--little-endian", "-m", "m", "-", "-")
	cmd.Stdin = bytes.NewReader(EncodeRaw(in))
	mp3Data, err := cmd.Output()
	if err != nil {
		t.Fatalf("lame: %v", err)
	}
	out, err := DecodeMP3(mp3Data)
	if err != nil {
		t.Fatal(err)
	}
	if out.Rate != 24000 {
		t.Fatalf("rate %d, want 24000", out.Rate)
	}
	// MP3 adds encoder delay and padding; a 1 s tone must stay near 1 s.
	if d := out.Duration().Seconds(); d < 0.95 || d > 1.2 {
		t.Fatalf("duration %.3f s, want about 1 s", d)
	}
	if rms := pcm.RMS(out.Samples); rms < 0.3 || rms > 0.4 {
		t.Fatalf("rms %.3f, want about 0.35 for a 0.5 sine", rms)
	}
	if _, err := DecodeMP3([]byte("definitely not mp3")); !errors.Is(err, ErrFormat) {
		t.Fatalf("garbage: err = %v", err)
	}
}

func FuzzDecodeWAV(f *testing.F) {
	f.Add(EncodeWAV(tone(8000, 0.01)))
	f.Add(append(wavHeader(1, 2, 22050, 24, 0x7ffff000), 1, 2, 3, 4, 5, 6, 7))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVE"))
	f.Fuzz(func(t *testing.T, b []byte) {
		buf, err := DecodeWAV(b)
		if err == nil {
			for _, v := range buf.Samples {
				if v < -1 || v > 1 || v != v {
					t.Fatalf("sample %v out of range", v)
				}
			}
		}
	})
}

func FuzzDecodeMP3(f *testing.F) {
	f.Add([]byte{0xFF, 0xFB, 0x90, 0x00, 1, 2, 3})
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeMP3(b)
	})
}

func FuzzDecodeRaw(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, 24000)
	f.Fuzz(func(t *testing.T, b []byte, rate int) {
		buf, err := DecodeRaw(b, rate)
		if err == nil && len(buf.Samples) != len(b)/2 {
			t.Fatalf("got %d samples from %d bytes", len(buf.Samples), len(b))
		}
	})
}
