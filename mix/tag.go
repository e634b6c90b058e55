package mix

import (
	"regexp"
	"strings"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/segment/book"
)

// BookTag is the ID3 tag every audio file of b shares: album (the book's
// title, else its file's name), author, narrator, year, language and
// cover. cover, when not nil, replaces the book's own.
func BookTag(b *book.Book, narrator string, cover *book.Image) *id3.Tag {
	t := &id3.Tag{Album: b.Name(), Genre: "Audiobook", Narrator: narrator, Comment: "Narrated by narrate"}
	if len(b.Authors) > 0 {
		t.Artist = strings.Join(b.Authors, ", ")
		t.AlbumArtist = t.Artist
	}
	// Tags must be valid ID3 values; a book's free-form date or language
	// that is not is left out rather than failing the render.
	if y := yearPattern.FindString(b.Year); y != "" {
		t.Year = y
	}
	if _, err := id3.LanguageCode(b.Language); err == nil {
		t.Language = b.Language
	}
	if cover != nil {
		t.Cover = &id3.Picture{MIME: cover.MIME, Data: cover.Data}
	}
	if t.Cover == nil && b.Cover != nil && (b.Cover.MIME == "image/jpeg" || b.Cover.MIME == "image/png") {
		t.Cover = &id3.Picture{MIME: b.Cover.MIME, Data: b.Cover.Data}
	}
	return t
}

var yearPattern = regexp.MustCompile(`\b[12][0-9]{3}\b`)
