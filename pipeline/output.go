package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"

	"github.com/narrate-audio/narrate/audio/id3"
	"github.com/narrate-audio/narrate/audio/mp3"
	"github.com/narrate-audio/narrate/audio/pcm"
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

// chapterFile is an output being written under a temporary name; it gets
// its final name only when complete, so that a killed render never leaves
// a truncated file that looks finished.
type chapterFile struct {
	f     *os.File
	final string
	sink  mix.Sink
	close func() error
	done  bool
}

// create starts a chapter's file: raw PCM for a single-file render,
// which assemble joins and encodes in one pass, else the output format.
func (r *run) create(path string, tag *id3.Tag) (*chapterFile, error) {
	if r.opts.SingleFile {
		return r.open(path, formatRaw, tag)
	}
	return r.open(path, r.opts.Format, tag)
}

// formatRaw is 16-bit little-endian PCM, the intermediate format of
// single-file renders.
const formatRaw = "raw"

// open starts a file in format ("mp3", "wav" or formatRaw) under a
// temporary name; tag goes at the head of an MP3.
func (r *run) open(path, format string, tag *id3.Tag) (*chapterFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	cf := &chapterFile{f: f, final: path}
	switch format {
	case formatRaw:
		w := &rawSink{w: f}
		cf.sink, cf.close = w, w.flush
	case "wav":
		enc := wav.NewEncoder(f, r.opts.SampleRate, 16, 1, 1)
		w := &wavSink{enc: enc, rate: r.opts.SampleRate}
		cf.sink, cf.close = w, enc.Close
	default:
		if err := r.startMP3(cf, tag); err != nil {
			cf.abort()
			return nil, err
		}
	}
	return cf, nil
}

// startMP3 writes the tag and sets up the encoder of an MP3 file.
func (r *run) startMP3(cf *chapterFile, tag *id3.Tag) error {
	data, err := tag.Bytes()
	if err == nil {
		_, err = cf.f.Write(data)
	}
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", cf.final, err)
	}
	o := mp3.DefaultOptions(r.opts.SampleRate)
	o.Bitrate = r.opts.Bitrate
	enc, err := mp3.NewEncoder(cf.f, o)
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", cf.final, err)
	}
	cf.sink = timedSink{enc, &r.stats.encodeTime, &r.stats.busy}
	cf.close = func() error {
		r.stats.busy.enter()
		err := enc.Close()
		r.stats.busy.leave()
		r.stats.encodeCPU.Add(int64(enc.CPU()))
		return err
	}
	return nil
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
	b := r.book
	t := &id3.Tag{Album: b.Title, Genre: "Audiobook", Narrator: r.opts.Narrator, Comment: "Narrated by narrate"}
	if t.Album == "" {
		t.Album = strings.TrimSuffix(filepath.Base(b.Source), filepath.Ext(b.Source))
	}
	if len(b.Authors) > 0 {
		t.Artist = strings.Join(b.Authors, ", ")
		t.AlbumArtist = t.Artist
	}
	// Tags must be valid ID3 values; a book's free-form date or language
	// that is not is left out rather than failing the render.
	if y := yearPattern.FindString(b.Year); y != "" {
		t.Year = y
	}
	if _, err := id3.LanguageCode(b.Language); err == nil {
		t.Language = b.Language
	}
	if c := r.opts.Cover; c != nil {
		t.Cover = &id3.Picture{MIME: c.MIME, Data: c.Data}
	}
	if t.Cover == nil && b.Cover != nil && (b.Cover.MIME == "image/jpeg" || b.Cover.MIME == "image/png") {
		t.Cover = &id3.Picture{MIME: b.Cover.MIME, Data: b.Cover.Data}
	}
	return t
}

var yearPattern = regexp.MustCompile(`\b[12][0-9]{3}\b`)

// commit finishes the file and gives it its final name.
func (c *chapterFile) commit() error {
	err := c.close()
	if err == nil {
		err = c.f.Sync()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// CreateTemp makes private files; finished audio is for sharing.
		err = os.Chmod(c.f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(c.f.Name(), c.final)
	}
	if err != nil {
		os.Remove(c.f.Name())
		return fmt.Errorf("pipeline: writing %s: %w", c.final, err)
	}
	c.done = true
	return nil
}

// abort removes an unfinished file. It is a no-op after commit.
func (c *chapterFile) abort() {
	if c.done {
		return
	}
	c.done = true
	c.f.Close()
	os.Remove(c.f.Name())
}

// wavSink writes 16-bit PCM through go-audio/wav.
type wavSink struct {
	enc  *wav.Encoder
	rate int
	buf  audio.IntBuffer
}

func (w *wavSink) Write(s []float32) error {
	if cap(w.buf.Data) < len(s) {
		w.buf.Data = make([]int, len(s))
	}
	w.buf.Data = w.buf.Data[:len(s)]
	for i, v := range s {
		w.buf.Data[i] = int(pcm.Int16(v))
	}
	w.buf.Format = &audio.Format{NumChannels: 1, SampleRate: w.rate}
	w.buf.SourceBitDepth = 16
	return w.enc.Write(&w.buf)
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
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	tag, err := id3.Read(f)
	if err != nil || tag.Extra[stampKey] != stamp {
		return 0, false
	}
	for i, s := range sidecars(path) {
		// The sync map is the last sidecar; the read-along outputs need
		// it even without subtitles.
		if r.opts.Subtitles || (r.needsSync() && i == len(sidecars(path))-1) {
			if _, err := os.Stat(s); err != nil {
				return 0, false
			}
		}
	}
	info, err := mp3.Probe(f)
	if err != nil {
		return 0, false
	}
	return info.Duration, true
}

// rawSink writes 16-bit little-endian PCM, the intermediate format of
// single-file renders.
type rawSink struct {
	w   io.Writer
	buf []byte
}

func (s *rawSink) Write(samples []float32) error {
	s.buf = s.buf[:0]
	for _, v := range samples {
		x := uint16(pcm.Int16(v))
		s.buf = append(s.buf, byte(x), byte(x>>8))
	}
	_, err := s.w.Write(s.buf)
	return err
}

func (s *rawSink) flush() error { return nil }

// timedSink measures the time spent in an encoder.
type timedSink struct {
	sink  interface{ Write([]float32) error }
	spent *atomic.Int64
	busy  *busyClock
}

func (t timedSink) Write(s []float32) error {
	began := time.Now()
	t.busy.enter()
	err := t.sink.Write(s)
	t.busy.leave()
	t.spent.Add(int64(time.Since(began)))
	return err
}

// busyClock measures the wall time during which at least one backend or
// encoder call is in progress: the complement, within a render's wall
// time, is the pipeline's own overhead.
type busyClock struct {
	mu     sync.Mutex
	active int
	since  time.Time
	total  time.Duration
	clock  func() time.Time // time.Now when nil; tests set it
}

func (b *busyClock) now() time.Time {
	if b.clock != nil {
		return b.clock()
	}
	return time.Now()
}

func (b *busyClock) enter() {
	b.mu.Lock()
	if b.active == 0 {
		b.since = b.now()
	}
	b.active++
	b.mu.Unlock()
}

func (b *busyClock) leave() {
	b.mu.Lock()
	if b.active--; b.active == 0 {
		b.total += b.now().Sub(b.since)
	}
	b.mu.Unlock()
}

func (b *busyClock) read() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.active > 0 {
		return b.total + b.now().Sub(b.since)
	}
	return b.total
}
