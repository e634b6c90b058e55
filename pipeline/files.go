package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/segment"
)

// FileNames returns the file name of each chapter: "01 - Title.mp3",
// numbered so that every player lists them in order, and safe on every
// common file system.
func FileNames(chapters []segment.Chapter, format string) []string {
	width := max(2, len(fmt.Sprint(len(chapters))))
	names := make([]string, len(chapters))
	for i, ch := range chapters {
		title := SafeName(ch.Title)
		if title == "" {
			title = fmt.Sprintf("Chapter %d", i+1)
		}
		names[i] = fmt.Sprintf("%0*d - %s.%s", width, i+1, title, format)
	}
	return names
}

// SafeName makes a title usable as a file name on Linux, macOS and
// Windows: no path separators, reserved or control characters, no
// trailing dots or spaces, and at most 100 bytes.
func SafeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case strings.ContainsRune(`/\:*?"<>|`, r) || unicode.IsSpace(r):
			r = ' '
		case unicode.IsControl(r) || r == utf8.RuneError:
			continue
		}
		if unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	out := strings.TrimRight(b.String(), " .")
	for len(out) > 100 {
		_, size := utf8.DecodeLastRuneInString(out)
		out = strings.TrimRight(out[:len(out)-size], " .")
	}
	return strings.TrimLeft(out, " .")
}

// create starts a chapter's file: raw PCM for a single-file render,
// which assemble joins and encodes in one pass, else the output format.
func (r *run) create(path string, tag *id3.Tag) (*mix.File, error) {
	format := r.opts.Format
	if r.opts.SingleFile {
		format = mix.Raw
	}
	return mix.Create(path, r.fileOptions(format, tag))
}

// fileOptions encode in format, with tag, and account for the time spent
// in the encoder.
func (r *run) fileOptions(format string, tag *id3.Tag) mix.FileOptions {
	return mix.FileOptions{Format: format, SampleRate: r.opts.SampleRate, Bitrate: r.opts.Bitrate, Tag: tag, Meter: &r.stats}
}

// tag builds the ID3 tag of a chapter file.
func (r *run) tag(ch *segment.Chapter, total int) *id3.Tag {
	t := r.bookTag()
	t.Title, t.Track, t.TrackTotal = chapterTitle(ch), ch.Number, total
	return t
}

// chapterTitle is the chapter's title, or "Chapter N" for a chapter
// without one, so that every player, the M4B and Audiobookshelf show the
// same name.
func chapterTitle(ch *segment.Chapter) string {
	if t := strings.Join(strings.Fields(ch.Title), " "); t != "" {
		return ch.Title
	}
	return fmt.Sprintf("Chapter %d", ch.Number)
}

// bookTag holds the tags every file of the book shares.
func (r *run) bookTag() *id3.Tag {
	return mix.BookTag(r.book, r.opts.Narrator, r.opts.Cover)
}

// stampKey is the ID3 TXXX description under which a chapter file records
// what it was rendered from.
const stampKey = "NARRATE_RENDER"

// mixVersion changes whenever the mixing or encoding changes the output
// for the same inputs, so that older files are rendered again.
const mixVersion = "mix-1"

// syncVersion changes whenever what the subtitles and sync map say
// changes, so that files rendered before are rendered again with them.
const syncVersion = "sync-2 source text"

// stamp fingerprints everything a chapter file is made from: the cache
// key of every span, the pacing, levels and encoding, and the tags.
func (r *run) stamp(jobs []job, tag *id3.Tag) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%t\x00%s\x00%d\x00%d\x00%+v\x00%+v\x00", mixVersion, syncVersion, r.opts.Subtitles, r.opts.Format, r.opts.Bitrate, r.opts.SampleRate, r.opts.Pauses, r.opts.Levels)
	fmt.Fprintf(h, "%q\x00%q\x00%q\x00%d/%d\x00%q\x00%q\x00", tag.Title, tag.Album, tag.Artist, tag.Track, tag.TrackTotal, tag.Year, tag.Language)
	for _, j := range jobs {
		fmt.Fprintf(h, "%d\x00%d\x00%q\x00", j.piece.Role, j.piece.Para, j.piece.Speaker)
		if j.piece.Role != mix.Scene {
			io.WriteString(h, cache.Key(r.info, j.req))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// reusable reports whether the file at path was rendered from exactly the
// same inputs, and its duration. Only MP3 files carry the stamp.
func (r *run) reusable(path, stamp string) (time.Duration, bool) {
	if r.opts.Format != "mp3" {
		return 0, false
	}
	tag, d, err := mix.ReadTag(path)
	if err != nil || tag.Extra[stampKey] != stamp {
		return 0, false
	}
	sc := sidecars(path)
	for i, s := range sc {
		// The sync map is the last sidecar; the read-along outputs need
		// it even without subtitles.
		if r.opts.Subtitles || (r.needsSync() && i == len(sc)-1) {
			if _, err := os.Stat(s); err != nil {
				return 0, false
			}
		}
	}
	return d, true
}
