package speech

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var romanValues = [256]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}

// romanTable lists values and numerals from largest to smallest for
// formatting the canonical spelling.
var romanTable = []struct {
	v int
	s string
}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
	{50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}

// parseRoman returns the value of an upper-case Roman numeral (1-3999). Only
// the canonical spelling is accepted, so words made of numeral letters such
// as "DID", "CIVIL" or "LIVID" are rejected; "MIX" is canonical and needs
// the caller's context checks.
func parseRoman(s string) (int, bool) {
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	total := 0
	for i := 0; i < len(s); i++ {
		v := romanValues[s[i]]
		if v == 0 {
			return 0, false
		}
		if i+1 < len(s) && romanValues[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || total >= 4000 {
		return 0, false
	}
	// Re-format and compare: rejects "IIII", "VX", "IC", "DID".
	rest, i := total, 0
	for _, e := range romanTable {
		for rest >= e.v {
			if !strings.HasPrefix(s[i:], e.s) {
				return 0, false
			}
			i += len(e.s)
			rest -= e.v
		}
	}
	return total, i == len(s)
}

// headingWords introduce a numbered division in a heading; the numeral after
// one of them is converted. Appendices are lettered, so "appendix" is absent.
var headingWords = map[string]bool{
	"chapter": true, "book": true, "part": true, "volume": true, "vol": true, "act": true,
	"scene": true, "canto": true, "stave": true, "letter": true, "lecture": true,
	"lesson": true, "episode": true, "psalm": true, "chap": true, "fit": true, "section": true,
	"article": true,
	// The same divisions in other languages: headings are read by the
	// rules of every language, and a numeral in digits is read by the
	// voice in its own.
	"chapitre": true, "partie": true, "livre": true, "tome": true, "acte": true,
	"kapitel": true, "teil": true, "buch": true, "band": true, "akt": true,
	"capítulo": true, "capitulo": true, "capitolo": true, "capítol": true, "parte": true,
	"libro": true, "hoofdstuk": true, "deel": true, "boek": true, "kapittel": true,
	"rozdział": true, "kapitola": true, "глава": true, "часть": true, "книга": true,
	"розділ": true, "κεφάλαιο": true, "bölüm": true, "caput": true,
}

// Heading applies the rules that only hold in a heading, where a Roman
// numeral is a number: "Chapter IV" -> "Chapter 4", "CHAPTER XII." ->
// "Chapter 12.", "II. The Pool" -> "2. The Pool". A heading written entirely
// in capitals is put in title case, because engines spell out some
// all-capital words ("IT" as "I T"). The result is still written text; pass
// it to Normalize to get the spoken form ("Chapter four").
func Heading(text string) string {
	text = strings.TrimSpace(prepare(text))
	if allCaps(text) {
		text = titleCase(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	prevWord := "" // lower-cased previous letter run, "" after anything but spaces
	first := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isLetter(r) {
			b.WriteString(text[i : i+size])
			if r != ' ' && !(r == '.' && (prevWord == "vol" || prevWord == "chap")) {
				prevWord = ""
			}
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isLetter(r) {
				break
			}
			j += size
		}
		w := text[i:j]
		if n, ok := headingNumeral(w, prevWord, first, text[j:]); ok {
			b.WriteString(strconv.Itoa(n))
		} else {
			b.WriteString(w)
		}
		prevWord = strings.ToLower(w)
		first = false
		i = j
	}
	return b.String()
}

// headingNumeral decides whether the letter run w is a numeral: after a
// heading word any valid numeral counts; at the start of the heading it
// counts when punctuation or the end follows ("IV." or "XII"), which keeps
// "I Remember" and "MIX TAPE" as words.
func headingNumeral(w, prevWord string, first bool, rest string) (int, bool) {
	u := w
	if strings.ToLower(w) == w {
		u = strings.ToUpper(w)
	} else if strings.ToUpper(w) != w {
		return 0, false // "Iv" is not a numeral
	}
	n, ok := parseRoman(u)
	if !ok {
		return 0, false
	}
	if headingWords[prevWord] {
		// "Part C" and "Section D" are lettered; only chapters run long
		// enough for L, C, D or M to be numbers.
		if len(u) == 1 && u != "I" && u != "V" && u != "X" && prevWord != "chapter" && prevWord != "chap" {
			return 0, false
		}
		return n, true
	}
	if !first || n >= 400 {
		return 0, false
	}
	if rest == "" {
		return n, true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return n, strings.ContainsRune(".:)—–-", r)
}

// allCaps reports whether text has at least four letters and no lower-case
// ones.
func allCaps(text string) bool {
	letters := 0
	for _, r := range text {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= 4
}

// titleCase capitalises the first letter of every word (after a space,
// hyphen or bracket) and lower-cases the rest, keeping Roman numerals upper
// case so they are still recognised.
func titleCase(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isLetter(r) {
			b.WriteRune(r)
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isLetter(r) && !(r == '\'' || r == '\u2019') {
				break
			}
			j += size
		}
		w := text[i:j]
		if _, ok := parseRoman(strings.TrimRight(w, "'\u2019")); ok && w != "I" && len(w) > 1 && !isCommonWord(w) {
			b.WriteString(w)
		} else {
			b.WriteRune(r)
			b.WriteString(strings.ToLower(w[size:]))
		}
		i = j
	}
	return b.String()
}

// isCommonWord lists the canonical Roman numerals that are also English
// words likely in a heading.
func isCommonWord(w string) bool {
	switch w {
	case "MIX", "DC", "CD", "MD", "MC", "DI", "CI", "LI", "MI", "DIX":
		return true
	}
	return false
}
