// Package html reads books from HTML: a single-page HTML book (including
// AO3's HTML download layout) through Read, and, for other readers such as
// the EPUB reader, one (X)HTML document at a time through ParseDocument,
// Extract, Split and NewChapter.
//
// Extracted text is plain: inline markup removed, entities decoded,
// whitespace inside a paragraph collapsed to single spaces (a <br> becomes
// one newline), paragraphs separated by a blank line in Chapter.Text.
package html

import (
	"strings"
	"unicode"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/narrate-audio/narrate/segment/book"
)

// Block is one paragraph extracted from a document, before it is placed in
// a chapter.
type Block struct {
	Kind book.Kind
	// Text is the paragraph's plain text: never empty, no leading or
	// trailing whitespace, no blank line inside.
	Text string
	// Level is the heading level, 1 to 6, of a Heading block; 0 otherwise.
	Level int
	// IDs are the id attributes of the elements entered since the previous
	// block, so a heading carries the id of the section it opens. EPUB
	// navigation targets ("ch.xhtml#sec3") are matched against them.
	IDs []string
	// Types are the semantic tokens (epub:type, and role values without
	// their "doc-" prefix) of the block's ancestors, outermost first, such
	// as "bodymatter", "chapter" or "copyright-page".
	Types []string
	// Speaker is the persona who speaks the block in a play: the text of
	// an element marked epub:type="z3998:persona" that opens the block
	// (a table cell or an inline name) outside a stage direction. Text up
	// to Label names them. Directions are the byte ranges of Text marked
	// epub:type="z3998:stage-direction".
	Speaker    string
	Label      int
	Directions [][2]int
}

// HasType reports whether tok is one of b's semantic types.
func (b Block) HasType(tok string) bool {
	for _, t := range b.Types {
		if t == tok {
			return true
		}
	}
	return false
}

// ExtractOptions tunes Extract.
type ExtractOptions struct {
	// KeepHeaders keeps every <header> and <footer>. Without it, page-level
	// ones (not inside section, article or main) are dropped as site
	// chrome. EPUB content documents set it: they put chapter headings in
	// <header>.
	KeepHeaders bool
}

// BreakText is the text given to a Break block that has no decoration of
// its own, such as an <hr>.
const BreakText = "* * *"

// maxDepth bounds recursion over the element tree; deeper content is still
// read, as inline text of the element at the limit.
const maxDepth = 400

// Extract returns the paragraphs of the subtree at n in reading order.
// Scripts, styles, navigation, asides, notes references, images and hidden
// elements are dropped; block elements (p, div, li, blockquote, pre, hN,
// tr and the like) become paragraphs; <hr> and decoration-only paragraphs
// such as "* * *" become Break blocks. A speech of a play, a block that
// opens with a name marked epub:type="z3998:persona" (a table row's first
// cell, or inline), reads as "Name. Speech" and carries its speaker and
// its stage directions (epub:type="z3998:stage-direction").
func Extract(n *nethtml.Node, opts ExtractOptions) []Block {
	w := &walker{opts: opts}
	w.node(n, 0, false)
	w.flush()
	return w.blocks
}

type walker struct {
	opts    ExtractOptions
	blocks  []Block
	buf     []byte
	space   bool // a space is due before the next visible rune
	newline bool // a line break is due before the next visible rune
	heading int  // level of the innermost open heading
	ids     []string
	types   []string
	// The play markup of the block being read: its speaker, where their
	// name ends, whether the mark after the name is still to come, and
	// its stage directions.
	speaker    string
	label      int
	pending    bool
	directions [][2]int
	// rowSpeaker is the persona of the table row being read: a speech
	// cell may hold several paragraphs, each the persona's.
	inRow      bool
	rowSpeaker string
	// emitted counts the blocks made, so that markup spanning blocks is
	// not given offsets into the wrong one.
	emitted int
}

// node walks n; depth counts elements, sectioned says whether an
// article, section or main encloses n.
func (w *walker) node(n *nethtml.Node, depth int, sectioned bool) {
	switch n.Type {
	case nethtml.TextNode:
		w.text(n.Data)
	case nethtml.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c, depth, sectioned)
		}
	case nethtml.ElementNode:
		if depth >= maxDepth {
			if !ignored(n, true, w.opts) {
				w.flat(n)
			}
			return
		}
		w.element(n, depth, sectioned)
	}
}

// flat reads the subtree at n as inline text without recursion, so a
// hostile nesting depth cannot exhaust the stack.
func (w *walker) flat(n *nethtml.Node) {
	stack := []*nethtml.Node{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.Type == nethtml.TextNode {
			w.text(c.Data)
			continue
		}
		if c != n && c.Type == nethtml.ElementNode && ignored(c, true, w.opts) {
			continue
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
}

func (w *walker) element(n *nethtml.Node, depth int, sectioned bool) {
	if ignored(n, sectioned, w.opts) {
		return
	}
	a := tagAtom(n)
	if id := Attr(n, "id"); id != "" {
		w.ids = append(w.ids, id)
	}
	ts := Types(n)
	if hasToken(ts, "z3998:persona") && len(w.buf) == 0 && !hasToken(w.types, "z3998:stage-direction") && w.heading == 0 {
		// A speech opens with its speaker's name; the mark that ends the
		// name comes with the next visible character (see text).
		defer func(block int) {
			name := strings.TrimRight(strings.TrimSpace(string(w.buf)), ".:")
			if name != "" && w.emitted == block {
				w.speaker, w.label, w.pending = name, len(w.buf), true
				if w.inRow {
					w.rowSpeaker = name
				}
			}
		}(w.emitted)
	}
	if hasToken(ts, "z3998:stage-direction") && !hasToken(w.types, "z3998:stage-direction") {
		defer func(start, block int) {
			if w.speaker != "" && start < w.label {
				// The name's mark was added when the direction began.
				start = w.label
			}
			if len(w.buf) > start && w.emitted == block {
				if w.buf[start] == ' ' || w.buf[start] == '\n' {
					start++
				}
				w.directions = append(w.directions, [2]int{start, len(w.buf)})
			}
		}(len(w.buf), w.emitted)
	}
	if len(ts) > 0 {
		saved := w.types
		w.types = append(append([]string(nil), saved...), ts...)
		defer func() { w.types = saved }()
	}
	switch a {
	case atom.Br:
		w.newline = len(w.buf) > 0
		return
	case atom.Hr:
		w.flush()
		w.emit(book.Break, BreakText, 0)
		return
	case atom.Article, atom.Section, atom.Main:
		sectioned = true
	case atom.Tr:
		inRow, rowSpeaker := w.inRow, w.rowSpeaker
		w.flush()
		w.inRow, w.rowSpeaker = true, ""
		w.children(n, depth, sectioned)
		w.flush()
		w.inRow, w.rowSpeaker = inRow, rowSpeaker
		return
	case atom.Td, atom.Th:
		w.space = len(w.buf) > 0
		w.children(n, depth, sectioned)
		w.space = len(w.buf) > 0
		return
	}
	if lvl := headingLevel(a); lvl > 0 {
		w.flush()
		saved := w.heading
		w.heading = lvl
		w.children(n, depth, sectioned)
		w.flush()
		w.heading = saved
		return
	}
	if isBlock(a) {
		w.flush()
		w.children(n, depth, sectioned)
		w.flush()
		return
	}
	w.children(n, depth, sectioned)
}

func (w *walker) children(n *nethtml.Node, depth int, sectioned bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, depth+1, sectioned)
	}
}

// text appends s with runs of whitespace collapsed.
func (w *walker) text(s string) {
	for _, r := range s {
		switch {
		case r == utf8.RuneError, invisible(r):
			continue
		case unicode.IsSpace(r):
			w.space = len(w.buf) > 0
			continue
		}
		if w.pending {
			w.pending = false
			switch {
			case r == '.' || r == ':':
				// The name's own mark ("JACK." or "Jack:").
				w.buf = utf8.AppendRune(w.buf, r)
				w.label, w.space, w.newline = len(w.buf), false, false
				continue
			case r == ',' || r == ';' || r == ')':
				// A name in a list ("John Worthing, J.P."), not a speech.
				w.speaker, w.rowSpeaker = "", ""
			default:
				w.endSentence()
				w.label = len(w.buf)
			}
		}
		if w.newline {
			w.buf = append(w.buf, '\n')
		} else if w.space {
			w.buf = append(w.buf, ' ')
		}
		w.newline, w.space = false, false
		w.buf = utf8.AppendRune(w.buf, r)
	}
}

// endSentence ends a speaker's name with a full stop so that it reads as
// "JACK. How are you?" rather than running into the speech.
func (w *walker) endSentence() {
	if len(w.buf) == 0 {
		return
	}
	r, _ := utf8.DecodeLastRune(w.buf)
	if !unicode.IsPunct(r) {
		w.buf = append(w.buf, '.')
	}
}

func (w *walker) flush() {
	if w.pending {
		w.pending = false
		w.endSentence()
		w.label = len(w.buf)
	}
	s := string(w.buf)
	w.buf = w.buf[:0]
	w.space, w.newline = false, false
	if s == "" {
		return
	}
	switch {
	case w.heading > 0:
		w.emit(book.Heading, s, w.heading)
	case IsBreakText(s):
		w.emit(book.Break, s, 0)
	default:
		w.emit(book.Prose, s, 0)
	}
}

func (w *walker) emit(k book.Kind, s string, level int) {
	b := Block{Kind: k, Text: s, Level: level, IDs: w.ids, Types: w.types}
	speaker, label, directions := w.speaker, w.label, w.directions
	w.speaker, w.label, w.pending, w.directions = "", 0, false, nil
	if k == book.Prose {
		b.Directions = directions
		switch {
		case speaker != "" && label < len(s):
			b.Speaker, b.Label = speaker, label
		case speaker != "" && w.rowSpeaker != "":
			// The name cell of a row whose speech is in paragraphs of
			// its own, which the persona speaks: the name is not read.
			return
		case speaker == "" && w.rowSpeaker != "":
			b.Speaker = w.rowSpeaker
		}
		// A name alone is no speech (a list of the persons of the play).
	}
	w.blocks = append(w.blocks, b)
	w.emitted++
	w.ids = nil
}

// invisible reports runes that carry no sound and only disturb matching:
// soft hyphens, zero-width spaces and joiners, byte order marks.
func invisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.Is(unicode.Cc, r) && r != '\n' && r != '\t' && r != '\r'
}

// IsBreakText reports whether a paragraph's text is only scene-break
// decoration, such as "* * *", "~*~*~", "***", "#" or "⁂".
func IsBreakText(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return false
	}
	mark := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune("*~#=_-–—•·∙⁂✻✶✦❦❧◆◇○●§+", r):
			mark = true
		default:
			return false
		}
	}
	return mark
}

func tagAtom(n *nethtml.Node) atom.Atom {
	if n.DataAtom != 0 {
		return n.DataAtom
	}
	return atom.Lookup([]byte(strings.ToLower(n.Data)))
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Blockquote, atom.Pre, atom.Tr,
		atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.Section, atom.Article, atom.Main, atom.Header, atom.Footer,
		atom.Figure, atom.Figcaption, atom.Address, atom.Hgroup,
		atom.Caption, atom.Body, atom.Center, atom.Details, atom.Summary,
		atom.Fieldset, atom.Legend:
		return true
	}
	return false
}

// ignored reports elements whose content is never read aloud.
func ignored(n *nethtml.Node, sectioned bool, opts ExtractOptions) bool {
	switch tagAtom(n) {
	case atom.Head, atom.Script, atom.Style, atom.Nav, atom.Aside,
		atom.Template, atom.Noscript, atom.Img, atom.Svg, atom.Math,
		atom.Iframe, atom.Object, atom.Embed, atom.Video, atom.Audio,
		atom.Canvas, atom.Button, atom.Select, atom.Input, atom.Textarea,
		atom.Rt, atom.Rp, atom.Title, atom.Link, atom.Meta:
		return true
	case atom.Header, atom.Footer:
		if !opts.KeepHeaders && !sectioned {
			return true
		}
	case atom.Sup:
		if isNoteMark(n) {
			return true
		}
	}
	if _, ok := AttrOK(n, "hidden"); ok {
		return true
	}
	if strings.EqualFold(Attr(n, "aria-hidden"), "true") {
		return true
	}
	if st := strings.ReplaceAll(strings.ToLower(Attr(n, "style")), " ", ""); strings.Contains(st, "display:none") {
		return true
	}
	for _, t := range Types(n) {
		switch t {
		case "noteref", "footnote", "endnote", "rearnote", "note",
			"footnotes", "endnotes", "rearnotes", "pagebreak", "biblioref",
			"annoref":
			return true
		}
	}
	return false
}

// isNoteMark reports a superscript that only holds a link such as "[12]"
// or "*": a footnote reference in books that do not mark them semantically.
func isNoteMark(n *nethtml.Node) bool {
	link := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case nethtml.ElementNode:
			if tagAtom(c) != atom.A || Attr(c, "href") == "" {
				return false
			}
			link = true
		case nethtml.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return false
			}
		}
	}
	if !link {
		return false
	}
	t := strings.TrimSpace(rawText(n))
	if t == "" || len(t) > 6 {
		return false
	}
	return strings.Trim(t, "0123456789[]()*†‡") == ""
}

// rawText concatenates the text nodes under n, with no filtering, for
// short subtrees only.
func rawText(n *nethtml.Node) string {
	var sb strings.Builder
	Walk(n, func(d *nethtml.Node) bool {
		if d.Type == nethtml.TextNode {
			sb.WriteString(d.Data)
		}
		return sb.Len() < 64
	})
	return sb.String()
}

// Attr returns the value of n's attribute key, matched case-insensitively;
// "epub:type" also matches a namespaced key "type" in the EPUB namespace.
func Attr(n *nethtml.Node, key string) string {
	v, _ := AttrOK(n, key)
	return v
}

// AttrOK is Attr that also reports whether the attribute is present.
func AttrOK(n *nethtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		k := a.Key
		if a.Namespace != "" {
			k = a.Namespace + ":" + a.Key
		}
		if strings.EqualFold(k, key) {
			return a.Val, true
		}
	}
	return "", false
}

// Types returns n's semantic tokens: the words of its epub:type attribute,
// and its role values with the DPUB-ARIA "doc-" prefix removed, so that
// role="doc-chapter" and epub:type="chapter" agree.
func Types(n *nethtml.Node) []string {
	var out []string
	out = append(out, strings.Fields(Attr(n, "epub:type"))...)
	for _, r := range strings.Fields(Attr(n, "role")) {
		if t, ok := strings.CutPrefix(r, "doc-"); ok {
			out = append(out, t)
		}
	}
	return out
}

func hasToken(ts []string, tok string) bool {
	for _, t := range ts {
		if t == tok {
			return true
		}
	}
	return false
}

// TextContent returns the plain text of the subtree at n, whitespace
// collapsed, for short strings such as titles and link labels.
func TextContent(n *nethtml.Node) string {
	w := &walker{}
	w.flat(n)
	return strings.TrimSpace(strings.ReplaceAll(string(w.buf), "\n", " "))
}
