// Package mix makes the audio a listener gets from the audio of the spans.
// A Chapter trims the silence engines leave around speech, levels each
// span, inserts the pauses a human narrator would make and streams the
// result to a File, so that a chapter is never held in memory as a whole.
// A File encodes (MP3 with its ID3 tag, WAV, or raw PCM) under a temporary
// name and takes its final name only when complete. Assemble joins raw
// chapters into one gapless MP3 with chapter marks, and M4B makes an
// AAC audiobook with chapters from finished MP3 files.
package mix

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/narrate-audio/narrate/audio/loudness"
	"github.com/narrate-audio/narrate/audio/pcm"
)

// Sink receives the chapter's samples in order, as an encoder does.
type Sink interface {
	Write(samples []float32) error
}

// Pauses are the silences inserted between pieces.
type Pauses struct {
	Sentence     time.Duration // where a long span was split at a sentence end
	Span         time.Duration // between spans of one paragraph
	Paragraph    time.Duration // between paragraphs
	Speaker      time.Duration // between lines of different characters
	Scene        time.Duration // at a scene break
	Title        time.Duration // after the chapter title
	ChapterStart time.Duration // room tone before the first words
	ChapterEnd   time.Duration // room tone after the last words
}

// Role is what a piece is for pacing.
type Role int

// Roles of pieces.
const (
	Speech Role = iota
	Title       // the chapter title
	Scene       // a scene break: no audio, only a pause
)

// Piece is one span's audio with what pacing needs to know about it.
type Piece struct {
	Audio pcm.Buffer
	Role  Role
	// Para is the paragraph index; pieces of one paragraph get the short
	// span pause.
	Para int
	// Speaker names the character speaking, "" for the narrator.
	Speaker string
	// Continues marks the next sentences of the previous piece's span,
	// which was split to keep requests and memory small.
	Continues bool
}

// Mark is where a piece's audio sits in the chapter.
type Mark struct {
	Start, End time.Duration
}

// Levels set how spans are levelled.
type Levels struct {
	// TargetRMS is the RMS level of speech in dBFS that every span is
	// brought to, so that voices from different engines match.
	TargetRMS float64
	// Ceiling is the highest sample peak allowed, in dBFS.
	Ceiling float64
	// Silence is the level in dBFS under which audio at the ends of a
	// span counts as silence and is trimmed; 0 means DefaultSilence.
	Silence float64
	// RoomTone is the RMS level in dBFS of the soft noise that fills
	// pauses, as a studio's room tone does. 0 (the zero value), or -100
	// and below, leave pauses digitally silent, which some listeners hear
	// as drop-outs.
	RoomTone float64
}

// DefaultSilence is the trimming threshold of Levels.Silence left at 0.
// The other levels are the caller's choice (config.Default holds the
// shipped ones): a ceiling or room tone of 0 dBFS means what it says.
const DefaultSilence = -50.0

// Chapter streams one chapter to a sink, through a look-ahead limiter
// that keeps every peak under the ceiling.
type Chapter struct {
	sink    Sink
	limiter *loudness.Limiter
	rate    int
	pauses  Pauses
	levels  Levels
	pos     int64 // samples written
	prev    *Piece
	pend    time.Duration // pause owed before the next piece
	tone    roomTone
	scaled  []float32 // the levelled piece being written, reused
	buf     []float32
}

// NewChapter starts a chapter written to sink at the given sample rate.
func NewChapter(sink Sink, rate int, p Pauses, l Levels) *Chapter {
	if l.Silence == 0 {
		l.Silence = DefaultSilence
	}
	return &Chapter{sink: sink, rate: rate, pauses: p, levels: l, limiter: loudness.NewLimiter(rate, l.Ceiling), tone: newRoomTone(l.RoomTone)}
}

// Add appends a piece and returns where its audio landed.
func (c *Chapter) Add(p Piece) (Mark, error) {
	if p.Role == Scene {
		if c.prev != nil {
			c.pend = max(c.pend, c.pauses.Scene)
		}
		return Mark{Start: c.now(), End: c.now()}, nil
	}
	if len(p.Audio.Samples) > 0 && p.Audio.Rate != c.rate {
		return Mark{}, fmt.Errorf("mix: piece at %d Hz in a %d Hz chapter", p.Audio.Rate, c.rate)
	}
	samples := Trim(p.Audio.Samples, p.Audio.Rate, c.levels.Silence)
	if len(samples) == 0 {
		return Mark{Start: c.now(), End: c.now()}, nil
	}
	if err := c.silence(c.pauseBefore(p)); err != nil {
		return Mark{}, err
	}
	start := c.now()
	gain := loudness.Level(samples, c.levels.TargetRMS, c.levels.Ceiling)
	// The levelled copy goes to a buffer the chapter keeps: the piece's
	// own audio may be shared (the cache, repeated spans), and a new
	// buffer per piece doubles what the render allocates.
	c.scaled = slices.Grow(c.scaled[:0], len(samples))[:len(samples)]
	out := c.scaled
	for i, v := range samples {
		out[i] = v * gain
	}
	if err := c.write(out); err != nil {
		return Mark{}, err
	}
	c.pend = 0
	prev := p
	prev.Audio = pcm.Buffer{}
	c.prev = &prev
	return Mark{Start: start, End: c.now()}, nil
}

// Close writes the closing room tone and returns the chapter's length.
func (c *Chapter) Close() (time.Duration, error) {
	if c.prev == nil {
		if err := c.silence(c.pauses.ChapterStart); err != nil {
			return 0, err
		}
	}
	if err := c.silence(c.pauses.ChapterEnd); err != nil {
		return 0, err
	}
	if tail := c.limiter.Flush(); len(tail) > 0 {
		if err := c.sink.Write(tail); err != nil {
			return 0, err
		}
	}
	return c.now(), nil
}

// write sends samples through the limiter to the sink. The limiter's
// delay is compensated, so positions count input samples.
func (c *Chapter) write(s []float32) error {
	c.pos += int64(len(s))
	if out := c.limiter.Process(s); len(out) > 0 {
		return c.sink.Write(out)
	}
	return nil
}

func (c *Chapter) now() time.Duration { return pcm.D(c.rate, int(c.pos)) }

// pauseBefore decides the silence between the previous piece and p.
func (c *Chapter) pauseBefore(p Piece) time.Duration {
	prev := c.prev
	var d time.Duration
	switch {
	case prev == nil:
		d = c.pauses.ChapterStart
	case prev.Role == Title:
		d = c.pauses.Title
	case p.Continues:
		d = c.pauses.Sentence
	case p.Para != prev.Para:
		d = c.pauses.Paragraph
	default:
		d = c.pauses.Span
	}
	if prev != nil && p.Speaker != prev.Speaker && p.Speaker != "" && prev.Speaker != "" {
		d = max(d, c.pauses.Speaker)
	}
	return max(d, c.pend)
}

func (c *Chapter) silence(d time.Duration) error {
	n := pcm.N(c.rate, d)
	if c.buf == nil {
		c.buf = make([]float32, 4096)
	}
	for n > 0 {
		k := min(n, len(c.buf))
		c.tone.fill(c.buf[:k])
		if err := c.write(c.buf[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// roomTone makes soft, slightly dark noise. Its generator is seeded the
// same for every chapter, so that renders are sample-identical.
type roomTone struct {
	gain  float32 // 0: digital silence
	state uint64
	low   float32
}

func newRoomTone(db float64) roomTone {
	if db <= -100 || db >= 0 {
		return roomTone{}
	}
	// White noise in [-1, 1] has RMS 1/sqrt(3); the one-pole low-pass
	// below keeps about 0.577 of that, measured on a long run.
	g := math.Pow(10, db/20) / (0.5773 * 0.577)
	return roomTone{gain: float32(g), state: 0x9E3779B97F4A7C15}
}

func (t *roomTone) fill(s []float32) {
	if t.gain == 0 {
		clear(s)
		return
	}
	for i := range s {
		// xorshift64*: cheap, deterministic, good enough for noise.
		t.state ^= t.state >> 12
		t.state ^= t.state << 25
		t.state ^= t.state >> 27
		v := float32(int32((t.state*0x2545F4914F6CDD1D)>>32)) / (1 << 31)
		t.low += 0.5 * (v - t.low)
		s[i] = t.low * t.gain
	}
}
