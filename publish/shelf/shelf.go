// Package shelf writes the files that Audiobookshelf reads beside a book's
// audio: metadata.json in its own format, desc.txt (the description),
// reader.txt (the narrator) and cover.jpg. Audiobookshelf prefers, in
// rising priority, folder names, audio tags, desc.txt, reader.txt, an OPF
// and metadata.json; an image named cover.* wins over an embedded one.
package shelf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // PNG covers are converted to cover.jpg
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/internal/atomicfile"
)

// Book is what a shelf knows of an audiobook.
type Book struct {
	Title, Subtitle string
	Authors         []string
	Narrators       []string
	Series          string
	SeriesIndex     string // "2", "1.5"; empty when unknown
	Description     string
	Language        string
	Publisher       string
	PublishedYear   string
	Genres          []string
	Chapters        []Chapter
	Cover           []byte // JPEG or PNG data; nil when none
}

// Chapter is a chapter's place in the whole book's audio.
type Chapter struct {
	Title      string
	Start, End time.Duration
}

// Metadata is Audiobookshelf's metadata.json (the flat format of its
// server 2.x; unknown values are null, as Audiobookshelf writes them).
type Metadata struct {
	Tags      []string      `json:"tags"`
	Chapters  []MetaChapter `json:"chapters"`
	Title     *string       `json:"title"`
	Subtitle  *string       `json:"subtitle"`
	Authors   []string      `json:"authors"`
	Narrators []string      `json:"narrators"`
	// Series are "Name #sequence" strings, or "Name" alone.
	Series        []string `json:"series"`
	Genres        []string `json:"genres"`
	PublishedYear *string  `json:"publishedYear"`
	PublishedDate *string  `json:"publishedDate"`
	Publisher     *string  `json:"publisher"`
	Description   *string  `json:"description"`
	ISBN          *string  `json:"isbn"`
	ASIN          *string  `json:"asin"`
	Language      *string  `json:"language"`
	Explicit      bool     `json:"explicit"`
	Abridged      bool     `json:"abridged"`
}

// MetaChapter is a chapter of metadata.json; times are in seconds.
type MetaChapter struct {
	ID    int     `json:"id"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Title string  `json:"title"`
}

// Files written by Write.
const (
	MetadataFile = "metadata.json"
	DescFile     = "desc.txt"
	ReaderFile   = "reader.txt"
	CoverFile    = "cover.jpg"
)

// FromBook returns the metadata.json of b.
func FromBook(b Book) Metadata {
	m := Metadata{
		Tags: []string{}, Chapters: []MetaChapter{},
		Title: opt(b.Title), Subtitle: opt(b.Subtitle),
		Authors: clean(b.Authors), Narrators: clean(b.Narrators), Series: []string{}, Genres: clean(b.Genres),
		PublishedYear: opt(b.PublishedYear), Publisher: opt(b.Publisher),
		Description: optText(b.Description), Language: opt(b.Language),
	}
	if s := strings.TrimSpace(b.Series); s != "" {
		// Audiobookshelf reads the sequence after " #"; a sequence with
		// white space or "#" in it would not parse, so it is left out.
		if i := strings.TrimSpace(b.SeriesIndex); i != "" && !strings.ContainsAny(i, "# \t") {
			s += " #" + i
		}
		m.Series = append(m.Series, s)
	}
	for i, c := range b.Chapters {
		title := strings.TrimSpace(c.Title)
		if title == "" {
			// Audiobookshelf rejects a chapter without a title.
			title = fmt.Sprintf("Chapter %d", i+1)
		}
		m.Chapters = append(m.Chapters, MetaChapter{ID: i, Start: seconds(c.Start), End: seconds(c.End), Title: title})
	}
	return m
}

// Write writes metadata.json, and desc.txt, reader.txt and cover.jpg
// when there is a description, a narrator or a cover, into dir. It
// returns the paths written. A stale desc.txt, reader.txt or cover.jpg
// from an earlier render of a book without them is removed, so that the
// folder never describes another book.
func Write(dir string, b Book) ([]string, error) {
	var written []string
	put := func(name string, data []byte) error {
		p := filepath.Join(dir, name)
		if data == nil {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("shelf: %w", err)
			}
			return nil
		}
		if err := atomicfile.Write(p, data); err != nil {
			return fmt.Errorf("shelf: %w", err)
		}
		written = append(written, p)
		return nil
	}
	js, err := json.MarshalIndent(FromBook(b), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("shelf: %w", err)
	}
	if err := put(MetadataFile, append(js, '\n')); err != nil {
		return written, err
	}
	if err := put(DescFile, text(b.Description)); err != nil {
		return written, err
	}
	if err := put(ReaderFile, text(strings.Join(clean(b.Narrators), ", "))); err != nil {
		return written, err
	}
	cover, err := toJPEG(b.Cover)
	if err != nil {
		// A cover that does not decode is left out, not fatal: the audio
		// files carry it embedded, and the book is still shelved.
		cover = nil
	}
	if err := put(CoverFile, cover); err != nil {
		return written, err
	}
	return written, nil
}

// Read reads the metadata.json in dir.
func Read(dir string) (Metadata, error) {
	var m Metadata
	data, err := os.ReadFile(filepath.Join(dir, MetadataFile))
	if err != nil {
		return m, fmt.Errorf("shelf: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("shelf: %s: %w", filepath.Join(dir, MetadataFile), err)
	}
	return m, nil
}

// toJPEG returns JPEG data as it is and converts PNG; nil for no cover.
func toJPEG(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, nil
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) {
		return data, nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("shelf: cover: %w", err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("shelf: cover: %w", err)
	}
	return buf.Bytes(), nil
}

func text(s string) []byte {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return []byte(s + "\n")
}

func opt(s string) *string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return nil
	}
	return &s
}

// optText keeps a description's line breaks.
func optText(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

func clean(list []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range list {
		s = strings.Join(strings.Fields(s), " ")
		if s != "" && !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// seconds keeps whole milliseconds, as the M4B's and the MP3's chapter
// marks do, so that all of them give a chapter the same times.
func seconds(d time.Duration) float64 {
	return float64(d.Milliseconds()) / 1000
}
