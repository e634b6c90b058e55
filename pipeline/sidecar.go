package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/narrate-audio/narrate/internal/atomicfile"
)

// Cue is one span's place in its chapter's audio: the unit of subtitles
// and of the JSON sync map that read-along players follow.
type Cue struct {
	// Index is the span's index in the chapter (-1 for a spoken title
	// that the text itself does not have).
	Index   int    `json:"index"`
	Kind    string `json:"kind"`
	Speaker string `json:"speaker,omitempty"`
	// Text is what the book says, white space collapsed: captions and
	// read-along show it. Speech is what was spoken ("Mister" for
	// "Mr.", "eighteen eighty-seven" for "1887").
	Text   string `json:"text"`
	Speech string `json:"speech"`
	// SourceStart and SourceEnd are the byte offsets in the chapter's
	// source (see narrate segment) of the text this cue shows.
	SourceStart int `json:"source_start"`
	SourceEnd   int `json:"source_end"`
	// Begin and End are the audio times in milliseconds.
	Begin int64 `json:"begin_ms"`
	End   int64 `json:"end_ms"`
}

// syncMap is the JSON sidecar of a chapter file.
type syncMap struct {
	Chapter  int    `json:"chapter"`
	Title    string `json:"title"`
	Audio    string `json:"audio"`
	Duration int64  `json:"duration_ms"`
	Cues     []Cue  `json:"cues"`
}

// hold keeps a subtitle on screen a little after its words end, so that
// it can be read, but never into the next cue.
const hold = 800 * time.Millisecond

// sidecars names the files written beside a chapter's audio.
func sidecars(audio string) []string {
	base := strings.TrimSuffix(audio, filepath.Ext(audio))
	return []string{base + ".srt", base + ".vtt", base + ".json"}
}

// writeSidecars writes the JSON sync map of a chapter, and its SRT and
// WebVTT subtitles when subtitles is set.
func writeSidecars(audio string, chapter int, title string, cues []Cue, total time.Duration, subtitles bool) error {
	names := sidecars(audio)
	ends := make([]time.Duration, len(cues))
	for i, c := range cues {
		end := ms(c.End) + hold
		if i+1 < len(cues) {
			end = min(end, ms(cues[i+1].Begin))
		}
		ends[i] = min(max(end, ms(c.End)), max(total, ms(c.End)))
	}
	var srt, vtt bytes.Buffer
	vtt.WriteString("WEBVTT\n\n")
	for i, c := range cues {
		text := strings.TrimSpace(c.Text)
		fmt.Fprintf(&srt, "%d\n%s --> %s\n%s\n\n", i+1, stamp(ms(c.Begin), ","), stamp(ends[i], ","), text)
		voice := ""
		if c.Speaker != "" {
			voice = "<v " + strings.NewReplacer(">", "", "&", "and").Replace(c.Speaker) + ">"
		}
		fmt.Fprintf(&vtt, "%s --> %s\n%s%s\n\n", stamp(ms(c.Begin), "."), stamp(ends[i], "."), voice, escapeVTT(text))
	}
	js, err := json.MarshalIndent(syncMap{Chapter: chapter, Title: title, Audio: filepath.Base(audio), Duration: total.Milliseconds(), Cues: cues}, "", "  ")
	if err != nil {
		return err
	}
	for i, data := range [][]byte{srt.Bytes(), vtt.Bytes(), append(js, '\n')} {
		if !subtitles && i < 2 {
			continue
		}
		if err := writeAtomic(names[i], data); err != nil {
			return err
		}
	}
	return nil
}

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// stamp formats hh:mm:ss,mmm (SRT) or hh:mm:ss.mmm (WebVTT).
func stamp(d time.Duration, sep string) string {
	total := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", total/3600000, total/60000%60, total/1000%60, sep, total%1000)
}

func escapeVTT(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "-->", "->").Replace(s)
}

// writeAtomic writes a file under a temporary name and renames it.
func writeAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	return nil
}

// writePlaylist writes an M3U8 playlist of the chapter files.
func writePlaylist(path string, files []Output) error {
	var b bytes.Buffer
	b.WriteString("#EXTM3U\n")
	for _, f := range files {
		fmt.Fprintf(&b, "#EXTINF:%d,%s\n%s\n", int(f.Duration.Round(time.Second).Seconds()), strings.ReplaceAll(f.Title, "\n", " "), filepath.Base(f.Path))
	}
	return writeAtomic(path, b.Bytes())
}
