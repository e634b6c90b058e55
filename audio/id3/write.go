package id3

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Padding is the number of zero bytes Bytes leaves after the frames, so
// tag editors can grow the tag later without rewriting the audio.
const Padding = 1024

// maxSyncsafe is the largest size a syncsafe integer can hold (28 bits).
const maxSyncsafe = 1<<28 - 1

// encUTF8 is the ID3v2.4 text encoding byte for UTF-8.
const encUTF8 = 0x03

// Bytes renders t as a complete ID3v2.4 tag (header, frames, padding), to be
// written in front of the MP3 audio. Empty fields are omitted.
func (t *Tag) Bytes() ([]byte, error) {
	var body bytes.Buffer
	w := &frameWriter{buf: &body}

	composer := t.Composer
	if composer == "" {
		composer = t.Narrator
	}
	lang := ""
	if t.Language != "" {
		var err error
		if lang, err = LanguageCode(t.Language); err != nil {
			return nil, err
		}
	}
	year := t.Year
	if year != "" && !validTimestamp(year) {
		return nil, fmt.Errorf("id3: year %q is not an ID3v2.4 timestamp (yyyy[-MM[-dd[THH[:mm[:ss]]]]])", year)
	}
	for _, f := range []struct{ id, v string }{
		{"TIT2", t.Title}, {"TALB", t.Album}, {"TPE1", t.Artist}, {"TPE2", t.AlbumArtist},
		{"TCOM", composer}, {"TCON", t.Genre}, {"TDRC", year}, {"TLAN", lang},
	} {
		w.text(f.id, f.v)
	}
	if t.Track < 0 || t.TrackTotal < 0 || (t.TrackTotal > 0 && t.Track > t.TrackTotal) {
		return nil, fmt.Errorf("id3: invalid track %d of %d", t.Track, t.TrackTotal)
	}
	if t.Track > 0 {
		v := strconv.Itoa(t.Track)
		if t.TrackTotal > 0 {
			v += "/" + strconv.Itoa(t.TrackTotal)
		}
		w.text("TRCK", v)
	}
	if t.Comment != "" {
		commLang := lang
		if commLang == "" {
			commLang = "XXX" // the spec's "unknown language"
		}
		var b []byte
		b = append(b, encUTF8)
		b = append(b, commLang...)
		b = append(b, 0) // empty short description
		b = append(b, t.Comment...)
		w.checkText("COMM", t.Comment)
		w.frame("COMM", b)
	}
	if t.Narrator != "" {
		w.txxx(narratorKey, t.Narrator)
	}
	keys := make([]string, 0, len(t.Extra))
	for k := range t.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic output
	for _, k := range keys {
		if k == "" {
			w.fail(fmt.Errorf("id3: TXXX with empty description"))
		}
		if strings.EqualFold(k, narratorKey) {
			w.fail(fmt.Errorf("id3: Extra[%q] clashes with the Narrator field", k))
		}
		w.txxx(k, t.Extra[k])
	}
	if t.Cover != nil {
		if !strings.HasPrefix(t.Cover.MIME, "image/") || len(t.Cover.Data) == 0 {
			return nil, fmt.Errorf("id3: cover needs an image MIME type and data (got %q, %d bytes)", t.Cover.MIME, len(t.Cover.Data))
		}
		var b []byte
		b = append(b, encUTF8)
		b = append(b, t.Cover.MIME...)
		b = append(b, 0, 3, 0) // MIME end, picture type 3 = front cover, empty description
		b = append(b, t.Cover.Data...)
		w.frame("APIC", b)
	}
	if len(t.Chapters) > 0 {
		if err := w.chapters(t.Chapters, firstNonEmpty(t.Album, t.Title, "Chapters")); err != nil {
			return nil, err
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	size := body.Len() + Padding
	if size > maxSyncsafe {
		return nil, fmt.Errorf("id3: tag of %d bytes exceeds the 256 MiB limit", size)
	}
	out := make([]byte, 0, 10+size)
	out = append(out, 'I', 'D', '3', 4, 0, 0) // version 2.4.0, no flags
	out = appendSyncsafe(out, uint32(size))
	out = append(out, body.Bytes()...)
	out = append(out, make([]byte, Padding)...)
	return out, nil
}

// frameWriter appends frames and keeps the first error, so the field list
// in Bytes reads as a table.
type frameWriter struct {
	buf *bytes.Buffer
	err error
}

func (w *frameWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *frameWriter) checkText(id, v string) {
	if !utf8.ValidString(v) {
		w.fail(fmt.Errorf("id3: %s is not valid UTF-8", id))
	}
	// NUL separates multiple values in ID3v2.4 text frames.
	if strings.IndexByte(v, 0) >= 0 {
		w.fail(fmt.Errorf("id3: %s contains a NUL byte", id))
	}
}

func (w *frameWriter) text(id, v string) {
	if v == "" {
		return
	}
	w.checkText(id, v)
	w.frame(id, append([]byte{encUTF8}, v...))
}

func (w *frameWriter) txxx(desc, v string) {
	w.checkText("TXXX:"+desc, desc)
	w.checkText("TXXX:"+desc, v)
	b := append([]byte{encUTF8}, desc...)
	b = append(b, 0)
	w.frame("TXXX", append(b, v...))
}

func (w *frameWriter) frame(id string, data []byte) {
	w.buf.Write(frameBytes(id, data))
}

// frameBytes renders one ID3v2.4 frame: ID, syncsafe size, no flags.
func frameBytes(id string, data []byte) []byte {
	b := make([]byte, 0, 10+len(data))
	b = append(b, id...)
	b = appendSyncsafe(b, uint32(len(data)))
	b = append(b, 0, 0)
	return append(b, data...)
}

// maxMillis is the largest chapter time a CHAP frame can hold.
const maxMillis = math.MaxUint32 - 1

func (w *frameWriter) chapters(chs []Chapter, tocTitle string) error {
	// The CTOC entry count is a single byte.
	if len(chs) > 255 {
		return fmt.Errorf("id3: %d chapters; a table of contents holds at most 255", len(chs))
	}
	ids := make([]string, len(chs))
	seen := map[string]bool{"toc": true}
	for i, c := range chs {
		id := c.ID
		if id == "" {
			id = "ch" + strconv.Itoa(i+1)
		}
		if seen[id] || strings.IndexByte(id, 0) >= 0 || !utf8.ValidString(id) {
			return fmt.Errorf("id3: chapter %d: element ID %q is reserved, duplicate or invalid", i+1, id)
		}
		seen[id] = true
		ids[i] = id
		if c.Start < 0 || c.End < c.Start || c.End.Milliseconds() > maxMillis {
			return fmt.Errorf("id3: chapter %d (%q): invalid span %v..%v", i+1, c.Title, c.Start, c.End)
		}
		if i > 0 && c.Start < chs[i-1].Start {
			// The CTOC is marked ordered, so the order must be the play order.
			return fmt.Errorf("id3: chapter %d (%q) starts at %v, before chapter %d", i+1, c.Title, c.Start, i)
		}
	}
	var toc []byte
	toc = append(toc, "toc"...)
	toc = append(toc, 0, 0x03, byte(len(chs))) // flags: top-level | ordered
	for _, id := range ids {
		toc = append(toc, id...)
		toc = append(toc, 0)
	}
	w.checkText("CTOC title", tocTitle)
	toc = append(toc, frameBytes("TIT2", append([]byte{encUTF8}, tocTitle...))...)
	w.frame("CTOC", toc)
	for i, c := range chs {
		var b []byte
		b = append(b, ids[i]...)
		b = append(b, 0)
		b = binary.BigEndian.AppendUint32(b, uint32(c.Start/time.Millisecond))
		b = binary.BigEndian.AppendUint32(b, uint32(c.End/time.Millisecond))
		b = append(b, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF) // no byte offsets
		if c.Title != "" {
			w.checkText("CHAP "+ids[i]+" title", c.Title)
			b = append(b, frameBytes("TIT2", append([]byte{encUTF8}, c.Title...))...)
		}
		w.frame("CHAP", b)
	}
	return nil
}

func appendSyncsafe(b []byte, v uint32) []byte {
	return append(b, byte(v>>21)&0x7F, byte(v>>14)&0x7F, byte(v>>7)&0x7F, byte(v)&0x7F)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// validTimestamp checks the ID3v2.4 timestamp shapes: yyyy, yyyy-MM,
// yyyy-MM-dd, yyyy-MM-ddTHH, yyyy-MM-ddTHH:mm, yyyy-MM-ddTHH:mm:ss.
func validTimestamp(s string) bool {
	const full = "dddd-dd-ddTdd:dd:dd"
	switch len(s) {
	case 4, 7, 10, 13, 16, 19:
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if full[i] == 'd' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if s[i] != full[i] {
			return false
		}
	}
	return true
}

// iso639 maps common ISO 639-1 codes to ISO 639-2 (terminology codes,
// which equal ISO 639-3 for these languages).
var iso639 = map[string]string{
	"ar": "ara", "bg": "bul", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan",
	"de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est",
	"eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle", "gl": "glg",
	"he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "isl",
	"it": "ita", "ja": "jpn", "ko": "kor", "la": "lat", "lt": "lit", "lv": "lav",
	"nb": "nob", "nl": "nld", "nn": "nno", "no": "nor", "pl": "pol", "pt": "por",
	"ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv", "sr": "srp", "sv": "swe",
	"sw": "swa", "th": "tha", "tr": "tur", "uk": "ukr", "vi": "vie", "zh": "zho",
}

// LanguageCode converts a language tag ("en", "en-US", "pt_BR", "eng") to
// the three-letter ISO 639-2 code ID3 uses.
func LanguageCode(lang string) (string, error) {
	primary := strings.ToLower(lang)
	if i := strings.IndexAny(primary, "-_"); i >= 0 {
		primary = primary[:i]
	}
	if len(primary) == 3 && isLower(primary) {
		return primary, nil
	}
	if c, ok := iso639[primary]; ok {
		return c, nil
	}
	// Any other two-letter code: x/text knows the three-letter code of
	// every ISO 639-1 language ("hy" -> "hye", "sw" -> "swa").
	if len(primary) == 2 {
		if b, err := language.ParseBase(primary); err == nil {
			return b.ISO3(), nil
		}
	}
	return "", fmt.Errorf("id3: unknown language %q (use an ISO 639-2 code such as \"eng\")", lang)
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
