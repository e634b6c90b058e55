package html

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/narrate-audio/narrate/segment/book"
)

// Options tunes Read.
type Options struct {
	// SkipNotes drops author's notes: in AO3 downloads the work's notes
	// and end notes, and each chapter's summary, notes and end notes.
	// Without it they are read where they stand, under a heading such as
	// "Chapter Notes", so the listener knows what they are hearing.
	SkipNotes bool
}

// MaxSize is the largest HTML input Read accepts, so that memory stays
// bounded whatever the input.
const MaxSize = 64 << 20

// ErrTooLarge reports an input over MaxSize.
var ErrTooLarge = errors.New("html: input larger than 64 MiB")

// ErrNoText reports an input with no readable text.
var ErrNoText = errors.New("html: no readable text")

// Read parses a single-page HTML book. The book title comes from the
// document's only <h1> when chapters are split at a deeper level, else from
// <title>; chapters start at the shallowest heading level that occurs more
// than once. AO3's HTML download layout (#preface, #chapters, #afterword)
// is recognised: title, authors (a[rel=author]), summary, publication year
// and per-chapter titles come from its markup, and author's notes follow
// opts.SkipNotes. The character set is sniffed from <meta charset>.
func Read(r io.Reader, opts Options) (*book.Book, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("html: read: %w", err)
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	cr, err := charset.NewReader(bytes.NewReader(data), "text/html")
	if err != nil {
		return nil, fmt.Errorf("html: charset: %w", err)
	}
	doc, err := nethtml.Parse(cr)
	if err != nil {
		return nil, fmt.Errorf("html: parse: %w", err)
	}
	b := &book.Book{}
	if root := Find(doc, func(n *nethtml.Node) bool { return tagAtom(n) == atom.Html }); root != nil {
		b.Language = strings.TrimSpace(Attr(root, "lang"))
	}
	if m := Find(doc, func(n *nethtml.Node) bool {
		return tagAtom(n) == atom.Meta && strings.EqualFold(Attr(n, "name"), "author")
	}); m != nil {
		if a := strings.TrimSpace(Attr(m, "content")); a != "" {
			b.Authors = []string{a}
		}
	}
	pre, chs := byID(doc, "preface"), byID(doc, "chapters")
	if pre != nil && chs != nil {
		readAO3(b, doc, pre, chs, opts)
	} else {
		readPlain(b, doc)
	}
	if len(b.Chapters) == 0 {
		return nil, ErrNoText
	}
	return b, nil
}

func readPlain(b *book.Book, doc *nethtml.Node) {
	blocks := Extract(Body(doc), ExtractOptions{})
	level := SplitLevel(blocks)
	var h1s []string
	for _, bl := range blocks {
		if bl.Kind == book.Heading && bl.Level == 1 {
			h1s = append(h1s, FlatTitle(bl.Text))
		}
	}
	switch {
	case level != 1 && len(h1s) == 1:
		b.Title = h1s[0]
	case Title(doc) != "":
		b.Title = Title(doc)
	default:
		b.Title = FirstHeading(blocks)
	}
	for _, s := range Split(blocks, level) {
		title := s.Title
		if title == "" {
			// Content before the first chapter heading: keep it only
			// when it says something beyond the book's title.
			if level > 0 && !HasProse(s.Blocks) {
				continue
			}
			title = FirstHeading(s.Blocks)
			if title == "" {
				title = b.Title
			}
		}
		if ch := NewChapter(title, s.Blocks); len(ch.Paragraphs) > 0 {
			b.Chapters = append(b.Chapters, ch)
		}
	}
}

var yearRE = regexp.MustCompile(`Published:\s*(\d{4})`)

// readAO3 reads AO3's download layout: a #preface with the work's meta
// block, #chapters holding per chapter a "meta group" (title, summary,
// notes) then a "userstuff" div, and an #afterword with end notes.
func readAO3(b *book.Book, doc, pre, chs *nethtml.Node, opts Options) {
	meta := Find(pre, func(n *nethtml.Node) bool { return hasClass(n, "meta") })
	if meta == nil {
		meta = pre
	}
	if h := Find(meta, func(n *nethtml.Node) bool { return tagAtom(n) == atom.H1 }); h != nil {
		b.Title = FlatTitle(TextContent(h))
	}
	if b.Title == "" {
		b.Title = Title(doc)
	}
	var authors []string
	for _, a := range FindAll(pre, func(n *nethtml.Node) bool {
		return tagAtom(n) == atom.A && hasToken(strings.Fields(Attr(n, "rel")), "author")
	}) {
		if t := FlatTitle(TextContent(a)); t != "" {
			authors = append(authors, t)
		}
	}
	if len(authors) > 0 {
		b.Authors = authors
	}
	if m := yearRE.FindStringSubmatch(TextContent(meta)); m != nil {
		b.Year = m[1]
	}
	summary, notes := ao3Meta(meta, false)
	b.Summary = summary

	var cur []Block
	title := ""
	flush := func() {
		if len(cur) > 0 && HasProse(cur) {
			b.Chapters = append(b.Chapters, NewChapter(title, cur))
		}
		cur, title = nil, ""
	}
	started := false
	for c := chs.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != nethtml.ElementNode {
			continue
		}
		h := c
		if headingLevel(tagAtom(c)) == 0 {
			h = Find(c, func(n *nethtml.Node) bool { return headingLevel(tagAtom(n)) > 0 })
		}
		switch {
		case hasClass(c, "meta") && h != nil, headingLevel(tagAtom(c)) > 0:
			// A chapter's preface: its title, then summary and notes.
			flush()
			started = true
			title = FlatTitle(TextContent(h))
			cur = append(cur, Block{Kind: book.Heading, Text: title, Level: 2})
			if !opts.SkipNotes && c != h {
				s, n := ao3Meta(c, true)
				if s != "" {
					cur = append(cur, Block{Kind: book.Heading, Text: "Chapter Summary", Level: 3})
					cur = append(cur, paragraphs(s)...)
				}
				cur = append(cur, n...)
			}
		case hasClass(c, "meta"):
			// Chapter end notes.
			if !opts.SkipNotes {
				_, n := ao3Meta(c, true)
				cur = append(cur, n...)
			}
		default:
			if !started {
				// A one-chapter work has no chapter preface: the
				// work's title heads its only chapter.
				started = true
				title = b.Title
				cur = append(cur, Block{Kind: book.Heading, Text: b.Title, Level: 1})
			}
			cur = append(cur, Extract(c, ExtractOptions{})...)
		}
		if len(b.Chapters) == 0 && len(notes) > 0 && !opts.SkipNotes && len(cur) > 0 && cur[0].Kind == book.Heading {
			// The work's own notes open the first chapter, after its
			// title.
			cur = append(cur[:1:1], append(notes, cur[1:]...)...)
			notes = nil
		}
	}
	if aft := byID(doc, "afterword"); aft != nil && !opts.SkipNotes {
		if en := byID(aft, "endnotes"); en != nil {
			_, n := ao3Meta(en, true)
			cur = append(cur, n...)
		}
	}
	flush()
}

// ao3Meta reads an AO3 meta block: the text of the blockquote after a
// "Summary" label, and the note blocks (each label as a heading, then the
// note's paragraphs). Tag lists, bylines, headings and "see the end of
// the work" links are not part of either.
func ao3Meta(meta *nethtml.Node, withNotes bool) (summary string, notes []Block) {
	label := ""
	for c := meta.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != nethtml.ElementNode {
			continue
		}
		switch {
		case tagAtom(c) == atom.P && !hasClass(c, "byline") && !hasClass(c, "message"):
			label = FlatTitle(TextContent(c))
		case tagAtom(c) == atom.Blockquote:
			blocks := Extract(c, ExtractOptions{})
			if strings.Contains(strings.ToLower(label), "summary") {
				if summary == "" {
					var parts []string
					for _, bl := range blocks {
						parts = append(parts, bl.Text)
					}
					summary = strings.Join(parts, "\n")
				}
				continue
			}
			if withNotes || label != "" {
				if label != "" {
					notes = append(notes, Block{Kind: book.Heading, Text: label, Level: 3})
					label = ""
				}
				notes = append(notes, blocks...)
			}
		case tagAtom(c) == atom.Div && !hasClass(c, "endnote-link") && !hasClass(c, "byline"):
			// AO3 wraps work end notes in <div id="endnotes">.
			_, n := ao3Meta(c, withNotes)
			notes = append(notes, n...)
		}
	}
	return summary, notes
}

// paragraphs splits text on newlines into Prose blocks.
func paragraphs(s string) []Block {
	var out []Block
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, Block{Kind: book.Prose, Text: line})
		}
	}
	return out
}

func byID(n *nethtml.Node, id string) *nethtml.Node {
	return Find(n, func(c *nethtml.Node) bool { return Attr(c, "id") == id })
}

func hasClass(n *nethtml.Node, class string) bool {
	return n.Type == nethtml.ElementNode && hasToken(strings.Fields(Attr(n, "class")), class)
}
