package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"golang.org/x/sys/unix"

	"github.com/narrate-audio/narrate/mp3"
	"github.com/narrate-audio/narrate/pcm"
)

// encoderCPUPerAudioSecond measures the CPU that narrate's MP3 encoder
// (libmp3lame through package mp3, the default preset's options) spends
// per second of audio, by re-encoding the audio of a chapter narrate
// wrote. The thread CPU clock counts only the encoder's own work: cgo
// calls keep the goroutine on its locked thread, and waiting for a core
// on a busy machine is not counted (unlike render --stats EncodeTime,
// which is wall time inside the encoder).
func encoderCPUPerAudioSecond(mp3Path, tmp string, bitrate, runs int) ([]float64, error) {
	f, err := os.Open(mp3Path)
	if err != nil {
		return nil, err
	}
	buf, err := mp3.Decode(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", mp3Path, err)
	}
	var out []float64
	for range runs {
		c, err := encodeCPU(buf, tmp, bitrate)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// encodeCPU encodes buf once and returns the encoder's CPU seconds per
// second of audio.
func encodeCPU(buf pcm.Buffer, tmp string, bitrate int) (float64, error) {
	out, err := os.CreateTemp(tmp, "calib-*.mp3")
	if err != nil {
		return 0, err
	}
	defer os.Remove(out.Name())
	defer out.Close()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	began := threadCPU()
	o := mp3.DefaultOptions(buf.Rate)
	o.Bitrate = bitrate
	enc, err := mp3.NewEncoder(out, o)
	if err != nil {
		return 0, err
	}
	// The mixer hands the encoder blocks of a few thousand samples.
	const block = 4096
	for i := 0; i < len(buf.Samples); i += block {
		if err := enc.Write(buf.Samples[i:min(i+block, len(buf.Samples))]); err != nil {
			return 0, err
		}
	}
	if err := enc.Close(); err != nil {
		return 0, err
	}
	spent := threadCPU() - began
	seconds := float64(len(buf.Samples)) / float64(buf.Rate)
	if seconds <= 0 {
		return 0, fmt.Errorf("no audio to encode")
	}
	return spent.Seconds() / seconds, nil
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
