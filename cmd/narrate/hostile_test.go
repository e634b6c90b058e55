package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// epub builds an English EPUB with the given spine documents (name ->
// XHTML) and extra raw entries.
func epub(t *testing.T, path string, spine []string, files map[string]string, raw func(*zip.Writer)) {
	t.Helper()
	epubIn(t, path, "en", spine, files, raw)
}

// epubIn is epub with the package's dc:language.
func epubIn(t *testing.T, path, lang string, spine []string, files map[string]string, raw func(*zip.Writer)) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	w, _ := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	io.WriteString(w, "application/epub+zip")
	w, _ = z.Create("META-INF/container.xml")
	io.WriteString(w, `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`)
	var manifest, itemrefs strings.Builder
	for i, name := range spine {
		fmt.Fprintf(&manifest, `<item id="i%d" href="%s" media-type="application/xhtml+xml"/>`, i, name)
		fmt.Fprintf(&itemrefs, `<itemref idref="i%d"/>`, i)
	}
	for name := range files {
		if strings.HasSuffix(name, ".pls") {
			fmt.Fprintf(&manifest, `<item id="lex" href="%s" media-type="application/pls+xml"/>`, strings.TrimPrefix(name, "OEBPS/"))
		}
	}
	w, _ = z.Create("OEBPS/content.opf")
	fmt.Fprintf(w, `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier><dc:title>Hostile</dc:title><dc:language>%s</dc:language></metadata><manifest>%s</manifest><spine>%s</spine></package>`, lang, manifest.String(), itemrefs.String())
	for name, body := range files {
		w, _ = z.Create(name)
		io.WriteString(w, body)
	}
	if raw != nil {
		raw(z)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}

const xhtml = `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head><body><h1>One</h1><p>%s</p></body></html>`

// TestHostileInputs feeds the whole front half of narrate (read, segment,
// attribute, cast, plan) inputs built to break it: each gives a clear
// error naming the file, or a sane plan; none panics, and memory stays
// bounded.
func TestHostileInputs(t *testing.T) {
	requireEspeak(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string { return writeInput(t, dir, name, data) }
	var chapters bytes.Buffer
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&chapters, "Chapter %d\n\nLine %d.\n\n", i, i)
	}
	nested := strings.Repeat("<div>", 100000) + "deep text" + strings.Repeat("</div>", 100000)

	traversal := filepath.Join(dir, "traversal.epub")
	epub(t, traversal, []string{"ch1.xhtml"}, map[string]string{"OEBPS/ch1.xhtml": fmt.Sprintf(xhtml, "Safe text.")}, func(z *zip.Writer) {
		w, _ := z.Create("../../evil.xhtml")
		io.WriteString(w, "evil")
	})
	bomb := filepath.Join(dir, "bomb.epub")
	epub(t, bomb, []string{"ch1.xhtml"}, nil, func(z *zip.Writer) {
		w, _ := z.Create("OEBPS/ch1.xhtml")
		zeros := make([]byte, 1<<20)
		for i := 0; i < 100; i++ { // 100 MiB that compress to about 100 KiB
			w.Write(zeros)
		}
	})
	missing := filepath.Join(dir, "missing.epub")
	epub(t, missing, []string{"ch1.xhtml", "gone.xhtml"}, map[string]string{"OEBPS/ch1.xhtml": fmt.Sprintf(xhtml, "Here.")}, nil)
	entities := filepath.Join(dir, "entities.epub")
	epub(t, entities, []string{"ch1.xhtml"}, map[string]string{"OEBPS/ch1.xhtml": `<?xml version="1.0"?><!DOCTYPE html [<!ENTITY leak SYSTEM "file:///etc/passwd"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><html xmlns="http://www.w3.org/1999/xhtml"><body><h1>One</h1><p>Before &leak; after &lol2; end.</p></body></html>`}, nil)

	drm := filepath.Join(dir, "drm.epub")
	epub(t, drm, []string{"ch1.xhtml"}, map[string]string{
		"OEBPS/ch1.xhtml":         string(bytes.Repeat([]byte{0x8f, 0x03, 0xd1, 0x1e, 0x00, 0x7a, 0x19, 0xee}, 500)),
		"META-INF/encryption.xml": `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/ch1.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>`,
	}, nil)
	repeated := make([]string, 20000) // one document listed 20,000 times
	for i := range repeated {
		repeated[i] = "ch1.xhtml"
	}
	spine := filepath.Join(dir, "spine.epub")
	epub(t, spine, repeated, map[string]string{"OEBPS/ch1.xhtml": fmt.Sprintf(xhtml, "Once.")}, nil)
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "Chapter 1\r\n\r\n\"Hello,\" said Tom.\r\n" {
		utf16 = append(utf16, byte(r), 0)
	}

	tests := []struct {
		name, path string
		wantErr    string // "" means a plan is expected
		notIn      string // text that must not appear in the output
	}{
		{"encrypted EPUB", drm, "drm.epub: OEBPS/ch1.xhtml: encrypted (DRM)", ""},
		{"one document listed 20,000 times", spine, "", ""},
		{"UTF-16 text", write("utf16.txt", utf16), "", ""},
		{"CR line ends", write("mac.txt", []byte("Chapter 1\r\rOne.\r\rChapter 2\r\rTwo.\r")), "", ""},
		{"100,000 nested block quotes", write("quotes.md", []byte(strings.Repeat("> ", 100000)+"deep\n")), "quotes.md:1:", ""},
		{"10 MB single line", write("line.txt", bytes.Repeat([]byte("word "), 2<<20)), "", ""},
		{"one paragraph of 25,000 quotations", write("quotes.txt", bytes.Repeat([]byte(`he said, "well then" and she said "no" then `), 25000)), "", ""},
		{"one paragraph of 25,000 quotations set far apart", write("apart.txt", bytes.Repeat([]byte(`one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen. "Well then," he said. `), 25000)), "", ""},
		{"10,000 tiny chapters", write("many.txt", chapters.Bytes()), "", ""},
		{"deeply nested HTML", write("nested.html", []byte("<html><body>"+nested+"</body></html>")), "nested.html", ""},
		{"zip entry with ../", traversal, "", "evil"},
		{"decompression bomb", bomb, "bomb.epub", ""},
		{"spine item missing", missing, "gone.xhtml", ""},
		{"external entities", entities, "", "root:"},
		{"random binary", write("random.bin", bytes.Repeat([]byte{0x00, 0xff, 0x13, 0x37}, 1000)), "random.bin", ""},
		{"binary named .epub", write("fake.epub", []byte("not a zip at all")), "fake.epub", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, "render", tt.path, "--dry-run")
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > 400<<20 {
				t.Errorf("heap holds %d MiB after the run", ms.HeapAlloc>>20)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(out, "chapters") {
				t.Errorf("no plan:\n%s", out)
			}
			if strings.Contains(out, "20000 chapters") {
				t.Errorf("a repeated spine document made a chapter each time:\n%s", out)
			}
			if tt.notIn != "" {
				seg, _, _ := run(t, "segment", tt.path, "--format", "jsonl")
				if strings.Contains(seg, tt.notIn) {
					t.Errorf("output contains %q", tt.notIn)
				}
			}
		})
	}
}

// TestPLSLexicon: an EPUB's pronunciation lexicon changes what is spoken,
// and the user's pronunciations win over it.
func TestPLSLexicon(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lex.epub")
	epub(t, path, []string{"ch1.xhtml"}, map[string]string{
		"OEBPS/ch1.xhtml": fmt.Sprintf(xhtml, "The W3C met Hermione and Tolkien."),
		"OEBPS/lexicon.pls": `<?xml version="1.0"?><lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en">
<lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme>
<lexeme><grapheme>Hermione</grapheme><alias>her my oh nee</alias></lexeme>
<lexeme><grapheme>Tolkien</grapheme><phoneme>ˈtɒlkiːn</phoneme></lexeme></lexicon>`,
	}, nil)
	cfg := filepath.Join(t.TempDir(), "n.yaml")
	os.WriteFile(cfg, []byte("pronunciations:\n  Hermione: her-MY-oh-nee\n"), 0o644)
	out, _, err := run(t, "segment", path, "--format", "jsonl", "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "World Wide Web Consortium") || !strings.Contains(out, "her-MY-oh-nee") || !strings.Contains(out, "Tolkien") {
		t.Errorf("speech:\n%s", out)
	}
}
