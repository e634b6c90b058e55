package id3

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func fullTag() *Tag {
	return &Tag{
		Title:       "Chapter One: Loomings",
		Album:       "Moby-Dick; or, The Whale",
		Artist:      "Herman Melville",
		AlbumArtist: "Herman Melville",
		Narrator:    "eSpeak NG — en-us",
		Genre:       "Audiobook",
		Year:        "1851-10-18",
		Language:    "en",
		Comment:     "Synthesised by narrate.\nSecond line, ünïcødé ✓",
		Track:       3,
		TrackTotal:  135,
		Cover:       &Picture{MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\nnot really a png \x00\xff\x00")},
		Chapters: []Chapter{
			{ID: "intro", Title: "Etymology", Start: 0, End: 61500 * time.Millisecond},
			{Title: "Extracts", Start: 61500 * time.Millisecond, End: 2*time.Minute + 7*time.Millisecond},
			{Title: "Loomings — ✓", Start: 2*time.Minute + 7*time.Millisecond, End: 40 * time.Minute},
		},
		Extra: map[string]string{"SERIES": "Classics", "ASIN": "B000"},
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   *Tag
		want func(*Tag) // adjusts in to what Read gives back
	}{
		{"full", fullTag(), func(w *Tag) {
			w.Composer = w.Narrator // narrator doubles as composer
			w.Language = "eng"
			w.Chapters[1].ID = "ch2"
			w.Chapters[2].ID = "ch3"
		}},
		{"composer wins", &Tag{Title: "x", Composer: "C", Narrator: "N", Language: "deu"}, nil},
		{"track without total", &Tag{Album: "a", Track: 7, Year: "2024"}, nil},
		{"only chapters", &Tag{Chapters: []Chapter{{ID: "a", Start: time.Second, End: 2 * time.Second}}}, nil},
		{"empty", &Tag{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.in.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			// Followed by audio: Read must stop at the tag's end.
			r := bytes.NewReader(append(b, 0xFF, 0xFB, 0x90, 0x00))
			got, err := Read(r)
			if err != nil {
				t.Fatal(err)
			}
			if r.Len() != 4 {
				t.Errorf("Read left %d bytes, want the 4 audio bytes", r.Len())
			}
			want := *tc.in
			want.Chapters = append([]Chapter(nil), tc.in.Chapters...)
			if tc.want != nil {
				tc.want(&want)
			}
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, &want)
			}
		})
	}
}

func TestHeaderLayout(t *testing.T) {
	b, err := (&Tag{Title: "T"}).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:5]) != "ID3\x04\x00" || b[5] != 0 {
		t.Fatalf("header % x, want ID3 v2.4.0 without flags", b[:6])
	}
	size, ok := syncsafe(b[6:10])
	if !ok || int(size) != len(b)-10 {
		t.Errorf("header size %d (syncsafe %v), want %d", size, ok, len(b)-10)
	}
	// TIT2, syncsafe size 2, no flags, UTF-8 encoding byte, "T".
	if want := "TIT2\x00\x00\x00\x02\x00\x00\x03T"; string(b[10:22]) != want {
		t.Errorf("first frame %q, want %q", b[10:22], want)
	}
	if len(b) != 22+Padding {
		t.Errorf("tag is %d bytes, want %d", len(b), 22+Padding)
	}
	// A 200-byte value needs a two-byte syncsafe size: 200 = 1*128 + 72.
	b, _ = (&Tag{Title: strings.Repeat("x", 199)}).Bytes()
	if got := b[14:18]; !bytes.Equal(got, []byte{0, 0, 1, 72}) {
		t.Errorf("frame size bytes % x, want 00 00 01 48", got)
	}
}

func TestBytesErrors(t *testing.T) {
	tests := []struct {
		name string
		tag  Tag
	}{
		{"bad language", Tag{Language: "english"}},
		{"bad year", Tag{Year: "May 2020"}},
		{"nul in title", Tag{Title: "a\x00b"}},
		{"invalid utf8", Tag{Album: "\xff\xfe"}},
		{"track over total", Tag{Track: 5, TrackTotal: 3}},
		{"negative track", Tag{Track: -1}},
		{"cover without mime", Tag{Cover: &Picture{Data: []byte{1}}}},
		{"cover without data", Tag{Cover: &Picture{MIME: "image/jpeg"}}},
		{"narrator in extra", Tag{Narrator: "a", Extra: map[string]string{"narrator": "b"}}},
		{"empty extra key", Tag{Extra: map[string]string{"": "b"}}},
		{"duplicate chapter id", Tag{Chapters: []Chapter{{ID: "a"}, {ID: "a"}}}},
		{"chapter id toc", Tag{Chapters: []Chapter{{ID: "toc"}}}},
		{"chapter end before start", Tag{Chapters: []Chapter{{Start: 2 * time.Second, End: time.Second}}}},
		{"chapters out of order", Tag{Chapters: []Chapter{{Start: 2 * time.Second, End: 3 * time.Second}, {Start: 0, End: time.Second}}}},
		{"chapter too long", Tag{Chapters: []Chapter{{End: 50 * 24 * time.Hour}}}},
		{"too many chapters", Tag{Chapters: make([]Chapter, 256)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if b, err := tc.tag.Bytes(); err == nil {
				t.Errorf("Bytes succeeded (%d bytes)", len(b))
			} else if !strings.HasPrefix(err.Error(), "id3: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestLanguageCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en", "eng"}, {"EN-us", "eng"}, {"pt_BR", "por"}, {"de", "deu"}, {"fra", "fra"},
		{"hy", "hye"}, {"sw-KE", "swa"}, {"ka", "kat"}, {"ur", "urd"}, {"xx", ""}, {"", ""},
	}
	for _, tc := range tests {
		got, err := LanguageCode(tc.in)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("LanguageCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestReadNoTag(t *testing.T) {
	for _, in := range []string{"", "ID", "\xff\xfb\x90\x00 audio", "TAG v1 tag"} {
		if _, err := Read(strings.NewReader(in)); !errors.Is(err, ErrNoTag) {
			t.Errorf("Read(%q) error %v, want ErrNoTag", in, err)
		}
	}
}

// v23 builds an ID3v2.3 tag by hand: big-endian frame sizes, UTF-16 text
// with BOM, as Windows-era taggers write it, plus unsynchronisation off.
func v23(frames ...[]byte) []byte {
	body := bytes.Join(frames, nil)
	body = append(body, make([]byte, 16)...) // padding
	h := []byte{'I', 'D', '3', 3, 0, 0}
	return append(appendSyncsafe(h, uint32(len(body))), body...)
}

func v23frame(id string, data []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(b[4:], uint32(len(data)))
	return append(b, data...)
}

func utf16Text(s string) []byte {
	b := []byte{1, 0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestReadV23(t *testing.T) {
	chap := func(id, title string, start, end uint32) []byte {
		b := append([]byte(id), 0)
		b = binary.BigEndian.AppendUint32(b, start)
		b = binary.BigEndian.AppendUint32(b, end)
		b = append(b, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
		return append(b, v23frame("TIT2", utf16Text(title))...)
	}
	// The CTOC lists c2 before c1: its order wins over frame order.
	ctoc := append([]byte("toc\x00"), 0x03, 2)
	ctoc = append(ctoc, "c2\x00c1\x00"...)
	tag := v23(
		v23frame("TIT2", utf16Text("Tïtle")),
		v23frame("TPE1", append([]byte{0}, "Auth\xf6r"...)), // Latin-1 ö
		v23frame("TYER", append([]byte{0}, "1999"...)),
		v23frame("TRCK", append([]byte{0}, "4/9"...)),
		v23frame("COMM", append([]byte{0, 'e', 'n', 'g', 0}, "note"...)),
		v23frame("TXXX", append([]byte{0}, "NARRATOR\x00Someone"...)),
		v23frame("CHAP", chap("c1", "First", 0, 1000)),
		v23frame("CHAP", chap("c2", "Second", 1000, 2500)),
		v23frame("CTOC", ctoc),
	)
	got, err := Read(bytes.NewReader(tag))
	if err != nil {
		t.Fatal(err)
	}
	want := &Tag{
		Title: "Tïtle", Artist: "Authör", Year: "1999", Track: 4, TrackTotal: 9,
		Comment: "note", Narrator: "Someone",
		Chapters: []Chapter{
			{ID: "c2", Title: "Second", Start: time.Second, End: 2500 * time.Millisecond},
			{ID: "c1", Title: "First", Start: 0, End: time.Second},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// writeMP3 makes a short real MP3 with the lame CLI from a generated sine.
func writeMP3(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("lame"); err != nil {
		t.Skip("lame CLI not installed")
	}
	const rate, secs = 22050, 5
	var raw bytes.Buffer
	for i := range rate * secs {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate))
		raw.WriteByte(byte(v))
		raw.WriteByte(byte(v >> 8))
	}
	in := filepath.Join(dir, "in.raw")
	out := filepath.Join(dir, "audio.mp3")
	if err := os.WriteFile(in, raw.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("lame", "--silent", "-r", "-s", "22.05", "--bitwidth", "16", "--signed",
		"--little-endian", "-m", "m", "-b", "64", in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lame: %v\n%s", err, msg)
	}
	return out
}

func TestFFprobeReadsTag(t *testing.T) {
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	dir := t.TempDir()
	audio, err := os.ReadFile(writeMP3(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	tag := fullTag()
	// Keep chapters inside the 5 s of audio.
	tag.Chapters = []Chapter{
		{Title: "Etymology", Start: 0, End: 1500 * time.Millisecond},
		{Title: "Extracts — ✓", Start: 1500 * time.Millisecond, End: 3250 * time.Millisecond},
		{Title: "Loomings", Start: 3250 * time.Millisecond, End: 5 * time.Second},
	}
	b, err := tag.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tagged.mp3")
	if err := os.WriteFile(path, append(b, audio...), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_format", "-show_chapters", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var res struct {
		Format struct {
			Tags map[string]string `json:"tags"`
		} `json:"format"`
		Chapters []struct {
			StartTime string            `json:"start_time"`
			EndTime   string            `json:"end_time"`
			Tags      map[string]string `json:"tags"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ffprobe JSON: %v\n%s", err, out)
	}
	for k, want := range map[string]string{
		"title": tag.Title, "album": tag.Album, "artist": tag.Artist, "album_artist": tag.AlbumArtist,
		"genre": tag.Genre, "track": "3/135", "date": tag.Year, "composer": tag.Narrator,
		"language": "eng", "comment": tag.Comment, "NARRATOR": tag.Narrator, "SERIES": "Classics",
	} {
		if got := res.Format.Tags[k]; got != want {
			t.Errorf("ffprobe tag %s = %q, want %q", k, got, want)
		}
	}
	if len(res.Chapters) != len(tag.Chapters) {
		t.Fatalf("ffprobe lists %d chapters, want %d:\n%s", len(res.Chapters), len(tag.Chapters), out)
	}
	for i, c := range res.Chapters {
		want := tag.Chapters[i]
		start, _ := strconv.ParseFloat(c.StartTime, 64)
		end, _ := strconv.ParseFloat(c.EndTime, 64)
		if c.Tags["title"] != want.Title || math.Abs(start-want.Start.Seconds()) > 1e-6 || math.Abs(end-want.End.Seconds()) > 1e-6 {
			t.Errorf("chapter %d: %q %v..%v, want %q %v..%v", i, c.Tags["title"], start, end, want.Title, want.Start.Seconds(), want.End.Seconds())
		}
	}
	// And the audio after the tag still decodes to its full length.
	pcm, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg decode: %v", err)
	}
	if got := len(pcm) / 2; got != 22050*5 {
		t.Errorf("ffmpeg decodes %d samples after the tag, want %d", got, 22050*5)
	}
}

// TestReadFFmpegTags reads tags written by ffmpeg in both ID3v2.3 (UTF-16)
// and ID3v2.4, with chapters from an ffmetadata file.
func TestReadFFmpegTags(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	dir := t.TempDir()
	in := writeMP3(t, dir)
	meta := filepath.Join(dir, "meta.txt")
	err := os.WriteFile(meta, []byte(";FFMETADATA1\ntitle=Tïtle\nalbum=Böök\nartist=Writer\ntrack=2/5\ngenre=Audiobook\n"+
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\ntitle=Öne\n"+
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=2000\nEND=4500\ntitle=Two\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"3", "4"} {
		t.Run("v2."+v, func(t *testing.T) {
			out := filepath.Join(dir, "ff"+v+".mp3")
			cmd := exec.Command("ffmpeg", "-v", "error", "-y", "-i", in, "-i", meta, "-map", "0:a",
				"-map_metadata", "1", "-map_chapters", "1", "-c", "copy", "-id3v2_version", v, out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg: %v\n%s", err, msg)
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := Read(f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "Tïtle" || got.Album != "Böök" || got.Artist != "Writer" || got.Track != 2 ||
				got.TrackTotal != 5 || got.Genre != "Audiobook" {
				t.Errorf("tag %+v", got)
			}
			want := []Chapter{{Title: "Öne", End: 2 * time.Second}, {Title: "Two", Start: 2 * time.Second, End: 4500 * time.Millisecond}}
			if len(got.Chapters) != 2 {
				t.Fatalf("chapters %+v, want %+v", got.Chapters, want)
			}
			for i := range want {
				want[i].ID = got.Chapters[i].ID // ffmpeg names them itself
				if got.Chapters[i] != want[i] || want[i].ID == "" {
					t.Errorf("chapter %d = %+v, want %+v", i, got.Chapters[i], want[i])
				}
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	full, _ := fullTag().Bytes()
	f.Add(full)
	small, _ := (&Tag{Title: "x", Chapters: []Chapter{{Title: "c", End: time.Second}}}).Bytes()
	f.Add(small)
	f.Add(v23(v23frame("TIT2", utf16Text("t")), v23frame("CTOC", []byte("toc\x00\x03\x01a\x00"))))
	f.Add([]byte("ID3\x04\x00\x40\x00\x00\x00\x10\x00\x00\x00\x06\x00\x00"))
	f.Add([]byte("ID3\x03\x00\x80\x00\x00\x00\x0cTIT2\x00\x00\x00\x02\x00\x00\x00\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tag, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		// Whatever parses must render again, unless a field is something our
		// writer rejects (non-timestamp year, unknown language...).
		if out, err := tag.Bytes(); err == nil {
			if _, err := Read(bytes.NewReader(out)); err != nil {
				t.Fatalf("re-reading our own rendering failed: %v", err)
			}
		}
	})
}

// TestCTOCLayout checks the table of contents byte by byte: element ID,
// top-level and ordered flags, entry count, child IDs, then a TIT2.
func TestCTOCLayout(t *testing.T) {
	tag := &Tag{Album: "Book", Chapters: []Chapter{{ID: "a", End: time.Second}, {End: 2 * time.Second}}}
	b, err := tag.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	frames, err := parseFrames(b[10:], 4, false)
	if err != nil {
		t.Fatal(err)
	}
	var toc, chap []byte
	for _, f := range frames {
		switch {
		case f.id == "CTOC":
			toc = f.data
		case f.id == "CHAP" && chap == nil:
			chap = f.data
		}
	}
	want := "toc\x00\x03\x02a\x00ch2\x00TIT2\x00\x00\x00\x05\x00\x00\x03Book"
	if string(toc) != want {
		t.Errorf("CTOC %q, want %q", toc, want)
	}
	// CHAP a: ID, start 0 ms, end 1000 ms, no byte offsets, no TIT2 (no title).
	wantChap := "a\x00\x00\x00\x00\x00\x00\x00\x03\xe8\xff\xff\xff\xff\xff\xff\xff\xff"
	if string(chap) != wantChap {
		t.Errorf("CHAP %q, want %q", chap, wantChap)
	}
}
