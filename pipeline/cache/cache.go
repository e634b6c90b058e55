// Package cache stores synthesized span audio by content address, so
// that a rerun after a crash, an edit or on another machine never pays
// for the same speech twice. Entries are write-once: a key names exactly
// one piece of audio, and a corrupt or truncated entry is detected on
// read and treated as missing.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"

	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/synth"
)

// ErrNotFound is returned by Store.Get for a key that is not stored.
var ErrNotFound = errors.New("cache: not found")

// ErrCorrupt wraps entries that fail verification.
var ErrCorrupt = errors.New("cache: corrupt entry")

// Store holds entries by key. Put must be atomic: a reader sees a whole
// entry or none. Implementations must be safe for concurrent use, also by
// several processes sharing the same storage.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Put(ctx context.Context, key string, data []byte) error
}

// Key derives the cache key of a request to a backend. Everything that
// changes the audio is part of it: backend, model and settings, voice,
// rate, pitch, context texts and the text itself.
func Key(info synth.Info, req synth.Request) string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field("narrate-span-v1")
	field(info.Name)
	field(info.Model)
	field(req.Voice)
	field(strconv.FormatFloat(req.Rate, 'g', -1, 64))
	field(strconv.FormatFloat(req.Pitch, 'g', -1, 64))
	field(req.Previous)
	field(req.Next)
	field(req.Text)
	return hex.EncodeToString(h.Sum(nil))
}

// Entry layout: magic, sample rate, sample count, CRC-32 of the samples,
// then the samples as little-endian IEEE float32. Float32 keeps the
// backend's audio exactly, so a render from cache is sample-identical to
// one that synthesized.
const (
	magic      = "NRS1"
	headerSize = 4 + 4 + 8 + 4
)

// Encode serialises audio for storage.
func Encode(b pcm.Buffer) []byte {
	out := make([]byte, headerSize+4*len(b.Samples))
	copy(out, magic)
	binary.LittleEndian.PutUint32(out[4:], uint32(b.Rate))
	binary.LittleEndian.PutUint64(out[8:], uint64(len(b.Samples)))
	body := out[headerSize:]
	for i, v := range b.Samples {
		binary.LittleEndian.PutUint32(body[4*i:], math.Float32bits(v))
	}
	binary.LittleEndian.PutUint32(out[16:], crc32.ChecksumIEEE(body))
	return out
}

// Decode parses and verifies an entry.
func Decode(data []byte) (pcm.Buffer, error) {
	if len(data) < headerSize || string(data[:4]) != magic {
		return pcm.Buffer{}, fmt.Errorf("%w: bad header", ErrCorrupt)
	}
	rate := int(binary.LittleEndian.Uint32(data[4:]))
	n := binary.LittleEndian.Uint64(data[8:])
	body := data[headerSize:]
	if uint64(len(body)) != 4*n {
		return pcm.Buffer{}, fmt.Errorf("%w: %d bytes of samples, header says %d", ErrCorrupt, len(body), 4*n)
	}
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[16:]) {
		return pcm.Buffer{}, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	if rate <= 0 && n > 0 {
		return pcm.Buffer{}, fmt.Errorf("%w: sample rate %d", ErrCorrupt, rate)
	}
	s := make([]float32, n)
	for i := range s {
		s[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:]))
	}
	return pcm.Buffer{Rate: rate, Samples: s}, nil
}
