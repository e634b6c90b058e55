package epub3

import (
	"bytes"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/publish/timeline"
)

func xdoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head><body>` + body + `</body></html>`
}

// bodyText is the text of a document's body, markup taken out.
func bodyText(t *testing.T, data []byte) string {
	t.Helper()
	tree, err := parseTree(data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tree.find("body").walk(func(n *node) {
		if n.kind == textNode {
			b.WriteString(n.text)
		}
	})
	return b.String()
}

func TestKeepMarksSpans(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		pieces []string
		// want is each piece's element's text in the kept document.
		want []string
	}{
		{"inline element across the edge",
			`<p>“Hello <i>there,” he</i> said.</p>`,
			[]string{"“Hello there,”", "he said."},
			[]string{"“Hello there,”", "he said."}},
		{"note marker inside",
			`<p>It was cold<a href="#n1" epub:type="noteref">1</a> that night.</p><p id="x">Next.</p>`,
			[]string{"It was cold that night.", "Next."},
			[]string{"It was cold1 that night.", "Next."}},
		{"speaker and speech in two cells",
			`<table><tr><td>JACK</td><td>How are you?</td></tr></table>`,
			[]string{"JACK. How are you?"},
			[]string{"JACKHow are you?"}},
		{"speaker and part of a speech",
			`<table><tr><td>JACK</td><td>Hi there. <b>Bye</b> now.</td></tr></table>`,
			[]string{"JACK. Hi there.", "Bye now."},
			[]string{"Hi there.", "Bye now."}},
		{"entities and an id already taken",
			`<p id="narrate-1-s0">Fish &amp; chips&#8212;again.</p>`,
			[]string{"Fish & chips—again."},
			[]string{"Fish & chips—again."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := &timeline.Chapter{Number: 1, Origin: "c.xhtml"}
			var blk timeline.Block
			for i, p := range tc.pieces {
				blk.Pieces = append(blk.Pieces, timeline.Piece{Text: p, ID: "s" + string(rune('0'+i))})
			}
			ch.Blocks = []timeline.Block{blk}
			d := &keptDoc{entry: "c.xhtml", chs: []*timeline.Chapter{ch}, ids: map[*timeline.Chapter]map[string]string{}}
			src := []byte(xdoc(tc.body))
			if err := d.keep(src, "narrate/overlay.css"); err != nil {
				t.Fatal(err)
			}
			// The prose is untouched: same text, in the same order.
			if got, want := bodyText(t, d.data), bodyText(t, src); got != want {
				t.Errorf("text changed:\n%q\n%q", got, want)
			}
			if !bytes.Contains(d.data, []byte(`<link rel="stylesheet" type="text/css" href="narrate/overlay.css"/></head>`)) {
				t.Errorf("no style sheet link:\n%s", d.data)
			}
			tree, err := parseTree(d.data)
			if err != nil {
				t.Fatalf("kept document does not parse: %v\n%s", err, d.data)
			}
			seen := map[string]int{}
			tree.walk(func(n *node) {
				if id, ok := n.get("id"); ok && n.kind == elemNode {
					seen[id]++
				}
			})
			for i := range tc.pieces {
				id := d.ids[ch]["s"+string(rune('0'+i))]
				if seen[id] != 1 {
					t.Fatalf("piece %d: id %q on %d elements:\n%s", i, id, seen[id], d.data)
				}
				var el *node
				tree.walk(func(n *node) {
					if v, ok := n.get("id"); ok && v == id && n.kind == elemNode {
						el = n
					}
				})
				var b strings.Builder
				el.walk(func(n *node) {
					if n.kind == textNode {
						b.WriteString(n.text)
					}
				})
				if b.String() != tc.want[i] {
					t.Errorf("piece %d: element <%s id=%q> shows %q, want %q\n%s", i, el.name.Local, id, b.String(), tc.want[i], d.data)
				}
			}
		})
	}
}

func TestKeepFailsOnMissingText(t *testing.T) {
	ch := &timeline.Chapter{Number: 1, Blocks: []timeline.Block{{Pieces: []timeline.Piece{{Text: "Words the page does not have.", ID: "s0"}}}}}
	d := &keptDoc{chs: []*timeline.Chapter{ch}, ids: map[*timeline.Chapter]map[string]string{}}
	if err := d.keep([]byte(xdoc(`<p>Other words entirely.</p>`)), "x.css"); err == nil {
		t.Fatal("marked a span that is not there")
	}
	for _, bad := range []string{`<p>unclosed`, `<html><body><p>no head</p></body></html>`} {
		if err := d.keep([]byte(bad), "x.css"); err == nil {
			t.Errorf("kept %q", bad)
		}
	}
}

func TestRel(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"OEBPS/narrate", "OEBPS/text/ch 1.xhtml", "../text/ch%201.xhtml"},
		{"OEBPS", "OEBPS/narrate/mo001.smil", "narrate/mo001.smil"},
		{".", "EPUB/a.xhtml", "EPUB/a.xhtml"},
		{"a/b/c", "a/x.css", "../../x.css"},
	} {
		if got := rel(tc.from, tc.to); got != tc.want {
			t.Errorf("rel(%q, %q) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

// FuzzParseTree checks that a document that parses renders to one that
// parses to the same text.
func FuzzParseTree(f *testing.F) {
	f.Add(xdoc(`<p>“Hello <i>there,” he</i> said.</p>`))
	f.Add(`<a><b x="1&amp;2"/><!-- c --><?pi x?></a>`)
	f.Fuzz(func(t *testing.T, s string) {
		tree, err := parseTree([]byte(s))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		tree.render(&buf)
		again, err := parseTree(buf.Bytes())
		if err != nil {
			t.Fatalf("rendered %q does not parse: %v", buf.String(), err)
		}
		var b1, b2 bytes.Buffer
		again.render(&b2)
		tree.render(&b1)
		if b1.String() != b2.String() {
			t.Fatalf("not stable:\n%s\n%s", b1.String(), b2.String())
		}
	})
}
