package mp3

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// decoderDelay is the delay of the standard MPEG layer III synthesis
// filterbank (528 samples + 1), which LAME's delay field does not include
// and every gapless decoder adds (ffmpeg does the same).
const decoderDelay = 529

// frameHeader is a parsed 4-byte MPEG audio frame header.
type frameHeader struct {
	version    int // 1 = MPEG-1, 2 = MPEG-2, 25 = MPEG-2.5
	layer      int // 1, 2 or 3
	bitrate    int // kbps
	sampleRate int // Hz
	padding    int // bytes (0 or 1 slot)
	channels   int // 1 or 2
}

var bitrateTable = map[[2]int][15]int{
	{1, 1}: {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
	{1, 2}: {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
	{1, 3}: {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	{2, 1}: {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
	{2, 2}: {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	{2, 3}: {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
}

var rateTable = map[int][3]int{
	1:  {44100, 48000, 32000},
	2:  {22050, 24000, 16000},
	25: {11025, 12000, 8000},
}

// parseHeader decodes b[0:4]. Free-format (bitrate index 0) frames are
// rejected because their size cannot be computed from the header.
func parseHeader(b []byte) (frameHeader, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return frameHeader{}, false
	}
	var h frameHeader
	switch (b[1] >> 3) & 3 {
	case 0:
		h.version = 25
	case 2:
		h.version = 2
	case 3:
		h.version = 1
	default:
		return frameHeader{}, false
	}
	h.layer = 4 - int((b[1]>>1)&3)
	if h.layer == 4 {
		return frameHeader{}, false
	}
	bi := int(b[2] >> 4)
	si := int((b[2] >> 2) & 3)
	if bi == 0 || bi == 15 || si == 3 {
		return frameHeader{}, false
	}
	tv := h.version
	if tv == 25 {
		tv = 2
	}
	h.bitrate = bitrateTable[[2]int{tv, h.layer}][bi]
	h.sampleRate = rateTable[h.version][si]
	h.padding = int((b[2] >> 1) & 1)
	h.channels = 2
	if b[3]>>6 == 3 {
		h.channels = 1
	}
	return h, true
}

// samplesPerFrame is the number of PCM samples (per channel) in one frame.
func (h frameHeader) samplesPerFrame() int {
	switch {
	case h.layer == 1:
		return 384
	case h.layer == 3 && h.version != 1:
		return 576
	default:
		return 1152
	}
}

// size is the frame length in bytes including the header.
func (h frameHeader) size() int {
	if h.layer == 1 {
		return (12*h.bitrate*1000/h.sampleRate + h.padding) * 4
	}
	return h.samplesPerFrame()/8*h.bitrate*1000/h.sampleRate + h.padding
}

// vbrTag is what a Xing/Info or VBRI header in the first frame says.
type vbrTag struct {
	kind    string // "Xing", "Info" or "VBRI"
	frames  int    // audio frames after the tag frame; 0 if not given
	bytes   int64  // stream bytes including the tag frame; 0 if not given
	lame    bool   // a LAME extension with delay and padding follows
	encoder string // e.g. "LAME3.100"
	delay   int    // encoder delay in samples
	pad     int    // padding at the end in samples
}

// parseVBRTag looks for a Xing/Info or VBRI header inside frame, a complete
// first frame with header h.
func parseVBRTag(h frameHeader, frame []byte) (vbrTag, bool) {
	// The Xing header follows the side information, whose size depends on
	// the MPEG version and channel count.
	off := 4 + 17
	switch {
	case h.version == 1 && h.channels == 2:
		off = 4 + 32
	case h.version != 1 && h.channels == 1:
		off = 4 + 9
	}
	if h.layer == 3 && off+8 <= len(frame) {
		id := string(frame[off : off+4])
		if id == "Xing" || id == "Info" {
			return parseXing(id, frame[off+4:]), true
		}
	}
	// VBRI (Fraunhofer) sits at a fixed offset of 32 bytes after the header.
	const vo = 4 + 32
	if vo+18 <= len(frame) && string(frame[vo:vo+4]) == "VBRI" {
		t := vbrTag{kind: "VBRI"}
		t.bytes = int64(binary.BigEndian.Uint32(frame[vo+10:]))
		t.frames = int(binary.BigEndian.Uint32(frame[vo+14:]))
		return t, true
	}
	return vbrTag{}, false
}

func parseXing(kind string, b []byte) vbrTag {
	t := vbrTag{kind: kind}
	flags := binary.BigEndian.Uint32(b)
	b = b[4:]
	take := func(n int) []byte {
		if len(b) < n {
			b = nil
			return nil
		}
		v := b[:n]
		b = b[n:]
		return v
	}
	if flags&1 != 0 {
		if v := take(4); v != nil {
			t.frames = int(binary.BigEndian.Uint32(v))
		}
	}
	if flags&2 != 0 {
		if v := take(4); v != nil {
			t.bytes = int64(binary.BigEndian.Uint32(v))
		}
	}
	if flags&4 != 0 {
		take(100) // seek table
	}
	if flags&8 != 0 {
		take(4) // quality indicator
	}
	// LAME extension: 9-byte encoder string, then fields whose delay and
	// padding (12 bits each) start 21 bytes in.
	if len(b) >= 24 {
		enc := b[:9]
		printable := true
		for _, c := range enc {
			if c < 0x20 || c > 0x7E {
				printable = false
				break
			}
		}
		if printable && enc[0] != ' ' {
			t.encoder = trimRight(string(enc))
			d := b[21:24]
			t.delay = int(d[0])<<4 | int(d[1])>>4
			t.pad = int(d[1]&0x0F)<<8 | int(d[2])
			t.lame = true
		}
	}
	return t
}

func trimRight(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == 0) {
		s = s[:len(s)-1]
	}
	return s
}

// errNoFrames means no MPEG audio frame was found.
var errNoFrames = errors.New("no MPEG audio frame found")

// maxJunk bounds the search for the first frame after the ID3 tags, so a
// non-MP3 file fails fast instead of being scanned to the end.
const maxJunk = 64 << 10

// skipID3v2 consumes any ID3v2 tags at the start of br and returns how many
// bytes it skipped.
func skipID3v2(br *bufio.Reader) (int64, error) {
	var skipped int64
	for {
		b, err := br.Peek(10)
		if err != nil || string(b[:3]) != "ID3" {
			return skipped, nil
		}
		n := int64(b[6]&0x7F)<<21 | int64(b[7]&0x7F)<<14 | int64(b[8]&0x7F)<<7 | int64(b[9]&0x7F)
		n += 10
		if b[5]&0x10 != 0 { // footer present
			n += 10
		}
		d, err := br.Discard(int(n))
		skipped += int64(d)
		if err != nil {
			return skipped, fmt.Errorf("ID3v2 tag of %d bytes truncated: %w", n, err)
		}
	}
}

// findFrame advances br to the first frame header that is followed by
// another valid header of the same kind (or by the end of the stream), so
// stray 0xFF bytes are not taken for a frame. It returns the bytes skipped.
func findFrame(br *bufio.Reader) (frameHeader, int64, error) {
	var skipped int64
	for skipped <= maxJunk {
		b, err := br.Peek(4)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return frameHeader{}, skipped, errNoFrames
			}
			return frameHeader{}, skipped, err
		}
		if h, ok := parseHeader(b); ok {
			n := h.size()
			next, err := br.Peek(n + 4)
			if err == nil {
				if h2, ok := parseHeader(next[n:]); ok && h2.version == h.version && h2.layer == h.layer && h2.sampleRate == h.sampleRate {
					return h, skipped, nil
				}
			} else if len(next) >= n && len(next) < n+4 {
				return h, skipped, nil // a single frame up to the end
			}
		}
		if _, err := br.Discard(1); err != nil {
			return frameHeader{}, skipped, err
		}
		skipped++
	}
	return frameHeader{}, skipped, errNoFrames
}
