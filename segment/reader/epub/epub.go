// Package epub reads EPUB 2 and EPUB 3 books into the shared document
// model, using only archive/zip and encoding/xml: container, OPF package,
// spine order, chapter titles from the EPUB 3 navigation document or the
// EPUB 2 NCX, metadata and cover image.
//
// Front and back matter (cover, title and half-title pages, copyright,
// imprint and colophon pages, tables of contents, indexes, notes) is
// skipped unless Options.IncludeMatter is set. It is recognised by
// epub:type or DPUB-ARIA role on the body or section, by the landmarks nav
// or EPUB 2 guide, and, for books with no semantics at all, by file names
// such as "copyright.xhtml". The generic types "frontmatter" and
// "backmatter" alone do not skip a document: prefaces, epigraphs,
// dramatis personae and dedications are read, as an audiobook would.
//
// Hostile input is bounded: entries are read through limit readers
// (Options.MaxEntryBytes per entry, Options.MaxTotalBytes for the book),
// entry names that climb out of the archive are never used, DOCTYPE
// entities are never fetched or expanded.
package epub

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/narrate-audio/narrate/segment/book"
	rhtml "github.com/narrate-audio/narrate/segment/reader/html"
)

// Options tunes Read.
type Options struct {
	// IncludeMatter keeps front and back matter (title page, copyright,
	// table of contents and the like) as chapters.
	IncludeMatter bool
	// MaxEntryBytes caps the inflated size of one archive entry;
	// 0 means DefaultMaxEntry.
	MaxEntryBytes int64
	// MaxTotalBytes caps the inflated bytes read for the whole book;
	// 0 means DefaultMaxTotal.
	MaxTotalBytes int64
}

// ReadFile reads the EPUB at path; Book.Source is set to path.
func ReadFile(path string, opts Options) (*book.Book, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	return Read(f, st.Size(), path, opts)
}

// ReaderAt is what Read needs of its input: random access, as a zip's
// central directory is at its end. *os.File and *bytes.Reader have it.
type ReaderAt interface {
	ReadAt(p []byte, off int64) (n int, err error)
}

// Read reads an EPUB of size bytes from r; name is used in errors and as
// Book.Source. Errors are *Error values naming the file and the entry.
func Read(r ReaderAt, size int64, name string, opts Options) (*book.Book, error) {
	a, err := newArchive(r, size, name, opts)
	if err != nil {
		return nil, err
	}
	opfName, err := a.rootfile()
	if err != nil {
		return nil, err
	}
	data, err := a.read(opfName)
	if err != nil {
		return nil, err
	}
	var pkg opfPackage
	if err := newDecoder(data).Decode(&pkg); err != nil {
		return nil, &Error{File: name, Entry: opfName, Err: fmt.Errorf("parse package: %w", err)}
	}
	rd := &reader{a: a, opts: opts, opf: opfName, pkg: &pkg, items: make(map[string]item)}
	if rd.encrypted, err = a.encryption(); err != nil {
		return nil, err
	}
	rd.loadManifest()
	rd.loadNav()

	b := &book.Book{
		Title:   pkg.title(),
		Authors: pkg.authors(),
		Year:    pkg.year(),
		Source:  name,
	}
	if len(pkg.Metadata.Languages) > 0 {
		b.Language = strings.TrimSpace(pkg.Metadata.Languages[0])
	}
	if len(pkg.Metadata.Descriptions) > 0 {
		b.Summary = plain(pkg.Metadata.Descriptions[0])
	}
	b.Subtitle = pkg.subtitle()
	if len(pkg.Metadata.Publishers) > 0 {
		b.Publisher = clean(pkg.Metadata.Publishers[0])
	}
	for _, s := range pkg.Metadata.Subjects {
		if s = clean(s); s != "" {
			b.Genres = append(b.Genres, s)
		}
	}
	b.Series, b.SeriesIndex = pkg.series()
	b.Cover = rd.cover()
	b.Pronunciations = rd.lexicons()

	skipped, empty := 0, 0
	var unknown []string
	// A document listed twice is read once: a few bytes of spine must
	// not multiply into thousands of chapters. The package document is
	// never a chapter.
	read := map[string]bool{opfName: true}
	for _, ref := range pkg.Spine.Itemrefs {
		if strings.EqualFold(strings.TrimSpace(ref.Linear), "no") {
			continue
		}
		it, ok := rd.items[ref.IDRef]
		if !ok {
			unknown = append(unknown, ref.IDRef)
			continue
		}
		if !isContent(it.mediaType) || read[it.name] {
			continue
		}
		read[it.name] = true
		chs, n, err := rd.document(it)
		if err != nil {
			return nil, err
		}
		skipped += n
		if len(chs) == 0 && n == 0 {
			empty++
		}
		b.Chapters = append(b.Chapters, chs...)
	}
	if len(b.Chapters) == 0 {
		var why []string
		if skipped > 0 {
			why = append(why, fmt.Sprintf("%d front or back matter sections skipped; include matter to read them", skipped))
		}
		if empty > 0 {
			why = append(why, fmt.Sprintf("spine documents with nothing to read: %d, images or navigation only?", empty))
		}
		if len(unknown) > 0 {
			why = append(why, fmt.Sprintf("spine items the manifest lacks: %d, such as %q", len(unknown), unknown[0]))
		}
		if len(pkg.Spine.Itemrefs) == 0 {
			why = append(why, "the spine is empty")
		}
		err := ErrNoChapters
		if len(why) > 0 {
			err = fmt.Errorf("%w (%s)", ErrNoChapters, strings.Join(why, "; "))
		}
		return nil, &Error{File: name, Entry: opfName, Err: err}
	}
	for i := range b.Chapters {
		if b.Chapters[i].Title == "" {
			b.Chapters[i].Title = fmt.Sprintf("Chapter %d", i+1)
			b.Chapters[i].Untitled = true
		}
	}
	return b, nil
}

type item struct {
	name, mediaType string
	props           []string
}

type reader struct {
	a         *archive
	encrypted map[string]string // entry -> encryption algorithm, fonts' obfuscation aside
	opts      Options
	opf       string
	pkg       *opfPackage
	items     map[string]item
	titles    map[string]string // "entry" or "entry#frag" -> nav title
	frags     map[string]int    // entry -> number of nav targets with a fragment
	marks     map[string]string // entry -> landmark or guide type
}

// rootfile finds the package document through META-INF/container.xml, or,
// when the container is missing, the archive's only .opf entry.
func (a *archive) rootfile() (string, error) {
	const cname = "META-INF/container.xml"
	data, err := a.read(cname)
	if errors.Is(err, ErrMissing) {
		var opfs []string
		for n := range a.files {
			if strings.HasSuffix(strings.ToLower(n), ".opf") {
				opfs = append(opfs, n)
			}
		}
		if len(opfs) == 1 {
			return opfs[0], nil
		}
		return "", err
	}
	if err != nil {
		return "", err
	}
	var c container
	if err := newDecoder(data).Decode(&c); err != nil {
		return "", &Error{File: a.name, Entry: cname, Err: fmt.Errorf("parse container: %w", err)}
	}
	for _, rf := range c.Rootfiles {
		if rf.MediaType != "" && rf.MediaType != "application/oebps-package+xml" {
			continue
		}
		if n, _, ok := resolve("", rf.FullPath); ok && rf.FullPath != "" {
			return n, nil
		}
	}
	return "", &Error{File: a.name, Entry: cname, Err: errors.New("no package document listed")}
}

func (rd *reader) loadManifest() {
	for _, m := range rd.pkg.Manifest {
		n, _, ok := resolve(rd.opf, m.Href)
		if !ok || m.ID == "" || m.Href == "" {
			continue
		}
		rd.items[m.ID] = item{name: n, mediaType: strings.ToLower(strings.TrimSpace(m.MediaType)), props: strings.Fields(m.Properties)}
	}
}

func isContent(mt string) bool {
	switch mt {
	case "application/xhtml+xml", "text/html", "application/xml", "text/x-oeb1-document":
		return true
	}
	return false
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// loadNav reads chapter titles and landmarks from the EPUB 3 navigation
// document, else titles from the EPUB 2 NCX; and the EPUB 2 guide. A
// broken or missing navigation file only loses titles, never the book.
func (rd *reader) loadNav() {
	rd.titles = make(map[string]string)
	rd.frags = make(map[string]int)
	rd.marks = make(map[string]string)
	for _, g := range rd.pkg.Guide {
		if n, _, ok := resolve(rd.opf, g.Href); ok {
			rd.mark(n, g.Type)
		}
	}
	for _, it := range rd.items {
		if has(it.props, "nav") {
			rd.loadNavDoc(it.name)
		}
	}
	if len(rd.titles) > 0 {
		return
	}
	ncxItem, ok := rd.items[rd.pkg.Spine.Toc]
	if !ok {
		for _, it := range rd.items {
			if it.mediaType == "application/x-dtbncx+xml" {
				ncxItem, ok = it, true
				break
			}
		}
	}
	if !ok {
		return
	}
	data, err := rd.a.read(ncxItem.name)
	if err != nil {
		return
	}
	var x ncx
	if newDecoder(data).Decode(&x) != nil {
		return
	}
	var walk func([]navPoint)
	walk = func(ps []navPoint) {
		for _, p := range ps {
			rd.title(ncxItem.name, p.Src.Src, clean(p.Label))
			walk(p.Points)
		}
	}
	walk(x.Points)
}

func (rd *reader) mark(entry, typ string) {
	typ = strings.ToLower(strings.TrimSpace(typ))
	if typ == "title-page" {
		typ = "titlepage"
	}
	if _, seen := rd.marks[entry]; !seen && typ != "" {
		rd.marks[entry] = typ
	}
}

func (rd *reader) title(base, href, title string) {
	n, frag, ok := resolve(base, href)
	if !ok || title == "" {
		return
	}
	key := n
	if frag != "" {
		key += "#" + frag
	}
	if _, seen := rd.titles[key]; seen {
		return
	}
	rd.titles[key] = title
	if frag != "" {
		rd.frags[n]++
	}
}

func (rd *reader) loadNavDoc(name string) {
	data, err := rd.a.read(name)
	if err != nil {
		return
	}
	doc, err := rhtml.ParseDocument(data)
	if err != nil {
		return
	}
	for _, nav := range rhtml.FindAll(doc, func(n *nethtml.Node) bool { return n.DataAtom == atom.Nav }) {
		types := rhtml.Types(nav)
		toc, landmarks := has(types, "toc"), has(types, "landmarks")
		if !toc && !landmarks {
			continue
		}
		for _, a := range rhtml.FindAll(nav, func(n *nethtml.Node) bool { return n.DataAtom == atom.A }) {
			href := rhtml.Attr(a, "href")
			if toc {
				rd.title(name, href, rhtml.TextContent(a))
			} else if n, _, ok := resolve(name, href); ok {
				for _, t := range rhtml.Types(a) {
					rd.mark(n, t)
				}
			}
		}
	}
}

// cover reads the EPUB 3 cover-image item, else the EPUB 2
// <meta name="cover"> item. A missing or oversized cover is no error: the
// book reads without it.
func (rd *reader) cover() *book.Image {
	var it item
	found := false
	for _, m := range rd.pkg.Manifest {
		if i, ok := rd.items[m.ID]; ok && has(i.props, "cover-image") {
			it, found = i, true
			break
		}
	}
	if !found {
		for _, m := range rd.pkg.Metadata.Metas {
			if strings.EqualFold(m.Name, "cover") {
				it, found = rd.items[strings.TrimSpace(m.Content)]
				break
			}
		}
	}
	if !found || !strings.HasPrefix(it.mediaType, "image/") {
		return nil
	}
	data, err := rd.a.read(it.name)
	if err != nil || len(data) == 0 {
		return nil
	}
	return &book.Image{MIME: it.mediaType, Data: data}
}

// plain strips markup from a description that may hold escaped HTML.
func plain(s string) string {
	if !strings.Contains(s, "<") {
		return clean(s)
	}
	doc, err := nethtml.Parse(strings.NewReader(s))
	if err != nil {
		return clean(s)
	}
	var parts []string
	for _, b := range rhtml.Extract(doc, rhtml.ExtractOptions{KeepHeaders: true}) {
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n")
}

// matterTypes are semantic types of sections that are not read by default.
var matterTypes = map[string]bool{
	"cover": true, "titlepage": true, "halftitlepage": true, "halftitle": true,
	"copyright-page": true, "copyright": true, "imprint": true, "colophon": true,
	"toc": true, "landmarks": true, "loi": true, "lot": true, "loa": true, "lov": true,
	"index": true, "errata": true, "footnotes": true, "endnotes": true,
	"rearnotes": true, "notes": true, "bibliography": true, "glossary": true,
	"seriespage": true, "other-credits": true, "contributors": true,
	"acknowledgments": true, "acknowledgements": true, "page-list": true,
}

// matterNames are file base names of matter in books without semantics.
var matterNames = map[string]bool{
	"cover": true, "titlepage": true, "title-page": true, "title": true,
	"halftitle": true, "halftitlepage": true, "copyright": true,
	"uncopyright": true, "imprint": true, "colophon": true, "toc": true,
	"contents": true, "nav": true, "index": true,
}

func isMatter(types []string) bool {
	for _, t := range types {
		if matterTypes[t] {
			return true
		}
	}
	return false
}

// document reads one spine document into chapters; it also returns how
// many matter sections it skipped.
func (rd *reader) document(it item) ([]book.Chapter, int, error) {
	if alg, ok := rd.encrypted[it.name]; ok {
		return nil, 0, &Error{File: rd.a.name, Entry: it.name, Err: fmt.Errorf("%w (META-INF/encryption.xml lists it, algorithm %s)", ErrEncrypted, alg)}
	}
	data, err := rd.a.read(it.name)
	if err != nil {
		return nil, 0, err
	}
	data, _ = rhtml.FromUTF16(data)
	if binary(data) {
		// XML forbids control characters; a content document full of
		// them is ciphertext whose declaration was stripped, or junk.
		return nil, 0, &Error{File: rd.a.name, Entry: it.name, Err: fmt.Errorf("%w or corrupt: the document holds binary data, not XHTML", ErrEncrypted)}
	}
	doc, err := rhtml.ParseDocument(data)
	if err != nil {
		return nil, 0, &Error{File: rd.a.name, Entry: it.name, Err: err}
	}
	blocks := rhtml.Extract(rhtml.Body(doc), rhtml.ExtractOptions{KeepHeaders: true})

	// Document-level semantics: the package and landmarks say what the
	// file is; the body's own types are on every block.
	var docTypes []string
	if has(it.props, "nav") {
		docTypes = append(docTypes, "toc")
	}
	if m, ok := rd.marks[it.name]; ok {
		docTypes = append(docTypes, m)
	}
	if rhtml.Find(doc, func(n *nethtml.Node) bool {
		return n.DataAtom == atom.Nav && has(rhtml.Types(n), "toc")
	}) != nil {
		docTypes = append(docTypes, "toc")
	}
	if len(docTypes) == 0 && !anyTypes(blocks) {
		base := strings.ToLower(path.Base(it.name))
		if i := strings.IndexByte(base, '.'); i > 0 {
			base = base[:i]
		}
		if matterNames[base] {
			docTypes = append(docTypes, "cover")
		}
	}

	level := rhtml.SplitLevel(blocks)
	if level > 0 && len(rd.titles) > 0 && rd.frags[it.name] < 2 {
		// The navigation treats the file as one chapter: its repeated
		// headings are subsections.
		level = 0
	}
	secs := rhtml.Split(blocks, level)

	var out []book.Chapter
	skipped := 0
	var carry []rhtml.Block
	for i, s := range secs {
		if level > 0 && s.Title == "" && !rhtml.HasProse(s.Blocks) && i+1 < len(secs) {
			// Headings before the first chapter heading, such as a part
			// title, open the next chapter that is read.
			carry = append(carry, s.Blocks...)
			continue
		}
		types := append([]string(nil), docTypes...)
		if len(s.Blocks) > 0 {
			types = append(types, s.Blocks[0].Types...)
		}
		if !rd.opts.IncludeMatter && (isMatter(types) || !rhtml.HasProse(s.Blocks)) {
			if len(s.Blocks) > 0 {
				skipped++
			}
			continue
		}
		title := rd.chapterTitle(it.name, doc, level, s)
		ch := rhtml.NewChapter(title, append(carry, s.Blocks...))
		ch.Origin = it.name
		carry = nil
		if len(ch.Paragraphs) > 0 {
			out = append(out, ch)
		}
	}
	return out, skipped, nil
}

// binary reports whether data holds the NUL and control bytes of
// ciphertext or compressed data, about one byte in eight, where a stray
// one in a text document is no reason to refuse the book.
func binary(data []byte) bool {
	n := 0
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			n++
		}
	}
	return n > len(data)/100
}

func anyTypes(blocks []rhtml.Block) bool {
	for _, b := range blocks {
		if len(b.Types) > 0 {
			return true
		}
	}
	return false
}

// chapterTitle prefers the navigation's title for the section's target,
// then the section's heading, then the document's <title>.
func (rd *reader) chapterTitle(entry string, doc *nethtml.Node, level int, s rhtml.Section) string {
	bl := s.Blocks
	if level == 0 {
		if t := rd.titles[entry]; t != "" {
			return t
		}
	}
	for _, b := range bl {
		for _, id := range b.IDs {
			if t := rd.titles[entry+"#"+id]; t != "" {
				return t
			}
		}
		if b.Kind != book.Heading {
			break
		}
	}
	if level > 0 && s.Title == "" {
		if t := rd.titles[entry]; t != "" {
			return t
		}
	}
	if s.Title != "" {
		return s.Title
	}
	if t := rhtml.FirstHeading(bl); t != "" {
		return t
	}
	return rhtml.Title(doc)
}
