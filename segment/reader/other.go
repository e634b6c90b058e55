package reader

import (
	"bytes"
	"fmt"

	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/reader/epub"
	"github.com/narrate-audio/narrate/segment/reader/html"
	"github.com/narrate-audio/narrate/segment/reader/markdown"
)

// readOther dispatches to the readers of structured formats. Their
// offsets index each chapter's extracted text, not the file.
func readOther(f Format, path string, data []byte, o Options) (*book.Book, error) {
	var b *book.Book
	var err error
	switch f {
	case EPUB:
		b, err = epub.Read(bytes.NewReader(data), int64(len(data)), path, epub.Options{IncludeMatter: o.Matter})
	case HTML:
		b, err = html.Read(bytes.NewReader(data), html.Options{SkipNotes: !o.Notes})
	case Markdown:
		b, err = markdown.Read(bytes.NewReader(data))
	}
	if err != nil {
		if _, ok := err.(*epub.Error); ok {
			return nil, err // already names the file and entry
		}
		if be, ok := err.(*book.Error); ok && be.Path == "" {
			be.Path = path // a position in the file, such as Markdown's nesting
			return nil, be
		}
		return nil, &book.Error{Op: "read", Path: path, Err: err}
	}
	b.Source = path
	if f == EPUB {
		// The archive's inflated size is bounded, but not by as little.
		n := 0
		for _, ch := range b.Chapters {
			n += len(ch.Text)
		}
		if n > o.maxText() {
			return nil, &book.Error{Op: "read", Path: path, Err: fmt.Errorf("%w: %d bytes of text in its chapters, over the %d-byte limit", ErrTooLarge, n, o.maxText())}
		}
	}
	return b, nil
}
