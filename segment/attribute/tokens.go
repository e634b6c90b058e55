package attribute

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or punctuation mark of a span, with byte offsets into
// the chapter text.
type token struct {
	text  string // as written, "Mr." keeps its period
	lower string // lower case, without a trailing abbreviation period
	start int
	end   int
	word  bool // letters or digits, not punctuation
	cap   bool // the first letter is upper case
	// initial marks the first word of a sentence, where capitals say
	// nothing about names.
	initial bool
	// named marks a sentence-initial word that attest found to be a
	// name there ("Will laughed", not "Will you?").
	named bool
}

// abbreviations end with a period that does not end the sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "messrs": true,
	"mme": true, "mlle": true, "prof": true, "rev": true, "col": true, "capt": true,
	"gen": true, "lieut": true, "sgt": true, "hon": true, "jr": true, "sr": true,
}

// tokenize splits text (starting at byte offset base of the chapter) into
// tokens. first says whether the text starts a sentence.
func tokenize(text string, base int, first bool) []token {
	return appendTokens(nil, text, base, first)
}

// appendTokens is tokenize appending to out, so that a whole book's
// tokens can share one array.
func appendTokens(out []token, text string, base int, first bool) []token {
	initial := first
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) {
					j += s2
					continue
				}
				// An apostrophe or hyphen between letters joins one word:
				// don't, M'Choakumchild, good-humoured.
				if r2 == '\'' || r2 == '’' || r2 == '-' {
					r3, _ := utf8.DecodeRuneInString(text[j+s2:])
					if isWordRune(r3) {
						j += s2
						continue
					}
				}
				break
			}
			// A possessive 's is a token of its own, so "Emma's" still
			// shows the name.
			if j-i > 2 && (strings.HasSuffix(text[i:j], "'s") || strings.HasSuffix(text[i:j], "’s")) {
				k := j - 2
				if strings.HasSuffix(text[i:j], "’s") {
					k = j - len("’s")
				}
				if k > i {
					j = k
				}
			}
			// A stammer ("M-Miss Flitworth", "W-well") is the word it
			// stammers.
			for {
				h := strings.IndexByte(text[i:j], '-')
				if h <= 0 || h > 2 || !strings.HasPrefix(strings.ToLower(text[i+h+1:j]), strings.ToLower(text[i:i+h])) {
					break
				}
				i += h + 1
			}
			w := text[i:j]
			lw := strings.ToLower(w)
			first, _ := utf8.DecodeRuneInString(w)
			t := token{text: w, lower: lw, start: base + i, end: base + j, word: true,
				cap: unicode.IsUpper(first), initial: initial}
			initial = false
			// Abbreviations and initials keep their period, which then
			// does not end the sentence.
			if j < len(text) && text[j] == '.' && (abbreviations[lw] || (utf8.RuneCountInString(w) == 1 && t.cap && w != "I" && w != "A")) {
				j++
				t.text = text[i:j]
				t.end = base + j
			}
			out = append(out, t)
			i = j
		default:
			p := text[i : i+size]
			// "--" is one dash token.
			if r == '-' && strings.HasPrefix(text[i:], "--") {
				size = 2
				for i+size < len(text) && text[i+size] == '-' {
					size++
				}
				p = "--"
			}
			out = append(out, token{text: p, lower: p, start: base + i, end: base + i + size})
			if r == '.' || r == '!' || r == '?' {
				initial = true
			}
			i += size
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// endsSentence reports whether a punctuation token closes a sentence.
func (t token) endsSentence() bool {
	return !t.word && (t.text == "." || t.text == "!" || t.text == "?")
}

// clauseBreak reports whether a punctuation token ends a clause.
func (t token) clauseBreak() bool {
	return !t.word && (t.endsSentence() || t.text == ";" || t.text == ":" || t.text == "--" || t.text == "—" || t.text == "(" || t.text == ")")
}
