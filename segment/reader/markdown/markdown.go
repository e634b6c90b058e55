// Package markdown reads a CommonMark book into the shared document model
// with goldmark. Headings start chapters at the shallowest level that
// occurs more than once; a lone "#" title above "##" chapters is the book
// title. Emphasis markers never reach the text, links keep their text,
// images and raw HTML are dropped, thematic breaks become Break
// paragraphs, and code blocks are read as ordinary text (in fiction they
// usually hold in-story writing such as letters or signs; their line
// breaks stay single newlines). YAML front
// matter (title, author or authors, language, date or year, description
// or summary) supplies metadata when present.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"

	"github.com/narrate-audio/narrate/segment/book"
	rhtml "github.com/narrate-audio/narrate/segment/reader/html"
)

// MaxSize is the largest input Read accepts, so memory stays bounded.
const MaxSize = 64 << 20

// ErrTooLarge reports an input over MaxSize.
var ErrTooLarge = errors.New("markdown: input larger than 64 MiB")

// ErrTooDeep reports block quotes or lists nested past MaxDepth, or a
// line indented past MaxIndent columns.
var ErrTooDeep = errors.New("markdown: blocks nested too deeply")

// MaxDepth and MaxIndent bound nesting. goldmark's work on a line grows
// with the blocks open around it and the indentation it rescans for
// each, so a 200 KB file of nested "> " took 14 s and deeper lists
// minutes; no book nests anywhere near this deep.
const (
	MaxDepth  = 64
	MaxIndent = 256
)

// ErrNoText reports an input with no readable text.
var ErrNoText = errors.New("markdown: no readable text")

// Read parses a Markdown book.
func Read(r io.Reader) (*book.Book, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("markdown: read: %w", err)
	}
	if len(src) > MaxSize {
		return nil, ErrTooLarge
	}
	b := &book.Book{}
	// A byte-order mark would make the first line a paragraph.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if err := checkDepth(src); err != nil {
		return nil, err
	}
	src = frontMatter(src, b)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	w := &walker{src: src}
	w.blocks(doc)

	level := rhtml.SplitLevel(w.out)
	var h1s []string
	for _, bl := range w.out {
		if bl.Kind == book.Heading && bl.Level == 1 {
			h1s = append(h1s, bl.Text)
		}
	}
	if b.Title == "" && len(h1s) == 1 && level != 1 {
		b.Title = h1s[0]
	}
	for _, s := range rhtml.Split(w.out, level) {
		title := s.Title
		if title == "" {
			if level > 0 && !rhtml.HasProse(s.Blocks) {
				continue // only the book's title
			}
			if title = rhtml.FirstHeading(s.Blocks); title == "" {
				title = b.Title
			}
		}
		if ch := rhtml.NewChapter(title, s.Blocks); len(ch.Paragraphs) > 0 {
			b.Chapters = append(b.Chapters, ch)
		}
	}
	if len(b.Chapters) == 0 {
		return nil, ErrNoText
	}
	for i := range b.Chapters {
		if b.Chapters[i].Title == "" {
			b.Chapters[i].Title = fmt.Sprintf("Chapter %d", i+1)
			b.Chapters[i].Untitled = true
		}
	}
	return b, nil
}

// checkDepth returns a *book.Error at the first line that opens more
// than MaxDepth block quotes and list items, or is indented more than
// MaxIndent columns. Thematic breaks such as "* * * * *" are not lists.
func checkDepth(src []byte) error {
	for ln, off := 1, 0; off < len(src); ln++ {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src) - off
		}
		line := src[off : off+end]
		off += end + 1
		if len(bytes.Trim(line, " \t\r-*_")) == 0 {
			continue
		}
		depth, indent := 0, 0
		for i := 0; i < len(line); {
			switch c := line[i]; {
			case c == ' ':
				indent++
				i++
			case c == '\t':
				indent += 4
				i++
			case c == '>':
				depth++
				i++
			case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
				depth++
				i++
			case c >= '0' && c <= '9':
				j := i
				for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
					j++
				}
				if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
					depth++
					i = j + 1
					continue
				}
				i = len(line)
			default:
				i = len(line)
			}
			if depth > MaxDepth || indent > MaxIndent {
				return &book.Error{Op: "read", Line: ln, Col: i + 1,
					Err: fmt.Errorf("%w: more than %d block quotes and list items, or %d columns of indentation", ErrTooDeep, MaxDepth, MaxIndent)}
			}
		}
	}
	return nil
}

var fmEnd = regexp.MustCompile(`(?m)^(---|\.\.\.)[ \t]*\r?$`)

// frontMatter reads a leading YAML block fenced by "---" lines into b and
// returns the source after it. Malformed YAML is left as text.
func frontMatter(src []byte, b *book.Book) []byte {
	s := bytes.TrimPrefix(src, []byte("\ufeff"))
	if !bytes.HasPrefix(s, []byte("---\n")) && !bytes.HasPrefix(s, []byte("---\r\n")) {
		return src
	}
	body := s[bytes.IndexByte(s, '\n')+1:]
	loc := fmEnd.FindIndex(body)
	if loc == nil {
		return src
	}
	var m map[string]any
	if err := yaml.Unmarshal(body[:loc[0]], &m); err != nil || m == nil {
		return src
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := m[k]; ok && v != nil {
				if _, isList := v.([]any); !isList {
					return strings.TrimSpace(fmt.Sprint(v))
				}
			}
		}
		return ""
	}
	b.Title = str("title")
	b.Language = str("language", "lang")
	b.Summary = str("description", "summary")
	if y := str("year", "date"); len(y) >= 4 {
		b.Year = y[:4]
	}
	for _, k := range []string{"author", "authors"} {
		switch v := m[k].(type) {
		case string:
			b.Authors = append(b.Authors, strings.TrimSpace(v))
		case []any:
			for _, a := range v {
				if s, ok := a.(string); ok && strings.TrimSpace(s) != "" {
					b.Authors = append(b.Authors, strings.TrimSpace(s))
				}
			}
		}
	}
	return body[loc[1]:]
}

type walker struct {
	src []byte
	out []rhtml.Block
	buf strings.Builder
}

// blocks walks block-level nodes iteratively (goldmark nests lists and
// quotes arbitrarily deep).
func (w *walker) blocks(root ast.Node) {
	stack := []ast.Node{}
	for c := root.LastChild(); c != nil; c = c.PreviousSibling() {
		stack = append(stack, c)
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch n := n.(type) {
		case *ast.Heading:
			w.inline(n)
			w.emit(book.Heading, n.Level)
		case *ast.Paragraph, *ast.TextBlock:
			w.inline(n)
			w.emit(book.Prose, 0)
		case *ast.ThematicBreak:
			seg := n.Pos()
			t := rhtml.BreakText
			if seg >= 0 && seg < len(w.src) {
				line := w.src[seg:]
				if i := bytes.IndexByte(line, '\n'); i >= 0 {
					line = line[:i]
				}
				if s := strings.TrimSpace(string(line)); s != "" {
					t = s
				}
			}
			w.buf.WriteString(t)
			w.emit(book.Break, 0)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				w.text(string(seg.Value(w.src)))
			}
			w.emit(book.Prose, 0)
		case *ast.HTMLBlock:
			// Raw HTML is markup, not prose; comments are the common case.
		default:
			for c := n.LastChild(); c != nil; c = c.PreviousSibling() {
				stack = append(stack, c)
			}
		}
	}
}

// inline appends the text of n's inline children.
func (w *walker) inline(n ast.Node) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			w.text(string(resolve(c.Value(w.src))))
			if c.HardLineBreak() {
				w.buf.WriteString("\n")
			} else if c.SoftLineBreak() {
				w.buf.WriteString(" ")
			}
		case *ast.String:
			w.text(string(resolve(c.Value)))
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tx, ok := t.(*ast.Text); ok {
					w.text(string(tx.Value(w.src)))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			w.text(string(c.Label(w.src)))
		case *ast.Image, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

func resolve(b []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b)))
}

func (w *walker) text(s string) { w.buf.WriteString(s) }

// emit ends the current paragraph, collapsing whitespace inside it (a hard
// line break stays one newline).
func (w *walker) emit(k book.Kind, level int) {
	raw := w.buf.String()
	w.buf.Reset()
	var sb strings.Builder
	for i, line := range strings.Split(raw, "\n") {
		f := strings.Join(strings.Fields(line), " ")
		if f == "" {
			continue
		}
		if i > 0 && sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(f)
	}
	t := sb.String()
	if t == "" {
		return
	}
	if k == book.Prose && rhtml.IsBreakText(t) {
		k = book.Break
	}
	if k == book.Heading {
		t = rhtml.FlatTitle(t)
	}
	w.out = append(w.out, rhtml.Block{Kind: k, Text: t, Level: level})
}
