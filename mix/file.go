package mix

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/internal/atomicfile"
)

// Formats of output files.
const (
	MP3 = "mp3"
	WAV = "wav"
	// Raw is 16-bit little-endian mono PCM without a header: the
	// intermediate of a book that Assemble encodes as one file.
	Raw = "raw"
)

// FileOptions say how a File is encoded.
type FileOptions struct {
	Format     string // MP3 (when empty), WAV or Raw
	SampleRate int
	Bitrate    int      // MP3 bitrate in kbps
	Tag        *id3.Tag // written at the head of an MP3; nil for none
	// Meter, when set, is told of the MP3 encoder's work.
	Meter Meter
}

// Meter accounts for the work of an MP3 encoder.
type Meter interface {
	// Encode makes one call into the encoder.
	Encode(call func() error) error
	// Closed gives the CPU time the encoder used in all.
	Closed(cpu time.Duration)
}

// File is an audio file being written under a temporary name beside its
// final one. It gets the final name only when Commit succeeds, so that a
// killed render never leaves a truncated file that looks finished.
type File struct {
	f     *atomicfile.File
	final string
	sink  Sink
	close func() error
}

// Create starts the file that will be path once committed.
func Create(path string, o FileOptions) (*File, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, fmt.Errorf("mix: %w", err)
	}
	file := &File{f: f, final: path}
	switch o.Format {
	case Raw:
		file.sink, file.close = &rawSink{w: f}, func() error { return nil }
	case WAV:
		enc := wav.NewEncoder(f, o.SampleRate, 16, 1, 1)
		file.sink, file.close = &wavSink{enc: enc, rate: o.SampleRate}, enc.Close
	case MP3, "":
		if err := file.startMP3(o); err != nil {
			f.Abort()
			return nil, err
		}
	default:
		f.Abort()
		return nil, fmt.Errorf("mix: %s: unknown format %q", path, o.Format)
	}
	return file, nil
}

// startMP3 writes the tag and sets up the encoder of an MP3 file.
func (file *File) startMP3(o FileOptions) error {
	if o.Tag != nil {
		data, err := o.Tag.Bytes()
		if err == nil {
			_, err = file.f.Write(data)
		}
		if err != nil {
			return fmt.Errorf("mix: %s: %w", file.final, err)
		}
	}
	mo := mp3.DefaultOptions(o.SampleRate)
	mo.Bitrate = o.Bitrate
	enc, err := mp3.NewEncoder(file.f, mo)
	if err != nil {
		return fmt.Errorf("mix: %s: %w", file.final, err)
	}
	if o.Meter == nil {
		file.sink, file.close = enc, enc.Close
		return nil
	}
	file.sink = meteredSink{enc, o.Meter}
	file.close = func() error {
		err := o.Meter.Encode(enc.Close)
		o.Meter.Closed(enc.CPU())
		return err
	}
	return nil
}

// Write appends samples to the file.
func (file *File) Write(samples []float32) error {
	if err := file.sink.Write(samples); err != nil {
		return fmt.Errorf("mix: %s: %w", file.final, err)
	}
	return nil
}

// Commit finishes the file, flushes it to the disk and gives it its
// final name.
func (file *File) Commit() error {
	err := file.close()
	if err == nil {
		err = file.f.Sync()
	}
	if err != nil {
		file.f.Abort()
		return fmt.Errorf("mix: writing %s: %w", file.final, err)
	}
	if err := file.f.Commit(); err != nil {
		return fmt.Errorf("mix: %w", err)
	}
	return nil
}

// Abort removes an unfinished file. It is a no-op after Commit.
func (file *File) Abort() { file.f.Abort() }

// meteredSink passes every write to the encoder through its meter.
type meteredSink struct {
	sink  Sink
	meter Meter
}

func (m meteredSink) Write(s []float32) error {
	return m.meter.Encode(func() error { return m.sink.Write(s) })
}

// wavSink writes 16-bit PCM through go-audio/wav.
type wavSink struct {
	enc  *wav.Encoder
	rate int
	buf  audio.IntBuffer
}

func (w *wavSink) Write(s []float32) error {
	if cap(w.buf.Data) < len(s) {
		w.buf.Data = make([]int, len(s))
	}
	w.buf.Data = w.buf.Data[:len(s)]
	for i, v := range s {
		w.buf.Data[i] = int(pcm.Int16(v))
	}
	w.buf.Format = &audio.Format{NumChannels: 1, SampleRate: w.rate}
	w.buf.SourceBitDepth = 16
	return w.enc.Write(&w.buf)
}

// rawSink writes Raw samples.
type rawSink struct {
	w   io.Writer
	buf []byte
}

func (s *rawSink) Write(samples []float32) error {
	s.buf = s.buf[:0]
	for _, v := range samples {
		x := uint16(pcm.Int16(v))
		s.buf = append(s.buf, byte(x), byte(x>>8))
	}
	_, err := s.w.Write(s.buf)
	return err
}

// ReadTag reads the ID3 tag and the duration of an MP3 file.
func ReadTag(path string) (*id3.Tag, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("mix: %w", err)
	}
	defer f.Close()
	tag, err := id3.Read(f)
	if err != nil {
		return nil, 0, fmt.Errorf("mix: %s: %w", path, err)
	}
	info, err := mp3.Probe(f)
	if err != nil {
		return nil, 0, fmt.Errorf("mix: %s: %w", path, err)
	}
	return tag, info.Duration, nil
}
