package speech

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind classifies a token.
type kind uint8

const (
	kWord     kind = iota // letters with internal apostrophes: "don't"
	kNum                  // ASCII digits, with optional thousands commas and one decimal part
	kInit                 // dotted initialism: "e.g.", "p.m.", "U.S."
	kPunct                // one symbol or punctuation rune
	kEllipsis             // "...", "…", ". . ."
	kDash                 // "--", "—" and relatives: always a break between words
	kEnDash               // "–": a range between numbers, otherwise a break
	kURL                  // web address
	kEmail                // e-mail address
	kVerbatim             // lexicon replacement, emitted untouched
)

// token is one lexical unit of the input. Text is a slice of the input where
// possible, so lexing allocates little beyond the token slice.
type token struct {
	text  string
	kind  kind
	sp    bool // whitespace precedes the token
	comma bool // kNum written with thousands separators
}

// digits returns a kNum's integer digits without thousands separators.
func (t token) digits() string {
	d := t.text
	if i := strings.IndexByte(d, '.'); i >= 0 {
		d = d[:i]
	}
	if t.comma {
		d = strings.ReplaceAll(d, ",", "")
	}
	return d
}

// frac returns a kNum's decimal digits, or "".
func (t token) frac() string {
	if i := strings.IndexByte(t.text, '.'); i >= 0 {
		return t.text[i+1:]
	}
	return ""
}

// lexer splits prepared text into tokens.
type lexer struct {
	src  string
	pos  int
	toks []token
	sp   bool
	lex  *lexicon
	// special is a URL or e-mail found ahead of pos: [specStart, specEnd).
	specStart, specEnd int
	specKind           kind
}

// isSpaceRune reports whether r separates words. Beyond unicode.IsSpace it
// counts the no-break and narrow spaces typography uses.
func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007'
}

// isIgnored reports whether r is invisible formatting that must not split or
// join words: zero-width characters, soft hyphens, byte order marks.
func isIgnored(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return (r|0x20) >= 'a' && (r|0x20) <= 'z'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// apostrophes are the characters typeset books use for an apostrophe or a
// single quote; all become ASCII "'".
func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u2032'
}

func (l *lexer) next() (rune, int) {
	b := l.src[l.pos]
	if b < utf8.RuneSelf {
		return rune(b), 1
	}
	return utf8.DecodeRuneInString(l.src[l.pos:])
}

func (l *lexer) peekRune(at int) rune {
	if at >= len(l.src) {
		return -1
	}
	if b := l.src[at]; b < utf8.RuneSelf {
		return rune(b)
	}
	r, _ := utf8.DecodeRuneInString(l.src[at:])
	return r
}

func (l *lexer) emit(t token) {
	t.sp = l.sp
	l.sp = false
	l.toks = append(l.toks, t)
}

func (l *lexer) run() []token {
	chunkStart := true
	for l.pos < len(l.src) {
		if l.pos == l.specStart && l.specEnd > l.pos {
			l.emit(token{kind: l.specKind, text: l.src[l.specStart:l.specEnd]})
			l.pos = l.specEnd
			l.specEnd = 0
			chunkStart = false
			continue
		}
		r, size := l.next()
		if isSpaceRune(r) {
			l.sp = true
			l.pos += size
			chunkStart = true
			continue
		}
		if isIgnored(r) {
			l.pos += size
			continue
		}
		if chunkStart {
			chunkStart = false
			l.findSpecial()
			if l.pos == l.specStart && l.specEnd > l.pos {
				continue
			}
		}
		if l.lex != nil && l.matchLexicon(r) {
			continue
		}
		switch {
		case isLetter(r):
			l.word()
		case r < utf8.RuneSelf && isDigit(byte(r)):
			l.number()
		case r == '<' && l.tag():
		default:
			l.punct(r, size)
		}
	}
	return l.toks
}

// word lexes letters joined by internal apostrophes, or a dotted initialism.
func (l *lexer) word() {
	start := l.pos
	if l.initialism() {
		return
	}
	curly := false
	for l.pos < len(l.src) {
		r, size := l.next()
		if isLetter(r) {
			l.pos += size
			continue
		}
		if isApostrophe(r) && isLetter(l.peekRune(l.pos+size)) {
			curly = curly || r != '\''
			l.pos += size
			continue
		}
		if isIgnored(r) && isLetter(l.peekRune(l.pos+size)) {
			// A soft hyphen or zero-width joiner inside a word is dropped
			// by the rebuilding below.
			curly = true
			l.pos += size
			continue
		}
		break
	}
	text := l.src[start:l.pos]
	if curly {
		var b strings.Builder
		for _, r := range text {
			switch {
			case isApostrophe(r):
				b.WriteByte('\'')
			case isIgnored(r):
			default:
				b.WriteRune(r)
			}
		}
		text = b.String()
	}
	l.emit(token{kind: kWord, text: text})
}

// initialism lexes single ASCII letters each followed by a period, at least
// two of them ("e.g.", "a.m.", "U.S.A."), as one token.
func (l *lexer) initialism() bool {
	s, p, n := l.src, l.pos, 0
	for p+1 < len(s) && isASCIILetter(s[p]) && s[p+1] == '.' {
		if p+2 < len(s) && isASCIILetter(s[p+2]) && (p+3 >= len(s) || s[p+3] != '.') {
			// "U.S.Army": the run ends before "Army"; "e.gx" is no initialism.
			if n == 0 {
				return false
			}
			p += 2
			n++
			break
		}
		p += 2
		n++
	}
	if n < 2 {
		return false
	}
	l.emit(token{kind: kInit, text: s[l.pos:p]})
	l.pos = p
	return true
}

func isASCIILetter(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }

// number lexes digits, thousands groups ("1,234,567") and a decimal part.
// A comma is part of the number only when exactly three digits follow it,
// so lists like "1,2,3" stay lists.
func (l *lexer) number() {
	s, start := l.src, l.pos
	p := start
	for p < len(s) && isDigit(s[p]) {
		p++
	}
	comma := false
	if p-start <= 3 {
		for p+3 < len(s) && s[p] == ',' && isDigit(s[p+1]) && isDigit(s[p+2]) && isDigit(s[p+3]) && (p+4 >= len(s) || !isDigit(s[p+4])) {
			p += 4
			comma = true
		}
	}
	if p+1 < len(s) && s[p] == '.' && isDigit(s[p+1]) {
		q := p + 1
		for q < len(s) && isDigit(s[q]) {
			q++
		}
		p = q
	}
	l.emit(token{kind: kNum, text: s[start:p], comma: comma})
	l.pos = p
}

// tag skips an HTML tag such as "<i>" or "</p>" that survived conversion.
// Block-level tags separate words; inline ones do not.
func (l *lexer) tag() bool {
	s, p := l.src, l.pos
	if p+1 >= len(s) || !(isASCIILetter(s[p+1]) || s[p+1] == '/' || s[p+1] == '!') {
		return false
	}
	limit := min(len(s), p+256)
	end := -1
	for q := p + 1; q < limit; q++ {
		if s[q] == '<' || s[q] == '\n' {
			return false
		}
		if s[q] == '>' {
			end = q
			break
		}
	}
	if end < 0 || (l.specEnd > p && l.specStart > p && l.specStart < end) {
		// Not a tag, or "<bob@example.org>": an address in angle brackets.
		return false
	}
	name := strings.ToLower(strings.TrimLeft(s[p+1:end], "/"))
	for _, block := range []string{"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "hr"} {
		if name == block || strings.HasPrefix(name, block+" ") || strings.HasPrefix(name, block+"/") {
			l.sp = true
			break
		}
	}
	l.pos = end + 1
	return true
}

// punct lexes one symbol, folding runs that mean one thing (ellipses,
// double hyphens) into a single token and typographic quotes into ASCII.
func (l *lexer) punct(r rune, size int) {
	s, p := l.src, l.pos
	switch r {
	case '.':
		n := 0
		q := p
		for {
			for q < len(s) && s[q] == '.' {
				q++
				n++
			}
			// ". . ." spelled with spaces is one ellipsis too.
			if q+1 < len(s) && s[q] == ' ' && s[q+1] == '.' && n >= 1 && (n >= 2 || (q+3 < len(s) && s[q+2] == ' ' && s[q+3] == '.')) {
				q++
				continue
			}
			break
		}
		if n >= 3 {
			l.emit(token{kind: kEllipsis, text: "..."})
			l.pos = q
			return
		}
		l.emit(token{kind: kPunct, text: "."})
		l.pos++
		return
	case '…':
		l.emit(token{kind: kEllipsis, text: "..."})
	case '-':
		if p+1 < len(s) && s[p+1] == '-' {
			q := p
			for q < len(s) && s[q] == '-' {
				q++
			}
			l.emit(token{kind: kDash, text: "--"})
			l.pos = q
			return
		}
		l.emit(token{kind: kPunct, text: "-"})
	case '\u2010', '\u2011':
		l.emit(token{kind: kPunct, text: "-"})
	case '—', '―', '\u2e3a', '\u2e3b':
		l.emit(token{kind: kDash, text: "--"})
	case '–':
		l.emit(token{kind: kEnDash, text: "-"})
	case '\u2212':
		l.emit(token{kind: kPunct, text: "−"})
	case '\u201c', '\u201d', '\u201e', '\u201f', '«', '»', '\u2033':
		l.emit(token{kind: kPunct, text: `"`})
	default:
		if isApostrophe(r) || r == '\u201a' || r == '\u201b' {
			l.emit(token{kind: kPunct, text: "'"})
		} else {
			l.emit(token{kind: kPunct, text: s[p : p+size]})
		}
	}
	l.pos += size
}
