package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"strconv"
	"testing"

	mp3dec "github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/segment/book"
)

// probe is what ffprobe reports of a file.
type probe struct {
	Format struct {
		Duration string            `json:"duration"`
		Tags     map[string]string `json:"tags"`
	} `json:"format"`
	Streams []struct {
		CodecType   string            `json:"codec_type"`
		Tags        map[string]string `json:"tags"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Chapters []struct {
		Start string            `json:"start_time"`
		End   string            `json:"end_time"`
		Tags  map[string]string `json:"tags"`
	} `json:"chapters"`
}

func ffprobe(t *testing.T, path string) probe {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p probe) cover() bool {
	for _, s := range p.Streams {
		if s.CodecType == "video" && s.Disposition.AttachedPic == 1 {
			return true
		}
	}
	return false
}

func jpegCover(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestM4BParity checks that the M4B carries what the MP3 files carry:
// title, author, narrator, year, cover, language, and the chapters with
// their titles and lengths; per chapter files and a single file alike.
func TestM4BParity(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	if testing.Short() {
		t.Skip("four renders and ffmpeg runs; not a concurrency test")
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	for _, single := range []bool{false, true} {
		t.Run(strconv.FormatBool(single), func(t *testing.T) {
			b, chapters := load(t, sampleBook)
			chapters = excerpt(chapters, 6)
			b.Year, b.Language = "1887", "en"
			chapters[1].Title = "" // an untitled chapter gets the same fallback everywhere
			dir := t.TempDir()
			o := options(&speechBackend{rate: 24000}, newCache(t))
			o.M4B, o.SingleFile, o.Narrator = true, single, "Test Narrator"
			o.Cover = &book.Image{MIME: "image/jpeg", Data: jpegCover(t)}
			res, err := Render(context.Background(), b, chapters, dir, o)
			if err != nil {
				t.Fatal(err)
			}
			m4b := ffprobe(t, res.M4B)
			mp3 := ffprobe(t, res.Files[0].Path)
			// The MP3's album is the book; a chapter file's title is the
			// chapter's, so the M4B's title is compared with the album.
			for _, k := range []struct{ m4b, mp3 string }{
				{"title", "album"}, {"album", "album"}, {"artist", "artist"}, {"album_artist", "album_artist"},
				{"composer", "composer"}, {"date", "date"}, {"genre", "genre"},
			} {
				if m4b.Format.Tags[k.m4b] == "" || m4b.Format.Tags[k.m4b] != mp3.Format.Tags[k.mp3] {
					t.Errorf("M4B %s %q, MP3 %s %q", k.m4b, m4b.Format.Tags[k.m4b], k.mp3, mp3.Format.Tags[k.mp3])
				}
			}
			if m4b.Format.Tags["composer"] != "Test Narrator" || mp3.Format.Tags["NARRATOR"] != "Test Narrator" {
				t.Errorf("narrator: M4B composer %q, MP3 %q", m4b.Format.Tags["composer"], mp3.Format.Tags["NARRATOR"])
			}
			if !m4b.cover() || !mp3.cover() {
				t.Errorf("cover: M4B %v, MP3 %v", m4b.cover(), mp3.cover())
			}
			lang := ""
			for _, s := range m4b.Streams {
				if s.CodecType == "audio" {
					lang = s.Tags["language"]
				}
			}
			if lang != "eng" || mp3.Format.Tags["language"] != "eng" {
				t.Errorf("language: M4B %q, MP3 %q", lang, mp3.Format.Tags["language"])
			}
			// The chapters: as the chapter files (titles, lengths) or the
			// single file's chapter frames.
			var want []struct {
				title      string
				start, end float64
			}
			if single {
				for _, c := range mp3.Chapters {
					s, _ := strconv.ParseFloat(c.Start, 64)
					e, _ := strconv.ParseFloat(c.End, 64)
					want = append(want, struct {
						title      string
						start, end float64
					}{c.Tags["title"], s, e})
				}
			} else {
				at := 0.0
				for _, f := range res.Files {
					p := ffprobe(t, f.Path)
					// The decoded length: the probe's estimate counts the
					// encoder's padding.
					fh, err := os.Open(f.Path)
					if err != nil {
						t.Fatal(err)
					}
					a, err := mp3dec.Decode(fh)
					fh.Close()
					if err != nil {
						t.Fatal(err)
					}
					d := a.Duration().Seconds()
					want = append(want, struct {
						title      string
						start, end float64
					}{p.Format.Tags["title"], at, at + d})
					at += d
				}
			}
			if len(m4b.Chapters) != len(chapters) || len(want) != len(chapters) {
				t.Fatalf("M4B has %d chapters, MP3 %d, the book %d", len(m4b.Chapters), len(want), len(chapters))
			}
			for i, c := range m4b.Chapters {
				s, _ := strconv.ParseFloat(c.Start, 64)
				e, _ := strconv.ParseFloat(c.End, 64)
				if c.Tags["title"] != want[i].title || math.Abs(s-want[i].start) > 0.01 || math.Abs(e-want[i].end) > 0.01 {
					t.Errorf("chapter %d: M4B %q %.3f-%.3f, MP3 %q %.3f-%.3f", i+1, c.Tags["title"], s, e, want[i].title, want[i].start, want[i].end)
				}
			}
			if m4b.Chapters[1].Tags["title"] != "Chapter 2" {
				t.Errorf("untitled chapter is %q in the M4B", m4b.Chapters[1].Tags["title"])
			}
			mutagenCheck(t, res.M4B, res.Files[0].Path)
		})
	}
}

// mutagenCheck reads both files with mutagen, a second, independent tag
// reader, when it is installed.
func mutagenCheck(t *testing.T, m4b, mp3 string) {
	t.Helper()
	// The system's Python has Debian's python3-mutagen; a python3 found
	// first on the PATH may be another installation.
	python := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import mutagen").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Log("mutagen not installed; ffprobe only")
		return
	}
	script := `
import json, sys
from mutagen.mp4 import MP4
from mutagen.id3 import ID3
m = MP4(sys.argv[1]).tags
i = ID3(sys.argv[2])
print(json.dumps({
  "m4b": {"title": m["\xa9nam"][0], "artist": m["\xa9ART"][0], "narrator": m["\xa9wrt"][0], "cover": len(m.get("covr", []))},
  "mp3": {"title": str(i["TALB"]), "artist": str(i["TPE1"]), "narrator": str(i["TXXX:NARRATOR"]), "cover": len(i.getall("APIC"))},
}))`
	out, err := exec.Command(python, "-c", script, m4b, mp3).CombinedOutput()
	if err != nil {
		t.Fatalf("mutagen: %v\n%s", err, out)
	}
	var got struct{ M4B, MP3 map[string]any }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, k := range []string{"title", "artist", "narrator", "cover"} {
		if got.M4B[k] != got.MP3[k] || got.M4B[k] == "" || got.M4B[k] == float64(0) {
			t.Errorf("mutagen %s: M4B %v, MP3 %v", k, got.M4B[k], got.MP3[k])
		}
	}
}
