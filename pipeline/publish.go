package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/publish/epub3"
	"github.com/narrate-audio/narrate/publish/readalong"
	"github.com/narrate-audio/narrate/publish/shelf"
	"github.com/narrate-audio/narrate/publish/timeline"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
)

// Layouts of the output folder.
const (
	// LayoutFlat writes into the output folder itself.
	LayoutFlat = "flat"
	// LayoutLibrary writes into DIR/<Author>/<Title>/, the folders an
	// Audiobookshelf library expects.
	LayoutLibrary = "library"
)

// Fallbacks for a book that does not say.
const (
	unknownAuthor = "Unknown Author"
	untitled      = "Untitled"
)

// LibraryDir is the folder of b in a library rooted at root:
// root/<Author>/<Title>, with names safe on every file system; several
// authors are joined with " & ", as Audiobookshelf splits them.
func LibraryDir(root string, b *book.Book) string {
	var authors []string
	for _, a := range b.Authors {
		if a = SafeName(a); a != "" {
			authors = append(authors, a)
		}
	}
	author := SafeName(strings.Join(authors, " & "))
	if author == "" {
		author = unknownAuthor
	}
	return filepath.Join(root, author, bookName(b))
}

// bookName names the book's own files: its title, else its input file's
// name, else "Untitled".
func bookName(b *book.Book) string {
	if n := SafeName(b.Name()); n != "" {
		return n
	}
	return untitled
}

// publish writes what is made from the finished chapters: the
// Audiobookshelf files, and the narrated EPUB and the read-along page
// when asked. parts are the
// chapters as mixed (the chapter files, or the pieces of a single file).
func (r *run) publish(chapters []segment.Chapter, parts []Output, res *Result) error {
	tag := r.bookTag()
	sb := shelf.Book{
		Title: tag.Album, Subtitle: r.book.Subtitle, Authors: r.book.Authors,
		Series: r.book.Series, SeriesIndex: r.book.SeriesIndex, Description: r.book.Summary,
		Language: r.book.Language, Publisher: r.book.Publisher, PublishedYear: tag.Year, Genres: r.book.Genres,
	}
	if r.opts.Narrator != "" {
		sb.Narrators = []string{r.opts.Narrator}
	}
	if tag.Cover != nil {
		sb.Cover = tag.Cover.Data
	}
	var at time.Duration
	for _, p := range parts {
		sb.Chapters = append(sb.Chapters, shelf.Chapter{Title: p.Title, Start: at, End: at + p.Duration})
		at += p.Duration
	}
	if _, err := shelf.Write(r.dir, sb); err != nil {
		return err
	}
	if !r.needsSync() {
		return nil
	}
	tl, err := r.timeline(chapters, parts, res)
	if err != nil {
		return err
	}
	if r.opts.EPUB {
		if r.opts.Format != "mp3" {
			return errors.New("pipeline: a narrated EPUB needs MP3 audio (output.format mp3)")
		}
		var cover *book.Image
		if tag.Cover != nil {
			cover = &book.Image{MIME: tag.Cover.MIME, Data: tag.Cover.Data}
		}
		res.EPUB = filepath.Join(r.dir, bookName(r.book)+".epub")
		o := epub3.Options{AudioDir: r.dir, Cover: cover}
		if r.opts.EPUBKeep && strings.EqualFold(filepath.Ext(r.book.Source), ".epub") {
			o.Source = r.book.Source
		}
		if res.EPUBKept, err = epub3.Write(res.EPUB, tl, o); err != nil {
			return err
		}
	}
	if r.opts.Player {
		res.Page = filepath.Join(r.dir, readalong.FileName)
		if err := readalong.Write(res.Page, tl); err != nil {
			return err
		}
	}
	return nil
}

// needsSync reports whether an output made after the audio needs every
// chapter's sync map.
func (r *run) needsSync() bool { return r.opts.EPUB || r.opts.Player }

// timeline lines the book's text up with the audio just written.
func (r *run) timeline(chapters []segment.Chapter, parts []Output, res *Result) (*timeline.Book, error) {
	audio := make([]timeline.Audio, len(parts))
	var at time.Duration
	for i, p := range parts {
		a := timeline.Audio{File: filepath.Base(p.Path), Duration: p.Duration, Full: p.Duration}
		if r.opts.SingleFile {
			a.File, a.Offset, a.Full = filepath.Base(res.Files[0].Path), at, res.Duration
		}
		cues := p.Cues
		if len(cues) == 0 && !r.opts.SingleFile {
			// A chapter reused from an earlier render: its sync map has
			// the cues.
			var err error
			if cues, err = readCues(p.Path); err != nil {
				return nil, err
			}
		}
		for _, c := range cues {
			a.Cues = append(a.Cues, timeline.Cue{Index: c.Index, Begin: ms(c.Begin), End: ms(c.End)})
		}
		audio[i] = a
		at += p.Duration
	}
	return timeline.Build(r.book, chapters, audio, r.opts.Narrator)
}

func readCues(audio string) ([]Cue, error) {
	path := strings.TrimSuffix(audio, filepath.Ext(audio)) + ".json"
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pipeline: sync map of %s: %w", filepath.Base(audio), err)
	}
	var sm syncMap
	if err := json.Unmarshal(data, &sm); err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", path, err)
	}
	return sm.Cues, nil
}
