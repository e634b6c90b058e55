package speech

// German rules: the abbreviations German engines misread. espeak-ng 1.51
// spells "Dr." as "D R", "Nr." as "N R" and "z.B." letter by letter, and
// reads "15:30 Uhr" as "fünfzehn Uhr dreißig Uhr". Ordinals ("am 3.
// Mai") take the case of their noun phrase, which these rules cannot
// know, so they are left as written, like numbers, years and money.

// germanAbbrevs are written without their full stop; the class says when
// each is expanded, as for English (tables.go).
var germanAbbrevs = map[string]abbr{
	"Dr": {"Doktor", classTitle}, "Hr": {"Herr", classTitle}, "Hrn": {"Herrn", classTitle},
	"Fr": {"Frau", classTitle}, "Frl": {"Fräulein", classTitle}, "Prof": {"Professor", classTitle},
	"St": {"Sankt", classTitle},
	"Nr": {"Nummer", classNum}, "S": {"Seite", classNum}, "Bd": {"Band", classNum},
	"Kap": {"Kapitel", classNum}, "Abs": {"Absatz", classNum},
	"bzw": {"beziehungsweise", classMid}, "ca": {"circa", classMid}, "vgl": {"vergleiche", classMid},
	"evtl": {"eventuell", classMid}, "ggf": {"gegebenenfalls", classMid}, "inkl": {"inklusive", classMid},
	"usw": {"und so weiter", classEnd}, "etc": {"et cetera", classEnd},
}

// germanInitialisms are dotted abbreviations the lexer reads as one token.
var germanInitialisms = map[string]string{
	"z.B.": "zum Beispiel", "d.h.": "das heißt", "u.a.": "unter anderem", "o.ä.": "oder ähnlich",
	"u.U.": "unter Umständen", "z.T.": "zum Teil",
}

// stepGerman is step for German: the German rules, then the rules of
// every language.
func (r *rewriter) stepGerman(i int) int {
	t := r.toks[i]
	switch t.kind {
	case kInit:
		if say, ok := germanInitialisms[t.text]; ok {
			r.w.emit(say, t.sp)
			return i + 1
		}
	case kWord:
		if k := r.germanAbbrev(i); k > i {
			return k
		}
	case kNum:
		// "15:30 Uhr" -> "15 Uhr 30".
		n1, n2, n3 := r.at(i+1), r.at(i+2), r.at(i+3)
		if t.isInt() && len(t.text) <= 2 && n1.isPunct(":") && !n1.sp && n2.isInt() && len(n2.text) == 2 && !n2.sp &&
			n3.is(kWord, "Uhr") && n3.sp && atoiSmall(t.text) <= 24 && atoiSmall(n2.text) < 60 {
			r.keep(t)
			r.w.emit("Uhr", true)
			r.w.emit(n2.text, true)
			return i + 4
		}
	}
	return r.stepNeutral(i)
}

// germanAbbrev expands a word followed by its full stop, or returns i.
func (r *rewriter) germanAbbrev(i int) int {
	t := r.toks[i]
	n1, next := r.at(i+1), r.at(i+2)
	if !n1.isPunct(".") || n1.sp {
		return i
	}
	a, ok := germanAbbrevs[t.text]
	if !ok {
		return i
	}
	switch a.class {
	case classTitle:
		if !next.isCap() || !next.sp {
			return i
		}
	case classNum:
		if next.kind != kNum || !next.sp {
			return i
		}
	}
	r.w.emit(a.say, t.sp)
	if a.class == classEnd && (next.kind == kNone || next.sp && next.isCap()) {
		r.w.emit(".", false)
	}
	return i + 2
}
