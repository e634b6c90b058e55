package sentence

import "testing"

func TestEnd(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		want       bool // whether the first full stop after a word ends a sentence
	}{
		{"en", "He left. She stayed.", true},
		{"en", "Mr. Smith stayed.", false},
		{"en", "Ask J. Smith.", false},
		{"en", "apples, pears etc. and plums", false},
		{"en", "It was 1865. Then the war.", true},
		{"en", "He said \"No.\" Then he left.", true},
		{"fr", "M. Dupont est venu.", false},
		{"fr", "Il est venu. Elle est partie.", true},
		{"fr", "Mme. Bovary rêvait.", false},
		{"de", "Hr. Müller kam.", false},
		{"de", "Er kam z.B. Montags.", false},
		{"de", "Er kam. Sie ging.", true},
		{"es", "La Sra. García llegó.", false},
		{"ru", "Он пришёл. Она ушла.", true},
		{"ru", "в 1900 г. Москва росла.", false},
		// An English abbreviation is no abbreviation in French, and the
		// French "M." is an initial in English too.
		{"fr", "Il vit à St. Louis.", false},
		{"fr", "Le Dr. Weber arriva.", false},
		{"de", "He met Mrs. Jones.", true},
		{"", "Mrs. Jones came.", true},
		{"xx", "One. Two.", true},
	} {
		i := indexStop(c.text)
		if got := For(c.lang).End(c.text, i); got != c.want {
			t.Errorf("For(%q).End(%q, %d) = %v, want %v", c.lang, c.text, i, got, c.want)
		}
	}
}

// indexStop finds the first full stop not inside a word ("z.B.").
func indexStop(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && (s[i+1] == ' ' || s[i+1] == '"') {
			return i
		}
	}
	return -1
}

func TestEndOutOfRange(t *testing.T) {
	r := For("en")
	for _, i := range []int{-1, 0, 5} {
		if r.End("", i) || r.End("abc", i+3) {
			t.Errorf("End out of range at %d reported an end", i)
		}
	}
	if !r.End("?", 0) || !r.End("!", 0) || r.End(",", 0) {
		t.Error("question and exclamation marks end sentences; commas do not")
	}
}

func FuzzEnd(f *testing.F) {
	f.Add("Mr. Smith. z.B. Ende.", 3, "de")
	f.Add("\xff.\xfe", 1, "fr")
	f.Fuzz(func(t *testing.T, s string, i int, lang string) {
		For(lang).End(s, i) // must not panic
	})
}
