// Package segment splits the chapters of a book into spans: narration,
// dialogue, headings and scene breaks. Every span keeps its byte offsets
// into the chapter's text, and carries the text as it will be spoken.
package segment

import (
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/speechtag"
)

// Kind is what a span is.
type Kind string

// Span kinds.
const (
	Narration Kind = "narration"
	Dialogue  Kind = "dialogue"
	Heading   Kind = "heading"
	Break     Kind = "break"
)

// Span is one piece of a chapter spoken by one voice.
type Span struct {
	Chapter int  `json:"chapter"` // 1-based chapter number
	Index   int  `json:"index"`   // 0-based position in the chapter
	Kind    Kind `json:"kind"`
	// Text is the exact source text, Chapter.Text[Start:End].
	Text string `json:"text"`
	// Speech is the text as it will be spoken; empty for breaks.
	Speech  string `json:"speech"`
	Speaker string `json:"speaker"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	// Para is the span's paragraph index in the chapter. Spans of one
	// paragraph are joined with short pauses, paragraphs with longer ones.
	Para int `json:"para"`
	// Continues marks dialogue that continues a quotation left open at the
	// end of the previous paragraph.
	Continues bool `json:"continues,omitempty"`
}

// MarshalJSON writes the span with an "is_dialogue" field as well, so
// that tools scoring dialogue detection from a whole segmentation (the
// PDNC scorer keeps every record not marked as narration) skip headings
// and scene breaks.
func (s Span) MarshalJSON() ([]byte, error) {
	type plain Span
	return json.Marshal(struct {
		plain
		IsDialogue bool `json:"is_dialogue"`
	}{plain(s), s.Kind == Dialogue})
}

// Warning is a problem the segmenter recovered from, such as an unclosed
// quotation mark.
type Warning = book.Error

// Normalizer turns source text into speakable text: Normalize for
// narration and dialogue, Heading for titles. *speech.Normalizer is one.
type Normalizer interface {
	Normalize(s string) string
	Heading(s string) string
}

// Options control segmentation.
type Options struct {
	// Speech makes the spoken text; nil leaves Speech equal to the source
	// text with white space collapsed.
	Speech Normalizer
}

// Chapter holds the spans of one chapter.
type Chapter struct {
	Number int
	Title  string
	// TitleSpeech is the chapter title as spoken.
	TitleSpeech string
	Spans       []Span
}

// Book splits every chapter of b into spans. Warnings report recovered
// problems with their file positions. When b is a play, Book records on
// b's paragraphs who speaks them (see book.Paragraph.Speaker).
func Book(b *book.Book, o Options) ([]Chapter, []Warning) {
	markSpeeches(b)
	style := detectQuoteStyle(b)
	marks := style
	if style == dashes {
		marks = detectMarkStyle(b)
	}
	blocks := indentsBlocks(b)
	tags := speechtag.For(b.Language)
	var out []Chapter
	var warns []Warning
	for i := range b.Chapters {
		ch := &b.Chapters[i]
		spans, w := split(ch, i+1, style, marks, blocks, b.Source, tags)
		warns = append(warns, w...)
		c := Chapter{Number: i + 1, Title: ch.Title, Spans: spans}
		c.TitleSpeech = speak(o.Speech, Heading, ch.Title)
		for j := range c.Spans {
			s := &c.Spans[j]
			s.Speech = speak(o.Speech, s.Kind, s.Text)
		}
		out = append(out, c)
	}
	return out, warns
}

func speak(n Normalizer, k Kind, text string) string {
	switch {
	case k == Break:
		return ""
	case n == nil:
		return strings.Join(strings.Fields(text), " ")
	case k == Heading:
		return n.Heading(text)
	}
	return n.Normalize(text)
}

// split makes the spans of one chapter. In a book that sets its speech
// with dashes, marks is the style of the quotation marks it also uses.
func split(ch *book.Chapter, number int, style, marks quoteStyle, blocks bool, source string, tags *speechtag.Lexicon) ([]Span, []Warning) {
	dashed := style == dashes
	style = marks
	var spans []Span
	var warns []Warning
	open := false    // a quotation is open from the previous paragraph
	verse := false   // indented lines were quoted inside the open speech
	carried := false // the open speech goes on in paragraphs without opening marks
	prevProse := ""  // the last prose paragraph
	for pi, p := range ch.Paragraphs {
		switch p.Kind {
		case book.Heading:
			spans = append(spans, Span{Kind: Heading, Start: p.Start, End: p.End, Para: pi})
			open, verse = false, false
			continue
		case book.Break:
			spans = append(spans, Span{Kind: Break, Start: p.Start, End: p.End, Para: pi})
			open, verse = false, false
			continue
		}
		if p.Speaker != "" {
			spans = append(spans, speech(ch, p, pi)...)
			open, verse = false, false
			continue
		}
		text := ch.Text[p.Start:p.End]
		if open && indented(ch.Text, p.Start) {
			// Verse or a quoted block inside a speech: the speech goes on
			// after it, and the block itself is read as narration.
			spans = append(spans, Span{Kind: Narration, Start: p.Start, End: p.End, Para: pi})
			verse = true
			continue
		}
		continuing := open && startsWithOpener(text, style)
		inside := open && (verse || carried) && !continuing
		verse, carried = false, false
		var parts []part
		stillOpen, unclosed := false, -1
		pstyle := style
		if dashed {
			parts, pstyle = scanDashes(text, tags), dashes
			if citesQuotation(text, prevProse) {
				// An epigraph's source ("«…»" then "—Jorge Luis
				// Borges"), which demoteExtracts reads with its
				// quotation.
				parts = []part{{kind: Narration, start: 0, end: len(text)}}
				parts[0].start, parts[0].end = trimSpan(text, 0, len(text), false)
			}
		}
		if !dashed || !opensWithDash(text) && !hasDialogue(parts) && strings.ContainsAny(text, quoteMarks) {
			// A book of dash dialogue may still quote speech with marks
			// ("«Ho portato i biscotti», disse la zia.", a French
			// conversation opened by «), or be an English book with a
			// list set with dashes.
			parts, stillOpen, unclosed = scanQuotes(text, style, continuing, inside)
			pstyle = style
		}
		unclosedAtEnd := unclosed >= 0
		if unclosed >= 0 {
			// Conventional multi-paragraph speech leaves the quote open and
			// reopens it in the next paragraph; anything else is a stray
			// mark, and the quote ends here either way.
			next := nextProse(ch, pi)
			continued := next >= 0 && (startsWithOpener(ch.Text[ch.Paragraphs[next].Start:ch.Paragraphs[next].End], style) ||
				indented(ch.Text, ch.Paragraphs[next].Start))
			if stillOpen && !continued && closesLater(ch, next, style) {
				continued, carried = true, true
			}
			if !(stillOpen && continued) {
				line, col := book.Position(ch.Text, p.Start+unclosed)
				warns = append(warns, Warning{Op: "segment", Path: source, Line: line, Col: col,
					Err: fmt.Errorf("unclosed quote in chapter %d; dialogue ends at the paragraph end", number)})
				stillOpen = false
				if fixed, ok := closeAtSingleMark(text, parts, style); ok {
					parts, unclosedAtEnd = fixed, false
				}
			}
		}
		if blocks && indented(ch.Text, p.Start) {
			// In a book that does not indent its paragraphs, a block set
			// in from the margin (a letter's closing, an inscription,
			// verse) is read, not spoken in the scene.
			for i := range parts {
				parts[i].kind = Narration
			}
		}
		parts = demoteNonSpeech(text, parts, unclosedAtEnd, pstyle)
		for i, q := range parts {
			if q.kind == Dialogue && isVerse(ch.Text, p.Start+q.start, p.Start+q.end) {
				parts[i].kind = Narration
			}
		}
		if tags != nil {
			parts = splitIncises(text, parts, tags)
		}
		parts = mergeNarration(splitStageDirections(text, parts))
		prevProse = text
		for _, q := range parts {
			s := Span{Kind: q.kind, Start: p.Start + q.start, End: p.Start + q.end, Para: pi, Continues: q.continues}
			spans = append(spans, s)
		}
		open = stillOpen
	}
	demoteExtracts(ch, spans)
	if blocks {
		demoteLetters(ch, spans)
	}
	for i := range spans {
		spans[i].Chapter = number
		spans[i].Index = i
		spans[i].Text = ch.Text[spans[i].Start:spans[i].End]
	}
	return spans, warns
}

func nextProse(ch *book.Chapter, pi int) int {
	for j := pi + 1; j < len(ch.Paragraphs); j++ {
		switch ch.Paragraphs[j].Kind {
		case book.Prose:
			return j
		case book.Note:
			continue
		}
		return -1
	}
	return -1
}

// indentsBlocks reports whether indentation marks out blocks (letters,
// verse) rather than every paragraph: fewer than one prose paragraph in
// twenty is indented.
func indentsBlocks(b *book.Book) bool {
	var prose, ind int
	for ch, p := range proseParagraphs(b) {
		prose++
		if indented(ch.Text, p.Start) {
			ind++
		}
	}
	return ind*20 < prose
}

// proseParagraphs yields every prose paragraph of the book with its
// chapter, in reading order.
func proseParagraphs(b *book.Book) iter.Seq2[*book.Chapter, book.Paragraph] {
	return func(yield func(*book.Chapter, book.Paragraph) bool) {
		for ci := range b.Chapters {
			ch := &b.Chapters[ci]
			for _, p := range ch.Paragraphs {
				if p.Kind == book.Prose && !yield(ch, p) {
					return
				}
			}
		}
	}
}

// indented reports whether the paragraph at offset start begins after
// spaces on its line, as verse and quoted blocks do in plain text.
func indented(text string, start int) bool {
	line := strings.LastIndexByte(text[:start], '\n') + 1
	return start-line >= 2 && strings.TrimLeft(text[line:start], " \t") == ""
}

// demoteExtracts reads quoted extracts and epigraphs as narration: a
// quotation followed by a line that gives its source after a dash
// ("--Bible", "—MONTAIGNE.") is cited, not spoken in the scene. The
// quotation may run over several paragraphs (verse), so the paragraphs
// before a source line are demoted back to the one that opens it.
func demoteExtracts(ch *book.Chapter, spans []Span) {
	for si := range spans {
		s := spans[si]
		if s.Kind != Narration || !isSourceLine(ch.Text[s.Start:s.End]) {
			continue
		}
		if si > 0 && spans[si-1].Para == s.Para {
			// The source set after the closing mark in the quotation's
			// own paragraph ("...of Europe." —EDMUND BURKE.) is cited in
			// title case; a sentence of narration after a dash is not.
			if spans[si-1].Kind != Dialogue || (si+1 < len(spans) && spans[si+1].Para == s.Para) ||
				!titleCase(ch.Text[s.Start:s.End]) {
				continue
			}
		}
		// A title quoted in the source line is cited too.
		for k := si + 1; k < len(spans) && spans[k].Para == s.Para; k++ {
			if spans[k].Kind == Dialogue {
				spans[k].Kind = Narration
			}
		}
		para, steps := s.Para, 0
		opened := false // the paragraph just left began with a quotation
		for k := si - 1; k >= 0 && steps < maxExtractParas; k-- {
			p := spans[k]
			if p.Kind == Heading || p.Kind == Break {
				break
			}
			if p.Para != para {
				if opened {
					break
				}
				para = p.Para
				steps++
				if p.Kind == Narration && isSourceLine(ch.Text[p.Start:p.End]) {
					break
				}
			}
			opened = p.Kind == Dialogue && !p.Continues
			if p.Kind == Dialogue {
				spans[k].Kind = Narration
				spans[k].Continues = false
			}
		}
	}
}

// titleCase reports whether every word of s but the small words of
// titles ("of", "the") starts with a capital, as names and titles do.
func titleCase(s string) bool {
	for _, w := range wordsOf(s) {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) && !titleSmallWords[w] {
			return false
		}
	}
	return true
}

// titleSmallWords stay in lower case inside titles and names.
var titleSmallWords = map[string]bool{"of": true, "the": true, "and": true, "in": true, "on": true, "at": true,
	"a": true, "an": true, "by": true, "to": true, "for": true, "with": true, "from": true, "or": true, "nor": true,
	"into": true, "upon": true, "de": true, "von": true, "van": true, "du": true, "la": true, "le": true}

// maxExtractParas bounds how many paragraphs one extract may span.
const maxExtractParas = 12

// citesQuotation reports, in a book of dash dialogue, a paragraph that
// names the source of a quotation set in marks just before it, alone in
// its paragraph: a dash and a name of a few words in title case, with no
// sentence's punctuation.
func citesQuotation(text, prev string) bool {
	// The quotation is the whole of its paragraph, marks at both ends.
	prev = strings.TrimRight(strings.TrimSpace(prev), ".")
	r, _ := utf8.DecodeRuneInString(prev)
	l, _ := utf8.DecodeLastRuneInString(prev)
	if !strings.ContainsRune(quoteMarks, r) || !strings.ContainsRune(quoteMarks, l) || !isSourceLine(text) {
		return false
	}
	// No full stop either: "— Non." answering "« Tu viens ?" is speech.
	name := strings.TrimLeft(strings.TrimSpace(text), "—―– ")
	n := len(strings.Fields(name))
	return !strings.ContainsAny(name, ".!?¿¡:;…") && titleCase(name) && n >= 2 && n <= 8
}

// isSourceLine reports a short paragraph that starts with a dash and
// names a source: "--Bible", "—Hamlet, Act I."
func isSourceLine(text string) bool {
	t := strings.TrimSpace(text)
	var rest string
	switch {
	case strings.HasPrefix(t, "--"):
		rest = strings.TrimLeft(t, "-")
	case strings.HasPrefix(t, "—"), strings.HasPrefix(t, "―"), strings.HasPrefix(t, "–"):
		_, size := utf8.DecodeRuneInString(t)
		rest = t[size:]
	default:
		return false
	}
	rest = strings.TrimSpace(rest)
	r, _ := utf8.DecodeRuneInString(rest)
	if i := strings.IndexAny(rest, "\"“”"); i >= 0 && !titleCase(rest[:i]) {
		return false // narration after a dash, quoting someone; but a source may quote its title: —TOOKE'S LUCIAN. "THE TRUE HISTORY."
	}
	return utf8.RuneCountInString(rest) <= 120 && unicode.IsUpper(r)
}

// isVerse reports a quotation set as verse: it runs over two or more
// lines, each line of the source that it ends is short (well under the
// width prose is wrapped to), and each line starts with a capital. A
// verse quoted in the telling ("he kept saying over to himself:") is
// recited, and read by the narrator; prose speech is wrapped, so its
// lines are long or start in lower case.
func isVerse(text string, from, to int) bool {
	quoted := text[from:to]
	if !strings.Contains(quoted, "\n") {
		return false
	}
	at := from
	for line := range strings.Lines(quoted) {
		body := strings.TrimLeft(line, " \t_(\"“‘'")
		r, _ := utf8.DecodeRuneInString(body)
		if !unicode.IsUpper(r) {
			return false
		}
		if strings.HasSuffix(line, "\n") {
			// The whole source line, from its start, not only the part
			// inside the quotation.
			start := strings.LastIndexByte(text[:at], '\n') + 1
			if utf8.RuneCountInString(strings.TrimRight(text[start:at+len(line)], "\r\n")) >= maxVerseLine {
				return false
			}
		}
		at += len(line)
	}
	return true
}

// maxVerseLine is the length, in characters, from which a line reads as
// wrapped prose rather than a line of verse; plain-text books wrap prose
// at 65 to 80.
const maxVerseLine = 50

// demoteLetters reads letters as narration in books that set blocks off
// by indentation: quoted paragraphs that end just before an indented
// complimentary close and signature ("Yours ever," then "A. W.") are
// the body of a letter read out in the telling, not speech in the scene.
// The letter may run over several paragraphs, each reopening the
// quotation; the demotion goes back to the one that opens it.
func demoteLetters(ch *book.Chapter, spans []Span) {
	for si := range spans {
		s := spans[si]
		if !isClose(ch, spans, si) {
			continue
		}
		// The paragraph before the close must end in the quotation.
		k := si - 1
		if k < 0 || spans[k].Kind != Dialogue || spans[k].Para >= s.Para {
			continue
		}
		for steps := 0; k >= 0 && steps < maxExtractParas; k-- {
			p := spans[k]
			if p.Kind == Heading || p.Kind == Break {
				break
			}
			if p.Kind != Dialogue {
				continue
			}
			spans[k].Kind = Narration
			if !p.Continues && (k == 0 || spans[k-1].Para != p.Para || spans[k-1].Kind != Dialogue) {
				// The paragraph that opens the letter.
				break
			}
			if k > 0 && spans[k-1].Para != p.Para {
				steps++
			}
		}
	}
}

// isClose reports whether span si is a letter's complimentary close: a
// whole indented paragraph whose first line is a few words ending in a
// comma, followed, on its next lines or in the next indented paragraph,
// by a signature of a few capitalised words.
func isClose(ch *book.Chapter, spans []Span, si int) bool {
	s := spans[si]
	if s.Kind != Narration || !wholePara(spans, si) {
		return false
	}
	p := ch.Paragraphs[s.Para]
	if !indented(ch.Text, p.Start) {
		return false
	}
	first, sig, _ := strings.Cut(ch.Text[p.Start:p.End], "\n")
	first = strings.TrimRight(first, quoteMarks+" \r")
	if !strings.HasSuffix(first, ",") || len(strings.Fields(first)) > 8 {
		return false
	}
	if strings.TrimSpace(sig) == "" {
		n := si + 1
		if n >= len(spans) || !wholePara(spans, n) || spans[n].Kind != Narration {
			return false
		}
		np := ch.Paragraphs[spans[n].Para]
		if !indented(ch.Text, np.Start) {
			return false
		}
		sig = ch.Text[np.Start:np.End]
	}
	words := strings.Fields(sig)
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, quoteMarks))
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// wholePara reports whether span si is the only span of its paragraph.
func wholePara(spans []Span, si int) bool {
	p := spans[si].Para
	return (si == 0 || spans[si-1].Para != p) && (si+1 == len(spans) || spans[si+1].Para != p)
}

// closesLater reports whether a speech left open at the end of a
// paragraph goes on, without reopening marks, in the paragraphs from
// index from, as a speaker reading out a riddle or a list does: the
// first quotation mark met, a few paragraphs on at most, has the shape
// of a closing mark, and nothing between opens a quotation.
func closesLater(ch *book.Chapter, from int, style quoteStyle) bool {
	for j, n := from, 0; j >= 0 && n < maxCarriedParas; j, n = nextProse(ch, j), n+1 {
		text := ch.Text[ch.Paragraphs[j].Start:ch.Paragraphs[j].End]
		prev := ' '
		for i, r := range text {
			rest := text[i+utf8.RuneLen(r):]
			next, _ := utf8.DecodeRuneInString(rest)
			switch {
			case isOpener(style, r, prev, next, rest) && !isCloser(style, r, prev, next, rest):
				return false
			case isCloser(style, r, prev, next, rest):
				return !opensAfter(prev) || !isWordStart(next)
			}
			prev = r
		}
	}
	return false
}

// maxCarriedParas bounds how many paragraphs without marks an open
// speech may run over.
const maxCarriedParas = 12
