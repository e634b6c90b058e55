package shelf

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func pngData(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 6))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	b := Book{
		Title: "The Book", Subtitle: "A Tale", Authors: []string{"Ann One", " Ann  One", "Bob Two"},
		Narrators: []string{"espeak-ng en-us"}, Series: "The Saga", SeriesIndex: "2",
		Description: "First paragraph.\n\nSecond.", Language: "en", Publisher: "Press", PublishedYear: "1887",
		Genres:   []string{"Fiction"},
		Chapters: []Chapter{{"One", 0, 61500 * time.Millisecond}, {"", 61500 * time.Millisecond, 2 * time.Minute}},
		Cover:    pngData(t),
	}
	files, err := Write(dir, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("wrote %v", files)
	}
	m, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	if str(m.Title) != "The Book" || str(m.Subtitle) != "A Tale" || !reflect.DeepEqual(m.Authors, []string{"Ann One", "Bob Two"}) ||
		!reflect.DeepEqual(m.Narrators, []string{"espeak-ng en-us"}) || !reflect.DeepEqual(m.Series, []string{"The Saga #2"}) ||
		str(m.Description) != "First paragraph.\n\nSecond." || str(m.Language) != "en" || str(m.Publisher) != "Press" ||
		str(m.PublishedYear) != "1887" || !reflect.DeepEqual(m.Genres, []string{"Fiction"}) || m.ISBN != nil {
		t.Errorf("metadata %+v", m)
	}
	want := []MetaChapter{{0, 0, 61.5, "One"}, {1, 61.5, 120, "Chapter 2"}}
	if !reflect.DeepEqual(m.Chapters, want) {
		t.Errorf("chapters %+v", m.Chapters)
	}
	desc, _ := os.ReadFile(filepath.Join(dir, DescFile))
	rd, _ := os.ReadFile(filepath.Join(dir, ReaderFile))
	if string(desc) != "First paragraph.\n\nSecond.\n" || string(rd) != "espeak-ng en-us\n" {
		t.Errorf("desc %q reader %q", desc, rd)
	}
	cover, _ := os.ReadFile(filepath.Join(dir, CoverFile))
	img, err := jpeg.Decode(bytes.NewReader(cover))
	if err != nil || img.Bounds().Dx() != 4 || img.Bounds().Dy() != 6 {
		t.Errorf("cover.jpg: %v", err)
	}

	// The same folder rendered again for a book with no description,
	// narrator, cover or series: the stale files go, unknowns are null.
	if _, err := Write(dir, Book{Title: "Bare"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{DescFile, ReaderFile, CoverFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s left over: %v", name, err)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, MetadataFile))
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"subtitle", "description", "publisher", "publishedYear", "language", "isbn", "asin"} {
		if v, ok := generic[key]; !ok || v != nil {
			t.Errorf("%s = %v, want null", key, v)
		}
	}
	for _, key := range []string{"authors", "narrators", "series", "genres", "tags", "chapters"} {
		if v, ok := generic[key].([]any); !ok || len(v) != 0 {
			t.Errorf("%s = %v, want []", key, generic[key])
		}
	}
}

func TestSeriesSequence(t *testing.T) {
	for _, tc := range []struct{ name, index, want string }{
		{"Saga", "1.5", "Saga #1.5"},
		{"Saga", "", "Saga"},
		{"Saga", "part two", "Saga"},
	} {
		if got := FromBook(Book{Series: tc.name, SeriesIndex: tc.index}).Series; !reflect.DeepEqual(got, []string{tc.want}) {
			t.Errorf("%q %q: %v", tc.name, tc.index, got)
		}
	}
}

func TestBadCoverIsLeftOut(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Book{Title: "T", Cover: []byte("not an image")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, CoverFile)); !os.IsNotExist(err) {
		t.Errorf("cover.jpg written from garbage")
	}
}
