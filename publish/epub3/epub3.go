// Package epub3 writes a narrated EPUB 3: the book's chapters as XHTML
// with an id on every spoken span, the chapter audio, and EPUB 3 Media
// Overlays (one SMIL document per chapter, one <par> per spoken span) so
// that reading systems highlight the text as it is read aloud.
package epub3

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/narrate-audio/narrate/internal/atomicfile"
	"github.com/narrate-audio/narrate/publish/timeline"
	"github.com/narrate-audio/narrate/segment/book"
)

// ActiveClass is the CSS class a reading system puts on the span being
// read (media:active-class); the book's style sheet highlights it.
const ActiveClass = "-epub-media-overlay-active"

// Options are what the EPUB carries beyond the timeline.
type Options struct {
	// AudioDir is where the timeline's audio files are.
	AudioDir string
	Cover    *book.Image
	// Modified is the package's dcterms:modified; zero means now.
	Modified time.Time
	// Source is the input EPUB, when the book is one: its documents are
	// kept, with ids added on the spoken spans, where the chapters came
	// from (timeline.Chapter.Origin).
	Source string
}

// Write writes the narrated EPUB of b to path. The file appears only when
// complete. With o.Source it keeps the input EPUB's documents where it
// can, and says how many it kept and rebuilt; otherwise, or when the
// input cannot be kept, the documents are made from the text.
func Write(path string, b *timeline.Book, o Options) (Kept, error) {
	var kept Kept
	if len(b.Chapters) == 0 {
		return kept, errors.New("epub3: the book has no chapters")
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return kept, fmt.Errorf("epub3: %w", err)
	}
	defer f.Abort()
	if o.Source != "" {
		kept, err = writeKept(f, b, o)
		if errors.Is(err, errNotKept) {
			// Made from the text instead, into the same file.
			kept = Kept{}
			if err = f.Truncate(0); err == nil {
				_, err = f.Seek(0, io.SeekStart)
			}
			if err == nil {
				err = write(f, b, o)
			}
		}
	} else {
		err = write(f, b, o)
	}
	if err != nil {
		return Kept{}, fmt.Errorf("epub3: writing %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return Kept{}, fmt.Errorf("epub3: %w", err)
	}
	return kept, nil
}

// doc is one chapter's XHTML and overlay.
type doc struct {
	ch       *timeline.Chapter
	name     string // "c001"
	audio    string // href of its audio, relative to the package
	duration time.Duration
	overlay  bool // the chapter has a media overlay
}

func write(w io.Writer, b *timeline.Book, o Options) error {
	z := zip.NewWriter(w)
	if err := writeMimetype(z); err != nil {
		return err
	}
	put := func(name string, data []byte) error {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}
	if err := put("META-INF/container.xml", []byte(containerXML)); err != nil {
		return err
	}
	lang := langTag(b.Language)
	width := max(3, len(fmt.Sprint(len(b.Chapters))))
	audioHref := map[string]string{}
	var audioOrder []string
	docs := make([]doc, len(b.Chapters))
	for i := range b.Chapters {
		ch := &b.Chapters[i]
		d := doc{ch: ch, name: fmt.Sprintf("c%0*d", width, i+1)}
		if _, ok := audioHref[ch.Audio]; !ok {
			audioHref[ch.Audio] = fmt.Sprintf("audio/a%0*d%s", width, len(audioOrder)+1, strings.ToLower(filepath.Ext(ch.Audio)))
			audioOrder = append(audioOrder, ch.Audio)
		}
		d.audio = audioHref[ch.Audio]
		docs[i] = d
	}
	for i := range docs {
		x, err := chapterXHTML(docs[i], lang)
		if err != nil {
			return err
		}
		if err := put("EPUB/text/"+docs[i].name+".xhtml", x); err != nil {
			return err
		}
		s, dur, err := overlay(docs[i])
		if err != nil {
			return err
		}
		docs[i].duration, docs[i].overlay = dur, s != nil
		if s == nil {
			continue
		}
		if err := put("EPUB/smil/"+docs[i].name+".smil", s); err != nil {
			return err
		}
	}
	if err := put("EPUB/nav.xhtml", nav(b, docs, lang)); err != nil {
		return err
	}
	if err := put("EPUB/style.css", []byte(styleCSS)); err != nil {
		return err
	}
	cover := ""
	if c := o.Cover; c != nil {
		switch c.MIME {
		case "image/jpeg":
			cover = "cover.jpg"
		case "image/png":
			cover = "cover.png"
		case "image/gif":
			cover = "cover.gif"
		}
		if cover != "" {
			if err := put("EPUB/"+cover, c.Data); err != nil {
				return err
			}
		}
	}
	for _, a := range audioOrder {
		if err := copyAudio(z, "EPUB/"+audioHref[a], filepath.Join(o.AudioDir, a)); err != nil {
			return err
		}
	}
	modified := o.Modified
	if modified.IsZero() {
		modified = time.Now()
	}
	opf := packageDoc(b, docs, audioOrder, audioHref, cover, lang, modified)
	if err := put("EPUB/package.opf", opf); err != nil {
		return err
	}
	return z.Close()
}

// writeMimetype writes the archive's first entry: stored, without extra
// fields or a data descriptor, so that its bytes sit at a fixed offset
// (OCF).
func writeMimetype(z *zip.Writer) error {
	mt := []byte("application/epub+zip")
	w, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE(mt),
		CompressedSize64: uint64(len(mt)), UncompressedSize64: uint64(len(mt))})
	if err == nil {
		_, err = w.Write(mt)
	}
	return err
}

// copyAudio stores an audio file uncompressed: MP3 does not deflate, and
// reading systems seek in stored entries.
func copyAudio(z *zip.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}

const containerXML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`

const styleCSS = `body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2 { text-align: center; }
hr { border: none; text-align: center; margin: 1.5em 0; }
hr::after { content: "* * *"; }
.` + ActiveClass + ` { background-color: #ffe58a; color: #000; }
`

// langTag returns the book's language as a well-formed BCP 47 tag, or
// "und" (undetermined) when it is missing or malformed.
func langTag(s string) string {
	t, err := language.Parse(strings.TrimSpace(s))
	if err != nil || s == "" {
		return "und"
	}
	return t.String()
}

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string { return strings.ReplaceAll(esc(s), `"`, "&quot;") }

func chapterTitle(ch *timeline.Chapter) string {
	if t := strings.Join(strings.Fields(ch.Title), " "); t != "" {
		return t
	}
	return fmt.Sprintf("Chapter %d", ch.Number)
}

func chapterXHTML(d doc, lang string) ([]byte, error) {
	return page(chapterTitle(d.ch), lang, "../style.css", nil, []*timeline.Chapter{d.ch}, func(_ *timeline.Chapter, p timeline.Piece) string { return p.ID }), nil
}

// xhtmlHead opens an XHTML document: declaration, head with its title and
// style sheet, and the body's start tag.
func xhtmlHead(b *bytes.Buffer, title, lang, css string) {
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="%s" lang="%s">
<head>
<meta charset="utf-8"/>
<title>%s</title>
<link rel="stylesheet" type="text/css" href="%s"/>
</head>
<body>
`, lang, lang, esc(title), attr(css))
}

// page writes an XHTML document of chapters, one section each; anchors
// are empty spans with ids the document must keep (targets of links into
// a document it replaces). id names a spoken piece's element.
func page(title, lang, css string, anchors []string, chs []*timeline.Chapter, id func(*timeline.Chapter, timeline.Piece) string) []byte {
	var b bytes.Buffer
	xhtmlHead(&b, title, lang, css)
	for _, a := range anchors {
		fmt.Fprintf(&b, "<span id=\"%s\"></span>\n", attr(a))
	}
	for _, ch := range chs {
		section(&b, ch, id)
	}
	b.WriteString("</body>\n</html>\n")
	return b.Bytes()
}

func section(b *bytes.Buffer, ch *timeline.Chapter, id func(*timeline.Chapter, timeline.Piece) string) {
	title := chapterTitle(ch)
	fmt.Fprintf(b, "<section epub:type=\"chapter\" aria-label=\"%s\">\n", attr(title))
	headed := false
	for _, blk := range ch.Blocks {
		switch blk.Kind {
		case book.Break:
			b.WriteString("<hr/>\n")
			continue
		case book.Heading:
			tag := "h2"
			if !headed {
				tag = "h1"
			}
			headed = true
			fmt.Fprintf(b, "<%s>", tag)
			pieces(b, ch, blk.Pieces, id)
			fmt.Fprintf(b, "</%s>\n", tag)
			continue
		}
		if !headed {
			// Every document gets a heading, for navigation and for
			// readers; the text's own first line is not one.
			fmt.Fprintf(b, "<h1 class=\"title\">%s</h1>\n", esc(title))
			headed = true
		}
		b.WriteString("<p>")
		pieces(b, ch, blk.Pieces, id)
		b.WriteString("</p>\n")
	}
	if !headed {
		fmt.Fprintf(b, "<h1 class=\"title\">%s</h1>\n", esc(title))
	}
	b.WriteString("</section>\n")
}

func pieces(b *bytes.Buffer, ch *timeline.Chapter, ps []timeline.Piece, id func(*timeline.Chapter, timeline.Piece) string) {
	for i, p := range ps {
		text := timeline.Squash(p.Text)
		if i == 0 {
			text = strings.TrimLeft(text, " ")
		}
		if i == len(ps)-1 {
			text = strings.TrimRight(text, " ")
		}
		if p.ID == "" {
			b.WriteString(esc(text))
			continue
		}
		fmt.Fprintf(b, `<span id="%s">%s</span>`, attr(id(ch, p)), esc(text))
	}
}

// overlay writes a chapter's SMIL: one <par> per spoken span, with clip
// times in the audio file's own time base. It returns the overlay's
// duration, the sum of its clips.
func overlay(d doc) ([]byte, time.Duration, error) {
	text := "../text/" + d.name + ".xhtml"
	return smil([]*timeline.Chapter{d.ch}, func(_ *timeline.Chapter, p timeline.Piece) (string, bool) {
		return text + "#" + p.ID, true
	}, func(*timeline.Chapter) string { return "../" + d.audio })
}

// smil writes the overlay of a document's chapters. target gives a
// spoken piece's text reference, false for a piece the document does
// not show; audio gives a chapter's audio reference. It returns nil for
// a document with nothing spoken, as an empty body is not valid SMIL.
func smil(chs []*timeline.Chapter, target func(*timeline.Chapter, timeline.Piece) (string, bool), audio func(*timeline.Chapter) string) ([]byte, time.Duration, error) {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
`)
	var total time.Duration
	n := 0
	for _, ch := range chs {
		for _, p := range ch.Spoken() {
			begin, end := clip(ch.Offset+p.Begin), clip(ch.Offset+p.End)
			if end <= begin {
				continue
			}
			if ch.FileDuration > 0 && end > ch.FileDuration {
				return nil, 0, fmt.Errorf("epub3: chapter %d, span %s ends at %s, after its audio's end %s", ch.Number, p.ID, end, ch.FileDuration)
			}
			ref, ok := target(ch, p)
			if !ok {
				continue
			}
			n++
			fmt.Fprintf(&b, "<par id=\"par%d\"><text src=\"%s\"/><audio src=\"%s\" clipBegin=\"%s\" clipEnd=\"%s\"/></par>\n",
				n, attr(ref), attr(audio(ch)), clock(begin), clock(end))
			total += end - begin
		}
	}
	if n == 0 {
		return nil, 0, nil
	}
	b.WriteString("</body>\n</smil>\n")
	return b.Bytes(), total, nil
}

// clip rounds a time to the millisecond that clock values carry.
func clip(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// clock formats a SMIL full clock value, h:mm:ss.fff.
func clock(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

func nav(b *timeline.Book, docs []doc, lang string) []byte {
	var x bytes.Buffer
	title := bookTitle(b)
	xhtmlHead(&x, title, lang, "style.css")
	x.WriteString("<nav epub:type=\"toc\" id=\"toc\">\n<h1>Contents</h1>\n<ol>\n")
	for _, d := range docs {
		fmt.Fprintf(&x, "<li><a href=\"text/%s.xhtml\">%s</a></li>\n", d.name, esc(chapterTitle(d.ch)))
	}
	x.WriteString("</ol>\n</nav>\n</body>\n</html>\n")
	return x.Bytes()
}

func bookTitle(b *timeline.Book) string {
	if t := strings.Join(strings.Fields(b.Title), " "); t != "" {
		return t
	}
	return "Untitled"
}

// identifier is a name-based UUID of the book's title and authors, so
// that rendering the same book again gives the same identifier.
func identifier(b *timeline.Book) string {
	h := sha1.Sum([]byte("narrate\x00" + b.Title + "\x00" + strings.Join(b.Authors, "\x00")))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func packageDoc(b *timeline.Book, docs []doc, audioOrder []string, audioHref map[string]string, cover, lang string, modified time.Time) []byte {
	var x bytes.Buffer
	fmt.Fprintf(&x, `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="%s">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="bookid">%s</dc:identifier>
<dc:title>%s</dc:title>
<dc:language>%s</dc:language>
`, lang, identifier(b), esc(bookTitle(b)), lang)
	for i, a := range b.Authors {
		if a = strings.Join(strings.Fields(a), " "); a != "" {
			fmt.Fprintf(&x, "<dc:creator id=\"author%d\">%s</dc:creator>\n<meta refines=\"#author%d\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n", i+1, esc(a), i+1)
		}
	}
	fmt.Fprintf(&x, "<meta property=\"dcterms:modified\">%s</meta>\n", modified.UTC().Format("2006-01-02T15:04:05Z"))
	var total time.Duration
	for _, d := range docs {
		if !d.overlay {
			continue
		}
		fmt.Fprintf(&x, "<meta property=\"media:duration\" refines=\"#mo-%s\">%s</meta>\n", d.name, clock(d.duration))
		total += d.duration
	}
	fmt.Fprintf(&x, "<meta property=\"media:duration\">%s</meta>\n", clock(total))
	if n := strings.Join(strings.Fields(b.Narrator), " "); n != "" {
		fmt.Fprintf(&x, "<meta property=\"media:narrator\">%s</meta>\n", esc(n))
	}
	fmt.Fprintf(&x, "<meta property=\"media:active-class\">%s</meta>\n", ActiveClass)
	x.WriteString("</metadata>\n<manifest>\n")
	x.WriteString("<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n")
	x.WriteString("<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n")
	if cover != "" {
		mt := map[string]string{"cover.jpg": "image/jpeg", "cover.png": "image/png", "cover.gif": "image/gif"}[cover]
		fmt.Fprintf(&x, "<item id=\"cover\" href=\"%s\" media-type=\"%s\" properties=\"cover-image\"/>\n", cover, mt)
	}
	for _, d := range docs {
		if !d.overlay {
			fmt.Fprintf(&x, "<item id=\"%s\" href=\"text/%s.xhtml\" media-type=\"application/xhtml+xml\"/>\n", d.name, d.name)
			continue
		}
		fmt.Fprintf(&x, "<item id=\"%s\" href=\"text/%s.xhtml\" media-type=\"application/xhtml+xml\" media-overlay=\"mo-%s\"/>\n", d.name, d.name, d.name)
		fmt.Fprintf(&x, "<item id=\"mo-%s\" href=\"smil/%s.smil\" media-type=\"application/smil+xml\"/>\n", d.name, d.name)
	}
	for i, a := range audioOrder {
		fmt.Fprintf(&x, "<item id=\"audio%d\" href=\"%s\" media-type=\"%s\"/>\n", i+1, audioHref[a], audioType(a))
	}
	x.WriteString("</manifest>\n<spine>\n")
	for _, d := range docs {
		fmt.Fprintf(&x, "<itemref idref=\"%s\"/>\n", d.name)
	}
	x.WriteString("</spine>\n</package>\n")
	return x.Bytes()
}

func audioType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".m4a", ".m4b", ".mp4":
		return "audio/mp4"
	}
	return "audio/mpeg"
}
