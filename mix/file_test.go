package mix

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-audio/wav"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/audio/pcm"
	"github.com/narrate-audio/narrate/segment/book"
)

// entries lists a directory's file names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// countingMeter records the encoder's calls.
type countingMeter struct {
	calls  int
	closed int
}

func (m *countingMeter) Encode(call func() error) error { m.calls++; return call() }
func (m *countingMeter) Closed(time.Duration)           { m.closed++ }

func TestFileFormats(t *testing.T) {
	second := tone(time.Second, 0, 0.3).Samples
	for _, format := range []string{MP3, WAV, Raw} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "ch."+format)
			meter := &countingMeter{}
			tag := &id3.Tag{Title: "One", Album: "Book", Track: 1, TrackTotal: 2, Extra: map[string]string{"STAMP": "x"}}
			f, err := Create(path, FileOptions{Format: format, SampleRate: rate, Bitrate: 64, Tag: tag, Meter: meter})
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if err := f.Write(second); err != nil {
					t.Fatal(err)
				}
			}
			if names := entries(t, dir); len(names) != 1 || !strings.HasPrefix(names[0], ".ch."+format+".part-") {
				t.Fatalf("while writing, the directory holds %q; want one hidden .part file", names)
			}
			if err := f.Commit(); err != nil {
				t.Fatal(err)
			}
			f.Abort() // a no-op after Commit
			if names := entries(t, dir); len(names) != 1 || names[0] != "ch."+format {
				t.Fatalf("after Commit the directory holds %q", names)
			}
			st, err := os.Stat(path)
			if err != nil || st.Mode().Perm() != 0o644 {
				t.Fatalf("committed file: %v, mode %v; want 0644", err, st.Mode())
			}
			var got time.Duration
			switch format {
			case MP3:
				tag, d, err := ReadTag(path)
				if err != nil {
					t.Fatal(err)
				}
				if tag.Title != "One" || tag.Extra["STAMP"] != "x" {
					t.Errorf("tag read back = %+v", tag)
				}
				if meter.calls != 4 || meter.closed != 1 {
					t.Errorf("meter saw %d calls and %d closes; want 3 writes and a close, then the CPU", meter.calls, meter.closed)
				}
				got = d
			case WAV:
				r, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				d := wav.NewDecoder(r)
				d.ReadInfo()
				dur, err := d.Duration()
				if err != nil || d.SampleRate != rate || d.NumChans != 1 || d.BitDepth != 16 {
					t.Fatalf("WAV: %v rate %d channels %d depth %d", err, d.SampleRate, d.NumChans, d.BitDepth)
				}
				got = dur
			case Raw:
				got = pcm.D(rate, int(st.Size()/2))
			}
			if format != MP3 && meter.calls != 0 {
				t.Errorf("meter called %d times for %s; only the MP3 encoder is metered", meter.calls, format)
			}
			if d := got - 3*time.Second; d < -50*time.Millisecond || d > 50*time.Millisecond {
				t.Errorf("duration %v, want 3s", got)
			}
		})
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "ch.mp3"), FileOptions{SampleRate: rate, Bitrate: 64})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(tone(time.Second, 0, 0.3).Samples); err != nil {
		t.Fatal(err)
	}
	f.Abort()
	if names := entries(t, dir); len(names) != 0 {
		t.Fatalf("after Abort the directory holds %q", names)
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(filepath.Join(dir, "ch.ogg"), FileOptions{Format: "ogg", SampleRate: rate}); err == nil || !strings.Contains(err.Error(), `"ogg"`) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := Create(filepath.Join(dir, "ch.mp3"), FileOptions{SampleRate: 12345, Bitrate: 64}); err == nil || !strings.Contains(err.Error(), "ch.mp3") {
		t.Errorf("bad sample rate: %v", err)
	}
	if _, err := Create(filepath.Join(dir, "missing", "ch.mp3"), FileOptions{SampleRate: rate}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing directory: %v", err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Fatalf("failed creates left %q", names)
	}
}

// writePart writes d of tone to dir/title.format and returns its part.
func writePart(t *testing.T, dir, title, format string, d time.Duration) Part {
	t.Helper()
	path := filepath.Join(dir, title+"."+format)
	f, err := Create(path, FileOptions{Format: format, SampleRate: rate, Bitrate: 64})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(tone(d, 0, 0.3).Samples); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	return Part{Path: path, Title: title, Duration: d}
}

// rawPart writes d of tone as a Raw file, as Assemble takes them.
func rawPart(t *testing.T, dir, title string, d time.Duration) Part {
	return writePart(t, dir, title, Raw, d)
}

func TestAssemble(t *testing.T) {
	dir := t.TempDir()
	parts := []Part{rawPart(t, dir, "One", 2*time.Second), rawPart(t, dir, "Two", time.Second), rawPart(t, dir, "Three", 3*time.Second)}
	path := filepath.Join(dir, "book.mp3")
	if err := Assemble(context.Background(), path, parts, FileOptions{SampleRate: rate, Bitrate: 64, Tag: &id3.Tag{Title: "Book"}}); err != nil {
		t.Fatal(err)
	}
	tag, d, err := ReadTag(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := d - 6*time.Second; diff < -50*time.Millisecond || diff > 50*time.Millisecond {
		t.Errorf("duration %v, want the parts' 6s", d)
	}
	want := []id3.Chapter{{ID: "ch1", Title: "One", End: 2 * time.Second},
		{ID: "ch2", Title: "Two", Start: 2 * time.Second, End: 3 * time.Second},
		{ID: "ch3", Title: "Three", Start: 3 * time.Second, End: 6 * time.Second}}
	for _, got := range [][]id3.Chapter{Chapters(parts), tag.Chapters} {
		if len(got) != len(want) {
			t.Fatalf("chapters %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("chapter %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	}
	// The joins are gapless: the decoded book is the parts back to back.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf, err := mp3.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := buf.Duration(); got < 6*time.Second {
		t.Errorf("decoded %v, want at least 6s", got)
	}
}

func TestAssembleTooManyChapters(t *testing.T) {
	dir := t.TempDir()
	part := rawPart(t, dir, "p", 10*time.Millisecond)
	parts := make([]Part, MaxChapters+1)
	for i := range parts {
		parts[i] = part
	}
	err := Assemble(context.Background(), filepath.Join(dir, "book.mp3"), parts, FileOptions{SampleRate: rate, Bitrate: 64})
	if err == nil || !strings.Contains(err.Error(), "256 chapters") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "book.mp3")); !os.IsNotExist(err) {
		t.Errorf("a failed assembly left book.mp3: %v", err)
	}
}

func TestAssembleCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Assemble(ctx, filepath.Join(dir, "book.mp3"), []Part{rawPart(t, dir, "p", time.Second)}, FileOptions{SampleRate: rate, Bitrate: 64})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("a cancelled assembly left %q", names)
	}
}

func TestBookTag(t *testing.T) {
	jpeg := &book.Image{MIME: "image/jpeg", Data: []byte{0xff, 0xd8}}
	gif := &book.Image{MIME: "image/gif", Data: []byte("GIF89a")}
	png := &book.Image{MIME: "image/png", Data: []byte("\x89PNG")}
	for _, c := range []struct {
		name  string
		b     book.Book
		cover *book.Image
		want  id3.Tag
	}{
		{"whole", book.Book{Title: "Emma", Authors: []string{"Jane Austen"}, Year: "December 1815", Language: "en-GB", Cover: jpeg}, nil,
			id3.Tag{Album: "Emma", Artist: "Jane Austen", AlbumArtist: "Jane Austen", Year: "1815", Language: "en-GB", Cover: &id3.Picture{MIME: "image/jpeg"}}},
		{"untitled: the file's name", book.Book{Source: "/books/my story.txt"}, nil, id3.Tag{Album: "my story"}},
		{"two authors", book.Book{Title: "T", Authors: []string{"A", "B"}}, nil, id3.Tag{Album: "T", Artist: "A, B", AlbumArtist: "A, B"}},
		{"no year, no valid language", book.Book{Title: "T", Year: "circa", Language: "not a tag!"}, nil, id3.Tag{Album: "T"}},
		{"a GIF cover is left out", book.Book{Title: "T", Cover: gif}, nil, id3.Tag{Album: "T"}},
		{"the given cover wins", book.Book{Title: "T", Cover: jpeg}, png, id3.Tag{Album: "T", Cover: &id3.Picture{MIME: "image/png"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := BookTag(&c.b, "Ann Reader", c.cover)
			if got.Album != c.want.Album || got.Artist != c.want.Artist || got.AlbumArtist != c.want.AlbumArtist ||
				got.Year != c.want.Year || got.Language != c.want.Language {
				t.Errorf("tag = %+v\nwant %+v", got, c.want)
			}
			if got.Narrator != "Ann Reader" || got.Genre != "Audiobook" {
				t.Errorf("narrator %q genre %q", got.Narrator, got.Genre)
			}
			if (got.Cover == nil) != (c.want.Cover == nil) || got.Cover != nil && got.Cover.MIME != c.want.Cover.MIME {
				t.Errorf("cover = %+v, want %+v", got.Cover, c.want.Cover)
			}
		})
	}
}

func TestM4B(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed (scripts/install-deps --test installs it)")
	}
	dir := t.TempDir()
	var files []string
	var parts []Part
	for i, d := range []time.Duration{time.Second, 2 * time.Second} {
		p := writePart(t, dir, []string{"Début", "Fin; = # end"}[i], MP3, d)
		files, parts = append(files, p.Path), append(parts, p)
	}
	path := filepath.Join(dir, "book.m4b")
	tag := &id3.Tag{Album: "Le Livre", Artist: "Anon", Narrator: "N", Language: "fr"}
	if err := M4B(context.Background(), path, files, Chapters(parts), tag, 32); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_chapters", "-show_entries", "format_tags=title,composer:stream_tags=language", "-of", "default=nw=1", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TAG:title=Début", "TAG:title=Fin; = # end", "start_time=1.000000", "TAG:title=Le Livre", "TAG:composer=N", "TAG:language=fra"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ffprobe lacks %q:\n%s", want, out)
		}
	}
	if names := entries(t, dir); len(names) != 3 {
		t.Errorf("M4B left %q; want the two inputs and the book", names)
	}
}
