package speech

import (
	"strings"
	"unicode/utf8"
)

// findSpecial looks at the whitespace-delimited chunk starting at l.pos and
// records a URL or e-mail address inside it, after any opening brackets or
// quotes and before trailing punctuation. It runs once per chunk, so lexing
// stays linear.
func (l *lexer) findSpecial() {
	s := l.src
	p := l.pos
	for p < len(s) && strings.IndexByte(`("'[<{`, s[p]) >= 0 {
		p++
	}
	end := p
	marks := false // an address needs '.', '@' or ':'
	for end < len(s) {
		b := s[end]
		if b < utf8.RuneSelf {
			if b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == '\v' {
				break
			}
			marks = marks || b == '.' || b == '@' || b == ':'
			end++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[end:])
		if isSpaceRune(r) || r == '\u201d' || r == '\u2019' || r == '…' || r == '—' {
			break
		}
		end += size
	}
	if !marks {
		return
	}
	for end > p && strings.IndexByte(`.,;:!?)]}>'"`, s[end-1]) >= 0 {
		end--
	}
	c := s[p:end]
	if len(c) < 4 {
		return
	}
	switch {
	case hasPrefixFold(c, "http://") || hasPrefixFold(c, "https://") || hasPrefixFold(c, "ftp://") ||
		hasPrefixFold(c, "www.") || hasPrefixFold(c, "mailto:"):
		l.specKind = kURL
	case strings.IndexByte(c, '@') > 0 && isEmail(c):
		l.specKind = kEmail
	case isBareDomain(c):
		l.specKind = kURL
	default:
		return
	}
	l.specStart, l.specEnd = p, end
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isEmail(c string) bool {
	at := strings.IndexByte(c, '@')
	local, domain := c[:at], c[at+1:]
	if local == "" || !isHostname(domain) {
		return false
	}
	for i := 0; i < len(local); i++ {
		b := local[i]
		if !(isASCIILetter(b) || isDigit(b) || strings.IndexByte("._%+-", b) >= 0) {
			return false
		}
	}
	return true
}

// isHostname reports whether h is dotted labels of letters, digits and
// hyphens ending in an alphabetic top-level label of two or more letters.
func isHostname(h string) bool {
	dot := strings.LastIndexByte(h, '.')
	if dot <= 0 || dot == len(h)-1 {
		return false
	}
	for i := 0; i < len(h); i++ {
		b := h[i]
		if !(isASCIILetter(b) || isDigit(b) || b == '-' || b == '.') {
			return false
		}
		if b == '.' && (i == 0 || h[i-1] == '.') {
			return false
		}
	}
	tld := h[dot+1:]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isASCIILetter(tld[i]) {
			return false
		}
	}
	return true
}

// commonTLDs limits bare-domain detection ("example.com") to endings that are
// not also ordinary words or abbreviations, so "etc." or a missing space
// after a full stop is never read as a web address.
var commonTLDs = map[string]bool{"com": true, "org": true, "net": true, "edu": true, "gov": true, "io": true, "info": true}

func isBareDomain(c string) bool {
	host := c
	if i := strings.IndexByte(c, '/'); i >= 0 {
		host = c[:i]
	}
	if !isHostname(host) {
		return false
	}
	tld := strings.ToLower(host[strings.LastIndexByte(host, '.')+1:])
	return commonTLDs[tld]
}

// urlSymbols names the characters of an address that are read aloud.
var urlSymbols = map[byte]string{
	'.': "dot", '/': "slash", '-': "dash", '_': "underscore", '@': "at", ':': "colon",
	'?': "question mark", '=': "equals", '&': "and", '#': "hash", '~': "tilde",
	'%': "percent", '+': "plus",
}

// readAddress spells a URL or e-mail address the way people read one out:
// the scheme is dropped ("https://example.com/a" -> "example dot com slash
// a"), separators are named, and digit runs are read as numbers.
func readAddress(b *strings.Builder, addr string) {
	for _, scheme := range []string{"https://", "http://", "ftp://", "mailto:"} {
		if hasPrefixFold(addr, scheme) {
			addr = addr[len(scheme):]
			break
		}
	}
	addr = strings.TrimRight(addr, "/")
	first := true
	sep := func() {
		if !first {
			b.WriteByte(' ')
		}
		first = false
	}
	for i := 0; i < len(addr); {
		c := addr[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(addr) && isDigit(addr[j]) {
				j++
			}
			sep()
			if j-i <= 4 {
				cardinal(b, addr[i:j])
			} else {
				digitWords(b, addr[i:j])
			}
			i = j
		case c >= utf8.RuneSelf || isASCIILetter(c):
			j := i
			for j < len(addr) && (addr[j] >= utf8.RuneSelf || isASCIILetter(addr[j])) {
				j++
			}
			sep()
			b.WriteString(addr[i:j])
			i = j
		default:
			if name, ok := urlSymbols[c]; ok {
				sep()
				b.WriteString(name)
			}
			i++
		}
	}
}
