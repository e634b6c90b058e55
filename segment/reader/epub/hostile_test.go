package epub

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

// encryptionXML lists uri as encrypted with algorithm.
func encryptionXML(algorithm string, uris ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">`)
	for _, u := range uris {
		b.WriteString(`<enc:EncryptedData><enc:EncryptionMethod Algorithm="` + algorithm + `"/><enc:CipherData><enc:CipherReference URI="` + u + `"/></enc:CipherData></enc:EncryptedData>`)
	}
	b.WriteString(`</encryption>`)
	return b.String()
}

// ciphertext stands in for an encrypted chapter: bytes with no structure.
func ciphertext(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}

func withEntry(entries [][2]string, name, content string) [][2]string {
	out := append([][2]string(nil), entries...)
	for i := range out {
		if out[i][0] == name {
			out[i][1] = content
			return out
		}
	}
	return append(out, [2]string{name, content})
}

func utf16LE(s string) string {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return string(out)
}

// TestEncrypted: a DRM-protected book is refused with an error that says
// so and names an encrypted chapter, instead of reading ciphertext aloud;
// font obfuscation, which every EPUB tool may apply, is no obstacle.
func TestEncrypted(t *testing.T) {
	const aes = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
	ch1 := "OEBPS/text/chapter 1.xhtml"
	drm := withEntry(withEntry(sample(t), ch1, ciphertext(3000)), "META-INF/encryption.xml", encryptionXML(aes, "OEBPS/text/chapter%201.xhtml"))
	adept := withEntry(drm, "META-INF/rights.xml", `<adept:rights xmlns:adept="http://ns.adobe.com/adept"/>`)
	// Encryption that the package does not declare still shows: content
	// documents are text, and ciphertext is not.
	stripped := withEntry(sample(t), ch1, ciphertext(3000))
	brokenDecl := withEntry(withEntry(drm, "META-INF/encryption.xml", "<encryption><not closed"), "META-INF/license.lcpl", `{"provider":"x"}`)
	for name, entries := range map[string][][2]string{"declared": drm, "adept": adept, "undeclared": stripped, "unreadable declaration with LCP licence": brokenDecl} {
		t.Run(name, func(t *testing.T) {
			_, err := readBytes(build(t, entries), Options{})
			if !errors.Is(err, ErrEncrypted) {
				t.Fatalf("err = %v, want ErrEncrypted", err)
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), "book.epub") || !strings.Contains(err.Error(), "DRM") {
				t.Errorf("err %q: want an *Error naming the book and DRM", err)
			}
		})
	}
	fonts := withEntry(withEntry(sample(t), "OEBPS/fonts/a.otf", ciphertext(500)), "META-INF/encryption.xml", encryptionXML("http://www.idpf.org/2008/embedding", "OEBPS/fonts/a.otf"))
	b, err := readBytes(build(t, fonts), Options{})
	if err != nil {
		t.Fatalf("obfuscated fonts: %v", err)
	}
	if len(b.Chapters) != 2 {
		t.Errorf("obfuscated fonts: %d chapters", len(b.Chapters))
	}
}

// TestSpineOddities: a spine that lists a document twice reads it once (a
// small file must not multiply into thousands of chapters), the package
// document is never read as a chapter, and a book with no text says why.
func TestSpineOddities(t *testing.T) {
	dup := strings.Replace(opf3, `<itemref idref="c1"/>`, strings.Repeat(`<itemref idref="c1"/><itemref idref="c2"/>`, 5000), 1)
	b, err := readBytes(build(t, withEntry(sample(t), "OEBPS/content.opf", dup)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Chapters) != 2 {
		t.Errorf("duplicate itemrefs: %d chapters, want 2", len(b.Chapters))
	}

	self := strings.Replace(opf3, `<item id="c1" `, `<item id="pkg" href="content.opf" media-type="application/xhtml+xml"/><item id="c1" `, 1)
	self = strings.Replace(self, `<itemref idref="c1"/>`, `<itemref idref="pkg"/><itemref idref="c1"/>`, 1)
	b, err = readBytes(build(t, withEntry(sample(t), "OEBPS/content.opf", self)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range b.Chapters {
		if ch.Origin == "OEBPS/content.opf" {
			t.Errorf("the package document was read as chapter %q", ch.Title)
		}
	}

	images := [][2]string{
		{"mimetype", "application/epub+zip"},
		{"META-INF/container.xml", containerXML},
		{"OEBPS/content.opf", `<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest>
<item id="p1" href="p1.xhtml" media-type="application/xhtml+xml"/><item id="p2" href="p2.xhtml" media-type="application/xhtml+xml"/>
<item id="i" href="i.png" media-type="image/png"/></manifest><spine><itemref idref="p1"/><itemref idref="p2"/><itemref idref="gone"/></spine></package>`},
		{"OEBPS/p1.xhtml", xhtml(`<div><img src="i.png" alt=""/></div>`)},
		{"OEBPS/p2.xhtml", xhtml(`<svg xmlns="http://www.w3.org/2000/svg"><image href="i.png"/></svg>`)},
		{"OEBPS/i.png", "\x89PNG"},
	}
	_, err = readBytes(build(t, images), Options{})
	if !errors.Is(err, ErrNoChapters) || !strings.Contains(err.Error(), "spine documents with nothing to read: 2") || !strings.Contains(err.Error(), `"gone"`) {
		t.Errorf("images only: err = %v", err)
	}
}

// TestUTF16: package and content documents in UTF-16, which XML allows
// and encoding/xml does not read, are converted first.
func TestUTF16(t *testing.T) {
	entries := sample(t)
	entries = withEntry(entries, "OEBPS/content.opf", utf16LE(strings.Replace(opf3, `encoding="UTF-8"`, `encoding="UTF-16"`, 1)))
	entries = withEntry(entries, "OEBPS/text/c2.xhtml", utf16LE(`<?xml version="1.0" encoding="UTF-16"?><html xmlns="http://www.w3.org/1999/xhtml"><body><h2>Two</h2><p>Sixteen-bit café.</p></body></html>`))
	b, err := readBytes(build(t, entries), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Title != "The Test Book" || len(b.Chapters) != 2 {
		t.Fatalf("title %q, %d chapters", b.Title, len(b.Chapters))
	}
	if got := paras(b.Chapters[1]); got != "heading:Two|prose:Sixteen-bit café." {
		t.Errorf("UTF-16 chapter: %q", got)
	}
}

// TestPackageEntities: a package document's DOCTYPE entities are not
// expanded, and their references do not reach the book's metadata.
func TestPackageEntities(t *testing.T) {
	opf := `<?xml version="1.0"?><!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>` +
		strings.Replace(strings.TrimPrefix(opf3, `<?xml version="1.0" encoding="UTF-8"?>`), "<dc:creator>Ann One</dc:creator>", "<dc:creator>Ann &c; One</dc:creator>", 1)
	b, err := readBytes(build(t, withEntry(sample(t), "OEBPS/content.opf", opf)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Authors) == 0 || strings.ContainsAny(b.Authors[0], "&") || strings.Contains(b.Authors[0], "aaa") {
		t.Errorf("authors %q", b.Authors)
	}
}
