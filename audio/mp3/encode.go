// Package mp3 encodes mono PCM to MP3 through libmp3lame (cgo) and decodes
// and probes MP3 files, honouring the LAME/Xing "Info" tag so that encoder
// delay and padding never change the length of the audio.
//
// Building needs the LAME headers and library (Debian: libmp3lame-dev).
package mp3

/*
#cgo LDFLAGS: -lmp3lame
#include <stdlib.h>
#include <lame/lame.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/narrate-audio/narrate/internal/cpuclock"
)

// DefaultQuality is the LAME algorithm quality (-q) used by DefaultOptions.
// Measured on 357 s of espeak-ng speech at 22.05 kHz, 64 kbps CBR, in the
// same pass: q5 took 0.93 s, q3 1.06 s, q2 2.02 s, q0 6.0 s. Waveform SNR
// cannot rank them (it rises as -q falls: 20.4 dB at q0, 22.8 dB at q5,
// 24.7 dB at q7, because lower -q values shape the noise perceptually), and
// no listening test was run, so we take LAME's documented "good speed,
// reasonable quality" setting over the lame CLI's default of 3. In VBR -V 5
// the size was the same for q0..q3 and 0.3 % larger at q5.
const DefaultQuality = 5

// Options configures an Encoder. Input and output are mono; the output
// sample rate equals the input rate (LAME never resamples here).
type Options struct {
	// SampleRate in Hz; one of the MPEG rates 8000, 11025, 12000, 16000,
	// 22050, 24000, 32000, 44100 or 48000.
	SampleRate int
	// Bitrate in kbps for CBR (VBRQuality == -1). It must be a legal bitrate
	// of the MPEG version implied by SampleRate: 32..320 for 32-48 kHz,
	// 8..160 below 32 kHz.
	Bitrate int
	// VBRQuality is -1 for constant bitrate, or 0 (best) .. 9 (smallest) for
	// VBR, like lame -V. Bitrate is ignored for VBR.
	VBRQuality int
	// Quality is LAME's algorithm quality 0 (best, slowest) .. 9 (fastest),
	// like lame -q. Note that the zero value means the slowest setting; start
	// from DefaultOptions to get DefaultQuality.
	Quality int
}

// DefaultOptions returns CBR 64 kbps at DefaultQuality for rate, a good
// setting for synthetic speech.
func DefaultOptions(rate int) Options {
	return Options{SampleRate: rate, Bitrate: 64, VBRQuality: -1, Quality: DefaultQuality}
}

// Validate reports whether o describes an encoding LAME can produce without
// silently picking other parameters.
func (o Options) Validate() error {
	if !slices.Contains(sampleRates, o.SampleRate) {
		return fmt.Errorf("mp3: unsupported sample rate %d Hz", o.SampleRate)
	}
	if o.Quality < 0 || o.Quality > 9 {
		return fmt.Errorf("mp3: quality %d out of range 0..9", o.Quality)
	}
	switch {
	case o.VBRQuality == -1:
		legal := Bitrates(o.SampleRate)
		if slices.Contains(legal, o.Bitrate) {
			return nil
		}
		return fmt.Errorf("mp3: bitrate %d kbps not allowed at %d Hz (allowed %v)", o.Bitrate, o.SampleRate, legal)
	case o.VBRQuality >= 0 && o.VBRQuality <= 9:
		return nil
	default:
		return fmt.Errorf("mp3: VBR quality %d out of range (-1 for CBR, 0..9)", o.VBRQuality)
	}
}

// initMu serialises lame_init and lame_init_params: they fill process-wide lookup tables
// (for example the fast-log table) guarded only by a static flag, which is
// a data race when two encoders start at once. Encoding itself touches only
// the per-encoder state, so Write and Close run in parallel freely.
var initMu sync.Mutex

// Encoder writes MP3 frames for mono float PCM to an io.WriteSeeker. It is
// not safe for concurrent use, but separate Encoders are independent.
type Encoder struct {
	gfp   *C.lame_global_flags
	w     io.WriteSeeker
	start int64 // offset where the audio (and the LAME tag frame) begins
	in    []float32
	out   []byte
	err   error         // sticky: once a write fails the stream is unusable
	cpu   time.Duration // CPU spent in Write

	// own is set when LAME cannot fit its tag in a frame (see infotag.go)
	// and we write the Info frame ourselves; then we also count the input
	// samples and checksum the audio for it.
	own      *infoFrame
	samples  int64
	musicCRC uint16

	// cleanup frees the C state if the Encoder is dropped without Close.
	cleanup runtime.Cleanup
}

func closeLame(gfp *C.lame_global_flags) { C.lame_close(gfp) }

// CPU returns the processor time Write has spent so far: converting,
// encoding and writing the frames out (the thread CPU clock around each
// call, which runs on one locked thread).
func (e *Encoder) CPU() time.Duration { return e.cpu }

// NewEncoder starts an MP3 stream at w's current offset. Anything already
// written (typically an ID3v2 tag) stays in front: Close seeks back to the
// recorded offset to fill in the LAME tag frame.
func NewEncoder(w io.WriteSeeker, o Options) (*Encoder, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	start, err := w.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("mp3: finding start offset: %w", err)
	}
	initMu.Lock()
	gfp := C.lame_init()
	initMu.Unlock()
	if gfp == nil {
		return nil, errors.New("mp3: lame_init failed")
	}
	ok := C.lame_set_num_channels(gfp, 1) == 0 &&
		C.lame_set_in_samplerate(gfp, C.int(o.SampleRate)) == 0 &&
		C.lame_set_out_samplerate(gfp, C.int(o.SampleRate)) == 0 &&
		C.lame_set_mode(gfp, C.MONO) == 0 &&
		C.lame_set_quality(gfp, C.int(o.Quality)) == 0 &&
		C.lame_set_bWriteVbrTag(gfp, 1) == 0
	own := o.VBRQuality < 0 && !tagFits(o)
	if ok && own {
		ok = C.lame_set_bWriteVbrTag(gfp, 0) == 0
	}
	if ok {
		if o.VBRQuality < 0 {
			ok = C.lame_set_VBR(gfp, C.vbr_off) == 0 && C.lame_set_brate(gfp, C.int(o.Bitrate)) == 0
		} else {
			ok = C.lame_set_VBR(gfp, C.vbr_default) == 0 && C.lame_set_VBR_quality(gfp, C.float(o.VBRQuality)) == 0
		}
	}
	if !ok {
		C.lame_close(gfp)
		return nil, fmt.Errorf("mp3: rejected options %+v", o)
	}
	// No ID3 from LAME: tags are the caller's business (package id3).
	C.lame_set_write_id3tag_automatic(gfp, 0)
	initMu.Lock()
	rc := C.lame_init_params(gfp)
	initMu.Unlock()
	if rc < 0 {
		C.lame_close(gfp)
		return nil, fmt.Errorf("mp3: lame_init_params failed (code %d) for %+v", int(rc), o)
	}
	e := &Encoder{gfp: gfp, w: w, start: start}
	e.cleanup = runtime.AddCleanup(e, closeLame, gfp)
	if own {
		e.own = &infoFrame{
			rate:    o.SampleRate,
			bitrate: o.Bitrate,
			lowpass: int(C.lame_get_lowpassfreq(gfp)),
			version: C.GoString(C.get_lame_short_version()),
		}
		// A valid but empty tag frame holds the place until Close.
		if _, err := w.Write(e.own.render()); err != nil {
			e.cleanup.Stop()
			C.lame_close(gfp)
			return nil, fmt.Errorf("mp3: writing Info frame placeholder: %w", err)
		}
	}
	return e, nil
}

// chunk bounds the C call size so the output buffer stays small (a
// few hundred KB). Larger calls are fewer: every cgo call that lasts
// makes the Go scheduler's monitor wake and hand its processor over.
const chunk = 1 << 16

// Write encodes samples (mono, nominally in [-1, 1]; values beyond are
// clipped, as LAME would otherwise wrap them when it converts to integers).
func (e *Encoder) Write(samples []float32) error {
	if e.err != nil {
		return e.err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func(start time.Duration) { e.cpu += cpuclock.Thread() - start }(cpuclock.Thread())
	if e.gfp == nil {
		return errors.New("mp3: write after close")
	}
	if e.in == nil {
		e.in = make([]float32, chunk)
		// Worst case from lame.h: 1.25*n + 7200.
		e.out = make([]byte, chunk*5/4+7200)
	}
	for len(samples) > 0 {
		n := min(len(samples), chunk)
		for i, v := range samples[:n] {
			switch {
			case v > 1:
				v = 1
			case v < -1:
				v = -1
			case v != v: // NaN would poison the psychoacoustic model
				v = 0
			}
			e.in[i] = v
		}
		samples = samples[n:]
		e.samples += int64(n)
		inp := (*C.float)(unsafe.Pointer(&e.in[0]))
		rc := C.lame_encode_buffer_ieee_float(e.gfp, inp, inp, C.int(n),
			(*C.uchar)(unsafe.Pointer(&e.out[0])), C.int(len(e.out)))
		if rc < 0 {
			e.err = fmt.Errorf("mp3: lame_encode_buffer_ieee_float failed (code %d)", int(rc))
			return e.err
		}
		if err := e.emit(e.out[:rc]); err != nil {
			return err
		}
	}
	return nil
}

func (e *Encoder) emit(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if _, err := e.w.Write(b); err != nil {
		e.err = fmt.Errorf("mp3: writing frames: %w", err)
		return e.err
	}
	if e.own != nil {
		e.musicCRC = crc16(e.musicCRC, b)
	}
	return nil
}

// Close flushes the last frames, writes the LAME/Info tag frame over the
// placeholder frame at the start of the audio, leaves w positioned at the
// end of the stream and frees the encoder. It does not close w.
func (e *Encoder) Close() error {
	if e.gfp == nil {
		return e.err
	}
	defer func() {
		e.cleanup.Stop()
		C.lame_close(e.gfp)
		e.gfp = nil
	}()
	if e.err != nil {
		return e.err
	}
	buf := make([]byte, 7200)
	rc := C.lame_encode_flush(e.gfp, (*C.uchar)(unsafe.Pointer(&buf[0])), C.int(len(buf)))
	if rc < 0 {
		e.err = fmt.Errorf("mp3: lame_encode_flush failed (code %d)", int(rc))
		return e.err
	}
	if err := e.emit(buf[:rc]); err != nil {
		return err
	}
	if e.own != nil {
		return e.writeOwnTag()
	}
	n := C.lame_get_lametag_frame(e.gfp, (*C.uchar)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	if n == 0 {
		return nil // LAME decided not to write a tag; the stream is still valid
	}
	if n > C.size_t(len(buf)) {
		e.err = fmt.Errorf("mp3: LAME tag frame needs %d bytes", uint64(n))
		return e.err
	}
	end, err := e.w.Seek(0, io.SeekCurrent)
	if err != nil {
		e.err = fmt.Errorf("mp3: finding end offset: %w", err)
		return e.err
	}
	return e.overwriteTag(buf[:n], end)
}

// writeOwnTag fills in our Info frame once the audio is complete.
func (e *Encoder) writeOwnTag() error {
	end, err := e.w.Seek(0, io.SeekCurrent)
	if err != nil {
		e.err = fmt.Errorf("mp3: finding end offset: %w", err)
		return e.err
	}
	f := e.own
	f.frames = int(C.lame_get_frameNum(e.gfp))
	f.bytes = end - e.start
	f.delay = int(C.lame_get_encoder_delay(e.gfp))
	f.padding = int(int64(f.frames)*int64(C.lame_get_framesize(e.gfp)) - int64(f.delay) - e.samples)
	f.musicCRC = e.musicCRC
	if f.padding < 0 || f.padding > 0xFFF || f.delay > 0xFFF {
		e.err = fmt.Errorf("mp3: delay %d / padding %d do not fit the Info tag", f.delay, f.padding)
		return e.err
	}
	return e.overwriteTag(f.render(), end)
}

// overwriteTag writes tag at the start of the audio and returns to end.
func (e *Encoder) overwriteTag(tag []byte, end int64) error {
	if _, err := e.w.Seek(e.start, io.SeekStart); err != nil {
		e.err = fmt.Errorf("mp3: seeking to audio start %d: %w", e.start, err)
		return e.err
	}
	if _, err := e.w.Write(tag); err != nil {
		e.err = fmt.Errorf("mp3: writing LAME tag: %w", err)
		return e.err
	}
	if _, err := e.w.Seek(end, io.SeekStart); err != nil {
		e.err = fmt.Errorf("mp3: seeking back to end: %w", err)
		return e.err
	}
	return nil
}
