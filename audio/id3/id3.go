// Package id3 writes ID3v2.4 tags for audiobook MP3 files, including
// chapter marks (the ID3v2 Chapter Frame Addendum: CHAP and CTOC), and
// reads ID3v2.3 and ID3v2.4 tags back.
//
// Audiobook conventions followed (there is no standard narrator frame in
// ID3v2):
//   - Artist (TPE1) and AlbumArtist (TPE2) hold the author; Album (TALB)
//     the book title.
//   - The narrator is written to a user text frame TXXX with description
//     "NARRATOR" (lossless and unambiguous) and, when Composer is empty, also
//     to the composer frame TCOM, because audiobook players and taggers read
//     the narrator from the composer field: audiobookshelf maps composer to
//     narrator (advplyr/audiobookshelf#289), as do the mp3tag Audible web
//     sources and Libation (rmcrackan/Libation#346). An explicit Composer
//     always wins for TCOM. Read fills Narrator from TXXX:NARRATOR only, and
//     Composer from TCOM as stored.
//   - Chapters become CHAP frames with an embedded TIT2, listed in one
//     top-level, ordered CTOC. Byte offsets are 0xFFFFFFFF ("use the
//     times"), so the tag stays valid whatever the audio's size.
package id3

import (
	"errors"
	"time"
)

// Tag is the metadata of one audio file.
type Tag struct {
	Title       string // TIT2: the file's title (chapter or book)
	Album       string // TALB: the book title
	Artist      string // TPE1: the author, as players show it
	AlbumArtist string // TPE2: the author, for grouping books
	Composer    string // TCOM
	Narrator    string // TXXX:NARRATOR, and TCOM if Composer is empty
	Genre       string // TCON, e.g. "Audiobook"
	Year        string // TDRC (TYER in v2.3 input): "2024" or an ISO 8601 date
	// Language is written to TLAN as an ISO 639-2 code: three-letter codes
	// are kept, common two-letter ones ("en", "en-GB") are mapped ("eng").
	Language   string
	Comment    string // COMM with an empty description
	Track      int    // TRCK "n/N"; 0 = not set
	TrackTotal int    // the N of TRCK; 0 = unknown
	Cover      *Picture
	Chapters   []Chapter
	// Extra holds other user text frames (TXXX), description -> value.
	Extra map[string]string
}

// Picture is an attached picture (APIC); it is written as the front cover.
type Picture struct {
	MIME string // "image/jpeg" or "image/png"
	Data []byte
}

// Chapter is one chapter mark. Start and End are offsets from the start of
// the audio, stored with millisecond precision.
type Chapter struct {
	ID    string // element ID, unique in the tag; generated ("ch1"...) if empty
	Title string
	Start time.Duration
	End   time.Duration
}

// ErrNoTag is returned by Read when the input does not start with an ID3v2
// tag.
var ErrNoTag = errors.New("id3: no ID3v2 tag")

// narratorKey is the TXXX description used for the narrator.
const narratorKey = "NARRATOR"
