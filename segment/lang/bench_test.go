package lang

import (
	"os"
	"testing"

	"github.com/narrate-audio/narrate/segment/reader"
)

// BenchmarkDetectBook detects the language of a whole novel: the cost is
// bounded by the sample, not the book (Moby-Dick, 1.2 MB of text).
func BenchmarkDetectBook(b *testing.B) {
	const path = "../../../shared/samples/idpf-moby-dick.epub"
	if _, err := os.Stat(path); err != nil {
		b.Skip("the shared samples are not here")
	}
	bk, err := reader.Open(path, reader.Options{})
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, c := range bk.Chapters {
		size += len(c.Text)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		if g, ok := DetectBook(bk); !ok || g.Tag != "en" {
			b.Fatalf("DetectBook = %+v, %v", g, ok)
		}
	}
}
