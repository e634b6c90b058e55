// Package pipeline runs the stages: Read and Prepare turn an input file
// and the settings into a segmented, attributed and cast book with an
// open backend; Render synthesizes the spans of every chapter, has mix
// make each chapter's file, and keeps what a render needs around the
// audio: the span cache, resume stamps, file names, playlist, subtitles
// and the published extras (read-along page, narrated EPUB, Audiobookshelf
// files). Several chapters are worked on at once, and inside a
// chapter spans are synthesized ahead of the encoder, so all cores work
// while memory stays bounded by a window of spans per chapter.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/narrate-audio/narrate/mix"
	"github.com/narrate-audio/narrate/pipeline/cache"
	"github.com/narrate-audio/narrate/publish/epub3"
	"github.com/narrate-audio/narrate/segment"
	"github.com/narrate-audio/narrate/segment/book"
	"github.com/narrate-audio/narrate/segment/sentence"
	"github.com/narrate-audio/narrate/synth"
)

// Voices choose the voice of each span.
type Voices struct {
	Narrator   string
	Dialogue   string
	Characters map[string]string
	Rate       float64
	Pitch      float64
}

// For returns the voice that speaks span s.
func (v Voices) For(s segment.Span) string {
	if s.Kind == segment.Dialogue {
		if s.Speaker != "" {
			if voice, ok := v.Characters[s.Speaker]; ok && voice != "" {
				return voice
			}
		}
		if v.Dialogue != "" {
			return v.Dialogue
		}
	}
	return v.Narrator
}

// Options configure a render.
type Options struct {
	Backend synth.Backend
	Voices  Voices
	Pauses  mix.Pauses
	Levels  mix.Levels
	// Format is "mp3" or "wav".
	Format     string
	Bitrate    int // kbps, for MP3
	SampleRate int
	// TitleSpoken reads each chapter's title at its start when the text
	// itself has no heading line.
	TitleSpoken bool
	// Workers is how many chapters are worked on at once; 0 means one per
	// core.
	Workers int
	// Lookahead is how many spans of a chapter may be synthesized ahead
	// of the one being encoded; 0 means a default.
	Lookahead int
	// Chunk is the longest text, in bytes, spoken in one request: longer
	// spans are split at sentence ends (heard as Pauses.Sentence). It
	// bounds memory and request size; 0 means 600, about 40 s of speech.
	Chunk int
	// Synthesizers bounds the backend calls in flight over the whole
	// render; 0 means the backend's own limit, or two per core.
	Synthesizers int
	// Retry governs retries of transient backend errors.
	Retry Retry
	// RequestsPerMinute caps backend requests; 0 means no cap.
	RequestsPerMinute int
	// Timeout bounds one backend call; a call that runs out of time is
	// retried like any transient failure. 0 means no bound.
	Timeout time.Duration
	// Cache stores synthesized spans; nil disables caching (and with it
	// resuming).
	Cache cache.Store
	// Subtitles writes SRT and WebVTT subtitles and a JSON sync map
	// beside each chapter file.
	Subtitles bool
	// Playlist writes an M3U8 playlist of the chapter files, named after
	// the book.
	Playlist bool
	// SingleFile writes one MP3 of the whole book with ID3 chapter frames
	// (CHAP and CTOC) instead of a file per chapter.
	SingleFile bool
	// M4B also writes the book as an M4B audiobook with chapters, through
	// the ffmpeg program.
	M4B bool
	// Narrator goes into the narrator tag.
	Narrator string
	// Cover overrides the book's own cover image.
	Cover *book.Image
	// EPUB also writes a narrated EPUB 3 with Media Overlays.
	EPUB bool
	// EPUBKeep makes the narrated EPUB of an EPUB input from the input's
	// own documents, with ids added on the spoken spans, instead of from
	// the text; documents it cannot mark are made from the text.
	EPUBKeep bool
	// Player writes index.html, a read-along page of the book.
	Player bool
	// Layout is LayoutFlat (the default) or LayoutLibrary.
	Layout string
	// Progress, if set, is called as work completes. It may be called
	// from several goroutines at once.
	Progress func(Event)
}

// Event reports progress: about one chapter, and the totals of the
// whole render so far.
type Event struct {
	Chapter  int // 1-based
	Chapters int
	// Done is set when the chapter is complete; File is its audio file,
	// or "" when chapters are joined into one file at the end.
	Done     bool
	Title    string
	File     string
	Duration time.Duration

	// Totals over the render.
	ChaptersDone          int
	SpansDone, SpansTotal int
	CharsDone, CharsTotal int
	// Audio is the length of the audio mixed so far.
	Audio time.Duration
}

// progress keeps the totals that events report.
type progress struct {
	mu sync.Mutex
	ev Event
}

func (r *run) report(ch *segment.Chapter, update func(*Event), done bool, d time.Duration, file string) {
	if r.opts.Progress == nil {
		return
	}
	p := &r.progress
	p.mu.Lock()
	update(&p.ev)
	ev := p.ev
	p.mu.Unlock()
	ev.Chapter, ev.Title = ch.Number, ch.Title
	ev.Done, ev.Duration, ev.File = done, d, file
	r.opts.Progress(ev)
}

// Output describes one written file.
type Output struct {
	Chapter  int
	Title    string
	Path     string
	Duration time.Duration
	// Cues place every spoken span in the audio; empty for a chapter
	// reused from an earlier render (its sync map file has them).
	Cues []Cue
}

// Result is what a render produced.
type Result struct {
	Files    []Output
	Playlist string // path of the M3U8 playlist, if written
	M4B      string // path of the M4B audiobook, if written
	EPUB     string // path of the narrated EPUB, if written
	Page     string // path of the read-along page, if written
	// EPUBKept counts the input EPUB's documents the narrated EPUB kept
	// (with ids added) and rebuilt from the text.
	EPUBKept epub3.Kept
	// Dir is the folder written to: the output directory, or the book's
	// folder under it with the library layout.
	Dir      string
	Duration time.Duration
	Stats    Stats
}

// Stats count where the audio of a render came from.
type Stats struct {
	// Synthesized spans were spoken by the backend in this run; Cached
	// ones came from the span cache; Corrupt cache entries were found
	// damaged and synthesized again.
	Synthesized, Cached, Corrupt int
	// Calls counts backend requests, retries included.
	Calls int
	// Reused chapters were already rendered with the same settings and
	// text, and were left as they were.
	Reused int
	// SynthTime adds up the time of backend calls (they overlap, so it
	// can exceed the render's wall time); EncodeTime is the time spent
	// inside the audio encoder.
	SynthTime, EncodeTime time.Duration
	// BackendCPU is the processor time the backend spent speaking, for
	// backends that count it (espeak-ng does; HTTP backends do not);
	// EncodeCPU is the processor time spent inside the MP3 encoder.
	BackendCPU, EncodeCPU time.Duration
	// BusyTime is the wall time during which a backend call or the
	// encoder was at work, however many at once.
	BusyTime time.Duration
}

// cpuMeter is a backend that counts the processor time it spends.
type cpuMeter interface{ CPU() time.Duration }

// backendCPU reads the backend's CPU count, or 0.
func backendCPU(b synth.Backend) time.Duration {
	if m, ok := b.(cpuMeter); ok {
		return m.CPU()
	}
	return 0
}

// newRun prepares the shared state of a render, a shard, a plan or a
// preflight call, with the options left at zero filled in, so that every
// entry point computes the same cache keys.
func newRun(o Options, b *book.Book) *run {
	o = withDefaults(o)
	r := &run{opts: o, book: b, pace: newPace(o.Synthesizers), info: o.Backend.Info(), flights: map[string]*flight{}}
	// Preflight runs have no book; their texts are short and English
	// rules serve them.
	language := ""
	if b != nil {
		language = b.Language
	}
	r.sentences = sentence.For(language)
	r.stats.cpuStart = backendCPU(o.Backend)
	if o.RequestsPerMinute > 0 {
		r.limiter = rate.NewLimiter(rate.Limit(float64(o.RequestsPerMinute)/60), 1)
	}
	return r
}

// withDefaults fills in the options left at zero.
func withDefaults(o Options) Options {
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.Synthesizers <= 0 {
		o.Synthesizers = o.Backend.Info().Concurrency
		if o.Synthesizers <= 0 {
			o.Synthesizers = 2 * runtime.NumCPU()
		}
	}
	if o.Lookahead <= 0 {
		// Enough pieces ahead to keep every allowed backend call busy.
		o.Lookahead = max(8, o.Synthesizers)
	}
	if o.Chunk <= 0 {
		o.Chunk = 600
	}
	if o.Levels.Silence == 0 {
		// Filled here, not left to the mixer, as the resume stamp
		// records the levels.
		o.Levels.Silence = mix.DefaultSilence
	}
	return o
}

// Render writes the audiobook for b, whose chapters were segmented into
// chapters, to the directory dir.
func Render(ctx context.Context, b *book.Book, chapters []segment.Chapter, dir string, o Options) (*Result, error) {
	if o.Backend == nil {
		return nil, errors.New("pipeline: no backend")
	}
	if len(chapters) == 0 {
		return nil, errors.New("pipeline: the book has no chapters")
	}
	switch o.Layout {
	case "", LayoutFlat:
	case LayoutLibrary:
		dir = LibraryDir(dir, b)
	default:
		return nil, fmt.Errorf("pipeline: unknown layout %q (want %s or %s)", o.Layout, LayoutFlat, LayoutLibrary)
	}
	if o.EPUB && o.Format != "mp3" {
		return nil, errors.New("pipeline: a narrated EPUB needs MP3 audio (output.format mp3)")
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	r := newRun(o, b)
	o = r.opts
	if o.M4B {
		if _, err := exec.LookPath("ffmpeg"); err != nil {
			return nil, errors.New("pipeline: M4B output needs the ffmpeg program (install it with: sudo apt-get install ffmpeg)")
		}
	}
	if o.SingleFile && o.Format != "mp3" {
		return nil, errors.New("pipeline: a single-file render is MP3 only")
	}
	r.dir = dir
	names := FileNames(chapters, o.Format)
	removeLeftovers(dir)
	if o.SingleFile {
		// Chapters are mixed to hidden PCM files, then encoded as one.
		for i := range names {
			names[i] = "." + names[i] + ".pcm"
		}
		defer func() {
			for _, n := range names {
				os.Remove(filepath.Join(dir, n))
			}
		}()
	}
	res := &Result{Files: make([]Output, len(chapters)), Dir: dir}
	r.progress.ev.Chapters = len(chapters)
	for i := range chapters {
		for _, j := range r.jobs(&chapters[i]) {
			if j.piece.Role != mix.Scene {
				r.progress.ev.SpansTotal++
				r.progress.ev.CharsTotal += len(j.req.Text)
			}
		}
	}

	// Longest chapters first: encoding a chapter is serial, so a long one
	// started last would leave the other cores idle at the end.
	order := make([]int, len(chapters))
	size := make([]int, len(chapters))
	for i := range chapters {
		order[i] = i
		for _, s := range chapters[i].Spans {
			size[i] += len(s.Speech)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.Workers)
	for _, i := range order {
		g.Go(func() error {
			out, err := r.chapter(gctx, &chapters[i], len(chapters), filepath.Join(dir, names[i]))
			if err != nil {
				return err
			}
			res.Files[i] = out
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, f := range res.Files {
		res.Duration += f.Duration
	}
	parts := res.Files
	if o.SingleFile {
		single, err := r.assemble(ctx, res.Files)
		if err != nil {
			return nil, err
		}
		res.Files = []Output{single}
	}
	if o.M4B {
		m4b, err := r.m4b(ctx, res.Files, parts)
		if err != nil {
			return nil, err
		}
		res.M4B = m4b
	}
	if o.Playlist {
		name := SafeName(b.Title)
		if name == "" {
			name = "playlist"
		}
		res.Playlist = filepath.Join(dir, name+".m3u8")
		if err := writePlaylist(res.Playlist, res.Files); err != nil {
			return nil, err
		}
	}
	if err := r.publish(chapters, parts, res); err != nil {
		return nil, err
	}
	res.Stats = r.stats.snapshot(o.Backend)
	return res, nil
}

type run struct {
	opts Options
	book *book.Book
	// sentences splits long texts by the rules of the book's language.
	sentences sentence.Rules
	dir       string
	pace      *pace // bounds backend calls in flight
	info      synth.Info
	stats     counters

	limiter *rate.Limiter // nil without a request rate cap
	// serverMax is the length, in bytes, below which the server last
	// rejected a text as too long; 0 until it does.
	serverMax atomic.Int64

	mu      sync.Mutex
	flights map[string]*flight // syntheses in this run, by cache key

	progress progress
}

// job is one span to speak, or a silent scene break.
type job struct {
	span  int // index into the chapter's spans, -1 for the spoken title
	req   synth.Request
	piece mix.Piece
	// src is the part of the span's source text, as byte offsets into
	// it, that this piece speaks: all of it unless the span was split.
	src [2]int
}

// jobs lists the pieces of a chapter in order.
func (r *run) jobs(ch *segment.Chapter) []job {
	var out []job
	startsWithHeading := len(ch.Spans) > 0 && ch.Spans[0].Kind == segment.Heading
	if r.opts.TitleSpoken && !startsWithHeading && ch.TitleSpeech != "" {
		out = append(out, job{span: -1,
			req:   r.request(ch.TitleSpeech, r.opts.Voices.Narrator),
			piece: mix.Piece{Role: mix.Title, Para: -1}})
	}
	for i, s := range ch.Spans {
		j := job{span: i, piece: mix.Piece{Para: s.Para}}
		switch s.Kind {
		case segment.Break:
			j.piece.Role = mix.Scene
		case segment.Heading:
			j.piece.Role = mix.Title
			// Only a chapter's opening heading gets the title pause.
			if i > 0 {
				j.piece.Role = mix.Speech
			}
			j.req = r.request(s.Speech, r.opts.Voices.Narrator)
		default:
			j.req = r.request(s.Speech, r.opts.Voices.For(s))
			if s.Kind == segment.Dialogue {
				j.piece.Speaker = s.Speaker
				if j.piece.Speaker == "" {
					j.piece.Speaker = unknownSpeaker
				}
			}
		}
		// A long span is spoken in pieces cut at sentence ends, so that
		// no request, cache entry or buffer holds minutes of audio.
		texts := splitLong(j.req.Text, r.opts.Chunk, r.sentences)
		cuts := sourceCuts(s.Text, texts)
		for k, text := range texts {
			piece := j
			piece.req.Text = text
			piece.src = [2]int{cuts[k], cuts[k+1]}
			if k > 0 {
				piece.piece.Continues = true
				if piece.piece.Role == mix.Title {
					piece.piece.Role = mix.Speech
				}
			}
			out = append(out, piece)
		}
	}
	if r.info.Context {
		for i := range out {
			if out[i].piece.Role == mix.Scene {
				continue
			}
			if i > 0 {
				out[i].req.Previous = out[i-1].req.Text
			}
			if i+1 < len(out) {
				out[i].req.Next = out[i+1].req.Text
			}
		}
	}
	return out
}

func (r *run) request(text, voice string) synth.Request {
	return synth.Request{Text: text, Voice: voice, Rate: r.opts.Voices.Rate, Pitch: r.opts.Voices.Pitch}
}

// chapter synthesizes, mixes and writes one chapter, or keeps the file
// an earlier render made from the same inputs.
func (r *run) chapter(ctx context.Context, ch *segment.Chapter, total int, path string) (Output, error) {
	jobs := r.jobs(ch)
	out := Output{Chapter: ch.Number, Title: chapterTitle(ch), Path: path}
	tag := r.tag(ch, total)
	stamp := r.stamp(jobs, tag)
	if d, ok := r.reusable(path, stamp); ok && !r.opts.SingleFile {
		r.reuse(ch, jobs, d, path)
		out.Duration = d
		return out, nil
	}
	tag.Extra = map[string]string{stampKey: stamp}
	file, err := r.create(path, tag)
	if err != nil {
		return out, err
	}
	defer file.Abort()
	m, err := r.mixChapter(ctx, ch, jobs, file)
	if err != nil {
		return out, err
	}
	out.Cues = m.cues
	if err := r.finish(file, path, ch, m); err != nil {
		return out, err
	}
	out.Duration = m.duration
	shown := path
	if r.opts.SingleFile {
		shown = ""
	}
	r.report(ch, func(e *Event) { e.ChaptersDone++; e.Audio += m.duration - m.reported }, true, m.duration, shown)
	return out, nil
}

// reuse counts and reports a chapter whose file is kept as it was.
func (r *run) reuse(ch *segment.Chapter, jobs []job, d time.Duration, path string) {
	r.stats.reused.Add(1)
	r.report(ch, func(e *Event) {
		e.ChaptersDone++
		e.Audio += d
		for _, j := range jobs {
			if j.piece.Role != mix.Scene {
				e.SpansDone++
				e.CharsDone += len(j.req.Text)
			}
		}
	}, true, d, path)
}

// mixedChapter is a chapter's audio once mixed into its file.
type mixedChapter struct {
	cues     []Cue
	duration time.Duration
	reported time.Duration // the part of duration progress events told
}

// mixChapter mixes the chapter's pieces, in order, into sink as the
// look-ahead window delivers them, and reports each one.
func (r *run) mixChapter(ctx context.Context, ch *segment.Chapter, jobs []job, sink mix.Sink) (mixedChapter, error) {
	var out mixedChapter
	mixer := mix.NewChapter(sink, r.opts.SampleRate, r.opts.Pauses, r.opts.Levels)
	ctx, cancel := context.WithCancel(ctx)
	w := r.lookahead(ctx, ch, jobs)
	// On the way out, stop the syntheses still running and wait for them,
	// so that no goroutine outlives the render and every span that did
	// finish is in the cache.
	defer w.wait()
	defer cancel()
	for i := range jobs {
		piece, err := w.next(ctx, i)
		if err != nil {
			return out, err
		}
		m, err := mixer.Add(piece)
		if err != nil {
			return out, fmt.Errorf("pipeline: chapter %d: %w", ch.Number, err)
		}
		if piece.Role == mix.Scene {
			continue
		}
		if m.End > m.Start {
			out.cues = append(out.cues, r.cue(ch, jobs[i], m))
		}
		n := len(jobs[i].req.Text)
		grown := m.End - out.reported
		out.reported = m.End
		r.report(ch, func(e *Event) { e.SpansDone++; e.CharsDone += n; e.Audio += grown }, false, 0, "")
	}
	d, err := mixer.Close()
	if err != nil {
		return out, fmt.Errorf("pipeline: chapter %d: %w", ch.Number, err)
	}
	out.duration = d
	return out, nil
}

// finish writes the chapter's sidecars, then gives its file the final
// name: a chapter file under its final name always has its subtitles and
// sync map beside it.
func (r *run) finish(file *mix.File, path string, ch *segment.Chapter, m mixedChapter) error {
	if (r.opts.Subtitles || r.needsSync()) && !r.opts.SingleFile {
		if err := writeSidecars(path, ch.Number, ch.Title, m.cues, m.duration, r.opts.Subtitles); err != nil {
			return err
		}
	}
	return file.Commit()
}

// window synthesizes a chapter's jobs ahead of the mixer, up to
// Lookahead at once, each into a slot of its own.
type window struct {
	r       *run
	ctx     context.Context
	ch      *segment.Chapter
	jobs    []job
	slots   []chan slot
	running sync.WaitGroup
}

// slot is a job's piece with its audio, or why there is none.
type slot struct {
	piece mix.Piece
	err   error
}

// lookahead starts the first jobs of a chapter; the window's context
// stops the rest.
func (r *run) lookahead(ctx context.Context, ch *segment.Chapter, jobs []job) *window {
	w := &window{r: r, ctx: ctx, ch: ch, jobs: jobs, slots: make([]chan slot, len(jobs))}
	for i := range w.slots {
		w.slots[i] = make(chan slot, 1)
	}
	for i := 0; i < min(r.opts.Lookahead, len(jobs)); i++ {
		w.start(i)
	}
	return w
}

// start synthesizes job i (a scene break needs nothing) into its slot.
func (w *window) start(i int) {
	j := w.jobs[i]
	w.running.Add(1)
	go func() {
		defer w.running.Done()
		p := j.piece
		if p.Role != mix.Scene {
			a, err := w.r.synthesize(w.ctx, j.req)
			if err != nil {
				where := "title"
				if j.span >= 0 {
					where = fmt.Sprintf("span %d", j.span)
				}
				w.slots[i] <- slot{err: fmt.Errorf("pipeline: chapter %d, %s: %w", w.ch.Number, where, err)}
				return
			}
			a, err = conform(a, w.r.opts.SampleRate)
			if err != nil {
				w.slots[i] <- slot{err: err}
				return
			}
			p.Audio = a
		}
		w.slots[i] <- slot{piece: p}
	}()
}

// next waits for job i's piece, then starts the job Lookahead further on.
func (w *window) next(ctx context.Context, i int) (mix.Piece, error) {
	var s slot
	select {
	case s = <-w.slots[i]:
	case <-ctx.Done():
		return mix.Piece{}, ctx.Err()
	}
	if s.err != nil {
		return mix.Piece{}, s.err
	}
	if next := i + w.r.opts.Lookahead; next < len(w.jobs) {
		w.start(next)
	}
	return s.piece, nil
}

// wait returns when every synthesis the window started has ended.
func (w *window) wait() { w.running.Wait() }

// cue describes where a piece landed, for subtitles and the sync map.
func (r *run) cue(ch *segment.Chapter, j job, m mix.Mark) Cue {
	c := Cue{Index: j.span, Kind: "title", Text: flat(ch.Title), Speech: j.req.Text, Begin: m.Start.Milliseconds(), End: m.End.Milliseconds()}
	if j.span >= 0 {
		s := ch.Spans[j.span]
		c.Kind, c.Speaker = string(s.Kind), s.Speaker
		c.Text = flat(s.Text[j.src[0]:j.src[1]])
		c.SourceStart, c.SourceEnd = s.Start+j.src[0], s.Start+j.src[1]
	}
	return c
}

func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// sourceCuts divides a span's source text among the pieces its speech was
// split into: in proportion to the spoken length, moved to the nearest
// white space, so that every piece shows whole words of what the book
// says and together they show all of it. It returns len(pieces)+1
// offsets, the first 0 and the last len(src).
func sourceCuts(src string, pieces []string) []int {
	cuts := make([]int, len(pieces)+1)
	cuts[len(pieces)] = len(src)
	total := 0
	for _, p := range pieces {
		total += len(p)
	}
	done := 0
	for k := 1; k < len(pieces); k++ {
		done += len(pieces[k-1])
		at := len(src) * done / max(total, 1)
		cuts[k] = max(nearestSpace(src, at), cuts[k-1])
	}
	return cuts
}

// nearestSpace returns the offset of the white space nearest to at, or
// at itself (moved to a rune start) when src has none.
func nearestSpace(src string, at int) int {
	for d := 0; d < len(src); d++ {
		for _, i := range []int{at - d, at + d} {
			if i > 0 && i < len(src) && (src[i] == ' ' || src[i] == '\n' || src[i] == '\t') {
				return i
			}
		}
	}
	for at > 0 && at < len(src) && !isRuneStart(src[at]) {
		at--
	}
	return min(max(at, 0), len(src))
}

// removeLeftovers deletes the temporary files of a render that was killed
// in this directory: they never carry a final name, and a new render
// makes them again.
func removeLeftovers(dir string) {
	for _, pattern := range []string{".*.part-*", ".*.pcm", ".m4b-*"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			os.RemoveAll(m)
		}
	}
}

// checkDir makes sure the output directory exists and is writable before
// any synthesis is paid for.
func checkDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("pipeline: output directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".narrate-probe-*")
	if err != nil {
		return fmt.Errorf("pipeline: output directory %s is not writable: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// splitLong cuts text longer than max bytes at sentence ends, by the
// sentence rules of its language, or at word boundaries when a sentence
// itself is too long.
func splitLong(text string, max int, rules sentence.Rules) []string {
	if max <= 0 || len(text) <= max {
		return []string{text}
	}
	var out []string
	for len(text) > max {
		cut := -1
		for _, sep := range []string{". ", "! ", "? ", "; ", ", ", " "} {
			if i := lastSep(text, max, sep, rules); i > 0 {
				cut = i + len(sep)
				break
			}
		}
		if cut <= 0 {
			cut = max
			for cut > 0 && !isRuneStart(text[cut]) {
				cut--
			}
		}
		out = append(out, strings.TrimSpace(text[:cut]))
		text = strings.TrimSpace(text[cut:])
	}
	if text != "" {
		out = append(out, text)
	}
	return out
}

// lastSep finds the last sep in text[:max]; a full stop must end a
// sentence ("Mr. Smith" is not cut).
func lastSep(text string, max int, sep string, rules sentence.Rules) int {
	s := text[:max]
	for {
		i := strings.LastIndex(s, sep)
		if i <= 0 || sep != ". " || rules.End(text, i) {
			return i
		}
		s = s[:i]
	}
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
