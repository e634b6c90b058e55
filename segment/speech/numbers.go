package speech

import "strings"

// Number words are built from digit strings rather than integers so that any
// length can be read without overflow; numbers too long for the scale words
// below are read digit by digit, which is also how people read such strings.

var ones = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}

var tens = [...]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

// scales[i] names the value of the (i+1)-th group of three digits from the right.
var scales = [...]string{"thousand", "million", "billion", "trillion", "quadrillion", "quintillion", "sextillion"}

// maxCardinalDigits is the longest digit string read as a cardinal.
const maxCardinalDigits = 3 * (len(scales) + 1)

// digitWords appends the name of each digit in s ("zero one ...") to b.
func digitWords(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ones[s[i]-'0'])
	}
}

// below1000 appends the words for n (0 < n < 1000) to b.
func below1000(b *strings.Builder, n int) {
	if n >= 100 {
		b.WriteString(ones[n/100])
		b.WriteString(" hundred")
		n %= 100
		if n == 0 {
			return
		}
		b.WriteByte(' ')
	}
	below100(b, n)
}

// below100 appends the words for n (0 <= n < 100) to b, hyphenating
// compound tens ("twenty-one") as English spelling does.
func below100(b *strings.Builder, n int) {
	if n < 20 {
		b.WriteString(ones[n])
		return
	}
	b.WriteString(tens[n/10])
	if n%10 != 0 {
		b.WriteByte('-')
		b.WriteString(ones[n%10])
	}
}

// atoiSmall converts a short all-digit string; callers guarantee len(s) <= 9.
func atoiSmall(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// cardinal appends the cardinal words for the digit string s to b. Leading
// zeros are read as digits ("007" -> "zero zero seven") because a written
// leading zero is always meant to be heard.
func cardinal(b *strings.Builder, s string) {
	if len(s) == 0 {
		return
	}
	if (len(s) > 1 && s[0] == '0') || len(s) > maxCardinalDigits {
		digitWords(b, s)
		return
	}
	if s == "0" {
		b.WriteString("zero")
		return
	}
	groups := (len(s) + 2) / 3
	first := len(s) - (groups-1)*3
	wrote := false
	for g := 0; g < groups; g++ {
		var part string
		if g == 0 {
			part = s[:first]
		} else {
			start := first + (g-1)*3
			part = s[start : start+3]
		}
		n := atoiSmall(part)
		if n == 0 {
			continue
		}
		if wrote {
			b.WriteByte(' ')
		}
		below1000(b, n)
		if scale := groups - 1 - g; scale > 0 {
			b.WriteByte(' ')
			b.WriteString(scales[scale-1])
		}
		wrote = true
	}
}

// cardinalString is cardinal returning a string.
func cardinalString(s string) string {
	var b strings.Builder
	cardinal(&b, s)
	return b.String()
}

// isYearDigits reports whether s is a four-digit number in the range read as
// a year (1100-2099).
func isYearDigits(s string) bool {
	if len(s) != 4 {
		return false
	}
	n := atoiSmall(s)
	return n >= 1100 && n <= 2099
}

// year appends s, a four-digit string accepted by isYearDigits, read the way
// years are spoken: "1865" eighteen sixty-five, "1900" nineteen hundred,
// "1905" nineteen oh five, "2005" two thousand five, "2024" twenty twenty-four.
func year(b *strings.Builder, s string) {
	n := atoiSmall(s)
	hi, lo := n/100, n%100
	switch {
	case n >= 2000 && n < 2010:
		cardinal(b, s)
	case lo == 0:
		below100(b, hi)
		b.WriteString(" hundred")
	case lo < 10:
		below100(b, hi)
		b.WriteString(" oh ")
		b.WriteString(ones[lo])
	default:
		below100(b, hi)
		b.WriteByte(' ')
		below100(b, lo)
	}
}

// irregularOrdinals maps the number words whose ordinal is not simply +"th".
var irregularOrdinals = map[string]string{
	"one": "first", "two": "second", "three": "third", "five": "fifth",
	"eight": "eighth", "nine": "ninth", "twelve": "twelfth",
}

// ordinalWords turns spoken cardinal words into the ordinal by changing the
// last word: "twenty-two" -> "twenty-second", "one hundred three" -> "one
// hundred third".
func ordinalWords(card string) string {
	cut := strings.LastIndexAny(card, " -") + 1
	head, last := card[:cut], card[cut:]
	if o, ok := irregularOrdinals[last]; ok {
		return head + o
	}
	if strings.HasSuffix(last, "y") {
		return head + last[:len(last)-1] + "ieth"
	}
	return head + last + "th"
}

// pluralWords makes spoken number words plural, as in decades and "the
// 1900s": "sixty" -> "sixties", "six" -> "sixes", "hundred" -> "hundreds".
func pluralWords(w string) string {
	switch {
	case strings.HasSuffix(w, "y"):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "x"):
		return w + "es"
	}
	return w + "s"
}

// denominator returns the spoken name of the fraction denominator d (d >= 2),
// singular or plural.
func denominator(d string, plural bool) string {
	var w string
	switch d {
	case "2":
		w = "half"
		if plural {
			return "halves"
		}
		return w
	case "4":
		w = "quarter"
	default:
		w = ordinalWords(cardinalString(d))
	}
	if plural {
		return w + "s"
	}
	return w
}
