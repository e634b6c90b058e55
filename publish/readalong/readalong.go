// Package readalong writes index.html, a read-along page of a narrated
// book: one self-contained file (no network, no build step) that plays
// the chapters in order, shows the text, highlights and scrolls to the
// span being spoken, seeks to a sentence when it is clicked and remembers
// the position. It works opened from disk (file://) and from any static
// web server. index.html?chapter=2&t=75 opens chapter 2 at 75 s with the
// span spoken then marked aria-current="true".
package readalong

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/narrate-audio/narrate/internal/atomicfile"
	"github.com/narrate-audio/narrate/publish/timeline"
	"github.com/narrate-audio/narrate/segment/book"
)

//go:embed page.html
var page string

// FileName is the page's name in the output folder.
const FileName = "index.html"

// data is what the page's script reads: short keys, since a long book's
// page carries every word of it.
type data struct {
	Title    string    `json:"title"`
	Authors  string    `json:"authors,omitempty"`
	Chapters []chapter `json:"chapters"`
}

type chapter struct {
	Title string `json:"title"`
	// Audio is the audio file's URL relative to the page.
	Audio    string  `json:"audio"`
	Offset   float64 `json:"offset"`
	Duration float64 `json:"duration"`
	Blocks   []block `json:"blocks"`
}

// block is a paragraph ("p"), heading ("h") or break ("b"); each piece is
// [text] or [text, id, begin, end].
type block struct {
	Kind   string  `json:"k"`
	Pieces [][]any `json:"p"`
}

// Render returns the page of b. Audio file names in b are relative to
// the folder the page is written to.
func Render(b *timeline.Book) ([]byte, error) {
	if len(b.Chapters) == 0 {
		return nil, errors.New("readalong: the book has no chapters")
	}
	title := strings.Join(strings.Fields(b.Title), " ")
	if title == "" {
		title = "Untitled"
	}
	d := data{Title: title, Authors: strings.Join(b.Authors, ", ")}
	for _, c := range b.Chapters {
		ct := strings.Join(strings.Fields(c.Title), " ")
		if ct == "" {
			ct = fmt.Sprintf("Chapter %d", c.Number)
		}
		out := chapter{Title: ct, Audio: (&url.URL{Path: c.Audio}).EscapedPath(), Offset: secs(c.Offset.Seconds()), Duration: secs(c.Duration.Seconds())}
		if strings.Contains(c.Audio, ":") {
			// "a:b.mp3" would read as a URL scheme.
			out.Audio = "./" + out.Audio
		}
		for _, blk := range c.Blocks {
			kind := "p"
			switch blk.Kind {
			case book.Heading:
				kind = "h"
			case book.Break:
				out.Blocks = append(out.Blocks, block{Kind: "b", Pieces: [][]any{}})
				continue
			}
			nb := block{Kind: kind, Pieces: [][]any{}}
			for _, p := range blk.Pieces {
				text := timeline.Squash(p.Text)
				if p.ID == "" {
					nb.Pieces = append(nb.Pieces, []any{text})
					continue
				}
				nb.Pieces = append(nb.Pieces, []any{text, p.ID, secs(p.Begin.Seconds()), secs(p.End.Seconds())})
			}
			out.Blocks = append(out.Blocks, nb)
		}
		d.Chapters = append(d.Chapters, out)
	}
	// json.Marshal escapes <, > and &, so no text can close the script
	// element that holds it.
	js, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("readalong: %w", err)
	}
	lang := "und"
	if t, err := language.Parse(strings.TrimSpace(b.Language)); err == nil && b.Language != "" {
		lang = t.String()
	}
	r := strings.NewReplacer("{{LANG}}", lang, "{{TITLE}}", html.EscapeString(title), "{{DATA}}", string(js))
	return []byte(r.Replace(page)), nil
}

// Write writes the page of b to path.
func Write(path string, b *timeline.Book) error {
	data, err := Render(b)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("readalong: %w", err)
	}
	return nil
}

// secs keeps milliseconds, the precision of the sync map.
func secs(s float64) float64 { return math.Round(s*1000) / 1000 }
