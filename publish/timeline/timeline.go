// Package timeline lines a narrated book's text up with its audio: each
// chapter's paragraphs, cut into the spans that were spoken, each with
// its id and its time in the chapter's audio. The pipeline builds it once
// the audio is written; the EPUB 3 writer and the read-along page show it.
package timeline

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
)

// Book is a narrated book's text and timing.
type Book struct {
	Title    string
	Authors  []string
	Language string
	Narrator string
	Chapters []Chapter
}

// Chapter is one chapter: its audio and its text.
type Chapter struct {
	Number int
	Title  string
	// Audio is the audio file's name, relative to the output folder;
	// Offset is where the chapter starts in it (not zero when the whole
	// book is one file); Duration is the chapter's length.
	Audio    string
	Offset   time.Duration
	Duration time.Duration
	// FileDuration is the whole audio file's length.
	FileDuration time.Duration
	// Origin is the input document the chapter was read from, such as
	// an EPUB's archive entry; "" when unknown.
	Origin string
	Blocks []Block
}

// Block is a paragraph, heading or scene break.
type Block struct {
	Kind   book.Kind
	Pieces []Piece
}

// Piece is a run of a block's text: a spoken span when ID is set, else
// text that was not spoken (such as punctuation between two spans).
type Piece struct {
	// Text is the source text, exactly as the book has it.
	Text string
	// ID names a spoken span, unique in its chapter ("s12"; TitleID for
	// a spoken title the text itself does not have).
	ID string
	// Begin and End are the span's times in the chapter's audio.
	Begin, End time.Duration
	Speaker    string
}

// TitleID is the id of a chapter title that was spoken but is not in the
// text.
const TitleID = "title"

// Cue is a spoken piece's place in the chapter's audio, as the pipeline
// reports it: Index is the span's index in the chapter, -1 for a spoken
// title. A span spoken in several pieces has several cues.
type Cue struct {
	Index      int
	Begin, End time.Duration
}

// Audio is where a chapter's audio is.
type Audio struct {
	File                   string
	Offset, Duration, Full time.Duration
	Cues                   []Cue
}

// Build lines up b's chapters, segmented as chapters, with their audio:
// audio[i] is chapter i's.
func Build(b *book.Book, chapters []segment.Chapter, audio []Audio, narrator string) (*Book, error) {
	if len(chapters) != len(b.Chapters) || len(audio) != len(chapters) {
		return nil, fmt.Errorf("timeline: %d chapters, %d segmented, %d with audio", len(b.Chapters), len(chapters), len(audio))
	}
	out := &Book{Title: b.Name(), Authors: b.Authors, Language: b.Language, Narrator: narrator}
	for i := range chapters {
		out.Chapters = append(out.Chapters, chapter(&b.Chapters[i], &chapters[i], audio[i]))
	}
	return out, nil
}

func chapter(bc *book.Chapter, sc *segment.Chapter, a Audio) Chapter {
	ch := Chapter{Number: sc.Number, Title: sc.Title, Audio: a.File, Offset: a.Offset, Duration: a.Duration, FileDuration: a.Full, Origin: bc.Origin}
	// A span's time runs from its first piece's start to its last's end.
	type span struct {
		begin, end time.Duration
		ok         bool
	}
	times := make([]span, len(sc.Spans))
	var title span
	for _, c := range a.Cues {
		t := &title
		if c.Index >= 0 {
			if c.Index >= len(times) {
				continue
			}
			t = &times[c.Index]
		}
		if !t.ok || c.Begin < t.begin {
			t.begin = c.Begin
		}
		t.end = max(t.end, c.End)
		t.ok = true
	}
	if title.ok {
		ch.Blocks = append(ch.Blocks, Block{Kind: book.Heading, Pieces: []Piece{{Text: sc.Title, ID: TitleID, Begin: title.begin, End: title.end}}})
	}
	byPara := map[int][]int{}
	for i, s := range sc.Spans {
		byPara[s.Para] = append(byPara[s.Para], i)
	}
	for pi, p := range bc.Paragraphs {
		blk := Block{Kind: p.Kind}
		at := p.Start
		plain := func(to int) {
			if to > at {
				blk.Pieces = append(blk.Pieces, Piece{Text: bc.Text[at:to]})
				at = to
			}
		}
		for _, si := range byPara[pi] {
			s := sc.Spans[si]
			start, end := max(s.Start, at), min(s.End, p.End)
			if end <= start {
				continue
			}
			plain(start)
			piece := Piece{Text: bc.Text[start:end], Speaker: s.Speaker}
			if t := times[si]; t.ok && s.Kind != segment.Break {
				piece.ID, piece.Begin, piece.End = fmt.Sprintf("s%d", si), t.begin, t.end
			}
			blk.Pieces = append(blk.Pieces, piece)
			at = end
		}
		plain(p.End)
		if len(blk.Pieces) > 0 || p.Kind == book.Break {
			ch.Blocks = append(ch.Blocks, blk)
		}
	}
	return ch
}

// Spoken returns the chapter's spoken pieces in order.
func (c *Chapter) Spoken() []Piece {
	var out []Piece
	for _, b := range c.Blocks {
		for _, p := range b.Pieces {
			if p.ID != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Squash collapses each run of white space (line breaks included) to one
// space, for formats where a source's line wrapping means nothing.
func Squash(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
