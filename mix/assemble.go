package mix

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
)

// Part is one finished chapter of a book: its file, title and length.
type Part struct {
	Path     string
	Title    string
	Duration time.Duration
}

// Chapters lays parts end to end as chapter marks.
func Chapters(parts []Part) []id3.Chapter {
	var at time.Duration
	marks := make([]id3.Chapter, len(parts))
	for i, p := range parts {
		marks[i] = id3.Chapter{ID: fmt.Sprintf("ch%d", i+1), Title: p.Title, Start: at, End: at + p.Duration}
		at += p.Duration
	}
	return marks
}

// MaxChapters is the most chapters one MP3's table of contents holds.
const MaxChapters = 255

// Assemble encodes parts, written as Raw, into one MP3 at path in a single
// encoder pass, so that the joins between chapters are gapless, with an
// ID3 chapter frame (CHAP) per part, as Chapters lays them out, and a
// table of contents (CTOC) in the tag of o.
func Assemble(ctx context.Context, path string, parts []Part, o FileOptions) error {
	marks := Chapters(parts)
	if len(marks) > MaxChapters {
		return fmt.Errorf("mix: %d chapters: an MP3's table of contents holds at most %d; render one file per chapter instead", len(marks), MaxChapters)
	}
	tag := id3.Tag{}
	if o.Tag != nil {
		tag = *o.Tag
	}
	tag.Chapters = marks
	o.Tag, o.Format = &tag, MP3
	file, err := Create(path, o)
	if err != nil {
		return err
	}
	defer file.Abort()
	buf := make([]float32, 8192)
	raw := make([]byte, 2*len(buf))
	for _, p := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := copyRaw(file, p.Path, raw, buf); err != nil {
			return err
		}
	}
	return file.Commit()
}

// copyRaw feeds the Raw file at path to file.
func copyRaw(file *File, path string, raw []byte, buf []float32) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("mix: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	for {
		n, err := io.ReadFull(br, raw)
		k := n / 2
		for i := 0; i < k; i++ {
			buf[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
		}
		if k > 0 {
			if werr := file.Write(buf[:k]); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("mix: %w", err)
		}
	}
}
