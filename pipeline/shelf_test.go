package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/publish/shelf"
	"github.com/narrate-audio/narrate/segment/book"
)

// TestShelfRoundTrip renders with the library layout and reads
// metadata.json back: it says what the audio files' tags say, and the
// chapters are the files, in order, with their decoded lengths.
func TestShelfRoundTrip(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	b, chapters := load(t, sampleBook)
	b.Year, b.Language, b.Summary = "1887", "en", "A wager in the fog.\n\nSecond paragraph."
	b.Series, b.SeriesIndex, b.Subtitle, b.Publisher = "Lamplight Tales", "2", "A Mystery", "Fog Press"
	b.Genres = []string{"Mystery"}
	root := t.TempDir()
	o := options(&speechBackend{rate: 24000}, newCache(t))
	o.Narrator, o.Layout = "Test Narrator", LayoutLibrary
	o.Cover = &book.Image{MIME: "image/jpeg", Data: jpegCover(t)}
	res, err := Render(context.Background(), b, chapters, root, o)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, "the narrate contributors", "The Lamplighter's Wager")
	if res.Dir != want || filepath.Dir(res.Files[0].Path) != want {
		t.Fatalf("folder %q, files in %q; want %q", res.Dir, filepath.Dir(res.Files[0].Path), want)
	}
	m, err := shelf.Read(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var tags []*id3.Tag
	var ends []float64
	at := 0.0
	for _, f := range res.Files {
		fh, err := os.Open(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		tag, err := id3.Read(fh)
		fh.Seek(0, 0)
		a, derr := mp3.Decode(fh)
		fh.Close()
		if err != nil || derr != nil {
			t.Fatal(err, derr)
		}
		tags = append(tags, tag)
		at += a.Duration().Seconds()
		ends = append(ends, at)
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	tag := tags[0]
	if str(m.Title) != tag.Album || !reflect.DeepEqual(m.Authors, []string{tag.Artist}) || !reflect.DeepEqual(m.Narrators, []string{tag.Narrator}) ||
		str(m.PublishedYear) != tag.Year || str(m.Language) != "en" {
		t.Errorf("metadata.json %q by %q read by %q (%s, %s); tags %q by %q read by %q (%s)",
			str(m.Title), m.Authors, m.Narrators, str(m.PublishedYear), str(m.Language), tag.Album, tag.Artist, tag.Narrator, tag.Year)
	}
	if str(m.Subtitle) != "A Mystery" || str(m.Publisher) != "Fog Press" || !reflect.DeepEqual(m.Series, []string{"Lamplight Tales #2"}) ||
		!reflect.DeepEqual(m.Genres, []string{"Mystery"}) || str(m.Description) != b.Summary {
		t.Errorf("metadata.json %+v", m)
	}
	if len(m.Chapters) != len(tags) {
		t.Fatalf("%d chapters for %d files", len(m.Chapters), len(tags))
	}
	prev := 0.0
	for i, c := range m.Chapters {
		if c.Title != tags[i].Title || c.Start != prev || c.End-ends[i] > 0.002 || ends[i]-c.End > 0.002 {
			t.Errorf("chapter %d: %q %.3f-%.3f; file %q ends at %.3f", i, c.Title, c.Start, c.End, tags[i].Title, ends[i])
		}
		prev = c.End
	}
	desc, _ := os.ReadFile(filepath.Join(res.Dir, shelf.DescFile))
	rd, _ := os.ReadFile(filepath.Join(res.Dir, shelf.ReaderFile))
	cover, _ := os.ReadFile(filepath.Join(res.Dir, shelf.CoverFile))
	if strings.TrimSpace(string(desc)) != b.Summary || strings.TrimSpace(string(rd)) != tag.Narrator || !bytes.Equal(cover, tag.Cover.Data) {
		t.Errorf("desc.txt %q, reader.txt %q, cover.jpg %d bytes (tag's %d)", desc, rd, len(cover), len(tag.Cover.Data))
	}
}

func TestLibraryDir(t *testing.T) {
	for _, tc := range []struct {
		b    book.Book
		want string
	}{
		{book.Book{Title: "Emma", Authors: []string{"Austen, Jane"}}, "Austen, Jane/Emma"},
		{book.Book{Title: "Good Omens", Authors: []string{"Terry Pratchett", "Neil Gaiman"}}, "Terry Pratchett & Neil Gaiman/Good Omens"},
		{book.Book{Title: `What? A "Title": <1/2>`, Authors: []string{"A/B"}}, "A B/What A Title 1 2"},
		{book.Book{Source: "dir/my book.txt"}, "Unknown Author/my book"},
		{book.Book{Title: "...", Authors: []string{" "}}, "Unknown Author/Untitled"},
	} {
		if got := LibraryDir("root", &tc.b); got != filepath.Join("root", tc.want) {
			t.Errorf("%+v: %q, want %q", tc.b, got, tc.want)
		}
	}
}
