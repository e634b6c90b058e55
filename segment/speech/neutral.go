package speech

import "strings"

// Books in a language without rules here get only the rules that hold in
// every language: markup, decoration and footnote marks are dropped, and
// dashes and ellipses become pauses. Digits, symbols, currency and
// abbreviations are left as written for the engine, which reads them in
// the voice's language ("12 €" is "douze euros" in French), where
// English words would be wrong.

// stepNeutral is step for a language without rules.
func (r *rewriter) stepNeutral(i int) int {
	t := r.toks[i]
	switch t.kind {
	case kEllipsis:
		r.w.pause("...")
	case kDash:
		r.w.pause(",")
	case kEnDash:
		// Between numbers it is a range ("1914–1918"), which the engine
		// reads; elsewhere a break.
		if r.at(i-1).kind == kNum && r.at(i+1).kind == kNum && !t.sp && !r.at(i+1).sp {
			r.w.emit("-", false)
		} else {
			r.w.pause(",")
		}
	case kPunct:
		return r.punctNeutral(i)
	default:
		// Words, numbers, initialisms, addresses and lexicon entries.
		r.keep(t)
	}
	return i + 1
}

// keep writes a token as written, with the source's own spacing: "3e"
// stays one word (the writer would otherwise part a digit from a letter
// the way rewrites need).
func (r *rewriter) keep(t token) {
	r.w.lastAlnum = false
	r.w.emit(t.text, t.sp)
}

func (r *rewriter) punctNeutral(i int) int {
	t := r.toks[i]
	n1 := r.at(i + 1)
	prev := r.at(i - 1)
	switch t.text {
	case "-":
		if (t.sp || r.w.b.Len() == 0) && (n1.sp || n1.kind == kNone) {
			r.w.pause(",") // a spaced hyphen is a dash
		} else {
			r.w.emit("-", t.sp)
		}
		return i + 1
	case "[":
		if n1.kind == kNum && !n1.sp && r.at(i+2).isPunct("]") && !r.at(i+2).sp {
			r.w.drop(t.sp) // a footnote mark "[12]"
			return i + 3
		}
	case "/":
		if prev.kind == kNum && n1.kind == kNum && !t.sp && !n1.sp {
			r.w.emit("/", false) // "3/4", a date
			return i + 1
		}
		r.w.drop(true)
		return i + 1
	case ",", ";":
		if r.w.b.Len() == 0 || strings.IndexByte(",;:", r.w.last) >= 0 && !r.w.lastAlnum {
			return i + 1
		}
	}
	if silentSymbols[t.text] {
		r.w.drop(t.sp)
		return i + 1
	}
	r.keep(t)
	return i + 1
}
