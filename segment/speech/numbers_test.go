package speech

import (
	"strings"
	"testing"
)

func TestCardinal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "zero"},
		{"7", "seven"},
		{"13", "thirteen"},
		{"20", "twenty"},
		{"21", "twenty-one"},
		{"99", "ninety-nine"},
		{"100", "one hundred"},
		{"101", "one hundred one"},
		{"110", "one hundred ten"},
		{"999", "nine hundred ninety-nine"},
		{"1000", "one thousand"},
		{"1001", "one thousand one"},
		{"1234", "one thousand two hundred thirty-four"},
		{"10000", "ten thousand"},
		{"100000", "one hundred thousand"},
		{"1000000", "one million"},
		{"1000001", "one million one"},
		{"2000500", "two million five hundred"},
		{"12345678", "twelve million three hundred forty-five thousand six hundred seventy-eight"},
		{"1000000000", "one billion"},
		{"1000000000000", "one trillion"},
		{"999999999999999999999", "nine hundred ninety-nine quintillion nine hundred ninety-nine quadrillion nine hundred ninety-nine trillion nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine"},
		{"1000000000000000000000", "one sextillion"},
		{"1000000000000000000000000", "one zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero"},
		{"007", "zero zero seven"},
		{"05", "zero five"},
	}
	for _, tc := range tests {
		if got := cardinalString(tc.in); got != tc.want {
			t.Errorf("cardinal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestYear(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1100", "eleven hundred"},
		{"1066", "one thousand sixty-six"}, // out of year range: caller reads it as a cardinal
		{"1215", "twelve fifteen"},
		{"1776", "seventeen seventy-six"},
		{"1865", "eighteen sixty-five"},
		{"1900", "nineteen hundred"},
		{"1905", "nineteen oh five"},
		{"1910", "nineteen ten"},
		{"1999", "nineteen ninety-nine"},
		{"2000", "two thousand"},
		{"2005", "two thousand five"},
		{"2010", "twenty ten"},
		{"2024", "twenty twenty-four"},
		{"2099", "twenty ninety-nine"},
	}
	for _, tc := range tests {
		var b strings.Builder
		if isYearDigits(tc.in) {
			year(&b, tc.in)
		} else {
			cardinal(&b, tc.in)
		}
		if got := b.String(); got != tc.want {
			t.Errorf("year(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, s := range []string{"1099", "2100", "999", "12345", "0"} {
		if isYearDigits(s) {
			t.Errorf("isYearDigits(%q) = true, want false", s)
		}
	}
}

func TestOrdinalAndPluralWords(t *testing.T) {
	ord := []struct{ in, want string }{
		{"1", "first"}, {"2", "second"}, {"3", "third"}, {"4", "fourth"}, {"5", "fifth"},
		{"8", "eighth"}, {"9", "ninth"}, {"11", "eleventh"}, {"12", "twelfth"}, {"20", "twentieth"},
		{"22", "twenty-second"}, {"103", "one hundred third"}, {"1000", "one thousand"},
	}
	for _, tc := range ord[:len(ord)-1] {
		if got := ordinalWords(cardinalString(tc.in)); got != tc.want {
			t.Errorf("ordinal(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := ordinalWords("one thousand"); got != "one thousandth" {
		t.Errorf("ordinal(1000) = %q", got)
	}
	plural := []struct{ in, want string }{
		{"sixty", "sixties"}, {"six", "sixes"}, {"hundred", "hundreds"}, {"eighteen sixty", "eighteen sixties"},
		{"twenty-five", "twenty-fives"},
	}
	for _, tc := range plural {
		if got := pluralWords(tc.in); got != tc.want {
			t.Errorf("pluralWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	den := []struct {
		d      string
		plural bool
		want   string
	}{{"2", false, "half"}, {"2", true, "halves"}, {"4", false, "quarter"}, {"4", true, "quarters"},
		{"3", true, "thirds"}, {"8", false, "eighth"}, {"16", true, "sixteenths"}, {"100", false, "one hundredth"}}
	for _, tc := range den {
		if got := denominator(tc.d, tc.plural); got != tc.want {
			t.Errorf("denominator(%s, %v) = %q, want %q", tc.d, tc.plural, got, tc.want)
		}
	}
}

func TestParseRoman(t *testing.T) {
	valid := map[string]int{"I": 1, "IV": 4, "IX": 9, "XIV": 14, "XL": 40, "XC": 90, "CD": 400,
		"MCMXCIX": 1999, "MMXXIV": 2024, "VIII": 8, "XII": 12, "MMMCMXCIX": 3999, "MIX": 1009}
	for s, want := range valid {
		if got, ok := parseRoman(s); !ok || got != want {
			t.Errorf("parseRoman(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "IIII", "VX", "IC", "DID", "CIVIL", "LIVID", "VIVID", "MM M", "iv", "ABC", "XXXX", "MMMM", "IL", "VV"} {
		if got, ok := parseRoman(s); ok {
			t.Errorf("parseRoman(%q) = %d, want rejection", s, got)
		}
	}
}
