package html

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment/book"
)

// render lists a chapter's paragraphs as "kind:text" for comparison.
func render(ch book.Chapter) []string {
	var out []string
	for _, p := range ch.Paragraphs {
		out = append(out, p.Kind.String()+":"+ch.Source(p))
	}
	return out
}

func checkChapter(t *testing.T, ch book.Chapter) {
	t.Helper()
	prev := -2
	for i, p := range ch.Paragraphs {
		if p.Start < 0 || p.End > len(ch.Text) || p.Start >= p.End {
			t.Fatalf("paragraph %d: bad offsets %d:%d in %d bytes", i, p.Start, p.End, len(ch.Text))
		}
		if p.Start != prev+2 || (i > 0 && ch.Text[prev:p.Start] != "\n\n") {
			t.Fatalf("paragraph %d: not separated by a blank line", i)
		}
		prev = p.End
		if p.Speaker != "" && (p.Label < p.Start || p.Label >= p.End) {
			t.Fatalf("paragraph %d: speaker's label ends at %d, outside %d:%d", i, p.Label, p.Start, p.End)
		}
		last := p.Start
		for _, d := range p.Directions {
			if d[0] < last || d[1] > p.End || d[0] >= d[1] {
				t.Fatalf("paragraph %d: stage direction %v out of order or outside %d:%d", i, d, p.Start, p.End)
			}
			last = d[1]
		}
		if strings.Contains(ch.Source(p), "\n\n") {
			t.Fatalf("paragraph %d holds a blank line: %q", i, ch.Source(p))
		}
	}
	if len(ch.Paragraphs) > 0 && prev != len(ch.Text) {
		t.Fatalf("text has %d bytes after the last paragraph", len(ch.Text)-prev)
	}
}

// TestPlayMarkup reads the speeches of a play as Standard Ebooks and
// DAISY mark them: the persona names the speaker, not read as part of
// the speech, and stage directions are marked in the text.
func TestPlayMarkup(t *testing.T) {
	const in = `<table>
<tr><td/><td><i epub:type="z3998:stage-direction"><b epub:type="z3998:persona">Lane</b> is arranging tea.</i></td></tr>
<tr><td epub:type="z3998:persona">Algernon</td><td>Did you hear, <b>Lane</b>?</td></tr>
<tr><td epub:type="z3998:persona">Lane</td><td>Yes, sir. <i epub:type="z3998:stage-direction">Hands them on a salver.</i></td></tr>
<tr><td epub:type="z3998:persona">Algernon</td><td><i epub:type="z3998:stage-direction">Languidly.</i> Thank you.</td></tr>
</table>
<p><b epub:type="z3998:persona">LADY BRACKNELL:</b> Good afternoon.</p>
<ul><li><p epub:type="z3998:persona">Miss Prism</p></li><li><p><b epub:type="z3998:persona">John Worthing</b>, J.P.</p></li></ul><p>After the list.</p>
<table><tr><td epub:type="z3998:persona">Algernon</td><td><p>First para.</p><p>Second <i epub:type="z3998:stage-direction">(sits)</i> of it.</p></td></tr></table>
<p><b epub:type="z3998:persona">Cécile</b>. Déjà vu.</p>
<p>Plain prose after the play.</p>`
	doc, err := ParseDocument([]byte(`<html xmlns:epub="http://www.idpf.org/2007/ops"><body>` + in + `</body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	type play struct {
		text, speaker, label string
		directions           []string
	}
	want := []play{
		{text: "Lane is arranging tea.", directions: []string{"Lane is arranging tea."}},
		{text: "Algernon. Did you hear, Lane?", speaker: "Algernon", label: "Algernon."},
		{text: "Lane. Yes, sir. Hands them on a salver.", speaker: "Lane", label: "Lane.", directions: []string{"Hands them on a salver."}},
		{text: "Algernon. Languidly. Thank you.", speaker: "Algernon", label: "Algernon.", directions: []string{"Languidly."}},
		{text: "LADY BRACKNELL: Good afternoon.", speaker: "LADY BRACKNELL", label: "LADY BRACKNELL:"},
		// A name alone (the persons of the play) is no speech.
		{text: "Miss Prism"},
		{text: "John Worthing, J.P."},
		{text: "After the list."},
		// A speech in paragraphs of its own: each is the persona's, and
		// the name is not a paragraph.
		{text: "First para.", speaker: "Algernon"},
		{text: "Second (sits) of it.", speaker: "Algernon", directions: []string{"(sits)"}},
		// The name's own full stop is not doubled.
		{text: "Cécile. Déjà vu.", speaker: "Cécile", label: "Cécile."},
		{text: "Plain prose after the play."},
	}
	blocks := Extract(doc, ExtractOptions{})
	if len(blocks) != len(want) {
		t.Fatalf("%d blocks, want %d: %+v", len(blocks), len(want), blocks)
	}
	for i, b := range blocks {
		got := play{text: b.Text, speaker: b.Speaker, label: b.Text[:b.Label]}
		for _, d := range b.Directions {
			got.directions = append(got.directions, b.Text[d[0]:d[1]])
		}
		if got.text != want[i].text || got.speaker != want[i].speaker || got.label != want[i].label ||
			strings.Join(got.directions, "|") != strings.Join(want[i].directions, "|") {
			t.Errorf("block %d = %+v\nwant %+v", i, got, want[i])
		}
	}
	// The chapter keeps the markup, as offsets into its text.
	ch := NewChapter("Act I", blocks)
	p := ch.Paragraphs[2]
	if p.Speaker != "Lane" || ch.Text[p.Start:p.Label] != "Lane." || len(p.Directions) != 1 ||
		ch.Text[p.Directions[0][0]:p.Directions[0][1]] != "Hands them on a salver." {
		t.Errorf("paragraph %+v of %q", p, ch.Text)
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"inline markup and entities", `<p>She <em>said</em> &ldquo;hi&rdquo; &amp;   <b>left</b>.</p>`,
			[]string{"prose:She said “hi” & left."}},
		{"headings and breaks", `<h2>One</h2><p>a</p><hr/><p>b</p><p class=c>* * *</p><p>~*~*~</p>`,
			[]string{"heading:One", "prose:a", "break:* * *", "prose:b", "break:* * *", "break:~*~*~"}},
		{"br is a line break", `<p>roses are red<br>violets<br/> are blue</p>`,
			[]string{"prose:roses are red\nviolets\nare blue"}},
		{"ignored elements", `<nav>menu</nav><script>x()</script><style>p{}</style><p>kept<sup><a href="#n1">1</a></sup></p><aside>side</aside><p hidden>no</p><template>t</template>`,
			[]string{"prose:kept"}},
		{"page header dropped, section header kept", `<header>Site</header><section><header><h1>Ch</h1></header><p>x</p></section><footer>f</footer>`,
			[]string{"heading:Ch", "prose:x"}},
		{"nested blocks", `<div>lead<p>one</p>tail<blockquote><p>quote</p></blockquote></div><ul><li>item <i>a</i></li><li><p>b</p></li></ul>`,
			[]string{"prose:lead", "prose:one", "prose:tail", "prose:quote", "prose:item a", "prose:b"}},
		{"persona table", `<table><tr><td epub:type="z3998:persona">Jack</td><td>How are you?</td></tr><tr><td/><td><i>Enter Lane.</i></td></tr></table>`,
			[]string{"prose:Jack. How are you?", "prose:Enter Lane."}},
		{"noteref dropped", `<p>text<a epub:type="noteref" href="#n">12</a> more</p><aside epub:type="footnote">n</aside>`,
			[]string{"prose:text more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseDocument([]byte(`<html xmlns:epub="http://www.idpf.org/2007/ops"><body>` + tt.in + `</body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range Extract(doc, ExtractOptions{}) {
				got = append(got, b.Kind.String()+":"+b.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseDocumentXHTML(t *testing.T) {
	// Self-closing <title/> and <a/> would swallow the page in an HTML
	// parser; the DOCTYPE's entity must not be fetched or break parsing.
	src := `<?xml version="1.0"?>
<!DOCTYPE html [ <!ENTITY ext SYSTEM "file:///etc/passwd"> ]>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title/></head><body epub:type="bodymatter"><section id="s1" epub:type="chapter"><a id="top"/>
<h1>Title &mdash; one&nbsp;&ext;</h1><p>Body.</p></section></body></html>`
	doc, err := ParseDocument([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	blocks := Extract(doc, ExtractOptions{KeepHeaders: true})
	if len(blocks) != 2 {
		t.Fatalf("got %d blocks: %+v", len(blocks), blocks)
	}
	h := blocks[0]
	if strings.Contains(h.Text, "root:") || !strings.HasPrefix(h.Text, "Title — one") {
		t.Errorf("heading %q", h.Text)
	}
	if strings.Join(h.IDs, ",") != "s1,top" || !h.HasType("chapter") || !h.HasType("bodymatter") {
		t.Errorf("heading ids %v types %v", h.IDs, h.Types)
	}
}

// TestParseDocumentEntities: entities a DOCTYPE declares, a billion
// laughs among them, are neither expanded nor read out as "&name;".
func TestParseDocumentEntities(t *testing.T) {
	laughs := `<!ENTITY lol "lol">`
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		laughs += fmt.Sprintf(`<!ENTITY lol%d "%s">`, i, strings.Repeat("&"+prev+";", 10))
	}
	src := `<?xml version="1.0"?><!DOCTYPE html [` + laughs + `<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Some &lol9; text &ext;here &amp; there&mdash;&unknown; end.</p></body></html>`
	doc, err := ParseDocument([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	blocks := Extract(doc, ExtractOptions{})
	if len(blocks) != 1 || blocks[0].Text != "Some text here & there—&unknown; end." {
		t.Errorf("blocks %+v", blocks)
	}
	// The shared table of HTML entities is not changed.
	if _, ok := xml.HTMLEntity["lol9"]; ok {
		t.Error("xml.HTMLEntity was modified")
	}
}

// TestParseDocumentCharsets: declared encodings are honoured, and an
// unknown label does not lose the letters outside ASCII.
func TestParseDocumentCharsets(t *testing.T) {
	doc := func(label, body string) []byte {
		return []byte(`<?xml version="1.0" encoding="` + label + `"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>` + body + `</p></body></html>`)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"latin1", doc("ISO-8859-1", "Caf\xe9 na\xefve.")},
		{"windows-1252", doc("windows-1252", "Caf\xe9 na\xefve.")},
		{"unknown label, UTF-8 text", doc("x-mac-roman-ish", "Café naïve.")},
		{"unknown label, 8-bit text", doc("x-mac-roman-ish", "Caf\xe9 na\xefve.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDocument(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			blocks := Extract(d, ExtractOptions{})
			if len(blocks) != 1 || blocks[0].Text != "Café naïve." {
				t.Errorf("blocks %+v", blocks)
			}
		})
	}
}

func TestParseDocumentBroken(t *testing.T) {
	doc, err := ParseDocument([]byte(`<html><body><p>one<p>two & three</i></body>`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range Extract(doc, ExtractOptions{}) {
		got = append(got, b.Text)
	}
	if strings.Join(got, "|") != "one|two & three" {
		t.Errorf("got %q", got)
	}
}

func TestSplit(t *testing.T) {
	h := func(l int, s string) Block { return Block{Kind: book.Heading, Level: l, Text: s} }
	p := func(s string) Block { return Block{Kind: book.Prose, Text: s} }
	blocks := []Block{h(1, "Book"), p("intro"), h(2, "Chapter 1"), h(2, "The Start"), p("a"), h(3, "part"), p("b"), h(2, "Chapter 2"), p("c")}
	if lvl := SplitLevel(blocks); lvl != 2 {
		t.Fatalf("level %d, want 2", lvl)
	}
	secs := Split(blocks, 2)
	var titles []string
	for _, s := range secs {
		titles = append(titles, s.Title)
	}
	if strings.Join(titles, "|") != "|Chapter 1: The Start|Chapter 2" {
		t.Errorf("titles %q", titles)
	}
	if SplitLevel([]Block{h(1, "only"), p("x"), h(2, "one"), p("y")}) != 0 {
		t.Error("no repeated level should mean no split")
	}
}

func TestNewChapterBreaks(t *testing.T) {
	b := []Block{{Kind: book.Break, Text: "*"}, {Kind: book.Prose, Text: "a"}, {Kind: book.Break, Text: "*"},
		{Kind: book.Break, Text: "#"}, {Kind: book.Prose, Text: "b"}, {Kind: book.Break, Text: "~"}}
	ch := NewChapter("t", b)
	checkChapter(t, ch)
	if got := strings.Join(render(ch), "|"); got != "prose:a|break:*|prose:b" {
		t.Errorf("got %q", got)
	}
}

func TestReadPlain(t *testing.T) {
	src := `<!DOCTYPE html><html lang="en"><head><title>Site - A Book</title><meta name="author" content="Ann Author"></head>
<body><header><h1>Site name</h1></header><h1>A Book</h1>
<h2>Chapter 1</h2><p>It was a dark night.</p><p>* * *</p><p>Later.</p>
<h2>Chapter 2</h2><p>Then <strong>day</strong>.</p><footer>copyright</footer></body></html>`
	b, err := Read(strings.NewReader(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Title != "A Book" || len(b.Authors) != 1 || b.Authors[0] != "Ann Author" || b.Language != "en" {
		t.Errorf("metadata %q %q %q", b.Title, b.Authors, b.Language)
	}
	if len(b.Chapters) != 2 {
		t.Fatalf("%d chapters", len(b.Chapters))
	}
	for _, ch := range b.Chapters {
		checkChapter(t, ch)
	}
	want := "heading:Chapter 1|prose:It was a dark night.|break:* * *|prose:Later."
	if got := strings.Join(render(b.Chapters[0]), "|"); got != want || b.Chapters[0].Title != "Chapter 1" {
		t.Errorf("chapter 1 %q: %q", b.Chapters[0].Title, got)
	}
}

const ao3Doc = `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>Schism - someone - Fandom [Archive of Our Own]</title></head><body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>Schism</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a>.</p>
  <div class="meta">
    <dl class="tags"><dt>Rating:</dt><dd><a href="x">Teen</a></dd><dt>Stats:</dt><dd>Published: 2021-03-04 Words: 900 Chapters: 2/2</dd></dl>
    <h1>Schism</h1>
    <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/a">Writer&#39;s Pen</a>, <a rel="author" href="b">Co</a></div>
    <p>Summary</p><blockquote class="userstuff"><p>Two people <em>argue</em>.</p></blockquote>
    <p>Notes</p><blockquote class="userstuff"><p>Work note.</p></blockquote>
    <div class="endnote-link">See the end of the work for <a href="#endnotes">notes</a></div>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group"><h2 class="heading">Chapter 1: Start</h2>
    <p>Chapter Notes</p><blockquote class="userstuff"><p>Ch note.</p></blockquote></div>
  <div class="userstuff"><p>"Hello," she said.</p><p>~*~*~</p><p>Bye.</p></div>
  <div class="meta" id="endnotes1"><p>Chapter End Notes</p><blockquote class="userstuff"><p>End ch note.</p></blockquote></div>
  <div class="meta group"><h2 class="heading">Chapter 2</h2></div>
  <div class="userstuff"><p>Second.</p></div>
</div>
<div id="afterword"><h2 class="toc-heading">Afterword</h2><div class="meta"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thanks!</p></blockquote></div></div>
<p class="message">Please <a href="c">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p></div>
</body></html>`

func TestReadAO3(t *testing.T) {
	tests := []struct {
		skip     bool
		ch1, ch2 string
	}{
		{false,
			"heading:Chapter 1: Start|heading:Notes|prose:Work note.|heading:Chapter Notes|prose:Ch note.|prose:\"Hello,\" she said.|break:~*~*~|prose:Bye.|heading:Chapter End Notes|prose:End ch note.",
			"heading:Chapter 2|prose:Second.|heading:End Notes|prose:Thanks!"},
		{true,
			"heading:Chapter 1: Start|prose:\"Hello,\" she said.|break:~*~*~|prose:Bye.",
			"heading:Chapter 2|prose:Second."},
	}
	for _, tt := range tests {
		b, err := Read(strings.NewReader(ao3Doc), Options{SkipNotes: tt.skip})
		if err != nil {
			t.Fatal(err)
		}
		if b.Title != "Schism" || strings.Join(b.Authors, ",") != "Writer's Pen,Co" || b.Year != "2021" || b.Summary != "Two people argue." {
			t.Errorf("metadata %q %q %q %q", b.Title, b.Authors, b.Year, b.Summary)
		}
		if len(b.Chapters) != 2 {
			t.Fatalf("skip=%v: %d chapters", tt.skip, len(b.Chapters))
		}
		for i, want := range []string{tt.ch1, tt.ch2} {
			checkChapter(t, b.Chapters[i])
			if got := strings.Join(render(b.Chapters[i]), "|"); got != want {
				t.Errorf("skip=%v chapter %d:\ngot  %s\nwant %s", tt.skip, i+1, got, want)
			}
		}
		if b.Chapters[0].Title != "Chapter 1: Start" {
			t.Errorf("title %q", b.Chapters[0].Title)
		}
	}
}

func TestReadAO3OneChapter(t *testing.T) {
	src := `<html><body><div id="preface"><div class="meta"><h1>Solo</h1><div class="byline">by <a rel="author" href="u">Me</a></div></div></div>
<div id="chapters" class="userstuff"><div class="userstuff"><p>Only text.</p></div></div></body></html>`
	b, err := Read(strings.NewReader(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Chapters) != 1 || strings.Join(render(b.Chapters[0]), "|") != "heading:Solo|prose:Only text." {
		t.Fatalf("got %+v", b.Chapters)
	}
}

func TestReadEmpty(t *testing.T) {
	_, err := Read(strings.NewReader(`<html><body><script>x</script></body></html>`), Options{})
	if !errors.Is(err, ErrNoText) {
		t.Errorf("err %v, want ErrNoText", err)
	}
}

func TestDeepNesting(t *testing.T) {
	// XML input is capped while building the tree; the HTML parser refuses
	// more than 512 open elements itself, so it gets a depth just past the
	// walker's own limit.
	for _, tt := range []struct {
		name  string
		depth int
		tail  string
	}{{"xml", 5000, ""}, {"html", 450, "<p"}} {
		src := strings.Repeat("<div>", tt.depth) + "deep" + strings.Repeat("</div>", tt.depth) + tt.tail
		doc, err := ParseDocument([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		blocks := Extract(doc, ExtractOptions{})
		if len(blocks) != 1 || blocks[0].Text != "deep" {
			t.Errorf("%s: got %+v", tt.name, blocks)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(ao3Doc)
	f.Add(`<h1>a</h1><h2>b</h2><p>c<br>d</p><hr><h2>e</h2><table><tr><td epub:type="z3998:persona">X</td><td>y</td></tr></table>`)
	f.Add(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><html><body><p>&a;</p></body></html>`)
	f.Add(`<table><tr><td epub:type="z3998:persona">Lane</td><td>Yes. <i epub:type="z3998:stage-direction">Bows.</i> <i epub:type="z3998:stage-direction"><i epub:type="z3998:stage-direction">x</i></i></td></tr></table><p><b epub:type="z3998:persona">A</b></p><p epub:type="z3998:persona">B<i epub:type="z3998:stage-direction">c</i></p>`)
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Read(strings.NewReader(s), Options{})
		if err == nil {
			for _, ch := range b.Chapters {
				checkChapter(t, ch)
			}
		}
		doc, err := ParseDocument([]byte(s))
		if err != nil {
			return
		}
		blocks := Extract(doc, ExtractOptions{KeepHeaders: true})
		for _, sec := range Split(blocks, SplitLevel(blocks)) {
			checkChapter(t, NewChapter(sec.Title, sec.Blocks))
		}
	})
}
