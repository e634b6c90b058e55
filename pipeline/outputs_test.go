package pipeline

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/loudness"
	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/segment/book"
)

// pngCover is a 1x1 PNG.
var pngCover = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// TestSidecarsAndTags checks the subtitles, sync map, playlist and tags
// written beside a per-chapter render against the decoded audio.
func TestSidecarsAndTags(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	b, chapters := load(t, sampleBook)
	b.Year, b.Language = "1887-03-03", "en"
	dir := t.TempDir()
	o := options(&speechBackend{rate: 24000}, newCache(t))
	o.Subtitles, o.Playlist = true, true
	o.Narrator = "test narrator"
	o.Cover = &book.Image{MIME: "image/png", Data: pngCover}
	res, err := Render(context.Background(), b, chapters, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		fh, _ := os.Open(f.Path)
		tag, err := id3.Read(fh)
		fh.Seek(0, 0)
		audio, derr := mp3.Decode(fh)
		fh.Close()
		if err != nil || derr != nil {
			t.Fatal(err, derr)
		}
		if tag.Narrator != "test narrator" || tag.Year != "1887" || tag.Language != "eng" || tag.Cover == nil || tag.Album != "The Lamplighter's Wager" || tag.Artist != "the narrate contributors" {
			t.Errorf("%s: tag %+v", f.Path, tag)
		}
		base := strings.TrimSuffix(f.Path, ".mp3")
		var sm syncMap
		data, err := os.ReadFile(base + ".json")
		if err != nil || json.Unmarshal(data, &sm) != nil {
			t.Fatalf("sync map: %v", err)
		}
		if len(sm.Cues) == 0 || sm.Duration != f.Duration.Milliseconds() {
			t.Fatalf("sync map %+v", sm)
		}
		// Every cue covers speech: the audio inside it is not silent, and
		// cues are in order.
		var prev int64
		for _, c := range sm.Cues {
			if c.Begin < prev || c.End <= c.Begin {
				t.Fatalf("cue %+v out of order", c)
			}
			prev = c.End
			from, to := int(c.Begin)*audio.Rate/1000, int(c.End)*audio.Rate/1000
			if st := loudness.Measure(audio.Samples[from:min(to, len(audio.Samples))], audio.Rate); st.RMS < -40 {
				t.Errorf("cue %q over audio at %.1f dBFS", c.Text, st.RMS)
			}
			if c.Index >= 0 && c.Text == "" {
				t.Errorf("cue without text: %+v", c)
			}
		}
		last := sm.Cues[len(sm.Cues)-1]
		srt, _ := os.ReadFile(base + ".srt")
		vtt, _ := os.ReadFile(base + ".vtt")
		if !strings.HasPrefix(string(vtt), "WEBVTT") || strings.Count(string(srt), " --> ") != len(sm.Cues) {
			t.Errorf("subtitles malformed")
		}
		// The last subtitle ends within a second of the audio.
		lines := strings.Split(strings.TrimSpace(string(srt)), "\n")
		var lastEnd string
		for _, l := range lines {
			if strings.Contains(l, " --> ") {
				lastEnd = strings.Split(l, " --> ")[1]
			}
		}
		end, _ := time.Parse("15:04:05,000", lastEnd)
		endD := time.Duration(end.Hour())*time.Hour + time.Duration(end.Minute())*time.Minute + time.Duration(end.Second())*time.Second + time.Duration(end.Nanosecond())
		if gap := audio.Duration() - endD; gap < 0 || gap > time.Second {
			t.Errorf("%s: last cue ends %v before the audio end (last span ends at %d ms)", f.Path, gap, last.End)
		}
	}
	pl, err := os.ReadFile(res.Playlist)
	if err != nil || !strings.HasPrefix(string(pl), "#EXTM3U\n") || strings.Count(string(pl), "#EXTINF:") != len(chapters) || !strings.Contains(string(pl), "01 - Chapter 1 The Wager.mp3") {
		t.Errorf("playlist %s: %v\n%s", res.Playlist, err, pl)
	}
}

// TestSingleFileAndM4B renders one MP3 with chapter frames that ffprobe
// lists with the right titles and times, and an M4B with the same marks.
func TestSingleFileAndM4B(t *testing.T) {
	t.Parallel() // renders of its own: own backend, cache and directory
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	b, chapters := load(t, sampleBook)
	chapters = excerpt(chapters, 6)
	b.Language = "fr-CA" // tagged as such in both files
	dir := t.TempDir()
	o := options(&speechBackend{rate: 24000}, newCache(t))
	o.SingleFile, o.M4B, o.Subtitles = true, true, true
	res, err := Render(context.Background(), b, chapters, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || filepath.Base(res.Files[0].Path) != "The Lamplighter's Wager.mp3" {
		t.Fatalf("files %+v", res.Files)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	for _, path := range []string{res.Files[0].Path, res.M4B} {
		out, err := exec.Command("ffprobe", "-v", "error", "-show_chapters", "-of", "json", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		var probe struct {
			Chapters []struct {
				Start string `json:"start_time"`
				End   string `json:"end_time"`
				Tags  struct {
					Title string `json:"title"`
				} `json:"tags"`
			} `json:"chapters"`
		}
		json.Unmarshal(out, &probe)
		if len(probe.Chapters) != len(chapters) {
			t.Fatalf("%s: %d chapters", path, len(probe.Chapters))
		}
		for i, c := range probe.Chapters {
			if c.Tags.Title != chapters[i].Title {
				t.Errorf("%s: chapter %d titled %q", path, i+1, c.Tags.Title)
			}
		}
		last, _ := strconv.ParseFloat(probe.Chapters[len(probe.Chapters)-1].End, 64)
		if want := res.Files[0].Duration.Seconds(); math.Abs(last-want) > 0.002 {
			t.Errorf("%s: last chapter ends at %.3f s, audio is %.3f s", path, last, want)
		}
	}
	lang, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream_tags=language:format_tags=language", "-of", "csv=p=0", res.M4B).Output()
	if err != nil || !strings.Contains(string(lang), "fra") {
		t.Errorf("M4B language %q, %v; want fra", lang, err)
	}
	if fh, err := os.Open(res.Files[0].Path); err == nil {
		tag, err := id3.Read(fh)
		fh.Close()
		if err != nil || tag.Language != "fra" {
			t.Errorf("MP3 TLAN %q, %v; want fra", tag.Language, err)
		}
	}
	// Decoded length equals the sum of the chapters.
	fh, _ := os.Open(res.Files[0].Path)
	defer fh.Close()
	a, err := mp3.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	if d := a.Duration() - res.Files[0].Duration; d < -50*time.Millisecond || d > 50*time.Millisecond {
		t.Errorf("decoded %v, chapters add up to %v", a.Duration(), res.Files[0].Duration)
	}
}
