package speech

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// lexicon indexes user entries by the lower-cased first word (or first
// symbol) of Entry.Word, so matching costs one map lookup per token.
type lexicon struct {
	byKey map[string][]Entry // longest Word first
	// first marks the lower-cased first bytes of all keys, a cheap filter
	// that skips the key computation for almost every token.
	first [256]bool
}

func isAlnumRune(r rune) bool {
	return isLetter(r) || (r >= '0' && r <= '9')
}

// lexiconKey returns the index key for text starting at a token boundary:
// its leading run of letters or digits, lower-cased, or its first rune.
func lexiconKey(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if !isAlnumRune(r) {
		return s[:size]
	}
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !isAlnumRune(r) {
			break
		}
		end += size
	}
	return strings.ToLower(s[:end])
}

func newLexicon(entries []Entry) *lexicon {
	if len(entries) == 0 {
		return nil
	}
	lx := &lexicon{byKey: make(map[string][]Entry)}
	for _, e := range entries {
		if e.Word == "" {
			continue
		}
		k := lexiconKey(e.Word)
		lx.byKey[k] = append(lx.byKey[k], e)
		lx.first[k[0]] = true
	}
	for _, es := range lx.byKey {
		// Longest first, so "St. John" wins over "St"; stable keeps the
		// caller's order between equal lengths.
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].Word) > len(es[j].Word) })
	}
	return lx
}

// matchLexicon replaces a whole-word lexicon match at l.pos with a verbatim
// token. Whole-word means the match neither starts nor ends inside a run of
// letters or digits.
func (l *lexer) matchLexicon(r rune) bool {
	s := l.src[l.pos:]
	c := s[0]
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	if !l.lex.first[c] && c < utf8.RuneSelf {
		return false
	}
	if isAlnumRune(r) && l.pos > 0 {
		prev, _ := utf8.DecodeLastRuneInString(l.src[:l.pos])
		if isAlnumRune(prev) {
			return false
		}
	}
	es := l.lex.byKey[lexiconKey(s)]
	for _, e := range es {
		w := e.Word
		if len(s) < len(w) {
			continue
		}
		if e.MatchCase {
			if s[:len(w)] != w {
				continue
			}
		} else if !strings.EqualFold(s[:len(w)], w) {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(w)
		if isAlnumRune(last) && len(s) > len(w) {
			next, _ := utf8.DecodeRuneInString(s[len(w):])
			if isAlnumRune(next) {
				continue
			}
		}
		l.emit(token{kind: kVerbatim, text: e.Say})
		l.pos += len(w)
		return true
	}
	return false
}
