package speech

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kNone is the kind of the zero token returned past either end of input.
const kNone kind = 255

// writer accumulates output, deciding the space before each piece: the
// source's own spacing is kept, a space is inserted where a rewrite would
// otherwise glue two words together ("B52" -> "B fifty-two"), and dropped
// tokens pass their leading space on.
type writer struct {
	b         strings.Builder
	pend      bool // a dropped token had whitespace before it
	force     bool // a pause was written; the next word needs a space
	lastAlnum bool
	last      byte
}

func firstAlnum(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isAlnumRune(r)
}

func (w *writer) emit(s string, sp bool) {
	if s == "" {
		return
	}
	if w.b.Len() > 0 {
		fa := firstAlnum(s)
		if sp || w.pend || (fa && (w.force || w.lastAlnum)) {
			w.b.WriteByte(' ')
		}
	}
	w.b.WriteString(s)
	r, _ := utf8.DecodeLastRuneInString(s)
	w.lastAlnum = isAlnumRune(r)
	w.last = s[len(s)-1]
	w.pend, w.force = false, false
}

func (w *writer) drop(sp bool) {
	if sp && w.b.Len() > 0 {
		w.pend = true
	}
}

// pause writes a pause mark unless the output is empty or already ends in
// one.
func (w *writer) pause(mark string) {
	if w.b.Len() == 0 {
		return
	}
	if strings.IndexByte(",;:.!?", w.last) < 0 {
		w.b.WriteString(mark)
		w.last = mark[len(mark)-1]
		w.lastAlnum = false
	}
	w.pend, w.force = false, true
}

// rewriter walks the tokens, turning each rule's match into words.
type rewriter struct {
	toks []token
	w    writer
	sb   strings.Builder // scratch for building number words

	// rules is the rule set of the text's language.
	rules rules
}

func (r *rewriter) at(i int) token {
	if i < 0 || i >= len(r.toks) {
		return token{kind: kNone}
	}
	return r.toks[i]
}

func (t token) is(k kind, text string) bool { return t.kind == k && t.text == text }

func (t token) isPunct(text string) bool { return t.kind == kPunct && t.text == text }

// isInt reports a kNum without a decimal part.
func (t token) isInt() bool { return t.kind == kNum && strings.IndexByte(t.text, '.') < 0 }

// isCap reports a word starting with an upper-case letter.
func (t token) isCap() bool {
	if t.kind != kWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(r)
}

func (t token) isLower() bool {
	if t.kind != kWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsLower(r)
}

func (r *rewriter) run() {
	step := r.step
	switch r.rules {
	case neutral:
		step = r.stepNeutral
	case french:
		step = r.stepFrench
	case german:
		step = r.stepGerman
	}
	for i := 0; i < len(r.toks); {
		i = step(i)
	}
}

func (r *rewriter) step(i int) int {
	t := r.toks[i]
	switch t.kind {
	case kVerbatim:
		r.w.emit(t.text, t.sp)
	case kURL, kEmail:
		r.sb.Reset()
		readAddress(&r.sb, t.text)
		r.w.emit(r.sb.String(), t.sp)
	case kNum:
		return r.number(i)
	case kWord:
		return r.word(i)
	case kInit:
		return r.initialism(i)
	case kEllipsis:
		r.w.pause("...")
	case kDash, kEnDash:
		r.w.pause(",")
	default:
		return r.punct(i)
	}
	return i + 1
}

// endsSentence reports whether the full stop at index j also ends the
// sentence: nothing follows, a closing quote or bracket follows, or the
// next word is capitalised.
func (r *rewriter) endsSentence(j int) bool {
	n := r.at(j + 1)
	switch {
	case n.kind == kNone:
		return true
	case n.kind == kPunct && !n.sp && (n.text == `"` || n.text == "'" || n.text == ")"):
		return true
	case n.sp && (n.isCap() || n.isPunct(`"`)):
		return true
	}
	return false
}

// ---- numbers ----

func (r *rewriter) number(i int) int {
	t := r.toks[i]
	n1, n2 := r.at(i+1), r.at(i+2)
	attached := !n1.sp && !n2.sp
	if t.isInt() && !t.comma && len(t.digits()) <= 2 && n1.isPunct(":") && attached &&
		n2.isInt() && len(n2.text) == 2 && atoiSmall(n2.digits()) < 60 && atoiSmall(t.digits()) <= 24 {
		return r.time(i)
	}
	if t.isInt() && n2.isInt() && ((n1.isPunct("-") && attached) || (n1.kind == kEnDash && n1.sp == n2.sp)) {
		return r.rangeOrChain(i)
	}
	if t.isInt() && n1.isPunct("/") && attached && n2.isInt() {
		return r.slash(i)
	}
	if t.frac() != "" && n1.isPunct(".") && attached && n2.kind == kNum {
		return r.dotted(i)
	}
	if t.isInt() && n1.kind == kWord && !n1.sp {
		switch strings.ToLower(n1.text) {
		case "st", "nd", "rd", "th":
			r.w.emit(ordinalWords(cardinalString(t.digits())), t.sp)
			return i + 2
		case "d":
			// Older books write "2d" and "3d" for second and third.
			if d := t.digits(); n1.text == "d" && (d[len(d)-1] == '2' || d[len(d)-1] == '3') && !strings.HasSuffix(d, "12") && !strings.HasSuffix(d, "13") {
				r.w.emit(ordinalWords(cardinalString(d)), t.sp)
				return i + 2
			}
		case "s":
			r.w.emit(pluralWords(r.numberWords(i)), t.sp)
			return i + 2
		}
	}
	if t.isInt() && n1.isPunct("'") && !n1.sp && n2.is(kWord, "s") && !n2.sp {
		r.w.emit(pluralWords(r.numberWords(i)), t.sp) // "1960's"
		return i + 3
	}
	if f, ok := vulgarFractions[n1.text]; ok && n1.kind == kPunct && !n1.sp && t.isInt() {
		r.w.emit(r.numberWords(i)+" and "+fractionWords(f, true), t.sp)
		return i + 2
	}
	if t.isInt() && !t.comma && len(t.digits()) <= 2 {
		d := atoiSmall(t.digits())
		if d >= 1 && d <= 31 && t.sp && isMonth(r.prevWord(i)) {
			r.w.emit(ordinalWords(cardinalString(t.digits())), t.sp)
			return i + 1
		}
		if d >= 1 && d <= 31 && n1.sp && months[n1.text] {
			the := "the "
			if strings.EqualFold(r.at(i-1).text, "the") {
				the = ""
			}
			r.w.emit(the+ordinalWords(cardinalString(t.digits()))+" of", t.sp)
			return i + 1
		}
	}
	r.w.emit(r.numberWords(i), t.sp)
	return r.afterNumber(i+1, t)
}

// numberWords reads the number at i as a year or a cardinal with decimals.
func (r *rewriter) numberWords(i int) string {
	t := r.toks[i]
	r.sb.Reset()
	if t.frac() == "" && !t.comma && isYearDigits(t.digits()) && r.yearContext(i) {
		year(&r.sb, t.digits())
		return r.sb.String()
	}
	r.cardinalWithFrac(t)
	return r.sb.String()
}

func (r *rewriter) cardinalWithFrac(t token) {
	cardinal(&r.sb, t.digits())
	if t.frac() != "" {
		r.sb.WriteString(" point ")
		digitWords(&r.sb, t.frac())
	}
}

// prevWord returns the word before token i, looking through the full stop
// of an abbreviation ("c. 1850").
func (r *rewriter) prevWord(i int) token {
	p := r.at(i - 1)
	if p.isPunct(".") && !p.sp {
		p = r.at(i - 2)
	}
	return p
}

// yearContext decides whether a four-digit number in the year range is a
// year. A year trigger before it ("in", "since", a month) or an era after it
// makes it one; otherwise a following lower-case content word makes it a
// count ("1500 men"), and anything else (punctuation, the end, a capitalised
// word, a function word) leaves it a year.
func (r *rewriter) yearContext(i int) bool { return r.yearCtx(i, true) }

// yearCtx is yearContext; follow allows one look at a preceding year in "X
// and Y", bounded so that long chains stay linear.
func (r *rewriter) yearCtx(i int, follow bool) bool {
	p := r.prevWord(i)
	if p.kind == kWord {
		lower := strings.ToLower(p.text)
		if yearTriggers[lower] || isMonth(p) || eras[p.text] != "" {
			return true
		}
		if numberingWords[p.text] || countWords[lower] {
			return false // "Chapter 1865", "page 1200"
		}
		if q := r.at(i - 2); (lower == "and" || lower == "or" || lower == "to") && q.isInt() && !q.comma && isYearDigits(q.text) && follow && r.yearCtx(i-2, false) {
			return true // "between the years 1750 and 1788"
		}
	}
	if p.isPunct(",") && r.at(i-2).kind == kNum { // "July 4, 1776"
		return true
	}
	n := r.at(i + 1)
	if n.kind == kWord && eras[n.text] != "" || n.kind == kInit {
		return true
	}
	if n.isLower() && n.sp && !functionWords[n.text] {
		return false
	}
	return true
}

// socialTitles are expanded even when no name follows.
var socialTitles = map[string]bool{"Mr": true, "Mrs": true, "Ms": true, "Messrs": true, "Mme": true,
	"Mlle": true, "MR": true, "MRS": true, "MS": true}

// countWords precede a number that labels or counts, never a year.
var countWords = map[string]bool{"number": true, "no": true, "nos": true, "page": true, "pages": true,
	"p": true, "pp": true, "room": true, "chapter": true, "verse": true, "line": true}

// isMonth reports a month name or a month abbreviation ("Jan").
func isMonth(t token) bool {
	if t.kind != kWord {
		return false
	}
	if months[t.text] {
		return true
	}
	a, ok := abbrevs[t.text]
	return ok && a.class == classNum && months[a.say]
}

// afterNumber reads what may follow a number: a.m./p.m., a unit, degrees,
// an era.
func (r *rewriter) afterNumber(j int, num token) int {
	n := r.at(j)
	one := num.text == "1"
	switch n.kind {
	case kWord:
		if k := r.meridiem(j, num); k > j {
			return k
		}
		if u, ok := units[n.text]; ok {
			say := u.many
			if one {
				say = u.one
			}
			r.w.emit(say, true)
			if d := r.at(j + 1); u.dot && d.isPunct(".") && !d.sp {
				if r.endsSentence(j + 1) {
					r.w.emit(".", false)
				}
				return j + 2
			}
			return j + 1
		}
		if e, ok := eras[n.text]; ok {
			r.w.emit(e, true)
			return j + 1
		}
	case kInit:
		return r.meridiem(j, num)
	case kPunct:
		if n.text == "°" {
			say := "degrees"
			if one {
				say = "degree"
			}
			r.w.emit(say, true)
			switch u := r.at(j + 1); {
			case u.is(kWord, "C") && !u.sp:
				r.w.emit("Celsius", true)
				return j + 2
			case u.is(kWord, "F") && !u.sp:
				r.w.emit("Fahrenheit", true)
				return j + 2
			}
			return j + 1
		}
	}
	return j
}

// meridiem reads "am", "pm", "a.m." or "p.m." after an hour of 12 or less.
func (r *rewriter) meridiem(j int, hour token) int {
	if !hour.isInt() || len(hour.digits()) > 2 || atoiSmall(hour.digits()) > 12 {
		return j
	}
	n := r.at(j)
	switch n.kind {
	case kWord:
		switch n.text {
		case "am", "AM":
			r.w.emit("A M", true)
			return j + 1
		case "pm", "PM":
			r.w.emit("P M", true)
			return j + 1
		}
	case kInit:
		if a, ok := initialisms[strings.ToLower(n.text)]; ok && (a.say == "A M" || a.say == "P M") {
			r.w.emit(a.say, true)
			if r.endsSentence(j) {
				r.w.emit(".", false)
			}
			return j + 1
		}
	}
	return j
}

// time reads "7:30" as "seven thirty", "7:05" as "seven oh five", "7:00" as
// "seven o'clock" and "14:00" as "fourteen hundred".
func (r *rewriter) time(i int) int {
	h, m := r.toks[i], r.toks[i+2]
	hour := atoiSmall(h.digits())
	r.sb.Reset()
	cardinal(&r.sb, strconv.Itoa(hour))
	j := i + 3
	if s := r.at(j + 1); r.at(j).isPunct(":") && !r.at(j).sp && s.isInt() && !s.sp && len(s.text) == 2 {
		j += 2 // seconds are not read: clocks in prose are read to the minute
	}
	hasMeridiem := false
	if n := r.at(j); n.kind == kWord && (n.text == "am" || n.text == "pm" || n.text == "AM" || n.text == "PM") ||
		n.kind == kInit && (strings.EqualFold(n.text, "a.m.") || strings.EqualFold(n.text, "p.m.")) {
		hasMeridiem = hour <= 12
	}
	switch min := atoiSmall(m.digits()); {
	case min == 0 && hasMeridiem:
	case min == 0 && hour >= 1 && hour <= 12:
		r.sb.WriteString(" o'clock")
	case min == 0:
		r.sb.WriteString(" hundred")
	case min < 10:
		r.sb.WriteString(" oh ")
		r.sb.WriteString(ones[min])
	default:
		r.sb.WriteByte(' ')
		below100(&r.sb, min)
	}
	r.w.emit(r.sb.String(), h.sp)
	return r.meridiem(j, h)
}

// rangeOrChain reads "10-12" as "ten to twelve", "1914-18" as "nineteen
// fourteen to eighteen", an ISO date "2024-05-01" as "May first, twenty
// twenty-four", and longer chains or phone-like groups digit by digit.
func (r *rewriter) rangeOrChain(i int) int {
	parts := []int{i}
	j := i
	sep := r.toks[i+1].kind
	for {
		s, n := r.at(j+1), r.at(j+2)
		if s.kind != sep || (sep == kPunct && s.text != "-") || !n.isInt() || (sep == kPunct && (s.sp || n.sp)) {
			break
		}
		parts = append(parts, j+2)
		j += 2
	}
	a := r.toks[parts[0]]
	r.sb.Reset()
	if len(parts) == 3 && isYearDigits(a.digits()) && len(r.toks[parts[1]].digits()) == 2 && len(r.toks[parts[2]].digits()) == 2 {
		mo, d := atoiSmall(r.toks[parts[1]].digits()), atoiSmall(r.toks[parts[2]].digits())
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			r.sb.WriteString(monthNames[mo-1])
			r.sb.WriteByte(' ')
			r.sb.WriteString(ordinalWords(cardinalString(strconv.Itoa(d))))
			r.sb.WriteString(", ")
			year(&r.sb, a.digits())
			r.w.emit(r.sb.String(), a.sp)
			return j + 1
		}
	}
	b := r.toks[parts[1]]
	if len(parts) >= 3 || (len(a.digits()) == 3 && len(b.digits()) == 4) || a.comma || b.comma {
		for k, p := range parts {
			if k > 0 {
				r.sb.WriteString(", ")
			}
			digitWords(&r.sb, r.toks[p].digits())
		}
		r.w.emit(r.sb.String(), a.sp)
		return j + 1
	}
	switch {
	case isYearDigits(a.digits()) && isYearDigits(b.digits()):
		year(&r.sb, a.digits())
		r.sb.WriteString(" to ")
		year(&r.sb, b.digits())
	case isYearDigits(a.digits()) && len(b.digits()) == 2:
		year(&r.sb, a.digits())
		r.sb.WriteString(" to ")
		if b.digits()[0] == '0' {
			r.sb.WriteString("oh ")
			r.sb.WriteString(ones[b.digits()[1]-'0'])
		} else {
			below100(&r.sb, atoiSmall(b.digits()))
		}
	default:
		cardinal(&r.sb, a.digits())
		r.sb.WriteString(" to ")
		cardinal(&r.sb, b.digits())
	}
	r.w.emit(r.sb.String(), a.sp)
	return r.afterNumber(j+1, b)
}

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// slash reads "3/4" as a fraction, "1 1/2" as "one and one half", and other
// slashed numbers ("50/50", dates) as the numbers in turn.
func (r *rewriter) slash(i int) int {
	a, b := r.toks[i], r.toks[i+2]
	j := i + 3
	chain := r.at(j).isPunct("/") && !r.at(j).sp && r.at(j+1).kind == kNum && !r.at(j+1).sp
	den := atoiSmall(b.digits())
	r.sb.Reset()
	switch {
	case !chain && !a.comma && !b.comma && len(a.digits()) <= 3 && len(b.digits()) <= 3 && den >= 2 && den <= 100 &&
		(atoiSmall(a.digits()) < den || den <= 4 || den == 8) &&
		a.digits()[0] != '0' && b.digits()[0] != '0' && !(a.text == "24" && b.text == "7") && !(a.text == "9" && b.text == "11"):
		if p := r.at(i - 1); p.isInt() && a.sp && !r.at(i-2).isPunct("/") {
			r.sb.WriteString("and ")
		}
		cardinal(&r.sb, a.digits())
		r.sb.WriteByte(' ')
		r.sb.WriteString(denominator(b.digits(), a.digits() != "1"))
		r.w.emit(r.sb.String(), a.sp)
		return j
	default:
		k := i
		for {
			t := r.toks[k]
			if k > i {
				r.sb.WriteByte(' ')
			}
			if isYearDigits(t.digits()) && !t.comma {
				year(&r.sb, t.digits())
			} else {
				cardinal(&r.sb, t.digits())
			}
			if s, n := r.at(k+1), r.at(k+2); !(s.isPunct("/") && !s.sp && n.isInt() && !n.sp) {
				break
			}
			k += 2
		}
		r.w.emit(r.sb.String(), a.sp)
		return k + 1
	}
}

// dotted reads a version-like "1.2.3" as "one point two point three".
func (r *rewriter) dotted(i int) int {
	r.sb.Reset()
	r.cardinalWithFrac(r.toks[i])
	j := i + 1
	for {
		s, n := r.at(j), r.at(j+1)
		if !(s.isPunct(".") && !s.sp && n.kind == kNum && !n.sp) {
			break
		}
		r.sb.WriteString(" point ")
		r.cardinalWithFrac(n)
		j += 2
	}
	r.w.emit(r.sb.String(), r.toks[i].sp)
	return j
}

// fractionWords reads a precomposed fraction; afterWhole gives "a half" in
// "two and a half".
func fractionWords(f [2]string, afterWhole bool) string {
	if f[0] == "one" {
		if afterWhole {
			return "a " + denominator(f[1], false)
		}
		return "one " + denominator(f[1], false)
	}
	return f[0] + " " + denominator(f[1], true)
}

// money reads "$3.50" as "three dollars and fifty cents" and "$1 million"
// as "one million dollars".
func (r *rewriter) money(i int) int {
	sym, n := r.toks[i], r.toks[i+1]
	cur := currencies[sym.text]
	j := i + 2
	r.sb.Reset()
	if s := r.at(j); s.kind == kWord {
		// Spelled scales follow a space ("$1 million"), abbreviated ones are
		// attached ("$5m").
		if scale, ok := scaleWords[s.text]; ok && s.sp == (len(s.text) > 2) {
			r.cardinalWithFrac(n)
			r.sb.WriteByte(' ')
			r.sb.WriteString(scale)
			r.sb.WriteByte(' ')
			r.sb.WriteString(cur.many)
			r.w.emit(r.sb.String(), sym.sp)
			return j + 1
		}
	}
	major := n.digits()
	isZero := strings.Trim(major, "0") == ""
	switch {
	case len(n.frac()) == 2 && cur.subOne != "":
		minor := atoiSmall(n.frac())
		if !isZero || minor == 0 {
			cardinal(&r.sb, strings.TrimLeft(major, "0"))
			if isZero {
				r.sb.WriteString("zero")
			}
			r.sb.WriteByte(' ')
			r.sb.WriteString(plural(major == "1", cur.one, cur.many))
		}
		if minor != 0 {
			if !isZero {
				r.sb.WriteString(" and ")
			}
			cardinal(&r.sb, strconv.Itoa(minor))
			r.sb.WriteByte(' ')
			r.sb.WriteString(plural(minor == 1, cur.subOne, cur.subMany))
		}
	default:
		r.cardinalWithFrac(n)
		r.sb.WriteByte(' ')
		r.sb.WriteString(plural(n.text == "1", cur.one, cur.many))
	}
	r.w.emit(r.sb.String(), sym.sp)
	return j
}

func plural(one bool, single, many string) string {
	if one {
		return single
	}
	return many
}

// ---- words ----

func (r *rewriter) word(i int) int {
	t := r.toks[i]
	n1 := r.at(i + 1)
	if n1.isPunct(".") && !n1.sp {
		if k := r.abbrevDot(i); k > i {
			return k
		}
	}
	if c := t.text[0]; c >= 'A' && c <= 'Z' || c == 'v' {
		// Bare titles, Roman numerals, "IT" and eras all start with an
		// ASCII capital; skipping the lookups for other words keeps the
		// common case fast.
		if k := r.abbrevBare(i); k > i {
			return k
		}
		if k := r.roman(i); k > i {
			return k
		}
	}
	switch {
	case t.text == "IT" || t.text == "IT'S":
		// Engines spell "IT" as an acronym; in books it is the pronoun,
		// capitalised at the start of a chapter.
		r.w.emit(map[string]string{"IT": "It", "IT'S": "It's"}[t.text], t.sp)
		return i + 1
	case eras[t.text] != "" && n1.kind == kNum && n1.sp: // "AD 1066"
		r.w.emit(eras[t.text], t.sp)
		return i + 1
	}
	r.w.emit(t.text, t.sp)
	return i + 1
}

// abbrevDot expands a word followed by a full stop, or returns i.
func (r *rewriter) abbrevDot(i int) int {
	t := r.toks[i]
	next := r.at(i + 2)
	prev := r.at(i - 1)
	prevCap := prev.isCap() && t.sp
	nextCap := next.isCap() && next.sp
	var say string
	end := false
	switch t.text {
	case "St", "ST":
		if nextCap {
			say = "Saint"
		} else {
			say, end = "Street", true
		}
	case "Dr", "DR":
		if prevCap && !nextCap {
			say, end = "Drive", true
		} else {
			say = "Doctor"
		}
	case "Sr", "SR":
		if !prevCap && !prev.isPunct(",") && nextCap {
			say = "Sister"
		} else {
			say, end = "Senior", true
		}
	case "Co", "CO":
		if nextCap && !prevCap {
			say = "County"
		} else {
			say, end = "Company", true
		}
	case "al":
		if !strings.EqualFold(prev.text, "et") {
			return i
		}
		say, end = "al", true
	default:
		a, ok := abbrevs[t.text]
		if !ok {
			return i
		}
		switch a.class {
		case classTitle:
			// "Mr." never ends a sentence ("Mr. and Mrs. Smith"); rarer
			// titles ("Gen.", "Mt.") must precede a name to be expanded.
			if !nextCap && !socialTitles[t.text] {
				return i
			}
		case classNum:
			if next.kind != kNum || !next.sp {
				return i
			}
		case classEnd:
			end = true
		}
		say = a.say
	}
	r.w.emit(say, t.sp)
	if end && r.endsSentence(i+1) {
		r.w.emit(".", false)
	}
	return i + 2
}

// abbrevBare expands titles written without a full stop ("Mr Smith") and
// street words after a name ("Baker St"), or returns i.
func (r *rewriter) abbrevBare(i int) int {
	t := r.toks[i]
	n1 := r.at(i + 1)
	if t.text == "vs" {
		r.w.emit("versus", t.sp)
		return i + 1
	}
	say, ok := bareTitles[t.text]
	if !ok {
		return i
	}
	if n1.isCap() && n1.sp {
		r.w.emit(say, t.sp)
		return i + 1
	}
	if r.at(i-1).isCap() && t.sp && !n1.isCap() {
		switch t.text {
		case "St", "ST":
			r.w.emit("Street", t.sp)
			return i + 1
		case "Dr", "DR":
			r.w.emit("Drive", t.sp)
			return i + 1
		}
	}
	return i
}

// roman reads a Roman numeral after a regnal name ("Henry VIII" -> "Henry
// the Eighth") or a numbering word ("World War II" -> "World War two"), or
// returns i. Single letters other than I, V and X are never numerals here
// ("Appendix C"), and "I" only when no lower-case word follows, since it is
// far more often the pronoun.
func (r *rewriter) roman(i int) int {
	t := r.toks[i]
	base, suffix := t.text, ""
	if strings.HasSuffix(base, "'s") {
		base, suffix = base[:len(base)-2], "'s"
	}
	if romanValues[base[0]] == 0 || len(base) == 1 && base != "I" && base != "V" && base != "X" {
		return i
	}
	p := r.at(i - 1)
	if !t.sp || p.kind != kWord {
		return i
	}
	regnal, numbering := regnalNames[p.text], numberingWords[p.text]
	if !regnal && !numbering {
		return i
	}
	v, ok := parseRoman(base)
	if !ok {
		return i
	}
	if base == "I" {
		n := r.at(i + 1)
		if n.kind == kWord && !(n.text == "of" || n.text == "and") || n.kind == kNum || n.kind == kInit {
			return i
		}
	}
	words := cardinalString(strconv.Itoa(v))
	if regnal {
		o := ordinalWords(words)
		words = "the " + strings.ToUpper(o[:1]) + o[1:]
	}
	r.w.emit(words+suffix, t.sp)
	return i + 1
}

// initialism expands known dotted initialisms ("e.g.", "p.m."); others are
// left for the engine to spell.
func (r *rewriter) initialism(i int) int {
	t := r.toks[i]
	a, ok := initialisms[strings.ToLower(t.text)]
	if !ok {
		r.w.emit(t.text, t.sp)
		return i + 1
	}
	r.w.emit(a.say, t.sp)
	if a.class == classEnd && r.endsSentence(i) {
		r.w.emit(".", false)
	}
	return i + 1
}

// ---- symbols ----

func (r *rewriter) punct(i int) int {
	t := r.toks[i]
	n1 := r.at(i + 1)
	prev := r.at(i - 1)
	numNext := n1.kind == kNum && !n1.sp
	opening := i == 0 || t.sp || prev.isPunct("(") || prev.isPunct("[") || prev.isPunct(`"`)
	switch t.text {
	case "$", "£", "€", "¥", "₹":
		if numNext {
			return r.money(i)
		}
	case "-":
		switch {
		case opening && (numNext || (!n1.sp && currencies[n1.text].one != "" && r.at(i+2).kind == kNum)):
			r.w.emit("minus", t.sp)
		case (t.sp || r.w.b.Len() == 0) && (n1.sp || n1.kind == kNone):
			// A spaced hyphen is a dash; at the start it is a list bullet,
			// which pause drops.
			r.w.pause(",")
		default:
			r.w.emit("-", t.sp)
		}
		return i + 1
	case "#":
		if numNext {
			r.w.emit("number", t.sp)
			return i + 1
		}
	case "=":
		if prev.isPunct("=") || n1.isPunct("=") {
			r.w.drop(t.sp)
			return i + 1
		}
		r.w.emit("equals", true)
		return i + 1
	case "°":
		r.w.emit("degrees", true)
		if u := r.at(i + 1); !u.sp && (u.is(kWord, "C") || u.is(kWord, "F")) {
			r.w.emit(map[string]string{"C": "Celsius", "F": "Fahrenheit"}[u.text], true)
			return i + 2
		}
		return i + 1
	case "[":
		// A footnote mark "[12]" is not part of the text.
		if numNext && r.at(i+2).isPunct("]") && !r.at(i+2).sp {
			r.w.drop(t.sp)
			return i + 3
		}
	case ".":
		if numNext && opening && prev.kind != kNum {
			r.sb.Reset()
			r.sb.WriteString("point ")
			digitWords(&r.sb, n1.digits()+n1.frac())
			r.w.emit(r.sb.String(), t.sp)
			return i + 2
		}
	case "'":
		// "the '60s", "in '45": the apostrophe stands for the century.
		if numNext && len(n1.digits()) == 2 && opening {
			r.w.drop(t.sp)
			return i + 1
		}
	case "/":
		if prev.kind == kWord && n1.kind == kWord && !t.sp && !n1.sp {
			if lp, ln := strings.ToLower(prev.text), strings.ToLower(n1.text); lp == "or" || lp == "and" || ln == "or" || ln == "and" {
				r.w.force = true // "and/or" -> "and or"
			} else {
				r.w.emit("or", true) // "he/she" -> "he or she"
			}
			return i + 1
		}
		r.w.drop(true)
		return i + 1
	case ",", ";":
		if r.w.b.Len() == 0 {
			return i + 1
		}
		if strings.IndexByte(",;:", r.w.last) >= 0 && !r.w.lastAlnum {
			return i + 1
		}
	}
	if f, ok := vulgarFractions[t.text]; ok {
		r.w.emit(fractionWords(f, false), true)
		return i + 1
	}
	if say, ok := symbolWords[t.text]; ok {
		r.w.emit(say, true)
		return i + 1
	}
	if silentSymbols[t.text] {
		r.w.drop(t.sp)
		return i + 1
	}
	r.w.emit(t.text, t.sp)
	return i + 1
}
