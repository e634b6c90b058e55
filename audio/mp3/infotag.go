package mp3

import "encoding/binary"

// LAME refuses to write its Info tag when a CBR frame is too small to hold
// it (below 56 kbps at 22.05 kHz and 44.1 kHz, for example), which would
// leave low-bitrate speech files without gapless data: decoders would then
// keep 1105 priming samples and the end padding. For those settings we
// write the same tag ourselves in a frame of a larger bitrate, as ffmpeg's
// MP3 muxer does; decoders accept a tag frame whose bitrate differs from the
// audio's.

// xingSize is the Xing/Info header with all fields (ID, flags, frames,
// bytes, 100-byte TOC, quality) and lameExtSize the LAME extension after it.
const (
	xingSize    = 120
	lameExtSize = 36
)

// sideInfoEnd is where the side information of a mono layer III frame ends
// (header included), which is where the Xing header goes.
func sideInfoEnd(version int) int {
	if version == 1 {
		return 4 + 17
	}
	return 4 + 9
}

// mpegVersion returns 1, 2 or 25 for a sample rate.
func mpegVersion(rate int) int {
	switch {
	case rate >= 32000:
		return 1
	case rate >= 16000:
		return 2
	default:
		return 25
	}
}

// tagFits reports whether a mono CBR frame at o's bitrate can hold the
// LAME tag (LAME's own test in InitVbrTag).
func tagFits(o Options) bool {
	v := mpegVersion(o.SampleRate)
	h := frameHeader{version: v, layer: 3, bitrate: o.Bitrate, sampleRate: o.SampleRate, channels: 1}
	return h.size() >= sideInfoEnd(v)+xingSize+lameExtSize
}

// infoFrame holds what our own Info tag records.
type infoFrame struct {
	rate     int
	bitrate  int // kbps of the audio frames
	frames   int // audio frames, not counting the tag frame
	bytes    int64
	delay    int
	padding  int
	lowpass  int // Hz
	version  string
	musicCRC uint16
}

// header picks the smallest bitrate whose frame holds the tag and returns
// the 4-byte header and frame size.
func (f infoFrame) header() ([]byte, int) {
	v := mpegVersion(f.rate)
	tv := v
	if tv == 25 {
		tv = 2
	}
	rates := bitrateTable[[2]int{tv, 3}]
	var si int
	for i, r := range rateTable[v] {
		if r == f.rate {
			si = i
		}
	}
	verBits := map[int]byte{1: 3, 2: 2, 25: 0}[v]
	for bi := 1; bi < 15; bi++ {
		h := frameHeader{version: v, layer: 3, bitrate: rates[bi], sampleRate: f.rate, channels: 1}
		if n := h.size(); n >= sideInfoEnd(v)+xingSize+lameExtSize {
			// Layer III, no CRC; mono, original.
			return []byte{0xFF, 0xE0 | verBits<<3 | 1<<1 | 1, byte(bi<<4) | byte(si<<2), 0xC4}, n
		}
	}
	panic("mp3: no bitrate holds the Info tag") // unreachable: 320/160 kbps always fit
}

// size is the byte length of the tag frame.
func (f infoFrame) size() int {
	_, n := f.header()
	return n
}

// render builds the complete tag frame. bytes must already count the tag
// frame itself, as LAME's does.
func (f infoFrame) render() []byte {
	hdr, n := f.header()
	b := make([]byte, n)
	copy(b, hdr)
	p := sideInfoEnd(mpegVersion(f.rate))
	copy(b[p:], "Info")
	binary.BigEndian.PutUint32(b[p+4:], 0x0F) // frames, bytes, TOC, quality present
	binary.BigEndian.PutUint32(b[p+8:], uint32(f.frames))
	binary.BigEndian.PutUint32(b[p+12:], uint32(f.bytes))
	for i := range 100 { // CBR: byte position grows linearly with time
		b[p+16+i] = byte(i * 256 / 100)
	}
	// quality (4 bytes) stays 0.
	e := b[p+xingSize:]
	enc := "LAME" + f.version
	if len(enc) > 9 {
		enc = enc[:9]
	}
	copy(e, enc+"         "[:9-len(enc)])
	e[9] = 0x01 // tag revision 0, VBR method 1 = CBR
	e[10] = byte(min(f.lowpass/100, 255))
	// peak (4), radio and audiophile replay gain (2+2), flags (1) stay 0.
	e[20] = byte(min(f.bitrate, 255))
	e[21] = byte(f.delay >> 4)
	e[22] = byte(f.delay&0x0F)<<4 | byte(f.padding>>8&0x0F)
	e[23] = byte(f.padding)
	// misc, MP3Gain, preset/surround stay 0.
	binary.BigEndian.PutUint32(e[28:], uint32(f.bytes))
	binary.BigEndian.PutUint16(e[32:], f.musicCRC)
	// The tag CRC covers the frame up to the CRC field itself.
	crcEnd := p + xingSize + 34
	binary.BigEndian.PutUint16(e[34:], crc16(0, b[:crcEnd]))
	return b
}

// crc16 is CRC-16/ARC (polynomial 0x8005, reflected), the checksum LAME
// uses for the music and tag CRC fields.
func crc16(crc uint16, b []byte) uint16 {
	for _, c := range b {
		crc ^= uint16(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xA001
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}
