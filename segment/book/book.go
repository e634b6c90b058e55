// Package book holds the document model that every reader produces: book
// metadata and an ordered list of chapters made of paragraphs. It is the
// shared vocabulary between the format readers and the span segmenter.
package book

import (
	"path/filepath"
	"strconv"
	"strings"
)

// Book is a parsed input, independent of its file format.
type Book struct {
	Title    string
	Authors  []string
	Language string // BCP 47 tag when known, such as "en"
	Year     string
	Summary  string
	// Subtitle, Publisher, Genres (subjects) and the series the book
	// belongs to with its place in it ("2", "1.5"), when the input says.
	Subtitle    string
	Publisher   string
	Genres      []string
	Series      string
	SeriesIndex string
	Cover       *Image
	// Source names the input for messages, usually its path.
	Source   string
	Chapters []Chapter
	// Pronunciations the book itself ships, such as an EPUB's PLS
	// lexicon: words and what to say instead.
	Pronunciations []Pronunciation
}

// Name is what to call the book: its title or, for an input without one
// (most plain-text files), its file's name without the extension.
func (b *Book) Name() string {
	if b.Title != "" || b.Source == "" {
		return b.Title
	}
	return strings.TrimSuffix(filepath.Base(b.Source), filepath.Ext(b.Source))
}

// Pronunciation says how to read a word aloud.
type Pronunciation struct {
	Word, Say string
}

// Image is an embedded picture, such as an EPUB cover.
type Image struct {
	MIME string
	Data []byte
}

// Chapter is one unit of output: one audio file per chapter.
type Chapter struct {
	// Title is the chapter's title as read aloud and written to tags.
	Title string
	// Text is the text that paragraph offsets index. For plain-text input
	// it is the whole input file, so offsets are file byte offsets; for
	// other formats it is the chapter's extracted text.
	Text       string
	Paragraphs []Paragraph
	// Untitled marks a chapter whose text gives it no title: its Title
	// is made from its number ("Chapter 3"), and lang.TitleChapters puts
	// it in the book's language.
	Untitled bool
	// Origin names the document the chapter was read from, for formats
	// made of several (an EPUB's archive entry, such as
	// "OEBPS/text/chapter-1.xhtml"); "" otherwise.
	Origin string
}

// Kind says what a paragraph is for the listener.
type Kind int

const (
	// Prose is ordinary text: narration and dialogue.
	Prose Kind = iota
	// Heading is a title line, read aloud in the narrator's voice.
	Heading
	// Break is a scene break, heard as a pause and never spoken.
	Break
	// Note is an author's note or similar aside, read only when the user
	// asks for notes.
	Note
)

func (k Kind) String() string {
	switch k {
	case Heading:
		return "heading"
	case Break:
		return "break"
	case Note:
		return "note"
	}
	return "prose"
}

// Paragraph is a run of text between blank lines (or its format's
// equivalent). Start and End are byte offsets into the chapter's Text, and
// Text[Start:End] is the paragraph's exact source text.
type Paragraph struct {
	Kind       Kind
	Start, End int
	// Speaker names who speaks the paragraph in a play, as the markup
	// says (a speech's persona, epub:type="z3998:persona"); "" for prose.
	// The text from Start to Label names them ("Algernon.") and is not
	// read aloud: each character speaks in a voice of their own.
	// Directions are the stage directions inside the speech, as offsets
	// into Text, read by the narrator.
	Speaker    string
	Label      int
	Directions [][2]int
}

// Source returns the exact text of paragraph p of chapter c.
func (c *Chapter) Source(p Paragraph) string { return c.Text[p.Start:p.End] }

// Words counts whitespace-separated words of a chapter's paragraphs.
func (c *Chapter) Words() int {
	n := 0
	for _, p := range c.Paragraphs {
		in := false
		for _, r := range c.Source(p) {
			space := r == ' ' || r == '\n' || r == '\t' || r == '\r'
			if !space && !in {
				n++
			}
			in = !space
		}
	}
	return n
}

// Error is a problem at a position in an input file. Line and Col are
// 1-based; Col counts bytes. A zero Line means the position is unknown.
type Error struct {
	Op   string // the stage, such as "segment" or "read"
	Path string
	Line int
	Col  int
	Err  error
}

func (e *Error) Error() string {
	s := e.Op + ": " + e.Path
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col)
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Position returns the 1-based line and byte column of offset in text.
func Position(text string, offset int) (line, col int) {
	offset = min(max(offset, 0), len(text))
	line = 1 + strings.Count(text[:offset], "\n")
	col = offset - strings.LastIndexByte(text[:offset], '\n')
	return line, col
}
