// Package sentence tells where sentences end, by the rules of the text's
// language: the full stop of an abbreviation ("Mr.", French "M.", German
// "z.B.") or of an initial ("J. Smith") ends no sentence, nor does one
// followed by a lower-case word. Long spans are cut for synthesis at the
// ends it finds, and a cut in the wrong place is heard as a pause inside
// a name.
package sentence

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rules are the sentence rules of one language.
type Rules struct {
	abbrevs map[string]bool
}

// For returns the rules of a BCP 47 language tag. A language without an
// abbreviation list here still gets the rules of every language
// (initials, a lower-case word after the stop).
func For(tag string) Rules {
	base, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	return Rules{abbrevs: abbreviations[strings.ToLower(base)]}
}

// abbreviations are, per language, the common abbreviations written
// with a full stop that, in running text, precede more of the same
// sentence: titles before a name, and words before a number or a
// phrase. Abbreviations that often end a sentence ("etc.", "usw.") are
// left out: there the stop does end it. Keys are as written, without
// the final stop; dotted ones keep their inner stops ("z.B").
var abbreviations = map[string]map[string]bool{
	"en": set("Mr Mrs Ms Messrs Dr St Prof Rev Revd Capt Col Gen Lt Sgt Hon Gov Sen Pres Mt Ft p pp vs viz cf e.g i.e approx"),
	"fr": set("M MM Mme Mmes Mlle Mlles Mgr Me Dr Pr St Ste Vve p pp cf av apr env ch chap vol fig n°"),
	"de": set("Hr Hrn Fr Frl Dr Prof St Nr Str Bd Kap Abb vgl z.B d.h u.a o.ä bzw ca evtl ggf sog inkl Jh"),
	"es": set("Sr Sra Srta Sres Dr Dra D Dña Ud Uds Vd Vds Excmo Excma Sto Sta pág págs núm cap vol aprox p.ej"),
	"it": set("Sig Sigg Sig.ra Sig.na Dott Dott.ssa Prof Avv Ing Geom On S Mons pag pagg cap vol fig"),
	"pt": set("Sr Sra Srta Srs Dr Dra Exmo Exma V.Exa S Sto Sta pág págs cap vol fig aprox"),
	"nl": set("dhr mevr mej mr dr ir ing prof drs St blz bijv nr d.w.z o.a m.a.w z.g.a"),
	"ru": set("г гг им ул пр проф акад т.е т.к т.н см ср напр"),
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// End reports whether the full stop, question or exclamation mark at
// text[i] ends a sentence.
func (r Rules) End(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	if c := text[i]; c == '!' || c == '?' {
		return true
	}
	if text[i] != '.' {
		return false
	}
	// A lower-case word after the stop continues the sentence ("etc.
	// and", "3. Mai" is German "3rd May" only with a capital, so it is
	// left to the list).
	rest := strings.TrimLeft(text[i+1:], " \t\n\"'”’»)")
	if next, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(next) {
		return false
	}
	word := lastWord(text[:i])
	if word == "" {
		return true
	}
	if r.abbrevs[word] {
		return false
	}
	// An initial: one capital letter ("J. R. Smith").
	if first, size := utf8.DecodeRuneInString(word); size == len(word) && unicode.IsUpper(first) {
		return false
	}
	return true
}

// lastWord returns the letters, digits, inner stops and signs such as
// "°" just before the end of s: "z.B" in "etwa z.B".
func lastWord(s string) string {
	j := len(s)
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '°') {
			break
		}
		j -= size
	}
	return strings.TrimLeft(s[j:], ".")
}
