package speech

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSampleBook normalises a real story paragraph by paragraph and checks
// properties that must hold for any prose: nothing markup-like or numeric
// survives, no typographic apostrophe is left, and words are not lost.
func TestSampleBook(t *testing.T) {
	data, err := os.ReadFile("../../../shared/samples/schism.txt")
	if err != nil {
		t.Skip("sample text ../../shared/samples/schism.txt not available:", err)
	}
	n := New(Options{})
	for _, para := range strings.Split(string(data), "\n\n") {
		out := n.Normalize(para)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 for %q", para)
		}
		if i := strings.IndexAny(out, "0123456789_*~#’‘“”…—"); i >= 0 {
			t.Errorf("output keeps %q: %q", out[i:i+1], out)
		}
		// Normalisation may add words but should not drop many: count
		// letters in and out.
		if in, got := countLetters(para), countLetters(out); got < in*9/10 {
			t.Errorf("lost letters (%d -> %d): %q -> %q", in, got, para, out)
		}
	}
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if isLetter(r) {
			n++
		}
	}
	return n
}
