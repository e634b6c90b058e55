package epub

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment/book"
)

// build zips entries in order; mimetype first and stored, as OCF wants.
func build(t testing.TB, entries [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		method := zip.Deflate
		if e[0] == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const containerXML = `<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`

const opf3 = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title id="t">Sub</dc:title><dc:title id="m">The Test Book</dc:title><meta refines="#m" property="title-type">main</meta>
<dc:creator>Ann One</dc:creator><dc:creator>Bob Two</dc:creator><dc:language>en</dc:language><dc:date>1899-05-01</dc:date>
<dc:description>&lt;p&gt;A &lt;b&gt;short&lt;/b&gt; book.&lt;/p&gt;</dc:description></metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="cov" href="img/cover%20art.png" media-type="image/png" properties="cover-image"/>
<item id="title" href="text/title.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/c2.xhtml" media-type="application/xhtml+xml"/>
<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>
<item id="copy" href="text/copyright.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine><itemref idref="title"/><itemref idref="nav" linear="no"/><itemref idref="c1"/><itemref idref="c2"/><itemref idref="notes" linear="no"/><itemref idref="copy"/></spine></package>`

const nav3 = `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>
<nav epub:type="toc"><ol><li><a href="text/chapter%201.xhtml">Chapter 1. The <i>Start</i></a></li><li><a href="text/c2.xhtml">Two</a></li></ol></nav>
<nav epub:type="landmarks"><ol><li><a epub:type="copyright-page" href="text/copyright.xhtml">Copyright</a></li></ol></nav></body></html>`

func xhtml(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>doc</title></head><body>` + body + `</body></html>`
}

func sample(t testing.TB) [][2]string {
	return [][2]string{
		{"mimetype", "application/epub+zip"},
		{"META-INF/container.xml", containerXML},
		{"OEBPS/content.opf", opf3},
		{"OEBPS/nav.xhtml", nav3},
		{"OEBPS/img/cover art.png", "\x89PNG fake"},
		{"OEBPS/text/title.xhtml", xhtml(`<section epub:type="titlepage"><h1>The Test Book</h1><p>Ann One</p></section>`)},
		{"OEBPS/text/chapter 1.xhtml", xhtml(`<section epub:type="chapter"><h1>1</h1><p>It <em>began</em> here&#8212;twice.</p><hr/><p>After.</p></section>`)},
		{"OEBPS/text/c2.xhtml", xhtml(`<section epub:type="chapter"><header><h2>Two</h2></header><table><tr><td epub:type="z3998:persona">JACK</td><td>How are you?</td></tr></table></section>`)},
		{"OEBPS/text/notes.xhtml", xhtml(`<p>note</p>`)},
		{"OEBPS/text/copyright.xhtml", xhtml(`<p>Copyright 1899.</p>`)},
	}
}

func readBytes(data []byte, opts Options) (*book.Book, error) {
	return Read(bytes.NewReader(data), int64(len(data)), "book.epub", opts)
}

func paras(ch book.Chapter) string {
	var out []string
	for _, p := range ch.Paragraphs {
		out = append(out, p.Kind.String()+":"+ch.Source(p))
	}
	return strings.Join(out, "|")
}

func TestRead(t *testing.T) {
	b, err := readBytes(build(t, sample(t)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Title != "The Test Book" || strings.Join(b.Authors, ",") != "Ann One,Bob Two" || b.Language != "en" || b.Year != "1899" || b.Summary != "A short book." {
		t.Errorf("metadata %q %q %q %q %q", b.Title, b.Authors, b.Language, b.Year, b.Summary)
	}
	if b.Cover == nil || b.Cover.MIME != "image/png" || string(b.Cover.Data) != "\x89PNG fake" {
		t.Errorf("cover %+v", b.Cover)
	}
	var got []string
	for _, ch := range b.Chapters {
		got = append(got, ch.Title+"="+paras(ch))
	}
	want := []string{
		"Chapter 1. The Start=heading:1|prose:It began here—twice.|break:* * *|prose:After.",
		"Two=heading:Two|prose:JACK. How are you?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	b, err = readBytes(build(t, sample(t)), Options{IncludeMatter: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Chapters) != 4 || b.Chapters[0].Title != "The Test Book" || b.Chapters[3].Title != "doc" {
		t.Errorf("with matter: %d chapters, %+v", len(b.Chapters), b.Chapters)
	}
}

func TestReadEPUB2(t *testing.T) {
	opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" xmlns:opf="http://www.idpf.org/2007/opf" version="2.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Old</dc:title><dc:creator opf:role="aut">A. U.</dc:creator>
<dc:date opf:event="publication">2001</dc:date><dc:date opf:event="original-publication">1850</dc:date><meta name="cover" content="img"/></metadata>
<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="img" href="c.jpg" media-type="image/jpeg"/>
<item id="t" href="title.html" media-type="application/xhtml+xml"/><item id="a" href="a.html" media-type="application/xhtml+xml"/></manifest>
<spine toc="ncx"><itemref idref="t"/><itemref idref="a"/></spine><guide><reference type="title-page" href="title.html"/></guide></package>`
	ncx := `<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>
<navPoint id="p1"><navLabel><text>Part One</text></navLabel><content src="a.html#top"/>
<navPoint id="p2"><navLabel><text>Nested</text></navLabel><content src="a.html#s2"/></navPoint></navPoint></navMap></ncx>`
	a := xhtml(`<div id="top"><h2>I</h2><p>one</p></div><div id="s2"><h2>II</h2><p>two &hellip;</p></div>`)
	data := build(t, [][2]string{{"mimetype", "application/epub+zip"}, {"META-INF/container.xml", strings.Replace(containerXML, "OEBPS/content.opf", "content.opf", 1)},
		{"content.opf", opf}, {"toc.ncx", ncx}, {"c.jpg", "jpeg"}, {"title.html", xhtml(`<h1>Old</h1><p>by A. U.</p>`)}, {"a.html", a}})
	b, err := readBytes(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Year != "1850" || b.Cover == nil || b.Cover.MIME != "image/jpeg" {
		t.Errorf("year %q cover %+v", b.Year, b.Cover)
	}
	var titles []string
	for _, ch := range b.Chapters {
		titles = append(titles, ch.Title)
	}
	if strings.Join(titles, "|") != "Part One|Nested" {
		t.Errorf("titles %q", titles)
	}
}

func TestSplitByHeadings(t *testing.T) {
	// One spine document holding many sections, as in anthologies.
	entries := sample(t)
	entries[3][1] = strings.Replace(nav3, `<a href="text/c2.xhtml">Two</a>`, `<a href="text/c2.xhtml#f1">Fable One</a></li><li><a href="text/c2.xhtml#f2">Fable Two</a>`, 1)
	entries[7][1] = xhtml(`<section><h2>PART IV</h2><section id="f1"><h3>1</h3><p>Fox.</p></section>
<section id="f2"><h3>2</h3><h4>Crow</h4><p>Crow.</p></section><section epub:type="bibliography"><h3>Books</h3><p>list</p></section></section>`)
	b, err := readBytes(build(t, entries), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ch := range b.Chapters {
		got = append(got, ch.Title+"="+paras(ch))
	}
	want := "Chapter 1. The Start=heading:1|prose:It began here—twice.|break:* * *|prose:After.\n" +
		"Fable One=heading:PART IV|heading:1|prose:Fox.\n" +
		"Fable Two=heading:2|heading:Crow|prose:Crow."
	if strings.Join(got, "\n") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

func TestHostile(t *testing.T) {
	base := sample(t)
	replace := func(name, content string) [][2]string {
		out := append([][2]string(nil), base...)
		for i := range out {
			if out[i][0] == name {
				out[i][1] = content
			}
		}
		return out
	}
	drop := func(name string) [][2]string {
		var out [][2]string
		for _, e := range base {
			if e[0] != name {
				out = append(out, e)
			}
		}
		return out
	}
	tests := []struct {
		name    string
		data    []byte
		opts    Options
		want    error
		inError string
	}{
		{"not a zip", []byte("hello"), Options{}, nil, "epub: book.epub: not a zip"},
		{"missing container and opf", build(t, drop("OEBPS/content.opf")[:0]), Options{}, ErrMissing, "META-INF/container.xml"},
		{"missing opf", build(t, drop("OEBPS/content.opf")), Options{}, ErrMissing, "epub: book.epub: OEBPS/content.opf: missing"},
		{"spine item missing", build(t, drop("OEBPS/text/c2.xhtml")), Options{}, ErrMissing, "OEBPS/text/c2.xhtml"},
		{"entry too large", build(t, base), Options{MaxEntryBytes: 100}, ErrTooLarge, "book.epub: META-INF/container.xml"},
		{"book too large", build(t, base), Options{MaxTotalBytes: 2000}, ErrTooLarge, "book.epub"},
		{"only matter", build(t, replace("OEBPS/content.opf", strings.Replace(opf3, `<itemref idref="c1"/><itemref idref="c2"/>`, "", 1))), Options{}, ErrNoChapters, "matter"},
		{"opf escapes root", build(t, replace("META-INF/container.xml", strings.Replace(containerXML, "OEBPS/content.opf", "../content.opf", 1))), Options{}, nil, "no package document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readBytes(tt.data, tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.inError) {
				t.Errorf("err %q should be an *Error containing %q", err, tt.inError)
			}
		})
	}
}

func TestBrokenAndEntities(t *testing.T) {
	entries := sample(t)
	// Broken XHTML reads through the HTML parser; a DOCTYPE with an
	// external entity is neither fetched nor fatal.
	entries[6][1] = `<html><body><h1>1</h1><p>unclosed <b>bold<p>next & more</body>`
	entries[7][1] = `<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html xmlns="http://www.w3.org/1999/xhtml"><body><h2>Two</h2><p>a &xxe; b&nbsp;c</p></body></html>`
	// A zip entry that climbs out of the archive is ignored.
	entries = append(entries, [2]string{"../evil.xhtml", "x"})
	b, err := readBytes(build(t, entries), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := paras(b.Chapters[0]); got != "heading:1|prose:unclosed bold|prose:next & more" {
		t.Errorf("broken: %q", got)
	}
	if got := paras(b.Chapters[1]); strings.Contains(got, "root") || !strings.HasPrefix(got, "heading:Two|prose:a ") {
		t.Errorf("entities: %q", got)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct{ base, href, name, frag string }{
		{"OEBPS/content.opf", "text/ch%201.xhtml#s", "OEBPS/text/ch 1.xhtml", "s"},
		{"OEBPS/text/a.xhtml", "../img/x.png", "OEBPS/img/x.png", ""},
		{"OEBPS/text/a.xhtml", "#frag", "OEBPS/text/a.xhtml", "frag"},
		{"content.opf", "a.xhtml", "a.xhtml", ""},
		{"OEBPS/content.opf", "../../etc/passwd", "", ""},
		{"OEBPS/content.opf", "http://example.com/x", "", ""},
	}
	for _, tt := range tests {
		n, f, ok := resolve(tt.base, tt.href)
		if n != tt.name || f != tt.frag || ok != (tt.name != "") {
			t.Errorf("resolve(%q, %q) = %q %q %v", tt.base, tt.href, n, f, ok)
		}
	}
}

func readSample(t *testing.T, name string) *book.Book {
	t.Helper()
	path := filepath.Join("..", "..", "..", "..", "shared", "samples", name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("sample %s not available: %v", path, err)
	}
	b, err := ReadFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range b.Chapters {
		if len(ch.Paragraphs) == 0 || ch.Paragraphs[0].Kind != book.Heading {
			t.Errorf("chapter %q does not open with its heading", ch.Title)
		}
		for _, p := range ch.Paragraphs {
			if s := ch.Source(p); strings.Contains(s, "<") && strings.Contains(s, ">") {
				t.Errorf("chapter %q: markup left in %q", ch.Title, s)
			}
		}
	}
	return b
}

func TestSampleMobyDick(t *testing.T) {
	b := readSample(t, "idpf-moby-dick.epub")
	if b.Title != "Moby-Dick" || len(b.Authors) != 1 || b.Authors[0] != "Herman Melville" || b.Cover == nil || b.Cover.MIME != "image/jpeg" {
		t.Errorf("metadata %q %q cover %v", b.Title, b.Authors, b.Cover != nil)
	}
	if len(b.Chapters) < 136 || len(b.Chapters) > 140 {
		t.Fatalf("%d chapters, want 136 chapters plus a few", len(b.Chapters))
	}
	idx := -1
	for i, ch := range b.Chapters {
		if strings.HasPrefix(ch.Title, "Chapter 1. Loomings") {
			idx = i
		}
		if strings.Contains(ch.Text, "Project Gutenberg") || ch.Title == "Brief Contents" {
			t.Errorf("front or back matter read: %q", ch.Title)
		}
	}
	if idx < 0 || !strings.HasPrefix(b.Chapters[idx].Source(b.Chapters[idx].Paragraphs[1]), "Call me Ishmael.") {
		t.Fatalf("Loomings not found or wrong start")
	}
	if last := b.Chapters[len(b.Chapters)-1].Title; last != "Epilogue" {
		t.Errorf("last chapter %q", last)
	}
}

func TestSampleChildrensLiterature(t *testing.T) {
	b := readSample(t, "idpf-childrens-literature.epub")
	if len(b.Chapters) < 15 {
		t.Fatalf("%d chapters: the single document should split by headings", len(b.Chapters))
	}
	found := false
	for _, ch := range b.Chapters {
		if ch.Title == "THE CONTENTS" || strings.HasPrefix(ch.Title, "BIBLIOGRAPHY") {
			t.Errorf("matter read: %q", ch.Title)
		}
		if ch.Title == "193 THE EMPEROR'S NEW CLOTHES" {
			found = true
		}
	}
	if !found || b.Cover == nil {
		t.Errorf("nav title for a fragment not used (found=%v) or cover missing", found)
	}
}

func TestSampleWilde(t *testing.T) {
	b := readSample(t, "se-oscar-wilde_the-importance-of-being-earnest.epub")
	var titles []string
	for _, ch := range b.Chapters {
		titles = append(titles, ch.Title)
	}
	if got := strings.Join(titles, "|"); got != "Dramatis Personae|The Scenes of the Play|Act I|Act II|Act III" {
		t.Errorf("titles %q", got)
	}
	if len(b.Chapters) < 3 {
		return
	}
	act := b.Chapters[2]
	if !strings.Contains(act.Text, "\n\nAlgernon. Did you hear what I was playing, Lane?\n\n") {
		t.Errorf("speech not attributed in reading order")
	}
}

func FuzzRead(f *testing.F) {
	f.Add(build(f, sample(f)))
	f.Add(build(f, [][2]string{{"META-INF/container.xml", containerXML}, {"OEBPS/content.opf", opf3}}))
	f.Add(build(f, withEntry(sample(f), "META-INF/encryption.xml", encryptionXML("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "OEBPS/text/c2.xhtml"))))
	f.Add(build(f, withEntry(sample(f), "OEBPS/content.opf", utf16LE(opf3))))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read(bytes.NewReader(data), int64(len(data)), "fuzz.epub", Options{MaxTotalBytes: 1 << 20})
		if err != nil {
			return
		}
		for _, ch := range b.Chapters {
			for _, p := range ch.Paragraphs {
				if p.Start < 0 || p.End > len(ch.Text) || p.Start >= p.End {
					t.Fatalf("bad offsets %d:%d", p.Start, p.End)
				}
			}
		}
	})
}
