package speech

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// prose generates n bytes of novel-like text mixing plain words with the
// constructs the rules handle, from a fixed seed so runs are comparable.
func prose(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields(`the a man woman house night said was had and of to in that
		it he she they walked slowly toward door window garden letter morning evening
		don’t couldn’t “Well,” ‘No,’ well-known afterwards however Elizabeth Darcy London`)
	extras := []string{"Mr. Bennet", "Dr. Watson", "St. Paul's", "Baker St.", "in 1865", "1,234",
		"22nd", "$3.50", "£5", "7:30 pm", "5 p.m.", "10-12", "1914-1918", "5%", "3.14", "e.g.",
		"etc.", "Henry VIII", "Chapter IV", "—", "...", "…", "_emphasis_", "*bold*",
		"https://example.com/a", "bob@example.org", "&", "-5°C", "½", "No. 5", "I"}
	var b strings.Builder
	for b.Len() < n {
		if rng.IntN(8) == 0 {
			b.WriteString(extras[rng.IntN(len(extras))])
		} else {
			b.WriteString(words[rng.IntN(len(words))])
		}
		switch rng.IntN(12) {
		case 0:
			b.WriteString(". ")
		case 1:
			b.WriteString(", ")
		case 2:
			b.WriteString("\n")
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// BenchmarkNormalize measures throughput on 300 KB of generated prose,
// normalised paragraph by paragraph as the segmenter calls it.
func BenchmarkNormalize(b *testing.B) {
	text := prose(300 << 10)
	paras := strings.SplitAfter(text, ". ")
	n := New(Options{Lexicon: []Entry{{Word: "Darcy", Say: "Darsee"}}})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paras {
			if out := n.Normalize(p); !utf8.ValidString(out) {
				b.Fatal("invalid UTF-8")
			}
		}
	}
}

// BenchmarkNormalizeWhole measures one call on the whole 300 KB text, which
// shows the pass is linear: its MB/s matches the per-paragraph figure.
func BenchmarkNormalizeWhole(b *testing.B) {
	text := prose(300 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(text, Options{})
	}
}
