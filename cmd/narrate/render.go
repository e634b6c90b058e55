package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/narrate-audio/narrate/config"
	"github.com/narrate-audio/narrate/internal/atomicfile"
	"github.com/narrate-audio/narrate/pipeline"
	"github.com/narrate-audio/narrate/pipeline/cache/blob"
)

func newRender(a *app) *cobra.Command {
	var outDir string
	var quiet bool
	var castFile string
	var dryRun bool
	var shard string
	var statsFile string
	var warningsFile string
	var noPlayer bool
	cmd := &cobra.Command{
		Use:   "render INPUT -o DIR",
		Short: "Render a book into one audio file per chapter",
		Long: `Render reads INPUT, splits it into chapters and spans, speaks every span
with the configured backend and writes DIR/01 - <Chapter title>.mp3 and so
on, one file per chapter, with ID3 tags (title, album, author, track).`,
		Example: `  narrate render book.txt -o out/
  narrate render book.epub -o out/ --config narrate.yaml --voice en-gb`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if outDir == "" && !dryRun && shard == "" {
				return errors.New("render: missing output directory (-o DIR)")
			}
			a.quiet = quiet
			if dryRun {
				return a.dryRun(cmd.Context(), args[0], castFile)
			}
			if noPlayer {
				a.cfg.Output.Player = false
			}
			if shard != "" {
				return a.shard(cmd.Context(), args[0], castFile, shard, quiet)
			}
			err := a.render(cmd.Context(), args[0], outDir, castFile, statsFile, quiet)
			if warningsFile != "" {
				if werr := writeWarnings(warningsFile, a.warnings); werr != nil && err == nil {
					err = werr
				}
			}
			return err
		},
	}
	// Flags that set a configuration key show its default; the loader
	// takes it from config.Default, not from the flag, when unset.
	d := config.Default()
	f := cmd.Flags()
	f.StringVarP(&outDir, "output", "o", "", "directory to write the chapter files to")
	f.BoolVarP(&quiet, "quiet", "q", false, "print nothing but errors (warnings still go to --warnings and --stats)")
	f.StringVar(&warningsFile, "warnings", "", "write every warning about the input (unclosed quotes and the like) to this file, one per line")
	f.StringVar(&castFile, "cast", "", "cast file with a voice per character (see narrate cast)")
	f.StringVar(&statsFile, "stats", "", "write the render's statistics (spans, cache use, time in the backend and the encoder) as JSON to this file")
	f.StringVar(&shard, "shard", "", "synthesize only shard i of N into the cache (i/N, or /N with JOB_COMPLETION_INDEX) and exit; a render without --shard then assembles")
	f.BoolVar(&dryRun, "dry-run", false, "print what would be synthesized, the voices, estimated length and cost, without synthesizing")
	addVoiceFlags(cmd)
	f.String("preset", d.Output.Preset, "output preset: default (22.05 kHz, 64 kbps) or acx (44.1 kHz, 192 kbps CBR, ACX levels)")
	f.Bool("single-file", d.Output.SingleFile, "write one MP3 for the whole book, with chapter marks")
	f.Bool("m4b", d.Output.M4B, "also write an M4B audiobook (AAC with chapters); needs ffmpeg")
	f.String("cover", d.Output.Cover, "cover image (JPEG or PNG) for the tags; default: the book's own")
	configFlag(f, "preset", "output.preset")
	configFlag(f, "single-file", "output.single_file")
	configFlag(f, "m4b", "output.m4b")
	configFlag(f, "cover", "output.cover")
	f.Bool("epub", d.Output.EPUB, "also write a narrated EPUB 3 (the text with Media Overlays, highlighted as it is read)")
	f.BoolVar(&noPlayer, "no-player", false, "do not write index.html, the read-along page")
	f.String("layout", d.Output.Layout, "output folder layout: flat, or library (DIR/<Author>/<Title>/ for Audiobookshelf)")
	f.Bool("epub-keep", d.Output.EPUBKeep, "with --epub and an EPUB input: keep the input's own documents, styles and images, adding ids on the spoken spans")
	configFlag(f, "epub", "output.epub")
	configFlag(f, "epub-keep", "output.epub_keep")
	configFlag(f, "layout", "output.layout")
	f.String("format", d.Output.Format, "output format: mp3 or wav")
	f.Int("bitrate", d.Output.Bitrate, "MP3 bitrate in kbps")
	f.Int("sample-rate", d.Output.SampleRate, "output sample rate in Hz")
	f.Int("workers", d.Workers, "chapters rendered at once (0: one per core)")
	f.String("cache-dir", d.Cache.Dir, "span cache directory (default: the XDG cache directory)")
	f.Bool("no-cache", d.Cache.Off, "do not cache synthesized spans (disables resuming)")
	configFlag(f, "format", "output.format")
	configFlag(f, "bitrate", "output.bitrate")
	configFlag(f, "sample-rate", "output.sample_rate")
	configFlag(f, "workers", "workers")
	configFlag(f, "cache-dir", "cache.dir")
	configFlag(f, "no-cache", "cache.off")
	return cmd
}

// addVoiceFlags adds the flags that choose the backend and voices.
func addVoiceFlags(cmd *cobra.Command) {
	d := config.Default()
	f := cmd.Flags()
	f.String("backend", d.Backend, "TTS backend")
	f.String("voice", d.Voices.Narrator, "narrator voice (default: the backend's first voice for the book's language)")
	f.String("dialogue-voice", d.Voices.Dialogue, "voice for dialogue without a character voice (default: one of another gender)")
	f.Float64("rate", d.Voices.Rate, "speaking speed factor (1 is normal)")
	configFlag(f, "backend", "backend")
	configFlag(f, "voice", "voices.narrator")
	configFlag(f, "dialogue-voice", "voices.dialogue")
	configFlag(f, "rate", "voices.rate")
	addInputFlags(cmd)
}

// addInputFlags adds the flags that choose how the book is read.
func addInputFlags(cmd *cobra.Command) {
	d := config.Default()
	f := cmd.Flags()
	f.String("encoding", d.Input.Encoding, "text encoding of plain-text and Markdown input: utf-8 (default), latin1 or windows-1252")
	f.Bool("notes", d.Input.Notes, "read author's notes")
	f.Bool("matter", d.Input.Matter, "read front and back matter (title pages, contents, copyright)")
	f.String("language", d.Language, "the book's language as a BCP 47 tag (fr, de, pt-BR); default: the book's own, else detected from the text")
	configFlag(f, "language", "language")
	configFlag(f, "encoding", "input.encoding")
	configFlag(f, "notes", "input.notes")
	configFlag(f, "matter", "input.matter")
}

// read reads and segments the input as configured, and reports the
// language note and the warnings.
func (a *app) read(path string) (*pipeline.Book, error) {
	b, err := pipeline.Read(a.cfg, path)
	if err != nil {
		return nil, a.loader.LocateError(err)
	}
	if note := b.Language.Note; note != "" {
		// A note is kept with the warnings, so -q silences it too.
		a.warnings = append(a.warnings, "note: "+note)
		if !a.quiet {
			fmt.Fprintln(a.stderr, "note:", note)
		}
	}
	for _, w := range b.Warnings {
		a.warnings = append(a.warnings, w.Error())
	}
	// A few warnings help; hundreds bury the output.
	const shown = 5
	for i, w := range b.Warnings {
		if a.quiet {
			break
		}
		if i == shown {
			fmt.Fprintf(a.stderr, "warning: and %d more like these\n", len(b.Warnings)-shown)
			break
		}
		fmt.Fprintln(a.stderr, "warning:", w.Error())
	}
	return b, nil
}

// prepare reads the book and sets up everything a render needs.
func (a *app) prepare(ctx context.Context, input, castFile string) (*pipeline.Prepared, error) {
	b, err := a.read(input)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.Prepare(ctx, a.cfg, a.registry, b, castFile)
	if err != nil {
		return nil, a.loader.LocateError(err)
	}
	return p, nil
}

func (a *app) render(ctx context.Context, input, outDir, castFile, statsFile string, quiet bool) error {
	started := time.Now()
	p, err := a.prepare(ctx, input, castFile)
	if err != nil {
		return err
	}
	defer p.Close()
	b, chapters, opts := p.Book.Book, p.Chapters, p.Options
	finish := func() {}
	if !quiet {
		opts.Progress, finish = a.progress(len(chapters))
		fmt.Fprintf(a.stderr, "narrate: %q, %d chapters, backend %s\n", b.Title, len(chapters), a.cfg.Backend)
	}
	// Output to object storage: render into a local directory, then
	// upload the finished files.
	local := outDir
	if blob.IsURL(outDir) {
		if local, err = os.MkdirTemp("", "narrate-out-*"); err != nil {
			return err
		}
		defer os.RemoveAll(local)
	}
	res, err := pipeline.Render(ctx, b, chapters, local, opts)
	finish()
	if err != nil {
		return err
	}
	if local != outDir {
		if err := blob.CopyDir(ctx, outDir, local); err != nil {
			return err
		}
	}
	if statsFile != "" {
		data, err := json.MarshalIndent(map[string]any{
			"wall_ns": time.Since(started).Nanoseconds(), "audio_ns": res.Duration.Nanoseconds(),
			"files": len(res.Files), "stats": res.Stats, "warnings": a.warnings}, "", "  ")
		if err == nil {
			err = os.WriteFile(statsFile, append(data, '\n'), 0o644)
		}
		if err != nil {
			return fmt.Errorf("render --stats: %w", err)
		}
	}
	if !quiet {
		files := "files"
		if len(res.Files) == 1 {
			files = "file"
		}
		where := outDir
		if local == outDir {
			where = res.Dir
		}
		fmt.Fprintf(a.stdout, "wrote %d audio %s to %s: %s of audio in %s\n",
			len(res.Files), files, where, clock(res.Duration), time.Since(started).Round(100*time.Millisecond))
		if res.M4B != "" {
			fmt.Fprintf(a.stdout, "and the M4B audiobook %s\n", res.M4B)
		}
		if res.EPUB != "" {
			fmt.Fprintf(a.stdout, "and the narrated EPUB %s", res.EPUB)
			if k := res.EPUBKept; k.Documents+k.Rebuilt > 0 {
				fmt.Fprintf(a.stdout, " (%d of the input's documents kept, %d made from the text)", k.Documents, k.Rebuilt)
			}
			fmt.Fprintln(a.stdout)
		}
		if res.Page != "" {
			fmt.Fprintf(a.stdout, "read along: %s\n", res.Page)
		}
		st := res.Stats
		fmt.Fprintf(a.stderr, "spans: %d synthesized, %d from cache; chapters: %d unchanged\n", st.Synthesized, st.Cached, st.Reused)
	}
	return nil
}

// shard synthesizes one shard of the book into the shared cache.
func (a *app) shard(ctx context.Context, input, castFile, spec string, quiet bool) error {
	s, err := pipeline.ParseShard(spec)
	if err != nil {
		return err
	}
	if a.cfg.Cache.Off {
		return errors.New("render --shard: the cache is off; shards exist to fill it")
	}
	p, err := a.prepare(ctx, input, castFile)
	if err != nil {
		return err
	}
	defer p.Close()
	st, err := pipeline.Prefetch(ctx, p.Book.Book, p.Chapters, p.Options, s)
	if err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(a.stdout, "shard %d/%d: %d spans synthesized, %d already cached\n", s.Index, s.Count, st.Synthesized, st.Cached)
	}
	return nil
}

// dryRun prints the plan of a render without synthesizing.
func (a *app) dryRun(ctx context.Context, input, castFile string) error {
	prep, err := a.prepare(ctx, input, castFile)
	if err != nil {
		return err
	}
	defer prep.Close()
	p, err := pipeline.Estimate(ctx, prep.Book.Book, prep.Chapters, prep.Options)
	if err != nil {
		return err
	}
	w := a.stdout
	info := prep.Options.Backend.Info()
	fmt.Fprintf(w, "book:     %q, %d chapters\n", prep.Book.Book.Name(), p.Chapters)
	fmt.Fprintf(w, "language: %s\n", prep.Language)
	fmt.Fprintf(w, "backend:  %s (%s)\n", info.Name, info.Model)
	fmt.Fprintf(w, "speech:   %d spans, %d characters to synthesize, %d of them (%d spans) already cached\n", p.Spans, p.Chars, p.CachedChars, p.Cached)
	fmt.Fprintf(w, "audio:    about %s\n", clock(p.Audio))
	switch {
	case info.Price > 0:
		fmt.Fprintf(w, "cost:     about $%.2f at $%.2f per million characters (list price; set backends.%s.price_per_million to change)\n", p.Cost, info.Price, info.Name)
	default:
		fmt.Fprintf(w, "cost:     none (local engine)\n")
	}
	fmt.Fprintln(w, "voices:")
	for _, v := range p.Voices {
		fmt.Fprintf(w, "  %-20s %5d spans %8d chars  %s\n", v.Voice, v.Spans, v.Chars, strings.Join(v.Who, ", "))
	}
	return nil
}

// progress prints one line per finished chapter; on a terminal it also
// keeps a live status line: chapters, spans, characters, audio produced,
// speed and the time left.
func (a *app) progress(total int) (report func(pipeline.Event), finish func()) {
	tty := false
	if f, ok := a.stderr.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	var mu sync.Mutex
	started := time.Now()
	var shown time.Time
	finish = func() {
		if tty {
			fmt.Fprint(a.stderr, "\r\033[K")
		}
	}
	return func(e pipeline.Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Done {
			if tty {
				fmt.Fprint(a.stderr, "\r\033[K")
			}
			what := e.File
			if what == "" {
				what = e.Title
			}
			fmt.Fprintf(a.stderr, "[%d/%d] %s (%s)\n", e.ChaptersDone, total, what, clock(e.Duration))
		}
		if !tty || (!e.Done && time.Since(shown) < 100*time.Millisecond) {
			return
		}
		shown = time.Now()
		elapsed := time.Since(started).Seconds()
		rate := float64(e.CharsDone) / max(elapsed, 0.001)
		eta := "?"
		if rate > 0 && e.CharsDone > 0 {
			eta = clock(time.Duration(float64(e.CharsTotal-e.CharsDone) / rate * float64(time.Second)))
		}
		fmt.Fprintf(a.stderr, "\r\033[K%d/%d chapters · %d/%d spans · %d%% of %d chars · %s of audio · %.0f chars/s · %s left",
			e.ChaptersDone, total, e.SpansDone, e.SpansTotal, 100*e.CharsDone/max(1, e.CharsTotal), e.CharsTotal,
			clock(e.Audio), rate, eta)
	}, finish
}

// clock formats a duration as h:mm:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// writeWarnings writes the warnings one per line, all of them (stderr
// shows only the first few), atomically so that no half list is left.
func writeWarnings(path string, warnings []string) error {
	var b strings.Builder
	for _, w := range warnings {
		b.WriteString(w)
		b.WriteByte('\n')
	}
	if err := atomicfile.Write(path, []byte(b.String())); err != nil {
		return fmt.Errorf("render --warnings: %w", err)
	}
	return nil
}
