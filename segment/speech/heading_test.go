package speech

import "testing"

func TestHeadingOtherLanguages(t *testing.T) {
	for in, want := range map[string]string{
		"CHAPITRE XII": "Chapitre 12", "Kapitel IV. Die Reise": "Kapitel 4. Die Reise",
		"ГЛАВА III": "Глава 3", "Capítulo IX": "Capítulo 9",
	} {
		if got := Heading(in); got != want {
			t.Errorf("Heading(%q) = %q, want %q", in, got, want)
		}
	}
	n := New(Options{Language: "fr"})
	if got := n.Heading("CHAPITRE XII. LE RETOUR"); got != "Chapitre 12. Le Retour" {
		t.Errorf("French heading spoken as %q", got)
	}
}

func TestHeading(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Chapter IV", "Chapter 4"},
		{"CHAPTER XII.", "Chapter 12."},
		{"CHAPTER XII. THE RED-HEADED LEAGUE", "Chapter 12. The Red-Headed League"},
		{"Chapter I", "Chapter 1"},
		{"Chapter I.", "Chapter 1."},
		{"chapter iv", "chapter 4"},
		{"Chapter XLII: The Whiteness", "Chapter 42: The Whiteness"},
		{"CHAPTER L", "Chapter 50"},
		{"Chapter 1", "Chapter 1"},
		{"Chapter the First", "Chapter the First"},
		{"Book II", "Book 2"},
		{"BOOK III.—THE RETURN", "Book 3.—The Return"},
		{"Part I: The Beginning", "Part 1: The Beginning"},
		{"Part C", "Part C"},
		{"Appendix C", "Appendix C"},
		{"Vol. III", "Vol. 3"},
		{"Volume IV", "Volume 4"},
		{"Act I, Scene ii", "Act 1, Scene 2"},
		{"Stave I: Marley's Ghost", "Stave 1: Marley's Ghost"},
		{"Canto XXXIV", "Canto 34"},
		{"II. The Pool of Tears", "2. The Pool of Tears"},
		{"XL", "40"},
		{"IV.", "4."},
		{"I.", "1."},
		{"I", "1"},
		{"I Remember", "I Remember"},
		{"MIX TAPE", "Mix Tape"},
		{"DID IT", "Did It"},
		{"MIX", "MIX"},
		{"CD.", "CD."},
		{"Chapter Iv", "Chapter Iv"},
		{"THE END OF IT", "The End Of It"},
		{"  Chapter  V  ", "Chapter  5"},
		{"Chapter IIII", "Chapter IIII"},
		{"Henry VIII", "Henry VIII"},
		{"PREFACE", "Preface"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Heading(tc.in); got != tc.want {
			t.Errorf("Heading(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHeadingThenNormalize checks the intended composition: Heading's
// written form, normalised, is the spoken heading.
func TestHeadingThenNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Chapter IV", "Chapter four"},
		{"CHAPTER XII.", "Chapter twelve."},
		{"II. The Pool of Tears", "two. The Pool of Tears"},
		{"CHAPTER I. IT BEGINS", "Chapter one. It Begins"},
		{"Chapter 1865", "Chapter one thousand eight hundred sixty-five"},
	}
	for _, tc := range tests {
		if got := Normalize(Heading(tc.in), Options{}); got != tc.want {
			t.Errorf("Normalize(Heading(%q)) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
