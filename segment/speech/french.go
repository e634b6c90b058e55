package speech

import (
	"strconv"
	"strings"
)

// French rules: what French engines misread when left to themselves.
// espeak-ng 1.51 reads "M. Dupont" as "èm Dupont", "MM." as
// "millimètre", "2e" as "deux e", "XIXe siècle" as "gziks siècle", "n° 7"
// as "èn sept" and "15 h 30" as "quinze hache trente". Plain numbers,
// years, money ("40 €") and "Mme" it reads well, so they are left to it,
// as in every language without rules.

// frenchTitles are titles written before a name; the abbreviations with
// a "+" are expanded only with their full stop, since alone they are
// also letters.
var frenchTitles = map[string]string{
	"M+": "Monsieur", "MM+": "Messieurs", "Mme": "Madame", "Mmes": "Mesdames",
	"Mlle": "Mademoiselle", "Mlles": "Mesdemoiselles", "Me": "Maître", "Mgr": "Monseigneur",
	"Pr": "Professeur", "Dr": "Docteur",
}

// stepFrench is step for French: the French rules, then the rules of
// every language.
func (r *rewriter) stepFrench(i int) int {
	t := r.toks[i]
	switch t.kind {
	case kWord:
		if k := r.frenchWord(i); k > i {
			return k
		}
	case kNum:
		if k := r.frenchNumber(i); k > i {
			return k
		}
	}
	return r.stepNeutral(i)
}

func (r *rewriter) frenchWord(i int) int {
	t := r.toks[i]
	n1, n2 := r.at(i+1), r.at(i+2)
	dot := n1.isPunct(".") && !n1.sp
	// Titles before a capitalised name: "M. Dupont", "Me Girard".
	next := n1
	if dot {
		next = n2
	}
	if next.isCap() && next.sp {
		say, ok := frenchTitles[t.text]
		if !ok && dot {
			say, ok = frenchTitles[t.text+"+"]
		}
		if ok {
			r.w.emit(say, t.sp)
			if dot {
				return i + 2
			}
			return i + 1
		}
	}
	switch {
	case (t.text == "n" || t.text == "N") && n1.isPunct("°") && !n1.sp && n2.kind == kNum:
		r.w.emit("numéro", t.sp) // "n° 7"
		return i + 2
	case t.text == "p" && dot && n2.kind == kNum && n2.sp:
		r.w.emit("page", t.sp)
		return i + 2
	}
	// A Roman ordinal: "XIXe siècle", "Ier", "IIIe République".
	if n, fem, ok := romanOrdinal(t.text); ok {
		r.w.emit(frenchOrdinal(n, fem), t.sp)
		return i + 1
	}
	return i
}

// romanOrdinal reads "XIXe", "Ve", "IIIème", "Ier", "Ire": a numeral of
// I, V and X (centuries, kings, republics; "Ce" and "Le" are words) and
// an ordinal ending.
func romanOrdinal(w string) (n int, feminine, ok bool) {
	for _, suffix := range []string{"ème", "eme", "er", "re", "e"} {
		num, found := strings.CutSuffix(w, suffix)
		if !found || num == "" || strings.Trim(num, "IVX") != "" {
			continue
		}
		v, valid := parseRoman(num)
		if !valid || (suffix == "er" || suffix == "re") != (v == 1) {
			return 0, false, false
		}
		return v, suffix == "re", true
	}
	return 0, false, false
}

// frenchNumber reads ordinals ("2e", "1er", "21ème") and times ("15 h
// 30", "8h"); other numbers are left to the engine.
func (r *rewriter) frenchNumber(i int) int {
	t := r.toks[i]
	n1 := r.at(i + 1)
	if !t.isInt() || t.comma || len(t.text) > 9 {
		return i
	}
	v, _ := strconv.Atoi(t.text)
	// "15 h 30", "15h30", "8 h": hours, with minutes when they follow.
	if n1.is(kWord, "h") && v <= 24 {
		r.keep(t)
		r.w.emit(map[bool]string{false: "heures", true: "heure"}[v <= 1], true)
		if m := r.at(i + 2); m.isInt() && len(m.text) == 2 && !m.comma {
			r.w.emit(m.text, true)
			return i + 3
		}
		return i + 2
	}
	if n1.kind == kWord && !n1.sp {
		fem := false
		switch n1.text {
		case "re", "ère", "res", "ères":
			fem = true
			fallthrough
		case "er", "ers":
			if v != 1 {
				return i
			}
		case "e", "ème", "eme", "es", "èmes", "emes":
			if v < 2 {
				return i
			}
		case "nd", "nde", "nds", "ndes":
			if v != 2 {
				return i
			}
			r.w.emit(map[bool]string{false: "second", true: "seconde"}[strings.HasPrefix(n1.text, "nde")], t.sp)
			return i + 2
		default:
			return i
		}
		r.w.emit(frenchOrdinal(v, fem), t.sp)
		return i + 2
	}
	return i
}

var frenchUnits = []string{"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
	"dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"}

var frenchTens = []string{"", "", "vingt", "trente", "quarante", "cinquante", "soixante", "soixante", "quatre-vingt", "quatre-vingt"}

// frenchCardinal writes n (0 to 999 999 999) in words, in the
// traditional spelling: "vingt et un", "quatre-vingts", "deux cents",
// "deux cent un", "mille", "deux millions".
func frenchCardinal(n int) string {
	switch {
	case n < 20:
		return frenchUnits[n]
	case n < 100:
		t, u := n/10, n%10
		if t == 7 || t == 9 { // soixante-dix, quatre-vingt-dix
			u += 10
		}
		switch {
		case u == 0 && t == 8:
			return "quatre-vingts"
		case u == 0:
			return frenchTens[t]
		case (u == 1 || u == 11) && t != 8 && t != 9:
			return frenchTens[t] + " et " + frenchUnits[u]
		}
		return frenchTens[t] + "-" + frenchUnits[u]
	case n < 1000:
		h, rest := n/100, n%100
		s := "cent"
		if h > 1 {
			s = frenchUnits[h] + " cent"
			if rest == 0 {
				s += "s"
			}
		}
		if rest > 0 {
			s += " " + frenchCardinal(rest)
		}
		return s
	case n < 1000000:
		k, rest := n/1000, n%1000
		s := "mille"
		if k > 1 {
			// No plural before mille: "deux cent mille", "quatre-vingt mille".
			s = frenchCardinal(k)
			if strings.HasSuffix(s, "cents") || strings.HasSuffix(s, "vingts") {
				s = strings.TrimSuffix(s, "s")
			}
			s += " mille"
		}
		if rest > 0 {
			s += " " + frenchCardinal(rest)
		}
		return s
	}
	m, rest := n/1000000, n%1000000
	s := frenchCardinal(m) + " million"
	if m > 1 {
		s += "s"
	}
	if rest > 0 {
		s += " " + frenchCardinal(rest)
	}
	return s
}

// frenchOrdinal writes the ordinal of n: "premier" (or "première"),
// "deuxième", "vingt et unième", "quatre-vingtième", "centième".
func frenchOrdinal(n int, feminine bool) string {
	if n == 1 {
		if feminine {
			return "première"
		}
		return "premier"
	}
	c := frenchCardinal(n)
	switch {
	case strings.HasSuffix(c, "cinq"):
		return c + "uième"
	case strings.HasSuffix(c, "neuf"):
		return strings.TrimSuffix(c, "f") + "vième"
	case strings.HasSuffix(c, "cents"), strings.HasSuffix(c, "vingts"), strings.HasSuffix(c, "millions"):
		c = strings.TrimSuffix(c, "s")
	}
	return strings.TrimSuffix(c, "e") + "ième"
}
