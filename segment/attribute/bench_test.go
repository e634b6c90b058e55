package attribute

import (
	"fmt"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/reader"
)

// BenchmarkDashBook segments and attributes a 2 MB Spanish book of dash
// dialogue with inserts, the shape of Spanish, Russian and Polish
// novels: its cost per byte should match an English book's.
func BenchmarkDashBook(b *testing.B) {
	var sb strings.Builder
	names := []string{"Juan", "Marta", "don Ernesto", "la madre"}
	for i := 0; sb.Len() < 2<<20; i++ {
		if i%400 == 0 {
			fmt.Fprintf(&sb, "Capítulo %d\n\n", i/400+1)
		}
		switch i % 5 {
		case 0, 1:
			fmt.Fprintf(&sb, "—No creo que llueva esta tarde —dijo %s, mirando el cielo—. Vamos a casa, que es tarde.\n\n", names[i%4])
		case 2:
			sb.WriteString("—¿Y tú qué sabes del tiempo, si nunca sales de la cocina?\n\n")
		case 3:
			sb.WriteString("—Yo… yo no digo nada —murmuró ella—, pero mañana lloverá.\n\n")
		default:
			sb.WriteString("La tarde caía sobre el puerto. Los barcos volvían despacio, y en la plaza alguien cantaba una canción antigua.\n\n")
		}
	}
	text := []byte(sb.String())
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		bk, err := reader.Read("book.txt", text, reader.Options{})
		if err != nil {
			b.Fatal(err)
		}
		bk.Language = "es"
		chs, _ := segment.Book(bk, segment.Options{})
		if c := Attribute(bk, chs, Options{}); len(c.Characters) == 0 {
			b.Fatal("no speakers")
		}
	}
}
