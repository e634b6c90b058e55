package reader

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/narrate-audio/narrate/segment/book"
)

// utf16Bytes encodes s as UTF-16 with a byte-order mark.
func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xff, 0xfe}
	if bigEndian {
		out = []byte{0xfe, 0xff}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestEncodingsAndLineEnds: inputs in the encodings and line ends that
// editors and old systems write read like the same text in UTF-8 with LF.
func TestEncodingsAndLineEnds(t *testing.T) {
	const text = "Chapter 1\n\n“Hello,” said Tom.\n\nChapter 2\n\nMore text, naïve café.\n"
	const md = "# One\n\n“Hello,” said Tom.\n\n# Two\n\nMore text, naïve café.\n"
	const html = `<html><head><meta charset="utf-16"></head><body><h1>One</h1><p>“Hello,” said Tom.</p><h1>Two</h1><p>More text, naïve café.</p></body></html>`
	tests := []struct {
		name, path string
		data       []byte
		titles     string
	}{
		{"UTF-16LE text", "b.txt", utf16Bytes(text, false), "Chapter 1|Chapter 2"},
		{"UTF-16BE text", "b.txt", utf16Bytes(text, true), "Chapter 1|Chapter 2"},
		{"CR line ends", "b.txt", []byte(strings.ReplaceAll(text, "\n", "\r")), "Chapter 1|Chapter 2"},
		{"CRLF line ends", "b.txt", []byte(strings.ReplaceAll(text, "\n", "\r\n")), "Chapter 1|Chapter 2"},
		{"UTF-16LE Markdown", "b.md", utf16Bytes(md, false), "One|Two"},
		{"CR line ends Markdown", "b.md", []byte(strings.ReplaceAll(md, "\n", "\r")), "One|Two"},
		{"UTF-16LE HTML", "b.html", utf16Bytes(html, false), "One|Two"},
		{"UTF-16BE HTML without extension", "b", utf16Bytes(html, true), "One|Two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Read(tt.path, tt.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(titles(b), "|"); got != tt.titles {
				t.Errorf("chapters %q, want %q", got, tt.titles)
			}
			var all strings.Builder
			for _, c := range b.Chapters {
				for _, p := range c.Paragraphs {
					all.WriteString(c.Source(p) + "\n")
				}
			}
			if !strings.Contains(all.String(), "“Hello,” said Tom.") || !strings.Contains(all.String(), "naïve café") {
				t.Errorf("text:\n%s", all.String())
			}
			if strings.ContainsAny(all.String(), "\r\x00\ufffd") {
				t.Errorf("stray bytes in text %q", all.String())
			}
		})
	}
}

// TestMarkdownBadBytes: Markdown is checked like plain text, so invalid
// bytes are an error with a position, not read aloud as U+FFFD.
func TestMarkdownBadBytes(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
		is   error
	}{
		{"latin1", "# One\n\nCaf\xe9 society.\n", "b.md:3:4: not valid UTF-8 at byte offset 10", nil},
		{"NUL", "# One\n\nA\x00B.\n", "b.md:3:2", ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("b.md", []byte(tt.data), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var be *book.Error
			if !errors.As(err, &be) || be.Path != "b.md" {
				t.Errorf("err %v is not a *book.Error naming the file", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
	b, err := Read("b.md", []byte("# One\n\nCaf\xe9 society.\n"), Options{Encoding: "latin1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Chapters[0].Text; !strings.Contains(got, "Café society.") {
		t.Errorf("latin1 Markdown read as %q", got)
	}
}

// FuzzRead: bytes of any kind, named as any format, read or fail with a
// *book.Error naming the file; paragraphs always slice their text.
func FuzzRead(f *testing.F) {
	f.Add(uint8(0), []byte("Chapter 1\r\rHello.\r"))
	f.Add(uint8(1), utf16Bytes("# One\n\n> > quoted\n", false))
	f.Add(uint8(2), utf16Bytes(`<html><body><h1>A</h1><p>b</p></body></html>`, true))
	f.Add(uint8(1), []byte("\ufeff"+strings.Repeat("- ", 70)+"x\n"))
	names := []string{"b.txt", "b.md", "b.html"}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		name := names[int(kind)%len(names)]
		b, err := Read(name, data, Options{})
		if err != nil {
			var be *book.Error
			if !errors.As(err, &be) || be.Path != name {
				t.Fatalf("err %v is not a *book.Error naming %s", err, name)
			}
			return
		}
		for _, c := range b.Chapters {
			for _, p := range c.Paragraphs {
				if p.Start < 0 || p.End < p.Start || p.End > len(c.Text) {
					t.Fatalf("bad paragraph %+v in %d bytes", p, len(c.Text))
				}
			}
		}
	})
}

// TestTextLimit: a book's text is bounded in every format, an EPUB's
// after extraction, since a small archive can inflate to a vast text.
func TestTextLimit(t *testing.T) {
	para := strings.Repeat("All work and no play makes Jack a dull boy. ", 100) // 4,400 bytes
	var text, md strings.Builder
	for i := 1; i <= 5; i++ {
		text.WriteString("Chapter " + string(rune('0'+i)) + "\n\n" + para + "\n\n")
		md.WriteString("# Chapter " + string(rune('0'+i)) + "\n\n" + para + "\n\n")
	}
	var epubData bytes.Buffer
	zw := zip.NewWriter(&epubData)
	add := func(name, body string) {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	add("META-INF/container.xml", `<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`)
	var manifest, spine string
	for i := 1; i <= 5; i++ {
		n := string(rune('0' + i))
		manifest += `<item id="c` + n + `" href="c` + n + `.xhtml" media-type="application/xhtml+xml"/>`
		spine += `<itemref idref="c` + n + `"/>`
		add("c"+n+".xhtml", `<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Chapter `+n+`</h1><p>`+para+`</p></body></html>`)
	}
	add("content.opf", `<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest>`+manifest+`</manifest><spine>`+spine+`</spine></package>`)
	zw.Close()

	for name, data := range map[string][]byte{"b.txt": []byte(text.String()), "b.md": []byte(md.String()), "b.epub": epubData.Bytes()} {
		if _, err := Read(name, data, Options{MaxText: 30000}); err != nil {
			t.Errorf("%s under the limit: %v", name, err)
		}
		_, err := Read(name, data, Options{MaxText: 15000})
		var be *book.Error
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &be) || be.Path != name {
			t.Errorf("%s over the limit: err = %v", name, err)
		}
	}
}
