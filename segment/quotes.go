package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/lang"
)

// quoteStyle says which marks delimit speech in a book: double quotes
// (American and most ebooks) or single quotes (much British typesetting),
// where the other kind marks quotations nested inside speech; or one of
// the European styles, whose marks cannot be confused with apostrophes:
// «guillemets» (French, Russian, Spanish, Italian...), »reversed
// guillemets« (German and Danish books) and „low-high“ quotes (German,
// Czech, Polish...), each with its single form for nested quotations; or
// dashes, which open paragraphs of speech instead of marks (see
// scanDashes).
type quoteStyle int

const (
	doubleQuotes quoteStyle = iota
	singleQuotes
	guillemets
	reversedGuillemets
	lowHigh
	dashes
)

// pairedMarks are the opening and closing marks of the European styles,
// double then single.
var pairedMarks = map[quoteStyle][4]rune{
	guillemets:         {'«', '»', '‹', '›'},
	reversedGuillemets: {'»', '«', '›', '‹'},
	lowHigh:            {'„', '“', '‚', '‘'},
}

// quoteMarks are every mark that may open or close a quotation.
const quoteMarks = "\"“”‘’'«»‹›„‚"

// detectQuoteStyle counts the opening marks of each style over the whole
// book. Single-quote style is chosen only when single openers clearly
// dominate, because apostrophes make single marks ambiguous.
//
// A European style is chosen when its opening marks outnumber the double
// quotes that are not part of it: „low-high“ closes with the glyph that
// opens American speech, so those closers are not counted against it.
//
// Dashes are chosen when paragraphs of speech open with a dash far more
// often than with any quotation mark.
func detectQuoteStyle(b *book.Book) quoteStyle { return detectStyle(b, true) }

// detectMarkStyle is the style of the quotation marks of a book that
// sets its dialogue with dashes.
func detectMarkStyle(b *book.Book) quoteStyle { return detectStyle(b, false) }

func detectStyle(b *book.Book, withDashes bool) quoteStyle {
	var doubles, singles, lowOpen, high, left, right int
	var paras, dashParas, spoken, markParas, doubleParas, singleParas int
	for ch, p := range proseParagraphs(b) {
		text := ch.Source(p)
		paras++
		t := strings.TrimLeft(text, " \t\r\n\ufeff")
		first, size := utf8.DecodeRuneInString(t)
		second, _ := utf8.DecodeRuneInString(t[size:])
		switch {
		case opensWithDash(t):
			dashParas++
			if soundsSpoken(t) {
				spoken++
			}
		case first == '"' || first == '“':
			markParas++
			doubleParas++
		case (first == '\'' || first == '‘') && isWordStart(second) && !isElision(t[size:]):
			markParas++
			singleParas++
		case strings.ContainsRune(quoteMarks, first):
			markParas++
		}
		prev := ' '
		for i, r := range text {
			switch r {
			case '«':
				left++
			case '»':
				right++
			case '„':
				lowOpen++
			case '“':
				high++
				doubles++
			case '"', '”':
				doubles++
			case '‘', '\'':
				next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
				if opensAfter(prev) && isWordStart(next) && !isElision(text[i+utf8.RuneLen(r):]) {
					singles++
				}
			}
			prev = r
		}
	}
	// A few marks are enough to tell the style of a dash book's quoted
	// speech, which is mostly set with dashes.
	few := 2
	if !withDashes {
		few = 0
	}
	switch {
	case withDashes && dashParas >= 3 && dashParas*20 >= paras && dashParas > 2*markParas &&
		(lang.Base(b.Language) != "en" || 3*spoken >= dashParas):
		// English sets speech in marks; dash-led paragraphs there are
		// most often a list, and are taken for speech only when enough
		// of them sound spoken.
		return dashes
	case lowOpen > few && lowOpen >= doubles-min(high, lowOpen) && lowOpen >= left+right:
		return lowHigh
	case left+right > few && left+right > doubles:
		// Both styles use both glyphs; what opens is what mostly follows
		// a space and precedes a word, told by the first mark of
		// paragraphs of speech. Counting is simpler and as good: French
		// speech opens a paragraph with «, German with ».
		if openers(b, '»') > openers(b, '«') {
			return reversedGuillemets
		}
		return guillemets
	case singles > 2*doubles+2, singleParas >= 2 && singleParas > 2*doubleParas && 2*singles >= doubles:
		// Speech opens paragraphs, so a book whose paragraphs open with
		// single marks sets speech in them even when the double marks it
		// quotes inside speech are many.
		return singleQuotes
	}
	return doubleQuotes
}

// soundsSpoken reports a dash-led paragraph with a mark of speech: a
// question or exclamation, or the narrator's insert (" —said he").
// List items seldom have either.
func soundsSpoken(t string) bool {
	if strings.ContainsAny(t, "?!¿¡") {
		return true
	}
	_, size := utf8.DecodeRuneInString(t)
	for _, d := range []string{" —", " –", " ―"} {
		if i := strings.Index(t[size:], d); i >= 0 {
			r, _ := utf8.DecodeRuneInString(strings.TrimLeft(t[size+i+len(d):], " "))
			if unicode.IsLower(r) {
				return true
			}
		}
	}
	return false
}

// openers counts the marks r that have an opening shape: after a space
// or at a paragraph's start, and before a word.
func openers(b *book.Book, r rune) int {
	n := 0
	for ch, p := range proseParagraphs(b) {
		text := ch.Source(p)
		prev := ' '
		for i, c := range text {
			if c == r {
				next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(c):])
				if unicode.IsSpace(prev) && (isWordStart(next) || next == '\u00a0' || next == '\u202f') {
					n++
				}
			}
			prev = c
		}
	}
	return n
}

// part is a piece of a paragraph found by scanQuotes, in paragraph offsets.
type part struct {
	kind       Kind
	start, end int
	continues  bool
}

// scanQuotes splits a prose paragraph into narration and dialogue parts.
// continuing says the paragraph reopens a quotation left open by the
// previous one, and inside says it starts within one (after verse lines
// quoted in a speech). It returns whether a quotation is still open at
// the end and, if so, the offset of its opening mark (else -1).
//
// Speech may quote others with the same marks ("He said, "Go," and
// left."). The paragraph is first read with nesting, judged by the shape
// of each mark (an opening mark follows a space and precedes a word); if
// the nesting does not balance, it is read again with every mark inside
// a quotation closing it.
func scanQuotes(text string, style quoteStyle, continuing, inside bool) (parts []part, open bool, unclosed int) {
	if parts, open, unclosed, ok := scan(text, style, continuing, inside, true); ok {
		return parts, open, unclosed
	}
	parts, open, unclosed, _ = scan(text, style, continuing, inside, false)
	return parts, open, unclosed
}

func scan(text string, style quoteStyle, continuing, inside, nesting bool) (parts []part, open bool, unclosed int, ok bool) {
	depth := 0 // 0: narration; 1: speech; more: a quotation inside speech
	segStart := 0
	openAt := -1
	if inside {
		depth, openAt = 1, 0
	}
	first := true // the next dialogue part is the paragraph's first
	emit := func(k Kind, from, to int) {
		from, to = trimSpan(text, from, to, k == Narration)
		if from >= to || !hasWordChar(text[from:to]) {
			return
		}
		p := part{kind: k, start: from, end: to}
		if k == Dialogue {
			p.continues = (continuing || inside) && first
			first = false
		}
		parts = append(parts, p)
	}
	prev := ' '
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next, _ := utf8.DecodeRuneInString(text[i+size:])
		rest := text[i+size:]
		switch {
		case depth == 0:
			if isOpener(style, r, prev, next, rest) {
				emit(Narration, segStart, i)
				depth, segStart, openAt = 1, i+size, i
			}
		case nesting && depth >= 1 && opensNested(style, r, prev, next, rest):
			depth++
		case depth > 1 && isCloser(style, r, prev, next, rest):
			depth--
		case depth == 1 && i == segStart && style == doubleQuotes && r == '"' && (unicode.IsLetter(next) || next == '_'):
			// A doubled opening mark (""Tis"): nothing was quoted yet,
			// so the second mark does not close.
			segStart = i + size
		case depth == 1 && isCloser(style, r, prev, next, rest):
			emit(Dialogue, segStart, i)
			depth, segStart, openAt = 0, i+size, -1
		case depth == 1 && !nesting && reopens(style, r, prev, next):
			// A fresh opening mark inside a quotation: the earlier one was
			// never closed. End the speech here and start a new one.
			emit(Dialogue, segStart, i)
			segStart, openAt = i+size, i
		}
		prev = r
		i += size
	}
	if depth > 1 {
		return nil, false, -1, false
	}
	if depth == 1 {
		emit(Dialogue, segStart, len(text))
		return parts, true, openAt, true
	}
	emit(Narration, segStart, len(text))
	return parts, false, -1, true
}

// opensNested reports a mark of the speech style, inside speech, that has
// the shape of an opening mark: it follows a space or dash and precedes a
// word.
func opensNested(style quoteStyle, r, prev, next rune, rest string) bool {
	if m, ok := pairedMarks[style]; ok {
		return r == m[0]
	}
	if style == doubleQuotes {
		switch r {
		case '“':
			return true
		case '"':
			return (unicode.IsSpace(prev) || strings.ContainsRune("(—–-", prev)) && isWordStart(next) && next != '"'
		}
		return false
	}
	switch r {
	case '‘':
		return true
	case '\'':
		return unicode.IsSpace(prev) && isWordStart(next) && !isElision(rest)
	}
	return false
}

// startsWithOpener reports whether a paragraph begins with an opening mark
// of the style, as a continued quotation does.
func startsWithOpener(text string, style quoteStyle) bool {
	text = strings.TrimLeft(text, " \t\r\n\ufeff")
	r, size := utf8.DecodeRuneInString(text)
	next, _ := utf8.DecodeRuneInString(text[size:])
	return isOpener(style, r, ' ', next, text[size:])
}

func isOpener(style quoteStyle, r, prev, next rune, rest string) bool {
	if m, ok := pairedMarks[style]; ok {
		return r == m[0]
	}
	if style == doubleQuotes {
		switch r {
		case '“':
			return true
		case '"':
			// 6'2" is a measurement, not speech. A mark with spaces on
			// both sides opens too: some texts set a dash as spaces.
			return !unicode.IsDigit(prev) && next != utf8.RuneError
		case '”':
			// Some books use the closing glyph for both ends.
			return opensAfter(prev) && isWordStart(next)
		}
		return false
	}
	switch r {
	case '‘':
		return true
	case '\'', '’':
		return opensAfter(prev) && isWordStart(next) && !isElision(rest)
	}
	return false
}

func isCloser(style quoteStyle, r, prev, next rune, rest string) bool {
	if m, ok := pairedMarks[style]; ok {
		return r == m[1]
	}
	if style == doubleQuotes {
		switch r {
		case '”':
			return true
		case '"':
			return true
		}
		return false
	}
	switch r {
	case '’', '\'':
		if unicode.IsSpace(prev) && isWordStart(next) {
			return false // an opener shape: a new quote or an elision
		}
		if unicode.IsLetter(next) || unicode.IsDigit(next) {
			return false // don't, o'clock
		}
		if prev == 's' && next == ' ' && possessiveFollows(rest) {
			return false // the Joneses' house
		}
		return true
	}
	return false
}

// reopens reports an unambiguous opening mark met inside a quotation.
func reopens(style quoteStyle, r, prev, next rune) bool {
	if m, ok := pairedMarks[style]; ok {
		return r == m[0]
	}
	if style == doubleQuotes {
		return r == '“'
	}
	return r == '‘' && unicode.IsSpace(prev)
}

// possessiveFollows reports whether the text after "s' " continues a noun
// phrase ("the Joneses' house") rather than a speech tag.
func possessiveFollows(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsLower(r) {
		return false
	}
	word := rest
	if i := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		word = rest[:i]
	}
	switch word {
	case "he", "she", "they", "i", "we", "you", "it", "said", "says", "asked", "cried", "replied", "answered":
		return false
	}
	return true
}

func opensAfter(prev rune) bool {
	return unicode.IsSpace(prev) || strings.ContainsRune("([{—–-\"“‘'/", prev) || prev == utf8.RuneError
}

func isWordStart(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("….—–-\"“", r)
}

// elisions are words spelled with a leading apostrophe.
var elisions = []string{"tis", "twas", "twere", "twill", "twould", "em", "cause", "cos", "til", "till", "n", "round", "ere", "neath", "bout", "nother", "im", "er", "ow", "ello", "appen", "ave", "ad", "alf", "ome", "ouse", "un", "uns", "ee", "e"}

// isElision reports whether the text after an apostrophe is a word that
// starts with an elided letter ('tis, 'em, the '90s) rather than speech.
func isElision(rest string) bool {
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	word := rest
	if end >= 0 {
		word = rest[:end]
	}
	if len(word) == 2 && word[0] >= '0' && word[0] <= '9' && strings.HasPrefix(rest[2:], "s") {
		return true // the '90s
	}
	lw := strings.ToLower(word)
	for _, e := range elisions {
		if lw == e {
			return true
		}
	}
	return false
}

// trimSpan trims white space, and for narration also the quotation marks
// that belong to neighbouring speech, from both ends of text[from:to].
func trimSpan(text string, from, to int, marks bool) (int, int) {
	// Narrow and no-break spaces pad French guillemets.
	cut := " \t\r\n\ufeff\u00a0\u202f"
	if marks {
		cut += quoteMarks
	}
	for from < to {
		r, size := utf8.DecodeRuneInString(text[from:])
		if !strings.ContainsRune(cut, r) {
			break
		}
		from += size
	}
	for to > from {
		r, size := utf8.DecodeLastRuneInString(text[from:to])
		if !strings.ContainsRune(cut, r) {
			break
		}
		to -= size
	}
	return from, to
}

func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
